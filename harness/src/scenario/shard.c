/* Sharding: which of N parts each selected scenario belongs to. */
#include "hx/shard.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/error.h"

static void
shard_why(char *why, size_t why_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
shard_why(char *why, size_t why_size, const char *fmt, ...)
{
    va_list ap;

    if (why == NULL || why_size == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(why, why_size, fmt, ap);
    va_end(ap);
}

/* Reads the decimal digits at *p (at least one, at most 4) into *out. */
static bool
shard_number(const char **p, unsigned *out)
{
    unsigned v = 0;
    size_t digits = 0;

    while (**p >= '0' && **p <= '9') {
        if (++digits > 4)
            return false;
        v = v * 10 + (unsigned)(**p - '0');
        (*p)++;
    }
    *out = v;
    return digits > 0;
}

int
hx_shard_parse(const char *text, struct hx_shard *out, char *why, size_t why_size)
{
    const char *p = text;
    struct hx_shard s;

    if (!shard_number(&p, &s.index) || *p++ != '/' || !shard_number(&p, &s.count) || *p != '\0') {
        shard_why(why, why_size, "expected I/N, shard I of N (1 <= I <= N <= %d), got '%.40s'",
                  HX_SHARD_MAX, text);
        return HX_E_INVAL;
    }
    if (s.count < 1 || s.count > HX_SHARD_MAX) {
        shard_why(why, why_size, "'%.40s': the number of shards runs from 1 to %d", text,
                  HX_SHARD_MAX);
        return HX_E_INVAL;
    }
    if (s.index < 1 || s.index > s.count) {
        shard_why(why, why_size, "'%.40s': shard %u of %u does not exist: shards are numbered 1 to %u",
                  text, s.index, s.count, s.count);
        return HX_E_INVAL;
    }
    *out = s;
    return 0;
}

/* An item with its place in the caller's array and the duration it counts
 * for. */
struct shard_entry {
    const struct hx_shard_item *item;
    size_t index;
    unsigned long long ms;
};

static int
shard_cmp_str(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

/* By id, then file; the caller's order only for items equal in both, which
 * land wherever the other lands (their order among themselves is all that
 * can differ). */
static int
shard_cmp_id(const void *pa, const void *pb)
{
    const struct shard_entry *a = pa, *b = pb;
    int c = shard_cmp_str(a->item->id, b->item->id);

    if (c == 0)
        c = shard_cmp_str(a->item->file, b->item->file);
    if (c == 0)
        c = (a->index > b->index) - (a->index < b->index);
    return c;
}

/* Longest first; equal durations by id, then file. */
static int
shard_cmp_duration(const void *pa, const void *pb)
{
    const struct shard_entry *a = pa, *b = pb;

    if (a->ms != b->ms)
        return a->ms < b->ms ? 1 : -1;
    return shard_cmp_id(pa, pb);
}

/* The mean of the recorded durations (1 ms when none is recorded). */
static unsigned long long
shard_mean_ms(const struct hx_shard_item *items, size_t n)
{
    unsigned long long sum = 0, known = 0;

    for (size_t i = 0; i < n; i++) {
        if (items[i].has_duration) {
            sum += items[i].ms;
            known++;
        }
    }
    return known > 0 ? sum / known : 1;
}

int
hx_shard_assign(const struct hx_shard_item *items, size_t n, unsigned count, bool by_duration,
                unsigned *shard_of)
{
    struct shard_entry *e;
    unsigned long long load[HX_SHARD_MAX] = {0}, mean;

    if (count < 1 || count > HX_SHARD_MAX)
        return HX_E_INVAL;
    e = calloc(n + 1, sizeof *e);
    if (e == NULL)
        return HX_E_NOMEM;
    mean = shard_mean_ms(items, n);
    for (size_t i = 0; i < n; i++) {
        e[i].item = &items[i];
        e[i].index = i;
        e[i].ms = items[i].has_duration ? items[i].ms : mean;
    }
    qsort(e, n, sizeof *e, by_duration ? shard_cmp_duration : shard_cmp_id);
    for (size_t i = 0; i < n; i++) {
        unsigned best = 0;
        if (by_duration) {
            for (unsigned s = 1; s < count; s++)
                if (load[s] < load[best])
                    best = s;
            load[best] += e[i].ms;
        } else {
            best = (unsigned)(i % count);
        }
        shard_of[e[i].index] = best + 1;
    }
    free(e);
    return 0;
}
