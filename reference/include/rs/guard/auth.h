#ifndef RS_GUARD_AUTH_H
#define RS_GUARD_AUTH_H
/*
 * Authentication and ownership checks (guard/auth.c), run by the router
 * before a handler. Each check returns true to let the request through;
 * false when it has answered the request itself (the MHD result is then in
 * *answered).
 */
#include <microhttpd.h>
#include <stdbool.h>

#include "rs/request.h"

/* The token from Authorization: Bearer or the access_token cookie, checked
 * without the database; sets r->user_id. 401 otherwise (with
 * WWW-Authenticate: Bearer, as every 401: see rs/reply.h). */
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
