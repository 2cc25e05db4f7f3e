/* Probes that create load (skipped under --safe): rate-limiting
 * (rate_limit) and concurrent signups (signup_race). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "hx/probes/tally.h"
#include "probe_int.h"

#define RACE_MAX 32
#define RATE_MAX_ATTEMPTS 500
/* failed signins of a burst in flight at once: enough to spread a target's
 * hashes over a few cores, few enough to stay a burst from one client */
#define RATE_INFLIGHT 4

static void
flood_word(struct hx_probe_ctx *ctx, char *out, size_t n)
{
    unsigned char rnd[24];
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    hx_probe_random(ctx, rnd, sizeof(rnd));
    for (size_t i = 0; i < sizeof(rnd) && k + 2 < n; i++) {
        out[k++] = hex[rnd[i] >> 4];
        out[k++] = hex[rnd[i] & 15];
    }
    out[k] = '\0';
}

/* ---- rate limiting ---- */

static const struct hx__arg_spec rate_args[] = {
    {"max_account_attempts", 'i'},
    {"max_address_attempts", 'i'},
    {"scopes", 'a'},
    {"concurrency", 'i'},
    {NULL, 0},
};

static int
rate_validate(const json_t *args, struct hx_error *err)
{
    const json_t *scopes = args != NULL ? json_object_get(args, "scopes") : NULL;
    int rc = hx__probe_validate(args, rate_args, err);
    if (rc != 0)
        return rc;
    for (size_t i = 0; scopes != NULL && i < json_array_size(scopes); i++) {
        const char *s = json_string_value(json_array_get(scopes, i));
        if (strcmp(s, "account") != 0 && strcmp(s, "address") != 0) {
            hx_error_set(err, NULL, 0, "args.scopes[%zu]: expected \"account\" or \"address\"", i);
            return HX_E_PARSE;
        }
    }
    if (hx__arg_int(args, "max_account_attempts", 10) < 1 ||
        hx__arg_int(args, "max_account_attempts", 10) > 200 ||
        hx__arg_int(args, "max_address_attempts", 30) < 1 ||
        hx__arg_int(args, "max_address_attempts", 30) > RATE_MAX_ATTEMPTS) {
        hx_error_set(err, NULL, 0,
                     "args.max_*_attempts: expected 1..200 (account), 1..%d "
                     "(address)",
                     RATE_MAX_ATTEMPTS);
        return HX_E_PARSE;
    }
    if (hx__arg_int(args, "concurrency", RATE_INFLIGHT) < 1 ||
        hx__arg_int(args, "concurrency", RATE_INFLIGHT) > HX__BATCH_MAX_INFLIGHT) {
        hx_error_set(err, NULL, 0, "args.concurrency: expected 1..%d", HX__BATCH_MAX_INFLIGHT);
        return HX_E_PARSE;
    }
    return 0;
}

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

        flood_word(ctx, word, 17);
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
}

const struct hx_probe_def hx__probe_rate_limit = {
    .name = "rate_limit",
    .summary = "bursts of failed signins per account and per address meet 429 with Retry-After",
    .floods = true,
    .validate = rate_validate,
    .run = rate_run,
};

/* ---- concurrent signups ---- */

/* All threads wait at the gate until every one is ready, then go at once. */
struct race_gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool open;
};

struct race_shot {
    struct hx_probe_ctx *ctx; /* hx_probe_http_quiet only reads the run */
    struct hx_request req;
    struct race_gate *gate;
    long status;
};

static void *
race_thread(void *arg)
{
    struct race_shot *s = arg;
    struct hx_response r;
    hx_response_init(&r, 65536);
    pthread_mutex_lock(&s->gate->lock);
    while (!s->gate->open)
        pthread_cond_wait(&s->gate->cond, &s->gate->lock);
    pthread_mutex_unlock(&s->gate->lock);
    if (hx_probe_http_quiet(s->ctx, &s->req, &r) == 0)
        s->status = r.status;
    hx_response_cleanup(&r);
    return NULL;
}

static const struct hx__arg_spec race_args[] = {{"concurrency", 'i'}, {"rounds", 'i'}, {NULL, 0}};

static int
race_validate(const json_t *args, struct hx_error *err)
{
    int rc = hx__probe_validate(args, race_args, err);
    long long n = hx__arg_int(args, "concurrency", 8);
    if (rc == 0 && (n < 2 || n > RACE_MAX)) {
        hx_error_set(err, NULL, 0, "args.concurrency: expected 2..%d", RACE_MAX);
        return HX_E_PARSE;
    }
    if (rc == 0 && (hx__arg_int(args, "rounds", 2) < 1 || hx__arg_int(args, "rounds", 2) > 5)) {
        hx_error_set(err, NULL, 0, "args.rounds: expected 1..5");
        return HX_E_PARSE;
    }
    return rc;
}

/* One round: n signups with one fresh email released at once. Returns the
 * verdict and its reason; -1 when the round could not run at all. */
static int
race_round(struct hx_probe_ctx *ctx, size_t n, struct hx_race_tally *t, char *why, size_t why_size)
{
    struct race_shot shots[RACE_MAX];
    pthread_t th[RACE_MAX];
    struct race_gate gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false};
    struct hx_header h[1] = {{"Content-Type", "application/json"}};
    char word[49], email[200], password[64], url[2048], *body;
    long created = (long)hx__prof_int(ctx, "codes.signup", 201);
    long dup = (long)hx__prof_int(ctx, "codes.duplicate", 400);
    size_t started = 0;
    json_t *j;

    flood_word(ctx, word, 17);
    snprintf(email, sizeof(email), "race-%s@%s", word,
             hx__prof_str(ctx, "identity.email_domain", "example.com"));
    flood_word(ctx, word, 25);
    snprintf(password, sizeof(password), "Race-%s-7!", word);
    j = json_object();
    json_object_set_new(j, hx__prof_str(ctx, "fields.email", "email"), json_string(email));
    json_object_set_new(j, hx__prof_str(ctx, "fields.password", "password"), json_string(password));
    json_object_set_new(j, hx__prof_str(ctx, "fields.username", "username"), json_string("race"));
    body = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (body == NULL || hx_probe_url(ctx, hx__prof_str(ctx, "paths.signup", "/api/auth/signup"),
                                     url, sizeof(url)) != 0) {
        free(body);
        snprintf(why, why_size, "cannot build the signup request");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        shots[i] = (struct race_shot){.ctx = ctx, .gate = &gate};
        shots[i].req = (struct hx_request){.method = "POST",
                                           .url = url,
                                           .headers = h,
                                           .n_headers = 1,
                                           .body = body,
                                           .body_len = strlen(body)};
    }
    for (size_t i = 0; i < n; i++) {
        if (pthread_create(&th[i], NULL, race_thread, &shots[i]) != 0)
            break;
        started++;
    }
    pthread_mutex_lock(&gate.lock);
    gate.open = true;
    pthread_cond_broadcast(&gate.cond);
    pthread_mutex_unlock(&gate.lock);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(body);
    if (started < n) {
        snprintf(why, why_size, "only %zu of %zu threads could start", started, n);
        return -1;
    }
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; i < n; i++)
        hx_race_add(t, shots[i].status, created, dup);
    return (int)hx_race_judge(t, n, why, why_size);
}

static void
race_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    size_t n = (size_t)hx__arg_int(args, "concurrency", 8);
    size_t rounds = (size_t)hx__arg_int(args, "rounds", 2), passed = 0;
    struct hx_race_tally t;
    char why[300], first_why[300] = "";
    int v;
    struct hx_race_tally first_t;

    memset(&first_t, 0, sizeof(first_t));
    if (hx_probe_safe(ctx)) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.safe", "skipped under --safe (floods the target)");
        return;
    }
    /* Several rounds: a check-then-insert race does not open on every try
     * (least of all on a loaded machine); one round with two accounts is
     * enough to fail, every round must hold to pass. */
    for (size_t round = 0; round < rounds; round++) {
        v = race_round(ctx, n, &t, why, sizeof(why));
        if (v < 0) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "%s", why);
            return;
        }
        hx_step_add_note(step, "round %zu: %s", round + 1, why);
        if (v == HX_TALLY_FAIL) {
            hx_step_set(step, HX_STATUS_FAIL, "probe.race", "round %zu: %s", round + 1, why);
            return;
        }
        if (v == HX_TALLY_PASS) {
            passed++;
        } else if (first_why[0] == '\0') {
            first_t = t;
            snprintf(first_why, sizeof(first_why), "%s", why);
            break; /* a round that could not decide: more would not either */
        }
    }
    if (passed > 0)
        return; /* every round that ran held */
    /* as everywhere: a server error is an error, anything else that leaves
     * the race undecided (429s, no signup accepted) is a skip */
    if (first_t.errors > 0)
        hx_step_set(step, HX_STATUS_ERROR, "probe.server-error", "%s", first_why);
    else
        hx_step_set(step, HX_STATUS_SKIP,
                    first_t.limited > 0 ? "probe.rate-limited" : "probe.undecided", "%s",
                    first_why);
}

const struct hx_probe_def hx__probe_signup_race = {
    .name = "signup_race",
    .summary = "N simultaneous signups with one email create exactly one account",
    .floods = true,
    .validate = race_validate,
    .run = race_run,
};
