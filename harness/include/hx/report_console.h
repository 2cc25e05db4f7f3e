#ifndef HX_REPORT_CONSOLE_H
#define HX_REPORT_CONSOLE_H
/*
 * What a person watching the run sees: one line per scenario as it ends
 * (✓ passed, ✗ failed or error, – skipped; id, duration), a live count of
 * running and finished scenarios on a terminal, and a summary. Colour on a
 * terminal unless NO_COLOR is set; plain lines otherwise.
 */
#include <stdbool.h>
#include <stdio.h>

#include "hx/result.h"

struct hx_console {
    FILE *out;
    bool tty;
    bool color;
    bool verbose;
    bool live_shown;
};

void hx_console_init(struct hx_console *c, FILE *out, bool verbose);
/* Runner hooks (ud is the struct hx_console). */
void hx_console_case_done(void *ud, const struct hx_case *kase, size_t running, size_t done,
                          size_t total);
void hx_console_progress(void *ud, size_t running, size_t done, size_t total);
/* The closing summary: counts, time, and every failure with its message. */
void hx_console_summary(struct hx_console *c, const struct hx_result *r);

#endif
