/* Probe signin_enumeration (checklist item 6, no-info-leak): an unknown email
 * and a wrong password get the same status and body, and so the same code
 * where the target's error answers carry one (profile errors.auth.code). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "hx/error_answer.h"
#include "hx/probes/content.h"
#include "hx/header_values.h"
#include "hx/probes/stats.h"
#include "hx/probes/variants.h"
#include "probe_int.h"
#include "signin_pair.h"

/* The broken-target verdicts of one signin answer; true when the step
 * was set. */
static bool
enum_broken(struct hx_step_result *step, const struct hx__signin_answer *a, const char *what)
{
    if (a->rc != 0 || a->status == 0) {
        hx_step_set(step, HX_STATUS_ERROR, "transport", "%s: no answer", what);
        return true;
    }
    if (a->status >= 500) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                    "%s: the target answered %ld; no verdict on a server error", what, a->status);
        return true;
    }
    if (a->status == 429) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.rate-limited",
                    "could not decide: rate limited (429) during %s", what);
        return true;
    }
    return false;
}

static void
enum_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity id;
    char email[200], password[80];
    char *b_unknown = NULL, *b_wrong = NULL;
    struct hx__signin_pair lp;
    const struct hx__signin_answer *ru, *rw;
    /* signin is an auth route: its answers' code is at errors.auth.code */
    const char *code_at = hx_errors_path(hx_probe_profile(ctx), HX_ERRORS_AUTH, "code");
    char code_u[160], code_w[160];
    bool has_u = false, has_w = false;

    (void)args;
    memset(&lp, 0, sizeof(lp));
    if (hx_probe_identity_fresh(ctx, &id) != 0)
        return;
    hx__signin_unknown(ctx, email, sizeof(email), password, sizeof(password));
    b_unknown = hx__signin_body(ctx, email, password);
    b_wrong = hx__signin_body(ctx, id.email, password);
    if (b_unknown == NULL || b_wrong == NULL) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "out of memory");
        goto done;
    }
    /* both at once: the same load for both, one hash's time for the pair */
    if (hx__signin_pair_send(ctx, b_unknown, b_wrong, false, true, 2, &lp) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "the signin URL is too long");
        goto done;
    }
    ru = &lp.ans[0];
    rw = &lp.ans[1];
    if (enum_broken(step, ru, "signin with an unknown email") ||
        enum_broken(step, rw, "signin with a wrong password"))
        goto done;
    if (ru->body == NULL || rw->body == NULL) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "out of memory");
        goto done;
    }
    if (ru->status >= 200 && ru->status < 300) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.signin-unknown-accepted",
                    "signin with an unknown email answered %ld", ru->status);
        goto done;
    }
    if (rw->status >= 200 && rw->status < 300) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.signin-wrong-accepted",
                    "signin with a wrong password answered %ld", rw->status);
        goto done;
    }
    if (ru->status != rw->status) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.enumeration",
                    "unknown email answers %ld, wrong password %ld: the status tells whether "
                    "an account exists",
                    ru->status, rw->status);
        goto done;
    }
    /* the code first: where it differs, that alone tells */
    if (code_at != NULL) {
        has_u = hx_errors_read(ru->body, ru->body_len, code_at, code_u, sizeof code_u);
        has_w = hx_errors_read(rw->body, rw->body_len, code_at, code_w, sizeof code_w);
        if (has_u != has_w || strcmp(code_u, code_w) != 0) {
            hx_step_set(step, HX_STATUS_FAIL, "probe.enumeration",
                        "unknown email answers code %s%s%s, wrong password %s%s%s (%s): the code "
                        "tells whether an account exists",
                        has_u ? "\"" : "", has_u ? code_u : "none", has_u ? "\"" : "",
                        has_w ? "\"" : "", has_w ? code_w : "none", has_w ? "\"" : "", code_at);
            goto done;
        }
        if (!has_u)
            hx_step_add_note(step,
                             "code: %s is absent from both answers, where the profile "
                             "(errors.auth.code) says the target's error answers carry their code",
                             code_at);
    }
    if (ru->body_len != rw->body_len ||
        (ru->body_len > 0 && memcmp(ru->body, rw->body, ru->body_len) != 0)) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.enumeration",
                    "unknown email and wrong password get different bodies (%.120s vs %.120s): "
                    "the body tells whether an account exists",
                    ru->body, rw->body);
        goto done;
    }
    hx_step_add_note(step,
                     "unknown email and wrong password (sent together): both %ld with the "
                     "same body%s%s%s",
                     ru->status, has_u ? " and the same code, \"" : "", has_u ? code_u : "",
                     has_u ? "\"" : "");
    hx_step_pass(step);
done:
    hx__signin_pair_cleanup(&lp);
    free(b_unknown);
    free(b_wrong);
}

const struct hx_probe_def hx__probe_signin_enumeration = {
    .name = "signin_enumeration",
    .summary = "unknown email and wrong password get the same status, body and code",
    .floods = false,
    .args = NULL, /* takes none */
    .run = enum_run,
};
