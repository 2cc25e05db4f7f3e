#ifndef HX_PACER_H
#define HX_PACER_H
/*
 * Pacing of a run's requests to rate-limited routes: the harness's own
 * traffic (signups, signins, the credential exchange, the checks' requests)
 * stays within the target's limit, so that the checks are judged on answers
 * and not on 429s, and a run takes no longer than the limit makes it.
 *
 * Each route (a key: the URL without its query) keeps its sends. With a
 * pace of N per WINDOW seconds (--pace, the profile's limits.pace), at most
 * N leave before a pause of WINDOW after the last of them (a limiter that
 * counts since the last request, as Better Auth's, lets no more through;
 * a sliding or fixed window of that size none either);
 * whatever the pace, a 429 closes its route until the wait the answer asks
 * for (Retry-After and its kin) has passed. Thread-safe: the scenario loop
 * and the probe threads share one pacer.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* Parses a pace "N/WINDOW": N requests (1..10000) per WINDOW, in seconds
 * ("10", "10s"), minutes ("1m") or hours ("1h"), 0.1 s to 1 day. Returns 0,
 * or -1 with why (at least 120 bytes) saying what is wrong. */
int hx_pace_parse(const char *text, unsigned *slots, double *window, char *why, size_t why_size);

#define HX_PACER_ROUTES 64

struct hx_pacer_route {
    char key[512];
    size_t count;        /* sends of the current run (see hx_pacer_try) */
    double last;         /* the last send's time */
    double closed_until; /* a 429 asked to wait until then */
};

struct hx_pacer {
    pthread_mutex_t lock;
    unsigned slots; /* 0: no pace known (only 429s close a route) */
    double window;
    struct hx_pacer_route routes[HX_PACER_ROUTES];
    size_t n_routes;
    double waited; /* seconds sends were held, all routes (for the run's note) */
    size_t held;   /* sends that were held */
};

/* slots 0: no pace. Returns 0 or -1 (out of memory). */
int hx_pacer_init(struct hx_pacer *p, unsigned slots, double window);
void hx_pacer_cleanup(struct hx_pacer *p);

/* Takes n sends (at most the pace's slots; 0: a route the pace does not
 * count, held only after a 429) on key at time now when they may leave:
 * returns 0 and counts them. Otherwise returns the seconds to
 * wait before asking again (> 0) and counts nothing. More routes than
 * HX_PACER_ROUTES: the extra ones are not paced. */
double hx_pacer_try(struct hx_pacer *p, const char *key, size_t n, double now);

/* The answer to a send on key came at now: the target saw the request no
 * later than that, so the pause after a run counts from here when it is
 * later than the send (a busy target reads its requests late, and counts
 * its window from when it read them). */
void hx_pacer_done(struct hx_pacer *p, const char *key, double now);

/* A 429 came on key at now, asking to wait `wait` seconds: the route is
 * closed until then. */
void hx_pacer_limited(struct hx_pacer *p, const char *key, double now, double wait);

/* Counts wait seconds of holding, for the run's note. */
void hx_pacer_count_wait(struct hx_pacer *p, double wait);

#endif
