#ifndef HX_QUIET_H
#define HX_QUIET_H
/*
 * Quiet moments on the target, for a check that measures it (the signin
 * timing): while one holds the target quiet, no other request of the run
 * leaves, and the hold begins only once every request on the wire has been
 * answered. The rest of the run goes on between the measurements, so a
 * measuring check no longer needs the target to itself from start to end
 * (which, against a rate-limited target, stopped the whole run while it
 * waited out the limit between its samples).
 *
 * Thread-safe: the scenario loop and the probe threads share one. The
 * scenario loop must never block on it (hx_quiet_try_enter), since the
 * holder waits for the loop's transfers to end.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct hx_quiet {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t on_wire; /* requests sent and not yet answered, the holder's own excepted */
    bool held;
    size_t holds;  /* quiet moments taken, for the run's note */
    double waited; /* seconds the holders waited for the wire to empty */
};

/* Returns 0, or -1 when the lock cannot be made. */
int hx_quiet_init(struct hx_quiet *q);
void hx_quiet_cleanup(struct hx_quiet *q);

/* A request is about to leave: waits while the target is held quiet, then
 * counts it on the wire. Each enter is matched by one hx_quiet_leave. */
void hx_quiet_enter(struct hx_quiet *q);
/* As hx_quiet_enter without waiting: false (nothing counted) while the
 * target is held quiet. For the scenario loop. */
bool hx_quiet_try_enter(struct hx_quiet *q);
/* Counts a request on the wire whatever the hold: for a request the
 * scenario loop sends blocking, which must not wait for a holder that may
 * be waiting for the loop. */
void hx_quiet_enter_now(struct hx_quiet *q);
/* The request counted by an enter was answered (or given up). */
void hx_quiet_leave(struct hx_quiet *q);

/* Holds the target quiet: waits for another holder to release it, stops
 * every new request, then waits until none is on the wire. The holder's own
 * requests do not call enter or leave. Ends with hx_quiet_release. */
void hx_quiet_hold(struct hx_quiet *q);
void hx_quiet_release(struct hx_quiet *q);

#endif
