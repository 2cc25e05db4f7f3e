/* Probe cors (checklist item 8): untrusted, null and lookalike origins get no
 * permissive CORS answer; the trusted origin (--origin) is allowed. */
#include <curl/curl.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hx/header_values.h"
#include "hx/probes/variants.h"
#include "hx/probes/cors.h"
#include "probe_int.h"

bool
hx_cors_ok(const char *origin, bool trusted, const char *acao, const char *acac, char *why,
           size_t why_size)
{
    bool creds = acac != NULL && strcasecmp(acac, "true") == 0;
    bool star = acao != NULL && strcmp(acao, "*") == 0;

    if (star && creds) {
        hx__whyf(why, why_size,
                 "Access-Control-Allow-Origin: * together with Allow-Credentials: true");
        return false;
    }
    if (trusted) {
        if (acao != NULL && strcmp(acao, origin) == 0) {
            hx__whyf(why, why_size, "trusted origin %s allowed", origin);
            return true;
        }
        hx__whyf(why, why_size, "trusted origin %s not allowed (Access-Control-Allow-Origin: %s)",
                 origin, acao != NULL ? acao : "absent");
        return false;
    }
    if (acao == NULL) {
        hx__whyf(why, why_size, "origin %s: no Access-Control-Allow-Origin", origin);
        return true;
    }
    if (star) {
        hx__whyf(why, why_size, "origin %s: Access-Control-Allow-Origin: *", origin);
        return false;
    }
    if (strcmp(acao, origin) == 0) {
        hx__whyf(why, why_size, "untrusted origin %s is echoed in Access-Control-Allow-Origin",
                 origin);
        return false;
    }
    if (strcasecmp(acao, "null") == 0) {
        hx__whyf(why, why_size, "origin %s: Access-Control-Allow-Origin: null", origin);
        return false;
    }
    hx__whyf(why, why_size, "origin %s not allowed (Access-Control-Allow-Origin names %s)", origin,
             acao);
    return true;
}

static void
origin_add(struct hx_origin_variant *out, size_t max, size_t *n, const char *name,
           const char *origin)
{
    if (*n >= max || strlen(origin) >= HX_ORIGIN_MAX)
        return;
    snprintf(out[*n].name, sizeof(out[*n].name), "%s", name);
    snprintf(out[*n].origin, sizeof(out[*n].origin), "%s", origin);
    (*n)++;
}

size_t
hx_cors_origins(const char *trusted, struct hx_origin_variant *out, size_t max)
{
    size_t n = 0;
    char buf[HX_ORIGIN_MAX];
    const char *host;

    origin_add(out, max, &n, "foreign", "https://evil.example");
    origin_add(out, max, &n, "null", "null");
    if (trusted == NULL || (host = strstr(trusted, "://")) == NULL)
        return n;
    host += 3;
    snprintf(buf, sizeof(buf), "%s.evil.example", trusted);
    origin_add(out, max, &n, "lookalike-suffix", buf);
    snprintf(buf, sizeof(buf), "%.*sevil%s", (int)(host - trusted), trusted, host);
    origin_add(out, max, &n, "lookalike-prefix", buf);
    snprintf(buf, sizeof(buf), "%.*sevil-%s", (int)(host - trusted), trusted, host);
    origin_add(out, max, &n, "lookalike-prefix-hyphen", buf);
    if (strncmp(trusted, "https://", 8) == 0) {
        snprintf(buf, sizeof(buf), "http://%s", host);
        origin_add(out, max, &n, "other-scheme", buf);
    }
    return n;
}

static const struct hx_probe_arg cors_args[] = {
    HX_ARG_STR("tasks_path"),
    HX_ARG_STR("lookalike_base"), /* a trusted origin to derive lookalikes from */
    HX_ARG_END,
};

/* Preflight and a simple request from origin; judges both. Returns the
 * number of bad answers (added to bad), -1 on a server error. */
static int
cors_try(struct hx_probe_ctx *ctx, const char *path, const char *token, const char *label,
         const char *origin, bool trusted, char *bad, size_t bad_size, char *ok_note,
         size_t ok_size)
{
    struct hx_header pre[] = {{"Access-Control-Request-Method", "GET"},
                              {"Access-Control-Request-Headers", "authorization"}};
    struct hx_response r;
    char why[300], line[400];
    int n_bad = 0, rc;

    for (int k = 0; k < 2; k++) {
        if (k == 0)
            rc = hx__probe_send(ctx,
                                &(struct hx__send){.method = "OPTIONS",
                                                   .path = path,
                                                   .origin = origin,
                                                   .extra = pre,
                                                   .n_extra = 2},
                                &r);
        else
            rc = hx__probe_send(
                ctx, &(struct hx__send){.path = path, .token = token, .origin = origin}, &r);
        if (rc != 0 || r.status == 0 || r.status >= 500) {
            hx_response_cleanup(&r);
            return -1;
        }
        if (!hx_cors_ok(origin, trusted, hx_response_header(&r, "Access-Control-Allow-Origin"),
                        hx_response_header(&r, "Access-Control-Allow-Credentials"), why,
                        sizeof(why))) {
            snprintf(line, sizeof(line), "%s%s: %s", label, k == 0 ? "preflight" : "GET", why);
            hx__list_add(bad, bad_size, line);
            n_bad++;
        } else if (trusted && ok_note != NULL) {
            snprintf(ok_note, ok_size, "%s", why);
        }
        hx_response_cleanup(&r);
    }
    return n_bad;
}

static void
cors_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a;
    struct hx_origin_variant o[8];
    char path[1024], bad[1500] = "", note[300] = "";
    const char *trusted = hx_probe_origin(ctx);
    const char *base =
        trusted != NULL ? trusted : hx__arg_str(args, "lookalike_base", "http://localhost:3000");
    size_t n, n_bad = 0;
    int k;
    const char *auth;
    char auth_path[2600] = "";

    if (hx_probe_identity(ctx, "alice", &a) != 0)
        return;
    if (hx__tasks_path(ctx, args, a.user_id, path, sizeof(path)) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.profile", "the tasks route has no {user_id}");
        return;
    }
    n = hx_cors_origins(base, o, 8);
    /* The API's tasks route with the API token; on an auth server of its own,
     * the route that hands out the API credential (the exchange, else the
     * signin) with the session credential: a browser calls it cross-origin
     * with credentials, and a permissive answer there gives the credential
     * away. */
    auth = hx_probe_auth_target(ctx);
    if (auth != NULL) {
        const char *p = hx__prof_str(ctx, "auth.exchange.path", NULL);
        if (p == NULL)
            p = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
        snprintf(auth_path, sizeof auth_path, "%s%s", auth, p);
    }
    for (int origin_i = 0; origin_i < (auth != NULL ? 2 : 1); origin_i++) {
        const char *at = origin_i == 0 ? path : auth_path;
        const char *token = origin_i == 0 || a.session == NULL ? a.token : a.session;
        const char *label = auth == NULL ? "" : origin_i == 0 ? "API " : "auth server ";
        for (size_t i = 0; i < n; i++) {
            k = cors_try(ctx, at, token, label, o[i].origin, false, bad, sizeof(bad), NULL, 0);
            if (k < 0) {
                hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                            "a CORS request (%s%s) from %s got a server error or no answer; no "
                            "verdict",
                            label, origin_i == 0 ? "tasks route" : "credential route", o[i].origin);
                return;
            }
            n_bad += (size_t)k;
        }
        if (trusted != NULL) {
            k = cors_try(ctx, at, token, label, trusted, true, bad, sizeof(bad),
                         origin_i == 0 ? note : NULL, origin_i == 0 ? sizeof(note) : 0);
            if (k < 0) {
                hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                            "a CORS request (%s) from the trusted origin got a server error; no "
                            "verdict",
                            label[0] != '\0' ? label : "tasks route");
                return;
            }
            n_bad += (size_t)k;
        }
    }
    if (trusted == NULL)
        hx_step_add_note(step, "no --origin given: the trusted origin's access not checked");
    if (n_bad > 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.cors", "%zu permissive CORS answers: %s", n_bad,
                    bad);
        return;
    }
    hx_step_add_note(step, "%zu untrusted origins (foreign, null, lookalikes of %s) refused%s%s%s",
                     n, base, auth != NULL ? " by the API and the auth server" : "",
                     note[0] ? "; " : "", note);
    hx_step_pass(step);
}

const struct hx_probe_def hx__probe_cors = {
    .name = "cors",
    .summary = "untrusted, null and lookalike origins get no permissive CORS answer",
    .floods = false,
    .args = cors_args,
    .run = cors_run,
};
