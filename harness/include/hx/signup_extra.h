#ifndef HX_SIGNUP_EXTRA_H
#define HX_SIGNUP_EXTRA_H
/*
 * The extra fields a target's signup requires (profile fields.extra), which
 * every signup the harness makes carries: identities set up for a scenario,
 * fresh accounts of probes, the signup bodies of scenario files.
 *
 *   "fields": {"extra": {"name": "${identity.username}", "acceptedTerms": true}}
 *
 * A value is any JSON; in its strings ${identity.email}, ${identity.password}
 * and ${identity.username} stand for the account being signed up.
 */
#include <jansson.h>
#include <stdbool.h>

#include "hx/error.h"

/* The names a value may refer to, NULL-terminated. */
extern const char *const hx_signup_extra_refs[];

/* Checks a fields.extra member's value: every ${...} in its strings is one
 * of hx_signup_extra_refs. Returns 0, or HX_E_PARSE with err saying which
 * reference is wrong. */
int hx_signup_extra_check(const json_t *value, struct hx_error *err);

/* Adds to body (a JSON object, changed) each member of profile's
 * fields.extra that body lacks, its ${identity.*} filled from email,
 * password and username (any may be NULL: "" then). A member body has
 * already (a check that sends it wrong on purpose) is left alone. Returns
 * 0, HX_E_NOMEM, or HX_E_PARSE with err (a value the profile check would
 * have refused). */
int hx_signup_extra_add(const json_t *profile, json_t *body, const char *email,
                        const char *password, const char *username, struct hx_error *err);

#endif
