/* Sending forged tokens and judging the answers: shared by jwt_forge and
 * token_expiry (see forge_send.h). */
#include "forge_send.h"
#include "hx/jws.h"
#include "hx/signing_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hx/probes/diag.h"

static void
outcome_list(char *list, const char *name, long status)
{
    size_t len = strlen(list);
    if (len + strlen(name) + 16 < HX__FORGE_LIST)
        snprintf(list + len, HX__FORGE_LIST - len, "%s%s (%ld)", len > 0 ? ", " : "", name, status);
}

/* Sends one forgery and records the answer. expect_detail: the words the
 * refusal must carry (NULL: any). */
enum hx_answer
hx__forge_send(struct hx_probe_ctx *ctx, const json_t *args, const struct hx_forgery *f,
               const char *self_id, const char *other_id, const char *fake_id,
               const char *expect_detail, struct hx_step_result *step, struct hx__forge_outcome *o)
{
    char path[1024], detail[256];
    struct hx_response r;
    const char *uid = f->path == HX_FORGE_PATH_SELF    ? self_id
                      : f->path == HX_FORGE_PATH_OTHER ? other_id
                                                       : fake_id;
    long unauth = (long)hx__prof_int(ctx, "codes.unauthenticated", 401);
    int rc;
    enum hx_answer a;

    o->last_status = 0;
    if (hx__tasks_path(ctx, args, uid, path, sizeof(path)) != 0) {
        o->n_errors++;
        return HX_ANSWER_ERROR;
    }
    /* quiet first: evidence is kept for the answers that fail the check,
     * so that a bounded evidence list never drops the one that matters */
    rc =
        hx__probe_send(ctx, &(struct hx__send){.path = path, .token = f->token, .quiet = true}, &r);
    a = hx_forge_judge(rc == 0 ? r.status : 0, unauth, f->any_refusal, f->any_refusal);
    if (a == HX_ANSWER_ACCEPTED || a == HX_ANSWER_WRONG_STATUS) {
        hx_response_cleanup(&r);
        rc = hx__probe_send(ctx, &(struct hx__send){.path = path, .token = f->token}, &r);
        a = hx_forge_judge(rc == 0 ? r.status : 0, unauth, f->any_refusal, f->any_refusal);
    }
    o->last_status = rc == 0 ? r.status : 0;
    switch (a) {
    case HX_ANSWER_REFUSED:
        o->n_refused++;
        if (expect_detail != NULL && r.status == unauth) {
            hx__detail(hx_probe_profile(ctx), &r, detail, sizeof(detail));
            if (strcasecmp(detail, expect_detail) != 0) {
                o->n_wording++;
                outcome_list(o->wording, f->name, r.status);
            }
        }
        break;
    case HX_ANSWER_ACCEPTED:
        o->n_accepted++;
        outcome_list(o->accepted, f->name, r.status);
        if (strcmp(f->name, "control-resigned") != 0)
            hx_step_add_note(step, "ACCEPTED %s: %s -> %ld", f->name, f->what, r.status);
        break;
    case HX_ANSWER_WRONG_STATUS:
        o->n_wrong++;
        outcome_list(o->wrong, f->name, r.status);
        break;
    case HX_ANSWER_LIMITED:
        o->n_limited++;
        break;
    case HX_ANSWER_ERROR:
        o->n_errors++;
        o->error_status = rc == 0 ? r.status : 0;
        break;
    }
    hx_response_cleanup(&r);
    return a;
}

/* Turns the outcome into the step's verdict. */
void
hx__forge_verdict(struct hx_step_result *step, const struct hx__forge_outcome *o, size_t sent,
                  long unauth, const char *item)
{
    if (sent == 0) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.nothing-sent",
                    "cannot decide: none of this check's forged tokens could be built (see the "
                    "notes: they need the secret or a second user)");
        return;
    }
    if (o->n_accepted > 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.forgery-accepted",
                    "%zu of %zu forged tokens were accepted: %s", o->n_accepted, sent, o->accepted);
        return;
    }
    if (o->n_wrong > 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.forgery-status",
                    "%zu forged tokens were refused with another status than %ld: %s", o->n_wrong,
                    unauth, o->wrong);
        return;
    }
    if (o->n_errors > 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                    "%zu forged tokens got a server error or no answer (last %ld); no verdict",
                    o->n_errors, o->error_status);
        return;
    }
    if (o->n_limited > 0) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.rate-limited",
                    "could not decide: rate limited (429) on %zu of %zu forged tokens",
                    o->n_limited, sent);
        return;
    }
    if (o->n_wording > 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.expiry-wording",
                    "refused, but not with the profile's expired-token message: %s", o->wording);
        return;
    }
    hx_step_add_note(step, "%s: all %zu forged tokens refused with %ld", item, o->n_refused,
                     unauth);
    hx_step_pass(step);
}

bool
hx__forge_identities(struct hx_probe_ctx *ctx, struct hx_identity *a, struct hx_identity *b,
                     struct hx_step_result *step)
{
    if (hx_probe_identity(ctx, "alice", a) != 0 || hx_probe_identity(ctx, "bob", b) != 0)
        return false; /* the step says why */
    if (a->token == NULL || a->user_id == NULL || b->token == NULL || b->user_id == NULL) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.identity",
                    "cannot decide: the target's signup gave no token or user id");
        return false;
    }
    return true;
}

/* The known secret, checked against the genuine token: NULL when not given
 * or when it does not verify (then a diagnosis says the secrets differ). */
const char *
hx__forge_secret(struct hx_probe_ctx *ctx, const struct hx_jwt *genuine,
                 struct hx_step_result *step)
{
    const char *secret = hx_probe_secret(ctx);
    char diag[600];

    if (secret == NULL)
        return NULL;
    if (hx_jwt_verify_hmac(genuine, "HS256", secret, strlen(secret)))
        return secret;
    hx_diag_text(HX_DIAG_SECRET_MISMATCH, 0, NULL, diag, sizeof(diag));
    hx__diagnose(ctx, step, diag);
    return NULL;
}

bool
hx__forge_signer(struct hx_probe_ctx *ctx, const struct hx_jwt *genuine,
                 struct hx_step_result *step, struct hx_forge_in *in, char *why, size_t why_size)
{
    const struct hx_signing_key *key = hx_probe_token_key(ctx);
    const char *alg = hx_jwt_alg(genuine);
    const char *secret;
    char diag[600], fit[200];

    if (hx_jws_alg_known(alg)) {
        /* signed with a key (RS*, PS*, ES*, EdDSA): the target's own key,
         * once it proves to be that key by verifying the genuine token */
        if (key == NULL) {
            snprintf(why, why_size,
                     "the target's tokens are %s: signing them as the target does needs its "
                     "key (--token-key)",
                     alg);
            return false;
        }
        if (!hx_jws_key_fits(hx_signing_key_evp(key), alg, fit, sizeof fit)) {
            snprintf(why, why_size,
                     "cannot decide: the key given with --token-key does not fit the token's "
                     "alg %s (%s)",
                     alg, fit);
            return false;
        }
        if (!hx_jws_verify(hx_signing_key_evp(key), alg, genuine->signing_input,
                           genuine->signing_input_len, genuine->sig, genuine->sig_len)) {
            hx_diag_text(HX_DIAG_SECRET_MISMATCH, 0, NULL, diag, sizeof(diag));
            hx__diagnose(ctx, step, diag);
            snprintf(why, why_size,
                     "cannot decide: the key given with --token-key is not the target's key (it "
                     "does not verify the target's %s token)",
                     alg);
            return false;
        }
        in->pkey = hx_signing_key_evp(key);
        in->pkey_alg = alg;
        in->kid = json_string_value(json_object_get(genuine->header, "kid"));
        return true;
    }
    secret = hx__forge_secret(ctx, genuine, step);
    if (secret == NULL) {
        snprintf(why, why_size, "%s",
                 hx_probe_secret(ctx) == NULL
                     ? "needs --secret-file or --secret-env to sign tokens as the target does"
                     : "cannot decide: the given secret does not verify the target's token");
        return false;
    }
    in->secret = secret;
    in->secret_len = strlen(secret);
    return true;
}
