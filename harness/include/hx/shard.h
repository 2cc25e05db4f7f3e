#ifndef HX_SHARD_H
#define HX_SHARD_H
/*
 * Sharding: a stable partition of the selected scenarios into N parts, so
 * that N CI jobs each run one part and `authconform merge` puts the reports
 * back together.
 *
 * Invariants:
 * - Every item lands in exactly one shard.
 * - The split depends only on the items' ids, files and durations, never on
 *   the order they are given in, the locale or a hash seed: items are
 *   ordered by id, then file (bytewise, strcmp) before anything is decided.
 * - Without durations, the sorted items are dealt round-robin: the shards'
 *   sizes differ by at most one.
 * - With durations (whole milliseconds, so that the sums are exact), the
 *   longest item goes first into the least-loaded shard (the lowest shard
 *   number on a tie), equal durations in id order; an item without a
 *   recorded duration counts as the mean of those recorded (1 ms when none).
 */
#include <stdbool.h>
#include <stddef.h>

/* The largest number of shards a run may be split into. */
#define HX_SHARD_MAX 64

/* One shard of N: index is 1-based (1 <= index <= count <= HX_SHARD_MAX). */
struct hx_shard {
    unsigned index;
    unsigned count;
};

/* Parses "I/N" (decimal, no sign, no spaces). Returns 0, or HX_E_INVAL with
 * the reason in why (why_size bytes, may be NULL/0), e.g. "shard 0 of 3: the
 * shard number runs from 1 to 3". */
int hx_shard_parse(const char *text, struct hx_shard *out, char *why, size_t why_size);

/* One item to place. Strings are borrowed for the call. */
struct hx_shard_item {
    const char *id;
    const char *file;       /* may be NULL: sorts before any file */
    bool has_duration;      /* a duration was recorded for it */
    unsigned long long ms;  /* the recorded duration, when has_duration */
};

/* Places items[0..n) into `count` shards: shard_of[i] receives the 1-based
 * shard of items[i]. by_duration balances by the items' durations, else by
 * count (see above). Returns 0, HX_E_INVAL for count outside 1..HX_SHARD_MAX,
 * or HX_E_NOMEM. */
int hx_shard_assign(const struct hx_shard_item *items, size_t n, unsigned count, bool by_duration,
                    unsigned *shard_of);

#endif
