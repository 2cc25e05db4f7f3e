#ifndef HX_REPORT_SARIF_H
#define HX_REPORT_SARIF_H
/*
 * report.sarif: the findings of a run in SARIF 2.1.0 (OASIS), which code
 * scanning views (GitHub, GitLab) show beside the code. One rule per check
 * of the run (id, title, checklist items and ASVS references as tags, the
 * severity as level and security-severity, the remediation as help, the
 * rule's source), one result per check that failed or warned, located at
 * the URL of the request that showed it. Errors and skips are not findings:
 * they are the invocation's notifications. Validated in the tests against
 * the official schema (fixtures/sarif/sarif-schema-2.1.0.json).
 */
#include <jansson.h>

#include "cmn/buf.h"
#include "hx/error.h"
#include "hx/result.h"

/* Returns new (json_decref()): the SARIF log; NULL when out of memory. */
json_t *hx_report_sarif_build(const struct hx_result *r);

/* Writes the log to path (whole or not at all). Returns 0, or a negative
 * HX_E_* code with the path and the reason in err (may be NULL). */
int hx_report_sarif_write(const struct hx_result *r, const char *path, struct hx_error *err);

#endif
