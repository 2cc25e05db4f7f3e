/* Probe rate_limit (checklist item 10, rate-limiting): bursts of failed
 * signins per account and per address meet 429 with Retry-After. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "hx/probes/tally.h"
#include "probe_int.h"

#define RATE_MAX_ATTEMPTS 500
/* failed signins of a burst in flight at once: enough to spread a target's
 * hashes over a few cores, few enough to stay a burst from one client */
#define RATE_INFLIGHT 4

static const char *const rate_scopes[] = {"account", "address", NULL};

static const struct hx_probe_arg rate_args[] = {
    HX_ARG_INT("max_account_attempts", 1, 200),
    HX_ARG_INT("max_address_attempts", 1, RATE_MAX_ATTEMPTS),
    HX_ARG_LIST_OF("scopes", rate_scopes),
    HX_ARG_INT("concurrency", 1, HX__BATCH_MAX_INFLIGHT),
    HX_ARG_END,
};

static bool
rate_scope(const json_t *args, const char *scope)
{
    const json_t *scopes = args != NULL ? json_object_get(args, "scopes") : NULL;
    if (scopes == NULL)
        return true;
    for (size_t i = 0; i < json_array_size(scopes); i++)
        if (strcmp(json_string_value(json_array_get(scopes, i)), scope) == 0)
            return true;
    return false;
}

/* What a burst's answers add up to (updated under the batch's lock). */
struct rate_state {
    struct hx_probe_ctx *ctx;
    struct hx_step_result *step;
    const char *label;
    struct hx_burst b;
    size_t max;
};

static bool
rate_answer(void *user, size_t index, int rc, const struct hx_request *req,
            const struct hx_response *r)
{
    struct rate_state *st = user;
    const char *retry = hx_response_header(r, "Retry-After");
    bool first_429 = rc == 0 && r->status == 429 && st->b.limited == 0;
    bool stop = hx_burst_add(&st->b, rc == 0 ? r->status : 0, retry);

    /* evidence: the first 429, else the last attempts */
    if (first_429 || index + 1 >= st->max)
        hx_probe_record(st->ctx, req, r);
    if (first_429)
        hx_step_add_note(st->step,
                         "%s: the first 429 came with %zu attempts let through so far, "
                         "Retry-After: %s",
                         st->label, st->b.through, retry != NULL ? retry : "(absent)");
    return stop;
}

/* One burst of failed signins; per account: the same email, else a new
 * unknown email each time. Up to `inflight` attempts at once; no new one
 * leaves after the first 429, and every attempt let through counts. */
static enum hx_tally_verdict
rate_burst(struct hx_probe_ctx *ctx, const char *account_email, size_t max, size_t inflight,
           const char *label, struct hx_step_result *step, char *why, size_t why_size)
{
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
                     "answered 429",
                     label, sent, inflight, st.b.through, st.b.limited);
    v = hx_burst_judge(&st.b, max, why, why_size);
done:
    for (size_t i = 0; i < made; i++)
        free(bodies[i]);
    return v;
}

static void
rate_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    char why[300], fails[800] = "";
    enum hx_tally_verdict v;
    bool undecided = false;
    size_t inflight = (size_t)hx__arg_int(args, "concurrency", RATE_INFLIGHT);

    if (hx_probe_safe(ctx)) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.safe", "skipped under --safe (floods the target)");
        return;
    }
    if (rate_scope(args, "account")) {
        struct hx_identity id;
        if (hx_probe_identity_fresh(ctx, &id) != 0)
            return;
        v = rate_burst(ctx, id.email, (size_t)hx__arg_int(args, "max_account_attempts", 10),
                       inflight, "per account", step, why, sizeof(why));
        if (v == HX_TALLY_FAIL)
            snprintf(fails, sizeof(fails), "per account: %s", why);
        else if (v == HX_TALLY_UNDECIDED)
            undecided = true;
        hx_step_add_note(step, "per account: %s", why);
    }
    if (rate_scope(args, "address")) {
        v = rate_burst(ctx, NULL, (size_t)hx__arg_int(args, "max_address_attempts", 30), inflight,
                       "per address", step, why, sizeof(why));
        if (v == HX_TALLY_FAIL) {
            size_t len = strlen(fails);
            int k = snprintf(fails + len, sizeof(fails) - len, "%sper address: %s", len ? "; " : "",
                             why);
            if (k < 0 || (size_t)k >= sizeof(fails) - len)
                fails[len] = '\0';
        } else if (v == HX_TALLY_UNDECIDED) {
            undecided = true;
        }
        hx_step_add_note(step, "per address: %s", why);
    }
    if (fails[0] != '\0')
        hx_step_set(step, HX_STATUS_FAIL, "probe.rate-limit", "%s", fails);
    else if (undecided)
        hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                    "a burst met a server error or no answer; no verdict");
    else if (!rate_scope(args, "account") && !rate_scope(args, "address"))
        hx_step_set(step, HX_STATUS_SKIP, "probe.no-scope", "args.scopes names no scope to check");
    else
        hx_step_pass(step);
}

const struct hx_probe_def hx__probe_rate_limit = {
    .name = "rate_limit",
    .summary = "bursts of failed signins per account and per address meet 429 with Retry-After",
    .floods = true,
    .args = rate_args,
    .run = rate_run,
};
