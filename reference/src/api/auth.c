/* POST /api/auth/signup, /signin, /signout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_int.h"
#include "cmn/log.h"
#include "rs/api.h"
#include "rs/defect.h"
#include "rs/error.h"
#include "rs/guard/ratelimit.h"
#include "rs/password_async.h"
#include "rs/reply.h"
#include "rs/store/users.h"
#include "rs/token.h"
#include "rs/validate.h"

/* Returns new: the user object of a token response. */
static json_t *
auth_user_json(const struct rs_user *u)
{
    return json_pack("{s:s, s:s, s:o, s:b, s:s}", "id", u->id, "email", u->email, "username",
                     u->has_username ? json_string(u->username) : json_null(), "is_active",
                     u->is_active, "created_at", u->created_at);
}

static json_t *
auth_user_from_state(const json_t *st)
{
    return json_deep_copy(json_object_get(st, "user"));
}

/* Issues a token for user (a JSON user object) and answers status with the
 * token body and the cookie. */
static enum MHD_Result
auth_reply_token(struct rs_request *r, unsigned status, json_t *user)
{
    const struct rs_config *cfg = r->ctx->cfg;
    struct rs_token_key key = {(const unsigned char *)cfg->secret, cfg->secret_len};
    char *token = NULL;
    char cookie[RS_TOKEN_MAX + 160];
    int n;

    if (user == NULL)
        return rs_reply_internal(r);
    if (rs_token_issue(&key, json_string_value(json_object_get(user, "id")),
                       json_string_value(json_object_get(user, "email")), time(NULL),
                       RS_DEFECT(LIFETIME_30_DAYS) ? 30L * 86400 : cfg->token_lifetime_s,
                       &token) != 0) {
        json_decref(user);
        return rs_reply_internal(r);
    }
    n = snprintf(cookie, sizeof cookie, "access_token=%s; Path=/; Max-Age=%ld%s; SameSite=Lax%s",
                 token, cfg->token_lifetime_s, RS_DEFECT(COOKIE_NOT_HTTPONLY) ? "" : "; HttpOnly",
                 r->ctx->cookie_secure ? "; Secure" : "");
    if (n > 0 && (size_t)n < sizeof cookie && !RS_DEFECT(TOKEN_IN_BODY_ONLY))
        rs_reply_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    json_t *body =
        json_pack("{s:s, s:s, s:o}", "access_token", token, "token_type", "bearer", "user", user);
    explicit_bzero(token, strlen(token));
    free(token);
    return rs_reply_json(r, status, body);
}

/* Reads a required string member; answers 422 naming the field otherwise. */
static const char *
auth_field(struct rs_request *r, const json_t *body, const char *name, enum MHD_Result *answered)
{
    const json_t *v = json_object_get(body, name);
    char detail[96];

    if (v == NULL || json_is_null(v)) {
        snprintf(detail, sizeof detail, "%s: field required", name);
        *answered = rs_reply_detail(r, MHD_HTTP_UNPROCESSABLE_CONTENT, detail);
        return NULL;
    }
    if (!json_is_string(v)) {
        snprintf(detail, sizeof detail, "%s: must be a string", name);
        *answered = rs_reply_detail(r, MHD_HTTP_UNPROCESSABLE_CONTENT, detail);
        return NULL;
    }
    return json_string_value(v);
}

static enum MHD_Result
auth_hash_failed(struct rs_request *r)
{
    if (r->job.result == RS_E_CANCELLED)
        return rs_reply_unavailable(r);
    return rs_reply_internal(r);
}

/* ---- signup ---- */

static enum MHD_Result
signup_finish(struct rs_request *r)
{
    struct rs_user u;
    const json_t *st = r->state;
    const char *username = json_string_value(json_object_get(st, "username"));
    int rc;

    if (r->job.result != 0)
        return auth_hash_failed(r);
    rc = rs_store_user_insert(r->ctx->db, json_string_value(json_object_get(st, "email")),
                              r->job.hash, username, &u);
    explicit_bzero(r->job.hash, sizeof r->job.hash);
    if (rc == RS_E_CONFLICT) {
        cmn_log(CMN_LOG_INFO, "audit: signup refused reason=email-taken ip=%s", r->client_ip);
        return rs_reply_detail(r, MHD_HTTP_BAD_REQUEST, "Email already registered");
    }
    if (rc != 0)
        return rs__api_store_error(r, rc, "Not Found");
    cmn_log(CMN_LOG_INFO, "audit: signup user=%s ip=%s", u.id, r->client_ip);
    memcpy(r->user_id, u.id, sizeof r->user_id);
    return auth_reply_token(r, RS_DEFECT(SIGNUP_RETURNS_200) ? MHD_HTTP_OK : MHD_HTTP_CREATED,
                            auth_user_json(&u));
}

enum MHD_Result
rs_api_signup(struct rs_request *r)
{
    json_t *body = NULL;
    enum MHD_Result answered;
    const char *email, *password, *why;
    const json_t *uname;
    char norm[RS_EMAIL_MAX + 1];

    if (!rs__api_body_object(r, &body, &answered))
        return answered;
    email = auth_field(r, body, "email", &answered);
    if (email == NULL)
        goto refused;
    password = auth_field(r, body, "password", &answered);
    if (password == NULL)
        goto refused;
    if (rs_validate_email(email, norm, sizeof norm, &why) != 0 ||
        rs_validate_password(password, &why) != 0) {
        answered = rs_reply_detail(r, MHD_HTTP_UNPROCESSABLE_CONTENT, why);
        goto refused;
    }
    uname = json_object_get(body, "username");
    if (uname != NULL && !json_is_null(uname) &&
        (!json_is_string(uname) ||
         rs__api_chars(json_string_value(uname)) > RS_USERNAME_MAX_CHARS)) {
        answered =
            rs_reply_detail(r, MHD_HTTP_UNPROCESSABLE_CONTENT,
                            json_is_string(uname) ? "username: must be at most 100 characters"
                                                  : "username: must be a string or null");
        goto refused;
    }
    if (RS_DEFECT(DUPLICATE_SIGNUP_RACE) && rs_defect_signup_email_taken(r->ctx->db, norm)) {
        answered = rs_reply_detail(r, MHD_HTTP_BAD_REQUEST, "Email already registered");
        goto refused;
    }
    r->state =
        json_pack("{s:s, s:O?}", "email", norm, "username", json_is_string(uname) ? uname : NULL);
    if (r->state == NULL) {
        answered = rs_reply_internal(r);
        goto refused;
    }
    r->job.kind = RS_HASH_NEW;
    memcpy(r->job.password, password, strlen(password) + 1);
    json_decref(body);
    rs_password_async_submit(r, signup_finish);
    return MHD_YES;
refused:
    json_decref(body);
    return answered;
}

/* ---- signin ---- */

static enum MHD_Result
signin_fail(struct rs_request *r, const char *reason)
{
    cmn_log(CMN_LOG_INFO, "audit: signin failed reason=%s ip=%s", reason, r->client_ip);
    if (RS_DEFECT(USER_ENUMERATION) && strcmp(reason, "unknown-email") == 0)
        return rs_reply_detail(r, MHD_HTTP_UNAUTHORIZED, "No account with this email");
    return rs_reply_detail(
        r, RS_DEFECT(SIGNIN_WRONG_STATUS) ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_UNAUTHORIZED,
        "Invalid credentials");
}

static enum MHD_Result
signin_finish(struct rs_request *r)
{
    const json_t *st = r->state;
    json_t *user = json_object_get(st, "user");

    if (r->job.result == RS_E_CANCELLED || r->job.result == RS_E_NOMEM)
        return auth_hash_failed(r);
    if (!json_is_object(user))
        return signin_fail(r, "unknown-email");
    if (r->job.result != 0)
        return signin_fail(r, "wrong-password");
    /* Only now, with the password verified, may the answer say more. */
    if (!json_is_true(json_object_get(user, "is_active"))) {
        cmn_log(CMN_LOG_INFO, "audit: signin refused reason=inactive user=%s ip=%s",
                json_string_value(json_object_get(user, "id")), r->client_ip);
        return rs_reply_detail(r, MHD_HTTP_UNAUTHORIZED, "Account is inactive");
    }
    snprintf(r->user_id, sizeof r->user_id, "%s", json_string_value(json_object_get(user, "id")));
    cmn_log(CMN_LOG_INFO, "audit: signin user=%s ip=%s", r->user_id, r->client_ip);
    return auth_reply_token(r, RS_DEFECT(SIGNIN_RETURNS_201) ? MHD_HTTP_CREATED : MHD_HTTP_OK,
                            auth_user_from_state(st));
}

enum MHD_Result
rs_api_signin(struct rs_request *r)
{
    json_t *body = NULL;
    enum MHD_Result answered;
    const char *email, *password, *why;
    char norm[RS_EMAIL_MAX + 1];
    struct rs_user u;
    int rc;

    if (!rs__api_body_object(r, &body, &answered))
        return answered;
    email = auth_field(r, body, "email", &answered);
    if (email == NULL)
        goto done;
    password = auth_field(r, body, "password", &answered);
    if (password == NULL)
        goto done;
    if (rs_validate_email(email, norm, sizeof norm, &why) != 0) {
        /* Not an address anyone could have signed up with: same answer as
         * an unknown one, after the same work. */
        snprintf(norm, sizeof norm, "%s", "invalid@invalid.invalid");
    }
    if (!rs_guard_ratelimit_account(r, norm, &answered))
        goto done;
    rc = rs_store_user_by_email(r->ctx->db, norm, &u);
    if (rc == 0 && RS_DEFECT(SIGNIN_EMAIL_CASE_SENSITIVE) && strcmp(u.email, email) != 0)
        rc = RS_E_NOTFOUND; /* as a lookup of the email as typed would */
    if (rc != 0 && rc != RS_E_NOTFOUND) {
        answered = rs__api_store_error(r, rc, "Not Found");
        goto done;
    }
    if (rc == RS_E_NOTFOUND && RS_DEFECT(SLOW_UNKNOWN_EMAIL)) {
        answered = signin_fail(r, "unknown-email"); /* no dummy hash: at once */
        goto done;
    }
    r->state = rc == 0 ? json_pack("{s:o}", "user", auth_user_json(&u)) : json_object();
    if (r->state == NULL) {
        answered = rs_reply_internal(r);
        goto done;
    }
    r->job.kind = RS_HASH_VERIFY;
    /* Unknown email: verify against a dummy hash, so both answers take as long. */
    snprintf(r->job.hash, sizeof r->job.hash, "%s",
             rc == 0 ? u.hashed_password : r->ctx->dummy_hash);
    explicit_bzero(u.hashed_password, sizeof u.hashed_password);
    snprintf(r->job.password, sizeof r->job.password, "%.*s", RS_PASSWORD_MAX_BYTES, password);
    if (strlen(password) > RS_PASSWORD_MAX_BYTES) /* never matches: same work anyway */
        snprintf(r->job.hash, sizeof r->job.hash, "%s", r->ctx->dummy_hash);
    json_decref(body);
    rs_password_async_submit(r, signin_finish);
    return MHD_YES;
done:
    json_decref(body);
    return answered;
}

/* ---- signout ---- */

enum MHD_Result
rs_api_signout(struct rs_request *r)
{
    char cookie[160];

    snprintf(cookie, sizeof cookie, "access_token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s",
             r->ctx->cookie_secure ? "; Secure" : "");
    if (!RS_DEFECT(SIGNOUT_KEEPS_COOKIE))
        rs_reply_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    return rs_reply_empty(r, MHD_HTTP_NO_CONTENT);
}
