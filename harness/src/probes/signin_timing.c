/* Probe signin_timing (checklist item 6, no-info-leak): an unknown email and
 * a wrong password take the same time, by robust paired statistics. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "hx/probes/content.h"
#include "hx/header_values.h"
#include "hx/probes/stats.h"
#include "hx/probes/variants.h"
#include "probe_int.h"
#include "signin_pair.h"

#define TIMING_MAX_PAIRS 40
/* pairs at most: a leak is called only on a significant paired test
 * (p < 0.01), which takes 8 pairs that agree, or more that mostly do */
#define TIMING_PAIRS 10

static const struct hx_probe_arg timing_args[] = {
    HX_ARG_INT("max_pairs", 3, TIMING_MAX_PAIRS),
    HX_ARG_INT("min_pairs", 3, TIMING_MAX_PAIRS),
    HX_ARG_INT("per_account", 1, 1000), /* wrong passwords per fresh account */
    HX_ARG_NUM("tolerance_ms"),
    HX_ARG_END,
};

static int
timing_check_args(const json_t *args, struct hx_error *err)
{
    if (hx__arg_int(args, "min_pairs", 6) > hx__arg_int(args, "max_pairs", TIMING_PAIRS)) {
        hx_error_set(err, NULL, 0, "args.min_pairs: expected at most max_pairs (%lld)",
                     hx__arg_int(args, "max_pairs", TIMING_PAIRS));
        return HX_E_PARSE;
    }
    return 0;
}

/* The difference in milliseconds below which the two signins count as the
 * same time (or 25 % of the slower median, whichever is more): the
 * profile's limits.timing_tolerance_ms, else the scenario's tolerance_ms,
 * else 25. A threshold is the profile's to set, never a scenario edit's. */
static double
timing_tolerance_ms(const struct hx_probe_ctx *ctx, const json_t *args)
{
    double ms = (double)hx__prof_int(ctx, "limits.timing_tolerance_ms", -1);
    return ms >= 0 ? ms : hx__arg_num(args, "tolerance_ms", 25);
}

/* The pairs sent, and what they measured. */
struct timing_series {
    double unknown[TIMING_MAX_PAIRS], wrong[TIMING_MAX_PAIRS];
    size_t n;
    bool limited; /* a 429 ended it */
    struct hx_timing_summary sum;
};

/* A pair that met a 429 (another check's flood can close the signin route
 * between the pace's slots and the pair) is sent again this many times,
 * once the route is open again. */
#define TIMING_LIMITED_RETRIES 2

/* Sends one pair, one request after the other (which first: first_b), on a
 * quiet target: within the pace, and while no other request of the run is
 * on the wire, so that nothing else the run does weighs on what is
 * measured; the rest of the run goes on between pairs. Fills lp (cleaned by
 * the caller); *stopped: nothing was sent, the run is being stopped.
 * Returns 0 or an error of hx__signin_pair_send. */
static int
timing_pair_send(struct hx_probe_ctx *ctx, const char *bu, const char *bw, bool first_b,
                 struct hx__signin_pair *lp, bool *stopped)
{
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    char url[4096];
    int rc = 0;

    *stopped = false;
    memset(lp, 0, sizeof *lp);
    if ((size_t)snprintf(url, sizeof url, "%s%s", hx_probe_base(ctx, signin), signin) >= sizeof url)
        return HX_E_TOOLONG;
    for (int attempt = 0; attempt <= TIMING_LIMITED_RETRIES; attempt++) {
        if (attempt > 0)
            hx__signin_pair_cleanup(lp);
        if (!hx_probe_measure_begin(ctx, url, 2)) {
            *stopped = true;
            return 0;
        }
        rc = hx__signin_pair_send(ctx, bu, bw, first_b, false, 1, lp);
        hx_probe_measure_end(ctx);
        if (rc != 0 || (lp->ans[0].status != 429 && lp->ans[1].status != 429))
            break;
    }
    return rc;
}

/* Sends up to max_pairs pairs, and stops at the first verdict. Returns
 * false when the step was set (an error: no verdict at all). */
static bool
timing_series_run(struct hx_probe_ctx *ctx, const json_t *args, struct timing_series *ts,
                  struct hx_step_result *step)
{
    size_t max_pairs = (size_t)hx__arg_int(args, "max_pairs", TIMING_PAIRS);
    size_t min_pairs = (size_t)hx__arg_int(args, "min_pairs", 6);
    size_t per_account = (size_t)hx__arg_int(args, "per_account", 4);
    struct hx_timing_policy pol = {.min_samples = min_pairs,
                                   .tolerance_s = timing_tolerance_ms(ctx, args) / 1000.0};
    struct hx_identity id = {0};

    memset(ts, 0, sizeof *ts);
    for (size_t i = 0; i < max_pairs; i++) {
        char email[200], password[80];
        char *bu, *bw;
        struct hx__signin_pair lp;
        bool stopped;
        int rc;

        /* spread wrong passwords over fresh accounts: per-account lockouts
         * are right, not what is measured */
        if (i % per_account == 0 && hx_probe_identity_fresh(ctx, &id) != 0)
            return false;
        hx__signin_unknown(ctx, email, sizeof(email), password, sizeof(password));
        bu = hx__signin_body(ctx, email, password);
        bw = hx__signin_body(ctx, id.email, password);
        if (bu == NULL || bw == NULL) {
            free(bu);
            free(bw);
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "out of memory");
            return false;
        }
        /* which one leaves first alternates */
        rc = timing_pair_send(ctx, bu, bw, i % 2 == 1, &lp, &stopped);
        free(bu);
        free(bw);
        if (stopped)
            break;
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
            ts->limited = true;
            break;
        }
        ts->unknown[ts->n] = lp.ans[0].seconds;
        ts->wrong[ts->n] = lp.ans[1].seconds;
        ts->n++;
        hx_timing_compare_paired(ts->unknown, ts->wrong, ts->n, &pol, &ts->sum);
        if (ts->sum.verdict != HX_TIMING_UNDECIDED)
            break;
        if (hx_probe_stopping(ctx))
            break;
    }
    hx_timing_compare_paired(ts->unknown, ts->wrong, ts->n, &pol, &ts->sum);
    return true;
}

static void
timing_note(struct hx_step_result *step, const struct timing_series *ts)
{
    char interval[80];

    if (isnan(ts->sum.diff_lo))
        snprintf(interval, sizeof(interval), "too few pairs for a 90%% interval");
    else
        snprintf(interval, sizeof(interval), "90%% interval %.1f to %.1f ms",
                 ts->sum.diff_lo * 1000, ts->sum.diff_hi * 1000);
    hx_step_add_note(step,
                     "signin timing over %zu pairs, one request after the other (the first of a "
                     "pair alternating), each pair alone on the wire: "
                     "unknown email median %.1f ms (MAD %.1f), wrong password median %.1f ms "
                     "(MAD %.1f), median paired difference %.1f ms (%s), Wilcoxon signed-rank "
                     "p = %.4f (Mann-Whitney p = %.4f)",
                     ts->n, ts->sum.median_a * 1000, ts->sum.mad_a * 1000,
                     ts->sum.median_b * 1000, ts->sum.mad_b * 1000, ts->sum.diff * 1000, interval,
                     ts->sum.p, hx_stats_mann_whitney_p(ts->unknown, ts->n, ts->wrong, ts->n));
}

/* The two signins of a pair go one after the other, never together: sent
 * together, a target that serves signins one at a time (a synchronous hash
 * inside an event loop, a single hashing thread) makes one of them wait
 * for the other, and which one waits is decided by the scheduling of the
 * machines and the connections, not by the order they were sent in. The
 * pairs then differ by a whole hash, the same way each time, on a target
 * that leaks nothing. One after the other, each signin is measured alone. */
static void
timing_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct timing_series ts;

    if (!timing_series_run(ctx, args, &ts, step))
        return;
    timing_note(step, &ts);
    switch (ts.sum.verdict) {
    case HX_TIMING_DIFFERENT:
        hx_step_set(step, HX_STATUS_FAIL, "probe.timing-leak",
                    "signin with an unknown email takes %.0f ms, with a wrong password %.0f ms "
                    "(paired difference %.0f ms, p = %.4f over %zu pairs): the time tells "
                    "whether an account exists",
                    ts.sum.median_a * 1000, ts.sum.median_b * 1000, ts.sum.diff * 1000, ts.sum.p,
                    ts.n);
        return;
    case HX_TIMING_SAME:
        hx_step_add_note(step, "the same within the tolerance, p = %.4f", ts.sum.p);
        hx_step_pass(step);
        return;
    case HX_TIMING_UNDECIDED:
        if (ts.limited)
            hx_step_set(step, HX_STATUS_SKIP, "probe.rate-limited",
                        "could not decide: rate limited (429) after %zu pairs", ts.n);
        else if (hx_probe_stopping(ctx))
            hx_step_set(step, HX_STATUS_SKIP, "probe.undecided",
                        "could not decide: the run was interrupted after %zu pairs", ts.n);
        else
            hx_step_set(step, HX_STATUS_SKIP, "probe.undecided",
                        "could not decide: timings not clear after %zu pairs", ts.n);
        return;
    }
}

const struct hx_probe_def hx__probe_signin_timing = {
    .name = "signin_timing",
    .summary = "unknown email and wrong password take the same time (pairs of signins, one "
               "after the other, each pair alone on the wire)",
    .floods = false,
    .args = timing_args,
    .check_args = timing_check_args,
    .run = timing_run,
};
