#ifndef RS_REPLY_H
#define RS_REPLY_H
/*
 * Responses in one shape: JSON bodies, errors as {"detail": "..."}, and on
 * every response the security headers and CORS headers (guard/), plus the
 * request's extra headers (Set-Cookie, Retry-After, Allow ...). Every 401
 * carries WWW-Authenticate: RS_REPLY_CHALLENGE, whoever answers it.
 */
#include <jansson.h>
#include <microhttpd.h>

#include "rs/request.h"

/* The challenge of every 401 (RFC 9110 section 11.6.1, RFC 6750). */
#define RS_REPLY_CHALLENGE "Bearer"

/* Adds a header to the coming response (copied). Returns 0 or RS_E_TOOBIG. */
int rs_reply_header(struct rs_request *r, const char *name, const char *value);

/* Takes body (on success and on failure). */
enum MHD_Result rs_reply_json(struct rs_request *r, unsigned status, json_t *body);

/* {"detail": detail} with status. */
enum MHD_Result rs_reply_detail(struct rs_request *r, unsigned status, const char *detail);

/* No body (204, 304 ...). */
enum MHD_Result rs_reply_empty(struct rs_request *r, unsigned status);

/* A borrowed body that outlives the response (static data). */
enum MHD_Result rs_reply_static(struct rs_request *r, unsigned status, const char *content_type,
                                const char *p, size_t n);

/* The answers every part gives the same way. */
enum MHD_Result rs_reply_unavailable(struct rs_request *r); /* 503 + Retry-After: 1 */
enum MHD_Result rs_reply_internal(struct rs_request *r);    /* 500, says nothing more */

#endif
