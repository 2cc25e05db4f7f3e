#ifndef HX_PROBE_H
#define HX_PROBE_H
/*
 * Built-in probes: checks that need code (forged tokens, timing, TLS,
 * concurrency, the database). A scenario step calls one by name with JSON
 * arguments; the scenario file stays the one place where a check is defined
 * and described. The runner treats a probe step like a request step: start,
 * wait, judge. A probe runs on a thread of its own and may block.
 *
 * A probe decides through its step: hx_step_set(step, HX_STATUS_FAIL, ...)
 * for a verdict against the target, HX_STATUS_ERROR when the check could
 * not run (5xx, timeout), HX_STATUS_SKIP when it cannot decide (missing
 * secret, rate limited, calibration failed), and hx_step_pass() only when
 * the evidence shows the target does what it must. A step starts with no
 * verdict: a probe that returns without one is reported as an error, never
 * as a pass. Measurements go into hx_step_add_note().
 *
 * One probe, one file: probes/<name>.c holds its arguments, its run and its
 * judgement, and one line in probes/probe_list.h registers it.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "hx/config.h"
#include "hx/error.h"
#include "hx/http.h"
#include "hx/result.h"

struct hx_probe_ctx; /* owned by the runner */

/* A user the run created (or will create) through the target's signup. */
struct hx_identity {
    const char *name;     /* "alice" */
    const char *email;    /* fresh per run */
    const char *password; /* random, strong */
    const char *token;    /* the API credential; NULL until signed up */
    const char *session;  /* the auth routes' credential (profile auth.session; the token
                           * itself without an auth.exchange); NULL until signed up */
    const char *user_id;  /* NULL until signed up */
};

/* --- What a probe can ask of the run (all strings borrowed from the run) --- */

const char *hx_probe_target(const struct hx_probe_ctx *ctx); /* base URL, no trailing '/' */
/* The base URL path goes to: --auth-target for the profile's auth routes
 * when one was given, else the target. Borrowed. */
const char *hx_probe_base(const struct hx_probe_ctx *ctx, const char *path);
/* The base URL of the auth routes when they live on an origin of their own
 * (--auth-target), no trailing '/'; NULL when they share the target's. */
const char *hx_probe_auth_target(const struct hx_probe_ctx *ctx);
/* The run's pace on the signup and signin routes (--pace, limits.pace): the
 * requests that may leave per window; 0 when none is known. */
unsigned hx_probe_pace_slots(const struct hx_probe_ctx *ctx);
struct hx_signing_key;
/* The target's own token signing key (--token-key: Ed25519, the EdDSA
 * tokens of Better Auth's jwt plugin), or NULL. Borrowed from the run. */
const struct hx_signing_key *hx_probe_token_key(const struct hx_probe_ctx *ctx);
/* --callback-address (HOST[:PORT], checked when the run started): where a
 * key server the probe starts listens and how the target reaches it; NULL:
 * 127.0.0.1 on a free port. Borrowed from the run. */
const char *hx_probe_callback_address(const struct hx_probe_ctx *ctx);
/* For a probe that floods (its requests are not paced one by one): waits
 * until n requests to url may leave together within the pace and counts
 * them. False when the run is being stopped. */
bool hx_probe_pace_take(struct hx_probe_ctx *ctx, const char *url, size_t n);
/* For a probe that measures the target (timings): waits until n requests
 * to url may leave within the pace (and counts them), then until no other
 * request of the run is on the wire, and holds every other request back
 * until hx_probe_measure_end (hx/quiet.h). In between, the probe's requests
 * are neither paced again nor sent again after a 429: a 429 is the probe's
 * to handle. Keep the moment short: the rest of the run waits. False when
 * the run is being stopped (nothing held). */
bool hx_probe_measure_begin(struct hx_probe_ctx *ctx, const char *url, size_t n);
void hx_probe_measure_end(struct hx_probe_ctx *ctx);
const json_t *hx_probe_profile(const struct hx_probe_ctx *ctx);
/* A variable as scenarios see it (${paths.signup}, ${alice.email}, a capture). */
const char *hx_probe_var(const struct hx_probe_ctx *ctx, const char *name);
int hx_probe_set_var(struct hx_probe_ctx *ctx, const char *name, const char *value);
/* Interpolates ${...} in s. Returns new (free()) or NULL with err set. */
char *hx_probe_expand(const struct hx_probe_ctx *ctx, const char *s, struct hx_error *err);
const char *hx_probe_secret(const struct hx_probe_ctx *ctx);       /* NULL unless given */
const char *hx_probe_database_url(const struct hx_probe_ctx *ctx); /* NULL unless given */
const char *hx_probe_origin(const struct hx_probe_ctx *ctx);       /* --origin, or NULL */
bool hx_probe_safe(const struct hx_probe_ctx *ctx);                /* --safe */
bool hx_probe_allow_http(const struct hx_probe_ctx *ctx);          /* --allow-http (local run) */
const struct hx_http_config *hx_probe_http_config(const struct hx_probe_ctx *ctx);
/* Fills buf with n bytes from the run's generator (reproducible with --seed). */
void hx_probe_random(struct hx_probe_ctx *ctx, void *buf, size_t n);

/* Ensures the identity `name` exists on the target (signing it up through
 * the profile's signup route the first time) and fills *out. Returns 0, or
 * an error with the step already set to ERROR/FAIL saying why. */
int hx_probe_identity(struct hx_probe_ctx *ctx, const char *name, struct hx_identity *out);
/* A fresh identity that no other step uses (for probes that burn accounts). */
int hx_probe_identity_fresh(struct hx_probe_ctx *ctx, struct hx_identity *out);

/* Builds target + path (path interpolated) into out. */
int hx_probe_url(const struct hx_probe_ctx *ctx, const char *path, char *out, size_t out_size);

/* Blocking request; the exchange is recorded, redacted, as evidence of the
 * probe's step (at most a bounded number per step; later ones are counted
 * in a note). Returns as hx_http_perform(). */
int hx_probe_http(struct hx_probe_ctx *ctx, const struct hx_request *req, struct hx_response *resp);
/* The same, without keeping evidence (for high-volume sampling). */
int hx_probe_http_quiet(struct hx_probe_ctx *ctx, const struct hx_request *req,
                        struct hx_response *resp);

/* --- Added with the runner (additions only) --- */

/* Builds the full URL of the profile route `name` (a member of paths, e.g.
 * "tasks") with {user_id} and {task_id} filled in (NULL when the template
 * lacks them). Returns 0, HX_E_NOTFOUND (no such route or a missing value)
 * or HX_E_TOOLONG. */
int hx_probe_route(const struct hx_probe_ctx *ctx, const char *name, const char *user_id,
                   const char *task_id, char *out, size_t out_size);
/* In an embedded run (the throwaway authref trusts X-Forwarded-For and each
 * scenario is a client of its own), moves this probe to a client address
 * of its own, as another client would be, so that a second phase of
 * measurements does not meet the rate limit the first one used up. Against
 * any other target it changes nothing (no X-Forwarded-For is sent there). */
void hx_probe_new_client(struct hx_probe_ctx *ctx);
/* True once the run is being interrupted (Ctrl-C): long probes should stop
 * early and skip their step. */
bool hx_probe_stopping(const struct hx_probe_ctx *ctx);
/* Registers a value the reports must never show whole (a recovered secret,
 * a forged token); it is masked wherever it appears from now on. */
int hx_probe_redact(struct hx_probe_ctx *ctx, const char *value);
/* Borrowed: the run id (also ${run.id}). */
const char *hx_probe_run_id(const struct hx_probe_ctx *ctx);
/* Borrowed: the run's configuration (for flags a probe needs, e.g. --jobs). */
const struct hx_config *hx_probe_config(const struct hx_probe_ctx *ctx);

/* Records, as evidence of the step, an exchange the probe performed with
 * hx_probe_http_quiet() (within the same bound as hx_probe_http()). Not
 * safe against another recording for the same step at the same moment:
 * probes that send from several threads record under a lock of their own.
 * Returns 0 or HX_E_NOMEM. */
int hx_probe_record(struct hx_probe_ctx *ctx, const struct hx_request *req,
                    const struct hx_response *resp);

/* --- The registry --- */

/* One argument a probe takes. Checked at load time (authconform validate)
 * by hx_probe_validate_args(): unknown keys, wrong types and values out of
 * range are errors naming the field. */
struct hx_probe_arg {
    const char *key;
    char type;          /* 's' string, 'i' integer, 'n' number, 'b' boolean, 'a' array of strings */
    long long min, max; /* 'i': the allowed range, when min < max */
    const char *const *choices; /* 's' and 'a': the allowed values (NULL-terminated), or NULL */
};

/* The rows of an argument table. */
#define HX_ARG_STR(key)                                                                            \
    {                                                                                              \
        (key), 's', 0, 0, NULL                                                                     \
    }
#define HX_ARG_STR_OF(key, choices)                                                                \
    {                                                                                              \
        (key), 's', 0, 0, (choices)                                                                \
    }
#define HX_ARG_INT(key, min, max)                                                                  \
    {                                                                                              \
        (key), 'i', (min), (max), NULL                                                             \
    }
#define HX_ARG_NUM(key)                                                                            \
    {                                                                                              \
        (key), 'n', 0, 0, NULL                                                                     \
    }
#define HX_ARG_BOOL(key)                                                                           \
    {                                                                                              \
        (key), 'b', 0, 0, NULL                                                                     \
    }
#define HX_ARG_LIST(key)                                                                           \
    {                                                                                              \
        (key), 'a', 0, 0, NULL                                                                     \
    }
#define HX_ARG_LIST_OF(key, choices)                                                               \
    {                                                                                              \
        (key), 'a', 0, 0, (choices)                                                                \
    }
#define HX_ARG_END                                                                                 \
    {                                                                                              \
        NULL, 0, 0, 0, NULL                                                                        \
    }

struct hx_probe_def {
    const char *name;    /* as scenario files call it, e.g. "jwt_forge"; also its file name */
    const char *summary; /* one line for `authconform list` */
    bool floods;         /* creates load: skipped under --safe */
    /* The arguments it takes (NULL-key terminated); NULL when it takes none. */
    const struct hx_probe_arg *args;
    /* Rules between arguments that the table cannot say (min <= max);
     * NULL when there are none. Sets err with the field at fault. */
    int (*check_args)(const json_t *args, struct hx_error *err);
    /* Runs the check and records the verdict in step: the step starts
     * without one, and a run that sets none is reported as an error. */
    void (*run)(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step);
};

/* Checks a step's arguments against def: returns 0 or HX_E_PARSE with err
 * naming the field. args may be NULL. */
int hx_probe_validate_args(const struct hx_probe_def *def, const json_t *args,
                           struct hx_error *err);

/* Borrowed (static): the probe called `name`, or NULL. */
const struct hx_probe_def *hx_probe_find(const char *name);
/* Borrowed (static): every probe, NULL-terminated. */
const struct hx_probe_def *const *hx_probe_all(void);

#endif
