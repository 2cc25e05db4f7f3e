#ifndef HX_REPORT_JSON_READ_H
#define HX_REPORT_JSON_READ_H
/*
 * Reading report.json back: the format hx/report_json.h writes, turned into
 * the JSON document (for `authconform diff`) or into a whole struct
 * hx_result (for `authconform merge` and --shard-durations), so that what
 * was read can be written again.
 *
 * Round trip: for any report.json this build wrote, reading it and writing
 * it again with hx_report_json_render() gives the same bytes. The sections a
 * writer computes from the cases (summary, checklist) are not read back:
 * they are computed again.
 *
 * Every problem is an error that names the file and the JSON path of the
 * field, e.g. "a.json: cases[3].steps[0].status: expected one of pass, fail,
 * error, skip, warn". Members this build does not know are ignored (a newer
 * writer may add some within the same version).
 */
#include <jansson.h>
#include <stddef.h>

#include "hx/error.h"
#include "hx/result.h"

/* Parses a status name as hx_status_name() writes it (every status it
 * names). Returns 0 or HX_E_PARSE. */
int hx_report_json_status_parse(const char *name, enum hx_status *out);

/* Writes the status names, ", "-separated ("pass, fail, error, skip,
 * warn"), into out (truncated to size). */
void hx_report_json_status_names(char *out, size_t size);

/* Parses the text of a report.json (len bytes) named `name` in errors and
 * checks its format and version. Returns 0 with *root new (json_decref), or
 * HX_E_PARSE with the reason in err. */
int hx_report_json_parse(const char *text, size_t len, const char *name, json_t **root,
                         struct hx_error *err);

/* Reads the file at path and parses it as hx_report_json_parse(). Returns
 * 0 with *root new, HX_E_IO, HX_E_NOMEM or HX_E_PARSE with the reason in
 * err. */
int hx_report_json_load(const char *path, json_t **root, struct hx_error *err);

/* Turns a parsed report (borrowed) into a result. name is the file named in
 * errors. Returns 0 with *out new (hx_result_free), HX_E_PARSE or
 * HX_E_NOMEM with the file, the field and the reason in err. */
int hx_report_json_to_result(const json_t *root, const char *name, struct hx_result **out,
                             struct hx_error *err);

/* The same from text in memory (len bytes, any bytes). */
int hx_report_json_read_buffer(const char *text, size_t len, const char *name,
                               struct hx_result **out, struct hx_error *err);

/* The same from the file at path. */
int hx_report_json_read_file(const char *path, struct hx_result **out, struct hx_error *err);

#endif
