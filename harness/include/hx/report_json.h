#ifndef HX_REPORT_JSON_H
#define HX_REPORT_JSON_H
/*
 * report.json: the results of a run for machines, in the versioned format
 * that reports/schema/report-v1.schema.json describes (JSON Schema draft
 * 2020-12) and reports/README.md documents.
 *
 * Cases are written in a stable order (by id, then group, then file) and
 * every object has the same keys in the same order whatever the run, so two
 * reports compare line by line and `authconform diff` can match them. Text
 * from the target is written as valid UTF-8 whatever bytes it held: malformed
 * sequences and control characters become U+FFFD.
 */
#include <jansson.h>

#include "cmn/buf.h"
#include "hx/error.h"
#include "hx/result.h"

/* The value of the top-level "format" member, and the version this build
 * writes (and the newest `authconform diff` reads). */
#define HX_REPORT_JSON_FORMAT "authconform-report"
#define HX_REPORT_JSON_VERSION 1

/* Returns new (json_decref()): the report as a JSON value; NULL when out of
 * memory. */
json_t *hx_report_json_build(const struct hx_result *r);

/* Appends the report, indented, with a final newline, to out. Returns 0,
 * HX_E_NOMEM or HX_E_TOOBIG. */
int hx_report_json_render(const struct hx_result *r, struct cmn_buf *out);

/* Writes the report to path (whole or not at all). Returns 0, or a negative
 * HX_E_* code with the path and the reason in err (may be NULL). */
int hx_report_json_write(const struct hx_result *r, const char *path, struct hx_error *err);

#endif
