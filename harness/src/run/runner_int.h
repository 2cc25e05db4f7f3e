#ifndef HX_RUNNER_INT_H
#define HX_RUNNER_INT_H
/* Shared by runner.c and probe_ctx.c only. */
#include <pthread.h>
#include <stdbool.h>

#include "hx/http.h"
#include "hx/probe.h"
#include "hx/redact.h"
#include "hx/rng.h"
#include "hx/runner.h"
#include "hx/vars.h"

#define RUN_PROBE_EVIDENCE_MAX 24 /* exchanges a probe step keeps */

struct hx_run {
    const struct hx_config *cfg;
    const struct hx_profile *profile;
    volatile sig_atomic_t *stop;
    struct hx_rng rng;
    struct hx_redactor red;
    struct hx_http_config http;
    struct hx_vars *vars; /* run-wide: profile values, run.id, run.target */
    char run_id[16];
    char target[2048];
    char user_agent[64];
    unsigned fresh_counter; /* atomic */
};

struct hx_probe_ctx {
    struct hx_run *run;
    struct hx_vars *vars; /* the scenario's */
    unsigned scope;       /* the scenario's number in the run */
    struct hx_step_result *step;
    size_t kept, dropped;
};

/* Records one exchange, redacted and bounded, as evidence of step. */
int hx__run_record(struct hx_run *run, struct hx_step_result *step, const struct hx_request *req,
                   const struct hx_response *resp);

/* Signs identity `name` up on the target (blocking), stores its token and
 * user id in vars. On failure sets step (ERROR) and returns non-zero. */
int hx__run_signup_blocking(struct hx_run *run, struct hx_vars *vars, const char *name,
                            struct hx_step_result *step);

/* In an embedded run (the throwaway authref trusts X-Forwarded-For), each
 * scenario is a client of its own: writes "127.1.<hi>.<lo>" for scope into
 * out and returns true; false for any other target (nothing is added). */
bool hx__run_client_address(const struct hx_run *run, unsigned scope, char *out, size_t size);

/* Creates a scenario's variable scope (with the identity generator). */
struct hx_vars *hx__run_scope_new(struct hx_run *run, unsigned scope);

#endif
