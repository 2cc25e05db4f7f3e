/* Probe tls (checklist item 9, https-tls13): TLS 1.3 negotiated, older
 * versions refused, certificate verified, HSTS, the http twin redirects. */
#include <curl/curl.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hx/header_values.h"
#include "hx/probes/variants.h"
#include "hx/probes/tls.h"
#include "probe_int.h"

bool
hx_hsts_ok(const char *value, long long min_age, char *why, size_t why_size)
{
    const char *p;
    long long age;

    if (value == NULL) {
        hx__whyf(why, why_size, "no Strict-Transport-Security header");
        return false;
    }
    for (p = value; *p != '\0'; p++)
        if (strncasecmp(p, "max-age", 7) == 0)
            break;
    if (*p == '\0') {
        hx__whyf(why, why_size, "Strict-Transport-Security without max-age: %s", value);
        return false;
    }
    p += 7;
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '=') {
        hx__whyf(why, why_size, "Strict-Transport-Security malformed: %s", value);
        return false;
    }
    p++;
    if (*p == '"')
        p++;
    if (!isdigit((unsigned char)*p)) {
        hx__whyf(why, why_size, "Strict-Transport-Security malformed: %s", value);
        return false;
    }
    age = strtoll(p, NULL, 10);
    if (age < min_age) {
        hx__whyf(why, why_size, "Strict-Transport-Security max-age too short: %s", value);
        return false;
    }
    hx__whyf(why, why_size, "Strict-Transport-Security: %s", value);
    return true;
}

bool
hx_redirect_to_https(long status, const char *location)
{
    return status >= 300 && status <= 399 && location != NULL &&
           strncasecmp(location, "https://", 8) == 0;
}

static const struct hx_probe_arg tls_args[] = {
    HX_ARG_STR("path"),
    HX_ARG_INT("http_port", 1, 65535),
    HX_ARG_INT("hsts_min_age", 0, 1LL << 40),
    HX_ARG_END,
};

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

enum tls_outcome {
    TLS_JUDGED,    /* what failed is in fails (nothing: it passed) */
    TLS_UNDECIDED, /* plain http under --allow-http: the step is set SKIP */
    TLS_BROKEN,    /* no answer: the step is set ERROR */
};

/* Judges one origin: base is its URL, url the page asked for (on base),
 * label what the messages call it ("" with one origin, "API: " ...). Adds
 * what fails to fails; twin: check the http twin (the API origin only,
 * where args.http_port and the run's http_port name it). */
static enum tls_outcome
tls_judge_origin(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step,
                 const char *base, const char *url, const char *label, bool twin, char *fails,
                 size_t fails_size)
{
    const struct hx_http_config *cfg = hx_probe_http_config(ctx);
    struct hx_response r;
    char why[300], v[400], host[300], twin_url[700];
    long port = 443, http_port;
    int rc;

    if (strncmp(base, "https://", 8) != 0) {
        if (hx_probe_allow_http(ctx)) {
            hx_step_set(step, HX_STATUS_SKIP, "probe.plain-http",
                        "%splain http (%.200s) and --allow-http: a local run, TLS not checked",
                        label, base);
            return TLS_UNDECIDED;
        }
        snprintf(v, sizeof v,
                 "%sserved over plain http (%.200s); production needs HTTPS with TLS 1.3 (or "
                 "pass --allow-http for a local run)",
                 label, base);
        hx__list_add(fails, fails_size, v);
        return TLS_JUDGED;
    }
    rc = hx__probe_send(ctx, &(struct hx__send){.path = url}, &r);
    if (rc != 0 || r.status == 0) {
        bool cert = r.curl_code == CURLE_PEER_FAILED_VERIFICATION;
        if (cert && cfg != NULL && !cfg->insecure) {
            snprintf(v, sizeof v, "%sthe certificate does not verify: %.200s", label, r.error_text);
            hx__list_add(fails, fails_size, v);
        } else {
            /* an origin that gave no answer leaves the item undecided */
            hx_step_set(step, HX_STATUS_ERROR, cert ? "probe.tls-certificate" : "transport",
                        "%shttps request failed: %s", label, r.error_text);
            hx_response_cleanup(&r);
            return TLS_BROKEN;
        }
        hx_response_cleanup(&r);
        return TLS_JUDGED;
    }
    if (strcmp(r.tls_version, "TLSv1.3") != 0) {
        snprintf(v, sizeof(v), "%snegotiated %s, not TLS 1.3", label,
                 r.tls_version[0] ? r.tls_version : "an unknown version");
        hx__list_add(fails, fails_size, v);
    } else {
        hx_step_add_note(step, "%snegotiated TLSv1.3", label);
    }
    if (cfg != NULL && cfg->insecure)
        hx_step_add_note(step, "%s--insecure: the certificate was not verified", label);
    else
        hx_step_add_note(step, "%scertificate verified", label);
    if (!hx_hsts_ok(hx_response_header(&r, "Strict-Transport-Security"),
                    hx__arg_int(args, "hsts_min_age", 15552000), why, sizeof(why))) {
        snprintf(v, sizeof v, "%s%s", label, why);
        hx__list_add(fails, fails_size, v);
    } else {
        hx_step_add_note(step, "%s%s", label, why);
    }
    hx_response_cleanup(&r);
    /* TLS 1.2 and older must be refused */
    rc = hx__probe_send(ctx,
                        &(struct hx__send){.path = url,
                                           .tls_version = CURL_SSLVERSION_TLSv1,
                                           .tls_max_version = CURL_SSLVERSION_MAX_TLSv1_2},
                        &r);
    if (rc == 0 && r.status != 0) {
        snprintf(v, sizeof(v), "%saccepts %s", label,
                 r.tls_version[0] ? r.tls_version : "TLS 1.2 or older");
        hx__list_add(fails, fails_size, v);
    } else {
        hx_step_add_note(step, "%sTLS 1.2 and older refused (%s)", label, r.error_text);
    }
    hx_response_cleanup(&r);
    if (!twin || tls_host(base, host, sizeof(host), &port) != 0)
        return TLS_JUDGED;
    /* the http twin must redirect to https */
    http_port = hx__arg_int(args, "http_port", port == 443 ? 80 : 0);
    if (http_port == 0 && hx_probe_var(ctx, "http_port") != NULL)
        http_port = strtol(hx_probe_var(ctx, "http_port"), NULL, 10);
    if (http_port <= 0) {
        hx_step_add_note(step, "%shttp twin not checked: give args.http_port", label);
        return TLS_JUDGED;
    }
    snprintf(twin_url, sizeof(twin_url), "http://%s:%ld%s", host, http_port, url + strlen(base));
    rc = hx__probe_send(ctx, &(struct hx__send){.path = twin_url}, &r);
    if (rc != 0 || r.status == 0) {
        hx_step_add_note(step, "%shttp twin %s does not answer (%s)", label, twin_url,
                         r.error_text);
    } else if (!hx_redirect_to_https(r.status, hx_response_header(&r, "Location"))) {
        snprintf(v, sizeof(v), "%shttp twin %.200s answers %ld without redirecting to https", label,
                 twin_url, r.status);
        hx__list_add(fails, fails_size, v);
    } else {
        hx_step_add_note(step, "%shttp twin redirects to https (%ld)", label, r.status);
    }
    hx_response_cleanup(&r);
    return TLS_JUDGED;
}

static void
tls_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    const char *target = hx_probe_target(ctx);
    const char *auth = hx_probe_auth_target(ctx);
    const char *path = hx__arg_str(args, "path", hx__prof_str(ctx, "paths.health", "/health"));
    /* any answer of the auth origin shows its TLS: the signin route, asked with GET */
    const char *auth_path = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    char fails[1600] = "", url[2600];
    enum tls_outcome api, other = TLS_JUDGED;

    if (strncmp(target, "https://", 8) != 0 &&
        (auth == NULL || strncmp(auth, "https://", 8) != 0) && hx_probe_allow_http(ctx)) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.plain-http",
                    "plain http target and --allow-http: a local run, TLS not checked");
        return;
    }
    snprintf(url, sizeof url, "%s%s", target, path);
    api = tls_judge_origin(ctx, args, step, target, url, auth != NULL ? "API: " : "", true, fails,
                           sizeof fails);
    if (api == TLS_BROKEN)
        return;
    if (auth != NULL) {
        snprintf(url, sizeof url, "%s%s", auth, auth_path);
        other = tls_judge_origin(ctx, args, step, auth, url, "auth server: ", false, fails,
                                 sizeof fails);
        if (other == TLS_BROKEN)
            return;
    }
    /* a failure on either origin decides; an origin not judged keeps a pass from it */
    if (fails[0] != '\0')
        hx_step_set(step, HX_STATUS_FAIL, "probe.tls", "%s", fails);
    else if (api == TLS_JUDGED && other == TLS_JUDGED)
        hx_step_pass(step);
}

const struct hx_probe_def hx__probe_tls = {
    .name = "tls",
    .summary = "TLS 1.3 negotiated, TLS 1.2 refused, certificate verifies, HSTS, http redirects",
    .floods = false,
    .args = tls_args,
    .run = tls_run,
};
