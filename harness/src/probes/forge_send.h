#ifndef HX_PROBES_FORGE_SEND_H
#define HX_PROBES_FORGE_SEND_H
/*
 * Sending forged tokens to the target and turning the answers into a
 * verdict: what jwt_forge and token_expiry share. Only for probes/.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "hx/probes/forge.h"
#include "hx/jwt.h"
#include "probe_int.h"

#define HX__FORGE_LIST 1200

struct hx__forge_outcome {
    char accepted[HX__FORGE_LIST];
    char wrong[HX__FORGE_LIST];
    char wording[HX__FORGE_LIST];
    size_t n_accepted, n_wrong, n_errors, n_limited, n_refused, n_wording;
    long error_status;
    long last_status; /* the answer to the last forgery sent (0: none) */
};

/* Sends one forgery on the tasks route of the user its path names (self_id,
 * other_id or fake_id) and records the answer in o. expect_detail: the
 * words the refusal must carry (NULL: any). Evidence is kept only for the
 * answers that fail the check. Returns how the answer was judged. */
enum hx_answer hx__forge_send(struct hx_probe_ctx *ctx, const json_t *args, const struct hx_forgery *f,
                    const char *self_id, const char *other_id, const char *fake_id,
                    const char *expect_detail, struct hx_step_result *step,
                    struct hx__forge_outcome *o);

/* Turns the outcome of `sent` forgeries into the step's verdict: FAIL when
 * one was accepted or refused with another status than unauth, ERROR on
 * server errors, SKIP when rate limited, else PASS (item names the
 * checklist item in the note). */
void hx__forge_verdict(struct hx_step_result *step, const struct hx__forge_outcome *o, size_t sent,
                       long unauth, const char *item);

/* Signs alice and bob up (or finds them); false when the step was set. */
bool hx__forge_identities(struct hx_probe_ctx *ctx, struct hx_identity *a, struct hx_identity *b,
                          struct hx_step_result *step);

/* How the harness signs as the target does, checked against the genuine
 * token: the secret (--secret-file) for an HMAC token it verifies, or the
 * target's key (--token-key) for a token signed with a key (RS*, PS*, ES*,
 * EdDSA: hx_jws) when the key fits the token's alg and verifies it. Fills
 * in->secret/secret_len, or in->pkey, in->pkey_alg and in->kid (borrowed
 * from genuine and the run: valid while genuine is). False when neither is
 * given, fits or verifies; the reason then goes into why (a diagnosis too
 * when a given secret or key does not verify). */
struct hx_forge_in;
bool hx__forge_signer(struct hx_probe_ctx *ctx, const struct hx_jwt *genuine,
                      struct hx_step_result *step, struct hx_forge_in *in, char *why,
                      size_t why_size);

/* The known secret, checked against the genuine token: NULL when not given
 * or when it does not verify (then a diagnosis says the secrets differ).
 * Borrowed from the run. */
const char *hx__forge_secret(struct hx_probe_ctx *ctx, const struct hx_jwt *genuine,
                             struct hx_step_result *step);

#endif
