#include "hx/report_console.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/report_junit.h"
#include "report_int.h"

#define C_RESET "\033[0m"
#define C_GREEN "\033[32m"
#define C_RED "\033[31m"
#define C_YELLOW "\033[33m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"

void
hx_console_init(struct hx_console *c, FILE *out, bool verbose)
{
    const char *nc = getenv("NO_COLOR");
    memset(c, 0, sizeof *c);
    c->out = out;
    c->tty = isatty(fileno(out)) == 1;
    c->color = c->tty && (nc == NULL || nc[0] == '\0');
    c->verbose = verbose;
}

static const char *
console_color(const struct hx_console *c, const char *code)
{
    return c->color ? code : "";
}

static void
console_clear_live(struct hx_console *c)
{
    if (c->tty && c->live_shown) {
        fputs("\r\033[K", c->out);
        c->live_shown = false;
    }
}

static void
console_live(struct hx_console *c, size_t running, size_t done, size_t total)
{
    if (!c->tty || done >= total)
        return;
    fprintf(c->out, "\r\033[K%s  %zu running · %zu/%zu finished%s", console_color(c, C_DIM),
            running, done, total, console_color(c, C_RESET));
    c->live_shown = true;
    fflush(c->out);
}

/* Message text on one line: control characters shown as spaces. */
static void
console_line(FILE *out, const char *s, size_t max)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n < max; p++, n++)
        fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, out);
    if (strlen(s) > max)
        fputs("…", out);
}

void
hx_console_case_done(void *ud, const struct hx_case *k, size_t running, size_t done, size_t total)
{
    struct hx_console *c = ud;
    const char *mark, *col;

    switch (k->status) {
    case HX_STATUS_PASS:
        mark = "✓", col = C_GREEN;
        break;
    case HX_STATUS_FAIL:
        mark = "✗", col = C_RED;
        break;
    case HX_STATUS_ERROR:
        mark = "✗", col = C_RED;
        break;
    case HX_STATUS_WAIVED:
        mark = "≈", col = C_YELLOW;
        break;
    default:
        mark = "–", col = C_YELLOW;
        break;
    }
    console_clear_live(c);
    fprintf(c->out, "%s%s%s %-20s %6.2f s  %s%s\n", console_color(c, col), mark,
            console_color(c, C_RESET), k->id ? k->id : "?", k->seconds,
            k->status == HX_STATUS_ERROR    ? "[error] "
            : k->status == HX_STATUS_WAIVED ? "[waived] "
                                            : "",
            k->title ? k->title : "");
    if (k->status != HX_STATUS_PASS && k->message != NULL) {
        fprintf(c->out, "%s    ", console_color(c, C_DIM));
        if (k->status == HX_STATUS_WAIVED) {
            char lead[1200];
            hx__waived_lead(k, lead, sizeof lead);
            console_line(c->out, lead, 1200);
        }
        console_line(c->out, k->message, c->verbose ? 4000 : 300);
        fprintf(c->out, "%s\n", console_color(c, C_RESET));
    }
    if (c->verbose && (k->status == HX_STATUS_FAIL || k->status == HX_STATUS_ERROR)) {
        struct cmn_buf b;
        cmn_buf_init(&b, (size_t)64 << 20);
        for (size_t i = 0; i < k->n_steps; i++)
            if (k->steps[i].status != HX_STATUS_PASS)
                hx_report_transcript(&b, &k->steps[i], i);
        fwrite(cmn_buf_str(&b), 1, b.len, c->out);
        cmn_buf_cleanup(&b);
    }
    console_live(c, running, done, total);
    fflush(c->out);
}

void
hx_console_progress(void *ud, size_t running, size_t done, size_t total)
{
    console_live(ud, running, done, total);
}

/* The waivers' states and the checks fixed since the baseline. */
static void
console_gate(struct hx_console *c, const struct hx_result *r)
{
    char line[1000];
    bool any = false;

    if (r->n_waivers > 0)
        fprintf(c->out, "\nWaivers:\n");
    for (size_t i = 0; i < r->n_waivers; i++) {
        bool bad = r->waivers[i].state == HX_WAIVER_EXPIRED ||
                   r->waivers[i].state == HX_WAIVER_UNUSED;
        hx__waiver_line(r, i, line, sizeof line);
        fprintf(c->out, "  %s%s%s %s: ", console_color(c, bad ? C_RED : C_YELLOW),
                bad ? "✗" : "≈", console_color(c, C_RESET), hx_waiver_state_name(r->waivers[i].state));
        console_line(c->out, line, 1000);
        fputc('\n', c->out);
    }
    if (r->baseline == NULL)
        return;
    fprintf(c->out, "\nBaseline ");
    console_line(c->out, r->baseline, 300);
    fprintf(c->out, ": only new failures fail the gate. Fixed since:");
    for (size_t i = 0; i < r->n_cases; i++) {
        if (r->cases[i]->baseline != HX_BASELINE_FIXED)
            continue;
        fprintf(c->out, " %s", r->cases[i]->id ? r->cases[i]->id : "?");
        any = true;
    }
    fprintf(c->out, "%s\n", any ? "" : " none");
}

void
hx_console_summary(struct hx_console *c, const struct hx_result *r)
{
    struct hx_counts n;

    console_clear_live(c);
    hx_result_count(r, &n);
    fprintf(c->out,
            "\n%s%zu scenarios: %zu passed, %zu failed, %zu errors, %zu skipped, %zu warnings",
            console_color(c, C_BOLD), n.total, n.passed, n.failed, n.errors, n.skipped, n.warnings);
    if (n.waived > 0)
        fprintf(c->out, ", %zu waived", n.waived);
    fprintf(c->out, " in %.2f s%s\n", r->seconds, console_color(c, C_RESET));
    for (size_t i = 0; i < r->n_notes; i++) {
        fprintf(c->out, "Note: ");
        console_line(c->out, r->notes[i], 600);
        fputc('\n', c->out);
    }
    if (n.failed + n.errors > 0) {
        fprintf(c->out, "\nNot passed:\n");
        for (size_t i = 0; i < r->n_cases; i++) {
            const struct hx_case *k = r->cases[i];
            if (k->status != HX_STATUS_FAIL && k->status != HX_STATUS_ERROR)
                continue;
            fprintf(c->out, "  %s%s%s %s [%s, %s%s%s]\n    ", console_color(c, C_RED),
                    k->status == HX_STATUS_FAIL ? "✗" : "✗", console_color(c, C_RESET), k->id,
                    hx_status_name(k->status), hx_severity_name(k->severity),
                    k->baseline != HX_BASELINE_NONE ? ", " : "",
                    k->baseline != HX_BASELINE_NONE ? hx__baseline_words(k->baseline) : "");
            console_line(c->out, k->message ? k->message : "", 400);
            fputc('\n', c->out);
        }
    }
    console_gate(c, r);
    fflush(c->out);
}
