/* Probe error_leaks: error bodies carry no stack trace, SQL, path or version
 * (checklist item 6, no-info-leak) and, judged apart as good practice, no
 * version banners (args.judge: "bodies" or "banners"). */
#include <math.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "hx/probes/content.h"
#include "hx/header_values.h"
#include "hx/probes/stats.h"
#include "hx/probes/variants.h"
#include "hx/probes/error_leaks.h"
#include "probe_int.h"

bool
hx_banner_found(const char *header_name, const char *value)
{
    if (value == NULL || header_name == NULL)
        return false;
    if (strcasecmp(header_name, "X-Powered-By") == 0 ||
        strcasecmp(header_name, "X-AspNet-Version") == 0 ||
        strcasecmp(header_name, "X-AspNetMvc-Version") == 0)
        return value[0] != '\0';
    /* Server: a version is a digit somewhere after the product name */
    for (const char *p = value; *p != '\0'; p++)
        if (isdigit((unsigned char)*p))
            return true;
    return false;
}

static const char *const errors_judges[] = {"bodies", "banners", NULL};

static const struct hx_probe_arg errors_args[] = {
    HX_ARG_STR("tasks_path"),
    /* what this check judges: error bodies (a leak of internals), version
     * banners (good practice), or both when absent */
    HX_ARG_STR_OF("judge", errors_judges),
    HX_ARG_END,
};

/* task ids sent to reach the database (see errors_run) */
#define ERRORS_TASK_IDS 5

static void
errors_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a;
    char own[1024], found[1200] = "", what[200], first_error[160] = "";
    unsigned char rnd[8];
    char bogus[64], bad_task[ERRORS_TASK_IDS][1500];
    size_t n_found = 0, errors = 0, n_5xx = 0;
    struct {
        const char *method, *path, *token, *json, *label;
    } probes[7 + ERRORS_TASK_IDS];
    size_t np = 0;
    const char *signup = hx__prof_str(ctx, "paths.signup", "/api/auth/signup");
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    const char *health = hx__prof_str(ctx, "paths.health", "/health");
    const char *judge = hx__arg_str(args, "judge", NULL);
    bool bodies = judge == NULL || strcmp(judge, "bodies") == 0;
    bool banners = judge == NULL || strcmp(judge, "banners") == 0;

    if (hx_probe_identity(ctx, "alice", &a) != 0)
        return;
    if (hx__tasks_path(ctx, args, a.user_id, own, sizeof(own)) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.profile", "the tasks route has no {user_id}");
        return;
    }
    hx_probe_random(ctx, rnd, sizeof(rnd));
    snprintf(bogus, sizeof(bogus), "/api/no-such-route-%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
             rnd[3]);
    probes[np++] = (typeof(probes[0])){"GET", own, NULL, NULL, "no token"};
    probes[np++] =
        (typeof(probes[0])){"GET", own, "garbage.garbage.garbage", NULL, "a garbage token"};
    probes[np++] = (typeof(probes[0])){"POST", signup, NULL, "{\"email\": ", "malformed JSON"};
    probes[np++] = (typeof(probes[0])){
        "POST", signup, NULL, "{\"email\":\"not-an-email\",\"password\":1}", "invalid fields"};
    probes[np++] = (typeof(probes[0])){"POST", signin, NULL, "[1,2,3]", "a JSON array"};
    probes[np++] = (typeof(probes[0])){"GET", bogus, NULL, NULL, "an unknown route"};
    probes[np++] = (typeof(probes[0])){"GET", health, NULL, NULL, "the health route"};
    /* with a valid token on the user's own path, task ids an attacker would
     * try to make the database choke: a quote, no UUID, an almost-UUID, a
     * number too big for any integer column, an oversized id */
    {
        const char *tmpl = hx__prof_str(ctx, "paths.task", "/api/users/{user_id}/tasks/{task_id}");
        char tmp[1100], big[301];
        static const char *const labels[ERRORS_TASK_IDS] = {
            "a task id with a quote",          "a task id with a quote (DELETE)",
            "a task id that is almost a UUID", "a task id that is a 30-digit number",
            "a task id of 300 characters",
        };
        const char *ids[ERRORS_TASK_IDS] = {"not-a-uuid'", "not-a-uuid'",
                                            "zzzzzzzz-zzzz-4zzz-8zzz-zzzzzzzzzzzz",
                                            "123456789012345678901234567890", big};
        const char *at;
        memset(big, 'f', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        if (strstr(tmpl, "{task_id}") != NULL &&
            hx_variants_path_for(tmpl, a.user_id, tmp, sizeof(tmp)) == 0 &&
            (at = strstr(tmp, "{task_id}")) != NULL) {
            for (size_t k = 0; k < ERRORS_TASK_IDS; k++) {
                int w = snprintf(bad_task[k], sizeof(bad_task[k]), "%.*s%s%s", (int)(at - tmp), tmp,
                                 ids[k], at + 9);
                if (w > 0 && (size_t)w < sizeof(bad_task[k]))
                    probes[np++] = (typeof(probes[0])){k == 1 ? "DELETE" : "GET", bad_task[k],
                                                       a.token, NULL, labels[k]};
            }
        }
    }
    for (size_t i = 0; i < np; i++) {
        struct hx_response r;
        int rc = hx__probe_send(ctx,
                                &(struct hx__send){.method = probes[i].method,
                                                   .path = probes[i].path,
                                                   .token = probes[i].token,
                                                   .json = probes[i].json},
                                &r);
        if (r.status >= 500)
            n_5xx++; /* judged like any answer: its headers and body may leak too */
        if (rc != 0 || r.status == 0) {
            /* no answer: no verdict on this request */
            if (errors++ == 0)
                snprintf(first_error, sizeof(first_error), "%.40s: %.100s", probes[i].label,
                         r.error_text[0] != '\0' ? r.error_text : "no answer");
            hx_response_cleanup(&r);
            continue;
        }
        for (size_t k = 0; banners && k < r.n_headers; k++) {
            if ((strcasecmp(r.headers[k].name, "Server") == 0 ||
                 strcasecmp(r.headers[k].name, "X-Powered-By") == 0 ||
                 strcasecmp(r.headers[k].name, "X-AspNet-Version") == 0) &&
                hx_banner_found(r.headers[k].name, r.headers[k].value)) {
                snprintf(what, sizeof(what), "%s: %.80s", r.headers[k].name, r.headers[k].value);
                if (strstr(found, what) == NULL) {
                    size_t len = strlen(found);
                    int w = snprintf(found + len, sizeof(found) - len, "%sbanner %s",
                                     len ? "; " : "", what);
                    if (w < 0 || (size_t)w >= sizeof(found) - len)
                        found[len] = '\0';
                    n_found++;
                }
            }
        }
        if (bodies && r.status >= 400 &&
            hx_content_leak(r.body.data != NULL ? r.body.data : "", r.body.len, what,
                            sizeof(what))) {
            size_t len = strlen(found);
            int w = snprintf(found + len, sizeof(found) - len, "%s%s answered %ld with %s",
                             len ? "; " : "", probes[i].label, r.status, what);
            if (w < 0 || (size_t)w >= sizeof(found) - len)
                found[len] = '\0';
            n_found++;
        }
        hx_response_cleanup(&r);
    }
    if (n_found > 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.info-leak", "%zu leaks: %s", n_found, found);
        return;
    }
    if (errors > 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                    "%zu of %zu requests got no answer (first: %s); no verdict",
                    errors, np, first_error);
        return;
    }
    if (n_5xx > 0)
        hx_step_add_note(step, "%zu answers were server errors (5xx), judged like the others",
                         n_5xx);
    hx_step_add_note(step, "%zu answers (%zu of them with task ids meant for the database):%s%s",
                     np, np > 7 ? np - 7 : 0,
                     bodies ? " no stack trace, SQL, database error, path or version in errors;"
                            : "",
                     banners ? " no version banner" : "");
    hx_step_pass(step);
}

const struct hx_probe_def hx__probe_error_leaks = {
    .name = "error_leaks",
    .summary = "error bodies carry no stack traces, SQL, paths or versions; no version banners",
    .floods = false,
    .args = errors_args,
    .run = errors_run,
};
