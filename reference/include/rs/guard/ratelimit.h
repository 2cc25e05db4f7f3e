#ifndef RS_GUARD_RATELIMIT_H
#define RS_GUARD_RATELIMIT_H
/*
 * Rate limits (guard/ratelimit.c): per client address (every /api/auth/
 * request) and per account email (signin). Each check returns true to let
 * the request through; false when it has answered: 429 + Retry-After when
 * over, 503 when the database is down (the MHD result is then in *answered).
 */
#include <microhttpd.h>
#include <stdbool.h>

#include "rs/request.h"

bool rs_guard_ratelimit_ip(struct rs_request *r, enum MHD_Result *answered);
bool rs_guard_ratelimit_account(struct rs_request *r, const char *email, enum MHD_Result *answered);

#endif
