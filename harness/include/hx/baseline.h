#ifndef HX_BASELINE_H
#define HX_BASELINE_H
/*
 * Baselines (`authconform run --baseline OLD.json`): a team adopting the
 * gate on an old deployment fails only on what is new since an accepted
 * run.
 *
 * OLD is the report.json of that run, read with hx/report_read.h; cases
 * are matched by id as `authconform diff` matches them. A case that fails,
 * errors or warns now is "new" when its match in OLD did none of these and
 * was not waived (or has no match), else "still failing"; a case that
 * passes now and failed, errored, warned or was waived in OLD is "fixed".
 * hx_result_exit_code lets a still-failing case through; a new one fails
 * the gate as usual.
 */
#include "hx/report_read.h"
#include "hx/result.h"

/* Marks the cases of r against the baseline old (borrowed), and records
 * old's path and run id in r. Returns 0 or HX_E_NOMEM. */
int hx_baseline_apply(struct hx_result *r, const struct hx_report_doc *old);

#endif
