/* Building the requests a scenario step or a signup sends (see run/runner_int.h). */
#include "run/runner_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cmn/clock.h"
#include "cmn/json.h"
#include "cmn/log.h"
#include "cmn/version.h"
#include "net/http_int.h"
#include "hx/expect.h"
#include "hx/header_values.h"
#include "hx/jsonpath.h"
#include "hx/jwt.h"
#include "hx/redirect.h"
#include "run/runner_int.h"

void
hx__run_req_cleanup(struct run_req *rq)
{
    free(rq->url);
    free(rq->body);
    for (size_t i = 0; i < rq->n_headers; i++) {
        free(rq->headers[i].name);
        free(rq->headers[i].value);
    }
    memset(rq, 0, sizeof *rq);
}

int
hx__run_req_header(struct run_req *rq, const char *name, const char *value)
{
    if (rq->n_headers >= RUN_MAX_HEADERS)
        return HX_E_TOOBIG;
    rq->headers[rq->n_headers].name = strdup(name);
    rq->headers[rq->n_headers].value = strdup(value);
    if (rq->headers[rq->n_headers].name == NULL || rq->headers[rq->n_headers].value == NULL)
        return HX_E_NOMEM;
    rq->n_headers++;
    return 0;
}

bool
hx__run_req_has_header(const struct run_req *rq, const char *name)
{
    for (size_t i = 0; i < rq->n_headers; i++)
        if (strcasecmp(rq->headers[i].name, name) == 0)
            return true;
    return false;
}

void
hx__run_req_finish(struct run_req *rq, const char *method)
{
    rq->req.method = method;
    rq->req.url = rq->url;
    rq->req.headers = rq->headers;
    rq->req.n_headers = rq->n_headers;
    rq->req.body = rq->body;
}

bool
hx__run_is_auth_route(const struct hx_run *run, const char *path)
{
    size_t n = strcspn(path, "?#");

    for (const char *const *a = run->auth_paths; *a != NULL; a++)
        if (strlen(*a) == n && strncmp(*a, path, n) == 0)
            return true;
    return false;
}

const char *
hx__run_base(const struct hx_run *run, const char *path)
{
    return run->auth_target[0] != '\0' && hx__run_is_auth_route(run, path) ? run->auth_target
                                                                           : run->target;
}

char *
hx__run_url(const struct hx_run *run, const char *path)
{
    char *u;
    if (asprintf(&u, "%s%s", hx__run_base(run, path), path) < 0)
        return NULL;
    return u;
}

bool
hx__run_client_address(const struct hx_run *run, unsigned scope, char *out, size_t size)
{
    if (!run->cfg->embedded)
        return false;
    snprintf(out, size, "127.1.%u.%u", (scope >> 8) & 255, scope & 255);
    return true;
}

int
hx__run_req_client(struct hx_run *run, struct run_req *rq, unsigned scope)
{
    char addr[32];
    if (!hx__run_client_address(run, scope, addr, sizeof addr) ||
        hx__run_req_has_header(rq, "X-Forwarded-For"))
        return 0;
    return hx__run_req_header(rq, "X-Forwarded-For", addr);
}

/* The pacer's key for url (the URL without query or fragment) into key;
 * *counted: the route is one the pace counts (signup, signin). False when
 * url is not an auth route (not paced at all). */
static bool
run_pace_key(const struct hx_run *run, const char *url, char *key, size_t key_size, bool *counted)
{
    const char *host = strstr(url, "://");
    const char *path = host != NULL ? strchr(host + 3, '/') : NULL;
    size_t n;

    if (path == NULL || !hx__run_is_auth_route(run, path))
        return false;
    n = strcspn(url, "?#");
    if (n >= key_size)
        return false;
    memcpy(key, url, n);
    key[n] = '\0';
    *counted = false;
    for (const char *const *p = run->paced_paths; *p != NULL; p++)
        if (strlen(*p) == strcspn(path, "?#") && strncmp(*p, path, strlen(*p)) == 0)
            *counted = true;
    return true;
}

double
hx__run_pace(struct hx_run *run, const char *url)
{
    char key[512];
    bool counted;

    if (!run_pace_key(run, url, key, sizeof key, &counted))
        return 0;
    return hx_pacer_try(&run->pacer, key, counted ? 1 : 0, cmn_clock_now_s());
}

bool
hx__run_pace_wait(struct hx_run *run, const char *url, size_t n)
{
    char key[512];
    bool counted;
    double wait, start = cmn_clock_now_s();

    if (!run_pace_key(run, url, key, sizeof key, &counted))
        return true;
    while ((wait = hx_pacer_try(&run->pacer, key, counted ? n : 0, cmn_clock_now_s())) > 0) {
        struct timespec ts;
        if (run->stop != NULL && *run->stop)
            return false;
        if (wait > 0.25)
            wait = 0.25; /* look at the stop flag four times a second */
        ts.tv_sec = (time_t)wait;
        ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
        nanosleep(&ts, NULL);
    }
    if (cmn_clock_now_s() - start > 0.001)
        hx_pacer_count_wait(&run->pacer, cmn_clock_now_s() - start);
    return true;
}

void
hx__run_paced_done(struct hx_run *run, const char *url)
{
    char key[512];
    bool counted;

    if (run_pace_key(run, url, key, sizeof key, &counted) && counted)
        hx_pacer_done(&run->pacer, key, cmn_clock_now_s());
}

double
hx__run_paced_limited(struct hx_run *run, const char *url, const struct hx_response *resp)
{
    char key[512];
    bool counted;
    double wait = hx_retry_wait(resp, time(NULL), 2.0);

    if (wait < 0.5)
        wait = 0.5;
    /* where each scenario has a client address of its own (the embedded
     * authref), a 429 limits that client only */
    if (!run->cfg->embedded && run_pace_key(run, url, key, sizeof key, &counted))
        hx_pacer_limited(&run->pacer, key, cmn_clock_now_s(), wait);
    return wait;
}

/* A request a check sends through the run (not a flood) that meets a 429
 * waits for as long as the answer asks and goes again, within this many
 * seconds in all. */
#define RUN_PACED_RETRY_SECONDS 120.0

/* Sends one request through via, counted on the wire (hx/quiet.h) unless
 * via holds the target quiet: a probe thread waits while another holds it;
 * the scenario loop's blocking sends (the credential exchange of a signup)
 * never wait, since the holder may be waiting for the loop. */
static int
run_send(struct hx_run *run, const struct run_sender *via, const struct hx_request *req,
         struct hx_response *resp)
{
    int rc;

    if (via->holds_quiet)
        return via->send(via->arg, req, resp);
    if (run->loop_started && pthread_equal(pthread_self(), run->loop_thread))
        hx_quiet_enter_now(&run->quiet);
    else
        hx_quiet_enter(&run->quiet);
    rc = via->send(via->arg, req, resp);
    hx_quiet_leave(&run->quiet);
    return rc;
}

int
hx__run_perform(struct hx_run *run, const struct run_sender *via, const struct hx_request *req,
                struct hx_response *resp, struct hx_request *final_req, char **url_out)
{
    struct hx_request hop = *req;
    char *url = NULL, *next;
    double held = 0;
    int rc;

    /* floods (the rate-limit checks) go unpaced: their 429s are what they
     * measure, and they hold the route for the others */
    if (!via->floods)
        hx__run_pace_wait(run, req->url, 1); /* when the run stops, it goes at once */
    rc = run_send(run, via, req, resp);
    hx__run_paced_done(run, req->url);
    while (rc == 0 && resp->status == 429) {
        double wait = hx__run_paced_limited(run, req->url, resp);
        size_t max_body = resp->body.max;
        if (via->floods || held + wait > RUN_PACED_RETRY_SECONDS)
            break;
        held += wait;
        hx__run_learn(run, resp);
        if (!hx__run_pace_wait(run, req->url, 1))
            break;
        hx_response_cleanup(resp);
        hx_response_init(resp, max_body);
        rc = run_send(run, via, req, resp);
        hx__run_paced_done(run, req->url);
    }
    hx__run_learn(run, resp);
    for (int hops = 0; rc == 0 && !req->follow_redirects && hops < RUN_MAX_ROUTE_REDIRECTS &&
                       hx_redirect_same_route(hop.url, resp, &next);
         hops++) {
        size_t max_body = resp->body.max;
        if (via->hop != NULL)
            via->hop(via->arg, &hop, resp, next);
        free(url);
        url = next;
        hop.url = url;
        hx_response_cleanup(resp);
        hx_response_init(resp, max_body);
        rc = run_send(run, via, &hop, resp);
        hx__run_learn(run, resp);
    }
    if (final_req != NULL)
        *final_req = hop;
    *url_out = url;
    return rc;
}

static int
step_sender_send(void *arg, const struct hx_request *req, struct hx_response *resp)
{
    struct run_step_sender *ss = arg;
    return hx_http_perform(&ss->run->http, req, resp);
}

static void
step_sender_hop(void *arg, const struct hx_request *req, const struct hx_response *redirect,
                const char *next)
{
    struct run_step_sender *ss = arg;
    char note[900];

    hx_redirect_note(req->url, next, redirect->status, note, sizeof note);
    hx_step_add_note(ss->step, "%s", note);
    hx__run_record(ss->run, ss->step, req, redirect);
}

struct run_sender
hx__run_step_sender(struct run_step_sender *ss)
{
    return (struct run_sender){step_sender_send, step_sender_hop, ss, false, false};
}
