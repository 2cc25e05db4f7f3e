#ifndef HX_EXPECT_H
#define HX_EXPECT_H
/*
 * Judges one response against a step's expectations and says, for every
 * one that did not hold, what was expected and what came back, in words a
 * person understands: "status: expected 201, got 200".
 *
 * The expectation object (scenarios/README.md documents it in full):
 *   "status":  201 | [200, 204]
 *   "headers": {"Name": "exact value" | matcher}
 *   "json":    {"$.path": value (equality) | matcher}
 *   "body":    {"contains": s, "not_contains": s, "matches": re, "is_json": bool,
 *               "max_bytes": n}
 *   "jwt":     {"from": "$.path" | "header:Name" | "cookie:name",
 *               "segments": 3, "header": {claim: value|matcher},
 *               "claims": {claim: value|matcher}, "lifetime": value|matcher,
 *               "not_expired": true}
 * A matcher is an object of: present, absent, equals (+ tolerance for
 * numbers), not_equals, one_of, type (string, number, integer, boolean,
 * null, object, array, or a list), matches (POSIX extended regex), icase
 * (with equals/contains/matches on text), contains, not_contains, is
 * ("uuid", "rfc3339", "email", "jwt", "non-empty"), length, min_length,
 * max_length, min, max.
 */
#include <jansson.h>

#include "hx/errlist.h"
#include "hx/http.h"
#include "hx/redact.h"

/* Checks an expectation as written in a scenario file (strings holding
 * ${...} are accepted wherever a value goes). where is the location, e.g.
 * "steps[1].expect". Every problem goes into errs. */
void hx_expect_validate(const json_t *expect, const char *file, const char *where,
                        struct hx_errlist *errs);

struct hx_expect_outcome {
    int mismatches;     /* 0 when everything held */
    char *message;      /* new (free()), redacted; NULL when everything held */
    const char *type;   /* static: "expect.status", "expect.json", ... */
    int scenario_error; /* 1 when the expectation itself is malformed (after expansion) */
};

/* Judges resp (which must hold a response) against expect (already
 * expanded). Values quoted in messages go through red. Returns 0, or
 * HX_E_NOMEM. */
int hx_expect_check(const json_t *expect, const struct hx_response *resp, struct hx_redactor *red,
                    struct hx_expect_outcome *out);
void hx_expect_outcome_cleanup(struct hx_expect_outcome *o);

/* A one-line preview of r's body for messages: at most 120 bytes, control
 * bytes as spaces, "…" when the body is longer, and a note when the
 * transfer was cut at the size cap. Always NUL-terminated; "" for no body. */
void hx_expect_body_preview(const struct hx_response *r, char *out, size_t out_size);


#endif
