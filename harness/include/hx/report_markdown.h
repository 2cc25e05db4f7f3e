#ifndef HX_REPORT_MARKDOWN_H
#define HX_REPORT_MARKDOWN_H
/*
 * report.md: the verdict, the checklist matrix and every failure with its
 * remediation, in GitHub/GitLab-flavoured Markdown short enough for a
 * pull-request comment (at most HX_REPORT_MD_MAX bytes: past that the
 * remaining failures are counted, not listed, and report.html has them).
 *
 * Text a target controls is written inside code spans, so it can start no
 * link, mention, emphasis, HTML or table cell; other text has its Markdown
 * punctuation escaped. Everything is valid UTF-8 on one line per item.
 */
#include "cmn/buf.h"
#include "hx/error.h"
#include "hx/result.h"

/* Comfortably below the 65536 characters GitHub accepts in a comment. */
#define HX_REPORT_MD_MAX 60000

/* Appends the document to out. Returns 0, HX_E_NOMEM or HX_E_TOOBIG. */
int hx_report_markdown_render(const struct hx_result *r, struct cmn_buf *out);

/* Writes the document to path (whole or not at all). Returns 0, or a negative
 * HX_E_* code with the path and the reason in err (may be NULL). */
int hx_report_markdown_write(const struct hx_result *r, const char *path, struct hx_error *err);

#endif
