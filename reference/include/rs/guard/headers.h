#ifndef RS_GUARD_HEADERS_H
#define RS_GUARD_HEADERS_H
/* Security headers on every response (guard/headers.c). */
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "rs/request.h"

/* CSP, nosniff, Referrer-Policy, Cache-Control, X-Frame-Options, HSTS over
 * TLS. */
void rs_guard_headers_apply(const struct rs_request *r, struct MHD_Response *resp);

/* The same headers on a response authref did not build for a request of its
 * own (libmicrohttpd's own answers, the redirect listener). */
void rs_guard_headers_apply_tls(bool tls, struct MHD_Response *resp);

/* The same headers as "Name: value\r\n" lines in buf, for an answer written
 * straight to a socket. Returns their length, or 0 when size is too small. */
size_t rs_guard_headers_text(bool tls, char *buf, size_t size);

#endif
