/* Probe signup_race: simultaneous signups with one email create exactly one
 * account. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "hx/probes/tally.h"
#include "hx/signup_extra.h"
#include "probe_int.h"

#define RACE_MAX 32

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

static const struct hx_probe_arg race_args[] = {
    HX_ARG_INT("concurrency", 2, RACE_MAX),
    HX_ARG_INT("rounds", 1, 5),
    HX_ARG_END,
};

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

    hx__random_word(ctx, word, 17);
    snprintf(email, sizeof(email), "race-%s@%s", word,
             hx__prof_str(ctx, "identity.email_domain", "example.com"));
    hx__random_word(ctx, word, 25);
    snprintf(password, sizeof(password), "Race-%s-7!", word);
    j = json_object();
    json_object_set_new(j, hx__prof_str(ctx, "fields.email", "email"), json_string(email));
    json_object_set_new(j, hx__prof_str(ctx, "fields.password", "password"), json_string(password));
    json_object_set_new(j, hx__prof_str(ctx, "fields.username", "username"), json_string("race"));
    if (hx_signup_extra_add(hx_probe_profile(ctx), j, email, password, "race", NULL) != 0) {
        json_decref(j);
        snprintf(why, why_size, "cannot build the signup request (fields.extra)");
        return -1;
    }
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
    /* within the target's pace: n slots free at once, so none meets a 429 */
    hx_probe_pace_take(ctx, url, n);
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
    if (hx_probe_pace_slots(ctx) > 0 && n > hx_probe_pace_slots(ctx)) {
        if (hx_probe_pace_slots(ctx) < 2) {
            hx_step_set(step, HX_STATUS_SKIP, "probe.paced",
                        "cannot decide: the pace allows one signup at a time, and a race needs "
                        "two at once");
            return;
        }
        hx_step_add_note(step, "%zu signups at once, not %zu: the target's pace allows %u",
                         (size_t)hx_probe_pace_slots(ctx), n, hx_probe_pace_slots(ctx));
        n = hx_probe_pace_slots(ctx);
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
    if (passed > 0) {
        hx_step_pass(step); /* every round that ran held */
        return;
    }
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
    .args = race_args,
    .run = race_run,
};
