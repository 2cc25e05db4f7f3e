/* Probes hs256 (jwt_forge) and token-expiry (token_expiry): forged and
 * tampered tokens sent to the target, which must refuse every one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hx/probes/diag.h"
#include "hx/probes/forge.h"
#include "hx/probes/jwt.h"
#include "probe_int.h"

#define FORGE_LIST 1200

struct forge_outcome {
    char accepted[FORGE_LIST];
    char wrong[FORGE_LIST];
    char wording[FORGE_LIST];
    size_t n_accepted, n_wrong, n_errors, n_limited, n_refused, n_wording;
    long error_status;
};

static void
outcome_list(char *list, const char *name, long status)
{
    size_t len = strlen(list);
    if (len + strlen(name) + 16 < FORGE_LIST)
        snprintf(list + len, FORGE_LIST - len, "%s%s (%ld)", len > 0 ? ", " : "", name, status);
}

/* Sends one forgery and records the answer. expect_detail: the words the
 * refusal must carry (NULL: any). */
static void
forge_send(struct hx_probe_ctx *ctx, const json_t *args, const struct hx_forgery *f,
           const char *self_id, const char *other_id, const char *fake_id,
           const char *expect_detail, struct hx_step_result *step, struct forge_outcome *o)
{
    char path[1024], detail[256];
    struct hx_response r;
    const char *uid = f->path == HX_FORGE_PATH_SELF    ? self_id
                      : f->path == HX_FORGE_PATH_OTHER ? other_id
                                                       : fake_id;
    long unauth = (long)hx__prof_int(ctx, "codes.unauthenticated", 401);
    int rc;
    enum hx_answer a;

    if (hx__tasks_path(ctx, args, uid, path, sizeof(path)) != 0) {
        o->n_errors++;
        return;
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
    switch (a) {
    case HX_ANSWER_REFUSED:
        o->n_refused++;
        if (expect_detail != NULL && r.status == unauth) {
            hx__detail(&r, detail, sizeof(detail));
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
}

/* Turns the outcome into the step's verdict. */
static void
forge_verdict(struct hx_step_result *step, const struct forge_outcome *o, size_t sent, long unauth,
              const char *item)
{
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
}

static bool
forge_identities(struct hx_probe_ctx *ctx, struct hx_identity *a, struct hx_identity *b,
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
static const char *
forge_secret(struct hx_probe_ctx *ctx, const struct hx_jwt *genuine, struct hx_step_result *step)
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

static const struct hx__arg_spec forge_args[] = {
    {"tasks_path", 's'},
    {NULL, 0},
};

static int
forge_validate(const json_t *args, struct hx_error *err)
{
    return hx__probe_validate(args, forge_args, err);
}

static void
forge_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a, b;
    struct hx_jwt j = {0};
    struct hx_forgery f[HX_FORGE_MAX];
    struct forge_outcome o;
    size_t n = 0;
    char why[160], missing[400];
    const char *want_alg = hx__prof_str(ctx, "token.alg", "HS256");
    long unauth = (long)hx__prof_int(ctx, "codes.unauthenticated", 401);
    struct hx_forge_in in = {0};

    memset(&o, 0, sizeof(o));
    if (!forge_identities(ctx, &a, &b, step))
        return;
    if (hx_jwt_parse(a.token, &j, why, sizeof(why)) != 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.token-format",
                    "the token the target issued is not a compact JWS: %s", why);
        return;
    }
    if (hx_jwt_alg(&j) == NULL || strcmp(hx_jwt_alg(&j), want_alg) != 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.token-alg",
                    "the issued token's header alg is \"%s\", not %s",
                    hx_jwt_alg(&j) != NULL ? hx_jwt_alg(&j) : "(none)", want_alg);
        hx_jwt_cleanup(&j);
        return;
    }
    hx_step_add_note(step, "issued token: header alg %s", want_alg);
    in.secret = forge_secret(ctx, &j, step);
    hx_jwt_cleanup(&j);
    if (!hx__calibrate(ctx, args, &a, step))
        return;
    in.token = a.token;
    in.other_token = b.token;
    in.other_user_id = b.user_id;
    in.user_claim = hx__prof_str(ctx, "token.user_id_claim", "user_id");
    in.secret_len = in.secret != NULL ? strlen(in.secret) : 0;
    if (hx_forge_hs256(&in, f, HX_FORGE_MAX, &n, missing, sizeof(missing)) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "could not build the forgeries");
        return;
    }
    if (missing[0] != '\0')
        hx_step_add_note(step, "not sent: %s", missing);
    for (size_t i = 0; i < n; i++)
        forge_send(ctx, args, &f[i], a.user_id, b.user_id, NULL, NULL, step, &o);
    hx_forge_free(f, n);
    forge_verdict(step, &o, n, unauth, "hs256");
}

const struct hx_probe_def hx__probe_jwt_forge = {
    .name = "jwt_forge",
    .summary = "issued token is HS256; forged, re-algorithmed and tampered tokens get 401",
    .floods = false,
    .validate = forge_validate,
    .run = forge_run,
};

/* ---- token-expiry ---- */

static const struct hx__arg_spec expiry_args[] = {
    {"tasks_path", 's'}, {"lifetime", 'i'},      {"tolerance", 'i'},
    {"forge", 'b'},      {"check_wording", 'b'}, {NULL, 0},
};

static int
expiry_validate(const json_t *args, struct hx_error *err)
{
    return hx__probe_validate(args, expiry_args, err);
}

static void
expiry_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a, b;
    struct hx_jwt j = {0};
    long long iat = 0, exp = 0, now = (long long)time(NULL);
    long long lifetime = hx__arg_int(args, "lifetime", hx__prof_int(ctx, "token.lifetime", 604800));
    long long tol =
        hx__arg_int(args, "tolerance", hx__prof_int(ctx, "token.lifetime_tolerance", 5));
    long unauth = (long)hx__prof_int(ctx, "codes.unauthenticated", 401);
    char why[160];

    if (!forge_identities(ctx, &a, &b, step))
        return;
    if (hx_jwt_parse(a.token, &j, why, sizeof(why)) != 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.token-format",
                    "the token the target issued is not a compact JWS: %s", why);
        return;
    }
    if (hx_jwt_claim_int(&j, "exp", &exp) != 0 || hx_jwt_claim_int(&j, "iat", &iat) != 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.token-claims",
                    "the issued token lacks an integer %s claim",
                    hx_jwt_claim_int(&j, "exp", &exp) != 0 ? "exp" : "iat");
        hx_jwt_cleanup(&j);
        return;
    }
    hx_step_add_note(step, "issued token: exp - iat = %lld s (expected %lld +/- %lld)", exp - iat,
                     lifetime, tol);
    if (llabs(exp - iat - lifetime) > tol) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.token-lifetime",
                    "token lifetime exp - iat = %lld s (%.2f days), expected %lld s", exp - iat,
                    (double)(exp - iat) / 86400.0, lifetime);
        hx_jwt_cleanup(&j);
        return;
    }
    if (exp <= now) {
        struct hx_response r;
        char path[1024], diag[600];
        long long skew = 0;
        if (hx__tasks_path(ctx, args, a.user_id, path, sizeof(path)) == 0 &&
            hx__probe_send(ctx, &(struct hx__send){.path = path}, &r) == 0)
            skew = hx__clock_skew(&r);
        hx_response_cleanup(&r);
        hx_step_set(step, HX_STATUS_FAIL, "probe.token-expired",
                    "a token issued just now has exp %lld s in the past", now - exp);
        hx_diag_text(HX_DIAG_FRESH_EXPIRED, skew, NULL, diag, sizeof(diag));
        hx__diagnose(ctx, step, diag);
        hx_jwt_cleanup(&j);
        return;
    }
    if (!hx__arg_bool(args, "forge", true)) {
        hx_jwt_cleanup(&j);
        return;
    }

    /* With the secret: tokens outside their validity must be refused. */
    const char *secret = forge_secret(ctx, &j, step);
    hx_jwt_cleanup(&j);
    if (secret == NULL) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.needs-secret",
                    hx_probe_secret(ctx) == NULL
                        ? "needs --secret-file or --secret-env to sign expired tokens"
                        : "cannot decide: the given secret does not verify the target's token");
        return;
    }
    if (!hx__calibrate(ctx, args, &a, step))
        return;
    {
        struct hx_forgery f[HX_FORGE_MAX];
        struct forge_outcome o;
        size_t n = 0;
        unsigned char rnd[16];
        char fake[40];
        struct hx_response r;
        char path[1024];
        long long skew = 0;
        const char *expired_words = hx__arg_bool(args, "check_wording", true)
                                        ? hx__prof_str(ctx, "messages.expired", NULL)
                                        : NULL;
        struct hx_forge_in in = {.token = a.token,
                                 .user_claim = hx__prof_str(ctx, "token.user_id_claim", "user_id"),
                                 .secret = secret,
                                 .secret_len = strlen(secret),
                                 .lifetime = (long)lifetime};

        memset(&o, 0, sizeof(o));
        /* Sign against the target's clock (its Date header) so that skew
         * does not decide for us. */
        if (hx__tasks_path(ctx, args, a.user_id, path, sizeof(path)) == 0 &&
            hx__probe_send(ctx, &(struct hx__send){.path = path, .quiet = true}, &r) == 0)
            skew = hx__clock_skew(&r);
        hx_response_cleanup(&r);
        if (llabs(skew) > 5)
            hx_step_add_note(step, "target clock differs by %lld s (Date header)", skew);
        in.now = (time_t)(now + skew);
        hx_probe_random(ctx, rnd, sizeof(rnd));
        rnd[6] = (unsigned char)((rnd[6] & 0x0f) | 0x40);
        rnd[8] = (unsigned char)((rnd[8] & 0x3f) | 0x80);
        snprintf(fake, sizeof(fake),
                 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", rnd[0],
                 rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7], rnd[8], rnd[9], rnd[10],
                 rnd[11], rnd[12], rnd[13], rnd[14], rnd[15]);
        in.fake_user_id = fake;
        if (hx_forge_expiry(&in, f, HX_FORGE_MAX, &n) != 0) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "could not build the tokens");
            return;
        }
        /* f[0] is the re-signed control: it must be accepted, or the
         * refusals below prove nothing */
        {
            struct forge_outcome c;
            memset(&c, 0, sizeof(c));
            forge_send(ctx, args, &f[0], a.user_id, b.user_id, fake, NULL, step, &c);
            if (c.n_accepted != 1) {
                hx_step_set(step, HX_STATUS_SKIP, "probe.calibration",
                            "cannot decide: a valid token re-signed with the given secret was "
                            "not accepted");
                hx_forge_free(f, n);
                return;
            }
        }
        for (size_t i = 1; i < n; i++)
            forge_send(ctx, args, &f[i], a.user_id, b.user_id, fake,
                       strcmp(f[i].name, "expired") == 0 ? expired_words : NULL, step, &o);
        hx_forge_free(f, n);
        forge_verdict(step, &o, n - 1, unauth, "token-expiry");
    }
}

const struct hx_probe_def hx__probe_token_expiry = {
    .name = "token_expiry",
    .summary =
        "exp - iat is the lifetime; expired, exp-less, future and unknown-user tokens get 401",
    .floods = false,
    .validate = expiry_validate,
    .run = expiry_run,
};
