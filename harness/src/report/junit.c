#include "hx/report_junit.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmn/text.h"
#include "hx/report.h"
#include "report_int.h"

/* Writes the characters of (p, n) that XML 1.0 allows; others replaced.
 * mode 0: element text, 1: attribute, 2: CDATA content (no escaping). */
static void
xml_filtered(struct hx__w *w, const char *text, size_t n, int mode)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;

    while (i < n) {
        uint32_t cp;
        size_t len = cmn_text_utf8_next((const char *)p + i, n - i, &cp);
        if (cp == 0xFFFD && len == 1) {
            hx__w_raw(w, "\xEF\xBF\xBD"); /* U+FFFD for a broken sequence */
            i++;
            continue;
        }
        if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') {
            hx__w_fmt(w, "\\x%02X", cp);
        } else if (cp == 0xFFFE || cp == 0xFFFF) {
            hx__w_raw(w, "\xEF\xBF\xBD");
        } else if (mode != 2 && cp == '&') {
            hx__w_raw(w, "&amp;");
        } else if (mode != 2 && cp == '<') {
            hx__w_raw(w, "&lt;");
        } else if (mode != 2 && cp == '>') {
            hx__w_raw(w, "&gt;");
        } else if (mode == 1 && cp == '"') {
            hx__w_raw(w, "&quot;");
        } else if (mode == 1 && cp == '\'') {
            hx__w_raw(w, "&apos;");
        } else if (mode == 1 && (cp == '\t' || cp == '\n' || cp == '\r')) {
            hx__w_fmt(w, "&#%u;", cp);
        } else if (mode == 0 && cp == '\r') {
            hx__w_raw(w, "&#13;"); /* parsers turn a raw CR into LF */
        } else {
            hx__w_add(w, p + i, len);
        }
        i += len;
    }
}

static void
junit_escape(struct hx__w *w, const char *p, size_t n, int attribute)
{
    xml_filtered(w, p ? p : "", p ? n : 0, attribute ? 1 : 0);
}

static void
junit_cdata(struct hx__w *w, const char *p, size_t n)
{
    size_t start = 0;

    if (p == NULL)
        n = 0;
    hx__w_raw(w, "<![CDATA[");
    for (size_t i = 0; i < n; i++) {
        if (p[i] == ']' && i + 2 < n && p[i + 1] == ']' && p[i + 2] == '>') {
            /* "]]>" ends a CDATA section: write "]]" here, ">" in the next */
            xml_filtered(w, p + start, i + 2 - start, 2);
            hx__w_raw(w, "]]><![CDATA[");
            start = i + 2;
            i++;
        } else if (p[i] == '\r') {
            xml_filtered(w, p + start, i - start, 2);
            hx__w_raw(w, "\\r");
            start = i + 1;
        }
    }
    xml_filtered(w, p + start, n - start, 2);
    hx__w_raw(w, "]]>");
}

static void
xml_attr(struct hx__w *w, const char *name, const char *value)
{
    hx__w_fmt(w, " %s=\"", name);
    if (value != NULL)
        junit_escape(w, value, strlen(value), 1);
    hx__w_raw(w, "\"");
}

static void
transcript_headers(struct hx__w *w, const char *prefix, const struct hx_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        hx__w_fmt(w, "%s%s: %s\n", prefix, h[i].name, h[i].value);
}

static void
junit_transcript(struct hx__w *w, const struct hx_step_result *s, size_t index)
{
    hx__w_fmt(w, "== step %zu: %s [%s, %s] %.3f s\n", index + 1, s->name ? s->name : "",
              s->kind ? s->kind : "", hx_status_name(s->status), s->seconds);
    if (s->message != NULL)
        hx__w_fmt(w, "   %s\n", s->message);
    if (s->notes != NULL)
        hx__w_fmt(w, "   note: %s\n", s->notes);
    for (size_t i = 0; i < s->n_exchanges; i++) {
        const struct hx_exchange *x = &s->exchanges[i];
        hx__w_fmt(w, "> %s %s\n", x->method ? x->method : "?", x->url ? x->url : "?");
        transcript_headers(w, "> ", x->request_headers, x->n_request_headers);
        if (x->request_body != NULL && x->request_body_len > 0) {
            hx__w_raw(w, ">\n> ");
            hx__w_add(w, x->request_body, x->request_body_len);
            hx__w_fmt(w, "%s\n", x->request_body_truncated ? " …(cut)" : "");
        }
        if (x->transport_error != NULL)
            hx__w_fmt(w, "! %s\n", x->transport_error);
        if (x->status > 0) {
            hx__w_fmt(w, "< %s %ld (%.3f s%s%s)\n", x->http_version ? x->http_version : "HTTP",
                      x->status, x->seconds, x->tls_version ? ", " : "",
                      x->tls_version ? x->tls_version : "");
            transcript_headers(w, "< ", x->response_headers, x->n_response_headers);
            if (x->response_body != NULL && x->response_body_len > 0) {
                hx__w_raw(w, "<\n< ");
                hx__w_add(w, x->response_body, x->response_body_len);
                hx__w_fmt(w, "%s\n", x->response_body_truncated ? " …(cut)" : "");
            }
        }
    }
}

/* The transcript of a case's steps (only those that did not pass when
 * only_failing) into t. */
static void
junit_case_transcript(struct hx__w *t, const struct hx_case *c, bool only_failing)
{
    for (size_t i = 0; i < c->n_steps; i++) {
        if (only_failing && c->steps[i].status == HX_STATUS_PASS)
            continue;
        junit_transcript(t, &c->steps[i], i);
    }
}

/* Writes as CDATA the text of a case: with lead (NULL: none), a first line
 * of lead and the message, then the likely cause (diagnosis), where the rule
 * comes from and the remediation; then the transcript of its steps (only
 * those that did not pass when only_failing). */
static void
junit_case_text(struct hx__w *w, const struct hx_case *c, const char *lead, bool diagnosis,
                bool only_failing)
{
    struct cmn_buf b;
    struct hx__w t = {&b, 0};

    cmn_buf_init(&b, HX__REPORT_MAX);
    if (lead != NULL) {
        hx__w_fmt(&t, "%s%s\n", lead, c->message ? c->message : "");
        if (diagnosis && c->diagnosis)
            hx__w_fmt(&t, "likely cause: %s\n", c->diagnosis);
        if (c->source)
            hx__w_fmt(&t, "rule from: %s\n", c->source);
        if (c->remediation)
            hx__w_fmt(&t, "remediation: %s\n", c->remediation);
    }
    junit_case_transcript(&t, c, only_failing);
    if (t.rc != 0 && w->rc == 0)
        w->rc = t.rc;
    junit_cdata(w, b.data, b.len);
    cmn_buf_cleanup(&b);
}

static void
junit_case(struct hx__w *w, const struct hx_case *c)
{
    char name[1024];

    snprintf(name, sizeof name, "%s %s", c->id ? c->id : "?", c->title ? c->title : "");
    hx__w_raw(w, "    <testcase");
    xml_attr(w, "classname", c->group);
    xml_attr(w, "name", name);
    xml_attr(w, "file", c->file);
    hx__w_fmt(w, " time=\"%.3f\">\n", c->seconds);
    switch (c->status) {
    case HX_STATUS_PASS:
        break;
    case HX_STATUS_WARN:
        /* good practice beyond the contract: no failure element, so CI stays
         * green; the warning leads the case's output */
        hx__w_raw(w, "      <system-out>");
        junit_case_text(w, c, "WARNING (good practice beyond the contract, not a failure): ", false,
                        false);
        hx__w_raw(w, "</system-out>\n");
        hx__w_raw(w, "    </testcase>\n");
        return;
    case HX_STATUS_SKIP:
        hx__w_raw(w, "      <skipped");
        xml_attr(w, "message", c->message ? c->message : "skipped");
        hx__w_raw(w, "/>\n");
        break;
    case HX_STATUS_WAIVED: {
        /* accepted by a waiver: skipped for CI, with what it found and why
         * it is accepted */
        char lead[1200], message[2400];
        hx__waived_lead(c, lead, sizeof lead);
        snprintf(message, sizeof message, "%s%s", lead, c->message ? c->message : "");
        hx__w_raw(w, "      <skipped");
        xml_attr(w, "message", message);
        hx__w_raw(w, "/>\n      <system-out>");
        junit_case_text(w, c, lead, true, false);
        hx__w_raw(w, "</system-out>\n    </testcase>\n");
        return;
    }
    case HX_STATUS_FAIL:
    case HX_STATUS_ERROR: {
        const char *el = c->status == HX_STATUS_FAIL ? "failure" : "error";
        char message[1400], mark[200] = "";
        if (hx__baseline_words(c->baseline) != NULL)
            snprintf(mark, sizeof mark, "%s: ", hx__baseline_words(c->baseline));
        snprintf(message, sizeof message, "%s%s", mark, c->message ? c->message : el);
        hx__w_fmt(w, "      <%s", el);
        xml_attr(w, "message", message);
        xml_attr(w, "type", c->failure_type ? c->failure_type : el);
        hx__w_raw(w, ">");
        junit_case_text(w, c, mark, true, true);
        hx__w_fmt(w, "</%s>\n", el);
        break;
    }
    }
    if (c->n_steps > 0) {
        hx__w_raw(w, "      <system-out>");
        junit_case_text(w, c, NULL, false, false);
        hx__w_raw(w, "</system-out>\n");
    }
    hx__w_raw(w, "    </testcase>\n");
}

/* An expired waiver, or one that matched nothing, fails the gate. */
static bool
junit_waiver_fails(const struct hx_waiver *wv)
{
    return wv->state == HX_WAIVER_EXPIRED || wv->state == HX_WAIVER_UNUSED;
}

/* The waivers that fail the gate, one failing test case each, so that a CI
 * view shows why the run failed when every check passed or was waived. */
static void
junit_waivers_suite(struct hx__w *w, const struct hx_result *r, size_t n, const char *ts, size_t id)
{
    hx__w_raw(w, "  <testsuite");
    xml_attr(w, "name", "waivers");
    hx__w_fmt(w, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"0.000\"", n, n);
    xml_attr(w, "timestamp", ts);
    xml_attr(w, "hostname", r->hostname);
    hx__w_fmt(w, " id=\"%zu\"", id);
    xml_attr(w, "package", "waivers");
    hx__w_raw(w, ">\n");
    for (size_t i = 0; i < r->n_waivers; i++) {
        const struct hx_waiver *wv = &r->waivers[i];
        char name[400], message[600], body[1200];
        bool expired = wv->state == HX_WAIVER_EXPIRED;

        if (!junit_waiver_fails(wv))
            continue;
        snprintf(name, sizeof name, "waiver %zu (%.300s) %s", i, wv->check,
                 expired ? "expired" : "unused");
        if (expired)
            snprintf(message, sizeof message,
                     "waiver %zu (%.300s) expired on %s: it waives nothing and fails the gate; "
                     "renew it with a reason or remove it",
                     i, wv->check, wv->expires);
        else
            snprintf(message, sizeof message,
                     "waiver %zu (%.300s) matched no check of this run: it fails the gate until "
                     "it is removed",
                     i, wv->check);
        snprintf(body, sizeof body, "owner: %.300s\nreason: %.500s\nexpires: %s\ntarget: %.200s\n",
                 wv->owner ? wv->owner : "", wv->reason ? wv->reason : "", wv->expires,
                 wv->target ? wv->target : "(any)");
        hx__w_raw(w, "    <testcase");
        xml_attr(w, "classname", "waivers");
        xml_attr(w, "name", name);
        hx__w_raw(w, " time=\"0.000\">\n      <failure");
        xml_attr(w, "message", message);
        xml_attr(w, "type", expired ? "waiver.expired" : "waiver.unused");
        hx__w_raw(w, ">");
        junit_cdata(w, body, strlen(body));
        hx__w_raw(w, "</failure>\n    </testcase>\n");
    }
    hx__w_raw(w, "  </testsuite>\n");
}

static int
junit_render(const struct hx_result *r, struct hx__w *w)
{
    struct hx_counts all;
    char ts[32];
    const char **groups = calloc(r->n_cases + 1, sizeof *groups);
    size_t n_groups = 0;

    if (groups == NULL)
        return HX_E_NOMEM;
    /* groups in order of first appearance */
    for (size_t i = 0; i < r->n_cases; i++) {
        const char *g = r->cases[i]->group ? r->cases[i]->group : "scenarios";
        bool seen = false;
        for (size_t k = 0; k < n_groups && !seen; k++)
            seen = strcmp(groups[k], g) == 0;
        if (!seen)
            groups[n_groups++] = g;
    }
    /* the RFC 3339 form without its Z, as JUnit's timestamp is written */
    cmn_text_format_rfc3339(r->started, ts, sizeof ts);
    ts[strcspn(ts, "Z")] = '\0';
    hx_result_count(r, &all);
    size_t failing_waivers = 0;

    for (size_t i = 0; i < r->n_waivers; i++)
        if (junit_waiver_fails(&r->waivers[i]))
            failing_waivers++;

    hx__w_raw(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
    xml_attr(w, "name", "authconform");
    hx__w_fmt(w, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n",
              all.total + failing_waivers, all.failed + failing_waivers, all.errors, r->seconds);
    for (size_t k = 0; k < n_groups; k++) {
        struct hx_counts gc;
        double t = 0;
        memset(&gc, 0, sizeof gc);
        for (size_t i = 0; i < r->n_cases; i++) {
            const struct hx_case *c = r->cases[i];
            if (strcmp(c->group ? c->group : "scenarios", groups[k]) != 0)
                continue;
            t += c->seconds;
        }
        hx_result_count_group(r, groups[k], &gc);
        if (strcmp(groups[k], "scenarios") == 0 && gc.total == 0) {
            /* cases without a group are counted under "scenarios" */
            for (size_t i = 0; i < r->n_cases; i++)
                if (r->cases[i]->group == NULL)
                    gc.total++;
        }
        hx__w_raw(w, "  <testsuite");
        xml_attr(w, "name", groups[k]);
        hx__w_fmt(w, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\"",
                  gc.total, gc.failed, gc.errors, gc.skipped + gc.waived, t);
        xml_attr(w, "timestamp", ts);
        xml_attr(w, "hostname", r->hostname);
        hx__w_fmt(w, " id=\"%zu\"", k);
        xml_attr(w, "package", groups[k]);
        hx__w_raw(w, ">\n    <properties>\n");
        hx__w_raw(w, "      <property name=\"target\"");
        xml_attr(w, "value", r->target);
        hx__w_raw(w, "/>\n      <property name=\"profile\"");
        xml_attr(w, "value", r->profile);
        hx__w_raw(w, "/>\n      <property name=\"run_id\"");
        xml_attr(w, "value", r->run_id);
        hx__w_raw(w, "/>\n      <property name=\"harness_version\"");
        xml_attr(w, "value", r->harness_version);
        for (size_t i = 0; i < r->n_notes; i++) {
            hx__w_raw(w, "/>\n      <property name=\"note\"");
            xml_attr(w, "value", r->notes[i]);
        }
        hx__w_raw(w, "/>\n    </properties>\n");
        for (size_t i = 0; i < r->n_cases; i++) {
            const struct hx_case *c = r->cases[i];
            if (strcmp(c->group ? c->group : "scenarios", groups[k]) == 0)
                junit_case(w, c);
        }
        hx__w_raw(w, "  </testsuite>\n");
    }
    if (failing_waivers > 0)
        junit_waivers_suite(w, r, failing_waivers, ts, n_groups);
    hx__w_raw(w, "</testsuites>\n");
    free(groups);
    return w->rc;
}

int
hx_report_junit_render(const struct hx_result *r, struct cmn_buf *out)
{
    struct hx__w w = {out, 0};
    return junit_render(r, &w);
}

int
hx_report_junit_write(const struct hx_result *r, const char *path, struct hx_error *err)
{
    struct cmn_buf b;
    int rc;

    cmn_buf_init(&b, HX__REPORT_MAX);
    rc = hx_report_junit_render(r, &b);
    if (rc != 0)
        hx_error_set(err, path, 0, "%s: cannot build the JUnit report: %s", path, hx_strerror(rc));
    else
        rc = hx__report_write_file(path, cmn_buf_str(&b), b.len, err);
    cmn_buf_cleanup(&b);
    return rc;
}

int
hx_xml_escape(struct cmn_buf *out, const char *p, size_t n, int attribute)
{
    struct hx__w w = {out, 0};
    junit_escape(&w, p, n, attribute);
    return w.rc;
}

int
hx_xml_cdata(struct cmn_buf *out, const char *p, size_t n)
{
    struct hx__w w = {out, 0};
    junit_cdata(&w, p, n);
    return w.rc;
}

int
hx_report_transcript(struct cmn_buf *out, const struct hx_step_result *s, size_t index)
{
    struct hx__w w = {out, 0};
    junit_transcript(&w, s, index);
    return w.rc;
}
