#ifndef HX_PROBES_BATCH_H
#define HX_PROBES_BATCH_H
/*
 * Sending a probe's requests several at a time (only for probes/): a target
 * whose work per request is long (a bcrypt hash per signin) answers a
 * sequence faster when its cores share it. Items leave in order with at
 * most `inflight` of them in flight; the first ones leave together.
 */
#include <stdbool.h>
#include <stddef.h>

#include "hx/http.h"
#include "hx/probe.h"

struct hx__batch_item {
    const char *method; /* "POST" when NULL */
    const char *path;   /* relative to the target, already built */
    const char *json;   /* a body sent as application/json, or NULL */
    bool evidence;      /* kept as evidence of the step */
    const char *forwarded_for; /* an X-Forwarded-For (and X-Real-IP) to send, or NULL */
};

/* Called as each answer arrives, in arrival order, one call at a time (under
 * the batch's lock, so it may call hx_probe_record(ctx, req, resp)): index
 * is the item's, rc as hx_probe_http_quiet(), req and resp borrowed until
 * the call returns. Returning true sends no further item; those already in
 * flight still finish and are reported. */
typedef bool (*hx__batch_done_fn)(void *user, size_t index, int rc, const struct hx_request *req,
                                  const struct hx_response *resp);

/* Sends items[0..n) with at most inflight (>= 1) at once; with 1, or when
 * no thread can be started, one after another on the calling thread. Stops
 * early when done says so or the run is interrupted. *sent (may be NULL)
 * gets the number of items sent. Returns 0, or HX_E_TOOLONG when an item's
 * URL does not fit (nothing is sent then). */
int hx__batch_send(struct hx_probe_ctx *ctx, const struct hx__batch_item *items, size_t n,
                   size_t inflight, hx__batch_done_fn done, void *user, size_t *sent);

/* The most requests a batch keeps in flight. */
#define HX__BATCH_MAX_INFLIGHT 32

#endif
