#ifndef HX_RUNNER_INT_H
#define HX_RUNNER_INT_H
/*
 * Shared by the files of run/ only: runner.c (the run and its main loop),
 * scenario_steps.c (one scenario's state machine), identities.c (signups),
 * evidence.c (what is kept of each exchange), request.c (building requests)
 * and probe_ctx.c (what a probe may ask of the run).
 */
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>

#include "hx/http.h"
#include "hx/pacer.h"
#include "hx/probe.h"
#include "hx/quiet.h"
#include "hx/redact.h"
#include "hx/rng.h"
#include "hx/runner.h"
#include "hx/vars.h"
#include "net/http_int.h"

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
    char auth_target[2048];    /* "" when the auth routes are on the target */
    const char *auth_paths[8]; /* the profile's auth routes (borrowed), NULL-ended */
    char user_agent[64];
    unsigned fresh_counter;  /* atomic */
    unsigned client_counter; /* atomic: client addresses given to probes (hx_probe_new_client) */
    /* the auth routes' pace (--pace, limits.pace) and the 429s met: every
     * request to an auth route asks it first (hx__run_pace) */
    struct hx_pacer pacer;
    const char *paced_paths[3]; /* signup and signin (borrowed), NULL-ended */
    /* every request of the run is counted on the wire here, so that a
     * measuring check can have the target quiet for its samples */
    struct hx_quiet quiet;
    pthread_t loop_thread; /* the scenario loop's, which never waits for quiet */
    bool loop_started;
};

/* Asks the pacer whether a request to url may leave now: 0 when it may
 * (and is counted), else the seconds to wait. Only the auth routes are
 * paced (the signup and signin counted against the pace; every one held
 * after a 429). */
double hx__run_pace(struct hx_run *run, const char *url);
/* Waits on the calling thread until a request to url may leave (n of them
 * together); false when the run is being stopped. */
bool hx__run_pace_wait(struct hx_run *run, const char *url, size_t n);
/* The answer to a request to url arrived now (hx_pacer_done). */
void hx__run_paced_done(struct hx_run *run, const char *url);
/* A 429 came for url: its route is held for the wait the answer asks
 * (hx_retry_wait, at least 0.5 s); returns that wait. */
double hx__run_paced_limited(struct hx_run *run, const char *url, const struct hx_response *resp);

struct hx_probe_ctx {
    struct hx_run *run;
    struct hx_vars *vars; /* the scenario's */
    unsigned scope;       /* the scenario's number in the run */
    struct hx_step_result *step;
    size_t kept, dropped;
    bool redirect_noted; /* a followed same-route redirect is noted once a step */
    bool keep_hops;      /* the redirects of the request being sent are evidence */
    bool floods;         /* the probe floods on purpose (hx_probe_def.floods): unpaced */
    bool paced_ahead;    /* the probe took its requests' pace slots itself (hx_probe_pace_take) */
    bool holds_quiet;    /* the probe holds the target quiet (hx_probe_quiet_begin) */
};

/* Registers the credentials resp carries (cookie values, token headers,
 * JSON strings under sensitive keys) with the run's redactor, so that they
 * are masked wherever they appear later. Every response the run receives
 * passes here once, where it arrives: a request step, a signup, a probe's
 * send. Returns 0 or HX_E_NOMEM. */
int hx__run_learn(struct hx_run *run, const struct hx_response *resp);

/* How hx__run_perform sends a request and what it does with each
 * same-route redirect it follows (hop, may be NULL: gets the request and
 * the redirect answer before the answer is released, and the next URL). */
struct run_sender {
    int (*send)(void *arg, const struct hx_request *req, struct hx_response *resp);
    void (*hop)(void *arg, const struct hx_request *req, const struct hx_response *redirect,
                const char *next);
    void *arg;
    /* the sender floods on purpose (a rate-limit check): not paced, and a
     * 429 is its answer (it only holds the route for the others); any other
     * request is paced and, met with a 429, waits as asked and goes again
     * (within two minutes in all) */
    bool floods;
    /* the sender holds the target quiet (hx/quiet.h): its requests are the
     * only ones on the wire and are not counted */
    bool holds_quiet;
};

/* Performs req through via->send, learns the answer's credentials
 * (hx__run_learn) and follows same-route redirects (hx/redirect.h, at most
 * RUN_MAX_ROUTE_REDIRECTS) unless req->follow_redirects leaves redirects to
 * libcurl. resp (initialised by the caller) ends with the final answer;
 * *final_req, when not NULL, with the final request (its URL valid until the
 * next call: kept in url_out, which the caller frees). Returns what the last
 * send returned. */
int hx__run_perform(struct hx_run *run, const struct run_sender *via, const struct hx_request *req,
                    struct hx_response *resp, struct hx_request *final_req, char **url_out);

/* A blocking sender on the run's configuration whose followed redirects
 * are the step's evidence, each noted on it (signups, the credential
 * exchange). ss must outlive the sender. */
struct run_step_sender {
    struct hx_run *run;
    struct hx_step_result *step;
};
struct run_sender hx__run_step_sender(struct run_step_sender *ss);

/* Redacts, in place, the message and notes a probe wrote into step. */
void hx__run_redact_step(struct hx_run *run, struct hx_step_result *step);

/* Records one exchange, redacted and bounded, as evidence of step; its
 * credentials were learnt when it arrived (hx__run_learn). */
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

#define RUN_MAX_429_WAITS 30
/* all the waits of one step after 429s, at most */
#define RUN_MAX_429_TOTAL_SECONDS 180.0
#define RUN_MAX_429_SECONDS 65.0
#define RUN_MAX_HEADERS 64

enum scen_state {
    SCEN_PENDING = 0,
    SCEN_READY, /* the next step can start */
    SCEN_HTTP,  /* a transfer is on the multi handle */
    SCEN_PROBE, /* a probe thread runs the step */
    SCEN_SLEEP, /* waiting until wake_at to retry the step */
    SCEN_DONE,
};

/* A request with the storage it points into. */
/* Same-route redirects (hx/redirect.h) followed for one request at most. */
#define RUN_MAX_ROUTE_REDIRECTS 2

struct run_req {
    struct hx_request req;
    bool follow_same_route; /* follow hx_redirect_same_route() answers */
    char *url;
    char *body;
    struct hx_header headers[RUN_MAX_HEADERS];
    size_t n_headers;
};

struct run_scen {
    struct hx_run *run;
    const struct hx_scenario *sc;
    struct hx_case *kase;
    struct hx_vars *vars;
    unsigned scope;
    enum scen_state state;
    size_t step; /* index into the plan: identities, then steps */
    size_t plan_len;
    struct hx_step_result *cur;
    bool cur_open; /* cur belongs to the step being (re)tried */
    int attempts;  /* transport retries used */
    int waits429;
    double waited429;    /* seconds this step waited after 429s */
    int route_redirects; /* same-route redirects followed in this step */
    double wake_at;
    double case_t0, step_t0;
    json_t *expanded; /* the current step, expanded */
    struct run_req rq;
    struct hx_response resp;
    struct hx__http_transfer *xfer;
    bool on_wire; /* xfer is counted on the run's wire (hx/quiet.h) */
    /* probe */
    pthread_t thread;
    struct hx_probe_ctx pctx;
    const struct hx_probe_def *probe;
    int notify_fd;
    size_t index;
};

/* The loop that runs every scenario of a run (runner.c). */
struct run_loop {
    struct hx_run *run;
    CURLM *multi;
    struct run_scen *scens;
    size_t *order; /* the start order: exclusive scenarios first */
    size_t n, next, running, done;
    bool alone; /* an exclusive scenario runs: nothing else starts */
    int pipe_r, pipe_w;
    const struct hx_runner_hooks *hooks;
};

/* --- request.c: a request with its storage --- */
void hx__run_req_cleanup(struct run_req *rq);
int hx__run_req_header(struct run_req *rq, const char *name, const char *value);
bool hx__run_req_has_header(const struct run_req *rq, const char *name);
void hx__run_req_finish(struct run_req *rq, const char *method);
/* --- credentials.c: the credential pipeline --- */
/* Returns new: the credential at `where` in resp ("$.json.path" in doc,
 * "header:NAME", "cookie:NAME"), or NULL when it is not there. */
char *hx__run_credential_at(const struct hx_response *resp, const json_t *doc, const char *where);
/* Sends the profile's auth.exchange with the session credential (as
 * Authorization: <auth.scheme> <session>, or the cookie it names) and reads
 * the API credential out of the answer: 0 with *api new (registered with the
 * redactor), or an error with step set (ERROR, SKIP on a 429) saying why.
 * The exchange is kept as the step's evidence. */
int hx__run_exchange(struct hx_run *run, unsigned scope, const char *session,
                     struct hx_step_result *step, char **api);

/* Whether path (its query aside) is one of the profile's auth routes:
 * paths.signup, signin, signout, jwks, auth.exchange.path. */
bool hx__run_is_auth_route(const struct hx_run *run, const char *path);
/* The base URL a path goes to: the --auth-target for the profile's auth
 * routes (signup, signin, signout, jwks, the token exchange) when one was
 * given, the target otherwise. Borrowed from run. */
const char *hx__run_base(const struct hx_run *run, const char *path);
/* Returns new: the absolute URL of path (hx__run_base + path). */
char *hx__run_url(const struct hx_run *run, const char *path);
int hx__run_req_client(struct hx_run *run, struct run_req *rq, unsigned scope);

/* --- identities.c: signing the run's users up --- */
int hx__run_signup_request(struct hx_run *run, struct hx_vars *vars, const char *name,
                           struct run_req *rq);
void hx__run_body_preview(struct hx_run *run, const struct hx_response *resp, char *out,
                          size_t out_size);
int hx__run_signup_judge(struct hx_run *run, struct hx_vars *vars, const char *name,
                         const struct hx_response *resp, struct hx_step_result *step);

/* --- scenario_steps.c: one scenario, step by step, on the loop --- */
void hx__loop_progress(struct run_loop *L);
void hx__scen_finish(struct run_loop *L, struct run_scen *s);
void hx__scen_step_end(struct run_loop *L, struct run_scen *s);
void hx__scen_start_step(struct run_loop *L, struct run_scen *s);
/* Takes the scenario's transfer off the loop and frees it, and off the
 * run's wire (hx/quiet.h). */
void hx__scen_transfer_drop(struct run_loop *L, struct run_scen *s);
void hx__scen_http_done(struct run_loop *L, struct run_scen *s, CURLcode code);
void hx__scen_probe_done(struct run_loop *L, struct run_scen *s);
void hx__scen_begin(struct run_loop *L, struct run_scen *s, char *buf, size_t buf_size);

#endif
