#include "hx/scenario.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cmn/env.h"
#include "hx/checklist.h"
#include "hx/expect.h"
#include "hx/jsonpath.h"
#include "hx/probe.h"
#include "hx/profile.h"
#include "hx/vars.h"

#define SCENARIO_MAX_FILES 5000

static const char *const scenario_keys[] = {
    "id",    "title",  "description", "checklist",  "asvs",  "severity", "remediation", "source",
    "needs", "floods", "exclusive",   "identities", "steps", "notes",    NULL,
};
static const char *const step_keys[] = {"name",  "request", "expect", "capture",
                                        "probe", "args",    "notes",  NULL};
static const char *const request_keys[] = {
    "method", "path", "path_params", "headers",          "json",    "body",
    "as",     "via",  "token",       "follow_redirects", "timeout", NULL,
};
static const char *const profile_roots[] = {"name",   "paths",    "fields",   "codes",
                                            "auth",   "messages", "errors",   "token",
                                            "tasks",  "database", "identity", NULL};
static const char *const identity_attrs[] = {"email", "password", "username",
                                             "token", "user_id",  NULL};

static bool
scenario_in(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

/* The HX_TASK_* bit of an operation's name ("create"), or 0. */
static unsigned
scenario_task_op(const char *name)
{
    for (size_t k = 0; hx_task_ops[k] != NULL; k++)
        if (strcmp(hx_task_ops[k], name) == 0)
            return 1u << k;
    return 0;
}

static bool
scenario_is_ident(const char *s)
{
    if (!islower((unsigned char)s[0]))
        return false;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

/* What validation knows while walking the steps in order. */
struct scenario_check {
    const char *file;
    struct hx_errlist *errs;
    json_t *known;    /* names defined so far (captures, identities) */
    bool after_probe; /* a probe may have set variables: be lenient */
    const char *where;
};

static int
scenario_check_var(void *ud, const char *name)
{
    struct scenario_check *c = ud;
    char root[128];
    const char *dot = strchr(name, '.');
    size_t rl = dot ? (size_t)(dot - name) : strlen(name);

    if (rl >= sizeof root)
        rl = sizeof root - 1;
    memcpy(root, name, rl);
    root[rl] = '\0';
    if (scenario_in(profile_roots, root))
        return 0;
    if (strcmp(root, "run") == 0) {
        if (!dot || (strcmp(dot + 1, "id") != 0 && strcmp(dot + 1, "target") != 0))
            hx_errlist_add(c->errs, c->file, 0, "%s: unknown variable ${%s} (run.id, run.target)",
                           c->where, name);
        return 0;
    }
    if (json_object_get(c->known, name) != NULL || c->after_probe)
        return 0;
    if (dot != NULL && scenario_is_ident(root) && scenario_in(identity_attrs, dot + 1)) {
        /* email, password, username are generated on first use; token and
         * user_id come from signing up (identities, a capture, or a probe) */
        if (strcmp(dot + 1, "token") != 0 && strcmp(dot + 1, "user_id") != 0)
            return 0;
    }
    hx_errlist_add(c->errs, c->file, 0,
                   "%s: ${%s} is not defined here (a profile value, run.id, an identity's "
                   "email/password/username, or a name captured by an earlier step or listed "
                   "in identities)",
                   c->where, name);
    return 0;
}

static void
scenario_check_strings(struct scenario_check *c, const json_t *j)
{
    struct hx_error e;

    if (json_is_string(j)) {
        if (hx_vars_scan(json_string_value(j), scenario_check_var, c, &e) != 0)
            hx_errlist_add(c->errs, c->file, 0, "%s: %s", c->where, e.text);
    } else if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v)
        {
            if (hx_vars_scan(k, scenario_check_var, c, &e) != 0)
                hx_errlist_add(c->errs, c->file, 0, "%s: %s", c->where, e.text);
            scenario_check_strings(c, v);
        }
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach((json_t *)j, i, v) scenario_check_strings(c, v);
    }
}

static void
scenario_unknown_keys(const json_t *obj, const char *const *known, const char *file,
                      const char *where, struct hx_errlist *errs)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) if (!scenario_in(known, k))
        hx_errlist_add(errs, file, 0, "%s%s%s: unknown member", where, *where ? "." : "", k);
}

static char **
scenario_strings(const json_t *arr, size_t *n, const char *file, const char *field,
                 struct hx_errlist *errs)
{
    char **out;
    size_t i;
    json_t *v;

    *n = 0;
    if (arr == NULL)
        return NULL;
    if (!json_is_array(arr)) {
        hx_errlist_add(errs, file, 0, "%s: expected a list of strings", field);
        return NULL;
    }
    out = calloc(json_array_size(arr) + 1, sizeof *out);
    if (out == NULL)
        return NULL;
    json_array_foreach((json_t *)arr, i, v)
    {
        if (!json_is_string(v)) {
            hx_errlist_add(errs, file, 0, "%s[%zu]: expected a string", field, i);
            continue;
        }
        out[(*n)++] = strdup(json_string_value(v));
    }
    return out;
}

static void
scenario_free_strings(char **a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(a[i]);
    free(a);
}

static void
scenario_check_request(struct scenario_check *c, const json_t *req, const char *where)
{
    const json_t *v;
    const char *k;
    json_t *x;

    if (!json_is_object(req)) {
        hx_errlist_add(c->errs, c->file, 0, "%s: expected an object", where);
        return;
    }
    scenario_unknown_keys(req, request_keys, c->file, where, c->errs);
    v = json_object_get(req, "method");
    if (!json_is_string(v) || json_string_length(v) == 0) {
        hx_errlist_add(c->errs, c->file, 0, "%s.method: required (GET, POST, ...)", where);
    } else {
        for (const char *p = json_string_value(v); *p; p++)
            if (!isupper((unsigned char)*p)) {
                hx_errlist_add(c->errs, c->file, 0, "%s.method: expected upper-case letters",
                               where);
                break;
            }
    }
    v = json_object_get(req, "path");
    if (!json_is_string(v))
        hx_errlist_add(c->errs, c->file, 0, "%s.path: required (\"/...\" or \"${paths.name}\")",
                       where);
    else if (json_string_value(v)[0] != '/' && strncmp(json_string_value(v), "${", 2) != 0)
        hx_errlist_add(c->errs, c->file, 0, "%s.path: expected \"/...\" or \"${paths.name}\"",
                       where);
    v = json_object_get(req, "path_params");
    if (v != NULL && !json_is_object(v))
        hx_errlist_add(c->errs, c->file, 0, "%s.path_params: expected an object", where);
    json_object_foreach((json_t *)v, k, x) if (!json_is_string(x))
        hx_errlist_add(c->errs, c->file, 0, "%s.path_params.%s: expected a string", where, k);
    v = json_object_get(req, "headers");
    if (v != NULL && !json_is_object(v))
        hx_errlist_add(c->errs, c->file, 0, "%s.headers: expected an object", where);
    json_object_foreach((json_t *)v, k, x) if (!json_is_string(x))
        hx_errlist_add(c->errs, c->file, 0, "%s.headers.%s: expected a string", where, k);
    if (json_object_get(req, "json") && json_object_get(req, "body"))
        hx_errlist_add(c->errs, c->file, 0, "%s: json and body together (choose one)", where);
    v = json_object_get(req, "body");
    if (v != NULL && !json_is_string(v))
        hx_errlist_add(c->errs, c->file, 0, "%s.body: expected a string (use json for JSON)",
                       where);
    v = json_object_get(req, "as");
    if (v != NULL && (!json_is_string(v) || !scenario_is_ident(json_string_value(v))))
        hx_errlist_add(c->errs, c->file, 0, "%s.as: expected an identity name (lower case)", where);
    else if (v != NULL && !c->after_probe) {
        char name[160];
        snprintf(name, sizeof name, "%s.token", json_string_value(v));
        if (json_object_get(c->known, name) == NULL && json_object_get(req, "token") == NULL)
            hx_errlist_add(c->errs, c->file, 0,
                           "%s.as: %s has no token yet (list it in identities, or capture %s "
                           "in an earlier step)",
                           where, json_string_value(v), name);
    }
    v = json_object_get(req, "via");
    if (v != NULL &&
        (!json_is_string(v) ||
         !scenario_in((const char *const[]){"header", "cookie", "both", "none", "profile", NULL},
                      json_string_value(v))))
        hx_errlist_add(c->errs, c->file, 0,
                       "%s.via: expected \"header\", \"cookie\", \"both\", \"none\" or \"profile\"",
                       where);
    v = json_object_get(req, "token");
    if (v != NULL && !json_is_string(v))
        hx_errlist_add(c->errs, c->file, 0, "%s.token: expected a string", where);
    v = json_object_get(req, "follow_redirects");
    if (v != NULL && !json_is_boolean(v))
        hx_errlist_add(c->errs, c->file, 0, "%s.follow_redirects: expected true or false", where);
    v = json_object_get(req, "timeout");
    if (v != NULL && (!json_is_number(v) || json_number_value(v) <= 0))
        hx_errlist_add(c->errs, c->file, 0, "%s.timeout: expected seconds (> 0)", where);
}

static void
scenario_check_capture(struct scenario_check *c, const json_t *cap, const char *where)
{
    const char *name;
    json_t *src;

    if (!json_is_object(cap)) {
        hx_errlist_add(c->errs, c->file, 0, "%s: expected an object {\"name\": \"$.path\"}", where);
        return;
    }
    json_object_foreach((json_t *)cap, name, src)
    {
        bool ok_name = name[0] != '\0';
        for (const char *p = name; *p; p++)
            ok_name = ok_name && (isalnum((unsigned char)*p) || *p == '_' || *p == '.');
        if (!ok_name)
            hx_errlist_add(c->errs, c->file, 0, "%s.%s: a name is letters, digits, '_' and '.'",
                           where, name);
        if (!json_is_string(src)) {
            hx_errlist_add(c->errs, c->file, 0,
                           "%s.%s: expected \"$.path\", \"header:Name\" or \"cookie:name\"", where,
                           name);
        } else {
            const char *s = json_string_value(src);
            struct hx_error e;
            if (strncmp(s, "header:", 7) != 0 && strncmp(s, "cookie:", 7) != 0 &&
                strstr(s, "${") == NULL && hx_jsonpath_check(s, &e) != 0)
                hx_errlist_add(c->errs, c->file, 0, "%s.%s: %s", where, name, e.text);
        }
    }
}

static void
scenario_define(struct scenario_check *c, const char *name)
{
    json_object_set_new(c->known, name, json_true());
}

void
hx_scenario_free(struct hx_scenario *s)
{
    if (s == NULL)
        return;
    free(s->id);
    free(s->title);
    free(s->description);
    free(s->group);
    free(s->file);
    scenario_free_strings(s->checklist, s->n_checklist);
    scenario_free_strings(s->asvs, s->n_asvs);
    free(s->remediation);
    free(s->source);
    scenario_free_strings(s->need_keys, s->n_need_keys);
    scenario_free_strings(s->identities, s->n_identities);
    for (size_t i = 0; i < s->n_steps; i++) {
        free(s->steps[i].name);
        free(s->steps[i].probe);
    }
    free(s->steps);
    json_decref(s->doc);
    free(s);
}

static char *
scenario_dup(const json_t *v)
{
    return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

/* Largest scenario file read. */
#define SCENARIO_FILE_MAX ((size_t)1 << 20)

int
hx_scenario_load(const char *file, const char *group, struct hx_scenario **out,
                 struct hx_errlist *errs)
{
    char *text = NULL;
    size_t len = 0;
    int rc = cmn_read_file(file, SCENARIO_FILE_MAX, &text, &len);

    if (rc == CMN_E_TOOBIG) {
        hx_errlist_add(errs, file, 0, "larger than %zu bytes", SCENARIO_FILE_MAX);
        return HX_E_PARSE;
    }
    if (rc == CMN_E_NOMEM)
        return HX_E_NOMEM;
    if (rc != 0) {
        hx_errlist_add(errs, file, 0, "cannot read the file: %s", strerror(errno));
        return HX_E_IO;
    }
    rc = hx_scenario_load_buffer(text, len, file, group, out, errs);
    free(text);
    return rc;
}

int
hx_scenario_load_buffer(const char *text, size_t len, const char *file, const char *group,
                        struct hx_scenario **out, struct hx_errlist *errs)
{
    json_error_t jerr;
    json_t *doc, *v, *steps;
    struct hx_scenario *s = NULL;
    struct scenario_check c = {.file = file, .errs = errs};
    size_t before = errs ? errs->n : 0, i;
    int rc = HX_E_PARSE;
    char where[128];

    doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        hx_errlist_add(errs, file, jerr.line > 0 ? jerr.line : 0, "%s", jerr.text);
        return HX_E_PARSE;
    }
    if (!json_is_object(doc)) {
        hx_errlist_add(errs, file, 0, "a scenario is a JSON object");
        json_decref(doc);
        return HX_E_PARSE;
    }
    s = calloc(1, sizeof *s);
    c.known = json_object();
    if (s == NULL || c.known == NULL) {
        free(s);
        json_decref(c.known);
        json_decref(doc);
        return HX_E_NOMEM;
    }
    s->doc = doc;
    s->file = strdup(file);
    s->group = strdup(group);
    scenario_unknown_keys(doc, scenario_keys, file, "", errs);

    v = json_object_get(doc, "id");
    if (!json_is_string(v) || json_string_length(v) == 0) {
        hx_errlist_add(errs, file, 0, "id: required (e.g. \"QS-SIGNUP-001\")");
    } else {
        for (const char *p = json_string_value(v); *p; p++)
            if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-') {
                hx_errlist_add(errs, file, 0,
                               "id: upper-case letters, digits and '-' only (got \"%s\")",
                               json_string_value(v));
                break;
            }
        s->id = scenario_dup(v);
    }
    v = json_object_get(doc, "title");
    if (!json_is_string(v) || json_string_length(v) == 0)
        hx_errlist_add(errs, file, 0, "title: required (one line saying what is checked)");
    s->title = scenario_dup(v);
    s->description = scenario_dup(json_object_get(doc, "description"));
    if (json_object_get(doc, "description") && !json_is_string(json_object_get(doc, "description")))
        hx_errlist_add(errs, file, 0, "description: expected a string");
    s->source = scenario_dup(json_object_get(doc, "source"));
    if (json_object_get(doc, "source") && !json_is_string(json_object_get(doc, "source")))
        hx_errlist_add(errs, file, 0,
                       "source: expected a string (the quickstart line, RFC or ASVS requirement)");
    s->remediation = scenario_dup(json_object_get(doc, "remediation"));
    if (json_object_get(doc, "remediation") && !json_is_string(json_object_get(doc, "remediation")))
        hx_errlist_add(errs, file, 0, "remediation: expected a string");

    s->checklist = scenario_strings(json_object_get(doc, "checklist"), &s->n_checklist, file,
                                    "checklist", errs);
    for (i = 0; i < s->n_checklist; i++) {
        if (hx_checklist_find(s->checklist[i]) == NULL) {
            char ids[400];
            hx_checklist_ids(ids, sizeof ids);
            hx_errlist_add(errs, file, 0, "checklist[%zu]: unknown item \"%s\" (one of %s)", i,
                           s->checklist[i], ids);
        }
    }
    s->asvs = scenario_strings(json_object_get(doc, "asvs"), &s->n_asvs, file, "asvs", errs);

    s->severity = HX_SEV_MEDIUM;
    v = json_object_get(doc, "severity");
    if (v != NULL &&
        (!json_is_string(v) || hx_severity_parse(json_string_value(v), &s->severity) != 0))
        hx_errlist_add(errs, file, 0, "severity: expected warning, info, low, medium, high or critical");

    v = json_object_get(doc, "needs");
    if (v != NULL) {
        size_t n;
        char **needs = scenario_strings(v, &n, file, "needs", errs);
        s->need_keys = calloc(n + 1, sizeof *s->need_keys);
        for (i = 0; i < n; i++) {
            if (strcmp(needs[i], "secret") == 0)
                s->needs |= HX_NEED_SECRET;
            else if (strcmp(needs[i], "database") == 0)
                s->needs |= HX_NEED_DATABASE;
            else if (strcmp(needs[i], "tls") == 0)
                s->needs |= HX_NEED_TLS;
            else if (strcmp(needs[i], "task_writes") == 0)
                s->task_ops |= HX_TASK_CREATE | HX_TASK_UPDATE | HX_TASK_DELETE;
            else if (strncmp(needs[i], "task_", 5) == 0 && scenario_task_op(needs[i] + 5) != 0)
                s->task_ops |= scenario_task_op(needs[i] + 5);
            else if (strchr(needs[i], '.') != NULL && s->need_keys != NULL)
                s->need_keys[s->n_need_keys++] = strdup(needs[i]);
            else
                hx_errlist_add(errs, file, 0,
                               "needs[%zu]: unknown need \"%s\" (secret, database, tls, "
                               "task_list, task_create, task_read, task_update, task_delete, "
                               "task_writes, or a profile member such as paths.signout)",
                               i, needs[i]);
        }
        scenario_free_strings(needs, n);
    }
    v = json_object_get(doc, "floods");
    if (v != NULL && !json_is_boolean(v))
        hx_errlist_add(errs, file, 0, "floods: expected true or false");
    s->floods = json_is_true(v);
    v = json_object_get(doc, "exclusive");
    if (v != NULL && !json_is_boolean(v))
        hx_errlist_add(errs, file, 0, "exclusive: expected true or false");
    s->exclusive = json_is_true(v);

    s->identities = scenario_strings(json_object_get(doc, "identities"), &s->n_identities, file,
                                     "identities", errs);
    for (i = 0; i < s->n_identities; i++) {
        char name[160];
        if (!scenario_is_ident(s->identities[i])) {
            hx_errlist_add(errs, file, 0,
                           "identities[%zu]: \"%s\" is not a name (lower-case letters, digits, _)",
                           i, s->identities[i]);
            continue;
        }
        snprintf(name, sizeof name, "%s.token", s->identities[i]);
        scenario_define(&c, name);
        snprintf(name, sizeof name, "%s.user_id", s->identities[i]);
        scenario_define(&c, name);
    }

    steps = json_object_get(doc, "steps");
    if (!json_is_array(steps) || json_array_size(steps) == 0) {
        hx_errlist_add(errs, file, 0, "steps: required, a non-empty list");
    } else {
        s->steps = calloc(json_array_size(steps), sizeof *s->steps);
        if (s->steps == NULL) {
            rc = HX_E_NOMEM;
            goto cleanup;
        }
        json_array_foreach(steps, i, v)
        {
            struct hx_step *st = &s->steps[s->n_steps++];
            const json_t *req = json_object_get(v, "request");
            const json_t *probe = json_object_get(v, "probe");
            snprintf(where, sizeof where, "steps[%zu]", i);
            c.where = where;
            if (!json_is_object(v)) {
                hx_errlist_add(errs, file, 0, "%s: expected an object", where);
                continue;
            }
            scenario_unknown_keys(v, step_keys, file, where, errs);
            st->name = scenario_dup(json_object_get(v, "name"));
            if (st->name == NULL)
                hx_errlist_add(errs, file, 0, "%s.name: required (what this step does)", where);
            if ((req == NULL) == (probe == NULL)) {
                hx_errlist_add(errs, file, 0, "%s: a step has either request or probe", where);
                continue;
            }
            if (req != NULL) {
                char w2[160];
                st->request = req;
                st->expect = json_object_get(v, "expect");
                st->capture = json_object_get(v, "capture");
                if (json_object_get(v, "args"))
                    hx_errlist_add(errs, file, 0, "%s.args: only for probe steps", where);
                snprintf(w2, sizeof w2, "%s.request", where);
                scenario_check_request(&c, req, w2);
                scenario_check_strings(&c, req);
                if (st->expect != NULL) {
                    snprintf(w2, sizeof w2, "%s.expect", where);
                    hx_expect_validate(st->expect, file, w2, errs);
                    scenario_check_strings(&c, st->expect);
                }
                if (st->capture != NULL) {
                    const char *name;
                    json_t *src;
                    snprintf(w2, sizeof w2, "%s.capture", where);
                    scenario_check_capture(&c, st->capture, w2);
                    scenario_check_strings(&c, st->capture);
                    json_object_foreach((json_t *)st->capture, name, src) scenario_define(&c, name);
                }
            } else {
                const struct hx_probe_def *def;
                struct hx_error e = {0};
                if (json_object_get(v, "expect") || json_object_get(v, "capture"))
                    hx_errlist_add(errs, file, 0,
                                   "%s: expect and capture belong to request steps (a probe "
                                   "judges itself)",
                                   where);
                if (!json_is_string(probe)) {
                    hx_errlist_add(errs, file, 0, "%s.probe: expected a probe name", where);
                    continue;
                }
                st->probe = strdup(json_string_value(probe));
                st->args = json_object_get(v, "args");
                def = hx_probe_find(st->probe);
                if (def == NULL) {
                    hx_errlist_add(errs, file, 0,
                                   "%s.probe: no probe called \"%s\" (see "
                                   "authconform list)",
                                   where, st->probe);
                } else {
                    if (hx_probe_validate_args(def, st->args, &e) != 0)
                        hx_errlist_add(errs, file, 0, "%s.args: %s", where, e.text);
                    if (def->floods)
                        s->floods = true;
                }
                if (st->args != NULL)
                    scenario_check_strings(&c, st->args);
                c.after_probe = true;
            }
        }
    }
    if (s->id == NULL || s->title == NULL || (errs != NULL && errs->n > before))
        goto cleanup;
    *out = s;
    s = NULL;
    rc = 0;
cleanup:
    json_decref(c.known);
    hx_scenario_free(s);
    return rc;
}

void
hx_scenario_set_cleanup(struct hx_scenario_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        hx_scenario_free(set->items[i]);
    free(set->items);
    set->items = NULL;
    set->n = 0;
}

static int
scenario_set_add(struct hx_scenario_set *set, struct hx_scenario *s)
{
    struct hx_scenario **p = realloc(set->items, (set->n + 1) * sizeof *p);
    if (p == NULL) {
        hx_scenario_free(s);
        return HX_E_NOMEM;
    }
    set->items = p;
    set->items[set->n++] = s;
    return 0;
}

static int
scenario_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
scenario_walk(struct hx_scenario_set *set, const char *path, const char *group,
              struct hx_errlist *errs, int depth, size_t *files)
{
    struct stat st;
    int rc = 0;

    if (stat(path, &st) != 0) {
        hx_errlist_add(errs, path, 0, "no such file or folder");
        return HX_E_IO;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d;
        struct dirent *de;
        char **names = NULL;
        size_t n = 0;
        char *base, *copy;

        if (depth > 8)
            return 0;
        d = opendir(path);
        if (d == NULL) {
            hx_errlist_add(errs, path, 0, "cannot read the folder");
            return HX_E_IO;
        }
        while ((de = readdir(d)) != NULL) {
            char **grown;
            if (de->d_name[0] == '.')
                continue;
            grown = realloc(names, (n + 1) * sizeof *names);
            if (grown == NULL)
                break;
            names = grown;
            names[n++] = strdup(de->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof *names, scenario_name_cmp);
        copy = strdup(path);
        base = copy ? basename(copy) : NULL;
        for (size_t i = 0; i < n; i++) {
            char child[PATH_MAX];
            struct stat cst;
            int r;
            if (names[i] == NULL)
                continue;
            if (snprintf(child, sizeof child, "%s/%s", path, names[i]) >= (int)sizeof child)
                continue;
            if (stat(child, &cst) != 0)
                continue;
            if (S_ISDIR(cst.st_mode)) {
                r = scenario_walk(set, child, names[i], errs, depth + 1, files);
            } else {
                size_t l = strlen(names[i]);
                if (l < 5 || strcmp(names[i] + l - 5, ".json") != 0)
                    continue;
                r = scenario_walk(set, child, base ? base : "scenarios", errs, depth + 1, files);
            }
            if (r != 0 && rc == 0)
                rc = r;
        }
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        free(copy);
        return rc;
    }
    if (++*files > SCENARIO_MAX_FILES) {
        hx_errlist_add(errs, path, 0, "more than %d scenario files: stopping here",
                       SCENARIO_MAX_FILES);
        return HX_E_TOOBIG;
    }
    {
        struct hx_scenario *s = NULL;
        char *copy = NULL;
        const char *g = group;
        if (g == NULL) {
            /* a file given directly: its folder names the group */
            char *slash;
            copy = strdup(path);
            slash = copy ? strrchr(copy, '/') : NULL;
            if (slash != NULL) {
                *slash = '\0';
                g = basename(copy);
            } else {
                g = "scenarios";
            }
        }
        rc = hx_scenario_load(path, g, &s, errs);
        free(copy);
        if (rc == 0)
            rc = scenario_set_add(set, s);
    }
    return rc;
}

int
hx_scenario_set_load(struct hx_scenario_set *set, const char *path, struct hx_errlist *errs)
{
    size_t files = 0;
    return scenario_walk(set, path, NULL, errs, 0, &files);
}

static int
scenario_id_cmp(const void *a, const void *b)
{
    const struct hx_scenario *x = *(struct hx_scenario *const *)a;
    const struct hx_scenario *y = *(struct hx_scenario *const *)b;
    return strcmp(x->id, y->id);
}

int
hx_scenario_set_finish(struct hx_scenario_set *set, struct hx_errlist *errs)
{
    int rc = 0;

    if (set->n > 1)
        qsort(set->items, set->n, sizeof *set->items, scenario_id_cmp);
    for (size_t i = 1; i < set->n; i++) {
        if (strcmp(set->items[i - 1]->id, set->items[i]->id) == 0) {
            hx_errlist_add(errs, set->items[i]->file, 0, "id: %s is also the id of %s",
                           set->items[i]->id, set->items[i - 1]->file);
            rc = HX_E_PARSE;
        }
    }
    return rc;
}

bool
hx_scenario_matches(const struct hx_scenario *s, char *const *patterns, size_t n)
{
    if (n == 0)
        return true;
    for (size_t i = 0; i < n; i++) {
        const char *p = patterns[i];
        if (strpbrk(p, "*?[") != NULL) {
            if (fnmatch(p, s->id, FNM_CASEFOLD) == 0 || fnmatch(p, s->group, FNM_CASEFOLD) == 0)
                return true;
        } else if (strncasecmp(s->id, p, strlen(p)) == 0 || strcasecmp(s->group, p) == 0) {
            return true;
        }
    }
    return false;
}
