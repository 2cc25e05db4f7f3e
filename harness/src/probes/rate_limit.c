/* Probe rate_limit (checklist item 10, rate-limiting): a burst of failed
 * signins per account, or per address, meets a limit (429, or the lockout
 * answer the profile describes) within the budget. The budgets come from
 * the profile (limits.account, limits.address), by default OWASP ASVS 4.0.3
 * V2.2.1: no more than 100 failed attempts per hour on one account. */
#include <strings.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "hx/probes/tally.h"
#include "probe_int.h"

#define RATE_MAX_ATTEMPTS 500
/* OWASP ASVS 4.0.3 V2.2.1: "no more than 100 failed attempts per hour is
 * possible on a single account" */
#define RATE_ASVS_BUDGET 100
/* failed signins of a burst in flight at once: enough to spread a target's
 * hashes over a few cores, few enough to stay a burst from one client */
#define RATE_INFLIGHT 4

/* "forwarded": one account, each attempt naming a new client address in
 * X-Forwarded-For and X-Real-IP, as a client behind no proxy can: a limiter
 * that trusts those headers and counts per address only is no limit. */
static const char *const rate_scopes[] = {"account", "address", "forwarded", NULL};

/* The thresholds live in the profile, never in a scenario. */
static const struct hx_probe_arg rate_args[] = {
    HX_ARG_LIST_OF("scopes", rate_scopes),
    HX_ARG_INT("concurrency", 1, HX__BATCH_MAX_INFLIGHT),
    HX_ARG_END,
};

/* What a burst's answers add up to (updated under the batch's lock). */
struct rate_state {
    struct hx_probe_ctx *ctx;
    struct hx_step_result *step;
    const char *label;
    struct hx_burst b;
    size_t max;
};

/* The answer is the lockout the profile describes: its status (limits.
 * lockout_status, an integer or a list) and, when given, a message the body
 * holds (limits.lockout_message, any case). Without a profile lockout: no. */
static bool
rate_is_lockout(struct hx_probe_ctx *ctx, const struct hx_response *r)
{
    const json_t *st = hx__prof_json(ctx, "limits.lockout_status");
    const char *msg = hx__prof_str(ctx, "limits.lockout_message", NULL);
    bool status_ok = false;
    size_t i;
    json_t *v;

    if (st == NULL || r->status == 429)
        return false;
    if (json_is_integer(st))
        status_ok = json_integer_value(st) == r->status;
    json_array_foreach(st, i, v) status_ok |= json_integer_value(v) == r->status;
    if (!status_ok)
        return false;
    if (msg == NULL || msg[0] == '\0')
        return true;
    return r->body.data != NULL && strcasestr(r->body.data, msg) != NULL;
}

static bool
rate_answer(void *user, size_t index, int rc, const struct hx_request *req,
            const struct hx_response *r)
{
    struct rate_state *st = user;
    const char *retry = hx_response_header(r, "Retry-After");
    bool lockout = rc == 0 && rate_is_lockout(st->ctx, r);
    bool first = rc == 0 && (r->status == 429 || lockout) && st->b.limited == 0;
    bool stop;

    if (retry == NULL)
        retry = hx_response_header(r, "X-Retry-After");
    stop = hx_burst_add(&st->b, rc == 0 ? r->status : 0, retry, lockout);
    /* evidence: the first limit, else the last attempts */
    if (first || index + 1 >= st->max)
        hx_probe_record(st->ctx, req, r);
    if (first)
        hx_step_add_note(st->step,
                         "%s: the first %s came with %zu attempts let through so far, "
                         "Retry-After: %s",
                         st->label, lockout ? "lockout answer" : "429", st->b.through,
                         retry != NULL ? retry : "(absent)");
    return stop;
}

/* One burst of failed signins; per account: the same email, else a new
 * unknown email each time. Up to `inflight` attempts at once; no new one
 * leaves after the first 429, and every attempt let through counts. */
static enum hx_tally_verdict
rate_burst(struct hx_probe_ctx *ctx, const char *account_email, size_t max, size_t inflight,
           bool forwarded, const char *label, struct hx_step_result *step, char *why,
           size_t why_size)
{
    char addresses[RATE_MAX_ATTEMPTS + 1][16];
    struct rate_state st = {.ctx = ctx, .step = step, .label = label, .max = max};
    struct hx__batch_item items[RATE_MAX_ATTEMPTS + 1];
    char *bodies[RATE_MAX_ATTEMPTS + 1];
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    const char *domain = hx__prof_str(ctx, "identity.email_domain", "example.com");
    size_t n = max + 1, made = 0, sent = 0;
    enum hx_tally_verdict v = HX_TALLY_UNDECIDED;
    int rc;

    for (; made < n; made++) {
        char email[200], word[49], password[80];

        hx__random_word(ctx, word, 17);
        snprintf(password, sizeof(password), "Wrong-%s", word);
        if (account_email != NULL)
            snprintf(email, sizeof(email), "%s", account_email);
        else
            snprintf(email, sizeof(email), "nobody-%s@%s", word, domain);
        bodies[made] = hx__signin_body(ctx, email, password);
        if (bodies[made] == NULL) {
            snprintf(why, why_size, "could not decide: out of memory");
            goto done;
        }
        items[made] =
            (struct hx__batch_item){.method = "POST", .path = signin, .json = bodies[made]};
        if (forwarded) {
            /* documentation ranges (RFC 5737), a new one each attempt */
            snprintf(addresses[made], sizeof addresses[made], "%s.%zu",
                     made < 254 ? "203.0.113" : "198.51.100", made % 254 + 1);
            items[made].forwarded_for = addresses[made];
        }
    }
    rc = hx__batch_send(ctx, items, n, inflight, rate_answer, &st, &sent);
    if (rc != 0) {
        snprintf(why, why_size, "could not decide: the signin URL is too long");
        goto done;
    }
    if (hx_probe_stopping(ctx) && st.b.limited == 0 && sent < n) {
        snprintf(why, why_size, "could not decide: the run was interrupted");
        goto done;
    }
    hx_step_add_note(step,
                     "%s: %zu attempts sent, up to %zu at once; %zu let through, %zu "
                     "limited (429 or lockout)",
                     label, sent, inflight, st.b.through, st.b.limited);
    v = hx_burst_judge(&st.b, max, why, why_size);
done:
    for (size_t i = 0; i < made; i++)
        free(bodies[i]);
    return v;
}

/* The budget of failed attempts for scope ("account" or "address"): the
 * profile's limits.<scope>, else ASVS V2.2.1's 100; its source goes into
 * the notes. */
static size_t
rate_budget(struct hx_probe_ctx *ctx, const char *scope, struct hx_step_result *step)
{
    char key[64];
    long long n;

    snprintf(key, sizeof key, "limits.%s", scope);
    n = hx__prof_int(ctx, key, RATE_ASVS_BUDGET);
    if (n < 1 || n > RATE_MAX_ATTEMPTS)
        n = RATE_ASVS_BUDGET;
    hx_step_add_note(step, "per %s: budget %lld failed attempts (%s)", scope, n,
                     n == RATE_ASVS_BUDGET ? "OWASP ASVS 4.0.3 V2.2.1: at most 100 failed attempts "
                                             "per hour on one account"
                                           : "the profile's limits");
    return (size_t)n;
}

/* One scope's verdict: a failure joins fails ("label: why" and the hint),
 * the first scope that could not decide leaves its reason in undecided (a
 * pass leaves both as they are). Text that does not fit is left out whole. */
static void
rate_record(enum hx_tally_verdict v, const char *label, const char *hint, const char *why,
            char *fails, size_t fails_size, char *undecided, size_t undecided_size)
{
    if (v == HX_TALLY_FAIL) {
        size_t len = strlen(fails);
        int k = snprintf(fails + len, fails_size - len, "%s%s: %s%s", len ? "; " : "", label, why,
                         hint);
        if (k < 0 || (size_t)k >= fails_size - len)
            fails[len] = '\0';
    } else if (v == HX_TALLY_UNDECIDED && undecided[0] == '\0') {
        /* never empty: an empty reason would read as "every scope decided" */
        snprintf(undecided, undecided_size, "%s", why[0] != '\0' ? why : label);
    }
}

static void
rate_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    char why[300], fails[800] = "";
    enum hx_tally_verdict v;
    char undecided_why[300] = ""; /* the first scope that could not decide, and why */
    size_t inflight = (size_t)hx__arg_int(args, "concurrency", RATE_INFLIGHT);

    if (hx_probe_safe(ctx)) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.safe", "skipped under --safe (floods the target)");
        return;
    }
    if (hx__arg_list_has(args, "scopes", "account")) {
        struct hx_identity id;
        if (hx_probe_identity_fresh(ctx, &id) != 0)
            return;
        v = rate_burst(ctx, id.email, rate_budget(ctx, "account", step), inflight, false,
                       "per account", step, why, sizeof(why));
        rate_record(v, "per account", "", why, fails, sizeof fails, undecided_why,
                    sizeof undecided_why);
        hx_step_add_note(step, "per account: %s", why);
    }
    if (hx__arg_list_has(args, "scopes", "address")) {
        v = rate_burst(ctx, NULL, rate_budget(ctx, "address", step), inflight, false, "per address",
                       step, why, sizeof(why));
        rate_record(v, "per address", "", why, fails, sizeof fails, undecided_why,
                    sizeof undecided_why);
        hx_step_add_note(step, "per address: %s", why);
    }
    if (hx__arg_list_has(args, "scopes", "forwarded")) {
        struct hx_identity id;
        if (hx_probe_identity_fresh(ctx, &id) != 0)
            return;
        v = rate_burst(ctx, id.email, rate_budget(ctx, "account", step), inflight, true,
                       "per account, a new X-Forwarded-For each attempt", step, why, sizeof(why));
        rate_record(v, "per account with a new X-Forwarded-For each attempt",
                    " (a limiter that believes the header and counts per address only)", why, fails,
                    sizeof fails, undecided_why, sizeof undecided_why);
        hx_step_add_note(step, "per account, a new X-Forwarded-For each attempt: %s", why);
    }
    if (fails[0] != '\0')
        hx_step_set(step, HX_STATUS_FAIL, "probe.rate-limit", "%s", fails);
    else if (undecided_why[0] != '\0')
        hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                    "a burst met a server error or no answer; no verdict (%s)", undecided_why);
    else if (!hx__arg_list_has(args, "scopes", "account") &&
             !hx__arg_list_has(args, "scopes", "address") &&
             !hx__arg_list_has(args, "scopes", "forwarded"))
        hx_step_set(step, HX_STATUS_SKIP, "probe.no-scope", "args.scopes names no scope to check");
    else
        hx_step_pass(step);
}

const struct hx_probe_def hx__probe_rate_limit = {
    .name = "rate_limit",
    .summary = "bursts of failed signins per account, per address, or per account with a new "
               "X-Forwarded-For each time, meet a 429 or lockout within the budget (ASVS V2.2.1)",
    .floods = true,
    .args = rate_args,
    .run = rate_run,
};
