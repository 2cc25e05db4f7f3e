/* Probe jwt_forge (checklist item 4, hs256): the issued token is HS256 and
 * every forged, re-algorithmed or tampered token is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "forge_send.h"
#include "hx/probes/diag.h"

static const struct hx_probe_arg forge_args[] = {
    HX_ARG_STR("tasks_path"),
    HX_ARG_END,
};

static void
forge_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a, b;
    struct hx_jwt j = {0};
    struct hx_forgery f[HX_FORGE_MAX];
    struct hx__forge_outcome o;
    size_t n = 0;
    char why[160], missing[400];
    const char *want_alg = hx__prof_str(ctx, "token.alg", "HS256");
    long unauth = (long)hx__prof_int(ctx, "codes.unauthenticated", 401);
    struct hx_forge_in in = {0};

    memset(&o, 0, sizeof(o));
    if (!hx__forge_identities(ctx, &a, &b, step))
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
    in.secret = hx__forge_secret(ctx, &j, step);
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
        hx__forge_send(ctx, args, &f[i], a.user_id, b.user_id, NULL, NULL, step, &o);
    hx_forge_free(f, n);
    hx__forge_verdict(step, &o, n, unauth, "hs256");
}

const struct hx_probe_def hx__probe_jwt_forge = {
    .name = "jwt_forge",
    .summary = "issued token is HS256; forged, re-algorithmed and tampered tokens get 401",
    .floods = false,
    .args = forge_args,
    .run = forge_run,
};
