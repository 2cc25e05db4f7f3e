#ifndef HX_PROBE_INT_H
#define HX_PROBE_INT_H
/*
 * Shared by the probes (harness/src/probes/<name>.c): reading
 * arguments and the profile, sending one request through the run, and the
 * steps every forging probe takes first (calibration). Only for probes/.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "hx/error.h"
#include "hx/http.h"
#include "hx/probe.h"
#include "hx/result.h"

/* --- arguments (declared in each probe's definition, checked at load time) --- */

const char *hx__arg_str(const json_t *args, const char *key, const char *dflt);
long long hx__arg_int(const json_t *args, const char *key, long long dflt);
double hx__arg_num(const json_t *args, const char *key, double dflt);
bool hx__arg_bool(const json_t *args, const char *key, bool dflt);
/* True when the list args.key holds value, or when args has no such list
 * (absent means every value). */
bool hx__arg_list_has(const json_t *args, const char *key, const char *value);

/* --- profile (dotted names: "paths.tasks", "codes.unauthenticated") --- */

const char *hx__prof_str(const struct hx_probe_ctx *ctx, const char *dotted, const char *dflt);
/* Borrowed: the profile's value at dotted, or NULL. */
const json_t *hx__prof_json(const struct hx_probe_ctx *ctx, const char *dotted);
/* Returns new (free()): the signin body {email, password} with the field
 * names of the profile, compact JSON; NULL when out of memory. */
char *hx__signin_body(const struct hx_probe_ctx *ctx, const char *email, const char *password);
long long hx__prof_int(const struct hx_probe_ctx *ctx, const char *dotted, long long dflt);
bool hx__prof_bool(const struct hx_probe_ctx *ctx, const char *dotted, bool dflt);
/* A user id no account has, of the target's shape (identity.id_format;
 * see hx/probes/fake_id.h), like real_id (an id the target gave), with
 * the run's random bytes. Returns 0, or HX_E_TOOLONG. */
int hx__fake_user_id(struct hx_probe_ctx *ctx, const char *real_id, char *out, size_t out_size);

/* Whether the profile's tasks.operations offers op ("create"). */
bool hx__prof_task_op(const struct hx_probe_ctx *ctx, const char *op);
/* True when status is the profile's code (an integer or an array of them). */
bool hx__prof_code_is(const struct hx_probe_ctx *ctx, const char *dotted, long dflt, long status);

/* --- requests --- */

struct hx__send {
    const char *method;            /* "GET" when NULL */
    const char *path;              /* relative to the target, or an absolute URL */
    const char *token;             /* sent as "Authorization: <scheme> <token>" when not NULL */
    const char *raw_auth;          /* a whole Authorization value (overrides token) */
    const char *json;              /* body with Content-Type: application/json */
    const char *origin;            /* an Origin header */
    const struct hx_header *extra; /* more headers */
    size_t n_extra;
    bool quiet; /* no evidence (sampling) */
    bool follow_redirects;
    bool path_as_is; /* the path's dot segments go out unresolved */
    long tls_version, tls_max_version;
};

/* Sends and fills resp (initialised here with the run's body cap; the
 * caller cleans it up). Returns as hx_probe_http. */
int hx__probe_send(struct hx_probe_ctx *ctx, const struct hx__send *s, struct hx_response *resp);

/* The profile's tasks route with {user_id} filled. Returns 0 or an error. */
int hx__tasks_path(const struct hx_probe_ctx *ctx, const json_t *args, const char *user_id,
                   char *out, size_t out_size);

/* The response body as text for messages: at most max bytes. Borrowed. */
const char *hx__body(const struct hx_response *r);

/* The message of an API error answer, at profile's errors.message (the
 * run's profile, hx_probe_profile(); "$.detail", the quickstart's, when
 * profile has no errors section), copied into out ("" if none). */
void hx__detail(const json_t *profile, const struct hx_response *r, char *out, size_t out_size);

/* Records a diagnosis for the case (quickstart troubleshooting). */
void hx__diagnose(struct hx_probe_ctx *ctx, struct hx_step_result *step, const char *text);

/* Target clock minus local clock from the response's Date header (seconds);
 * 0 when absent. */
long long hx__clock_skew(const struct hx_response *r);

/* Calibration of the forging probes: the genuine token must open the
 * owner's tasks list and "not-a-token" must be refused with the contract's
 * 401. On failure the step is set (SKIP "cannot decide", or ERROR on 5xx /
 * no answer), a diagnosis is recorded when one fits, and false returned. */
bool hx__calibrate(struct hx_probe_ctx *ctx, const json_t *args, const struct hx_identity *id,
                   struct hx_step_result *step);

/* A transport failure or 5xx as a step ERROR; returns true when it was one. */
bool hx__error_if_broken(struct hx_step_result *step, int rc, const struct hx_response *r,
                         const char *what);

/* 429 met by a probe that does not test rate limiting: SKIP "rate limited". */
bool hx__skip_if_limited(struct hx_step_result *step, const struct hx_response *r,
                         const char *what);

/* --- small things several probes do --- */

struct hx_wordlist;
/* Loads the word list args.wordlist names (relative to the data directory,
 * or absolute; fixtures/wordlists/secrets.txt by default); path receives
 * the file name for messages. Returns 0 or an error of hx_wordlist_load. */
int hx__wordlist_from_args(const json_t *args, struct hx_wordlist *wl, char *path,
                           size_t path_size);

/* Appends "; text" (no separator the first time) to a bounded list; the
 * list stays as it was when text does not fit. */
void hx__list_add(char *list, size_t size, const char *text);

/* Writes a judgement's one-line reason into why (NULL or size 0: nothing). */
void hx__whyf(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* n-1 random lowercase letters and digits, NUL-terminated (at most 48),
 * from the run's generator: email local parts and passwords no account
 * has. */
void hx__random_word(struct hx_probe_ctx *ctx, char *out, size_t n);

#endif
