/* Probes of no-info-leak: signin_enumeration (same answer for an unknown
 * email and a wrong password), signin_timing (same time, by robust
 * statistics), error_leaks (error bodies and banners). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hx/probes/content.h"
#include "hx/probes/headers.h"
#include "hx/probes/stats.h"
#include "hx/probes/variants.h"
#include "probe_int.h"

static void
leak_random_word(struct hx_probe_ctx *ctx, char *out, size_t n)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char rnd[32];
    if (n > sizeof(rnd) + 1)
        n = sizeof(rnd) + 1;
    hx_probe_random(ctx, rnd, n - 1);
    for (size_t i = 0; i + 1 < n; i++)
        out[i] = alphabet[rnd[i] % (sizeof(alphabet) - 1)];
    out[n - 1] = '\0';
}

/* An email no account has, and a password no account uses. */
static void
leak_unknown(struct hx_probe_ctx *ctx, char *email, size_t email_size, char *password,
             size_t password_size)
{
    char word[17];
    leak_random_word(ctx, word, sizeof(word));
    snprintf(email, email_size, "nobody-%s@%s", word,
             hx__prof_str(ctx, "identity.email_domain", "example.com"));
    leak_random_word(ctx, word, sizeof(word));
    snprintf(password, password_size, "Wrong-%s-9!", word);
}

static const struct hx__arg_spec enum_args[] = {{NULL, 0}};

static int
enum_validate(const json_t *args, struct hx_error *err)
{
    return hx__probe_validate(args, enum_args, err);
}

static void
enum_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity id;
    char email[200], password[80];
    char *b_unknown = NULL, *b_wrong = NULL;
    struct hx_response ru, rw;
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    int rc1, rc2;

    (void)args;
    if (hx_probe_identity_fresh(ctx, &id) != 0)
        return;
    leak_unknown(ctx, email, sizeof(email), password, sizeof(password));
    b_unknown = hx__signin_body(ctx, email, password);
    b_wrong = hx__signin_body(ctx, id.email, password);
    if (b_unknown == NULL || b_wrong == NULL) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "out of memory");
        goto done_bodies;
    }
    rc1 = hx__probe_send(
        ctx, &(struct hx__send){.method = "POST", .path = signin, .json = b_unknown}, &ru);
    rc2 = hx__probe_send(ctx, &(struct hx__send){.method = "POST", .path = signin, .json = b_wrong},
                         &rw);
    if (hx__error_if_broken(step, rc1, &ru, "signin with an unknown email") ||
        hx__error_if_broken(step, rc2, &rw, "signin with a wrong password") ||
        hx__skip_if_limited(step, &ru, "the unknown-email signin") ||
        hx__skip_if_limited(step, &rw, "the wrong-password signin"))
        goto done;
    if (ru.status >= 200 && ru.status < 300) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.signin-unknown-accepted",
                    "signin with an unknown email answered %ld", ru.status);
        goto done;
    }
    if (rw.status >= 200 && rw.status < 300) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.signin-wrong-accepted",
                    "signin with a wrong password answered %ld", rw.status);
        goto done;
    }
    if (ru.status != rw.status) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.enumeration",
                    "unknown email answers %ld, wrong password %ld: the status tells whether "
                    "an account exists",
                    ru.status, rw.status);
        goto done;
    }
    if (ru.body.len != rw.body.len ||
        (ru.body.len > 0 && memcmp(ru.body.data, rw.body.data, ru.body.len) != 0)) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.enumeration",
                    "unknown email and wrong password get different bodies (%.120s vs %.120s): "
                    "the body tells whether an account exists",
                    hx__body(&ru), hx__body(&rw));
        goto done;
    }
    hx_step_add_note(step, "unknown email and wrong password: both %ld with the same body",
                     ru.status);
done:
    hx_response_cleanup(&ru);
    hx_response_cleanup(&rw);
done_bodies:
    free(b_unknown);
    free(b_wrong);
}

const struct hx_probe_def hx__probe_signin_enumeration = {
    .name = "signin_enumeration",
    .summary = "unknown email and wrong password get the same status and body",
    .floods = false,
    .validate = enum_validate,
    .run = enum_run,
};

/* ---- timing ---- */

#define TIMING_MAX_PAIRS 40

static const struct hx__arg_spec timing_args[] = {
    {"max_pairs", 'i'}, {"min_pairs", 'i'}, {"per_account", 'i'}, {"tolerance_ms", 'n'}, {NULL, 0},
};

static int
timing_validate(const json_t *args, struct hx_error *err)
{
    int rc = hx__probe_validate(args, timing_args, err);
    long long mx = hx__arg_int(args, "max_pairs", 8), mn = hx__arg_int(args, "min_pairs", 6);
    if (rc != 0)
        return rc;
    if (mx < 3 || mx > TIMING_MAX_PAIRS || mn < 3 || mn > mx) {
        hx_error_set(err, NULL, 0,
                     "args.max_pairs/min_pairs: expected 3 <= min_pairs <= "
                     "max_pairs <= %d",
                     TIMING_MAX_PAIRS);
        return HX_E_PARSE;
    }
    if (hx__arg_int(args, "per_account", 4) < 1) {
        hx_error_set(err, NULL, 0, "args.per_account: expected at least 1");
        return HX_E_PARSE;
    }
    return 0;
}

static void
timing_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    size_t max_pairs = (size_t)hx__arg_int(args, "max_pairs", 8);
    size_t min_pairs = (size_t)hx__arg_int(args, "min_pairs", 6);
    size_t per_account = (size_t)hx__arg_int(args, "per_account", 4);
    struct hx_timing_policy pol = {.min_samples = min_pairs,
                                   .tolerance_s = hx__arg_num(args, "tolerance_ms", 25) / 1000.0};
    double unknown[TIMING_MAX_PAIRS], wrong[TIMING_MAX_PAIRS];
    size_t n = 0;
    struct hx_timing_summary sum;
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    struct hx_identity id = {0};
    bool limited = false;

    memset(&sum, 0, sizeof(sum));
    for (size_t i = 0; i < max_pairs; i++) {
        char email[200], password[80];
        char *bu, *bw;
        struct hx_response ru, rw;
        int rc1, rc2;

        /* spread wrong passwords over fresh accounts: per-account lockouts
         * are right, not what is measured */
        if (i % per_account == 0 && hx_probe_identity_fresh(ctx, &id) != 0)
            return;
        leak_unknown(ctx, email, sizeof(email), password, sizeof(password));
        bu = hx__signin_body(ctx, email, password);
        bw = hx__signin_body(ctx, id.email, password);
        if (bu == NULL || bw == NULL) {
            free(bu);
            free(bw);
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "out of memory");
            return;
        }
        /* interleaved, alternating which goes first */
        if (i % 2 == 0) {
            rc1 = hx__probe_send(
                ctx,
                &(struct hx__send){.method = "POST", .path = signin, .json = bu, .quiet = true},
                &ru);
            rc2 = hx__probe_send(
                ctx,
                &(struct hx__send){.method = "POST", .path = signin, .json = bw, .quiet = true},
                &rw);
        } else {
            rc2 = hx__probe_send(
                ctx,
                &(struct hx__send){.method = "POST", .path = signin, .json = bw, .quiet = true},
                &rw);
            rc1 = hx__probe_send(
                ctx,
                &(struct hx__send){.method = "POST", .path = signin, .json = bu, .quiet = true},
                &ru);
        }
        free(bu);
        free(bw);
        if (rc1 != 0 || rc2 != 0 || ru.status == 0 || rw.status == 0 || ru.status >= 500 ||
            rw.status >= 500) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                        "signin timing: the target answered %ld and %ld; no verdict", ru.status,
                        rw.status);
            hx_response_cleanup(&ru);
            hx_response_cleanup(&rw);
            return;
        }
        if (ru.status == 429 || rw.status == 429) {
            limited = true;
            hx_response_cleanup(&ru);
            hx_response_cleanup(&rw);
            break;
        }
        unknown[n] = ru.seconds;
        wrong[n] = rw.seconds;
        n++;
        hx_response_cleanup(&ru);
        hx_response_cleanup(&rw);
        hx_timing_compare(unknown, n, wrong, n, &pol, &sum);
        if (sum.verdict != HX_TIMING_UNDECIDED)
            break;
    }
    hx_timing_compare(unknown, n, wrong, n, &pol, &sum);
    hx_step_add_note(step,
                     "signin timing over %zu interleaved pairs: unknown email median %.1f ms "
                     "(MAD %.1f), wrong password median %.1f ms (MAD %.1f), difference %.1f ms, "
                     "Mann-Whitney p = %.4f",
                     n, sum.median_a * 1000, sum.mad_a * 1000, sum.median_b * 1000,
                     sum.mad_b * 1000, sum.diff * 1000, sum.p);
    switch (sum.verdict) {
    case HX_TIMING_DIFFERENT:
        hx_step_set(step, HX_STATUS_FAIL, "probe.timing-leak",
                    "signin with an unknown email takes %.0f ms, with a wrong password %.0f ms "
                    "(p = %.4f over %zu pairs): the time tells whether an account exists",
                    sum.median_a * 1000, sum.median_b * 1000, sum.p, n);
        return;
    case HX_TIMING_SAME:
        return;
    case HX_TIMING_UNDECIDED:
        hx_step_set(step, HX_STATUS_SKIP, limited ? "probe.rate-limited" : "probe.undecided",
                    limited ? "could not decide: rate limited (429) after %zu pairs"
                            : "could not decide: timings not clear after %zu pairs",
                    n);
        return;
    }
}

const struct hx_probe_def hx__probe_signin_timing = {
    .name = "signin_timing",
    .summary = "unknown email and wrong password take the same time (interleaved samples)",
    .floods = false,
    .validate = timing_validate,
    .run = timing_run,
};

/* ---- error bodies and banners ---- */

static const struct hx__arg_spec errors_args[] = {{"tasks_path", 's'}, {NULL, 0}};

static int
errors_validate(const json_t *args, struct hx_error *err)
{
    return hx__probe_validate(args, errors_args, err);
}

static void
errors_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a;
    char own[1024], found[1200] = "", what[200];
    unsigned char rnd[8];
    char bogus[64], bad_task[1200];
    size_t n_found = 0, errors = 0;
    struct {
        const char *method, *path, *token, *json, *label;
    } probes[10];
    size_t np = 0;
    const char *signup = hx__prof_str(ctx, "paths.signup", "/api/auth/signup");
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    const char *health = hx__prof_str(ctx, "paths.health", "/health");

    if (hx_probe_identity(ctx, "alice", &a) != 0)
        return;
    if (hx__tasks_path(ctx, args, a.user_id, own, sizeof(own)) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.profile", "the tasks route has no {user_id}");
        return;
    }
    hx_probe_random(ctx, rnd, sizeof(rnd));
    snprintf(bogus, sizeof(bogus), "/api/no-such-route-%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
             rnd[3]);
    probes[np++] = (typeof(probes[0])){"GET", own, NULL, NULL, "no token"};
    probes[np++] =
        (typeof(probes[0])){"GET", own, "garbage.garbage.garbage", NULL, "a garbage token"};
    probes[np++] = (typeof(probes[0])){"POST", signup, NULL, "{\"email\": ", "malformed JSON"};
    probes[np++] = (typeof(probes[0])){
        "POST", signup, NULL, "{\"email\":\"not-an-email\",\"password\":1}", "invalid fields"};
    probes[np++] = (typeof(probes[0])){"POST", signin, NULL, "[1,2,3]", "a JSON array"};
    probes[np++] = (typeof(probes[0])){"GET", bogus, NULL, NULL, "an unknown route"};
    probes[np++] = (typeof(probes[0])){"GET", health, NULL, NULL, "the health route"};
    /* a task id that is not a UUID, with a valid token: reaches the store */
    {
        const char *tmpl = hx__prof_str(ctx, "paths.task", "/api/users/{user_id}/tasks/{task_id}");
        const char *at = strstr(tmpl, "{task_id}");
        char tmp[1100];
        if (at != NULL && hx_variants_path_for(tmpl, a.user_id, tmp, sizeof(tmp)) == 0 &&
            (at = strstr(tmp, "{task_id}")) != NULL) {
            int k = snprintf(bad_task, sizeof(bad_task), "%.*snot-a-uuid'%s", (int)(at - tmp), tmp,
                             at + 9);
            if (k > 0 && (size_t)k < sizeof(bad_task))
                probes[np++] = (typeof(probes[0])){"GET", bad_task, a.token, NULL,
                                                   "a task id that is not a UUID"};
        }
    }
    for (size_t i = 0; i < np; i++) {
        struct hx_response r;
        int rc = hx__probe_send(ctx,
                                &(struct hx__send){.method = probes[i].method,
                                                   .path = probes[i].path,
                                                   .token = probes[i].token,
                                                   .json = probes[i].json},
                                &r);
        if (rc != 0 || r.status == 0) {
            errors++;
            hx_response_cleanup(&r);
            continue;
        }
        if (r.status >= 500 && !hx_content_leak(r.body.data != NULL ? r.body.data : "", r.body.len,
                                                what, sizeof(what))) {
            /* a server error is no verdict, unless it shows its internals */
            errors++;
            hx_response_cleanup(&r);
            continue;
        }
        for (size_t k = 0; k < r.n_headers; k++) {
            if ((strcasecmp(r.headers[k].name, "Server") == 0 ||
                 strcasecmp(r.headers[k].name, "X-Powered-By") == 0 ||
                 strcasecmp(r.headers[k].name, "X-AspNet-Version") == 0) &&
                hx_banner_found(r.headers[k].name, r.headers[k].value)) {
                snprintf(what, sizeof(what), "%s: %.80s", r.headers[k].name, r.headers[k].value);
                if (strstr(found, what) == NULL) {
                    size_t len = strlen(found);
                    int w = snprintf(found + len, sizeof(found) - len, "%sbanner %s",
                                     len ? "; " : "", what);
                    if (w < 0 || (size_t)w >= sizeof(found) - len)
                        found[len] = '\0';
                    n_found++;
                }
            }
        }
        if (r.status >= 400 && hx_content_leak(r.body.data != NULL ? r.body.data : "", r.body.len,
                                               what, sizeof(what))) {
            size_t len = strlen(found);
            int w = snprintf(found + len, sizeof(found) - len, "%s%s answered %ld with %s",
                             len ? "; " : "", probes[i].label, r.status, what);
            if (w < 0 || (size_t)w >= sizeof(found) - len)
                found[len] = '\0';
            n_found++;
        }
        hx_response_cleanup(&r);
    }
    if (n_found > 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.info-leak", "%zu leaks: %s", n_found, found);
        return;
    }
    if (errors > 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                    "%zu of %zu requests got a server error or no answer; no verdict", errors, np);
        return;
    }
    hx_step_add_note(step, "%zu error answers: no stack trace, SQL, path or version; no banner",
                     np);
}

const struct hx_probe_def hx__probe_error_leaks = {
    .name = "error_leaks",
    .summary = "error bodies carry no stack traces, SQL, paths or versions; no version banners",
    .floods = false,
    .validate = errors_validate,
    .run = errors_run,
};
