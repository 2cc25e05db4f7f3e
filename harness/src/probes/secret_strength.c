/* Probe secret_strength (checklist item 1, strong-secret): the secret given
 * with --secret-file, judged by length, estimated entropy and word lists. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hx/datadir.h"
#include "hx/probes/content.h"
#include "hx/probes/diag.h"
#include "hx/jwt.h"
#include "hx/probes/strength.h"
#include "hx/probes/sweep.h"
#include "probe_int.h"
#include "signed_session.h"

static const struct hx_probe_arg strength_args[] = {
    HX_ARG_INT("min_length", 1, 4096),
    HX_ARG_NUM("min_bits"),
    HX_ARG_STR("wordlist"),
    HX_ARG_END,
};

static void
strength_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    const char *secret = hx_probe_secret(ctx);
    struct hx_secret_estimate e;
    struct hx_identity a;
    struct hx_jwt j = {0};
    char why[300];
    size_t min_len = (size_t)hx__arg_int(args, "min_length", 32);
    double min_bits = hx__arg_num(args, "min_bits", 90);

    if (secret == NULL) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.needs-secret",
                    "needs --secret-file or --secret-env");
        return;
    }
    if (hx_probe_identity(ctx, "alice", &a) != 0)
        return;
    if (a.token != NULL && hx_jwt_parse(a.token, &j, NULL, 0) == 0 &&
        !hx_jwt_verify_hmac(&j, "HS256", secret, strlen(secret))) {
        /* An API token that is not HMAC (EdDSA ...) cannot confirm the
         * secret; the session value the same secret signs can. */
        struct hx_sweep_target t;
        char where[120] = "";
        bool hmac = hx_jwt_alg(&j) != NULL && strncmp(hx_jwt_alg(&j), "HS", 2) == 0;
        bool confirmed = !hmac && hx__signed_session_find(ctx, &a, &t, where, sizeof where) &&
                         hx_sweep_try(&t, secret, strlen(secret));

        if (where[0] != '\0')
            hx_sweep_target_cleanup(&t);
        if (!confirmed) {
            char diag[600];
            hx_jwt_cleanup(&j);
            hx_diag_text(HX_DIAG_SECRET_MISMATCH, 0, NULL, diag, sizeof(diag));
            hx__diagnose(ctx, step, diag);
            hx_step_set(step, HX_STATUS_SKIP, "probe.secret-mismatch",
                        "cannot decide: the given secret does not verify the target's token%s",
                        hmac ? ""
                        : where[0] != '\0'
                            ? " (not HMAC) nor the session value a signin hands out"
                            : " (not HMAC), and no signin hands out a session value it signs");
            return;
        }
        hx_step_add_note(step,
                         "the API token is %s, not HMAC: the given secret is confirmed by %s "
                         "(HMAC-SHA256)",
                         hx_jwt_alg(&j) != NULL ? hx_jwt_alg(&j) : "not HMAC", where);
    }
    hx_jwt_cleanup(&j);
    hx_secret_estimate(secret, strlen(secret), &e);
    if (!hx_secret_strong(&e, min_len, min_bits, why, sizeof(why))) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.secret-weak", "%s", why);
        return;
    }
    hx_step_add_note(step, "given secret: %s", why);
    /* A long, varied secret can still be a listed phrase: sweep it. */
    {
        struct hx_jwt_build b = {.header_json = "{\"alg\":\"HS256\"}",
                                 .payload_json = "{}",
                                 .sig = HX_JWT_SIG_HMAC,
                                 .alg_for_mac = "HS256",
                                 .key = secret,
                                 .key_len = strlen(secret)};
        char *tok = hx_jwt_build(&b), path[1200], text[400];
        struct hx_sweep_target t;
        struct hx_wordlist wl;
        struct hx_sweep_opts o = {.short_max = 0, .rules = true};
        struct hx_sweep_result r;

        if (tok == NULL || hx_sweep_prepare(tok, &t) != 0) {
            free(tok);
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "out of memory");
            return;
        }
        free(tok);
        if (hx__wordlist_from_args(args, &wl, path, sizeof(path)) != 0) {
            hx_sweep_target_cleanup(&t);
            hx_step_set(step, HX_STATUS_ERROR, "probe.wordlist", "cannot read the word list %s",
                        path);
            return;
        }
        if (hx_sweep_run(&t, &wl, &o, &r) != 0) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal",
                        "the sweep of the given secret could not run");
        } else if (r.found) {
            hx_sweep_describe(&r, &wl, text, sizeof(text));
            hx_step_set(step, HX_STATUS_FAIL, "probe.secret-listed",
                        "the given secret is a listed weak secret: %s", text);
        } else {
            hx_step_pass(step);
        }
        memset(&r, 0, sizeof(r));
        hx_sweep_target_cleanup(&t);
        hx_wordlist_cleanup(&wl);
    }
}

const struct hx_probe_def hx__probe_secret_strength = {
    .name = "secret_strength",
    .summary =
        "the given secret: 32+ characters, entropy estimate, not a listed or placeholder value",
    .floods = false,
    .args = strength_args,
    .run = strength_run,
};
