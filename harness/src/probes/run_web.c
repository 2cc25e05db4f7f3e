/* Probes of cors, https-tls13 (tls), csp and httponly-cookies
 * (token_cookie): what the target's headers allow a browser. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hx/probes/headers.h"
#include "hx/probes/variants.h"
#include "probe_int.h"

/* Appends "; text" to a bounded list. */
static void
web_list(char *list, size_t size, const char *text)
{
    size_t len = strlen(list);
    int k = snprintf(list + len, size - len, "%s%s", len > 0 ? "; " : "", text);
    if (k < 0 || (size_t)k >= size - len)
        list[len] = '\0';
}

/* ---- CORS ---- */

static const struct hx__arg_spec cors_args[] = {
    {"tasks_path", 's'},
    {"lookalike_base", 's'}, /* a trusted origin to derive lookalikes from */
    {NULL, 0},
};

static int
cors_validate(const json_t *args, struct hx_error *err)
{
    return hx__probe_validate(args, cors_args, err);
}

/* Preflight and a simple request from origin; judges both. Returns the
 * number of bad answers (added to bad), -1 on a server error. */
static int
cors_try(struct hx_probe_ctx *ctx, const char *path, const struct hx_identity *a,
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
                ctx, &(struct hx__send){.path = path, .token = a->token, .origin = origin}, &r);
        if (rc != 0 || r.status == 0 || r.status >= 500) {
            hx_response_cleanup(&r);
            return -1;
        }
        if (!hx_cors_ok(origin, trusted, hx_response_header(&r, "Access-Control-Allow-Origin"),
                        hx_response_header(&r, "Access-Control-Allow-Credentials"), why,
                        sizeof(why))) {
            snprintf(line, sizeof(line), "%s: %s", k == 0 ? "preflight" : "GET", why);
            web_list(bad, bad_size, line);
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

    if (hx_probe_identity(ctx, "alice", &a) != 0)
        return;
    if (hx__tasks_path(ctx, args, a.user_id, path, sizeof(path)) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.profile", "the tasks route has no {user_id}");
        return;
    }
    n = hx_variants_origins(base, o, 8);
    for (size_t i = 0; i < n; i++) {
        k = cors_try(ctx, path, &a, o[i].origin, false, bad, sizeof(bad), NULL, 0);
        if (k < 0) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                        "a CORS request from %s got a server error or no answer; no verdict",
                        o[i].origin);
            return;
        }
        n_bad += (size_t)k;
    }
    if (trusted != NULL) {
        k = cors_try(ctx, path, &a, trusted, true, bad, sizeof(bad), note, sizeof(note));
        if (k < 0) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                        "a CORS request from the trusted origin got a server error; no verdict");
            return;
        }
        n_bad += (size_t)k;
    } else {
        hx_step_add_note(step, "no --origin given: the trusted origin's access not checked");
    }
    if (n_bad > 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.cors", "%zu permissive CORS answers: %s", n_bad,
                    bad);
        return;
    }
    hx_step_add_note(step, "%zu untrusted origins (foreign, null, lookalikes of %s) refused%s%s", n,
                     base, note[0] ? "; " : "", note);
}

const struct hx_probe_def hx__probe_cors = {
    .name = "cors",
    .summary = "untrusted, null and lookalike origins get no permissive CORS answer",
    .floods = false,
    .validate = cors_validate,
    .run = cors_run,
};

/* ---- TLS ---- */

static const struct hx__arg_spec tls_args[] = {
    {"path", 's'},
    {"http_port", 'i'},
    {"hsts_min_age", 'i'},
    {NULL, 0},
};

static int
tls_validate(const json_t *args, struct hx_error *err)
{
    int rc = hx__probe_validate(args, tls_args, err);
    if (rc == 0 &&
        (hx__arg_int(args, "http_port", 80) < 1 || hx__arg_int(args, "http_port", 80) > 65535)) {
        hx_error_set(err, NULL, 0, "args.http_port: expected 1..65535");
        return HX_E_PARSE;
    }
    return rc;
}

/* Splits "https://host[:port]/..." into host (with brackets) and port. */
static int
tls_host(const char *url, char *host, size_t host_size, long *port)
{
    const char *h = strstr(url, "://"), *end, *colon;
    if (h == NULL)
        return HX_E_INVAL;
    h += 3;
    end = h + strcspn(h, "/?#");
    colon = NULL;
    for (const char *p = end; p > h; p--)
        if (p[-1] == ':') {
            colon = p - 1;
            break;
        } else if (p[-1] == ']') {
            break;
        }
    *port = colon != NULL ? strtol(colon + 1, NULL, 10) : 443;
    if (colon == NULL)
        colon = end;
    if ((size_t)(colon - h) >= host_size)
        return HX_E_TOOLONG;
    memcpy(host, h, (size_t)(colon - h));
    host[colon - h] = '\0';
    return 0;
}

static void
tls_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    const char *target = hx_probe_target(ctx);
    const char *path = hx__arg_str(args, "path", hx__prof_str(ctx, "paths.health", "/health"));
    const struct hx_http_config *cfg = hx_probe_http_config(ctx);
    struct hx_response r;
    char why[300], fails[1200] = "", host[300], url[700];
    long port = 443, http_port;
    int rc;

    if (strncmp(target, "https://", 8) != 0) {
        if (hx_probe_allow_http(ctx))
            hx_step_set(step, HX_STATUS_SKIP, "probe.plain-http",
                        "plain http target and --allow-http: a local run, TLS not checked");
        else
            hx_step_set(step, HX_STATUS_FAIL, "probe.plain-http",
                        "the target is served over plain http (%s); production needs HTTPS "
                        "with TLS 1.3 (or pass --allow-http for a local run)",
                        target);
        return;
    }
    rc = hx__probe_send(ctx, &(struct hx__send){.path = path}, &r);
    if (rc != 0 || r.status == 0) {
        hx_step_set(step,
                    cfg != NULL && !cfg->insecure && r.curl_code == CURLE_PEER_FAILED_VERIFICATION
                        ? HX_STATUS_FAIL
                        : HX_STATUS_ERROR,
                    r.curl_code == CURLE_PEER_FAILED_VERIFICATION ? "probe.tls-certificate"
                                                                  : "transport",
                    "https request failed: %s", r.error_text);
        hx_response_cleanup(&r);
        return;
    }
    if (strcmp(r.tls_version, "TLSv1.3") != 0) {
        char v[80];
        snprintf(v, sizeof(v), "negotiated %s, not TLS 1.3",
                 r.tls_version[0] ? r.tls_version : "an unknown version");
        web_list(fails, sizeof(fails), v);
    } else {
        hx_step_add_note(step, "negotiated TLSv1.3");
    }
    if (cfg != NULL && cfg->insecure)
        hx_step_add_note(step, "--insecure: the certificate was not verified");
    else
        hx_step_add_note(step, "certificate verified");
    if (!hx_hsts_ok(hx_response_header(&r, "Strict-Transport-Security"),
                    hx__arg_int(args, "hsts_min_age", 15552000), why, sizeof(why)))
        web_list(fails, sizeof(fails), why);
    else
        hx_step_add_note(step, "%s", why);
    hx_response_cleanup(&r);
    /* TLS 1.2 and older must be refused */
    rc = hx__probe_send(ctx,
                        &(struct hx__send){.path = path,
                                           .tls_version = CURL_SSLVERSION_TLSv1,
                                           .tls_max_version = CURL_SSLVERSION_MAX_TLSv1_2},
                        &r);
    if (rc == 0 && r.status != 0) {
        char v[80];
        snprintf(v, sizeof(v), "accepts %s", r.tls_version[0] ? r.tls_version : "TLS 1.2 or older");
        web_list(fails, sizeof(fails), v);
    } else {
        hx_step_add_note(step, "TLS 1.2 and older refused (%s)", r.error_text);
    }
    hx_response_cleanup(&r);
    /* the http twin must redirect to https */
    if (tls_host(target, host, sizeof(host), &port) == 0) {
        http_port = hx__arg_int(args, "http_port", port == 443 ? 80 : 0);
        if (http_port == 0 && hx_probe_var(ctx, "http_port") != NULL)
            http_port = strtol(hx_probe_var(ctx, "http_port"), NULL, 10);
        if (http_port > 0) {
            snprintf(url, sizeof(url), "http://%s:%ld%s", host, http_port, path);
            rc = hx__probe_send(ctx, &(struct hx__send){.path = url}, &r);
            if (rc != 0 || r.status == 0)
                hx_step_add_note(step, "http twin %s does not answer (%s)", url, r.error_text);
            else if (!hx_redirect_to_https(r.status, hx_response_header(&r, "Location"))) {
                snprintf(why, sizeof(why),
                         "http twin %.200s answers %ld without redirecting "
                         "to https",
                         url, r.status);
                web_list(fails, sizeof(fails), why);
            } else {
                hx_step_add_note(step, "http twin redirects to https (%ld)", r.status);
            }
            hx_response_cleanup(&r);
        } else {
            hx_step_add_note(step, "http twin not checked: give args.http_port");
        }
    }
    if (fails[0] != '\0')
        hx_step_set(step, HX_STATUS_FAIL, "probe.tls", "%s", fails);
}

const struct hx_probe_def hx__probe_tls = {
    .name = "tls",
    .summary = "TLS 1.3 negotiated, TLS 1.2 refused, certificate verifies, HSTS, http redirects",
    .floods = false,
    .validate = tls_validate,
    .run = tls_run,
};

/* ---- CSP ---- */

static const struct hx__arg_spec csp_args[] = {{"tasks_path", 's'}, {"paths", 'a'}, {NULL, 0}};

static int
csp_validate(const json_t *args, struct hx_error *err)
{
    return hx__probe_validate(args, csp_args, err);
}

static void
csp_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a;
    char own[1024], bad[1500] = "", why[300], line[700];
    const json_t *extra = args != NULL ? json_object_get(args, "paths") : NULL;
    const char *paths[16];
    const char *tokens[16];
    size_t np = 0, n_bad = 0;

    if (hx_probe_identity(ctx, "alice", &a) != 0)
        return;
    if (hx__tasks_path(ctx, args, a.user_id, own, sizeof(own)) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.profile", "the tasks route has no {user_id}");
        return;
    }
    paths[np] = own, tokens[np++] = a.token;
    paths[np] = own, tokens[np++] = NULL;
    paths[np] = hx__prof_str(ctx, "paths.health", "/health"), tokens[np++] = NULL;
    for (size_t i = 0; extra != NULL && i < json_array_size(extra) && np < 16; i++)
        paths[np] = json_string_value(json_array_get(extra, i)), tokens[np++] = NULL;
    for (size_t i = 0; i < np; i++) {
        struct hx_response r;
        const char *pol[8];
        size_t npol;
        int rc = hx__probe_send(ctx, &(struct hx__send){.path = paths[i], .token = tokens[i]}, &r);
        if (rc != 0 || r.status == 0 || r.status >= 500) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                        "GET %s got a server error or no answer; no verdict", paths[i]);
            hx_response_cleanup(&r);
            return;
        }
        npol = hx_response_header_count(&r, "Content-Security-Policy");
        if (npol > 8)
            npol = 8;
        for (size_t k = 0; k < npol; k++)
            pol[k] = hx_response_header_nth(&r, "Content-Security-Policy", k);
        if (!hx_csp_ok(pol, npol, why, sizeof(why))) {
            snprintf(line, sizeof(line), "%.300s (%ld%s): %s", paths[i], r.status,
                     tokens[i] != NULL ? ", with token" : "", why);
            web_list(bad, sizeof(bad), line);
            n_bad++;
        }
        hx_response_cleanup(&r);
    }
    if (n_bad > 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.csp",
                    "%zu of %zu answers lack a restrictive "
                    "Content-Security-Policy: %s",
                    n_bad, np, bad);
        return;
    }
    hx_step_add_note(step, "%zu answers (2xx and errors) carry a restrictive policy", np);
}

const struct hx_probe_def hx__probe_csp = {
    .name = "csp",
    .summary = "Content-Security-Policy present on answers and not trivially permissive",
    .floods = false,
    .validate = csp_validate,
    .run = csp_run,
};

/* ---- token cookie ---- */

static const struct hx__arg_spec cookie_args[] = {{"cookie", 's'}, {NULL, 0}};

static int
cookie_validate(const json_t *args, struct hx_error *err)
{
    return hx__probe_validate(args, cookie_args, err);
}

static void
cookie_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a;
    const char *want =
        hx__arg_str(args, "cookie", hx__prof_str(ctx, "auth.cookie", "access_token"));
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    bool https = strncmp(hx_probe_target(ctx), "https://", 8) == 0;
    json_t *body;
    char *text, why[300];
    struct hx_response r;
    struct hx_cookie c;
    bool found = false;
    int rc;

    if (hx_probe_identity(ctx, "alice", &a) != 0)
        return;
    body = json_object();
    json_object_set_new(body, hx__prof_str(ctx, "fields.email", "email"), json_string(a.email));
    json_object_set_new(body, hx__prof_str(ctx, "fields.password", "password"),
                        json_string(a.password));
    text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (text == NULL) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "out of memory");
        return;
    }
    rc =
        hx__probe_send(ctx, &(struct hx__send){.method = "POST", .path = signin, .json = text}, &r);
    free(text);
    if (hx__error_if_broken(step, rc, &r, "signin") || hx__skip_if_limited(step, &r, "signin")) {
        hx_response_cleanup(&r);
        return;
    }
    if (r.status < 200 || r.status > 299) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.signin",
                    "cannot decide: signin with the run's own account answered %ld", r.status);
        hx_response_cleanup(&r);
        return;
    }
    for (size_t i = 0; i < hx_response_header_count(&r, "Set-Cookie"); i++) {
        const char *sc = hx_response_header_nth(&r, "Set-Cookie", i);
        if (hx_cookie_parse(sc, &c) != 0)
            continue;
        /* the token cookie: the profile's name, or any cookie carrying the token */
        if (strcmp(c.name, want) == 0 || (a.token != NULL && strstr(sc, a.token) != NULL)) {
            found = true;
            break;
        }
    }
    hx_response_cleanup(&r);
    if (!found) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.token-in-body-only",
                    "signin sets no token cookie (looked for \"%s\"): the token is only in the "
                    "JSON body, so the frontend must keep it where scripts can read it "
                    "(localStorage), exposed to any XSS. Set it as an HttpOnly, Secure, "
                    "SameSite cookie",
                    want);
        return;
    }
    if (!hx_cookie_ok(&c, https, why, sizeof(why))) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.cookie-attributes", "%s", why);
        return;
    }
    hx_step_add_note(step, "%s", why);
}

const struct hx_probe_def hx__probe_token_cookie = {
    .name = "token_cookie",
    .summary = "signin sets the token in an HttpOnly, SameSite (and Secure on https) cookie",
    .floods = false,
    .validate = cookie_validate,
    .run = cookie_run,
};
