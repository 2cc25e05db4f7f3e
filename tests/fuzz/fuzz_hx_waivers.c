/* Fuzz target: the waivers loader (harness/src/gate/waivers.c) on a waivers
 * file a team wrote: hx_waivers_parse(), then, when it loads, the waivers
 * applied to a run of failing, erroring and passing cases (expiry, globs,
 * target prefixes), the states they end in, and report.json built from it. */
#include <jansson.h>
#include <string.h>

#include "fz_check.h"
#include "hx/report_json.h"
#include "hx/waivers.h"

static void
waivers_use(struct hx_waiver *w, size_t n)
{
    static const char *const ids[] = {"SEC-CSP-001", "SEC-CORS-001", "QS-PUBLIC-001",
                                      "QS-SIGNIN-001", "SEC-CSP-001"};
    static const enum hx_status found[] = {HX_STATUS_FAIL, HX_STATUS_ERROR, HX_STATUS_FAIL,
                                           HX_STATUS_PASS, HX_STATUS_SKIP};
    struct hx_result *r = hx_result_new("https://staging.example.com/api", "p", "run");
    json_t *report;

    if (r == NULL) {
        hx_waivers_free(w, n);
        return;
    }
    r->waivers = w;
    r->n_waivers = n;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        struct hx_case *c = hx_result_add_case(r, ids[i], "t", "g", NULL);
        if (c != NULL)
            c->status = found[i];
    }
    hx_waivers_expire(r->waivers, r->n_waivers, "2026-12-05");
    if (hx_waivers_settle(r) == 0) {
        for (size_t i = 0; i < r->n_cases; i++) {
            const struct hx_case *c = r->cases[i];
            if (c->status != HX_STATUS_WAIVED)
                continue;
            FZ_CHECK(c->waiver != NULL && c->waiver->state == HX_WAIVER_APPLIED);
            FZ_CHECK(c->waived_status == HX_STATUS_FAIL || c->waived_status == HX_STATUS_ERROR);
            FZ_CHECK(strcmp(c->waiver->expires, "2026-12-05") >= 0);
        }
        for (size_t k = 0; k < r->n_waivers; k++) {
            FZ_CHECK((r->waivers[k].state == HX_WAIVER_UNUSED) == (r->waivers[k].n_cases == 0) ||
                     r->waivers[k].state == HX_WAIVER_EXPIRED);
            FZ_CHECK(strlen(r->waivers[k].expires) == 10);
        }
        FZ_CHECK(hx_result_exit_code(r, HX_SEV_INFO) == HX_EXIT_PASS ||
                 hx_result_exit_code(r, HX_SEV_INFO) == HX_EXIT_FAILED);
        report = hx_report_json_build(r);
        json_decref(report);
    }
    hx_result_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hx_waiver *w = NULL;
    struct hx_error err;
    size_t n = 0;
    int rc;

    if (size > 65536)
        return 0;
    memset(&err, 0, sizeof err);
    rc = hx_waivers_parse((const char *)data, size, "fuzz.json", &w, &n, &err);
    FZ_CHECK(rc == 0 || rc == HX_E_PARSE || rc == HX_E_NOMEM);
    FZ_CHECK(memchr(err.text, '\0', sizeof err.text) != NULL);
    if (rc != 0) {
        FZ_CHECK(w == NULL && err.text[0] != '\0');
        return 0;
    }
    waivers_use(w, n);
    return 0;
}
