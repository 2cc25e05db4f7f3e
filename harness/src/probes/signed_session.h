#ifndef HX_PROBES_SIGNED_SESSION_H
#define HX_PROBES_SIGNED_SESSION_H
/*
 * The session value a signin hands out signed with the target's secret:
 * "<value>.<standard base64 of HMAC-SHA256(secret, value)>", in a cookie or
 * the set-auth-token header, as Better Auth signs its session cookie. When
 * the API token is not HMAC (EdDSA, RS256 ...), this is where the secret of
 * item 1 shows. Only for probes/.
 */
#include <stdbool.h>
#include <stddef.h>

#include "hx/probe.h"
#include "hx/probes/sweep.h"

/* Signs identity a in once and prepares into t (cleaned up by the caller
 * with hx_sweep_target_cleanup) the first signed session value of the
 * answer; where receives which header or cookie held it. Returns false
 * (t empty) when the signin failed or handed out no such value. */
bool hx__signed_session_find(struct hx_probe_ctx *ctx, const struct hx_identity *a,
                             struct hx_sweep_target *t, char *where, size_t where_size);

#endif
