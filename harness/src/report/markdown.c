/* report.md: the summary and every failure, for a pull-request comment. */
#include "hx/report_markdown.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* Longest piece of target text quoted in one place, in code points. */
#define MD_QUOTE_MAX 300

/* Text from a scenario file: escaped, one line. */
static void
md_text(struct hx__w *w, const char *s)
{
    if (w->rc == 0)
        w->rc = hx__md_text(w->b, s, MD_QUOTE_MAX);
}

/* Text a target may control: a code span. */
static void
md_code(struct hx__w *w, const char *s, bool in_table)
{
    if (w->rc == 0 && s != NULL)
        w->rc = hx__md_code(w->b, s, strlen(s), MD_QUOTE_MAX, in_table);
}

static void
md_status(struct hx__w *w, enum hx_status s)
{
    hx__w_fmt(w, "%s %s", hx__status_symbol(s), hx__status_word(s));
}

static void
md_summary(struct hx__w *w, const struct hx_result *r, const struct hx_counts *n, enum hx__verdict v)
{
    char date[32];

    hx__time_rfc3339(r->started, date, sizeof date);
    hx__w_fmt(w, "## %s authconform: %s\n\n",
           v == HX__VERDICT_PASS   ? "✓"
           : v == HX__VERDICT_FAIL ? "✗"
                                   : "!",
           hx__verdict_headline(v));
    hx__w_fmt(w,
           "**%zu failed, %zu %s, %zu passed, %zu skipped** of %zu checks"
           " in %.1f s\n\n",
           n->failed, n->errors, n->errors == 1 ? "error" : "errors", n->passed, n->skipped,
           n->total, r->seconds >= 0 ? r->seconds : 0.0);
    if (n->waived > 0)
        hx__w_fmt(w, "**%zu waived**: failed, and accepted by a waiver until its date\n\n",
                  n->waived);
    hx__w_raw(w, "| Target | Profile | Run id | Date | Harness |\n|---|---|---|---|---|\n| ");
    md_code(w, r->target != NULL ? r->target : "(none)", true);
    hx__w_raw(w, " | ");
    md_code(w, r->profile != NULL ? r->profile : "(none)", true);
    hx__w_raw(w, " | ");
    md_code(w, r->run_id != NULL ? r->run_id : "(none)", true);
    hx__w_raw(w, " | ");
    md_text(w, date[0] != '\0' ? date : "unknown");
    hx__w_raw(w, " | authconform ");
    md_text(w, r->harness_version);
    hx__w_raw(w, " |\n\n");
    for (size_t i = 0; i < r->n_notes; i++) {
        hx__w_raw(w, "> **Note:** ");
        md_text(w, r->notes[i]);
        hx__w_raw(w, "\n>\n");
    }
    if (r->n_notes > 0)
        hx__w_raw(w, "\n");
}

static void
md_checklist(struct hx__w *w, const struct hx_result *r)
{
    size_t n_items;
    const struct hx_checklist_item *items = hx_checklist_items(&n_items);

    hx__w_raw(w, "### Security checklist\n\n| # | Item | Verdict | Passed |\n|---:|---|---|---:|\n");
    for (size_t i = 0; i < n_items; i++) {
        struct hx_item_summary sum;

        hx_checklist_summarise(r, items[i].id, &sum);
        hx__w_fmt(w, "| %zu | ", i + 1);
        md_text(w, items[i].title);
        hx__w_raw(w, " | ");
        if (sum.covered) {
            md_status(w, sum.status);
            hx__w_fmt(w, " | %zu/%zu |\n", sum.counts.passed, sum.counts.total);
        } else {
            hx__w_raw(w, "— not checked | |\n");
        }
    }
    hx__w_raw(w, "\n");
}

/* The first exchange that did not go as expected in the first step that did
 * not pass, as one line: "POST url → 200". */
static void
md_evidence(struct hx__w *w, const struct hx_case *c)
{
    for (size_t i = 0; i < c->n_steps; i++) {
        const struct hx_step_result *s = &c->steps[i];
        const struct hx_exchange *x;
        struct cmn_buf line;

        if (s->status == HX_STATUS_PASS || s->n_exchanges == 0)
            continue;
        x = &s->exchanges[s->n_exchanges - 1];
        cmn_buf_init(&line, 4096);
        /* A line past the cap is shown as far as it got. */
        (void)(cmn_buf_adds(&line, x->method != NULL ? x->method : "?") == 0 &&
               cmn_buf_addc(&line, ' ') == 0 &&
               cmn_buf_adds(&line, x->url != NULL ? x->url : "") == 0);
        if (x->status != 0)
            cmn_buf_addf(&line, " -> %ld", x->status);
        else if (x->transport_error != NULL)
            cmn_buf_addf(&line, " -> no response (%.200s)", x->transport_error);
        hx__w_raw(w, "   - Evidence (step ");
        md_code(w, s->name != NULL ? s->name : "?", false);
        hx__w_raw(w, "): ");
        md_code(w, cmn_buf_str(&line), false);
        hx__w_raw(w, "\n");
        cmn_buf_cleanup(&line);
        return;
    }
}

static void
md_failure(struct hx__w *w, const struct hx_case *c)
{
    hx__w_raw(w, "1. **");
    md_status(w, c->status);
    hx__w_raw(w, " ");
    md_text(w, c->id);
    hx__w_raw(w, "** ");
    md_text(w, c->title);
    hx__w_fmt(w, " (severity %s", hx_severity_name(c->severity));
    if (c->n_checklist > 0) {
        hx__w_raw(w, "; checklist: ");
        for (size_t i = 0; i < c->n_checklist; i++) {
            if (i > 0)
                hx__w_raw(w, ", ");
            md_text(w, c->checklist[i]);
        }
    }
    if (c->n_asvs > 0) {
        hx__w_raw(w, "; ASVS ");
        for (size_t i = 0; i < c->n_asvs; i++) {
            if (i > 0)
                hx__w_raw(w, ", ");
            md_text(w, c->asvs[i]);
        }
    }
    hx__w_raw(w, ")\n");
    if (hx__baseline_words(c->baseline) != NULL)
        hx__w_fmt(w, "   - Baseline: **%s**\n", hx__baseline_words(c->baseline));
    hx__w_raw(w, c->status == HX_STATUS_ERROR ? "   - Could not run: " : "   - Failed: ");
    if (c->message != NULL)
        md_code(w, c->message, false);
    else
        hx__w_raw(w, "(no message)");
    hx__w_raw(w, "\n");
    md_evidence(w, c);
    if (c->diagnosis != NULL) {
        hx__w_raw(w, "   - Likely cause: ");
        md_text(w, c->diagnosis);
        hx__w_raw(w, "\n");
    }
    if (c->source != NULL) {
        hx__w_raw(w, "   - Rule from: ");
        md_text(w, c->source);
        hx__w_raw(w, "\n");
    }
    if (c->remediation != NULL) {
        hx__w_raw(w, "   - **Remediation:** ");
        md_text(w, c->remediation);
        hx__w_raw(w, "\n");
    }
}

/* The waived cases, the waivers' states and the baseline's fixed cases. */
static void
md_gate(struct hx__w *w, const struct hx_result *r, const struct hx_case **sorted,
        const struct hx_counts *n)
{
    char line[1200];
    bool any = false;

    if (n->waived > 0) {
        hx__w_fmt(w, "### Waived (%zu): failed, accepted until the waiver's date\n\n", n->waived);
        for (size_t i = 0; i < r->n_cases; i++) {
            if (sorted[i]->status != HX_STATUS_WAIVED)
                continue;
            hx__waived_lead(sorted[i], line, sizeof line);
            hx__w_raw(w, "- ≈ ");
            md_text(w, sorted[i]->id);
            hx__w_raw(w, " ");
            md_text(w, sorted[i]->title);
            hx__w_raw(w, ": ");
            md_text(w, line);
            md_code(w, sorted[i]->message != NULL ? sorted[i]->message : "", false);
            hx__w_raw(w, "\n");
        }
        hx__w_raw(w, "\n");
    }
    if (r->n_waivers > 0) {
        hx__w_raw(w, "### Waivers\n\n");
        for (size_t i = 0; i < r->n_waivers; i++) {
            bool bad = r->waivers[i].state == HX_WAIVER_EXPIRED ||
                       r->waivers[i].state == HX_WAIVER_UNUSED;
            hx__waiver_line(r, i, line, sizeof line);
            hx__w_fmt(w, "- %s**%s**: ", bad ? "✗ " : "", hx_waiver_state_name(r->waivers[i].state));
            md_text(w, line);
            hx__w_raw(w, "\n");
        }
        hx__w_raw(w, "\n");
    }
    if (r->baseline != NULL) {
        hx__w_raw(w, "### Baseline\n\nAgainst ");
        md_code(w, r->baseline, false);
        hx__w_raw(w, " (run ");
        md_code(w, r->baseline_run_id != NULL ? r->baseline_run_id : "?", false);
        hx__w_raw(w, "): only new failures fail the gate. Fixed since:");
        for (size_t i = 0; i < r->n_cases; i++) {
            if (sorted[i]->baseline != HX_BASELINE_FIXED)
                continue;
            hx__w_raw(w, any ? ", " : " ");
            md_text(w, sorted[i]->id);
            any = true;
        }
        hx__w_raw(w, any ? "\n\n" : " none\n\n");
    }
}

/* Appends the failures (or the skips) one by one while they fit in the budget;
 * returns how many did not fit. */
static size_t
md_entries(struct hx__w *w, const struct hx_result *r, const struct hx_case **sorted, bool skips,
           size_t start, size_t reserve)
{
    size_t left_out = 0;

    for (size_t i = 0; i < r->n_cases && w->rc == 0; i++) {
        const struct hx_case *c = sorted[i];
        struct cmn_buf entry;
        struct hx__w e;
        bool want = skips ? c->status == HX_STATUS_SKIP
                          : (c->status == HX_STATUS_FAIL || c->status == HX_STATUS_ERROR);

        if (!want)
            continue;
        if (left_out > 0) {
            left_out++;
            continue;
        }
        cmn_buf_init(&entry, HX_REPORT_MD_MAX);
        e.b = &entry;
        e.rc = 0;
        if (skips) {
            hx__w_raw(&e, "- ");
            md_text(&e, c->id);
            hx__w_raw(&e, " ");
            md_text(&e, c->title);
            hx__w_raw(&e, ": ");
            md_code(&e, c->message != NULL ? c->message : "no reason given", false);
            hx__w_raw(&e, "\n");
        } else {
            md_failure(&e, c);
        }
        if (e.rc == 0 && w->b->len - start + entry.len + reserve <= HX_REPORT_MD_MAX)
            hx__w_raw(w, cmn_buf_str(&entry));
        else
            left_out = 1;
        cmn_buf_cleanup(&entry);
    }
    return left_out;
}

int
hx_report_markdown_render(const struct hx_result *r, struct cmn_buf *out)
{
    struct hx__w w = {.b = out, .rc = 0};
    const struct hx_case **sorted = hx__cases_sorted(r);
    struct hx_counts n;
    enum hx__verdict v;
    size_t start = out->len, more;

    if (sorted == NULL)
        return HX_E_NOMEM;
    hx_result_count(r, &n);
    v = hx__verdict(&n);
    md_summary(&w, r, &n, v);
    md_checklist(&w, r);
    if (n.failed + n.errors > 0) {
        hx__w_fmt(&w, "### Failures (%zu)\n\n", n.failed + n.errors);
        /* The budget counts from the start of this document. */
        more = md_entries(&w, r, sorted, false, start, 2000);
        if (more > 0)
            hx__w_fmt(&w, "\n… and %zu more not listed here: see report.html.\n", more);
        hx__w_raw(&w, "\n");
    }
    if (n.warnings > 0) {
        hx__w_fmt(&w, "### Warnings (%zu): good practice beyond the contract, not failures\n\n",
                  n.warnings);
        for (size_t i = 0; i < r->n_cases; i++)
            if (sorted[i]->status == HX_STATUS_WARN) {
                hx__w_raw(&w, "- ⚠ ");
                md_text(&w, sorted[i]->id);
                hx__w_raw(&w, " ");
                md_text(&w, sorted[i]->title);
                hx__w_raw(&w, ": ");
                md_code(&w, sorted[i]->message != NULL ? sorted[i]->message : "", false);
                hx__w_raw(&w, "\n");
            }
        hx__w_raw(&w, "\n");
    }
    md_gate(&w, r, sorted, &n);
    if (n.skipped > 0) {
        hx__w_fmt(&w, "<details><summary>Skipped (%zu)</summary>\n\n", n.skipped);
        more = md_entries(&w, r, sorted, true, start, 300);
        if (more > 0)
            hx__w_fmt(&w, "- … and %zu more: see report.html.\n", more);
        hx__w_raw(&w, "\n</details>\n\n");
    }
    hx__w_raw(&w, "<sub>authconform ");
    md_text(&w, r->harness_version);
    hx__w_raw(&w, " · full transcripts in report.html · secrets redacted</sub>\n");
    free(sorted);
    return w.rc;
}

int
hx_report_markdown_write(const struct hx_result *r, const char *path, struct hx_error *err)
{
    struct cmn_buf b;
    int rc;

    cmn_buf_init(&b, HX__REPORT_MAX);
    rc = hx_report_markdown_render(r, &b);
    if (rc != 0)
        hx_error_set(err, path, 0, "%s: cannot build the Markdown report: %s", path,
                     hx_strerror(rc));
    else
        rc = hx__report_write_file(path, cmn_buf_str(&b), b.len, err);
    cmn_buf_cleanup(&b);
    return rc;
}
