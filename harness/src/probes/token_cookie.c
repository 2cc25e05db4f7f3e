/* Probe token_cookie (checklist item 11, httponly-cookies): signin sets the
 * token in an HttpOnly, SameSite (and Secure on https) cookie. */
#include <curl/curl.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hx/header_values.h"
#include "hx/probes/variants.h"
#include "hx/probes/token_cookie.h"
#include "probe_int.h"

bool
hx_cookie_ok(const struct hx_cookie *c, bool https, char *why, size_t why_size)
{
    if (!c->http_only) {
        hx__whyf(why, why_size, "cookie %s lacks HttpOnly: scripts can read the token", c->name);
        return false;
    }
    if (c->same_site[0] == '\0') {
        hx__whyf(why, why_size, "cookie %s has no SameSite attribute", c->name);
        return false;
    }
    if (strcasecmp(c->same_site, "Lax") != 0 && strcasecmp(c->same_site, "Strict") != 0 &&
        !(strcasecmp(c->same_site, "None") == 0 && c->secure)) {
        hx__whyf(why, why_size, "cookie %s has SameSite=%s", c->name, c->same_site);
        return false;
    }
    if (https && !c->secure) {
        hx__whyf(why, why_size, "cookie %s is set over https without Secure", c->name);
        return false;
    }
    if (why != NULL && why_size > 0)
        snprintf(why, why_size, "cookie %s: HttpOnly, SameSite=%s%s", c->name, c->same_site,
                 c->secure ? ", Secure" : "");
    return true;
}

static const struct hx_probe_arg cookie_args[] = {HX_ARG_STR("cookie"), HX_ARG_END};

static void
cookie_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a;
    /* the profile's token cookie, if it names one; any cookie carrying the
     * API credential counts too */
    const char *want = hx__arg_str(args, "cookie", hx__prof_str(ctx, "auth.cookie", NULL));
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    bool https = strncmp(hx_probe_target(ctx), "https://", 8) == 0;
    char *text, why[300];
    struct hx_response r;
    struct hx_cookie c;
    bool found = false;
    int rc;

    if (hx_probe_identity(ctx, "alice", &a) != 0)
        return;
    text = hx__signin_body(ctx, a.email, a.password);
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
        if ((want != NULL && strcmp(c.name, want) == 0) ||
            (a.token != NULL && strstr(sc, a.token) != NULL)) {
            found = true;
            break;
        }
    }
    hx_response_cleanup(&r);
    if (!found) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.token-in-body-only",
                    "signin sets %s%s%s no cookie carrying the API credential%s: "
                    "the frontend must keep that credential where scripts can read it "
                    "(localStorage), exposed to any XSS. Set it as an HttpOnly, Secure, "
                    "SameSite cookie",
                    want != NULL ? "no cookie named \"" : "", want != NULL ? want : "",
                    want != NULL ? "\" and" : "",
                    hx_probe_profile(ctx) != NULL &&
                            hx__prof_str(ctx, "auth.exchange.path", NULL) != NULL
                        ? " (the API credential comes from the exchange, never in a cookie)"
                        : "");
        return;
    }
    if (!hx_cookie_ok(&c, https, why, sizeof(why))) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.cookie-attributes", "%s", why);
        return;
    }
    hx_step_add_note(step, "%s", why);
    hx_step_pass(step);
}

const struct hx_probe_def hx__probe_token_cookie = {
    .name = "token_cookie",
    .summary = "signin sets the token in an HttpOnly, SameSite (and Secure on https) cookie",
    .floods = false,
    .args = cookie_args,
    .run = cookie_run,
};
