/* Probe csp (checklist item 12): a restrictive Content-Security-Policy on
 * answers, errors included. */
#include <curl/curl.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hx/header_values.h"
#include "hx/probes/variants.h"
#include "hx/probes/csp.h"
#include "probe_int.h"

/* Finds directive `name` in one policy; copies its source list to out. */
static bool
csp_directive(const char *policy, const char *name, char *out, size_t out_size)
{
    const char *p = policy;
    size_t nlen = strlen(name);

    while (*p != '\0') {
        const char *end = strchr(p, ';');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        const char *d = p;
        while (d < p + len && isspace((unsigned char)*d))
            d++;
        if ((size_t)(p + len - d) >= nlen && strncasecmp(d, name, nlen) == 0 &&
            (d + nlen == p + len || isspace((unsigned char)d[nlen]))) {
            size_t vlen = (size_t)(p + len - (d + nlen));
            if (vlen >= out_size)
                vlen = out_size - 1;
            memcpy(out, d + nlen, vlen);
            out[vlen] = '\0';
            return true;
        }
        if (end == NULL)
            break;
        p = end + 1;
    }
    return false;
}

/* Returns the first permissive source in a source list, or NULL. */
static const char *
csp_permissive(const char *sources)
{
    static const char *const bad[] = {
        "'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:", "'unsafe-hashes'"};
    char buf[2048];
    char *save = NULL;

    snprintf(buf, sizeof(buf), "%s", sources);
    for (char *tok = strtok_r(buf, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save))
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
            if (strcasecmp(tok, bad[i]) == 0)
                return bad[i];
    return NULL;
}

bool
hx_csp_ok(const char *const *policies, size_t policy_count, char *why, size_t why_size)
{
    bool has_default = false;
    char src[2048];

    if (policy_count == 0) {
        hx__whyf(why, why_size, "no Content-Security-Policy header");
        return false;
    }
    for (size_t i = 0; i < policy_count; i++) {
        static const char *const names[] = {"default-src", "script-src"};
        for (size_t k = 0; k < 2; k++) {
            if (!csp_directive(policies[i], names[k], src, sizeof(src)))
                continue;
            has_default = true;
            const char *bad = csp_permissive(src);
            if (bad != NULL) {
                if (why != NULL && why_size > 0)
                    snprintf(why, why_size, "%s allows %s", names[k], bad);
                return false;
            }
        }
    }
    if (!has_default) {
        hx__whyf(why, why_size, "policy has neither default-src nor script-src");
        return false;
    }
    hx__whyf(why, why_size, "policy restricts default-src/script-src");
    return true;
}

static const struct hx_probe_arg csp_args[] = {HX_ARG_STR("tasks_path"), HX_ARG_LIST("paths"),
                                               HX_ARG_END};

static void
csp_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a;
    char own[1024], bad[1500] = "", why[300], line[700], auth_url[2600];
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
    if (hx_probe_auth_target(ctx) != NULL) {
        /* the auth server on an origin of its own answers for itself: its
         * signin route, asked with GET (any answer carries its headers) */
        snprintf(auth_url, sizeof auth_url, "%s%s", hx_probe_auth_target(ctx),
                 hx__prof_str(ctx, "paths.signin", "/api/auth/signin"));
        paths[np] = auth_url, tokens[np++] = NULL;
    }
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
            hx__list_add(bad, sizeof(bad), line);
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
    hx_step_pass(step);
}

const struct hx_probe_def hx__probe_csp = {
    .name = "csp",
    .summary = "Content-Security-Policy present on answers and not trivially permissive",
    .floods = false,
    .args = csp_args,
    .run = csp_run,
};
