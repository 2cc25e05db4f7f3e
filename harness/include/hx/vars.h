#ifndef HX_VARS_H
#define HX_VARS_H
/*
 * ${...} variables: profile values (${paths.signup}, ${codes.signup}),
 * generated identities (${alice.email}, ${alice.password}), captures
 * (${alice.token}, ${task_id}) and the run's own (${run.id}).
 *
 * Syntax: ${name} or ${name|filter}, filters upper, lower, urlencode.
 * "$${" writes a literal "${". Values are never expanded again, so text a
 * target sends back (a capture) cannot smuggle in a variable.
 *
 * A scope (a scenario's variables) has a parent (the run's); lookups go to
 * the scope, then its parent, then the scope's generator, which may create
 * the value on first use (identities). A scope is used by one thread at a
 * time (the runner, or the probe that runs the scenario's current step).
 */
#include <jansson.h>
#include <stdbool.h>

#include "hx/error.h"

struct hx_vars;

/* Creates name in v on first use, or returns HX_E_NOTFOUND. */
typedef int (*hx_vars_generate_fn)(void *ud, struct hx_vars *v, const char *name);

/* Returns new (hx_vars_free); parent is borrowed and must outlive v. */
struct hx_vars *hx_vars_new(struct hx_vars *parent);
void hx_vars_free(struct hx_vars *v);
void hx_vars_set_generator(struct hx_vars *v, hx_vars_generate_fn fn, void *ud);

/* Sets (or replaces) a string value; copied. */
int hx_vars_set(struct hx_vars *v, const char *name, const char *value);
/* Sets a typed value (copied); its text form is the string itself for
 * strings, the compact JSON otherwise. */
int hx_vars_set_json(struct hx_vars *v, const char *name, const json_t *value);
/* Flattens a profile into typed values "section.key" (objects nest with
 * dots; nulls are left out). */
int hx_vars_load_json_tree(struct hx_vars *v, const char *prefix, const json_t *tree);

/* Borrowed until the value is replaced or the scope freed; NULL when unknown.
 * May create the value through the generator. */
const char *hx_vars_get(struct hx_vars *v, const char *name);
/* Borrowed: the typed value, or NULL for an unknown name. */
const json_t *hx_vars_get_json(struct hx_vars *v, const char *name);
/* True when the name is known here or in a parent, without generating. */
bool hx_vars_has(const struct hx_vars *v, const char *name);

/* Returns new (free()): s with every ${...} replaced, or NULL with err set
 * ("unknown variable ${bob.token}"). */
char *hx_vars_expand(struct hx_vars *v, const char *s, struct hx_error *err);
/* Returns new: a deep copy of in with every string and object key
 * expanded. A string that is exactly one "${name}" of a typed value becomes
 * that value (so "${codes.signup}" can be 201 or [200, 204]). NULL with err
 * set on failure; err->text names the JSON location. */
json_t *hx_vars_expand_json(struct hx_vars *v, const json_t *in, struct hx_error *err);

/* Calls fn for every ${name} in s (name without filter). Returns 0, or the
 * first non-zero fn result, or HX_E_PARSE for a malformed reference. */
int hx_vars_scan(const char *s, int (*fn)(void *ud, const char *name), void *ud,
                 struct hx_error *err);

#endif
