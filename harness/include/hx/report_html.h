#ifndef HX_REPORT_HTML_H
#define HX_REPORT_HTML_H
/*
 * report.html: the results of a run for people, as one self-contained file
 * (inline CSS; no script, font, image or link to anything outside it, and a
 * Content-Security-Policy that forbids loading any), which opens from a mail
 * attachment with no network and prints on paper.
 *
 * Top: target, date, harness version, profile, run id, counts and verdict;
 * the twelve checklist items and every scenario as a matrix whose statuses
 * read without colour (symbol and word). Then each scenario with its steps,
 * the expectation that failed and the request/response transcript: open when
 * it did not pass, folded (details/summary) when it did.
 *
 * Everything from the result is escaped for HTML and made valid UTF-8.
 */
#include "cmn/buf.h"
#include "hx/error.h"
#include "hx/result.h"

/* Appends the document to out. Returns 0, HX_E_NOMEM or HX_E_TOOBIG. */
int hx_report_html_render(const struct hx_result *r, struct cmn_buf *out);

/* Writes the document to path (whole or not at all). Returns 0, or a negative
 * HX_E_* code with the path and the reason in err (may be NULL). */
int hx_report_html_write(const struct hx_result *r, const char *path, struct hx_error *err);

#endif
