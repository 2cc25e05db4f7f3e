#ifndef HX_WAIVERS_H
#define HX_WAIVERS_H
/*
 * Waivers (`authconform run --waivers FILE`): a team accepts a finding it
 * cannot fix yet, visibly, until a date.
 *
 * The file is a JSON object, reports/schema/waivers-v1.schema.json:
 *
 *   {"version": 1, "waivers": [
 *     {"check": "SEC-CORS-*", "target": "https://staging.example.com",
 *      "reason": "...", "owner": "...", "expires": "2027-01-31"}]}
 *
 * `check` is a case id or an fnmatch(3) glob of ids (case-sensitive);
 * `target`, when given, limits the waiver to a run whose target is it or
 * lies under it (a URL prefix ending at a '/'); `expires` is the last day
 * (UTC) the waiver waives. Every waiver has a reason and an owner.
 *
 * In a run: a case that failed or errored and that a live waiver matches
 * becomes WAIVED (the first such waiver in file order; the case keeps what
 * it found). A waiver whose date lies before the run's day is expired and
 * waives nothing; one that matches no case of the run is unused; both fail
 * the gate (hx_result_exit_code).
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "hx/error.h"
#include "hx/result.h"

/* Largest waivers file read. */
#define HX_WAIVERS_MAX_BYTES ((size_t)1 << 20)

/* Parses the text (p, n) of a waivers file; path names it in errors. On
 * success *out is new: an array of *n_out waivers (each state UNUSED); free
 * with hx_waivers_free(). Returns 0, HX_E_PARSE with the file, the waiver's
 * index and the field in err (may be NULL), or HX_E_NOMEM. */
int hx_waivers_parse(const char *p, size_t n, const char *path, struct hx_waiver **out,
                     size_t *n_out, struct hx_error *err);
/* The same from the file at path; HX_E_IO when it cannot be read. */
int hx_waivers_load(const char *path, struct hx_waiver **out, size_t *n_out,
                    struct hx_error *err);
/* Frees an array hx_waivers_parse made (NULL-safe). */
void hx_waivers_free(struct hx_waiver *w, size_t n);

/* The UTC day of t as YYYY-MM-DD into out. */
void hx_waivers_day(time_t t, char out[11]);
/* Marks expired every waiver whose last day is before today (YYYY-MM-DD). */
void hx_waivers_expire(struct hx_waiver *w, size_t n, const char *today);

/* True when w names the case id and, if it has a target, the run's target
 * is it or lies under it. Expiry is not considered. */
bool hx_waiver_matches(const struct hx_waiver *w, const char *case_id, const char *target);

/* If c failed or errored and a waiver of r that has not expired matches
 * it, makes it WAIVED (status kept in waived_status, waiver borrowed from
 * r). A case already waived is left as it is. */
void hx_waivers_waive_case(const struct hx_result *r, struct hx_case *c);

/* Waives what hx_waivers_waive_case would over every case of r, then sets
 * each waiver's state and list of matched case ids afresh. Safe to call
 * again. Returns 0 or HX_E_NOMEM. */
int hx_waivers_settle(struct hx_result *r);

#endif
