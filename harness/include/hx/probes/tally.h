#ifndef HX_PROBES_TALLY_H
#define HX_PROBES_TALLY_H
/*
 * Counting answers to bursts: the concurrent-signup race (exactly one
 * account) and the rate-limiting burst (a 429 with Retry-After in time).
 */
#include <stdbool.h>
#include <stddef.h>

struct hx_race_tally {
    size_t created;   /* the contract's signup status (201) */
    size_t duplicate; /* the duplicate status (400) */
    size_t limited;   /* 429 */
    size_t errors;    /* 5xx or no answer */
    size_t other;     /* anything else (a second 2xx counts here too) */
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

struct hx_burst {
    size_t attempts;   /* requests answered so far */
    size_t limited_at; /* 1-based attempt that met 429, 0 when none */
    bool retry_after;  /* the 429 carried a valid Retry-After */
    size_t errors;     /* 5xx or no answer */
    long last_status;
};

/* Records one answer; returns true when the burst must stop (429 met, or
 * an error). */
bool hx_burst_add(struct hx_burst *b, long status, const char *retry_after);

/* 429 with Retry-After within max attempts. */
enum hx_tally_verdict hx_burst_judge(const struct hx_burst *b, size_t max, char *why,
                                     size_t why_size);

#endif
