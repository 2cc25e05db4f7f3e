/* Probes of no-info-leak: signin_enumeration (same answer for an unknown
 * email and a wrong password), signin_timing (same time, by robust
 * statistics), error_leaks (error bodies and banners). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
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

/* What a signin pair brought back: status, time, and (kept) the body and
 * Retry-After of each. */
struct leak_answer {
    int rc;
    long status;
    double seconds;
    char *body; /* new (free()), NUL-terminated */
    size_t body_len;
};

struct leak_pair {
    struct leak_answer ans[2];
    bool keep_bodies;
};

static bool
leak_pair_answer(void *user, size_t index, int rc, const struct hx_request *req,
                 const struct hx_response *r)
{
    struct leak_pair *lp = user;
    struct leak_answer *a = &lp->ans[index];

    (void)req;
    a->rc = rc;
    a->status = rc == 0 ? r->status : 0;
    a->seconds = r->seconds;
    if (lp->keep_bodies) {
        a->body = malloc(r->body.len + 1);
        if (a->body != NULL) {
            if (r->body.len > 0)
                memcpy(a->body, r->body.data, r->body.len);
            a->body[r->body.len] = '\0';
            a->body_len = r->body.len;
        }
    }
    return false;
}

static void
leak_pair_cleanup(struct leak_pair *lp)
{
    free(lp->ans[0].body);
    free(lp->ans[1].body);
}

/* Sends two signins, both at once when in_flight is 2 (so that both meet
 * the same load on the target), else one after the other: first_b sends
 * b's request first. Fills lp (cleaned by the caller). Returns 0 or an
 * error of hx__batch_send. */
static int
leak_send_pair(struct hx_probe_ctx *ctx, const char *body_a, const char *body_b, bool first_b,
               bool evidence, size_t in_flight, struct leak_pair *lp)
{
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    struct hx__batch_item items[2] = {
        {.method = "POST", .path = signin, .json = body_a, .evidence = evidence},
        {.method = "POST", .path = signin, .json = body_b, .evidence = evidence},
    };
    struct leak_pair tmp;
    int rc;

    memset(lp, 0, sizeof(*lp));
    lp->keep_bodies = evidence;
    lp->ans[0].rc = lp->ans[1].rc = HX_E_TRANSPORT; /* until answered */
    if (!first_b)
        return hx__batch_send(ctx, items, 2, in_flight, leak_pair_answer, lp, NULL);
    /* the same batch in the other order, its answers put back in place */
    memset(&tmp, 0, sizeof(tmp));
    tmp.keep_bodies = evidence;
    tmp.ans[0].rc = tmp.ans[1].rc = HX_E_TRANSPORT;
    {
        struct hx__batch_item swapped[2] = {items[1], items[0]};
        rc = hx__batch_send(ctx, swapped, 2, in_flight, leak_pair_answer, &tmp, NULL);
    }
    lp->ans[0] = tmp.ans[1];
    lp->ans[1] = tmp.ans[0];
    return rc;
}

static const struct hx__arg_spec enum_args[] = {{NULL, 0}};

static int
enum_validate(const json_t *args, struct hx_error *err)
{
    return hx__probe_validate(args, enum_args, err);
}

/* The broken-target verdicts of one signin answer; true when the step
 * was set. */
static bool
enum_broken(struct hx_step_result *step, const struct leak_answer *a, const char *what)
{
    if (a->rc != 0 || a->status == 0) {
        hx_step_set(step, HX_STATUS_ERROR, "transport", "%s: no answer", what);
        return true;
    }
    if (a->status >= 500) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                    "%s: the target answered %ld; no verdict on a server error", what, a->status);
        return true;
    }
    if (a->status == 429) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.rate-limited",
                    "could not decide: rate limited (429) during %s", what);
        return true;
    }
    return false;
}

static void
enum_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity id;
    char email[200], password[80];
    char *b_unknown = NULL, *b_wrong = NULL;
    struct leak_pair lp;
    const struct leak_answer *ru, *rw;

    (void)args;
    memset(&lp, 0, sizeof(lp));
    if (hx_probe_identity_fresh(ctx, &id) != 0)
        return;
    leak_unknown(ctx, email, sizeof(email), password, sizeof(password));
    b_unknown = hx__signin_body(ctx, email, password);
    b_wrong = hx__signin_body(ctx, id.email, password);
    if (b_unknown == NULL || b_wrong == NULL) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "out of memory");
        goto done;
    }
    /* both at once: the same load for both, one hash's time for the pair */
    if (leak_send_pair(ctx, b_unknown, b_wrong, false, true, 2, &lp) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "the signin URL is too long");
        goto done;
    }
    ru = &lp.ans[0];
    rw = &lp.ans[1];
    if (enum_broken(step, ru, "signin with an unknown email") ||
        enum_broken(step, rw, "signin with a wrong password"))
        goto done;
    if (ru->body == NULL || rw->body == NULL) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "out of memory");
        goto done;
    }
    if (ru->status >= 200 && ru->status < 300) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.signin-unknown-accepted",
                    "signin with an unknown email answered %ld", ru->status);
        goto done;
    }
    if (rw->status >= 200 && rw->status < 300) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.signin-wrong-accepted",
                    "signin with a wrong password answered %ld", rw->status);
        goto done;
    }
    if (ru->status != rw->status) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.enumeration",
                    "unknown email answers %ld, wrong password %ld: the status tells whether "
                    "an account exists",
                    ru->status, rw->status);
        goto done;
    }
    if (ru->body_len != rw->body_len ||
        (ru->body_len > 0 && memcmp(ru->body, rw->body, ru->body_len) != 0)) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.enumeration",
                    "unknown email and wrong password get different bodies (%.120s vs %.120s): "
                    "the body tells whether an account exists",
                    ru->body, rw->body);
        goto done;
    }
    hx_step_add_note(step,
                     "unknown email and wrong password (sent together): both %ld with the "
                     "same body",
                     ru->status);
done:
    leak_pair_cleanup(&lp);
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
/* pairs at most: a leak is called only on a significant paired test
 * (p < 0.01), which takes 8 pairs that agree, or more that mostly do */
#define TIMING_PAIRS 10

static const struct hx__arg_spec timing_args[] = {
    {"max_pairs", 'i'}, {"min_pairs", 'i'}, {"per_account", 'i'}, {"tolerance_ms", 'n'}, {NULL, 0},
};

static int
timing_validate(const json_t *args, struct hx_error *err)
{
    int rc = hx__probe_validate(args, timing_args, err);
    long long mx = hx__arg_int(args, "max_pairs", TIMING_PAIRS),
              mn = hx__arg_int(args, "min_pairs", 6);
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

/* One way of sending the pairs, and what it measured. */
struct timing_phase {
    const char *how;   /* for the notes */
    bool together;     /* both signins of a pair in flight at once */
    double unknown[TIMING_MAX_PAIRS], wrong[TIMING_MAX_PAIRS];
    size_t n;
    bool limited;      /* a 429 ended it */
    struct hx_timing_summary sum;
};

/* Sends up to max_pairs pairs the phase's way, one pair after another, and
 * stops at the first verdict. Returns false when the step was set (an
 * error: no verdict at all). */
static bool
timing_phase_run(struct hx_probe_ctx *ctx, const json_t *args, struct timing_phase *ph,
                 struct hx_step_result *step)
{
    size_t max_pairs = (size_t)hx__arg_int(args, "max_pairs", TIMING_PAIRS);
    size_t min_pairs = (size_t)hx__arg_int(args, "min_pairs", 6);
    size_t per_account = (size_t)hx__arg_int(args, "per_account", 4);
    struct hx_timing_policy pol = {.min_samples = min_pairs,
                                   .tolerance_s = hx__arg_num(args, "tolerance_ms", 25) / 1000.0};
    struct hx_identity id = {0};

    memset(&ph->sum, 0, sizeof(ph->sum));
    ph->n = 0;
    ph->limited = false;
    for (size_t i = 0; i < max_pairs; i++) {
        char email[200], password[80];
        char *bu, *bw;
        struct leak_pair lp;
        int rc;

        /* spread wrong passwords over fresh accounts: per-account lockouts
         * are right, not what is measured */
        if (i % per_account == 0 && hx_probe_identity_fresh(ctx, &id) != 0)
            return false;
        leak_unknown(ctx, email, sizeof(email), password, sizeof(password));
        bu = hx__signin_body(ctx, email, password);
        bw = hx__signin_body(ctx, id.email, password);
        if (bu == NULL || bw == NULL) {
            free(bu);
            free(bw);
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "out of memory");
            return false;
        }
        /* which one leaves first alternates */
        rc = leak_send_pair(ctx, bu, bw, i % 2 == 1, false, ph->together ? 2 : 1, &lp);
        free(bu);
        free(bw);
        if (rc != 0) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "the signin URL is too long");
            return false;
        }
        if (lp.ans[0].rc != 0 || lp.ans[1].rc != 0 || lp.ans[0].status == 0 ||
            lp.ans[1].status == 0 || lp.ans[0].status >= 500 || lp.ans[1].status >= 500) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                        "signin timing: the target answered %ld and %ld; no verdict",
                        lp.ans[0].status, lp.ans[1].status);
            return false;
        }
        if (lp.ans[0].status == 429 || lp.ans[1].status == 429) {
            ph->limited = true;
            break;
        }
        ph->unknown[ph->n] = lp.ans[0].seconds;
        ph->wrong[ph->n] = lp.ans[1].seconds;
        ph->n++;
        hx_timing_compare_paired(ph->unknown, ph->wrong, ph->n, &pol, &ph->sum);
        if (ph->sum.verdict != HX_TIMING_UNDECIDED)
            break;
        if (hx_probe_stopping(ctx))
            break;
    }
    hx_timing_compare_paired(ph->unknown, ph->wrong, ph->n, &pol, &ph->sum);
    return true;
}

static void
timing_phase_note(struct hx_step_result *step, const struct timing_phase *ph)
{
    char interval[80];

    if (isnan(ph->sum.diff_lo))
        snprintf(interval, sizeof(interval), "too few pairs for a 90%% interval");
    else
        snprintf(interval, sizeof(interval), "90%% interval %.1f to %.1f ms",
                 ph->sum.diff_lo * 1000, ph->sum.diff_hi * 1000);
    hx_step_add_note(step,
                     "signin timing over %zu pairs %s (the first of a pair alternating): "
                     "unknown email median %.1f ms (MAD %.1f), wrong password median %.1f ms "
                     "(MAD %.1f), median paired difference %.1f ms (%s), Wilcoxon signed-rank "
                     "p = %.4f (Mann-Whitney p = %.4f)",
                     ph->n, ph->how, ph->sum.median_a * 1000, ph->sum.mad_a * 1000,
                     ph->sum.median_b * 1000, ph->sum.mad_b * 1000, ph->sum.diff * 1000, interval,
                     ph->sum.p, hx_stats_mann_whitney_p(ph->unknown, ph->n, ph->wrong, ph->n));
}

/* Pairs sent together first: on a target that hashes in parallel both
 * signins of a pair meet the same load, and the run does not wait for one
 * hash after another. A target that serves them one at a time makes the
 * second of each pair wait for the first: differences of a whole hash, both
 * ways, and no verdict. Then the pairs are measured again one request after
 * another, and that second phase alone decides. */
static void
timing_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct timing_phase ph[2] = {
        {.how = "each pair sent together", .together = true},
        {.how = "one request after another", .together = false},
    };
    const struct timing_phase *last = NULL;

    for (size_t k = 0; k < 2; k++) {
        if (!timing_phase_run(ctx, args, &ph[k], step))
            return;
        timing_phase_note(step, &ph[k]);
        last = &ph[k];
        if (ph[k].sum.verdict != HX_TIMING_UNDECIDED || ph[k].limited ||
            hx_probe_stopping(ctx))
            break;
    }
    switch (last->sum.verdict) {
    case HX_TIMING_DIFFERENT:
        hx_step_set(step, HX_STATUS_FAIL, "probe.timing-leak",
                    "signin with an unknown email takes %.0f ms, with a wrong password %.0f ms "
                    "(paired difference %.0f ms, p = %.4f over %zu pairs, %s): the time tells "
                    "whether an account exists",
                    last->sum.median_a * 1000, last->sum.median_b * 1000, last->sum.diff * 1000,
                    last->sum.p, last->n, last->how);
        return;
    case HX_TIMING_SAME:
        return;
    case HX_TIMING_UNDECIDED:
        if (last->limited)
            hx_step_set(step, HX_STATUS_SKIP, "probe.rate-limited",
                        "could not decide: rate limited (429) after %zu pairs, %s", last->n,
                        last->how);
        else
            hx_step_set(step, HX_STATUS_SKIP, "probe.undecided",
                        "could not decide: timings not clear after %zu pairs sent together "
                        "and %zu sent one request after another",
                        ph[0].n, last == &ph[1] ? ph[1].n : (size_t)0);
        return;
    }
}

const struct hx_probe_def hx__probe_signin_timing = {
    .name = "signin_timing",
    .summary = "unknown email and wrong password take the same time (pairs sent together)",
    .floods = false,
    .validate = timing_validate,
    .run = timing_run,
};

/* ---- error bodies and banners ---- */

static const struct hx__arg_spec errors_args[] = {{"tasks_path", 's'}, {NULL, 0}};

/* task ids sent to reach the database (see errors_run) */
#define ERRORS_TASK_IDS 5

static int
errors_validate(const json_t *args, struct hx_error *err)
{
    return hx__probe_validate(args, errors_args, err);
}

static void
errors_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a;
    char own[1024], found[1200] = "", what[200], first_error[160] = "";
    unsigned char rnd[8];
    char bogus[64], bad_task[ERRORS_TASK_IDS][1500];
    size_t n_found = 0, errors = 0;
    struct {
        const char *method, *path, *token, *json, *label;
    } probes[7 + ERRORS_TASK_IDS];
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
    /* with a valid token on the user's own path, task ids an attacker would
     * try to make the database choke: a quote, no UUID, an almost-UUID, a
     * number too big for any integer column, an oversized id */
    {
        const char *tmpl = hx__prof_str(ctx, "paths.task", "/api/users/{user_id}/tasks/{task_id}");
        char tmp[1100], big[301];
        static const char *const labels[ERRORS_TASK_IDS] = {
            "a task id with a quote",          "a task id with a quote (DELETE)",
            "a task id that is almost a UUID", "a task id that is a 30-digit number",
            "a task id of 300 characters",
        };
        const char *ids[ERRORS_TASK_IDS] = {"not-a-uuid'", "not-a-uuid'",
                                            "zzzzzzzz-zzzz-4zzz-8zzz-zzzzzzzzzzzz",
                                            "123456789012345678901234567890", big};
        const char *at;
        memset(big, 'f', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        if (strstr(tmpl, "{task_id}") != NULL &&
            hx_variants_path_for(tmpl, a.user_id, tmp, sizeof(tmp)) == 0 &&
            (at = strstr(tmp, "{task_id}")) != NULL) {
            for (size_t k = 0; k < ERRORS_TASK_IDS; k++) {
                int w = snprintf(bad_task[k], sizeof(bad_task[k]), "%.*s%s%s", (int)(at - tmp), tmp,
                                 ids[k], at + 9);
                if (w > 0 && (size_t)w < sizeof(bad_task[k]))
                    probes[np++] = (typeof(probes[0])){k == 1 ? "DELETE" : "GET", bad_task[k],
                                                       a.token, NULL, labels[k]};
            }
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
        if (rc != 0 || r.status == 0 ||
            (r.status >= 500 && !hx_content_leak(r.body.data != NULL ? r.body.data : "", r.body.len,
                                                 what, sizeof(what)))) {
            /* a server error is no verdict, unless it shows its internals */
            if (errors++ == 0)
                snprintf(first_error, sizeof(first_error), "%s answered %ld", probes[i].label,
                         r.status);
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
                    "%zu of %zu requests got a server error or no answer (first: %s); no verdict",
                    errors, np, first_error);
        return;
    }
    hx_step_add_note(step,
                     "%zu error answers (%zu of them with task ids meant for the database): no "
                     "stack trace, SQL, database error, path or version; no banner",
                     np, np > 7 ? np - 7 : 0);
}

const struct hx_probe_def hx__probe_error_leaks = {
    .name = "error_leaks",
    .summary = "error bodies carry no stack traces, SQL, paths or versions; no version banners",
    .floods = false,
    .validate = errors_validate,
    .run = errors_run,
};
