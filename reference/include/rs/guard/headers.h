#ifndef RS_GUARD_HEADERS_H
#define RS_GUARD_HEADERS_H
/* Security headers on every response (guard/headers.c). */
#include <microhttpd.h>

#include "rs/request.h"

/* CSP, nosniff, Referrer-Policy, Cache-Control, X-Frame-Options, HSTS over
 * TLS. */
void rs_guard_headers_apply(const struct rs_request *r, struct MHD_Response *resp);

#endif
