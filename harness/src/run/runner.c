/* The run: its state, the preflight and the main loop that starts scenarios
 * and drives their transfers and probe threads (see hx/runner.h). */
#include "hx/runner.h"
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
#include "hx/jsonpath.h"
#include "hx/jwt.h"
#include "run/runner_int.h"

int
hx_run_new(const struct hx_config *cfg, const struct hx_profile *profile,
           volatile sig_atomic_t *stop, struct hx_run **out)
{
    struct hx_run *run = calloc(1, sizeof *run);
    size_t tl;
    uint64_t id;
    json_t *target;

    if (run == NULL)
        return HX_E_NOMEM;
    run->cfg = cfg;
    run->profile = profile;
    run->stop = stop;
    hx_rng_init(&run->rng, cfg->has_seed, cfg->seed);
    hx_redactor_init(&run->red);
    id = hx_rng_u64(&run->rng);
    snprintf(run->run_id, sizeof run->run_id, "%08llx", (unsigned long long)(id >> 32));
    snprintf(run->target, sizeof run->target, "%s", cfg->target ? cfg->target : "");
    tl = strlen(run->target);
    while (tl > 0 && run->target[tl - 1] == '/')
        run->target[--tl] = '\0';
    snprintf(run->auth_target, sizeof run->auth_target, "%s",
             cfg->auth_target ? cfg->auth_target : "");
    tl = strlen(run->auth_target);
    while (tl > 0 && run->auth_target[tl - 1] == '/')
        run->auth_target[--tl] = '\0';
    {
        static const char *const auth_routes[] = {"paths.signup",       "paths.signin",
                                                  "paths.signout",      "paths.jwks",
                                                  "auth.exchange.path", NULL};
        size_t k = 0;
        for (const char *const *r = auth_routes; *r != NULL; r++) {
            const char *path = json_string_value(hx_profile_get(profile, *r));
            if (path != NULL)
                run->auth_paths[k++] = path;
        }
        run->auth_paths[k] = NULL;
    }
    {
        const char *pace = json_string_value(hx_profile_get(profile, "limits.pace"));
        unsigned slots = cfg->pace_slots;
        double window = cfg->pace_window;
        char why[160];
        size_t k = 0;
        /* the profile's pace was checked when it was loaded */
        if (slots == 0 && pace != NULL &&
            hx_pace_parse(pace, &slots, &window, why, sizeof why) != 0)
            slots = 0;
        if (hx_pacer_init(&run->pacer, slots, window) != 0) {
            free(run);
            return HX_E_NOMEM;
        }
        if (hx_quiet_init(&run->quiet) != 0) {
            hx_pacer_cleanup(&run->pacer);
            free(run);
            return HX_E_NOMEM;
        }
        for (const char *const *r = (const char *const[]){"paths.signup", "paths.signin", NULL};
             *r != NULL; r++) {
            const char *path = json_string_value(hx_profile_get(profile, *r));
            if (path != NULL)
                run->paced_paths[k++] = path;
        }
        run->paced_paths[k] = NULL;
    }
    snprintf(run->user_agent, sizeof run->user_agent, "authconform/%s", CMN_VERSION);
    run->http.cacert = cfg->cacert;
    run->http.insecure = cfg->insecure;
    run->http.timeout_ms = cfg->timeout_s * 1000;
    run->http.max_body = HX_BODY_MAX;
    run->http.user_agent = run->user_agent;
    if (cfg->secret != NULL)
        hx_redactor_add(&run->red, cfg->secret);
    run->vars = hx_vars_new(NULL);
    target = json_string(run->target);
    if (run->vars == NULL || hx_vars_load_json_tree(run->vars, "", profile->root) != 0 ||
        hx_vars_set(run->vars, "run.id", run->run_id) != 0 || target == NULL ||
        hx_vars_set_json(run->vars, "run.target", target) != 0 ||
        hx_vars_set(run->vars, "run.auth_target",
                    run->auth_target[0] != '\0' ? run->auth_target : run->target) != 0) {
        json_decref(target);
        hx_run_free(run);
        return HX_E_NOMEM;
    }
    json_decref(target);
    if (cfg->repo != NULL && hx_vars_set(run->vars, "repo", cfg->repo) != 0) {
        hx_run_free(run);
        return HX_E_NOMEM;
    }
    if (cfg->http_port > 0) {
        char port[24];
        snprintf(port, sizeof port, "%ld", cfg->http_port);
        if (hx_vars_set(run->vars, "http_port", port) != 0) {
            hx_run_free(run);
            return HX_E_NOMEM;
        }
    }
    *out = run;
    return 0;
}

void
hx_run_free(struct hx_run *run)
{
    if (run == NULL)
        return;
    hx_vars_free(run->vars);
    hx_redactor_cleanup(&run->red);
    hx_rng_cleanup(&run->rng);
    hx_pacer_cleanup(&run->pacer);
    hx_quiet_cleanup(&run->quiet);
    free(run);
}

const char *
hx_run_id(const struct hx_run *run)
{
    return run->run_id;
}

const char *
hx_run_skip_reason(const struct hx_config *cfg, const struct hx_profile *profile,
                   const struct hx_scenario *sc, char *buf, size_t buf_size)
{
    /* the secret signs as an HMAC target does; the token key as one whose
     * tokens are signed with a key does: the check finds out which one its
     * target needs */
    if ((sc->needs & HX_NEED_SECRET) && cfg->secret == NULL && cfg->token_key == NULL)
        return "needs the shared secret (--secret-file or --secret-env), or the target's token "
               "key (--token-key) for RS*, PS*, ES* or EdDSA tokens";
    if ((sc->needs & HX_NEED_DATABASE) && cfg->database_url == NULL)
        return "needs the target's database (--database-url)";
    if ((sc->needs & HX_NEED_TLS) &&
        (cfg->target == NULL || strncasecmp(cfg->target, "https://", 8) != 0))
        return "needs an https:// target";
    if ((sc->task_ops & ~profile->task_ops) != 0) {
        char need[64], offered[64];
        snprintf(buf, buf_size,
                 "needs the tasks API's %s, which the quickstart defines and profile %s says the "
                 "target does not offer (tasks.operations: %s): not judged, and not passed",
                 hx_task_ops_text(sc->task_ops & ~profile->task_ops, need, sizeof need),
                 profile->name, hx_task_ops_text(profile->task_ops, offered, sizeof offered));
        return buf;
    }
    for (size_t i = 0; i < sc->n_need_keys; i++) {
        if (hx_profile_get(profile, sc->need_keys[i]) == NULL) {
            snprintf(buf, buf_size, "needs %s in the profile (profile %s has none)",
                     sc->need_keys[i], profile->name);
            return buf;
        }
    }
    if (cfg->safe && sc->floods)
        return "floods the target: skipped under --safe";
    return NULL;
}

static bool
scenario_has_probe(const struct hx_scenario *sc)
{
    for (size_t k = 0; k < sc->n_steps; k++)
        if (sc->steps[k].probe != NULL)
            return true;
    return false;
}

/* Whether the next scenario in the start order may start now: there is
 * room, no exclusive scenario runs, and an exclusive one starts only when
 * nothing else runs (so that what it measures is the target alone). */
static bool
loop_may_start(const struct run_loop *L, size_t jobs)
{
    if (L->next >= L->n || L->running >= jobs || L->alone)
        return false;
    return !L->scens[L->order[L->next]].sc->exclusive || L->running == 0;
}

/* One blocking request to the target before anything else: a target that
 * does not answer at all makes every case an error and the exit code 3. */
static int
run_preflight(struct hx_run *run, char *why, size_t why_size)
{
    struct hx_request req = {.method = "GET"};
    struct hx_response resp;
    char url[2100];
    const char *health = json_string_value(hx_profile_get(run->profile, "paths.health"));
    int rc;

    snprintf(url, sizeof url, "%s%s", run->target, health ? health : "/");
    req.url = url;
    hx_response_init(&resp, 64 * 1024);
    rc = hx_http_perform(&run->http, &req, &resp);
    if (rc == HX_E_UNREACHABLE ||
        (rc != 0 && resp.curl_code == CURLE_OPERATION_TIMEDOUT && resp.seconds_to_first_byte == 0))
        snprintf(why, why_size, "%s", resp.error_text);
    else
        rc = 0;
    hx_response_cleanup(&resp);
    return rc == 0 ? 0 : HX_E_UNREACHABLE;
}

int
hx_run_execute(struct hx_run *run, struct hx_scenario *const *sc, size_t n,
               struct hx_result *result, const struct hx_runner_hooks *hooks)
{
    struct run_loop L = {.run = run, .n = n, .hooks = hooks, .pipe_r = -1, .pipe_w = -1};
    int fds[2], rc = 0;
    char buf[512], why[300];
    size_t i;
    long jobs = run->cfg->jobs > 0 ? run->cfg->jobs : 1;

    L.scens = calloc(n ? n : 1, sizeof *L.scens);
    L.order = calloc(n ? n : 1, sizeof *L.order);
    if (L.scens == NULL || L.order == NULL) {
        free(L.scens);
        free(L.order);
        return HX_E_NOMEM;
    }
    /* exclusive scenarios first, each alone, while the target is quiet
     * anyway (after the others, the run would first wait out their tail);
     * then the scenarios with a probe step, which send the most requests
     * and run the longest, so that the run does not end waiting for one of
     * them: against a rate-limited target their requests then overlap with
     * the short scenarios' paced signups, and the last signups are for
     * scenarios that end as soon as they have them */
    {
        size_t k = 0;
        for (int pass = 0; pass < 3; pass++)
            for (i = 0; i < n; i++) {
                int kind = sc[i]->exclusive ? 0 : scenario_has_probe(sc[i]) ? 1 : 2;
                if (kind == pass)
                    L.order[k++] = i;
            }
    }
    for (i = 0; i < n; i++) {
        struct run_scen *s = &L.scens[i];
        const struct hx_scenario *x = sc[i];
        s->run = run;
        s->sc = x;
        s->index = i;
        s->scope = (unsigned)i + 1;
        s->plan_len = x->n_identities + x->n_steps;
        hx_response_init(&s->resp, HX_BODY_MAX);
        s->kase = hx_result_add_case(result, x->id, x->title, x->group, x->file);
        if (s->kase == NULL) {
            rc = HX_E_NOMEM;
            goto out;
        }
        s->kase->severity = x->severity;
        for (size_t k = 0; k < x->n_checklist; k++)
            hx_case_add_checklist(s->kase, x->checklist[k]);
        for (size_t k = 0; k < x->n_asvs; k++)
            hx_case_add_asvs(s->kase, x->asvs[k]);
        if (x->remediation)
            hx_case_set_remediation(s->kase, x->remediation);
        if (x->source)
            hx_case_set_source(s->kase, x->source);
    }
    if (n == 0)
        goto out;
    run->loop_thread = pthread_self();
    run->loop_started = true;

    if (run_preflight(run, why, sizeof why) != 0) {
        for (i = 0; i < n; i++) {
            struct hx_step_result *st =
                hx_case_add_step(L.scens[i].kase, "reach the target", "request");
            if (st != NULL)
                hx_step_set(st, HX_STATUS_ERROR, "transport.unreachable", "target unreachable: %s",
                            why);
            hx_case_finish(L.scens[i].kase);
            L.done++;
            if (hooks && hooks->case_done)
                hooks->case_done(hooks->ud, L.scens[i].kase, 0, L.done, n);
        }
        rc = HX_E_UNREACHABLE;
        goto out;
    }

    if (pipe2(fds, O_CLOEXEC) != 0) {
        rc = HX_E_IO;
        goto out;
    }
    L.pipe_r = fds[0];
    L.pipe_w = fds[1];
    fcntl(L.pipe_r, F_SETFL, O_NONBLOCK);
    L.multi = curl_multi_init();
    if (L.multi == NULL) {
        rc = HX_E_NOMEM;
        goto out;
    }
    curl_multi_setopt(L.multi, CURLMOPT_MAX_HOST_CONNECTIONS, jobs);
    curl_multi_setopt(L.multi, CURLMOPT_MAXCONNECTS, jobs);

    while (L.done < n) {
        bool stopping = run->stop != NULL && *run->stop;
        int still, timeout_ms = 500;
        struct curl_waitfd wfd = {.fd = L.pipe_r, .events = CURL_WAIT_POLLIN};
        CURLMsg *msg;
        double now;

        /* start scenarios while there is room */
        while (!stopping && loop_may_start(&L, (size_t)jobs)) {
            size_t before = L.running;
            struct run_scen *s = &L.scens[L.order[L.next++]];
            if (s->sc->exclusive)
                L.alone = true;
            hx__scen_begin(&L, s, buf, sizeof buf);
            if (L.running != before)
                hx__loop_progress(&L);
        }
        if (stopping) {
            for (; L.next < n; L.next++) {
                hx_case_skip(L.scens[L.order[L.next]].kase, "interrupted before it ran");
                hx__scen_finish(&L, &L.scens[L.order[L.next]]);
            }
        }
        /* start the steps that can start; a step may end at once */
        now = cmn_clock_now_s();
        for (bool again = true; again;) {
            again = false;
            for (i = 0; i < n; i++) {
                struct run_scen *s = &L.scens[i];
                if (s->state == SCEN_SLEEP && (now >= s->wake_at || stopping)) {
                    if (stopping) {
                        hx_step_set(s->cur, HX_STATUS_SKIP, "interrupted",
                                    "interrupted while waiting to retry");
                        hx__scen_step_end(&L, s);
                    } else {
                        s->state = SCEN_READY;
                    }
                }
                if (s->state == SCEN_READY) {
                    hx__scen_start_step(&L, s);
                    again = true;
                }
            }
        }
        if (L.done >= n)
            break;
        if (stopping) {
            /* cancel transfers; probes are waited for below */
            for (i = 0; i < n; i++) {
                struct run_scen *s = &L.scens[i];
                if (s->state == SCEN_HTTP) {
                    hx__scen_transfer_drop(&L, s);
                    hx_step_set(s->cur, HX_STATUS_SKIP, "interrupted",
                                "interrupted while waiting for the answer");
                    hx__scen_step_end(&L, s);
                }
            }
        }
        curl_multi_perform(L.multi, &still);
        while ((msg = curl_multi_info_read(L.multi, &still)) != NULL) {
            struct run_scen *s = NULL;
            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            if (s != NULL && s->state == SCEN_HTTP)
                hx__scen_http_done(&L, s, msg->data.result);
        }
        /* how long may we sleep? */
        now = cmn_clock_now_s();
        for (i = 0; i < n; i++) {
            if (L.scens[i].state == SCEN_READY)
                timeout_ms = 0;
            else if (L.scens[i].state == SCEN_SLEEP) {
                double ms = (L.scens[i].wake_at - now) * 1000.0;
                if (ms < timeout_ms)
                    timeout_ms = ms < 0 ? 0 : (int)ms + 1;
            }
        }
        if (!stopping && loop_may_start(&L, (size_t)jobs))
            timeout_ms = 0;
        if (timeout_ms > 0)
            curl_multi_poll(L.multi, &wfd, 1, timeout_ms, NULL);
        for (;;) {
            size_t idx;
            ssize_t r = read(L.pipe_r, &idx, sizeof idx);
            if (r != (ssize_t)sizeof idx)
                break;
            if (idx < n && L.scens[idx].state == SCEN_PROBE)
                hx__scen_probe_done(&L, &L.scens[idx]);
        }
    }
out:
    for (i = 0; i < n && L.scens != NULL; i++) {
        struct run_scen *s = &L.scens[i];
        if (s->state == SCEN_PROBE)
            pthread_join(s->thread, NULL);
        hx__scen_transfer_drop(&L, s);
        json_decref(s->expanded);
        hx__run_req_cleanup(&s->rq);
        hx_response_cleanup(&s->resp);
        hx_vars_free(s->vars);
    }
    if (L.multi)
        curl_multi_cleanup(L.multi);
    if (L.pipe_r >= 0)
        close(L.pipe_r);
    if (L.pipe_w >= 0)
        close(L.pipe_w);
    free(L.scens);
    free(L.order);
    if (run->pacer.slots > 0 || run->pacer.held > 0) {
        char pace[80] = "no pace given";
        if (run->pacer.slots > 0)
            snprintf(pace, sizeof pace, "a pace of %u per %g s on signup and signin",
                     run->pacer.slots, run->pacer.window);
        if (hx_result_add_note(result,
                               "rate limits: the harness kept %s, and held its requests %zu "
                               "times (%.0f s in all, across parallel checks) for the pace or "
                               "after a 429",
                               pace, run->pacer.held, run->pacer.waited) != 0 &&
            rc == 0)
            rc = HX_E_NOMEM;
    }
    return rc;
}
