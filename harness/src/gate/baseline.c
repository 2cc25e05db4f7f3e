/* Baselines: the failing cases of a run measured against an accepted run. */
#include "hx/baseline.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hx/error.h"

static bool
baseline_failing_now(enum hx_status s)
{
    return s == HX_STATUS_FAIL || s == HX_STATUS_ERROR || s == HX_STATUS_WARN;
}

/* In the baseline, an accepted failure (waived) was a failure all the same. */
static bool
baseline_failing_then(enum hx_status s)
{
    return baseline_failing_now(s) || s == HX_STATUS_WAIVED;
}

/* The case of old with this id and occurrence, or NULL. */
static const struct hx_report_case *
baseline_find(const struct hx_report_doc *old, const char *id, size_t occurrence)
{
    for (size_t i = 0; i < old->n; i++)
        if (old->cases[i].occurrence == occurrence && strcmp(old->cases[i].id, id) == 0)
            return &old->cases[i];
    return NULL;
}

int
hx_baseline_apply(struct hx_result *r, const struct hx_report_doc *old)
{
    char *path = strdup(old->path != NULL ? old->path : "?");
    char *run_id = strdup(old->run_id != NULL ? old->run_id : "?");

    if (path == NULL || run_id == NULL) {
        free(path);
        free(run_id);
        return HX_E_NOMEM;
    }
    free(r->baseline);
    free(r->baseline_run_id);
    r->baseline = path;
    r->baseline_run_id = run_id;
    for (size_t i = 0; i < r->n_cases; i++) {
        struct hx_case *c = r->cases[i];
        const struct hx_report_case *then;
        size_t occurrence = 0;

        c->baseline = HX_BASELINE_NONE;
        if (c->id == NULL)
            continue;
        for (size_t k = 0; k < i; k++)
            if (r->cases[k]->id != NULL && strcmp(r->cases[k]->id, c->id) == 0)
                occurrence++;
        then = baseline_find(old, c->id, occurrence);
        if (baseline_failing_now(c->status))
            c->baseline = then != NULL && baseline_failing_then(then->status)
                              ? HX_BASELINE_STILL_FAILING
                              : HX_BASELINE_NEW;
        else if (c->status == HX_STATUS_PASS && then != NULL && baseline_failing_then(then->status))
            c->baseline = HX_BASELINE_FIXED;
    }
    return 0;
}
