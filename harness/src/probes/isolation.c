/* Probe user-isolation (isolation): user A cannot read, create, change or
 * delete B's data by any route, path trick or body trick. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/json.h"
#include "hx/probes/variants.h"
#include "probe_int.h"

#define ISO_VARIANTS 32

static const struct hx_probe_arg iso_args[] = {
    HX_ARG_STR("tasks_path"),
    HX_ARG_STR("task_path"),
    HX_ARG_END,
};

struct iso_state {
    char breaches[1500];
    size_t n_breaches, n_errors, n_limited, n_refused, n_redirected;
    long redirect_status;
    char redirect_what[400]; /* the last request answered with a redirect, and where to */
    long error_status;
};

static void iso_breach(struct iso_state *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
iso_breach(struct iso_state *s, const char *fmt, ...)
{
    size_t len = strlen(s->breaches);
    va_list ap;
    s->n_breaches++;
    if (len + 8 >= sizeof(s->breaches))
        return;
    if (len > 0) {
        snprintf(s->breaches + len, sizeof(s->breaches) - len, "; ");
        len += 2;
    }
    va_start(ap, fmt);
    int k = vsnprintf(s->breaches + len, sizeof(s->breaches) - len, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= sizeof(s->breaches) - len)
        s->breaches[len] = '\0';
}

static bool
iso_has(const struct hx_response *r, const char *marker)
{
    return marker != NULL && r->body.data != NULL && strstr(r->body.data, marker) != NULL;
}

/* Classifies an answer to a request A must not get through. */
static void
iso_judge(struct iso_state *s, int rc, const struct hx_response *r, const char *what,
          const char *marker, bool own_path)
{
    if (rc != 0 || r->status == 0 || r->status >= 500) {
        s->n_errors++;
        s->error_status = r->status;
        return;
    }
    if (r->status == 429) {
        s->n_limited++;
        return;
    }
    if (r->status >= 300 && r->status < 400) {
        /* a redirect that was not followed (another origin or another route):
         * neither a refusal nor an answer */
        const char *to = hx_response_header(r, "Location");
        s->n_redirected++;
        s->redirect_status = r->status;
        snprintf(s->redirect_what, sizeof s->redirect_what, "%.250s, to %.120s", what,
                 to != NULL ? to : "(no Location)");
        return;
    }
    if (r->status >= 200 && r->status < 300) {
        if (iso_has(r, marker))
            iso_breach(s, "%s answered %ld with B's data", what, r->status);
        else if (!own_path)
            iso_breach(s, "%s answered %ld", what, r->status);
        else
            s->n_refused++; /* A's own path: a 2xx without B's data is right */
        return;
    }
    s->n_refused++;
}

/* Creates a task as `who` on its own path; returns 0 and the task id. */
static int
iso_create_task(struct hx_probe_ctx *ctx, const json_t *args, const struct hx_identity *who,
                const char *title, const char *extra_user, char *id_out, size_t id_size,
                long *status)
{
    char path[1024];
    json_t *body = json_object(), *resp;
    char *text;
    struct hx_response r;
    int rc;

    json_object_set_new(body, "title", json_string(title));
    json_object_set_new(body, "description", json_string("authconform isolation check"));
    if (extra_user != NULL)
        json_object_set_new(body, hx__prof_str(ctx, "token.user_id_claim", "user_id"),
                            json_string(extra_user));
    text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (text == NULL || hx__tasks_path(ctx, args, who->user_id, path, sizeof(path)) != 0) {
        free(text);
        return HX_E_NOMEM;
    }
    rc = hx__probe_send(
        ctx, &(struct hx__send){.method = "POST", .path = path, .token = who->token, .json = text},
        &r);
    free(text);
    *status = r.status;
    if (rc != 0 || r.status < 200 || r.status > 299) {
        hx_response_cleanup(&r);
        return HX_E_INVAL;
    }
    resp = json_loadb(r.body.data != NULL ? r.body.data : "", r.body.len, 0, NULL);
    snprintf(id_out, id_size, "%s",
             json_is_object(resp) && cmn_json_get_str(resp, "id") != NULL
                 ? cmn_json_get_str(resp, "id")
                 : "");
    json_decref(resp);
    hx_response_cleanup(&r);
    return id_out[0] != '\0' ? 0 : HX_E_PARSE;
}

static int
iso_task_path(const struct hx_probe_ctx *ctx, const json_t *args, const char *user_id,
              const char *task_id, char *out, size_t out_size)
{
    const char *tmpl = hx__arg_str(
        args, "task_path", hx__prof_str(ctx, "paths.task", "/api/users/{user_id}/tasks/{task_id}"));
    char tmp[1024];
    const char *at;
    int rc = hx_variants_path_for(tmpl, user_id, tmp, sizeof(tmp));
    int n;
    if (rc != 0)
        return rc;
    at = strstr(tmp, "{task_id}");
    if (at == NULL)
        return HX_E_INVAL;
    n = snprintf(out, out_size, "%.*s%s%s", (int)(at - tmp), tmp, task_id, at + 9);
    return n < 0 || (size_t)n >= out_size ? HX_E_TOOLONG : 0;
}

/* Paths that name B only once dot segments are resolved, sent as is:
 * libcurl would resolve them before sending, so without this a target (or a
 * proxy in front of it) that routes on one spelling of the path and checks
 * the owner on another is never asked. */
#define ISO_RAW_VARIANTS 5

struct iso_raw {
    const char *name;
    char path[HX_VARIANT_PATH_MAX];
};

/* Fills out[ISO_RAW_VARIANTS]. Returns 0, or an error when tmpl has no
 * {user_id} or a path does not fit. */
static int
iso_raw_paths(const char *tmpl, const char *self_id, const char *other_id,
              struct iso_raw out[ISO_RAW_VARIANTS])
{
    /* the dot segments go around B's id: "A/../B", "A/./../B", "./B", "B/." */
    static const struct {
        const char *name;
        bool from_self;
        const char *lead, *tail;
    } shapes[ISO_RAW_VARIANTS - 1] = {
        {"dot-dot-from-own-id", true, "/../", ""},
        {"dot-dot-after-dot-from-own-id", true, "/./../", ""},
        {"dot-segment-before-id", false, "./", ""},
        {"dot-segment-after-id", false, "", "/."},
    };
    const char *mark = strstr(tmpl, "{user_id}"), *suffix;
    char id[300], *climb;
    size_t len, climbs = 1, cap = sizeof(out[0].path);
    int n, rc;

    if (mark == NULL)
        return HX_E_INVAL;
    for (size_t i = 0; i < ISO_RAW_VARIANTS - 1; i++) {
        n = snprintf(id, sizeof(id), "%s%s%s%s", shapes[i].from_self ? self_id : "", shapes[i].lead,
                     other_id, shapes[i].tail);
        if (n < 0 || (size_t)n >= sizeof(id))
            return HX_E_TOOLONG;
        out[i].name = shapes[i].name;
        rc = hx_variants_path_for(tmpl, id, out[i].path, sizeof(out[i].path));
        if (rc != 0)
            return rc;
    }
    /* A's whole path, climbed back up past A's id, then B's:
     * /api/users/A/tasks/../../B/tasks */
    suffix = mark + strlen("{user_id}");
    for (const char *p = suffix; *p != '\0' && *p != '?'; p++)
        if (*p == '/' && p[1] != '\0' && p[1] != '/' && p[1] != '?')
            climbs++;
    climb = out[ISO_RAW_VARIANTS - 1].path;
    out[ISO_RAW_VARIANTS - 1].name = "climb-out-of-own-path";
    rc = hx_variants_path_for(tmpl, self_id, climb, cap);
    if (rc != 0)
        return rc;
    len = strcspn(climb, "?");
    while (len > 0 && climb[len - 1] == '/')
        len--;
    for (size_t i = 0; i < climbs; i++) {
        n = snprintf(climb + len, cap - len, "/..");
        if (n < 0 || (size_t)n >= cap - len)
            return HX_E_TOOLONG;
        len += (size_t)n;
    }
    n = snprintf(climb + len, cap - len, "/%s%s", other_id, suffix);
    if (n < 0 || (size_t)n >= cap - len)
        return HX_E_TOOLONG;
    return 0;
}

static void
iso_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a, b;
    struct hx_path_variant v[ISO_VARIANTS];
    size_t nv = 0;
    struct iso_state s;
    /* B's own task, when the target's tasks API creates tasks */
    bool writes = hx__prof_task_op(ctx, "create");
    char marker[48], marker2[96], b_task[128] = "", path[1024], what[800];
    unsigned char rnd[6];
    long st = 0;
    const char *tmpl = hx__arg_str(args, "tasks_path",
                                   hx__prof_str(ctx, "paths.tasks", "/api/users/{user_id}/tasks"));

    memset(&s, 0, sizeof(s));
    if (hx_probe_identity(ctx, "alice", &a) != 0 || hx_probe_identity(ctx, "bob", &b) != 0)
        return;
    if (!hx__calibrate(ctx, args, &a, step))
        return;
    hx_probe_random(ctx, rnd, sizeof(rnd));
    /* B's marker and the titles A writes must not contain one another: a
     * body holding A's own titles must never read as B's data. */
    snprintf(marker, sizeof(marker), "isolation-b-%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
             rnd[3], rnd[4], rnd[5]);
    snprintf(marker2, sizeof(marker2), "isolation-a-%02x%02x%02x%02x%02x%02x-via-body", rnd[0],
             rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
    if (writes) {
        if (iso_create_task(ctx, args, &b, marker, NULL, b_task, sizeof(b_task), &st) != 0) {
            hx_step_set(step, HX_STATUS_SKIP, "probe.setup",
                        "cannot decide: B could not create a task on its own path (%ld)", st);
            return;
        }
        hx_step_add_note(step, "B created a task carrying a marker title");
    } else {
        hx_step_add_note(step, "the profile says the target's tasks API creates no tasks "
                               "(tasks.operations): reads and creates on B's path checked, B's "
                               "task ids not");
    }
    if (hx_variants_paths(tmpl, a.user_id, b.user_id, v, ISO_VARIANTS, &nv) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.profile", "cannot build the path variants of %s",
                    tmpl);
        return;
    }
    /* Reads of B's list by every route */
    for (size_t i = 0; i < nv; i++) {
        struct hx_response r;
        int rc;
        if (v[i].own_path && !writes)
            continue; /* without B's data, a 2xx here proves nothing either way */
        /* quiet first; a GET that got through is sent again as evidence */
        rc = hx__probe_send(
            ctx, &(struct hx__send){.path = v[i].path, .token = a.token, .quiet = true}, &r);
        if (rc == 0 && r.status >= 200 && r.status < 300) {
            hx_response_cleanup(&r);
            rc = hx__probe_send(ctx, &(struct hx__send){.path = v[i].path, .token = a.token}, &r);
        }
        snprintf(what, sizeof(what), "GET %.600s (%.47s)", v[i].path, v[i].name);
        iso_judge(&s, rc, &r, what, writes ? marker : NULL, v[i].own_path);
        hx_response_cleanup(&r);
    }
    /* Reads of B's list through raw dot segments. Only B's own data
     * coming back is a breach: a 2xx without it, a 404 or a 400 is a
     * target that does not resolve the segments, or resolves them and then
     * checks the owner. Without B's task there is nothing to recognise. */
    if (writes) {
        struct iso_raw raw[ISO_RAW_VARIANTS];
        if (iso_raw_paths(tmpl, a.user_id, b.user_id, raw) != 0) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.profile",
                        "cannot build the dot-segment paths of %s", tmpl);
            return;
        }
        for (size_t i = 0; i < ISO_RAW_VARIANTS; i++) {
            struct hx_response r;
            int rc = hx__probe_send(
                ctx,
                &(struct hx__send){
                    .path = raw[i].path, .token = a.token, .path_as_is = true, .quiet = true},
                &r);
            if (rc == 0 && r.status >= 200 && r.status < 300 && iso_has(&r, marker)) {
                hx_response_cleanup(&r);
                rc = hx__probe_send(
                    ctx,
                    &(struct hx__send){.path = raw[i].path, .token = a.token, .path_as_is = true},
                    &r);
            }
            snprintf(what, sizeof(what), "GET %.600s sent as is (%.47s)", raw[i].path, raw[i].name);
            iso_judge(&s, rc, &r, what, marker, true);
            hx_response_cleanup(&r);
        }
        hx_step_add_note(step, "%d paths with raw dot segments sent as is", ISO_RAW_VARIANTS);
    }
    /* A's own id spelled differently: not a cross-user breach when it is
     * answered (the same user either way), but a sign that the owner check
     * compares ids loosely; reported as information */
    {
        char up[128], enc[140];
        size_t k = 0;
        for (; a.user_id[k] != '\0' && k + 1 < sizeof(up); k++)
            up[k] = (char)toupper((unsigned char)a.user_id[k]);
        up[k] = '\0';
        snprintf(enc, sizeof(enc), "%%%02X%s", (unsigned char)a.user_id[0], a.user_id + 1);
        const char *spellings[] = {up, enc};
        const char *labels[] = {"upper case", "percent-encoded"};
        for (size_t i = 0; i < 2; i++) {
            struct hx_response r;
            if (strcmp(spellings[i], a.user_id) == 0 ||
                hx__tasks_path(ctx, args, spellings[i], path, sizeof(path)) != 0)
                continue;
            if (hx__probe_send(ctx,
                               &(struct hx__send){.path = path, .token = a.token, .quiet = true},
                               &r) == 0 &&
                r.status >= 200 && r.status < 300)
                hx_step_add_note(step,
                                 "information: A's own id in %s (%s) is accepted (%ld): the owner "
                                 "check does not compare ids byte for byte; harmless only if the "
                                 "data layer normalises ids the same way",
                                 labels[i], path, r.status);
            hx_response_cleanup(&r);
        }
    }
    /* Creates on B's path */
    for (size_t i = 0; i < nv && i < 4; i++) {
        struct hx_response r;
        int rc;
        char body[160];
        if (v[i].own_path)
            continue;
        snprintf(body, sizeof(body), "{\"title\":\"isolation-a-%02x%02x%02x%02x%02x%02x-create\"}",
                 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
        rc = hx__probe_send(
            ctx,
            &(struct hx__send){.method = "POST", .path = v[i].path, .token = a.token, .json = body},
            &r);
        snprintf(what, sizeof(what), "POST %.600s (%.47s)", v[i].path, v[i].name);
        iso_judge(&s, rc, &r, what, NULL, false);
        hx_response_cleanup(&r);
    }
    if (writes) {
        char a_task[128] = "";
        struct hx_response r;
        int rc;
        /* Body trick: A creates on its own path naming B in the body */
        if (iso_create_task(ctx, args, &a, marker2, b.user_id, a_task, sizeof(a_task), &st) == 0) {
            if (hx__tasks_path(ctx, args, b.user_id, path, sizeof(path)) == 0) {
                rc = hx__probe_send(ctx, &(struct hx__send){.path = path, .token = b.token}, &r);
                if (rc == 0 && r.status >= 200 && r.status < 300 && iso_has(&r, marker2))
                    iso_breach(&s, "A's task created with B's id in the body landed in B's list");
                hx_response_cleanup(&r);
            }
        }
        /* B's task id under A's path, every method */
        static const char *const methods[] = {"GET", "PUT", "PATCH", "DELETE"};
        for (size_t m = 0; m < 4; m++) {
            const char *body = strcmp(methods[m], "PUT") == 0
                                   ? "{\"title\":\"changed-by-a\",\"description\":\"x\","
                                     "\"completed\":true}"
                               : strcmp(methods[m], "PATCH") == 0 ? "{\"title\":\"changed-by-a\"}"
                                                                  : NULL;
            /* Under A's own path, and through A's path and raw dot
             * segments to B's, a 2xx is a breach when it carries B's data
             * (a change or deletion of B's task shows in the check below);
             * under B's path with A's token, any 2xx is. */
            char climb[300];
            const char *owners[] = {a.user_id, b.user_id, climb};
            snprintf(climb, sizeof(climb), "%.140s/./../%.140s", a.user_id, b.user_id);
            for (size_t o = 0; o < 3; o++) {
                if (iso_task_path(ctx, args, owners[o], b_task, path, sizeof(path)) != 0)
                    break;
                rc = hx__probe_send(ctx,
                                    &(struct hx__send){.method = methods[m],
                                                       .path = path,
                                                       .token = a.token,
                                                       .json = body,
                                                       .path_as_is = o == 2},
                                    &r);
                if (o == 2)
                    snprintf(what, sizeof(what), "%s %.600s sent as is (B's task)", methods[m],
                             path);
                else
                    snprintf(what, sizeof(what),
                             o == 0 ? "%s of B's task under A's path"
                                    : "%s of B's task on B's path with A's token",
                             methods[m]);
                iso_judge(&s, rc, &r, what, marker, o != 1);
                hx_response_cleanup(&r);
            }
        }
        /* B's task must be intact */
        if (iso_task_path(ctx, args, b.user_id, b_task, path, sizeof(path)) == 0) {
            rc = hx__probe_send(ctx, &(struct hx__send){.path = path, .token = b.token}, &r);
            if (rc == 0 &&
                (r.status == 404 || (r.status >= 200 && r.status < 300 && !iso_has(&r, marker))))
                iso_breach(&s,
                           "B's task was changed or deleted by A's requests (B now gets "
                           "%ld)",
                           r.status);
            hx_response_cleanup(&r);
        }
    }
    if (s.n_breaches > 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.isolation",
                    "%zu cross-user accesses got "
                    "through: %s",
                    s.n_breaches, s.breaches);
        return;
    }
    if (s.n_errors > 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                    "%zu requests got a server error or no answer (last %ld); no verdict",
                    s.n_errors, s.error_status);
        return;
    }
    if (s.n_limited > 0) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.rate-limited",
                    "could not decide: %zu requests were rate limited (429)", s.n_limited);
        return;
    }
    if (s.n_redirected > 0) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.redirected",
                    "could not decide: %zu requests were answered with a redirect to another "
                    "origin or another route, which is not followed with a credential (last: "
                    "%ld for %s); a redirect is neither a refusal nor an answer",
                    s.n_redirected, s.redirect_status, s.redirect_what);
        return;
    }
    hx_step_add_note(step, "%zu cross-user requests, all refused", s.n_refused);
    hx_step_pass(step);
}

const struct hx_probe_def hx__probe_isolation = {
    .name = "isolation",
    .summary =
        "A cannot reach B's data: B's id in the path, encoding tricks, body tricks, task ids",
    .floods = false,
    .args = iso_args,
    .run = iso_run,
};
