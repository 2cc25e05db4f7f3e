/* One scenario on the run's loop, step by step: setup signups, requests with their
 * expectations and captures, probe threads, retries and 429 waits (see run/runner_int.h). */
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
#include "hx/error_answer.h"
#include "hx/expect.h"
#include "hx/header_values.h"
#include "hx/jsonpath.h"
#include "hx/jwt.h"
#include "hx/redirect.h"
#include "hx/signup_extra.h"
#include "run/runner_int.h"

void
hx__loop_progress(struct run_loop *L)
{
    if (L->hooks && L->hooks->progress)
        L->hooks->progress(L->hooks->ud, L->running, L->done, L->n);
}

void
hx__scen_finish(struct run_loop *L, struct run_scen *s)
{
    if (s->state == SCEN_DONE)
        return;
    if (s->state != SCEN_PENDING) {
        L->running--;
        s->kase->seconds = cmn_clock_now_s() - s->case_t0;
        if (s->kase->seconds <= 0)
            s->kase->seconds = 1e-6;
    }
    s->state = SCEN_DONE;
    if (s->sc->exclusive)
        L->alone = false;
    json_decref(s->expanded);
    s->expanded = NULL;
    hx__run_req_cleanup(&s->rq);
    hx_response_cleanup(&s->resp);
    hx_vars_free(s->vars);
    s->vars = NULL;
    hx_case_finish(s->kase);
    L->done++;
    if (L->hooks && L->hooks->case_done)
        L->hooks->case_done(L->hooks->ud, s->kase, L->running, L->done, L->n);
}

/* Ends the current step with a verdict (PASS moves on, anything else ends
 * the scenario). */
void
hx__scen_step_end(struct run_loop *L, struct run_scen *s)
{
    s->cur->seconds = cmn_clock_now_s() - s->step_t0;
    s->cur_open = false;
    json_decref(s->expanded);
    s->expanded = NULL;
    hx__run_req_cleanup(&s->rq);
    hx_response_cleanup(&s->resp);
    if (s->cur->status != HX_STATUS_PASS) {
        hx__scen_finish(L, s);
        return;
    }
    s->step++;
    s->attempts = 0;
    s->waits429 = 0;
    s->waited429 = 0;
    s->route_redirects = 0;
    s->state = SCEN_READY;
}

static void scen_error(struct run_loop *L, struct run_scen *s, const char *type, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));

static void
scen_error(struct run_loop *L, struct run_scen *s, const char *type, const char *fmt, ...)
{
    char msg[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hx_step_set(s->cur, HX_STATUS_ERROR, type, "%s", msg);
    hx__scen_step_end(L, s);
}

static bool
scen_is_setup(const struct run_scen *s)
{
    return s->step < s->sc->n_identities;
}

static const struct hx_step *
scen_step(const struct run_scen *s)
{
    return &s->sc->steps[s->step - s->sc->n_identities];
}

/* Builds the HTTP request of an expanded request step. */
static int
scen_build_request(struct run_scen *s, const json_t *req, struct hx_error *err)
{
    struct hx_run *run = s->run;
    const struct hx_profile *p = run->profile;
    const char *method = json_string_value(json_object_get(req, "method"));
    const char *path = json_string_value(json_object_get(req, "path"));
    const json_t *params = json_object_get(req, "path_params");
    const json_t *hdrs = json_object_get(req, "headers");
    const json_t *as = json_object_get(req, "as");
    const json_t *tokj = json_object_get(req, "token");
    const char *via = json_string_value(json_object_get(req, "via"));
    const json_t *v;
    const char *k;
    char filled[4096];
    const char *token = NULL;
    int rc;

    if (method == NULL || path == NULL) {
        hx_error_set(err, NULL, 0, "request: method and path are required");
        return HX_E_PARSE;
    }
    rc = hx_path_fill(path, params, filled, sizeof filled, err);
    if (rc != 0)
        return rc;
    s->rq.url = hx__run_url(run, filled);
    if (s->rq.url == NULL)
        return HX_E_NOMEM;
    json_object_foreach((json_t *)hdrs, k, v)
    {
        if (!json_is_string(v)) {
            hx_error_set(err, NULL, 0, "request.headers.%s: expected a string", k);
            return HX_E_PARSE;
        }
        if ((rc = hx__run_req_header(&s->rq, k, json_string_value(v))) != 0)
            return rc;
    }
    if (json_is_string(tokj)) {
        token = json_string_value(tokj);
    } else if (json_is_string(as)) {
        char key[128];
        /* the auth routes (signout, the exchange) take the session credential,
         * every other route the API credential */
        snprintf(key, sizeof key, "%s.session", json_string_value(as));
        if (!hx__run_is_auth_route(run, filled) || !hx_vars_has(s->vars, key))
            snprintf(key, sizeof key, "%s.token", json_string_value(as));
        token = hx_vars_get(s->vars, key);
        if (token == NULL) {
            hx_error_set(err, NULL, 0, "request.as: %s has no token (not signed up)",
                         json_string_value(as));
            return HX_E_PARSE;
        }
    }
    if (token != NULL) {
        bool header, cookie;
        if (via == NULL || strcmp(via, "profile") == 0) {
            header = p->transport != HX_TRANSPORT_COOKIE;
            cookie = p->transport == HX_TRANSPORT_COOKIE;
        } else {
            header = strcmp(via, "header") == 0 || strcmp(via, "both") == 0;
            cookie = strcmp(via, "cookie") == 0 || strcmp(via, "both") == 0;
        }
        if (header && !hx__run_req_has_header(&s->rq, "Authorization")) {
            char *line;
            if (asprintf(&line, "%s %s", p->scheme, token) < 0)
                return HX_E_NOMEM;
            rc = hx__run_req_header(&s->rq, "Authorization", line);
            free(line);
            if (rc != 0)
                return rc;
        }
        if (cookie && p->cookie_name != NULL) {
            char *line;
            if (asprintf(&line, "%s=%s", p->cookie_name, token) < 0)
                return HX_E_NOMEM;
            rc = hx__run_req_header(&s->rq, "Cookie", line);
            free(line);
            if (rc != 0)
                return rc;
        }
    }
    if ((v = json_object_get(req, "json")) != NULL) {
        s->rq.body = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (s->rq.body == NULL)
            return HX_E_NOMEM;
        if (!hx__run_req_has_header(&s->rq, "Content-Type") &&
            (rc = hx__run_req_header(&s->rq, "Content-Type", "application/json")) != 0)
            return rc;
    } else if ((v = json_object_get(req, "body")) != NULL) {
        s->rq.body = strdup(json_string_value(v));
        if (s->rq.body == NULL)
            return HX_E_NOMEM;
    }
    if ((rc = hx__run_req_client(run, &s->rq, s->scope)) != 0)
        return rc;
    s->rq.req.body_len = s->rq.body ? strlen(s->rq.body) : 0;
    /* absent: same-route redirects only; false: none (the quickstart's curl);
     * true: any, through libcurl */
    s->rq.req.follow_redirects = json_is_true(json_object_get(req, "follow_redirects"));
    s->rq.follow_same_route = json_object_get(req, "follow_redirects") == NULL;
    if (json_is_number(json_object_get(req, "timeout")))
        s->rq.req.timeout_ms = (long)(json_number_value(json_object_get(req, "timeout")) * 1000);
    s->rq.req.method = NULL;
    hx__run_req_finish(&s->rq, method);
    return 0;
}

/* While a check measures the target (hx/quiet.h), a step waits this long
 * before it looks again. */
#define SCEN_QUIET_RECHECK_S 0.02

static int
scen_add_transfer(struct run_loop *L, struct run_scen *s)
{
    double wait;
    int rc;

    if (!hx_quiet_try_enter(&L->run->quiet)) {
        s->wake_at = cmn_clock_now_s() + SCEN_QUIET_RECHECK_S;
        s->state = SCEN_SLEEP;
        return 0;
    }
    wait = hx__run_pace(L->run, s->rq.req.url);
    if (wait > 0) {
        hx_quiet_leave(&L->run->quiet);
        /* the route's pace, or a 429 met by anyone: the step starts again
         * when it may leave */
        hx_pacer_count_wait(&L->run->pacer, wait);
        s->wake_at = cmn_clock_now_s() + wait;
        s->state = SCEN_SLEEP;
        return 0;
    }
    hx_response_cleanup(&s->resp);
    hx_response_init(&s->resp, HX_BODY_MAX);
    rc = hx__http_transfer_new(&L->run->http, &s->rq.req, &s->resp, &s->xfer);
    if (rc != 0) {
        hx_quiet_leave(&L->run->quiet);
        return rc;
    }
    s->on_wire = true;
    curl_easy_setopt(hx__http_transfer_easy(s->xfer), CURLOPT_PRIVATE, s);
    if (curl_multi_add_handle(L->multi, hx__http_transfer_easy(s->xfer)) != CURLM_OK) {
        hx__http_transfer_free(s->xfer);
        s->xfer = NULL;
        s->on_wire = false;
        hx_quiet_leave(&L->run->quiet);
        return HX_E_NOMEM;
    }
    s->state = SCEN_HTTP;
    return 0;
}

static void *
scen_probe_main(void *arg)
{
    struct run_scen *s = arg;
    size_t idx = s->index;
    ssize_t w;

    s->probe->run(&s->pctx, s->expanded, s->cur);
    hx_probe_measure_end(&s->pctx); /* a probe that returned holding the target quiet */
    do
        w = write(s->notify_fd, &idx, sizeof idx);
    while (w < 0 && errno == EINTR);
    return NULL;
}

/* The identity a raw signup body is about: the NAME of the first
 * "${NAME.email}" (else "${NAME.password}", "${NAME.username}") among its
 * values, written into ident; false when it names none. */
static bool
scen_signup_ident(const json_t *raw_json, char *ident, size_t size)
{
    static const char *const attrs[] = {"email", "password", "username", NULL};

    for (const char *const *a = attrs; *a != NULL; a++) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)raw_json, k, v)
        {
            const char *t = json_string_value(v);
            const char *dot;
            size_t n, al = strlen(*a);
            if (t == NULL || strncmp(t, "${", 2) != 0 || (dot = strchr(t + 2, '.')) == NULL)
                continue;
            n = (size_t)(dot - (t + 2));
            if (n == 0 || n >= size || strncmp(dot + 1, *a, al) != 0 ||
                (dot[1 + al] != '}' && dot[1 + al] != '|'))
                continue;
            memcpy(ident, t + 2, n);
            ident[n] = '\0';
            return true;
        }
    }
    return false;
}

/* A request step that signs up (a JSON object to the profile's signup
 * route) carries what else the target's signup requires (fields.extra),
 * where the scenario's body lacks it: the checks of a signup judge what
 * they are about, not a missing required field. ${identity.*} in those
 * values is the identity the body names (raw: the step as written), or a
 * generated "signup" identity. Returns 0, or an error with err. */
static int
scen_signup_extra(struct run_scen *s, const json_t *raw, struct hx_error *err)
{
    const struct hx_profile *p = s->run->profile;
    json_t *req = json_object_get(s->expanded, "request");
    json_t *body = json_object_get(req, "json");
    const char *path = json_string_value(json_object_get(req, "path"));
    const char *email, *password, *username;
    char ident[64], key[128];

    if (!json_is_object(body) || path == NULL || p->signup_path == NULL ||
        strncmp(path, p->signup_path, strlen(p->signup_path)) != 0 ||
        (path[strlen(p->signup_path)] != '\0' && path[strlen(p->signup_path)] != '?'))
        return 0;
    if (!scen_signup_ident(json_object_get(raw, "json"), ident, sizeof ident))
        snprintf(ident, sizeof ident, "signup");
    snprintf(key, sizeof key, "%s.email", ident);
    email = hx_vars_get(s->vars, key);
    snprintf(key, sizeof key, "%s.password", ident);
    password = hx_vars_get(s->vars, key);
    snprintf(key, sizeof key, "%s.username", ident);
    username = hx_vars_get(s->vars, key);
    return hx_signup_extra_add(p->root, body, email, password, username, err);
}

void
hx__scen_start_step(struct run_loop *L, struct run_scen *s)
{
    struct hx_error err = {0};
    char kind[96];
    int rc;

    if (s->step >= s->plan_len) {
        hx__scen_finish(L, s);
        return;
    }
    if (L->run->stop != NULL && *L->run->stop) {
        if (!s->cur_open) {
            s->cur = hx_case_add_step(s->kase, "interrupted", "request");
            s->cur_open = s->cur != NULL;
        }
        if (s->cur != NULL)
            hx_step_set(s->cur, HX_STATUS_SKIP, "interrupted", "interrupted before this step ran");
        hx__scen_finish(L, s);
        return;
    }
    if (!s->cur_open) {
        if (scen_is_setup(s)) {
            char name[160];
            snprintf(name, sizeof name, "sign up %s", s->sc->identities[s->step]);
            s->cur = hx_case_add_step(s->kase, name, "setup");
        } else {
            const struct hx_step *st = scen_step(s);
            if (st->probe != NULL)
                snprintf(kind, sizeof kind, "probe:%s", st->probe);
            else
                snprintf(kind, sizeof kind, "request");
            s->cur = hx_case_add_step(s->kase, st->name, kind);
        }
        if (s->cur == NULL) {
            hx__scen_finish(L, s);
            return;
        }
        s->cur_open = true;
        s->step_t0 = cmn_clock_now_s();
    }
    hx__run_req_cleanup(&s->rq);

    if (scen_is_setup(s)) {
        rc = hx__run_signup_request(L->run, s->vars, s->sc->identities[s->step], &s->rq);
        if (rc == 0)
            rc = scen_add_transfer(L, s);
        if (rc != 0)
            scen_error(L, s, "setup", "setup: cannot build the signup request: %s",
                       hx_strerror(rc));
        return;
    }

    {
        const struct hx_step *st = scen_step(s);
        if (st->probe != NULL) {
            s->probe = hx_probe_find(st->probe);
            if (s->probe == NULL) {
                scen_error(L, s, "scenario", "scenario: no probe called %s", st->probe);
                return;
            }
            json_decref(s->expanded);
            s->expanded = st->args ? hx_vars_expand_json(s->vars, st->args, &err) : json_object();
            if (s->expanded == NULL) {
                scen_error(L, s, "scenario", "scenario: args: %s", err.text);
                return;
            }
            s->pctx.run = L->run;
            s->pctx.vars = s->vars;
            s->pctx.scope = s->scope;
            s->pctx.step = s->cur;
            s->pctx.kept = s->pctx.dropped = 0;
            s->pctx.redirect_noted = false;
            s->pctx.floods = s->probe->floods;
            s->notify_fd = L->pipe_w;
            s->state = SCEN_PROBE;
            if (pthread_create(&s->thread, NULL, scen_probe_main, s) != 0) {
                s->state = SCEN_READY;
                scen_error(L, s, "runner", "runner: cannot start the probe thread: %s",
                           strerror(errno));
            }
            return;
        }
        if (s->expanded == NULL) {
            json_t *whole = json_object();
            json_object_set(whole, "request", (json_t *)st->request);
            if (st->expect)
                json_object_set(whole, "expect", (json_t *)st->expect);
            if (st->capture)
                json_object_set(whole, "capture", (json_t *)st->capture);
            s->expanded = hx_vars_expand_json(s->vars, whole, &err);
            json_decref(whole);
            if (s->expanded == NULL) {
                scen_error(L, s, "scenario", "scenario: %s", err.text);
                return;
            }
            if ((rc = scen_signup_extra(s, st->request, &err)) != 0) {
                scen_error(L, s, "scenario", "scenario: fields.extra: %s",
                           rc == HX_E_PARSE ? err.text : hx_strerror(rc));
                return;
            }
        }
        rc = scen_build_request(s, json_object_get(s->expanded, "request"), &err);
        if (rc != 0) {
            scen_error(L, s, "scenario", "scenario: %s", err.text[0] ? err.text : hx_strerror(rc));
            return;
        }
        rc = scen_add_transfer(L, s);
        if (rc != 0)
            scen_error(L, s, "runner", "runner: cannot start the request: %s", hx_strerror(rc));
    }
}

static bool
scen_expects_status(const json_t *expect, long status)
{
    const json_t *st = json_object_get(expect, "status");
    size_t i;
    json_t *c;

    if (json_is_integer(st))
        return json_integer_value(st) == status;
    json_array_foreach((json_t *)st, i, c) if (json_integer_value(c) == status) return true;
    return false;
}

static int
scen_capture(struct run_scen *s, const json_t *capture, char *why, size_t why_size)
{
    const char *name;
    json_t *src;
    json_t *doc = NULL;
    int rc = 0;

    json_object_foreach((json_t *)capture, name, src)
    {
        const char *from = json_string_value(src);
        char *value = NULL;
        if (strncmp(from, "header:", 7) == 0) {
            const char *h = hx_response_header(&s->resp, from + 7);
            value = h ? strdup(h) : NULL;
        } else if (strncmp(from, "cookie:", 7) == 0) {
            value = hx_response_cookie(&s->resp, from + 7);
        } else {
            json_t *v = NULL;
            if (doc == NULL && s->resp.body.len > 0)
                doc = cmn_json_parse_strict(s->resp.body.data, s->resp.body.len, 64, NULL, 0);
            if (doc != NULL && hx_jsonpath_get(doc, from, &v, NULL) == 0 && v != NULL &&
                !json_is_string(v)) {
                /* typed: "${user_id}" stays a number where the target sent one */
                rc = hx_vars_set_json(s->vars, name, v);
                json_decref(v);
                if (rc != 0)
                    break;
                continue;
            }
            if (v != NULL)
                value = strdup(json_string_value(v));
            json_decref(v);
        }
        if (value == NULL) {
            snprintf(why, why_size, "capture %s: nothing at %s in the response", name, from);
            rc = HX_E_NOTFOUND;
            break;
        }
        if (strstr(name, "token") || strstr(name, "password") || strstr(name, "secret") ||
            strstr(name, "cookie"))
            hx_redactor_add(&s->run->red, value);
        rc = hx_vars_set(s->vars, name, value);
        free(value);
        if (rc != 0)
            break;
    }
    json_decref(doc);
    return rc;
}

static const char *
run_transport_type(const struct hx_response *r)
{
    switch (r->curl_code) {
    case CURLE_OPERATION_TIMEDOUT:
        return "transport.timeout";
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
        return "transport.refused";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
        return "transport.tls";
    case CURLE_TOO_MANY_REDIRECTS:
        return "transport.redirects";
    default:
        return "transport.error";
    }
}

/* When the answer is a same-route redirect to follow (hx/redirect.h),
 * sends the request again to its Location and returns true. */
static bool
scen_follow_same_route(struct run_loop *L, struct run_scen *s)
{
    char *next, note[900];

    if (!s->rq.follow_same_route || s->route_redirects >= RUN_MAX_ROUTE_REDIRECTS ||
        !hx_redirect_same_route(s->rq.url, &s->resp, &next))
        return false;
    hx_redirect_note(s->rq.url, next, s->resp.status, note, sizeof note);
    hx_step_add_note(s->cur, "%s", note);
    free(s->rq.url);
    s->rq.url = next;
    s->rq.req.url = next;
    s->route_redirects++;
    if (scen_add_transfer(L, s) != 0)
        scen_error(L, s, "runner", "runner: cannot follow the redirect: out of memory");
    return true;
}

/* Beside an error message the step judges (its expect.json names the
 * profile's message location): the target's machine code, where the
 * profile says its error answers carry one (errors.code, errors.auth.code
 * on the auth routes). Evidence only: what passes is the message's check. */
static void
scen_note_error_code(struct run_scen *s, const json_t *expect)
{
    const json_t *prof = s->run->profile->root;
    const char *path =
        json_string_value(json_object_get(json_object_get(s->expanded, "request"), "path"));
    bool auth = path != NULL && hx__run_is_auth_route(s->run, path);
    enum hx_error_side side = auth ? HX_ERRORS_AUTH : HX_ERRORS_API;
    const char *msg_at = hx_errors_path(prof, side, "message");
    const char *code_at = hx_errors_path(prof, side, "code");
    const char *c;
    char code[160];

    if (code_at == NULL || msg_at == NULL || s->resp.status < 400 ||
        json_object_get(json_object_get(expect, "json"), msg_at) == NULL)
        return;
    if (!hx_errors_read(s->resp.body.data, s->resp.body.len, code_at, code, sizeof code)) {
        hx_step_add_note(s->cur,
                         "code: %s is absent from this error answer, where the profile (%s) says "
                         "the target's error answers carry their code",
                         code_at, auth ? "errors.auth.code" : "errors.code");
        return;
    }
    c = hx_errors_case(prof, code);
    hx_step_add_note(s->cur, "code: %s is \"%s\"%s%s", code_at, code,
                     c != NULL ? ", the profile's errors.codes." : "", c != NULL ? c : "");
}

void
hx__scen_transfer_drop(struct run_loop *L, struct run_scen *s)
{
    if (s->xfer == NULL)
        return;
    if (L->multi != NULL)
        curl_multi_remove_handle(L->multi, hx__http_transfer_easy(s->xfer));
    hx__http_transfer_free(s->xfer);
    s->xfer = NULL;
    if (s->on_wire) {
        s->on_wire = false;
        hx_quiet_leave(&L->run->quiet);
    }
}

void
hx__scen_http_done(struct run_loop *L, struct run_scen *s, CURLcode code)
{
    struct hx_run *run = L->run;
    const json_t *expect;

    hx__http_transfer_done(s->xfer, code);
    hx__scen_transfer_drop(L, s);
    hx__run_paced_done(run, s->rq.req.url);
    hx__run_learn(run, &s->resp);
    hx__run_record(run, s->cur, &s->rq.req, &s->resp);
    if (s->resp.error == 0 && scen_follow_same_route(L, s))
        return;

    if (s->resp.error != 0) {
        if (s->attempts < run->cfg->retry && !(run->stop && *run->stop)) {
            s->attempts++;
            hx_step_add_note(s->cur, "attempt %d: %s; retrying", s->attempts, s->resp.error_text);
            s->wake_at = cmn_clock_now_s() + 0.2 * s->attempts;
            s->state = SCEN_SLEEP;
            return;
        }
        hx_step_set(s->cur, HX_STATUS_ERROR, run_transport_type(&s->resp), "transport: %s %s: %s",
                    s->rq.req.method, s->rq.req.url, s->resp.error_text);
        hx__scen_step_end(L, s);
        return;
    }
    expect = s->expanded ? json_object_get(s->expanded, "expect") : NULL;
    if (s->resp.status == 429 && !scen_expects_status(expect, 429)) {
        /* the route is held for everyone (hx__run_paced_limited) */
        double wait = hx__run_paced_limited(run, s->rq.req.url, &s->resp);
        if (s->waits429 < RUN_MAX_429_WAITS && wait <= RUN_MAX_429_SECONDS &&
            s->waited429 + wait <= RUN_MAX_429_TOTAL_SECONDS && !(run->stop && *run->stop)) {
            s->waits429++;
            s->waited429 += wait;
            hx_step_add_note(s->cur, "rate limited (429): waiting %.1f s before trying again",
                             wait);
            s->wake_at = cmn_clock_now_s() + wait;
            s->state = SCEN_SLEEP;
            return;
        }
        hx_step_set(s->cur, HX_STATUS_SKIP, "rate-limited",
                    "the target kept answering 429 (rate limited) after %d waits (%.0f s): this "
                    "step cannot be judged",
                    s->waits429, s->waited429);
        hx__scen_step_end(L, s);
        return;
    }
    if (scen_is_setup(s)) {
        if (hx__run_signup_judge(run, s->vars, s->sc->identities[s->step], &s->resp, s->cur) == 0)
            hx_step_pass(s->cur);
        hx__scen_step_end(L, s);
        return;
    }
    if (expect != NULL) {
        struct hx_expect_outcome o;
        bool held = false;
        if (s->expanded != NULL)
            scen_note_error_code(s, expect);
        if (hx_expect_check(expect, &s->resp, &run->red, &o) != 0) {
            hx_step_set(s->cur, HX_STATUS_ERROR, "runner", "runner: out of memory");
        } else if (o.mismatches > 0) {
            hx_step_set(s->cur, o.scenario_error ? HX_STATUS_ERROR : HX_STATUS_FAIL, o.type, "%s",
                        o.message);
        } else {
            held = true;
        }
        hx_expect_outcome_cleanup(&o);
        if (!held) {
            hx__scen_step_end(L, s);
            return;
        }
    }
    {
        const json_t *capture = s->expanded ? json_object_get(s->expanded, "capture") : NULL;
        char why[512];
        if (capture != NULL && scen_capture(s, capture, why, sizeof why) != 0)
            hx_step_set(s->cur, HX_STATUS_FAIL, "expect.capture", "%s", why);
        else
            hx_step_pass(s->cur); /* every expectation held (a step may only send) */
    }
    hx__scen_step_end(L, s);
}

void
hx__scen_probe_done(struct run_loop *L, struct run_scen *s)
{
    pthread_join(s->thread, NULL);
    if (s->pctx.dropped > 0)
        hx_step_add_note(s->cur, "%zu more exchanges not kept as evidence", s->pctx.dropped);
    /* a probe writes its message and notes from what the target sent */
    hx__run_redact_step(s->run, s->cur);
    hx__scen_step_end(L, s);
}

void
hx__scen_begin(struct run_loop *L, struct run_scen *s, char *buf, size_t buf_size)
{
    const char *why = hx_run_skip_reason(L->run->cfg, L->run->profile, s->sc, buf, buf_size);

    if (why != NULL) {
        hx_case_skip(s->kase, "%s", why);
        hx__scen_finish(L, s);
        return;
    }
    s->vars = hx__run_scope_new(L->run, s->scope);
    if (s->vars == NULL) {
        hx_case_skip(s->kase, "runner: out of memory");
        hx__scen_finish(L, s);
        return;
    }
    s->kase->started = time(NULL);
    s->case_t0 = cmn_clock_now_s();
    s->state = SCEN_READY;
    L->running++;
}
