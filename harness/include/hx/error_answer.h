#ifndef HX_ERROR_ANSWER_H
#define HX_ERROR_ANSWER_H
/*
 * Where a target's error answers carry their human message and their
 * machine code (profile errors.*), and reading them from an answer.
 *
 * Two sides: the API's routes (errors.message, errors.code) and the auth
 * routes, signup, signin and signout (errors.auth.message,
 * errors.auth.code; the API's when the profile gives none). A Better Auth
 * server answers {"message": ..., "code": ...} on its auth routes while
 * the tasks API beside it answers the quickstart's {"detail": ...}.
 *
 * What the message must say stays the contract's (messages.*); the
 * profile only says where to read it.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum hx_error_side {
    HX_ERRORS_API = 0,
    HX_ERRORS_AUTH,
};

/* Borrowed from profile (a loaded profile's merged document): the JSON path
 * of what ("message" or "code") on side, or NULL when the profile has none
 * (a target without machine codes). */
const char *hx_errors_path(const json_t *profile, enum hx_error_side side, const char *what);

/* The value at path in body (len bytes): true with out filled (a string as
 * is, anything else as compact JSON, cut to out_size); false when the body
 * is not JSON or the path leads nowhere (out is then ""). */
bool hx_errors_read(const char *body, size_t len, const char *path, char *out, size_t out_size);

/* Borrowed: the contract's error case (a member of errors.codes, e.g.
 * "bad_credentials") whose code the profile says code is, or NULL. */
const char *hx_errors_case(const json_t *profile, const char *code);

/* The contract's error cases a profile may name the target's codes for
 * (errors.codes.<case>): NULL-terminated. */
extern const char *const hx_error_cases[];

#endif
