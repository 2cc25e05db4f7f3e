/* Probe secret_sweep (checklist item 1, strong-secret): the secret recovered
 * from a genuine token by a word-list sweep, with rules and short brute force. */
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
#include "hx/header_values.h"
#include "hx/jwt.h"
#include "hx/probes/strength.h"
#include "hx/probes/sweep.h"
#include "probe_int.h"
#include "signed_session.h"

static const struct hx_probe_arg sweep_args[] = {
    HX_ARG_STR("wordlist"),        /* relative to the data directory, or absolute */
    HX_ARG_INT("short_max", 0, 6), /* brute force of every key up to this length */
    HX_ARG_INT("threads", 0, 64),  /* 0: every core */
    HX_ARG_BOOL("rules"),          HX_ARG_END,
};

static void
sweep_run_probe(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a;
    struct hx_sweep_target t;
    struct hx_wordlist wl;
    struct hx_sweep_opts o = {
        .threads = (unsigned)hx__arg_int(args, "threads", 0),
        .short_max = (unsigned)hx__arg_int(args, "short_max", 4),
        .rules = hx__arg_bool(args, "rules", true),
    };
    struct hx_sweep_result r;
    struct hx_jwt j = {0};
    char path[1200], text[400], where[120] = "";
    bool session = false;
    int rc;

    if (hx_probe_identity(ctx, "alice", &a) != 0)
        return;
    if (a.token == NULL || hx_jwt_parse(a.token, &j, NULL, 0) != 0) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.token-format",
                    "cannot decide: the target issued no compact JWS to sweep");
        return;
    }
    if (hx_jwt_alg(&j) == NULL || strcmp(hx_jwt_alg(&j), "HS256") != 0) {
        /* the secret may still sign the session: sweep that instead */
        session = hx__signed_session_find(ctx, &a, &t, where, sizeof where);
        if (!session) {
            hx_step_set(step, HX_STATUS_SKIP, "probe.token-alg",
                        "cannot decide: the issued token is not HS256 (alg \"%s\") and no "
                        "signin hands out a value signed with HMAC-SHA256 (<value>.<base64 "
                        "HMAC>); the sweep recovers HMAC-SHA256 secrets",
                        hx_jwt_alg(&j) != NULL ? hx_jwt_alg(&j) : "");
            hx_jwt_cleanup(&j);
            return;
        }
        hx_step_add_note(step,
                         "the API token is %s, not HMAC: swept the HMAC-SHA256 that signs %s "
                         "instead (the same secret signs the sessions)",
                         hx_jwt_alg(&j) != NULL ? hx_jwt_alg(&j) : "not HS256", where);
    }
    if (!session && hx_probe_secret(ctx) != NULL &&
        !hx_jwt_verify_hmac(&j, "HS256", hx_probe_secret(ctx), strlen(hx_probe_secret(ctx)))) {
        char diag[600];
        hx_diag_text(HX_DIAG_SECRET_MISMATCH, 0, NULL, diag, sizeof(diag));
        hx__diagnose(ctx, step, diag);
    }
    hx_jwt_cleanup(&j);
    rc = hx__wordlist_from_args(args, &wl, path, sizeof(path));
    if (rc != 0) {
        if (session)
            hx_sweep_target_cleanup(&t);
        hx_step_set(step, HX_STATUS_ERROR, "probe.wordlist", "cannot read the word list %s: %s",
                    path, hx_strerror(rc));
        return;
    }
    if (!session && hx_sweep_prepare(a.token, &t) != 0) {
        hx_wordlist_cleanup(&wl);
        hx_step_set(step, HX_STATUS_SKIP, "probe.token-format",
                    "cannot decide: the token's signature is not 32 bytes");
        return;
    }
    rc = hx_sweep_run(&t, &wl, &o, &r);
    hx_sweep_target_cleanup(&t);
    if (rc != 0) {
        hx_wordlist_cleanup(&wl);
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "sweep failed: %s", hx_strerror(rc));
        return;
    }
    hx_step_add_note(step,
                     "sweep: %llu candidates (%zu words x %zu rules, short keys up to %u "
                     "characters) in %.2f s: %.0f candidates/s on %u threads",
                     (unsigned long long)r.candidates, wl.n, o.rules ? hx_sweep_rule_count() : 1,
                     o.short_max, r.seconds, r.per_second, r.threads);
    if (r.found) {
        hx_sweep_describe(&r, &wl, text, sizeof(text));
        hx_step_set(step, HX_STATUS_FAIL, "probe.secret-recovered",
                    "the %s secret was recovered from %s: %s",
                    session ? "session signing" : "token signing", session ? where : "a real token",
                    text);
    } else {
        hx_step_pass(step);
    }
    memset(&r, 0, sizeof(r));
    hx_wordlist_cleanup(&wl);
}

const struct hx_probe_def hx__probe_secret_sweep = {
    .name = "secret_sweep",
    .summary = "recovers the HS256 secret from a real token by word list, rules and short keys",
    .floods = false,
    .args = sweep_args,
    .run = sweep_run_probe,
};
