/* The run's users: generated credentials and their signup on the target (see run/runner_int.h). */
#include "run/runner_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cmn/clock.h"
#include "cmn/json.h"
#include "cmn/log.h"
#include "cmn/version.h"
#include "net/http_int.h"
#include "hx/expect.h"
#include "hx/header_values.h"
#include "hx/jsonpath.h"
#include "hx/jwt.h"
#include "hx/signup_extra.h"
#include "run/runner_int.h"

static bool
run_is_ident(const char *s, size_t n)
{
    if (n == 0 || s[0] < 'a' || s[0] > 'z')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

static int
run_generate(void *ud, struct hx_vars *v, const char *name)
{
    struct hx_run *run = ud;
    const char *dot = strchr(name, '.');
    char ident[64], key[128], val[256], pw[24];
    const char *scope = hx_vars_get(v, "run.scope");
    size_t il;

    if (dot == NULL || scope == NULL)
        return HX_E_NOTFOUND;
    il = (size_t)(dot - name);
    if (il >= sizeof ident || !run_is_ident(name, il) ||
        (strcmp(dot + 1, "email") != 0 && strcmp(dot + 1, "password") != 0 &&
         strcmp(dot + 1, "username") != 0))
        return HX_E_NOTFOUND;
    memcpy(ident, name, il);
    ident[il] = '\0';
    if (strcmp(ident, "run") == 0 || hx_profile_get(run->profile, ident) != NULL)
        return HX_E_NOTFOUND;

    snprintf(key, sizeof key, "%s.email", ident);
    snprintf(val, sizeof val, "%s-%s-%s@%s", ident, run->run_id, scope, run->profile->email_domain);
    if (hx_vars_set(v, key, val) != 0)
        return HX_E_NOMEM;
    /* 16 random characters (~95 bits) and a tail that satisfies any
     * character-class rule. */
    hx_rng_string(&run->rng, "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", pw, 16);
    snprintf(val, sizeof val, "%s-Aa1", pw);
    snprintf(key, sizeof key, "%s.password", ident);
    if (hx_vars_set(v, key, val) != 0 || hx_redactor_add(&run->red, val) != 0)
        return HX_E_NOMEM;
    snprintf(key, sizeof key, "%s.username", ident);
    snprintf(val, sizeof val, "%s_%s", ident, run->run_id);
    if (hx_vars_set(v, key, val) != 0)
        return HX_E_NOMEM;
    return 0;
}

struct hx_vars *
hx__run_scope_new(struct hx_run *run, unsigned scope)
{
    struct hx_vars *v = hx_vars_new(run->vars);
    char s[16];

    if (v == NULL)
        return NULL;
    snprintf(s, sizeof s, "%03u", scope);
    if (hx_vars_set(v, "run.scope", s) != 0) {
        hx_vars_free(v);
        return NULL;
    }
    hx_vars_set_generator(v, run_generate, run);
    return v;
}

int
hx__run_signup_request(struct hx_run *run, struct hx_vars *vars, const char *name,
                       struct run_req *rq)
{
    const char *scope_text = hx_vars_get(vars, "run.scope");
    unsigned scope = scope_text ? (unsigned)strtoul(scope_text, NULL, 10) : 0;
    const struct hx_profile *p = run->profile;
    char key[128];
    json_t *body = json_object();
    const char *email, *password, *username;

    snprintf(key, sizeof key, "%s.email", name);
    email = hx_vars_get(vars, key);
    snprintf(key, sizeof key, "%s.password", name);
    password = hx_vars_get(vars, key);
    snprintf(key, sizeof key, "%s.username", name);
    username = hx_vars_get(vars, key);
    if (body == NULL || email == NULL || password == NULL || username == NULL) {
        json_decref(body);
        return HX_E_INVAL;
    }
    json_object_set_new(body, p->email_field, json_string(email));
    json_object_set_new(body, p->password_field, json_string(password));
    json_object_set_new(body, p->username_field, json_string(username));
    /* what else the target's signup requires (fields.extra) */
    if (hx_signup_extra_add(p->root, body, email, password, username, NULL) != 0) {
        json_decref(body);
        return HX_E_INVAL;
    }
    rq->body = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    rq->url = hx__run_url(run, p->signup_path);
    if (rq->body == NULL || rq->url == NULL)
        return HX_E_NOMEM;
    rq->req.body_len = strlen(rq->body);
    if (hx__run_req_header(rq, "Content-Type", "application/json") != 0 ||
        hx__run_req_client(run, rq, scope) != 0)
        return HX_E_NOMEM;
    hx__run_req_finish(rq, "POST");
    rq->follow_same_route = true;
    return 0;
}

/* Reads a token and a user id out of a signup/signin answer. Lenient on
 * purpose: the signup scenarios judge the answer; setup only needs an account. */
/* The start of a response body for a message, redacted like all evidence. */
void
hx__run_body_preview(struct hx_run *run, const struct hx_response *resp, char *out, size_t out_size)
{
    char raw[200];
    char *red;

    hx_expect_body_preview(resp, raw, sizeof raw);
    red = hx_redact_text_new(&run->red, raw, strlen(raw));
    snprintf(out, out_size, "%s", red != NULL ? red : "");
    free(red);
}

int
hx__run_signup_judge(struct hx_run *run, struct hx_vars *vars, const char *name,
                     const struct hx_response *resp, struct hx_step_result *step)
{
    const struct hx_profile *p = run->profile;
    json_t *doc = NULL, *tok = NULL, *uid = NULL;
    char *token = NULL, *session = NULL, key[128];
    const char *session_at;
    const char *user_id = NULL;
    char uid_buf[128] = "";
    char perr[96] = "";
    int rc = HX_E_INVAL;

    if (resp->error != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "setup.transport", "setup: could not sign %s up: %s",
                    name, resp->error_text);
        return rc;
    }
    if (resp->status < 200 || resp->status > 299) {
        char body[200];
        hx__run_body_preview(run, resp, body, sizeof body);
        hx_step_set(step, resp->status == 429 ? HX_STATUS_SKIP : HX_STATUS_ERROR, "setup.signup",
                    "setup: could not sign %s up: %s answered %ld (%s)", name, p->signup_path,
                    resp->status, body);
        return rc;
    }
    if (resp->body.len > 0)
        doc = cmn_json_parse_strict(resp->body.data, resp->body.len, 64, perr, sizeof perr);
    session_at = json_string_value(hx_profile_get(p, "auth.session"));
    if (session_at != NULL) {
        token = hx__run_credential_at(resp, doc, session_at);
    } else {
        if (doc != NULL && hx_jsonpath_get(doc, p->token_path, &tok, NULL) == 0 &&
            json_is_string(tok))
            token = strdup(json_string_value(tok));
        if (token == NULL && p->cookie_name != NULL)
            token = hx_response_cookie(resp, p->cookie_name);
    }
    if (token != NULL && hx_profile_get(p, "auth.exchange") != NULL) {
        /* the session credential is for the auth routes; the API's is its exchange */
        const char *scope = hx_vars_get(vars, "run.scope");
        hx_redactor_add(&run->red, token);
        session = token;
        token = NULL;
        if (hx__run_exchange(run, scope ? (unsigned)strtoul(scope, NULL, 10) : 0, session, step,
                             &token) != 0)
            goto out;
    }
    if (doc != NULL && hx_jsonpath_get(doc, p->user_id_path, &uid, NULL) == 0) {
        if (json_is_string(uid))
            user_id = json_string_value(uid);
        else if (json_is_integer(uid)) {
            snprintf(uid_buf, sizeof uid_buf, "%lld", (long long)json_integer_value(uid));
            user_id = uid_buf;
        }
    }
    if (user_id == NULL && token != NULL) {
        /* the user id claim of the token, when the body does not carry it */
        struct hx_jwt jwt = {0};
        const json_t *claims = hx_jwt_parse(token, &jwt, NULL, 0) == 0 ? jwt.payload : NULL;
        const char *claim = json_string_value(hx_profile_get(p, "token.user_id_claim"));
        const json_t *c = claims && claim ? json_object_get(claims, claim) : NULL;
        if (json_is_string(c))
            snprintf(uid_buf, sizeof uid_buf, "%s", json_string_value(c));
        else if (json_is_integer(c))
            snprintf(uid_buf, sizeof uid_buf, "%lld", (long long)json_integer_value(c));
        if (uid_buf[0] != '\0')
            user_id = uid_buf;
        hx_jwt_cleanup(&jwt);
    }
    if (token == NULL || user_id == NULL) {
        char body[200], why[160] = "";
        hx__run_body_preview(run, resp, body, sizeof body);
        if (doc == NULL && resp->body.len > 0)
            snprintf(why, sizeof why, "; the answer is not JSON (%s)", perr);
        hx_step_set(step, HX_STATUS_ERROR, "setup.signup",
                    "setup: signed %s up (%ld) but found no %s in the answer (profile: %s "
                    "= %s)%s%s%s",
                    name, resp->status, token == NULL ? "token" : "user id",
                    token == NULL ? (session_at != NULL ? "auth.session" : "fields.token")
                                  : "fields.user_id",
                    token == NULL ? (session_at != NULL ? session_at : p->token_path)
                                  : p->user_id_path,
                    why, body[0] != '\0' ? "; body: " : "", body);
        goto out;
    }
    hx_redactor_add(&run->red, token);
    snprintf(key, sizeof key, "%s.token", name);
    if (hx_vars_set(vars, key, token) != 0)
        goto out;
    snprintf(key, sizeof key, "%s.user_id", name);
    if (hx_vars_set(vars, key, user_id) != 0)
        goto out;
    /* the credential of the auth routes (signout, the exchange): the session's
     * when there is an exchange, the token itself otherwise */
    snprintf(key, sizeof key, "%s.session", name);
    if (hx_vars_set(vars, key, session != NULL ? session : token) != 0)
        goto out;
    rc = 0;
out:
    free(session);
    free(token);
    json_decref(tok);
    json_decref(uid);
    json_decref(doc);
    return rc;
}

int
hx__run_signup_blocking(struct hx_run *run, struct hx_vars *vars, const char *name,
                        struct hx_step_result *step)
{
    struct run_req rq;
    struct hx_response resp;
    int rc;

    memset(&rq, 0, sizeof rq);
    rc = hx__run_signup_request(run, vars, name, &rq);
    if (rc != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "setup", "setup: cannot build the signup of %s: %s",
                    name, hx_strerror(rc));
        hx__run_req_cleanup(&rq);
        return rc;
    }
    hx_response_init(&resp, HX_BODY_MAX);
    struct run_step_sender ss = {run, step};
    const struct run_sender via = hx__run_step_sender(&ss);
    struct hx_request final;
    char *url;
    hx__run_perform(run, &via, &rq.req, &resp, &final, &url);
    hx__run_record(run, step, &final, &resp);
    free(url);
    rc = hx__run_signup_judge(run, vars, name, &resp, step);
    hx_response_cleanup(&resp);
    hx__run_req_cleanup(&rq);
    return rc;
}
