#ifndef HX_RUNNER_H
#define HX_RUNNER_H
/*
 * Runs scenarios against a target: every scenario in parallel on one curl
 * multi handle up to --jobs, the steps of one scenario in order. A probe
 * step runs on a thread of its own; the runner waits for it (a pipe
 * watched together with the transfers) without stalling other scenarios.
 *
 * Per scenario: identities listed in the file are signed up first (through
 * the profile's signup route), then the steps run; the first step that does
 * not pass ends the scenario. A transport error is an error, never a
 * failure, and is retried --retry times; a failed expectation never is. A
 * 429 the step did not expect is waited out (Retry-After, bounded) and
 * retried; if it persists the step is skipped as undecidable.
 */
#include <signal.h>
#include <stddef.h>

#include "hx/config.h"
#include "hx/profile.h"
#include "hx/result.h"
#include "hx/scenario.h"

struct hx_run;

struct hx_runner_hooks {
    void *ud;
    /* Called on the runner's thread as each case ends (skips included). */
    void (*case_done)(void *ud, const struct hx_case *c, size_t running, size_t done, size_t total);
    /* Called when the number of running scenarios changes. */
    void (*progress)(void *ud, size_t running, size_t done, size_t total);
};

/* Returns 0 with *out new (hx_run_free). cfg and profile are borrowed and
 * must outlive the run; stop (may be NULL) is polled for Ctrl-C. */
int hx_run_new(const struct hx_config *cfg, const struct hx_profile *profile,
               volatile sig_atomic_t *stop, struct hx_run **out);
void hx_run_free(struct hx_run *run);
/* Borrowed: the run id (reproducible with --seed). */
const char *hx_run_id(const struct hx_run *run);

/* Runs the n scenarios, adding one case per scenario to result, in order.
 * Returns 0 when the run happened (verdicts are in result), HX_E_UNREACHABLE
 * when the target did not answer at all (every case is then an error), or
 * HX_E_NOMEM. */
int hx_run_execute(struct hx_run *run, struct hx_scenario *const *sc, size_t n,
                   struct hx_result *result, const struct hx_runner_hooks *hooks);

/* Why a scenario cannot run with this configuration and profile, or NULL
 * when it can. Static or borrowed text ("needs --secret-file or --secret-env"). */
const char *hx_run_skip_reason(const struct hx_config *cfg, const struct hx_profile *profile,
                               const struct hx_scenario *sc, char *buf, size_t buf_size);

#endif
