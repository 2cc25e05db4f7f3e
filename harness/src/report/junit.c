#include "hx/report_junit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hx/report.h"

/* Length of the valid UTF-8 sequence at p (n bytes available) and its code
 * point, or 0 when the bytes there are not valid UTF-8. */
static size_t
xml_utf8(const unsigned char *p, size_t n, unsigned *cp)
{
    unsigned c = p[0];
    size_t len;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, c &= 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, c &= 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, c &= 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Writes the characters of (p, n) that XML 1.0 allows; others replaced.
 * mode 0: element text, 1: attribute, 2: CDATA content (no escaping). */
static void
xml_filtered(FILE *out, const char *text, size_t n, int mode)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;

    while (i < n) {
        unsigned cp;
        size_t len = xml_utf8(p + i, n - i, &cp);
        if (len == 0) {
            fputs("\xEF\xBF\xBD", out); /* U+FFFD */
            i++;
            continue;
        }
        if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') {
            fprintf(out, "\\x%02X", cp);
        } else if (cp == 0xFFFE || cp == 0xFFFF) {
            fputs("\xEF\xBF\xBD", out);
        } else if (mode != 2 && cp == '&') {
            fputs("&amp;", out);
        } else if (mode != 2 && cp == '<') {
            fputs("&lt;", out);
        } else if (mode != 2 && cp == '>') {
            fputs("&gt;", out);
        } else if (mode == 1 && cp == '"') {
            fputs("&quot;", out);
        } else if (mode == 1 && cp == '\'') {
            fputs("&apos;", out);
        } else if (mode == 1 && (cp == '\t' || cp == '\n' || cp == '\r')) {
            fprintf(out, "&#%u;", cp);
        } else if (mode == 0 && cp == '\r') {
            fputs("&#13;", out); /* parsers turn a raw CR into LF */
        } else {
            fwrite(p + i, 1, len, out);
        }
        i += len;
    }
}

void
hx_xml_escape(FILE *out, const char *p, size_t n, int attribute)
{
    xml_filtered(out, p ? p : "", p ? n : 0, attribute ? 1 : 0);
}

void
hx_xml_cdata(FILE *out, const char *p, size_t n)
{
    size_t start = 0;

    if (p == NULL)
        n = 0;
    fputs("<![CDATA[", out);
    for (size_t i = 0; i < n; i++) {
        if (p[i] == ']' && i + 2 < n && p[i + 1] == ']' && p[i + 2] == '>') {
            /* "]]>" ends a CDATA section: write "]]" here, ">" in the next */
            xml_filtered(out, p + start, i + 2 - start, 2);
            fputs("]]><![CDATA[", out);
            start = i + 2;
            i++;
        } else if (p[i] == '\r') {
            xml_filtered(out, p + start, i - start, 2);
            fputs("\\r", out);
            start = i + 1;
        }
    }
    xml_filtered(out, p + start, n - start, 2);
    fputs("]]>", out);
}

static void
xml_attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    if (value != NULL)
        hx_xml_escape(out, value, strlen(value), 1);
    fputc('"', out);
}

static void
transcript_headers(FILE *out, const char *prefix, const struct hx_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s: %s\n", prefix, h[i].name, h[i].value);
}

void
hx_report_transcript(FILE *out, const struct hx_step_result *s, size_t index)
{
    fprintf(out, "== step %zu: %s [%s, %s] %.3f s\n", index + 1, s->name ? s->name : "",
            s->kind ? s->kind : "", hx_status_name(s->status), s->seconds);
    if (s->message != NULL)
        fprintf(out, "   %s\n", s->message);
    if (s->notes != NULL)
        fprintf(out, "   note: %s\n", s->notes);
    for (size_t i = 0; i < s->n_exchanges; i++) {
        const struct hx_exchange *x = &s->exchanges[i];
        fprintf(out, "> %s %s\n", x->method ? x->method : "?", x->url ? x->url : "?");
        transcript_headers(out, "> ", x->request_headers, x->n_request_headers);
        if (x->request_body != NULL && x->request_body_len > 0) {
            fputs(">\n> ", out);
            fwrite(x->request_body, 1, x->request_body_len, out);
            fprintf(out, "%s\n", x->request_body_truncated ? " …(cut)" : "");
        }
        if (x->transport_error != NULL)
            fprintf(out, "! %s\n", x->transport_error);
        if (x->status > 0) {
            fprintf(out, "< %s %ld (%.3f s%s%s)\n", x->http_version ? x->http_version : "HTTP",
                    x->status, x->seconds, x->tls_version ? ", " : "",
                    x->tls_version ? x->tls_version : "");
            transcript_headers(out, "< ", x->response_headers, x->n_response_headers);
            if (x->response_body != NULL && x->response_body_len > 0) {
                fputs("<\n< ", out);
                fwrite(x->response_body, 1, x->response_body_len, out);
                fprintf(out, "%s\n", x->response_body_truncated ? " …(cut)" : "");
            }
        }
    }
}

/* The text of a case's transcript, built in memory. new (free()). */
static char *
junit_case_transcript(const struct hx_case *c, size_t *len, bool only_failing)
{
    char *buf = NULL;
    FILE *m = open_memstream(&buf, len);

    if (m == NULL)
        return NULL;
    for (size_t i = 0; i < c->n_steps; i++) {
        if (only_failing && c->steps[i].status == HX_STATUS_PASS)
            continue;
        hx_report_transcript(m, &c->steps[i], i);
    }
    fclose(m);
    return buf;
}

static void
junit_case(FILE *out, const struct hx_case *c)
{
    char name[1024];
    size_t len;
    char *text;

    snprintf(name, sizeof name, "%s %s", c->id ? c->id : "?", c->title ? c->title : "");
    fputs("    <testcase", out);
    xml_attr(out, "classname", c->group);
    xml_attr(out, "name", name);
    xml_attr(out, "file", c->file);
    fprintf(out, " time=\"%.3f\">\n", c->seconds);
    switch (c->status) {
    case HX_STATUS_PASS:
        break;
    case HX_STATUS_SKIP:
        fputs("      <skipped", out);
        xml_attr(out, "message", c->message ? c->message : "skipped");
        fputs("/>\n", out);
        break;
    case HX_STATUS_FAIL:
    case HX_STATUS_ERROR: {
        const char *el = c->status == HX_STATUS_FAIL ? "failure" : "error";
        fprintf(out, "      <%s", el);
        xml_attr(out, "message", c->message ? c->message : el);
        xml_attr(out, "type", c->failure_type ? c->failure_type : el);
        fputs(">", out);
        text = junit_case_transcript(c, &len, true);
        {
            char *full = NULL;
            size_t flen = 0;
            FILE *m = open_memstream(&full, &flen);
            if (m != NULL) {
                fprintf(m, "%s\n", c->message ? c->message : "");
                if (c->diagnosis)
                    fprintf(m, "likely cause: %s\n", c->diagnosis);
                if (c->remediation)
                    fprintf(m, "remediation: %s\n", c->remediation);
                if (text != NULL)
                    fwrite(text, 1, len, m);
                fclose(m);
                hx_xml_cdata(out, full, flen);
                free(full);
            }
        }
        free(text);
        fprintf(out, "</%s>\n", el);
        break;
    }
    }
    text = junit_case_transcript(c, &len, false);
    if (text != NULL && len > 0) {
        fputs("      <system-out>", out);
        hx_xml_cdata(out, text, len);
        fputs("</system-out>\n", out);
    }
    free(text);
    fputs("    </testcase>\n", out);
}

int
hx_report_junit_fprint(const struct hx_result *r, FILE *out)
{
    struct hx_counts all;
    char ts[32];
    struct tm tm;
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
    gmtime_r(&r->started, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    hx_result_count(r, &all);

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", out);
    xml_attr(out, "name", "authconform");
    fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n", all.total,
            all.failed, all.errors, r->seconds);
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
        fputs("  <testsuite", out);
        xml_attr(out, "name", groups[k]);
        fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\"",
                gc.total, gc.failed, gc.errors, gc.skipped, t);
        xml_attr(out, "timestamp", ts);
        xml_attr(out, "hostname", r->hostname);
        fprintf(out, " id=\"%zu\"", k);
        xml_attr(out, "package", groups[k]);
        fputs(">\n    <properties>\n", out);
        fputs("      <property name=\"target\"", out);
        xml_attr(out, "value", r->target);
        fputs("/>\n      <property name=\"profile\"", out);
        xml_attr(out, "value", r->profile);
        fputs("/>\n      <property name=\"run_id\"", out);
        xml_attr(out, "value", r->run_id);
        fputs("/>\n      <property name=\"harness_version\"", out);
        xml_attr(out, "value", r->harness_version);
        fputs("/>\n    </properties>\n", out);
        for (size_t i = 0; i < r->n_cases; i++) {
            const struct hx_case *c = r->cases[i];
            if (strcmp(c->group ? c->group : "scenarios", groups[k]) == 0)
                junit_case(out, c);
        }
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
    free(groups);
    return ferror(out) ? HX_E_IO : 0;
}

int
hx_report_junit_write(const struct hx_result *r, const char *path, struct hx_error *err)
{
    FILE *f = hx_report_open(path, err);
    int rc;

    if (f == NULL)
        return HX_E_IO;
    rc = hx_report_junit_fprint(r, f);
    if (rc != 0) {
        hx_error_set(err, path, 0, "cannot write: %s", hx_strerror(rc));
        fclose(f);
        return rc;
    }
    return hx_report_commit(f, path, err);
}
