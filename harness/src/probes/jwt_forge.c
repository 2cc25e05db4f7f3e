/* Probe jwt_forge (checklist item 4, hs256): the issued token is HS256, the
 * contract's algorithm whatever the profile says, and the forged tokens of
 * the classes a scenario names are refused with 401. One scenario per class
 * (hx_forge_class), so that one defect turns one case red. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "forge_send.h"
#include "hx/probes/diag.h"

/* The contract's algorithm (quickstart: "JWT tokens are signed with HS256"). */
#define FORGE_CONTRACT_ALG "HS256"

static const char *const forge_classes[] = {
    "alg-none",         "other-hmac-alg", "signature",        "payload-tampered",
    "header-injection", "malformed",      "duplicate-claims", "key-confusion",
    NULL,
};

static const struct hx_probe_arg forge_args[] = {
    HX_ARG_STR("tasks_path"),
    /* the attack classes to send; absent: every class */
    HX_ARG_LIST_OF("classes", forge_classes),
    /* judge the issued token's alg (the check of its own); default true */
    HX_ARG_BOOL("judge_alg"),
    HX_ARG_END,
};

/* The target's JWKS (profile paths.jwks) as JSON text, new; NULL when the
 * profile names none or it does not answer 200 with JSON. */
static char *
forge_jwks(struct hx_probe_ctx *ctx, struct hx_step_result *step)
{
    const char *path = hx__prof_str(ctx, "paths.jwks", NULL);
    struct hx_response r;
    char *text = NULL;

    if (path == NULL)
        return NULL;
    if (hx__probe_send(ctx, &(struct hx__send){.path = path}, &r) == 0 && r.status == 200 &&
        r.body.data != NULL) {
        json_t *doc = json_loadb(r.body.data, r.body.len, 0, NULL);
        if (json_is_array(json_object_get(doc, "keys")))
            text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(doc);
    }
    if (text == NULL)
        hx_step_add_note(step, "the JWKS at %s answered %ld without keys", path, r.status);
    hx_response_cleanup(&r);
    return text;
}

static void
forge_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a, b;
    struct hx_jwt j = {0};
    struct hx_forgery f[HX_FORGE_MAX];
    struct hx__forge_outcome o;
    size_t n = 0, sent = 0;
    char why[160], missing[400];
    const char *alg;
    bool judge_alg = hx__arg_bool(args, "judge_alg", true);
    bool any_class = args == NULL || json_object_get(args, "classes") == NULL ||
                     json_array_size(json_object_get(args, "classes")) > 0;
    long unauth = (long)hx__prof_int(ctx, "codes.unauthenticated", 401);
    struct hx_forge_in in = {0};

    memset(&o, 0, sizeof(o));
    if (!hx__forge_identities(ctx, &a, &b, step))
        return;
    if (hx_jwt_parse(a.token, &j, why, sizeof(why)) != 0) {
        hx_step_set(step, judge_alg ? HX_STATUS_FAIL : HX_STATUS_SKIP, "probe.token-format",
                    "the token the target issued is not a compact JWS: %s", why);
        return;
    }
    alg = hx_jwt_alg(&j);
    if (alg == NULL || strcmp(alg, FORGE_CONTRACT_ALG) != 0) {
        if (judge_alg) {
            hx_step_set(step, HX_STATUS_FAIL, "probe.token-alg",
                        "the issued token's header alg is \"%s\", not %s as the contract "
                        "requires (quickstart: \"JWT tokens are signed with HS256\")",
                        alg != NULL ? alg : "(none)", FORGE_CONTRACT_ALG);
            hx_jwt_cleanup(&j);
            return;
        }
        hx_step_add_note(step,
                         "issued token: header alg \"%s\" (not the contract's HS256; "
                         "judged by its own check)",
                         alg != NULL ? alg : "(none)");
    } else {
        hx_step_add_note(step, "issued token: header alg HS256");
    }
    if (!any_class) {
        hx_jwt_cleanup(&j);
        hx_step_pass(step); /* the alg alone was asked */
        return;
    }
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
    if (hx__arg_list_has(args, "classes", "key-confusion")) {
        char missing_keys[200] = "";
        size_t nk = 0;
        in.jwks = forge_jwks(ctx, step);
        if (hx_forge_keys(&in, f + n, HX_FORGE_MAX - n, &nk, missing_keys,
                          sizeof(missing_keys)) != 0) {
            free((char *)in.jwks);
            hx_forge_free(f, n + nk);
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "could not build the forgeries");
            return;
        }
        n += nk;
        free((char *)in.jwks);
        in.jwks = NULL;
        if (missing_keys[0] != '\0')
            hx_step_add_note(step, "not built: %s", missing_keys);
    }
    if (missing[0] != '\0')
        hx_step_add_note(step, "not built: %s", missing);
    for (size_t i = 0; i < n; i++) {
        if (!hx__arg_list_has(args, "classes", hx_forge_class(f[i].name)))
            continue;
        hx__forge_send(ctx, args, &f[i], a.user_id, b.user_id, NULL, NULL, step, &o);
        sent++;
    }
    hx_forge_free(f, n);
    hx__forge_verdict(step, &o, sent, unauth, "hs256");
}

const struct hx_probe_def hx__probe_jwt_forge = {
    .name = "jwt_forge",
    .summary = "the issued token is HS256; forged tokens of the named attack classes get 401",
    .floods = false,
    .args = forge_args,
    .run = forge_run,
};
