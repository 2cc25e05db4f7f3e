/* report.html: one self-contained page for people, on screen and on paper. */
#include "hx/report_html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static void
html_text(struct hx__w *w, const char *s)
{
    if (w->rc == 0)
        w->rc = hx__html_str(w->b, s);
}

static void
html_bytes(struct hx__w *w, const char *p, size_t n)
{
    if (w->rc == 0 && p != NULL)
        w->rc = hx__html_escape(w->b, p, n);
}

static const char *
html_class(enum hx_status s)
{
    switch (s) {
    case HX_STATUS_PASS:
        return "st-pass";
    case HX_STATUS_FAIL:
        return "st-fail";
    case HX_STATUS_ERROR:
        return "st-error";
    case HX_STATUS_SKIP:
        return "st-skip";
    case HX_STATUS_WARN:
        return "st-warn";
    case HX_STATUS_WAIVED:
        return "st-waived";
    }
    return "st-skip";
}

static void
html_badge(struct hx__w *w, enum hx_status s)
{
    hx__w_fmt(w, "<span class=\"badge %s\">%s %s</span>", html_class(s), hx__status_symbol(s),
             hx__status_word(s));
}

/* The anchor of the i-th case in report order: the id kept to characters
 * that need no escaping, and the index to keep it unique. */
static void
html_anchor(struct hx__w *w, size_t i, const struct hx_case *c)
{
    hx__w_fmt(w, "case-%zu", i + 1);
    if (c->id == NULL)
        return;
    hx__w_raw(w, "-");
    for (const char *p = c->id; *p != '\0' && w->rc == 0; p++) {
        char ch = *p;
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_'))
            ch = '_';
        w->rc = cmn_buf_addc(w->b, ch);
    }
}

static void
html_seconds(struct hx__w *w, double s)
{
    if (!(s >= 0))
        s = 0;
    if (s < 10)
        hx__w_fmt(w, "%.3f s", s);
    else
        hx__w_fmt(w, "%.1f s", s);
}

static const char html_css[] =
    ":root{--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#b3261e;--fail-bg:#ffebe9;"
    "--error:#8a4600;--error-bg:#fff1c2;--skip:#57606a;--skip-bg:#eaeef2;--line:#d0d7de}\n"
    "*{box-sizing:border-box}\n"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#1f2328;margin:0 auto;padding:1.5rem;max-width:72rem}\n"
    "h1{font-size:1.6rem;margin:0 0 .4rem}h2{font-size:1.25rem;margin:2rem 0 .6rem;"
    "border-bottom:1px solid var(--line);padding-bottom:.2rem}\n"
    "code,pre,.mono{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;"
    "font-size:.92em}\n"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;border:1px solid "
    "var(--line);border-radius:4px;padding:.5rem .7rem;margin:.4rem 0;max-height:40rem;"
    "overflow:auto}\n"
    ".verdict{border:2px solid;border-radius:6px;padding:1rem 1.2rem;margin-bottom:1rem}\n"
    ".verdict.v-pass{border-color:var(--pass);background:var(--pass-bg)}\n"
    ".verdict.v-fail{border-color:var(--fail);background:var(--fail-bg)}\n"
    ".verdict.v-incomplete{border-color:var(--error);background:var(--error-bg)}\n"
    ".verdict.v-empty{border-color:var(--skip);background:var(--skip-bg)}\n"
    ".headline{font-size:1.2rem;font-weight:600;margin:.2rem 0}\n"
    ".badge{display:inline-block;font-weight:700;font-size:.85em;padding:.05rem .45rem;"
    "border-radius:3px;border:1px solid;white-space:nowrap;letter-spacing:.02em}\n"
    ".badge.st-pass{color:var(--pass);background:var(--pass-bg)}\n"
    ".badge.st-fail{color:#fff;background:var(--fail);border-color:var(--fail)}\n"
    ".badge.st-error{color:var(--error);background:var(--error-bg)}\n"
    ".badge.st-skip{color:var(--skip);background:var(--skip-bg)}\n"
    ".badge.st-warn{color:var(--error);background:var(--error-bg);border-style:dashed}\n"
    ".badge.st-waived{color:var(--fail);background:var(--fail-bg);border-style:dotted}\n"
    ".badge.st-none{color:var(--skip);background:#fff;border-style:dashed}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}\n"
    "dl.meta dt{font-weight:600;color:#57606a}dl.meta dd{margin:0;overflow-wrap:anywhere}\n"
    "table{border-collapse:collapse;width:100%;margin:.4rem 0}\n"
    "th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}\n"
    "th{background:#f6f8fa}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr.st-fail td:first-child{box-shadow:inset 4px 0 var(--fail)}\n"
    "tr.st-error td:first-child{box-shadow:inset 4px 0 var(--error)}\n"
    ".item-title{color:#57606a;font-size:.9em}\n"
    ".chip{display:inline-block;margin:0 .3rem .15rem 0;white-space:nowrap;text-decoration:none;"
    "color:inherit;border-bottom:1px dotted}\n"
    "details.case{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:0}\n"
    "details.case>summary{cursor:pointer;padding:.45rem .7rem;font-weight:600}\n"
    "details.case.st-fail{border-left:5px solid var(--fail)}\n"
    "details.case.st-error{border-left:5px solid var(--error)}\n"
    "details.case.st-pass{border-left:5px solid var(--pass)}\n"
    "details.case.st-skip{border-left:5px dashed var(--skip)}\n"
    "details.case.st-warn{border-left:5px dashed var(--error)}\n"
    "details.case.st-waived{border-left:5px dotted var(--fail)}\n"
    ".case-body{padding:0 .9rem .7rem}\n"
    ".why{border-left:3px solid var(--fail);padding:.1rem .7rem;margin:.5rem 0}\n"
    ".why.st-error{border-color:var(--error)}.why.st-skip{border-color:var(--skip)}\n"
    ".dur{color:#57606a;font-weight:400;font-size:.9em}\n"
    "ol.steps{padding-left:1.6rem}ol.steps>li{margin:.35rem 0}\n"
    "details.transcript>summary{cursor:pointer;color:#57606a}\n"
    "footer{margin-top:2rem;color:#57606a;font-size:.85em}\n"
    "@media print{\n"
    "  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "  @page{margin:14mm}\n"
    "  body{font-size:9.5pt;max-width:none;padding:0}\n"
    "  h2{break-after:avoid}tr,dl.meta,.why{break-inside:avoid}\n"
    "  pre{max-height:none;overflow:visible;font-size:8pt}\n"
    "  a{color:inherit;text-decoration:none}\n"
    "  details.case>summary{list-style:none}\n"
    "  details.case>summary::-webkit-details-marker{display:none}\n"
    "}\n";

static void
html_head(struct hx__w *w, const struct hx_result *r, enum hx__verdict v)
{
    hx__w_raw(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                "style-src 'unsafe-inline'\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"generator\" content=\"authconform ");
    html_text(w, r->harness_version);
    hx__w_raw(w, "\">\n<title>authconform report: ");
    html_text(w, r->target);
    hx__w_fmt(w, " (%s)</title>\n<style>\n", hx__verdict_name(v));
    hx__w_raw(w, html_css);
    hx__w_raw(w, "</style>\n</head>\n<body>\n");
}

static void
html_count_phrase(struct hx__w *w, const struct hx_counts *n)
{
    hx__w_fmt(w, "%zu failed, %zu %s, %zu passed, %zu skipped, of %zu checks", n->failed, n->errors,
              n->errors == 1 ? "error" : "errors", n->passed, n->skipped, n->total);
    if (n->warnings > 0)
        hx__w_fmt(w, " (%zu %s: good practice beyond the contract)", n->warnings,
                  n->warnings == 1 ? "warning" : "warnings");
    if (n->waived > 0)
        hx__w_fmt(w, "; %zu failed but waived", n->waived);
}

/* The waivers of the run and the baseline's fixed checks: what the gate
 * accepted, and what it refused of the waivers themselves. */
static void
html_gate(struct hx__w *w, const struct hx_result *r, const struct hx_case **sorted)
{
    char line[1000];
    bool any_fixed = false;

    if (r->n_waivers == 0 && r->baseline == NULL)
        return;
    hx__w_raw(w, "<section id=\"gate\">\n<h2>Waivers and baseline</h2>\n<ul>\n");
    for (size_t i = 0; i < r->n_waivers; i++) {
        hx__waiver_line(r, i, line, sizeof line);
        hx__w_fmt(w, "<li class=\"waiver w-%s\"><strong>%s</strong>: ",
                  hx_waiver_state_name(r->waivers[i].state),
                  hx_waiver_state_name(r->waivers[i].state));
        html_text(w, line);
        hx__w_raw(w, ". Reason: ");
        html_text(w, r->waivers[i].reason);
        hx__w_raw(w, "</li>\n");
    }
    if (r->baseline != NULL) {
        hx__w_raw(w, "<li>Baseline: <code>");
        html_text(w, r->baseline);
        hx__w_raw(w, "</code> (run <code>");
        html_text(w, r->baseline_run_id);
        hx__w_raw(w, "</code>): a failure that failed there too is still failing and accepted; "
                     "a new one fails the gate. Fixed since:");
        for (size_t i = 0; i < r->n_cases; i++) {
            if (sorted[i]->baseline != HX_BASELINE_FIXED)
                continue;
            hx__w_raw(w, " <code>");
            html_text(w, sorted[i]->id);
            hx__w_raw(w, "</code>");
            any_fixed = true;
        }
        hx__w_raw(w, any_fixed ? "</li>\n" : " none</li>\n");
    }
    hx__w_raw(w, "</ul>\n</section>\n");
}

static void
html_summary(struct hx__w *w, const struct hx_result *r, const struct hx_counts *n,
             enum hx__verdict v)
{
    char date[32];

    hx__time_rfc3339(r->started, date, sizeof date);
    hx__w_fmt(w, "<header class=\"verdict v-%s\" id=\"verdict\">\n", hx__verdict_name(v));
    hx__w_raw(w, "<h1>authconform compliance report</h1>\n<p class=\"headline\">");
    hx__w_raw(w, v == HX__VERDICT_PASS ? "✓ " : v == HX__VERDICT_FAIL ? "✗ " : "! ");
    hx__w_raw(w, hx__verdict_headline(v));
    hx__w_raw(w, "</p>\n<p class=\"counts\">");
    html_count_phrase(w, n);
    hx__w_raw(w, "</p>\n</header>\n<section id=\"run\">\n<h2>Run</h2>\n<dl class=\"meta\">\n");
    hx__w_raw(w, "<dt>Target</dt><dd><code>");
    html_text(w, r->target != NULL ? r->target : "(none)");
    hx__w_raw(w, "</code></dd>\n<dt>Date</dt><dd>");
    html_text(w, date[0] != '\0' ? date : "(unknown)");
    hx__w_raw(w, "</dd>\n<dt>Duration</dt><dd>");
    html_seconds(w, r->seconds);
    hx__w_raw(w, "</dd>\n<dt>Harness version</dt><dd>authconform ");
    html_text(w, r->harness_version);
    hx__w_raw(w, "</dd>\n<dt>Profile</dt><dd><code>");
    html_text(w, r->profile != NULL ? r->profile : "(none)");
    hx__w_raw(w, "</code></dd>\n<dt>Run id</dt><dd><code>");
    html_text(w, r->run_id != NULL ? r->run_id : "(none)");
    hx__w_raw(w, "</code></dd>\n<dt>Host</dt><dd>");
    html_text(w, r->hostname);
    hx__w_raw(w, "</dd>\n");
    for (size_t i = 0; i < r->n_notes; i++) {
        hx__w_raw(w, "<dt>Note</dt><dd>");
        html_text(w, r->notes[i]);
        hx__w_raw(w, "</dd>\n");
    }
    hx__w_raw(w, "</dl>\n<table class=\"counts\">\n<thead><tr><th class=\"num\">Checks</th>"
                "<th class=\"num\">✓ Passed</th><th class=\"num\">✗ Failed</th>"
                "<th class=\"num\">! Errors</th><th class=\"num\">– Skipped</th></tr></thead>\n");
    hx__w_fmt(w,
             "<tbody><tr><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
             "<td class=\"num\">%zu</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
             "</tr></tbody>\n</table>\n</section>\n",
             n->total, n->passed, n->failed, n->errors, n->skipped);
}

static void
html_item_row(struct hx__w *w, const struct hx_result *r, const struct hx_case **sorted,
              size_t number, const char *id, const char *title)
{
    struct hx_item_summary sum;

    hx_checklist_summarise(r, id, &sum);
    hx__w_fmt(w, "<tr class=\"%s\"><td class=\"num\">%zu</td><td><strong>",
             sum.covered ? html_class(sum.status) : "st-none", number);
    html_text(w, id);
    hx__w_raw(w, "</strong>");
    if (title != NULL) {
        hx__w_raw(w, "<br><span class=\"item-title\">");
        html_text(w, title);
        hx__w_raw(w, "</span>");
    }
    hx__w_raw(w, "</td><td>");
    if (sum.covered)
        html_badge(w, sum.status);
    else
        hx__w_raw(w, "<span class=\"badge st-none\">— NOT CHECKED</span>");
    hx__w_raw(w, "</td><td>");
    if (sum.covered)
        hx__w_fmt(w, "%zu/%zu passed", sum.counts.passed, sum.counts.total);
    hx__w_raw(w, "</td><td>");
    for (size_t i = 0; i < r->n_cases; i++) {
        if (!hx_case_has_item(sorted[i], id))
            continue;
        hx__w_fmt(w, "<a class=\"chip\" href=\"#");
        html_anchor(w, i, sorted[i]);
        hx__w_fmt(w, "\">%s ", hx__status_symbol(sorted[i]->status));
        html_text(w, sorted[i]->id);
        hx__w_raw(w, "</a> ");
    }
    hx__w_raw(w, "</td></tr>\n");
}

static void
html_checklist(struct hx__w *w, const struct hx_result *r, const struct hx_case **sorted)
{
    size_t n_items, number = 0;
    const struct hx_checklist_item *items = hx_checklist_items(&n_items);

    hx__w_raw(w,
             "<section id=\"checklist\">\n<h2>Security checklist</h2>\n<table class=\"matrix\">\n"
             "<thead><tr><th class=\"num\">#</th><th>Item</th><th>Verdict</th><th>Passed</th>"
             "<th>Checks</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n_items; i++)
        html_item_row(w, r, sorted, ++number, items[i].id, items[i].title);
    /* Items the scenarios name that the checklist does not, in id order. */
    for (const char *last = NULL;;) {
        const char *next = NULL;
        for (size_t i = 0; i < r->n_cases; i++) {
            for (size_t k = 0; k < r->cases[i]->n_checklist; k++) {
                const char *id = r->cases[i]->checklist[k];
                bool known = id == NULL;
                for (size_t t = 0; t < n_items && !known; t++)
                    known = strcmp(items[t].id, id) == 0;
                if (known || (last != NULL && strcmp(id, last) <= 0))
                    continue;
                if (next == NULL || strcmp(id, next) < 0)
                    next = id;
            }
        }
        if (next == NULL)
            break;
        html_item_row(w, r, sorted, ++number, next, NULL);
        last = next;
    }
    hx__w_raw(w, "</tbody>\n</table>\n</section>\n");
}

static void
html_scenarios(struct hx__w *w, const struct hx_result *r, const struct hx_case **sorted)
{
    hx__w_raw(w, "<section id=\"scenarios\">\n<h2>Scenarios</h2>\n<table class=\"matrix\">\n"
                "<thead><tr><th>Id</th><th>Title</th><th>Group</th><th>Severity</th>"
                "<th>Status</th><th class=\"num\">Time</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->n_cases; i++) {
        const struct hx_case *c = sorted[i];
        hx__w_fmt(w, "<tr class=\"%s\"><td><a class=\"chip mono\" href=\"#", html_class(c->status));
        html_anchor(w, i, c);
        hx__w_raw(w, "\">");
        html_text(w, c->id);
        hx__w_raw(w, "</a></td><td>");
        html_text(w, c->title);
        hx__w_raw(w, "</td><td>");
        html_text(w, c->group);
        hx__w_fmt(w, "</td><td>%s</td><td>", hx_severity_name(c->severity));
        html_badge(w, c->status);
        hx__w_raw(w, "</td><td class=\"num\">");
        if (c->status != HX_STATUS_SKIP)
            html_seconds(w, c->seconds);
        hx__w_raw(w, "</td></tr>\n");
    }
    if (r->n_cases == 0)
        hx__w_raw(w, "<tr><td colspan=\"6\">No scenario was run.</td></tr>\n");
    hx__w_raw(w, "</tbody>\n</table>\n</section>\n");
}

static void
html_headers(struct hx__w *w, const char *prefix, const struct hx_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        hx__w_raw(w, prefix);
        html_text(w, h[i].name);
        hx__w_raw(w, ": ");
        html_text(w, h[i].value);
        hx__w_raw(w, "\n");
    }
}

static void
html_body(struct hx__w *w, const char *p, size_t n, bool truncated)
{
    if (p == NULL || n == 0) {
        if (truncated)
            hx__w_raw(w, "[body truncated]\n");
        return;
    }
    html_bytes(w, p, n);
    if (p[n - 1] != '\n')
        hx__w_raw(w, "\n");
    if (truncated)
        hx__w_fmt(w, "[body truncated after %zu bytes]\n", n);
}

static void
html_exchange(struct hx__w *w, const struct hx_exchange *x, bool open)
{
    hx__w_fmt(w, "<details class=\"transcript\"%s><summary>", open ? " open" : "");
    html_text(w, x->method);
    hx__w_raw(w, " ");
    html_text(w, x->url);
    if (x->status != 0)
        hx__w_fmt(w, " → %ld", x->status);
    else if (x->transport_error != NULL)
        hx__w_raw(w, " → no response");
    hx__w_raw(w, " <span class=\"dur\">");
    html_seconds(w, x->seconds);
    hx__w_raw(w, "</span></summary>\n<pre>");
    hx__w_raw(w, "&gt; ");
    html_text(w, x->method);
    hx__w_raw(w, " ");
    html_text(w, x->url);
    hx__w_raw(w, "\n");
    html_headers(w, "&gt; ", x->request_headers, x->n_request_headers);
    if (x->request_body_len > 0) {
        hx__w_raw(w, "\n");
        html_body(w, x->request_body, x->request_body_len, x->request_body_truncated);
    }
    if (x->status != 0 || x->n_response_headers > 0) {
        hx__w_raw(w, "\n&lt; ");
        html_text(w, x->http_version != NULL ? x->http_version : "HTTP");
        hx__w_fmt(w, " %ld\n", x->status);
        html_headers(w, "&lt; ", x->response_headers, x->n_response_headers);
        if (x->response_body_len > 0) {
            hx__w_raw(w, "\n");
            html_body(w, x->response_body, x->response_body_len, x->response_body_truncated);
        }
    }
    if (x->transport_error != NULL) {
        hx__w_raw(w, "\n! transport error: ");
        html_text(w, x->transport_error);
        hx__w_raw(w, "\n");
    }
    if (x->tls_version != NULL) {
        hx__w_raw(w, "* TLS: ");
        html_text(w, x->tls_version);
        hx__w_raw(w, "\n");
    }
    hx__w_raw(w, "</pre>\n</details>\n");
}

static void
html_step(struct hx__w *w, const struct hx_step_result *s)
{
    bool open = s->status != HX_STATUS_PASS;

    hx__w_fmt(w, "<li class=\"%s\">", html_class(s->status));
    html_badge(w, s->status);
    hx__w_raw(w, " ");
    html_text(w, s->name != NULL ? s->name : "(unnamed step)");
    hx__w_raw(w, " <span class=\"dur\">");
    html_text(w, s->kind);
    hx__w_raw(w, ", ");
    html_seconds(w, s->seconds);
    hx__w_raw(w, "</span>\n");
    if (s->message != NULL) {
        hx__w_fmt(w, "<div class=\"why %s\"><strong>", html_class(s->status));
        hx__w_raw(w, s->status == HX_STATUS_FAIL    ? "Expectation that failed"
                    : s->status == HX_STATUS_ERROR ? "Could not run"
                    : s->status == HX_STATUS_SKIP  ? "Skipped"
                                                   : "Note");
        if (s->failure_type != NULL) {
            hx__w_raw(w, "</strong> <code>");
            html_text(w, s->failure_type);
            hx__w_raw(w, "</code>");
        } else {
            hx__w_raw(w, "</strong>");
        }
        hx__w_raw(w, "<pre>");
        html_text(w, s->message);
        hx__w_raw(w, "</pre></div>\n");
    }
    if (s->notes != NULL) {
        hx__w_raw(w, "<pre class=\"notes\">");
        html_text(w, s->notes);
        hx__w_raw(w, "</pre>\n");
    }
    for (size_t i = 0; i < s->n_exchanges; i++)
        html_exchange(w, &s->exchanges[i], open);
    hx__w_raw(w, "</li>\n");
}

static void
html_list(struct hx__w *w, char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            hx__w_raw(w, ", ");
        hx__w_raw(w, "<code>");
        html_text(w, items[i]);
        hx__w_raw(w, "</code>");
    }
    if (n == 0)
        hx__w_raw(w, "—");
}

/* " at step N, name": the step the case's status and message come from. */
static void
html_case_where(struct hx__w *w, const struct hx_case *c)
{
    for (size_t i = 0; i < c->n_steps; i++) {
        const struct hx_step_result *s = &c->steps[i];
        if (s->status != c->status || s->message == NULL || c->message == NULL ||
            strcmp(s->message, c->message) != 0)
            continue;
        hx__w_fmt(w, " at step %zu", i + 1);
        if (s->name != NULL) {
            hx__w_raw(w, ", ");
            html_text(w, s->name);
        }
        return;
    }
}

static void
html_case(struct hx__w *w, size_t index, const struct hx_case *c)
{
    bool open = c->status == HX_STATUS_FAIL || c->status == HX_STATUS_ERROR;
    char date[32];

    hx__w_fmt(w, "<details class=\"case %s\" id=\"", html_class(c->status));
    html_anchor(w, index, c);
    hx__w_fmt(w, "\"%s><summary>", open ? " open" : "");
    html_badge(w, c->status);
    hx__w_raw(w, " <code>");
    html_text(w, c->id);
    hx__w_raw(w, "</code> ");
    html_text(w, c->title);
    if (c->status != HX_STATUS_SKIP) {
        hx__w_raw(w, " <span class=\"dur\">");
        html_seconds(w, c->seconds);
        hx__w_raw(w, "</span>");
    }
    hx__w_raw(w, "</summary>\n<div class=\"case-body\">\n<dl class=\"meta\">\n<dt>Group</dt><dd>");
    html_text(w, c->group);
    hx__w_raw(w, "</dd>\n<dt>File</dt><dd><code>");
    html_text(w, c->file != NULL ? c->file : "—");
    hx__w_fmt(w, "</code></dd>\n<dt>Severity</dt><dd>%s</dd>\n<dt>Checklist</dt><dd>",
             hx_severity_name(c->severity));
    html_list(w, c->checklist, c->n_checklist);
    hx__w_raw(w, "</dd>\n<dt>ASVS</dt><dd>");
    html_list(w, c->asvs, c->n_asvs);
    hx__time_rfc3339(c->started, date, sizeof date);
    if (date[0] != '\0') {
        hx__w_raw(w, "</dd>\n<dt>Started</dt><dd>");
        html_text(w, date);
    }
    hx__w_raw(w, "</dd>\n</dl>\n");
    if (c->status != HX_STATUS_PASS && c->message != NULL) {
        char lead[1200] = "";
        if (c->status == HX_STATUS_WAIVED)
            hx__waived_lead(c, lead, sizeof lead);
        hx__w_fmt(w, "<div class=\"why %s\"><strong>%s</strong>", html_class(c->status),
                 c->status == HX_STATUS_FAIL     ? "Failed"
                 : c->status == HX_STATUS_ERROR  ? "Could not run"
                 : c->status == HX_STATUS_WAIVED ? "Waived"
                                                 : "Skipped because");
        if (hx__baseline_words(c->baseline) != NULL)
            hx__w_fmt(w, " (%s)", hx__baseline_words(c->baseline));
        if (lead[0] != '\0') {
            hx__w_raw(w, " <span class=\"waiver\">");
            html_text(w, lead);
            hx__w_raw(w, "</span>");
        }
        html_case_where(w, c);
        if (c->failure_type != NULL) {
            hx__w_raw(w, " <code>");
            html_text(w, c->failure_type);
            hx__w_raw(w, "</code>");
        }
        hx__w_raw(w, "<pre>");
        html_text(w, c->message);
        hx__w_raw(w, "</pre></div>\n");
    }
    if (c->diagnosis != NULL) {
        hx__w_raw(w, "<p class=\"diagnosis\"><strong>Likely cause:</strong> ");
        html_text(w, c->diagnosis);
        hx__w_raw(w, "</p>\n");
    }
    if (c->source != NULL) {
        hx__w_raw(w, "<p class=\"source\"><strong>Rule from:</strong> ");
        html_text(w, c->source);
        hx__w_raw(w, "</p>\n");
    }
    if (c->remediation != NULL && c->status != HX_STATUS_PASS && c->status != HX_STATUS_SKIP) {
        hx__w_raw(w, "<p class=\"remediation\"><strong>Remediation:</strong> ");
        html_text(w, c->remediation);
        hx__w_raw(w, "</p>\n");
    }
    if (c->n_steps > 0) {
        hx__w_raw(w, "<ol class=\"steps\">\n");
        for (size_t i = 0; i < c->n_steps; i++)
            html_step(w, &c->steps[i]);
        hx__w_raw(w, "</ol>\n");
    }
    hx__w_raw(w, "</div>\n</details>\n");
}

int
hx_report_html_render(const struct hx_result *r, struct cmn_buf *out)
{
    struct hx__w w = {.b = out, .rc = 0};
    const struct hx_case **sorted = hx__cases_sorted(r);
    struct hx_counts n;
    enum hx__verdict v;

    if (sorted == NULL)
        return HX_E_NOMEM;
    hx_result_count(r, &n);
    v = hx__verdict(&n);
    html_head(&w, r, v);
    html_summary(&w, r, &n, v);
    html_gate(&w, r, sorted);
    html_checklist(&w, r, sorted);
    html_scenarios(&w, r, sorted);
    hx__w_raw(&w, "<section id=\"details\">\n<h2>Details</h2>\n");
    for (size_t i = 0; i < r->n_cases; i++)
        html_case(&w, i, sorted[i]);
    hx__w_raw(&w, "</section>\n<footer>Written by authconform ");
    html_text(&w, r->harness_version);
    hx__w_raw(&w, ". Passwords, tokens, secrets and cookie values were redacted before this "
                 "report was written.</footer>\n</body>\n</html>\n");
    free(sorted);
    return w.rc;
}

int
hx_report_html_write(const struct hx_result *r, const char *path, struct hx_error *err)
{
    struct cmn_buf b;
    int rc;

    cmn_buf_init(&b, HX__REPORT_MAX);
    rc = hx_report_html_render(r, &b);
    if (rc != 0)
        hx_error_set(err, path, 0, "%s: cannot build the HTML report: %s", path, hx_strerror(rc));
    else
        rc = hx__report_write_file(path, cmn_buf_str(&b), b.len, err);
    cmn_buf_cleanup(&b);
    return rc;
}
