#ifndef RS_GUARD_CORS_H
#define RS_GUARD_CORS_H
/*
 * The CORS policy (guard/cors.c): only configured origins are echoed, with
 * credentials; never "*". This module decides; it answers nothing itself
 * (the router answers preflights), so it needs neither reply nor request
 * handling beyond reading headers.
 */
#include <microhttpd.h>
#include <stdbool.h>

#include "rs/request.h"

/* What a preflight is told besides the allowed methods. */
#define RS_CORS_ALLOW_HEADERS "Authorization, Content-Type"
#define RS_CORS_MAX_AGE "600"

enum rs_cors_preflight {
    RS_CORS_PREFLIGHT_OK,         /* 204 with the Access-Control-Allow-* headers */
    RS_CORS_PREFLIGHT_BAD_ORIGIN, /* 403, no CORS headers */
    RS_CORS_PREFLIGHT_BAD_METHOD, /* 403 */
};

/* Vary: Origin always; Access-Control-Allow-Origin (+ Credentials) only for
 * a configured origin. */
void rs_guard_cors_apply(const struct rs_request *r, struct MHD_Response *resp);

/* Whether this OPTIONS request is a CORS preflight. */
bool rs_guard_cors_is_preflight(const struct rs_request *r);

/* The verdict on a preflight. allow: the route's methods, as in its Allow
 * header ("GET, HEAD, POST, OPTIONS"). */
enum rs_cors_preflight rs_guard_cors_preflight_check(const struct rs_request *r, const char *allow);

#endif
