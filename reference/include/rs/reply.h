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
#include <stdbool.h>

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

/* Writes a whole {"detail": detail} answer with status, Connection: close
 * and the security headers straight to the connection's socket, for the one
 * moment libmicrohttpd 0.9.75 refuses to queue a response: while a request
 * body arrives. The caller then returns MHD_NO: libmicrohttpd closes the
 * connection (lingering, rs/linger.h) without writing anything more. Plain
 * HTTP only: over TLS the socket carries records only libmicrohttpd may
 * write. Returns 0, RS_E_INVAL over TLS, RS_E_IO when the socket did not
 * take the whole answer at once. */
int rs_reply_on_socket(struct rs_request *r, unsigned status, const char *detail);

/* The same for a connection authref has no request of (libmicrohttpd's own
 * answers, rs/http_errors.h). */
int rs_reply_on_socket_of(struct MHD_Connection *conn, bool tls, unsigned status,
                          const char *detail);

/* The answers every part gives the same way. */
enum MHD_Result rs_reply_unavailable(struct rs_request *r); /* 503 + Retry-After: 1 */
enum MHD_Result rs_reply_internal(struct rs_request *r);    /* 500, says nothing more */

#endif
