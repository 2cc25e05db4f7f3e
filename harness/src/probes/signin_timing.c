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

/* One way of sending the pairs, and what it measured. */
struct timing_phase {
    const char *how; /* for the notes */
    bool together;   /* both signins of a pair in flight at once */
    double unknown[TIMING_MAX_PAIRS], wrong[TIMING_MAX_PAIRS];
    size_t n;
    bool limited; /* a 429 ended it */
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
                                   .tolerance_s = timing_tolerance_ms(ctx, args) / 1000.0};
    struct hx_identity id = {0};

    memset(&ph->sum, 0, sizeof(ph->sum));
    ph->n = 0;
    ph->limited = false;
    for (size_t i = 0; i < max_pairs; i++) {
        char email[200], password[80];
        char *bu, *bw;
        struct hx__signin_pair lp;
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
        rc = hx__signin_pair_send(ctx, bu, bw, i % 2 == 1, false, ph->together ? 2 : 1, &lp);
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
 * signins of a pair meet the same load. But a target that serves requests
 * one at a time (a synchronous hash inside an event loop) makes the second
 * of each pair wait for the first, and the pairs can look the same when
 * they are not. So a "same" from that phase is never enough: the pairs are
 * always measured again one request after another, whose samples do not
 * wait for each other, and that phase decides. A clear difference in the
 * pairs phase is a leak either way (waiting blurs a difference, it does not
 * make one). */
static void
timing_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct timing_phase ph[2] = {
        {.how = "each pair sent together", .together = true},
        {.how = "one request after another", .together = false},
    };
    const struct timing_phase *last = &ph[0];

    if (!timing_phase_run(ctx, args, &ph[0], step))
        return;
    timing_phase_note(step, &ph[0]);
    if (ph[0].sum.verdict != HX_TIMING_DIFFERENT && !ph[0].limited && !hx_probe_stopping(ctx)) {
        hx_probe_new_client(ctx); /* the second phase from a client of its own */
        if (!timing_phase_run(ctx, args, &ph[1], step))
            return;
        timing_phase_note(step, &ph[1]);
        last = &ph[1];
        if (ph[0].sum.verdict == HX_TIMING_SAME && ph[1].sum.verdict == HX_TIMING_DIFFERENT)
            hx_step_add_note(step, "the pairs sent together looked the same, one request after "
                                   "another they differ: the target serves signins one at a "
                                   "time");
    }
    if (last == &ph[0] && ph[0].sum.verdict == HX_TIMING_SAME) {
        /* never a pass on the pairs phase alone */
        hx_step_set(step, HX_STATUS_SKIP, ph[0].limited ? "probe.rate-limited" : "probe.undecided",
                    "could not decide: the one-request-after-another phase could not run (%s)",
                    ph[0].limited ? "rate limited (429)" : "the run was interrupted");
        return;
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
        hx_step_add_note(step, "verdict from the phase %s: the same within the tolerance, p = %.4f",
                         last->how, last->sum.p);
        hx_step_pass(step);
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
                        ph[0].n, ph[1].n);
        return;
    }
}

const struct hx_probe_def hx__probe_signin_timing = {
    .name = "signin_timing",
    .summary = "unknown email and wrong password take the same time (pairs sent together, then "
               "one request after another, which decides)",
    .floods = false,
    .args = timing_args,
    .check_args = timing_check_args,
    .run = timing_run,
};
