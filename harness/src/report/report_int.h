#ifndef HX_REPORT_INT_H
#define HX_REPORT_INT_H
/*
 * What the report writers (junit.c, html.c, markdown.c, json.c, diff.c) share: text
 * made safe for a format, the security checklist, the verdict of a run, the
 * order cases are written in, and writing a file whole or not at all.
 *
 * Every byte of a result may come from a hostile target. The helpers here
 * take (p, n) byte ranges, never trust them to be UTF-8, and append only
 * well-formed UTF-8 to their output: a malformed sequence becomes U+FFFD, and
 * so do control characters (other than tab, newline and carriage return) and
 * the invisible bidirectional controls that could make text read differently
 * from what it says.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cmn/buf.h"
#include "hx/error.h"
#include "hx/checklist.h"
#include "hx/result.h"

/* A writer's output: appends to b until the first failure, which it keeps
 * in rc, so that a report reads top to bottom and is checked once. */
struct hx__w {
    struct cmn_buf *b;
    int rc;
};
/* Our own text and numbers only: never text from the result, which goes
 * through the escaping helpers of its format. */
void hx__w_raw(struct hx__w *w, const char *s);
/* Bytes already made safe for the format (a writer's own filtered output). */
void hx__w_add(struct hx__w *w, const void *p, size_t n);
void hx__w_fmt(struct hx__w *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Largest report a writer builds in memory before giving up (HX_E_TOOBIG). */
#define HX__REPORT_MAX ((size_t)256 << 20)

/* Appends cp (<= U+10FFFF, not a surrogate) as UTF-8. */
int hx__utf8_put(struct cmn_buf *out, uint32_t cp);
/* True for the code points no report shows as they are: C0 controls but tab,
 * newline and carriage return, DEL, C1 controls, bidi embeddings, overrides
 * and isolates, the byte order mark. */
bool hx__cp_unsafe(uint32_t cp);

enum {
    HX__TEXT_ONELINE = 1, /* tab, newline and carriage return become a space */
};

/* Appends (p, n) as safe UTF-8 (see above). When max_cps > 0, stops after
 * that many code points and appends "…". *replaced (may be NULL) counts the
 * code points that were replaced. */
int hx__text_safe(struct cmn_buf *out, const char *p, size_t n, unsigned flags, size_t max_cps,
                  size_t *replaced);

/* Appends (p, n) made safe and escaped for HTML text and attribute values
 * (& < > " '). */
int hx__html_escape(struct cmn_buf *out, const char *p, size_t n);
/* The same for a C string; NULL appends nothing. */
int hx__html_str(struct cmn_buf *out, const char *s);

/* Appends s as Markdown text on one line, never at the start of a line:
 * the characters that could start emphasis, a code span, a link, HTML, an
 * entity, a table cell, strikethrough or a mention (\ ` * _ [ ] < > & | ~ !
 * # @) are backslash-escaped, which CommonMark allows for any ASCII
 * punctuation; at most max_cps code points (0: no limit). NULL appends
 * nothing. */
int hx__md_text(struct cmn_buf *out, const char *s, size_t max_cps);
/* Appends (p, n) as one Markdown code span on one line, for text a target
 * controls (no mention, link, emphasis or HTML inside a code span): the fence
 * is one backtick longer than the longest run inside. in_table escapes "|" so
 * the span cannot end a GFM table cell. */
int hx__md_code(struct cmn_buf *out, const char *p, size_t n, size_t max_cps, bool in_table);


/* The verdict of a whole run. */
enum hx__verdict {
    HX__VERDICT_PASS,       /* something ran, nothing failed or errored */
    HX__VERDICT_FAIL,       /* at least one failure */
    HX__VERDICT_INCOMPLETE, /* no failure, but some checks could not run (errors) */
    HX__VERDICT_EMPTY,      /* nothing ran: no cases, or every case skipped */
};
enum hx__verdict hx__verdict(const struct hx_counts *n);
/* "pass", "fail", "incomplete", "empty". Static. */
const char *hx__verdict_name(enum hx__verdict v);
/* One sentence for people, e.g. "FAIL: 2 checks failed". Static. */
const char *hx__verdict_headline(enum hx__verdict v);

/* "✓", "✗", "!", "–": a symbol that reads without colour. Static. */
const char *hx__status_symbol(enum hx_status s);
/* "PASS", "FAIL", "ERROR", "SKIP". Static. */
const char *hx__status_word(enum hx_status s);

/* For people: "new since the baseline", "still failing (in the baseline
 * too)", "fixed since the baseline"; NULL for HX_BASELINE_NONE. Static. */
const char *hx__baseline_words(enum hx_baseline_mark m);
/* The first words of a WAIVED case's text, to be followed by its message:
 * "WAIVED until 2027-01-31 (owner: ...; reason: ...); the check found
 * (fail): ", cut to fit out. */
void hx__waived_lead(const struct hx_case *c, char *out, size_t size);
/* One line for people on a waiver of the run and its state, e.g. "waiver 2
 * (SEC-CORS-*, owner ...) expired on 2026-01-31: it waives nothing and fails
 * the gate", cut to fit out. */
void hx__waiver_line(const struct hx_result *r, size_t index, char *out, size_t size);

/* The cases in the order every report writes them: by id, then group, then
 * file, then the order they were added (so two runs of the same scenarios
 * list them alike). Returns new (free() the array, not the cases), or NULL
 * when out of memory; an empty result gives a non-NULL empty array. */
const struct hx_case **hx__cases_sorted(const struct hx_result *r);

/* Writes (p, n) to path whole: to a temporary file beside it, then renamed
 * over path, so a reader never sees half a report. Returns 0 or HX_E_IO with
 * the path and the reason in err. */
int hx__report_write_file(const char *path, const char *p, size_t n, struct hx_error *err);

/* Returns new: a JSON string of (p, n) made safe (as hx__text_safe); *lossy
 * (may be NULL) set when a code point had to be replaced. NULL when out of
 * memory. */
json_t *hx__json_text(const char *p, size_t n, bool *lossy);

/* Formats t as RFC 3339 UTC into out (at least 21 bytes); "" when t is 0. */
void hx__time_rfc3339(time_t t, char *out, size_t size);

#endif
