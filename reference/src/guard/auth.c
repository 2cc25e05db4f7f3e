/* Authentication (token -> user) and ownership of the path's {user_id}. */
#include "rs/guard/auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmn/log.h"
#include "cmn/text.h"
#include "rs/defect.h"
#include "rs/error.h"
#include "rs/reply.h"
#include "rs/store/users.h"
#include "rs/token.h"

static enum MHD_Result
auth_refuse(struct rs_request *r, const char *detail, const char *reason)
{
    if (reason != NULL)
        cmn_log(CMN_LOG_INFO, "audit: token refused reason=%s ip=%s path=%s", reason, r->client_ip,
                r->log_path);
    return rs_reply_detail(r, MHD_HTTP_UNAUTHORIZED, detail);
}

/* Borrowed: the token of the request, NULL when there is none or the
 * Authorization header is not "Bearer <token>". */
static const char *
auth_token_of(const struct rs_request *r, bool *malformed)
{
    const char *h = rs_request_header(r, MHD_HTTP_HEADER_AUTHORIZATION);

    *malformed = false;
    if (h != NULL) {
        if (strncasecmp(h, "Bearer ", 7) != 0) {
            if (RS_DEFECT(ANY_AUTH_SCHEME))
                return rs_defect_auth_any_scheme(h);
            *malformed = true;
            return NULL;
        }
        h += 7;
        while (*h == ' ')
            h++;
        if (*h == '\0') {
            *malformed = true;
            return NULL;
        }
        return h;
    }
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "access_token");
}

bool
rs_guard_auth(struct rs_request *r, enum MHD_Result *answered)
{
    const struct rs_config *cfg = r->ctx->cfg;
    struct rs_token_key key = {(const unsigned char *)cfg->secret, cfg->secret_len};
    struct rs_token_claims claims;
    bool malformed;
    const char *token = auth_token_of(r, &malformed);
    int rc;

    if (token == NULL || *token == '\0') {
        *answered = RS_DEFECT(MISSING_TOKEN_403)
                        ? rs_reply_detail(r, MHD_HTTP_FORBIDDEN, "Not authenticated")
                        : auth_refuse(r, "Authentication required", NULL);
        return false;
    }
    rc = rs_token_verify(&key, token, time(NULL), cfg->clock_skew_s, &claims);
    if (rc == RS_E_EXPIRED) {
        *answered = auth_refuse(r, "Token has expired", "expired");
        return false;
    }
    if (rc != 0) {
        *answered = RS_DEFECT(INVALID_TOKEN_403)
                        ? rs_reply_detail(r, MHD_HTTP_FORBIDDEN, "Could not validate credentials")
                        : auth_refuse(r, "Invalid token", "invalid");
        return false;
    }
    memcpy(r->user_id, claims.user_id, sizeof r->user_id);
    return true;
}

enum MHD_Result
rs_guard_account_refused(struct rs_request *r, int rc)
{
    return auth_refuse(r, "Invalid token",
                       rc == RS_E_ACCOUNT_INACTIVE ? "inactive-user" : "unknown-user");
}

bool
rs_guard_account(struct rs_request *r, enum MHD_Result *answered)
{
    bool active = false;
    int rc = rs_store_user_active(r->ctx->db, r->user_id, &active);

    if (rc == RS_E_DB || rc == RS_E_BUSY) {
        *answered = rs_reply_unavailable(r);
        return false;
    }
    if (rc != 0 || !active) {
        *answered = rs_guard_account_refused(r, rc != 0 ? RS_E_ACCOUNT_UNKNOWN
                                                        : RS_E_ACCOUNT_INACTIVE);
        return false;
    }
    return true;
}

bool
rs_guard_owner(struct rs_request *r, enum MHD_Result *answered)
{
    if ((RS_DEFECT(ISOLATION_READ_BYPASS) || RS_DEFECT(ISOLATION_WRITE_BYPASS) ||
         RS_DEFECT(ISOLATION_CASE_BYPASS)) &&
        rs_defect_owner_bypass(r))
        return true;
    /* Byte for byte: the path is not percent-decoded and case counts. */
    if (!r->path_user_id_long && r->user_id[0] != '\0' && strcmp(r->path_user_id, r->user_id) == 0)
        return true;
    cmn_log(CMN_LOG_INFO, "audit: access denied user=%s ip=%s path=%s", r->user_id, r->client_ip,
            r->log_path);
    *answered = RS_DEFECT(NON_UUID_USER_404) && !cmn_text_is_uuid(r->path_user_id)
                    ? rs_reply_detail(r, MHD_HTTP_NOT_FOUND, "Not Found")
                    : rs_reply_detail(r, MHD_HTTP_FORBIDDEN,
                                      "Access denied: cannot access other users' resources");
    return false;
}
