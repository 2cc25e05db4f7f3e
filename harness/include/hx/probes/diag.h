#ifndef HX_PROBES_DIAG_H
#define HX_PROBES_DIAG_H
/*
 * Diagnostics: the failures the quickstart's "Common Issues &
 * Troubleshooting" lists, recognised from what a probe saw, with the
 * likely cause and the fix in one text for the case's diagnosis.
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Parses an HTTP Date (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT").
 * Returns 0 and the instant, or -1. */
int hx_diag_http_date(const char *value, time_t *out);

enum hx_diag_kind {
    HX_DIAG_SECRET_MISMATCH, /* target's token does not verify with the given secret */
    HX_DIAG_GENUINE_401,     /* a well-formed fresh token answered 401 */
    HX_DIAG_OWN_403,         /* 403 on the user's own resources */
    HX_DIAG_FRESH_EXPIRED,   /* "Token has expired" on a fresh token */
};

/* Writes the diagnosis text. skew is target minus harness clock in seconds
 * (used by HX_DIAG_FRESH_EXPIRED; pass 0 when unknown). detail is the
 * target's words or NULL. */
void hx_diag_text(enum hx_diag_kind kind, long long skew, const char *detail, char *out,
                  size_t out_size);

#endif
