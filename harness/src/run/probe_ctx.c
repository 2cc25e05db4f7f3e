/* What a probe may ask of the run: hx/probe.h, except the registry
 * (src/probes/registry.c). Called on the probe's own thread. */
#include "hx/probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hx/redirect.h"
#include "run/runner_int.h"

const char *
hx_probe_target(const struct hx_probe_ctx *ctx)
{
    return ctx->run->target;
}

const char *
hx_probe_base(const struct hx_probe_ctx *ctx, const char *path)
{
    return hx__run_base(ctx->run, path);
}

const char *
hx_probe_auth_target(const struct hx_probe_ctx *ctx)
{
    const char *a = ctx->run->auth_target;
    return a[0] != '\0' && strcmp(a, ctx->run->target) != 0 ? a : NULL;
}

const struct hx_signing_key *
hx_probe_token_key(const struct hx_probe_ctx *ctx)
{
    return ctx->run->cfg->token_key;
}

const char *
hx_probe_callback_address(const struct hx_probe_ctx *ctx)
{
    return ctx->run->cfg->callback_address;
}

unsigned
hx_probe_pace_slots(const struct hx_probe_ctx *ctx)
{
    return ctx->run->pacer.slots;
}

bool
hx_probe_pace_take(struct hx_probe_ctx *ctx, const char *url, size_t n)
{
    return hx__run_pace_wait(ctx->run, url, n);
}

bool
hx_probe_measure_begin(struct hx_probe_ctx *ctx, const char *url, size_t n)
{
    if (!hx__run_pace_wait(ctx->run, url, n))
        return false;
    hx_quiet_hold(&ctx->run->quiet);
    ctx->holds_quiet = true;
    ctx->paced_ahead = true;
    return true;
}

void
hx_probe_measure_end(struct hx_probe_ctx *ctx)
{
    if (!ctx->holds_quiet)
        return;
    ctx->holds_quiet = false;
    ctx->paced_ahead = false;
    hx_quiet_release(&ctx->run->quiet);
}

const json_t *
hx_probe_profile(const struct hx_probe_ctx *ctx)
{
    return ctx->run->profile->root;
}

const char *
hx_probe_var(const struct hx_probe_ctx *ctx, const char *name)
{
    return hx_vars_get(ctx->vars, name);
}

int
hx_probe_set_var(struct hx_probe_ctx *ctx, const char *name, const char *value)
{
    return hx_vars_set(ctx->vars, name, value);
}

char *
hx_probe_expand(const struct hx_probe_ctx *ctx, const char *s, struct hx_error *err)
{
    return hx_vars_expand(ctx->vars, s, err);
}

const char *
hx_probe_secret(const struct hx_probe_ctx *ctx)
{
    return ctx->run->cfg->secret;
}

const char *
hx_probe_database_url(const struct hx_probe_ctx *ctx)
{
    return ctx->run->cfg->database_url;
}

const char *
hx_probe_origin(const struct hx_probe_ctx *ctx)
{
    return ctx->run->cfg->origin;
}

bool
hx_probe_safe(const struct hx_probe_ctx *ctx)
{
    return ctx->run->cfg->safe;
}

bool
hx_probe_allow_http(const struct hx_probe_ctx *ctx)
{
    return ctx->run->cfg->allow_http;
}

const struct hx_http_config *
hx_probe_http_config(const struct hx_probe_ctx *ctx)
{
    return &ctx->run->http;
}

void
hx_probe_random(struct hx_probe_ctx *ctx, void *buf, size_t n)
{
    hx_rng_bytes(&ctx->run->rng, buf, n);
}

static void
probe_fill_identity(struct hx_probe_ctx *ctx, const char *name, struct hx_identity *out)
{
    char key[160];

    /* the name itself, borrowed from the scope: stored once */
    snprintf(key, sizeof key, "%s.name", name);
    if (!hx_vars_has(ctx->vars, key))
        hx_vars_set(ctx->vars, key, name);
    out->name = hx_vars_get(ctx->vars, key);
    snprintf(key, sizeof key, "%s.email", name);
    out->email = hx_vars_get(ctx->vars, key);
    snprintf(key, sizeof key, "%s.password", name);
    out->password = hx_vars_get(ctx->vars, key);
    snprintf(key, sizeof key, "%s.token", name);
    out->token = hx_vars_has(ctx->vars, key) ? hx_vars_get(ctx->vars, key) : NULL;
    snprintf(key, sizeof key, "%s.session", name);
    out->session = hx_vars_has(ctx->vars, key) ? hx_vars_get(ctx->vars, key) : NULL;
    snprintf(key, sizeof key, "%s.user_id", name);
    out->user_id = hx_vars_has(ctx->vars, key) ? hx_vars_get(ctx->vars, key) : NULL;
}

int
hx_probe_identity(struct hx_probe_ctx *ctx, const char *name, struct hx_identity *out)
{
    char key[160];

    snprintf(key, sizeof key, "%s.token", name);
    if (!hx_vars_has(ctx->vars, key)) {
        snprintf(key, sizeof key, "%s.email", name);
        if (hx_vars_get(ctx->vars, key) == NULL) {
            hx_step_set(ctx->step, HX_STATUS_ERROR, "probe",
                        "probe: \"%s\" cannot be an identity name", name);
            return HX_E_INVAL;
        }
        if (hx__run_signup_blocking(ctx->run, ctx->vars, name, ctx->step) != 0)
            return HX_E_TRANSPORT;
    }
    probe_fill_identity(ctx, name, out);
    return 0;
}

int
hx_probe_identity_fresh(struct hx_probe_ctx *ctx, struct hx_identity *out)
{
    unsigned n = __atomic_add_fetch(&ctx->run->fresh_counter, 1, __ATOMIC_SEQ_CST);
    char name[32];

    snprintf(name, sizeof name, "fresh%u", n);
    return hx_probe_identity(ctx, name, out);
}

int
hx_probe_url(const struct hx_probe_ctx *ctx, const char *path, char *out, size_t out_size)
{
    struct hx_error err;
    char *p = hx_vars_expand(ctx->vars, path, &err);
    int n;

    if (p == NULL)
        return HX_E_PARSE;
    n = snprintf(out, out_size, "%s%s", hx__run_base(ctx->run, p), p);
    free(p);
    if (n < 0 || (size_t)n >= out_size)
        return HX_E_TOOLONG;
    return 0;
}

int
hx_probe_route(const struct hx_probe_ctx *ctx, const char *name, const char *user_id,
               const char *task_id, char *out, size_t out_size)
{
    char path[4096];
    int rc = hx_profile_route(ctx->run->profile, name, user_id, task_id, path, sizeof path);
    int n;

    if (rc != 0)
        return rc;
    n = snprintf(out, out_size, "%s%s", hx__run_base(ctx->run, path), path);
    if (n < 0 || (size_t)n >= out_size)
        return HX_E_TOOLONG;
    return 0;
}

/* Performs req; in an embedded run with the scenario's client address
 * added (see hx__run_client_address), unless the probe set one itself. */
static int
probe_send(struct hx_probe_ctx *ctx, const struct hx_request *req, struct hx_response *resp)
{
    struct hx_header extra[64];
    struct hx_request copy;
    char addr[32];

    if (!hx__run_client_address(ctx->run, ctx->scope, addr, sizeof addr) || req->n_headers >= 64)
        return hx_http_perform(&ctx->run->http, req, resp);
    for (size_t i = 0; i < req->n_headers; i++)
        if (strcasecmp(req->headers[i].name, "X-Forwarded-For") == 0)
            return hx_http_perform(&ctx->run->http, req, resp);
    memcpy(extra, req->headers, req->n_headers * sizeof *extra);
    extra[req->n_headers].name = (char *)"X-Forwarded-For";
    extra[req->n_headers].value = addr;
    copy = *req;
    copy.headers = extra;
    copy.n_headers = req->n_headers + 1;
    return hx_http_perform(&ctx->run->http, &copy, resp);
}

/* Keeps req and resp as the step's evidence, up to the probe's bound. */
static int
probe_keep(struct hx_probe_ctx *ctx, const struct hx_request *req, const struct hx_response *resp)
{
    if (ctx->kept >= RUN_PROBE_EVIDENCE_MAX) {
        ctx->dropped++;
        return 0;
    }
    ctx->kept++;
    return hx__run_record(ctx->run, ctx->step, req, resp);
}

static int
probe_send_via(void *arg, const struct hx_request *req, struct hx_response *resp)
{
    return probe_send(arg, req, resp);
}

static void
probe_hop(void *arg, const struct hx_request *req, const struct hx_response *redirect,
          const char *next)
{
    struct hx_probe_ctx *ctx = arg;
    if (!ctx->redirect_noted) {
        char note[900];
        hx_redirect_note(req->url, next, redirect->status, note, sizeof note);
        hx_step_add_note(ctx->step, "%s", note);
        ctx->redirect_noted = true;
    }
    if (ctx->keep_hops)
        probe_keep(ctx, req, redirect);
}

/* Every answer a probe gets teaches the redactor its credentials; a
 * same-route redirect is followed (hx__run_perform), noted once on the step
 * and, when `keep`, kept as evidence with the final answer. The caller
 * judges the final answer. */
static int
probe_perform(struct hx_probe_ctx *ctx, const struct hx_request *req, struct hx_response *resp,
              bool keep)
{
    const struct run_sender via = {probe_send_via, probe_hop, ctx,
                                   ctx->floods || ctx->paced_ahead, ctx->holds_quiet};
    struct hx_request final;
    char *url;
    int rc;

    ctx->keep_hops = keep;
    rc = hx__run_perform(ctx->run, &via, req, resp, &final, &url);
    if (keep)
        probe_keep(ctx, &final, resp);
    free(url);
    return rc;
}

int
hx_probe_http(struct hx_probe_ctx *ctx, const struct hx_request *req, struct hx_response *resp)
{
    return probe_perform(ctx, req, resp, true);
}

int
hx_probe_record(struct hx_probe_ctx *ctx, const struct hx_request *req,
                const struct hx_response *resp)
{
    return probe_keep(ctx, req, resp);
}

int
hx_probe_http_quiet(struct hx_probe_ctx *ctx, const struct hx_request *req,
                    struct hx_response *resp)
{
    return probe_perform(ctx, req, resp, false);
}

void
hx_probe_new_client(struct hx_probe_ctx *ctx)
{
    /* scenario scopes are small numbers; probe clients count down from the
     * top of the 16 bits the address holds, so the two never meet */
    unsigned n = __atomic_add_fetch(&ctx->run->client_counter, 1, __ATOMIC_SEQ_CST);
    ctx->scope = 0xFFFFu - (n & 0x7FFFu);
}

bool
hx_probe_stopping(const struct hx_probe_ctx *ctx)
{
    return ctx->run->stop != NULL && *ctx->run->stop != 0;
}

int
hx_probe_redact(struct hx_probe_ctx *ctx, const char *value)
{
    return hx_redactor_add(&ctx->run->red, value);
}

const char *
hx_probe_run_id(const struct hx_probe_ctx *ctx)
{
    return ctx->run->run_id;
}

const struct hx_config *
hx_probe_config(const struct hx_probe_ctx *ctx)
{
    return ctx->run->cfg;
}
