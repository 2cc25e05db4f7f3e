/* Probe www_authenticate (RFC 9110 §15.5.2, outside the checklist): every
 * 401 the target sends, from protected routes and from signin, carries a
 * WWW-Authenticate challenge. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/probes/www_authenticate.h"
#include "probe_int.h"
#include "signin_pair.h"

/* tchar of RFC 9110 §5.6.2 */
static bool
www_is_tchar(unsigned char c)
{
    return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

bool
hx_www_authenticate_ok(const char *value, char *why, size_t why_size)
{
    size_t n = 0;

    if (value == NULL) {
        hx__whyf(why, why_size, "no WWW-Authenticate header");
        return false;
    }
    while (*value == ' ' || *value == '\t' || *value == ',')
        value++; /* empty list elements are allowed before the first challenge */
    while (www_is_tchar((unsigned char)value[n]))
        n++;
    if (n == 0 || (value[n] != '\0' && value[n] != ' ' && value[n] != ',')) {
        hx__whyf(why, why_size, "WWW-Authenticate \"%.60s\" holds no challenge (auth-scheme)",
                 value);
        return false;
    }
    hx__whyf(why, why_size, "challenge %.*s", (int)(n < 40 ? n : 40), value);
    return true;
}

static const struct hx_probe_arg www_args[] = {
    HX_ARG_STR("tasks_path"),
    HX_ARG_END,
};

/* What to send: each request the contract answers with 401. */
struct www_try {
    const char *label;
    const char *method, *path, *raw_auth, *json;
};

static void
www_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a;
    char own[1024], email[200], password[80], bad[1200] = "", line[400], why[200];
    char *wrong_password = NULL, *unknown_email = NULL;
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    long unauth = (long)hx__prof_int(ctx, "codes.unauthenticated", 401);
    size_t n_401 = 0, n_bad = 0, n_limited = 0, n_other = 0;

    if (hx_probe_identity(ctx, "alice", &a) != 0)
        return;
    if (hx__tasks_path(ctx, args, a.user_id, own, sizeof own) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.profile", "the tasks route has no {user_id}");
        return;
    }
    hx__signin_unknown(ctx, email, sizeof email, password, sizeof password);
    wrong_password = hx__signin_body(ctx, a.email, password);
    unknown_email = hx__signin_body(ctx, email, password);
    if (wrong_password == NULL || unknown_email == NULL) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "out of memory");
        goto out;
    }
    {
        const struct www_try tries[] = {
            {"a protected route without a token", "GET", own, NULL, NULL},
            {"a protected route with a garbage token", "GET", own, "Bearer garbage.garbage.garbage",
             NULL},
            {"a protected route with the Basic scheme", "GET", own, "Basic YWxpY2U6c2VjcmV0", NULL},
            {"signin with a wrong password", "POST", signin, NULL, wrong_password},
            {"signin with an unknown email", "POST", signin, NULL, unknown_email},
        };
        for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
            struct hx_response r;
            int rc = hx__probe_send(ctx,
                                    &(struct hx__send){.method = tries[i].method,
                                                       .path = tries[i].path,
                                                       .raw_auth = tries[i].raw_auth,
                                                       .json = tries[i].json},
                                    &r);
            if (hx__error_if_broken(step, rc, &r, tries[i].label)) {
                hx_response_cleanup(&r);
                goto out;
            }
            if (r.status == 429) {
                n_limited++;
            } else if (r.status != 401 && r.status != unauth) {
                n_other++;
                hx_step_add_note(step, "%s answered %ld (not a 401: judged by other checks)",
                                 tries[i].label, r.status);
            } else {
                n_401++;
                if (!hx_www_authenticate_ok(hx_response_header(&r, "WWW-Authenticate"), why,
                                            sizeof why)) {
                    snprintf(line, sizeof line, "%s: %s", tries[i].label, why);
                    hx__list_add(bad, sizeof bad, line);
                    n_bad++;
                }
            }
            hx_response_cleanup(&r);
        }
    }
    if (n_bad > 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.www-authenticate",
                    "%zu of %zu 401 answers carry no WWW-Authenticate challenge (RFC 9110 "
                    "§15.5.2 requires one on every 401): %s",
                    n_bad, n_401, bad);
    } else if (n_401 == 0) {
        hx_step_set(step, HX_STATUS_SKIP, n_limited > 0 ? "probe.rate-limited" : "probe.undecided",
                    "cannot decide: no request got a 401 (%zu rate limited, %zu other statuses)",
                    n_limited, n_other);
    } else {
        hx_step_add_note(step, "%zu 401 answers, each with a WWW-Authenticate challenge%s", n_401,
                         n_limited > 0 ? " (some requests were rate limited)" : "");
        hx_step_pass(step);
    }
out:
    free(wrong_password);
    free(unknown_email);
}

const struct hx_probe_def hx__probe_www_authenticate = {
    .name = "www_authenticate",
    .summary = "every 401 (protected routes and signin) carries a WWW-Authenticate challenge",
    .floods = false,
    .args = www_args,
    .run = www_run,
};
