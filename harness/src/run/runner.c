#include "hx/runner.h"

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
#include "hx/jsonpath.h"
#include "hx/jwt.h"
#include "run/runner_int.h"

#define RUN_MAX_429_WAITS 4
#define RUN_MAX_429_SECONDS 65.0
#define RUN_MAX_HEADERS 64

enum scen_state {
    SCEN_PENDING = 0,
    SCEN_READY, /* the next step can start */
    SCEN_HTTP,  /* a transfer is on the multi handle */
    SCEN_PROBE, /* a probe thread runs the step */
    SCEN_SLEEP, /* waiting until wake_at to retry the step */
    SCEN_DONE,
};

/* A request with the storage it points into. */
struct run_req {
    struct hx_request req;
    char *url;
    char *body;
    struct hx_header headers[RUN_MAX_HEADERS];
    size_t n_headers;
};

struct run_scen {
    struct hx_run *run;
    const struct hx_scenario *sc;
    struct hx_case *kase;
    struct hx_vars *vars;
    unsigned scope;
    enum scen_state state;
    size_t step; /* index into the plan: identities, then steps */
    size_t plan_len;
    struct hx_step_result *cur;
    bool cur_open; /* cur belongs to the step being (re)tried */
    int attempts;  /* transport retries used */
    int waits429;
    double wake_at;
    double case_t0, step_t0;
    json_t *expanded; /* the current step, expanded */
    struct run_req rq;
    struct hx_response resp;
    struct hx__http_transfer *xfer;
    /* probe */
    pthread_t thread;
    struct hx_probe_ctx pctx;
    const struct hx_probe_def *probe;
    int notify_fd;
    size_t index;
};

/* ------------------------------------------------------------------ helpers */

static void
run_req_cleanup(struct run_req *rq)
{
    free(rq->url);
    free(rq->body);
    for (size_t i = 0; i < rq->n_headers; i++) {
        free(rq->headers[i].name);
        free(rq->headers[i].value);
    }
    memset(rq, 0, sizeof *rq);
}

static int
run_req_header(struct run_req *rq, const char *name, const char *value)
{
    if (rq->n_headers >= RUN_MAX_HEADERS)
        return HX_E_TOOBIG;
    rq->headers[rq->n_headers].name = strdup(name);
    rq->headers[rq->n_headers].value = strdup(value);
    if (rq->headers[rq->n_headers].name == NULL || rq->headers[rq->n_headers].value == NULL)
        return HX_E_NOMEM;
    rq->n_headers++;
    return 0;
}

static bool
run_req_has_header(const struct run_req *rq, const char *name)
{
    for (size_t i = 0; i < rq->n_headers; i++)
        if (strcasecmp(rq->headers[i].name, name) == 0)
            return true;
    return false;
}

static void
run_req_finish(struct run_req *rq, const char *method)
{
    rq->req.method = method;
    rq->req.url = rq->url;
    rq->req.headers = rq->headers;
    rq->req.n_headers = rq->n_headers;
    rq->req.body = rq->body;
}

static char *
run_url(const struct hx_run *run, const char *path)
{
    char *u;
    if (asprintf(&u, "%s%s", run->target, path) < 0)
        return NULL;
    return u;
}

bool
hx__run_client_address(const struct hx_run *run, unsigned scope, char *out, size_t size)
{
    if (!run->cfg->embedded)
        return false;
    snprintf(out, size, "127.1.%u.%u", (scope >> 8) & 255, scope & 255);
    return true;
}

static int
run_req_client(struct hx_run *run, struct run_req *rq, unsigned scope)
{
    char addr[32];
    if (!hx__run_client_address(run, scope, addr, sizeof addr) ||
        run_req_has_header(rq, "X-Forwarded-For"))
        return 0;
    return run_req_header(rq, "X-Forwarded-For", addr);
}

/* ----------------------------------------------------------------- evidence */

static char *
run_redact_body(struct hx_run *run, const char *p, size_t n, bool *truncated)
{
    if (n > HX_EVIDENCE_BODY_MAX) {
        n = HX_EVIDENCE_BODY_MAX;
        *truncated = true;
    }
    return hx_redact_text_new(&run->red, p, n);
}

static int
run_copy_headers(struct hx_run *run, const struct hx_header *in, size_t n, struct hx_header **out,
                 size_t *n_out)
{
    *out = n ? calloc(n, sizeof **out) : NULL;
    *n_out = 0;
    if (n && *out == NULL)
        return HX_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        (*out)[i].name = strdup(in[i].name);
        (*out)[i].value = hx_redact_header_new(&run->red, in[i].name, in[i].value);
        (*n_out)++;
        if ((*out)[i].name == NULL || (*out)[i].value == NULL)
            return HX_E_NOMEM;
    }
    return 0;
}

int
hx__run_record(struct hx_run *run, struct hx_step_result *step, const struct hx_request *req,
               const struct hx_response *resp)
{
    struct hx_exchange *x = hx_step_add_exchange(step);
    int rc = 0;

    if (x == NULL)
        return HX_E_NOMEM;
    x->method = strdup(req->method);
    x->url = hx_redact_text_new(&run->red, req->url, strlen(req->url));
    rc |= run_copy_headers(run, req->headers, req->n_headers, &x->request_headers,
                           &x->n_request_headers);
    if (req->body != NULL) {
        x->request_body =
            run_redact_body(run, req->body, req->body_len, &x->request_body_truncated);
        x->request_body_len = x->request_body ? strlen(x->request_body) : 0;
    }
    x->status = resp->status;
    if (resp->status > 0) {
        x->http_version = strdup(resp->http_version);
        rc |= run_copy_headers(run, resp->headers, resp->n_headers, &x->response_headers,
                               &x->n_response_headers);
        x->response_body_truncated = resp->truncated;
        x->response_body = run_redact_body(run, resp->body.data ? resp->body.data : "",
                                           resp->body.len, &x->response_body_truncated);
        x->response_body_len = x->response_body ? strlen(x->response_body) : 0;
    }
    if (resp->error != 0)
        x->transport_error =
            hx_redact_text_new(&run->red, resp->error_text, strlen(resp->error_text));
    if (resp->tls_version[0] != '\0')
        x->tls_version = strdup(resp->tls_version);
    x->seconds = resp->seconds;
    return rc != 0 ? HX_E_NOMEM : 0;
}

/* --------------------------------------------------------------- identities */

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

static int
run_signup_request(struct hx_run *run, struct hx_vars *vars, const char *name, struct run_req *rq)
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
    rq->body = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    rq->url = run_url(run, p->signup_path);
    if (rq->body == NULL || rq->url == NULL)
        return HX_E_NOMEM;
    rq->req.body_len = strlen(rq->body);
    if (run_req_header(rq, "Content-Type", "application/json") != 0 ||
        run_req_client(run, rq, scope) != 0)
        return HX_E_NOMEM;
    run_req_finish(rq, "POST");
    return 0;
}

/* Reads a token and a user id out of a signup/signin answer. Lenient on
 * purpose: the signup scenarios judge the answer; setup only needs an account. */
/* The start of a response body for a message, redacted like all evidence. */
static void
run_body_preview(struct hx_run *run, const struct hx_response *resp, char *out, size_t out_size)
{
    char raw[200];
    char *red;

    hx_expect_body_preview(resp, raw, sizeof raw);
    red = hx_redact_text_new(&run->red, raw, strlen(raw));
    snprintf(out, out_size, "%s", red != NULL ? red : "");
    free(red);
}

static int
run_signup_judge(struct hx_run *run, struct hx_vars *vars, const char *name,
                 const struct hx_response *resp, struct hx_step_result *step)
{
    const struct hx_profile *p = run->profile;
    json_t *doc = NULL, *tok = NULL, *uid = NULL;
    char *token = NULL, key[128];
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
        run_body_preview(run, resp, body, sizeof body);
        hx_step_set(step, resp->status == 429 ? HX_STATUS_SKIP : HX_STATUS_ERROR, "setup.signup",
                    "setup: could not sign %s up: %s answered %ld (%s)", name, p->signup_path,
                    resp->status, body);
        return rc;
    }
    if (resp->body.len > 0)
        doc = cmn_json_parse_strict(resp->body.data, resp->body.len, 64, perr, sizeof perr);
    if (doc != NULL && hx_jsonpath_get(doc, p->token_path, &tok, NULL) == 0 && json_is_string(tok))
        token = strdup(json_string_value(tok));
    if (token == NULL)
        token = hx_response_cookie(resp, p->cookie_name);
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
        run_body_preview(run, resp, body, sizeof body);
        if (doc == NULL && resp->body.len > 0)
            snprintf(why, sizeof why, "; the answer is not JSON (%s)", perr);
        hx_step_set(step, HX_STATUS_ERROR, "setup.signup",
                    "setup: signed %s up (%ld) but found no %s in the answer (profile: fields.%s "
                    "= %s)%s%s%s",
                    name, resp->status, token == NULL ? "token" : "user id",
                    token == NULL ? "token" : "user_id",
                    token == NULL ? p->token_path : p->user_id_path, why,
                    body[0] != '\0' ? "; body: " : "", body);
        goto out;
    }
    hx_redactor_add(&run->red, token);
    snprintf(key, sizeof key, "%s.token", name);
    if (hx_vars_set(vars, key, token) != 0)
        goto out;
    snprintf(key, sizeof key, "%s.user_id", name);
    if (hx_vars_set(vars, key, user_id) != 0)
        goto out;
    rc = 0;
out:
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
    rc = run_signup_request(run, vars, name, &rq);
    if (rc != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "setup", "setup: cannot build the signup of %s: %s",
                    name, hx_strerror(rc));
        run_req_cleanup(&rq);
        return rc;
    }
    hx_response_init(&resp, HX_BODY_MAX);
    hx_http_perform(&run->http, &rq.req, &resp);
    hx__run_record(run, step, &rq.req, &resp);
    rc = run_signup_judge(run, vars, name, &resp, step);
    hx_response_cleanup(&resp);
    run_req_cleanup(&rq);
    return rc;
}

/* ---------------------------------------------------------------- the run */

int
hx_run_new(const struct hx_config *cfg, const struct hx_profile *profile,
           volatile sig_atomic_t *stop, struct hx_run **out)
{
    struct hx_run *run = calloc(1, sizeof *run);
    size_t tl;
    uint64_t id;
    json_t *target;

    if (run == NULL)
        return HX_E_NOMEM;
    run->cfg = cfg;
    run->profile = profile;
    run->stop = stop;
    hx_rng_init(&run->rng, cfg->has_seed, cfg->seed);
    hx_redactor_init(&run->red);
    id = hx_rng_u64(&run->rng);
    snprintf(run->run_id, sizeof run->run_id, "%08llx", (unsigned long long)(id >> 32));
    snprintf(run->target, sizeof run->target, "%s", cfg->target ? cfg->target : "");
    tl = strlen(run->target);
    while (tl > 0 && run->target[tl - 1] == '/')
        run->target[--tl] = '\0';
    snprintf(run->user_agent, sizeof run->user_agent, "authconform/%s", CMN_VERSION);
    run->http.cacert = cfg->cacert;
    run->http.insecure = cfg->insecure;
    run->http.timeout_ms = cfg->timeout_s * 1000;
    run->http.max_body = HX_BODY_MAX;
    run->http.user_agent = run->user_agent;
    if (cfg->secret != NULL)
        hx_redactor_add(&run->red, cfg->secret);
    run->vars = hx_vars_new(NULL);
    target = json_string(run->target);
    if (run->vars == NULL || hx_vars_load_json_tree(run->vars, "", profile->root) != 0 ||
        hx_vars_set(run->vars, "run.id", run->run_id) != 0 || target == NULL ||
        hx_vars_set_json(run->vars, "run.target", target) != 0) {
        json_decref(target);
        hx_run_free(run);
        return HX_E_NOMEM;
    }
    json_decref(target);
    if (cfg->repo != NULL && hx_vars_set(run->vars, "repo", cfg->repo) != 0) {
        hx_run_free(run);
        return HX_E_NOMEM;
    }
    if (cfg->http_port > 0) {
        char port[24];
        snprintf(port, sizeof port, "%ld", cfg->http_port);
        if (hx_vars_set(run->vars, "http_port", port) != 0) {
            hx_run_free(run);
            return HX_E_NOMEM;
        }
    }
    *out = run;
    return 0;
}

void
hx_run_free(struct hx_run *run)
{
    if (run == NULL)
        return;
    hx_vars_free(run->vars);
    hx_redactor_cleanup(&run->red);
    hx_rng_cleanup(&run->rng);
    free(run);
}

const char *
hx_run_id(const struct hx_run *run)
{
    return run->run_id;
}

const char *
hx_run_skip_reason(const struct hx_config *cfg, const struct hx_profile *profile,
                   const struct hx_scenario *sc, char *buf, size_t buf_size)
{
    if ((sc->needs & HX_NEED_SECRET) && cfg->secret == NULL)
        return "needs the shared secret (--secret-file or --secret-env)";
    if ((sc->needs & HX_NEED_DATABASE) && cfg->database_url == NULL)
        return "needs the target's database (--database-url)";
    if ((sc->needs & HX_NEED_TLS) &&
        (cfg->target == NULL || strncasecmp(cfg->target, "https://", 8) != 0))
        return "needs an https:// target";
    if ((sc->needs & HX_NEED_TASK_WRITES) && !profile->task_writes) {
        snprintf(buf, buf_size,
                 "needs a target with task writes (profile %s says tasks.writes "
                 "is false)",
                 profile->name);
        return buf;
    }
    for (size_t i = 0; i < sc->n_need_keys; i++) {
        if (hx_profile_get(profile, sc->need_keys[i]) == NULL) {
            snprintf(buf, buf_size, "needs %s in the profile (profile %s has none)",
                     sc->need_keys[i], profile->name);
            return buf;
        }
    }
    if (cfg->safe && sc->floods)
        return "floods the target: skipped under --safe";
    return NULL;
}

/* ------------------------------------------------------------- scheduling */

struct run_loop {
    struct hx_run *run;
    CURLM *multi;
    struct run_scen *scens;
    size_t *order; /* the start order: exclusive scenarios first */
    size_t n, next, running, done;
    bool alone; /* an exclusive scenario runs: nothing else starts */
    int pipe_r, pipe_w;
    const struct hx_runner_hooks *hooks;
};

static void
loop_progress(struct run_loop *L)
{
    if (L->hooks && L->hooks->progress)
        L->hooks->progress(L->hooks->ud, L->running, L->done, L->n);
}

static void
scen_finish(struct run_loop *L, struct run_scen *s)
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
    run_req_cleanup(&s->rq);
    hx_response_cleanup(&s->resp);
    hx_vars_free(s->vars);
    s->vars = NULL;
    hx_case_finish(s->kase);
    L->done++;
    if (L->hooks && L->hooks->case_done)
        L->hooks->case_done(L->hooks->ud, s->kase, L->running, L->done, L->n);
}

/* Whether the next scenario in the start order may start now: there is
 * room, no exclusive scenario runs, and an exclusive one starts only when
 * nothing else runs (so that what it measures is the target alone). */
static bool
loop_may_start(const struct run_loop *L, size_t jobs)
{
    if (L->next >= L->n || L->running >= jobs || L->alone)
        return false;
    return !L->scens[L->order[L->next]].sc->exclusive || L->running == 0;
}

/* Ends the current step with a verdict (PASS moves on, anything else ends
 * the scenario). */
static void
scen_step_end(struct run_loop *L, struct run_scen *s)
{
    s->cur->seconds = cmn_clock_now_s() - s->step_t0;
    s->cur_open = false;
    json_decref(s->expanded);
    s->expanded = NULL;
    run_req_cleanup(&s->rq);
    hx_response_cleanup(&s->resp);
    if (s->cur->status != HX_STATUS_PASS) {
        scen_finish(L, s);
        return;
    }
    s->step++;
    s->attempts = 0;
    s->waits429 = 0;
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
    scen_step_end(L, s);
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
    s->rq.url = run_url(run, filled);
    if (s->rq.url == NULL)
        return HX_E_NOMEM;
    json_object_foreach((json_t *)hdrs, k, v)
    {
        if (!json_is_string(v)) {
            hx_error_set(err, NULL, 0, "request.headers.%s: expected a string", k);
            return HX_E_PARSE;
        }
        if ((rc = run_req_header(&s->rq, k, json_string_value(v))) != 0)
            return rc;
    }
    if (json_is_string(tokj)) {
        token = json_string_value(tokj);
    } else if (json_is_string(as)) {
        char key[128];
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
        if (header && !run_req_has_header(&s->rq, "Authorization")) {
            char *line;
            if (asprintf(&line, "%s %s", p->scheme, token) < 0)
                return HX_E_NOMEM;
            rc = run_req_header(&s->rq, "Authorization", line);
            free(line);
            if (rc != 0)
                return rc;
        }
        if (cookie) {
            char *line;
            if (asprintf(&line, "%s=%s", p->cookie_name, token) < 0)
                return HX_E_NOMEM;
            rc = run_req_header(&s->rq, "Cookie", line);
            free(line);
            if (rc != 0)
                return rc;
        }
    }
    if ((v = json_object_get(req, "json")) != NULL) {
        s->rq.body = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (s->rq.body == NULL)
            return HX_E_NOMEM;
        if (!run_req_has_header(&s->rq, "Content-Type") &&
            (rc = run_req_header(&s->rq, "Content-Type", "application/json")) != 0)
            return rc;
    } else if ((v = json_object_get(req, "body")) != NULL) {
        s->rq.body = strdup(json_string_value(v));
        if (s->rq.body == NULL)
            return HX_E_NOMEM;
    }
    if ((rc = run_req_client(run, &s->rq, s->scope)) != 0)
        return rc;
    s->rq.req.body_len = s->rq.body ? strlen(s->rq.body) : 0;
    s->rq.req.follow_redirects = json_is_true(json_object_get(req, "follow_redirects"));
    if (json_is_number(json_object_get(req, "timeout")))
        s->rq.req.timeout_ms = (long)(json_number_value(json_object_get(req, "timeout")) * 1000);
    s->rq.req.method = NULL;
    run_req_finish(&s->rq, method);
    return 0;
}

static int
scen_add_transfer(struct run_loop *L, struct run_scen *s)
{
    int rc;

    hx_response_cleanup(&s->resp);
    hx_response_init(&s->resp, HX_BODY_MAX);
    rc = hx__http_transfer_new(&L->run->http, &s->rq.req, &s->resp, &s->xfer);
    if (rc != 0)
        return rc;
    curl_easy_setopt(hx__http_transfer_easy(s->xfer), CURLOPT_PRIVATE, s);
    if (curl_multi_add_handle(L->multi, hx__http_transfer_easy(s->xfer)) != CURLM_OK) {
        hx__http_transfer_free(s->xfer);
        s->xfer = NULL;
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
    do
        w = write(s->notify_fd, &idx, sizeof idx);
    while (w < 0 && errno == EINTR);
    return NULL;
}

static void
scen_start_step(struct run_loop *L, struct run_scen *s)
{
    struct hx_error err = {0};
    char kind[96];
    int rc;

    if (s->step >= s->plan_len) {
        scen_finish(L, s);
        return;
    }
    if (L->run->stop != NULL && *L->run->stop) {
        if (!s->cur_open) {
            s->cur = hx_case_add_step(s->kase, "interrupted", "request");
            s->cur_open = s->cur != NULL;
        }
        if (s->cur != NULL)
            hx_step_set(s->cur, HX_STATUS_SKIP, "interrupted", "interrupted before this step ran");
        scen_finish(L, s);
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
            scen_finish(L, s);
            return;
        }
        s->cur_open = true;
        s->step_t0 = cmn_clock_now_s();
    }
    run_req_cleanup(&s->rq);

    if (scen_is_setup(s)) {
        rc = run_signup_request(L->run, s->vars, s->sc->identities[s->step], &s->rq);
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

static double
run_retry_after(const struct hx_response *r)
{
    const char *h = hx_response_header(r, "Retry-After");
    char *end;
    double v;

    if (h == NULL)
        return 2.0;
    v = strtod(h, &end);
    if (end == h || v < 0)
        return 2.0;
    return v < 0.5 ? 0.5 : v;
}

static void
scen_http_done(struct run_loop *L, struct run_scen *s, CURLcode code)
{
    struct hx_run *run = L->run;
    const json_t *expect;

    curl_multi_remove_handle(L->multi, hx__http_transfer_easy(s->xfer));
    hx__http_transfer_done(s->xfer, code);
    hx__http_transfer_free(s->xfer);
    s->xfer = NULL;
    hx__run_record(run, s->cur, &s->rq.req, &s->resp);

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
        scen_step_end(L, s);
        return;
    }
    expect = s->expanded ? json_object_get(s->expanded, "expect") : NULL;
    if (s->resp.status == 429 && !scen_expects_status(expect, 429)) {
        double wait = run_retry_after(&s->resp);
        if (s->waits429 < RUN_MAX_429_WAITS && wait <= RUN_MAX_429_SECONDS &&
            !(run->stop && *run->stop)) {
            s->waits429++;
            hx_step_add_note(s->cur, "rate limited (429): waiting %.1f s before trying again",
                             wait);
            s->wake_at = cmn_clock_now_s() + wait;
            s->state = SCEN_SLEEP;
            return;
        }
        hx_step_set(s->cur, HX_STATUS_SKIP, "rate-limited",
                    "the target kept answering 429 (rate limited) after %d waits: this step "
                    "cannot be judged",
                    s->waits429);
        scen_step_end(L, s);
        return;
    }
    if (scen_is_setup(s)) {
        if (run_signup_judge(run, s->vars, s->sc->identities[s->step], &s->resp, s->cur) == 0)
            hx_step_pass(s->cur);
        scen_step_end(L, s);
        return;
    }
    if (expect != NULL) {
        struct hx_expect_outcome o;
        bool held = false;
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
            scen_step_end(L, s);
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
    scen_step_end(L, s);
}

static void
scen_probe_done(struct run_loop *L, struct run_scen *s)
{
    pthread_join(s->thread, NULL);
    if (s->pctx.dropped > 0)
        hx_step_add_note(s->cur, "%zu more exchanges not kept as evidence", s->pctx.dropped);
    scen_step_end(L, s);
}

static void
scen_begin(struct run_loop *L, struct run_scen *s, char *buf, size_t buf_size)
{
    const char *why = hx_run_skip_reason(L->run->cfg, L->run->profile, s->sc, buf, buf_size);

    if (why != NULL) {
        hx_case_skip(s->kase, "%s", why);
        scen_finish(L, s);
        return;
    }
    s->vars = hx__run_scope_new(L->run, s->scope);
    if (s->vars == NULL) {
        hx_case_skip(s->kase, "runner: out of memory");
        scen_finish(L, s);
        return;
    }
    s->kase->started = time(NULL);
    s->case_t0 = cmn_clock_now_s();
    s->state = SCEN_READY;
    L->running++;
}

/* One blocking request to the target before anything else: a target that
 * does not answer at all makes every case an error and the exit code 3. */
static int
run_preflight(struct hx_run *run, char *why, size_t why_size)
{
    struct hx_request req = {.method = "GET"};
    struct hx_response resp;
    char url[2100];
    const char *health = json_string_value(hx_profile_get(run->profile, "paths.health"));
    int rc;

    snprintf(url, sizeof url, "%s%s", run->target, health ? health : "/");
    req.url = url;
    hx_response_init(&resp, 64 * 1024);
    rc = hx_http_perform(&run->http, &req, &resp);
    if (rc == HX_E_UNREACHABLE ||
        (rc != 0 && resp.curl_code == CURLE_OPERATION_TIMEDOUT && resp.seconds_to_first_byte == 0))
        snprintf(why, why_size, "%s", resp.error_text);
    else
        rc = 0;
    hx_response_cleanup(&resp);
    return rc == 0 ? 0 : HX_E_UNREACHABLE;
}

int
hx_run_execute(struct hx_run *run, struct hx_scenario *const *sc, size_t n,
               struct hx_result *result, const struct hx_runner_hooks *hooks)
{
    struct run_loop L = {.run = run, .n = n, .hooks = hooks, .pipe_r = -1, .pipe_w = -1};
    int fds[2], rc = 0;
    char buf[512], why[300];
    size_t i;
    long jobs = run->cfg->jobs > 0 ? run->cfg->jobs : 1;

    L.scens = calloc(n ? n : 1, sizeof *L.scens);
    L.order = calloc(n ? n : 1, sizeof *L.order);
    if (L.scens == NULL || L.order == NULL) {
        free(L.scens);
        free(L.order);
        return HX_E_NOMEM;
    }
    /* exclusive scenarios first, each alone, while the target is quiet
     * anyway (after the others, the run would first wait out their tail) */
    {
        size_t k = 0;
        for (i = 0; i < n; i++)
            if (sc[i]->exclusive)
                L.order[k++] = i;
        for (i = 0; i < n; i++)
            if (!sc[i]->exclusive)
                L.order[k++] = i;
    }
    for (i = 0; i < n; i++) {
        struct run_scen *s = &L.scens[i];
        const struct hx_scenario *x = sc[i];
        s->run = run;
        s->sc = x;
        s->index = i;
        s->scope = (unsigned)i + 1;
        s->plan_len = x->n_identities + x->n_steps;
        hx_response_init(&s->resp, HX_BODY_MAX);
        s->kase = hx_result_add_case(result, x->id, x->title, x->group, x->file);
        if (s->kase == NULL) {
            rc = HX_E_NOMEM;
            goto out;
        }
        s->kase->severity = x->severity;
        for (size_t k = 0; k < x->n_checklist; k++)
            hx_case_add_checklist(s->kase, x->checklist[k]);
        for (size_t k = 0; k < x->n_asvs; k++)
            hx_case_add_asvs(s->kase, x->asvs[k]);
        if (x->remediation)
            hx_case_set_remediation(s->kase, x->remediation);
    }
    if (n == 0)
        goto out;

    if (run_preflight(run, why, sizeof why) != 0) {
        for (i = 0; i < n; i++) {
            struct hx_step_result *st =
                hx_case_add_step(L.scens[i].kase, "reach the target", "request");
            if (st != NULL)
                hx_step_set(st, HX_STATUS_ERROR, "transport.unreachable", "target unreachable: %s",
                            why);
            hx_case_finish(L.scens[i].kase);
            L.done++;
            if (hooks && hooks->case_done)
                hooks->case_done(hooks->ud, L.scens[i].kase, 0, L.done, n);
        }
        rc = HX_E_UNREACHABLE;
        goto out;
    }

    if (pipe2(fds, O_CLOEXEC) != 0) {
        rc = HX_E_IO;
        goto out;
    }
    L.pipe_r = fds[0];
    L.pipe_w = fds[1];
    fcntl(L.pipe_r, F_SETFL, O_NONBLOCK);
    L.multi = curl_multi_init();
    if (L.multi == NULL) {
        rc = HX_E_NOMEM;
        goto out;
    }
    curl_multi_setopt(L.multi, CURLMOPT_MAX_HOST_CONNECTIONS, jobs);
    curl_multi_setopt(L.multi, CURLMOPT_MAXCONNECTS, jobs);

    while (L.done < n) {
        bool stopping = run->stop != NULL && *run->stop;
        int still, timeout_ms = 500;
        struct curl_waitfd wfd = {.fd = L.pipe_r, .events = CURL_WAIT_POLLIN};
        CURLMsg *msg;
        double now;

        /* start scenarios while there is room */
        while (!stopping && loop_may_start(&L, (size_t)jobs)) {
            size_t before = L.running;
            struct run_scen *s = &L.scens[L.order[L.next++]];
            if (s->sc->exclusive)
                L.alone = true;
            scen_begin(&L, s, buf, sizeof buf);
            if (L.running != before)
                loop_progress(&L);
        }
        if (stopping) {
            for (; L.next < n; L.next++) {
                hx_case_skip(L.scens[L.order[L.next]].kase, "interrupted before it ran");
                scen_finish(&L, &L.scens[L.order[L.next]]);
            }
        }
        /* start the steps that can start; a step may end at once */
        now = cmn_clock_now_s();
        for (bool again = true; again;) {
            again = false;
            for (i = 0; i < n; i++) {
                struct run_scen *s = &L.scens[i];
                if (s->state == SCEN_SLEEP && (now >= s->wake_at || stopping)) {
                    if (stopping) {
                        hx_step_set(s->cur, HX_STATUS_SKIP, "interrupted",
                                    "interrupted while waiting to retry");
                        scen_step_end(&L, s);
                    } else {
                        s->state = SCEN_READY;
                    }
                }
                if (s->state == SCEN_READY) {
                    scen_start_step(&L, s);
                    again = true;
                }
            }
        }
        if (L.done >= n)
            break;
        if (stopping) {
            /* cancel transfers; probes are waited for below */
            for (i = 0; i < n; i++) {
                struct run_scen *s = &L.scens[i];
                if (s->state == SCEN_HTTP) {
                    curl_multi_remove_handle(L.multi, hx__http_transfer_easy(s->xfer));
                    hx__http_transfer_free(s->xfer);
                    s->xfer = NULL;
                    hx_step_set(s->cur, HX_STATUS_SKIP, "interrupted",
                                "interrupted while waiting for the answer");
                    scen_step_end(&L, s);
                }
            }
        }
        curl_multi_perform(L.multi, &still);
        while ((msg = curl_multi_info_read(L.multi, &still)) != NULL) {
            struct run_scen *s = NULL;
            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            if (s != NULL && s->state == SCEN_HTTP)
                scen_http_done(&L, s, msg->data.result);
        }
        /* how long may we sleep? */
        now = cmn_clock_now_s();
        for (i = 0; i < n; i++) {
            if (L.scens[i].state == SCEN_READY)
                timeout_ms = 0;
            else if (L.scens[i].state == SCEN_SLEEP) {
                double ms = (L.scens[i].wake_at - now) * 1000.0;
                if (ms < timeout_ms)
                    timeout_ms = ms < 0 ? 0 : (int)ms + 1;
            }
        }
        if (!stopping && loop_may_start(&L, (size_t)jobs))
            timeout_ms = 0;
        if (timeout_ms > 0)
            curl_multi_poll(L.multi, &wfd, 1, timeout_ms, NULL);
        for (;;) {
            size_t idx;
            ssize_t r = read(L.pipe_r, &idx, sizeof idx);
            if (r != (ssize_t)sizeof idx)
                break;
            if (idx < n && L.scens[idx].state == SCEN_PROBE)
                scen_probe_done(&L, &L.scens[idx]);
        }
    }
out:
    for (i = 0; i < n && L.scens != NULL; i++) {
        struct run_scen *s = &L.scens[i];
        if (s->state == SCEN_PROBE)
            pthread_join(s->thread, NULL);
        if (s->xfer != NULL) {
            if (L.multi)
                curl_multi_remove_handle(L.multi, hx__http_transfer_easy(s->xfer));
            hx__http_transfer_free(s->xfer);
        }
        json_decref(s->expanded);
        run_req_cleanup(&s->rq);
        hx_response_cleanup(&s->resp);
        hx_vars_free(s->vars);
    }
    if (L.multi)
        curl_multi_cleanup(L.multi);
    if (L.pipe_r >= 0)
        close(L.pipe_r);
    if (L.pipe_w >= 0)
        close(L.pipe_w);
    free(L.scens);
    free(L.order);
    return rc;
}
