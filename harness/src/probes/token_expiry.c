/* Probe token_expiry (checklist item 5, token-expiry): exp - iat is the
 * lifetime, and tokens outside their validity are refused. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "forge_send.h"
#include "hx/probes/diag.h"

static const char *const expiry_classes[] = {"expired", "exp-missing", "future-iat", "unknown-user",
                                             NULL};

static const struct hx_probe_arg expiry_args[] = {
    HX_ARG_STR("tasks_path"),
    HX_ARG_INT("lifetime", 1, 10LL * 366 * 86400), /* seconds */
    HX_ARG_INT("tolerance", 0, 86400),             /* seconds */
    HX_ARG_BOOL("forge"),
    HX_ARG_BOOL("check_wording"),
    /* judge the issued token's lifetime (its own check); default true */
    HX_ARG_BOOL("judge_lifetime"),
    /* the classes of forged tokens to send (hx_forge_class); absent: all */
    HX_ARG_LIST_OF("classes", expiry_classes),
    HX_ARG_END,
};

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
    long long life, off;
    struct hx_forge_in signer = {0};
    char why[200];

    if (!hx__forge_identities(ctx, &a, &b, step))
        return;
    if (!hx__arg_bool(args, "judge_lifetime", true)) {
        if (hx_jwt_parse(a.token, &j, why, sizeof(why)) != 0) {
            hx_step_set(step, HX_STATUS_SKIP, "probe.token-format",
                        "cannot decide: the issued token is not a compact JWS (%s)", why);
            return;
        }
        goto forge; /* the lifetime is judged by a check of its own */
    }
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
    /* claims come from the target: no arithmetic that can overflow */
    if (__builtin_sub_overflow(exp, iat, &life) || __builtin_sub_overflow(life, lifetime, &off) ||
        off == LLONG_MIN) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.token-lifetime",
                    "token lifetime exp - iat is out of any range (exp %lld, iat %lld), expected "
                    "%lld s",
                    exp, iat, lifetime);
        hx_jwt_cleanup(&j);
        return;
    }
    hx_step_add_note(step, "issued token: exp - iat = %lld s (expected %lld +/- %lld)", life,
                     lifetime, tol);
    if (llabs(off) > tol) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.token-lifetime",
                    "token lifetime exp - iat = %lld s (%.2f days), expected %lld s", life,
                    (double)life / 86400.0, lifetime);
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
        hx_step_pass(step); /* the lifetime alone was asked */
        return;
    }

forge:
    /* Signed as the target signs (its secret, or its key): tokens outside
     * their validity must be refused. */
    if (!hx__forge_signer(ctx, &j, step, &signer, why, sizeof why)) {
        hx_jwt_cleanup(&j);
        hx_step_set(step, HX_STATUS_SKIP, "probe.needs-secret", "%s", why);
        return;
    }
    if (!hx__calibrate(ctx, args, &a, step)) {
        hx_jwt_cleanup(&j);
        return;
    }
    {
        struct hx_forgery f[HX_FORGE_MAX];
        struct hx__forge_outcome o;
        size_t n = 0, sent = 0;
        char fake[200];
        struct hx_response r;
        char path[1024];
        long long skew = 0;
        const char *expired_words = hx__arg_bool(args, "check_wording", true)
                                        ? hx__prof_str(ctx, "messages.expired", NULL)
                                        : NULL;
        struct hx_forge_in in = {.token = a.token,
                                 .user_claim = hx__prof_str(ctx, "token.user_id_claim", "user_id"),
                                 .secret = signer.secret,
                                 .secret_len = signer.secret_len,
                                 .pkey = signer.pkey,
                                 .pkey_alg = signer.pkey_alg,
                                 .kid = signer.kid,
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
        /* an unknown user of the target's id shape (identity.id_format) */
        if (hx__fake_user_id(ctx, a.user_id, fake, sizeof(fake)) != 0) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal",
                        "the target's user ids are longer than %zu characters", sizeof(fake) - 1);
            hx_jwt_cleanup(&j);
            return;
        }
        in.fake_user_id = fake;
        if (hx_forge_expiry(&in, f, HX_FORGE_MAX, &n) != 0) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "could not build the tokens");
            hx_jwt_cleanup(&j);
            return;
        }
        /* f[0] is the re-signed control: it must be accepted, or the
         * refusals below prove nothing */
        {
            struct hx__forge_outcome c;
            memset(&c, 0, sizeof(c));
            hx__forge_send(ctx, args, &f[0], a.user_id, b.user_id, fake, NULL, step, &c);
            if (c.n_accepted != 1) {
                hx_step_set(step, HX_STATUS_SKIP, "probe.calibration",
                            "cannot decide: a valid token re-signed with the given %s was not "
                            "accepted",
                            signer.pkey != NULL ? "key" : "secret");
                hx_forge_free(f, n);
                hx_jwt_cleanup(&j);
                return;
            }
        }
        for (size_t i = 1; i < n; i++) {
            if (!hx__arg_list_has(args, "classes", hx_forge_class(f[i].name)))
                continue;
            hx__forge_send(ctx, args, &f[i], a.user_id, b.user_id, fake,
                           strcmp(f[i].name, "expired") == 0 ? expired_words : NULL, step, &o);
            sent++;
        }
        hx_forge_free(f, n);
        hx__forge_verdict(step, &o, sent, unauth, "token-expiry");
    }
    hx_jwt_cleanup(&j);
}

const struct hx_probe_def hx__probe_token_expiry = {
    .name = "token_expiry",
    .summary =
        "exp - iat is the lifetime; expired, exp-less, future and unknown-user tokens get 401",
    .floods = false,
    .args = expiry_args,
    .run = expiry_run,
};
