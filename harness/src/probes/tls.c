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
        hx__list_add(fails, sizeof(fails), v);
    } else {
        hx_step_add_note(step, "negotiated TLSv1.3");
    }
    if (cfg != NULL && cfg->insecure)
        hx_step_add_note(step, "--insecure: the certificate was not verified");
    else
        hx_step_add_note(step, "certificate verified");
    if (!hx_hsts_ok(hx_response_header(&r, "Strict-Transport-Security"),
                    hx__arg_int(args, "hsts_min_age", 15552000), why, sizeof(why)))
        hx__list_add(fails, sizeof(fails), why);
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
        hx__list_add(fails, sizeof(fails), v);
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
                hx__list_add(fails, sizeof(fails), why);
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
    else
        hx_step_pass(step);
}

const struct hx_probe_def hx__probe_tls = {
    .name = "tls",
    .summary = "TLS 1.3 negotiated, TLS 1.2 refused, certificate verifies, HSTS, http redirects",
    .floods = false,
    .args = tls_args,
    .run = tls_run,
};
