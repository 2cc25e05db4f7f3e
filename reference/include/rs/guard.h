#ifndef RS_GUARD_H
#define RS_GUARD_H
/*
 * What runs around every handler. Each rs_guard_* check returns true to let
 * the request through; false when it has answered the request itself (the
 * MHD result is then in *answered).
 */
#include <microhttpd.h>
#include <stdbool.h>

#include "rs/request.h"

/* headers.c: CSP, nosniff, Referrer-Policy, Cache-Control, X-Frame-Options,
 * HSTS over TLS. */
void rs_guard_headers_apply(const struct rs_request *r, struct MHD_Response *resp);

/* cors.c: Vary: Origin always; Access-Control-Allow-Origin (+ Credentials)
 * only for a configured origin. */
void rs_guard_cors_apply(const struct rs_request *r, struct MHD_Response *resp);
/* Whether this OPTIONS request is a CORS preflight. */
bool rs_guard_cors_is_preflight(const struct rs_request *r);
/* Answers a preflight: 204 with the allowed methods for a configured origin,
 * 403 without CORS headers for any other. allow: the route's methods. */
enum MHD_Result rs_guard_cors_preflight(struct rs_request *r, const char *allow);

/* ratelimit.c: per client address (every /api/auth/ request) and per account
 * email (signin). 429 + Retry-After when over; 503 when the database is down. */
bool rs_guard_ratelimit_ip(struct rs_request *r, enum MHD_Result *answered);
bool rs_guard_ratelimit_account(struct rs_request *r, const char *email, enum MHD_Result *answered);

/* auth.c: the token from Authorization: Bearer or the access_token cookie,
 * checked without the database; sets r->user_id. 401 with WWW-Authenticate:
 * Bearer otherwise. */
bool rs_guard_auth(struct rs_request *r, enum MHD_Result *answered);
/* The path's {user_id} must be the authenticated user: 403 otherwise.
 * Needs no database: it runs before any. */
bool rs_guard_owner(struct rs_request *r, enum MHD_Result *answered);
/* The token's account must still exist and be active: 401 otherwise, 503
 * when the database cannot tell. Handlers whose route method carries
 * RS_METHOD_CHECKS_ACCOUNT make this check in their own statement instead
 * and answer its RS_E_ACCOUNT_* codes with rs_guard_account_refused(). */
bool rs_guard_account(struct rs_request *r, enum MHD_Result *answered);
/* The 401 for an account that is gone (rc: RS_E_ACCOUNT_UNKNOWN or
 * RS_E_ACCOUNT_INACTIVE). */
enum MHD_Result rs_guard_account_refused(struct rs_request *r, int rc);

#endif
