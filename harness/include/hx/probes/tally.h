#ifndef HX_PROBES_TALLY_H
#define HX_PROBES_TALLY_H
/*
 * Counting answers to bursts: the concurrent-signup race (exactly one
 * account) and the rate-limiting burst (a 429 with Retry-After in time).
 */
#include <stdbool.h>
#include <stddef.h>

struct hx_race_tally {
    size_t created;   /* any success (the contract's 201, or another 2xx) */
    size_t duplicate; /* any refusal but 429 (the contract's 400, or another 4xx) */
    size_t limited;   /* 429 */
    size_t errors;    /* 5xx or no answer */
    size_t other;     /* anything else: 1xx, 3xx */
    long other_status;
};

void hx_race_add(struct hx_race_tally *t, long status, long created_status, long dup_status);

enum hx_tally_verdict {
    HX_TALLY_PASS = 0,
    HX_TALLY_FAIL,
    HX_TALLY_UNDECIDED, /* rate limited or errors: no verdict */
};

/* Exactly one created and every other answer a duplicate. */
enum hx_tally_verdict hx_race_judge(const struct hx_race_tally *t, size_t sent, char *why,
                                    size_t why_size);

/* A burst of failed signins, answered in any order (several may be in
 * flight): what counts is how many the target let through before it
 * limited, not the position of the first 429. */
struct hx_burst {
    size_t attempts;   /* requests answered so far (errors excluded) */
    size_t through;    /* answered with anything but 429 */
    size_t limited;    /* answered 429 */
    size_t limited_at; /* through + 1 when the first 429 arrived, 0 before */
    bool retry_after;  /* the first 429 carried a valid Retry-After (or X-Retry-After) */
    size_t lockouts;   /* answered with the profile's lockout (status and message) */
    size_t errors;     /* 5xx, or more than HX_BURST_DROPS_MAX without an answer */
    size_t dropped;    /* no answer (a connection cut or timed out): not counted as let through */
    long last_status;
};

/* Attempts of a burst that may go unanswered (a keep-alive connection the
 * server closed as the request left, under load) before the burst stops
 * undecided. */
#define HX_BURST_DROPS_MAX 3

/* Records one answer (status 0: none came); returns true when the burst
 * must stop sending (a 429 or a lockout met, a 5xx, or more than
 * HX_BURST_DROPS_MAX attempts without an answer). lockout: the answer is the lockout the
 * target's profile describes (a 401/403/423 with a stable message), which
 * limits like a 429. */
bool hx_burst_add(struct hx_burst *b, long status, const char *retry_after, bool lockout);

/* A limit (429 or lockout) after at most max - 1 attempts got through (it
 * came at attempt max at the latest, counting the attempts let through).
 * No limit fails only when more than max attempts were answered and let
 * through; with fewer (some got no answer) it is undecided.
 * Retry-After is reported, not required: RFC 6585 §4 says a 429 MAY carry
 * it. */
enum hx_tally_verdict hx_burst_judge(const struct hx_burst *b, size_t max, char *why,
                                     size_t why_size);

#endif
