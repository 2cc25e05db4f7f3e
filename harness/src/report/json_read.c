/* report.json read back: the document, or a whole result. */
#include "hx/report_json_read.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/env.h"
#include "cmn/json.h"
#include "cmn/text.h"
#include "hx/report_json.h"
#include "report_int.h"

#define READ_MAX_DEPTH 64
/* Longer paths are cut in messages; fields are never that deep. */
#define READ_PATH_MAX 160
/* The largest duration report.json writes (json.c clamps seconds at 1e12). */
#define READ_MS_MAX 1000000000000000LL
/* hx_status_name() names the statuses 0, 1, 2 ... until "unknown". */
#define READ_STATUS_MAX 64

int
hx_report_json_status_parse(const char *name, enum hx_status *out)
{
    for (int s = 0; name != NULL && s < READ_STATUS_MAX; s++) {
        const char *known = hx_status_name((enum hx_status)s);
        if (strcmp(known, "unknown") == 0)
            break;
        if (strcmp(name, known) == 0) {
            *out = (enum hx_status)s;
            return 0;
        }
    }
    return HX_E_PARSE;
}

void
hx_report_json_status_names(char *out, size_t size)
{
    size_t used = 0;

    if (size == 0)
        return;
    out[0] = '\0';
    for (int s = 0; s < READ_STATUS_MAX; s++) {
        const char *known = hx_status_name((enum hx_status)s);
        int n;
        if (strcmp(known, "unknown") == 0)
            break;
        n = snprintf(out + used, size - used, "%s%s", s > 0 ? ", " : "", known);
        if (n < 0 || (size_t)n >= size - used)
            return;
        used += (size_t)n;
    }
}

int
hx_report_json_parse(const char *text, size_t len, const char *name, json_t **root,
                     struct hx_error *err)
{
    char reason[160] = "";
    const char *format;
    long long version;
    json_t *doc;

    doc = cmn_json_parse_strict(text, len, READ_MAX_DEPTH, reason, sizeof reason);
    if (doc == NULL) {
        hx_error_set(err, name, 0, "%s: not a JSON report: %s", name, reason);
        return HX_E_PARSE;
    }
    format = json_is_object(doc) ? cmn_json_get_str(doc, "format") : NULL;
    if (format == NULL || strcmp(format, HX_REPORT_JSON_FORMAT) != 0) {
        hx_error_set(err, name, 0, "%s: format: expected \"%s\" (a report.json of authconform)",
                     name, HX_REPORT_JSON_FORMAT);
        json_decref(doc);
        return HX_E_PARSE;
    }
    if (cmn_json_get_int(doc, "version", &version) != 0 || version < 1) {
        hx_error_set(err, name, 0, "%s: version: expected a positive integer", name);
        json_decref(doc);
        return HX_E_PARSE;
    }
    if (version > HX_REPORT_JSON_VERSION) {
        hx_error_set(err, name, 0,
                     "%s: version: %lld is newer than this authconform reads (%d); "
                     "use a newer authconform",
                     name, version, HX_REPORT_JSON_VERSION);
        json_decref(doc);
        return HX_E_PARSE;
    }
    *root = doc;
    return 0;
}

int
hx_report_json_load(const char *path, json_t **root, struct hx_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    rc = cmn_read_file(path, HX__REPORT_MAX, &text, &len);
    if (rc != 0) {
        hx_error_set(err, path, 0, "%s: cannot read: %s", path,
                     rc == CMN_E_IO ? strerror(errno) : hx_strerror(rc));
        return rc == CMN_E_NOMEM ? HX_E_NOMEM : HX_E_IO;
    }
    rc = hx_report_json_parse(text, len, path, root, err);
    free(text);
    return rc;
}

/* ---- the result ---- */

/* The file being read and where its errors go. */
struct read_ctx {
    const char *name;
    struct hx_error *err;
};

static int read_fail(struct read_ctx *r, const char *at, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports "<file>: <at>.<key>: <what>" and returns HX_E_PARSE. */
static int
read_fail(struct read_ctx *r, const char *at, const char *key, const char *fmt, ...)
{
    char what[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (at[0] == '\0' && key[0] == '\0')
        hx_error_set(r->err, r->name, 0, "%s: %s", r->name, what);
    else
        hx_error_set(r->err, r->name, 0, "%s: %s%s%s: %s", r->name, at,
                     at[0] != '\0' && key[0] != '\0' ? "." : "", key, what);
    return HX_E_PARSE;
}

static int
read_nomem(struct read_ctx *r)
{
    hx_error_set(r->err, r->name, 0, "%s: out of memory", r->name);
    return HX_E_NOMEM;
}

/* Formats a child path ("cases[3]", "cases[3].steps[0]") into out. */
static void read_at(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
read_at(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
}

static int
read_member(struct read_ctx *r, const json_t *obj, const char *at, const char *key, json_t **out)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL)
        return read_fail(r, at, key, "missing");
    *out = v;
    return 0;
}

static int
read_object(struct read_ctx *r, const json_t *obj, const char *at, const char *key, json_t **out)
{
    int rc = read_member(r, obj, at, key, out);

    if (rc == 0 && !json_is_object(*out))
        return read_fail(r, at, key, "expected an object");
    return rc;
}

static int
read_array(struct read_ctx *r, const json_t *obj, const char *at, const char *key, json_t **out)
{
    int rc = read_member(r, obj, at, key, out);

    if (rc == 0 && !json_is_array(*out))
        return read_fail(r, at, key, "expected an array");
    return rc;
}

/* A copy of a JSON string's bytes, NUL-terminated. */
static char *
read_dup(const json_t *s)
{
    size_t n = json_string_length(s);
    char *p = malloc(n + 1);

    if (p != NULL) {
        memcpy(p, json_string_value(s), n);
        p[n] = '\0';
    }
    return p;
}

enum {
    READ_NULLABLE = 1, /* null reads as NULL */
    READ_NONEMPTY = 2, /* "" is refused */
};

/* Replaces *out with a new copy of the string member key (NULL for null when
 * READ_NULLABLE). */
static int
read_string(struct read_ctx *r, const json_t *obj, const char *at, const char *key,
            unsigned flags, char **out)
{
    json_t *v = NULL;
    char *copy = NULL;
    int rc = read_member(r, obj, at, key, &v);

    if (rc != 0)
        return rc;
    if (json_is_null(v) && (flags & READ_NULLABLE)) {
        /* copy stays NULL */
    } else if (!json_is_string(v)) {
        return read_fail(r, at, key, (flags & READ_NULLABLE) ? "expected a string or null"
                                                             : "expected a string");
    } else if ((flags & READ_NONEMPTY) && json_string_length(v) == 0) {
        return read_fail(r, at, key, "expected a non-empty string");
    } else if ((copy = read_dup(v)) == NULL) {
        return read_nomem(r);
    }
    free(*out);
    *out = copy;
    return 0;
}

static int
read_int(struct read_ctx *r, const json_t *obj, const char *at, const char *key, long long min,
         long long max, long long *out)
{
    json_t *v = NULL;
    int rc = read_member(r, obj, at, key, &v);

    if (rc != 0)
        return rc;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return read_fail(r, at, key, "expected an integer from %lld to %lld", min, max);
    *out = json_integer_value(v);
    return 0;
}

static int
read_bool(struct read_ctx *r, const json_t *obj, const char *at, const char *key, bool *out)
{
    json_t *v = NULL;
    int rc = read_member(r, obj, at, key, &v);

    if (rc != 0)
        return rc;
    if (!json_is_boolean(v))
        return read_fail(r, at, key, "expected true or false");
    *out = json_is_true(v);
    return 0;
}

/* A duration in whole milliseconds, as seconds. */
static int
read_ms(struct read_ctx *r, const json_t *obj, const char *at, const char *key, double *out)
{
    long long ms;
    int rc = read_int(r, obj, at, key, 0, READ_MS_MAX, &ms);

    if (rc == 0)
        *out = (double)ms / 1000.0;
    return rc;
}

/* An RFC 3339 time, or null for 0. */
static int
read_time(struct read_ctx *r, const json_t *obj, const char *at, const char *key, time_t *out)
{
    json_t *v = NULL;
    time_t t = 0;
    int rc = read_member(r, obj, at, key, &v);

    if (rc != 0)
        return rc;
    if (!json_is_null(v) && (!json_is_string(v) || !cmn_text_parse_rfc3339(json_string_value(v), &t)))
        return read_fail(r, at, key, "expected an RFC 3339 time (2026-01-10T12:00:00Z) or null");
    *out = t;
    return 0;
}

static int
read_status(struct read_ctx *r, const json_t *obj, const char *at, const char *key,
            enum hx_status *out)
{
    json_t *v = NULL;
    char names[160];
    int rc = read_member(r, obj, at, key, &v);

    if (rc != 0)
        return rc;
    if (hx_report_json_status_parse(json_string_value(v), out) != 0) {
        hx_report_json_status_names(names, sizeof names);
        return read_fail(r, at, key, "expected one of %s", names);
    }
    return 0;
}

static int
read_severity(struct read_ctx *r, const json_t *obj, const char *at, const char *key,
              enum hx_severity *out)
{
    json_t *v = NULL;
    int rc = read_member(r, obj, at, key, &v);

    if (rc != 0)
        return rc;
    if (!json_is_string(v) || hx_severity_parse(json_string_value(v), out) != 0)
        return read_fail(r, at, key,
                         "expected one of warning, info, low, medium, high, critical");
    return 0;
}

/* The member key of obj as an array whose every element is a string. */
static int
read_string_array(struct read_ctx *r, const json_t *obj, const char *at, const char *key,
                  json_t **out)
{
    json_t *arr = NULL, *v;
    size_t i;
    int rc = read_array(r, obj, at, key, &arr);

    if (rc != 0)
        return rc;
    json_array_foreach(arr, i, v)
    {
        char item[READ_PATH_MAX];
        if (!json_is_string(v)) {
            read_at(item, sizeof item, "%s[%zu]", key, i);
            return read_fail(r, at, item, "expected a string");
        }
    }
    *out = arr;
    return 0;
}

/* An array of strings, each given to add (hx_case_add_checklist ...). */
static int
read_strings(struct read_ctx *r, const json_t *obj, const char *at, const char *key,
             struct hx_case *c, int (*add)(struct hx_case *, const char *))
{
    json_t *arr = NULL, *v;
    size_t i;
    int rc = read_string_array(r, obj, at, key, &arr);

    if (rc != 0)
        return rc;
    json_array_foreach(arr, i, v)
    {
        if (add(c, json_string_value(v)) != 0)
            return read_nomem(r);
    }
    return 0;
}

/* An array of strings joined by newlines into *out (NULL when empty): the
 * notes of a step. */
static int
read_lines(struct read_ctx *r, const json_t *obj, const char *at, const char *key, char **out)
{
    json_t *arr = NULL, *v;
    size_t i, total = 0;
    char *joined, *p;
    int rc = read_string_array(r, obj, at, key, &arr);

    if (rc != 0)
        return rc;
    json_array_foreach(arr, i, v) total += json_string_length(v) + 1;
    if (total == 0)
        return 0;
    joined = p = malloc(total);
    if (joined == NULL)
        return read_nomem(r);
    json_array_foreach(arr, i, v)
    {
        if (i > 0)
            *p++ = '\n';
        memcpy(p, json_string_value(v), json_string_length(v));
        p += json_string_length(v);
    }
    *p = '\0';
    free(*out);
    *out = joined;
    return 0;
}

static int
read_headers(struct read_ctx *r, const json_t *obj, const char *at, struct hx_header **out,
             size_t *n_out)
{
    json_t *arr = NULL, *v;
    size_t i;
    int rc = read_array(r, obj, at, "headers", &arr);

    if (rc != 0)
        return rc;
    if (json_array_size(arr) == 0)
        return 0;
    *out = calloc(json_array_size(arr), sizeof **out);
    if (*out == NULL)
        return read_nomem(r);
    json_array_foreach(arr, i, v)
    {
        char here[READ_PATH_MAX];
        read_at(here, sizeof here, "%s.headers[%zu]", at, i);
        if (!json_is_object(v))
            return read_fail(r, here, "", "expected an object {name, value}");
        (*n_out)++; /* freed with the exchange from here on */
        if ((rc = read_string(r, v, here, "name", 0, &(*out)[i].name)) != 0 ||
            (rc = read_string(r, v, here, "value", 0, &(*out)[i].value)) != 0)
            return rc;
    }
    return 0;
}

/* A body: its text, byte count, truncation and lossiness (see result.h). */
static int
read_body(struct read_ctx *r, const json_t *obj, const char *at, char **body, size_t *len,
          bool *truncated, size_t *lossy_bytes)
{
    json_t *v = NULL;
    long long bytes;
    bool lossy;
    int rc;

    if ((rc = read_member(r, obj, at, "body", &v)) != 0)
        return rc;
    if (!json_is_string(v))
        return read_fail(r, at, "body", "expected a string");
    if ((rc = read_int(r, obj, at, "body_bytes", 0, (long long)HX__REPORT_MAX, &bytes)) != 0 ||
        (rc = read_bool(r, obj, at, "body_truncated", truncated)) != 0 ||
        (rc = read_bool(r, obj, at, "body_lossy", &lossy)) != 0)
        return rc;
    if (!lossy && (size_t)bytes != json_string_length(v))
        return read_fail(r, at, "body_bytes",
                         "expected %zu, the length of body, since body_lossy is false",
                         json_string_length(v));
    if (lossy && bytes == 0)
        return read_fail(r, at, "body_bytes", "expected a positive count, since body_lossy is true");
    *lossy_bytes = lossy ? (size_t)bytes : 0;
    if (json_string_length(v) == 0)
        return 0;
    if ((*body = read_dup(v)) == NULL)
        return read_nomem(r);
    *len = json_string_length(v);
    return 0;
}

static int
read_exchange(struct read_ctx *r, const json_t *xo, const char *at, struct hx_exchange *x)
{
    json_t *req = NULL, *resp = NULL;
    char here[READ_PATH_MAX];
    long long status;
    int rc;

    if ((rc = read_object(r, xo, at, "request", &req)) != 0)
        return rc;
    read_at(here, sizeof here, "%s.request", at);
    if ((rc = read_string(r, req, here, "method", READ_NULLABLE, &x->method)) != 0 ||
        (rc = read_string(r, req, here, "url", READ_NULLABLE, &x->url)) != 0 ||
        (rc = read_headers(r, req, here, &x->request_headers, &x->n_request_headers)) != 0 ||
        (rc = read_body(r, req, here, &x->request_body, &x->request_body_len,
                        &x->request_body_truncated, &x->request_body_lossy_bytes)) != 0)
        return rc;

    if ((rc = read_member(r, xo, at, "response", &resp)) != 0)
        return rc;
    if (!json_is_null(resp)) {
        if (!json_is_object(resp))
            return read_fail(r, at, "response", "expected an object or null");
        read_at(here, sizeof here, "%s.response", at);
        if ((rc = read_int(r, resp, here, "status", 0, 999, &status)) != 0 ||
            (rc = read_string(r, resp, here, "http_version", READ_NULLABLE, &x->http_version)) != 0 ||
            (rc = read_headers(r, resp, here, &x->response_headers, &x->n_response_headers)) != 0 ||
            (rc = read_body(r, resp, here, &x->response_body, &x->response_body_len,
                            &x->response_body_truncated, &x->response_body_lossy_bytes)) != 0)
            return rc;
        x->status = (long)status;
    }
    if ((rc = read_string(r, xo, at, "transport_error", READ_NULLABLE, &x->transport_error)) != 0 ||
        (rc = read_string(r, xo, at, "tls_version", READ_NULLABLE, &x->tls_version)) != 0 ||
        (rc = read_ms(r, xo, at, "duration_ms", &x->seconds)) != 0)
        return rc;
    return 0;
}

static int
read_step(struct read_ctx *r, const json_t *so, const char *at, struct hx_case *c)
{
    struct hx_step_result *s;
    json_t *xs = NULL, *xo;
    size_t i;
    int rc;

    if (!json_is_object(so))
        return read_fail(r, at, "", "expected an object");
    s = hx_case_add_step(c, NULL, NULL);
    if (s == NULL)
        return read_nomem(r);
    if ((rc = read_string(r, so, at, "name", READ_NULLABLE, &s->name)) != 0 ||
        (rc = read_string(r, so, at, "kind", READ_NULLABLE, &s->kind)) != 0 ||
        (rc = read_status(r, so, at, "status", &s->status)) != 0 ||
        (rc = read_string(r, so, at, "message", READ_NULLABLE, &s->message)) != 0 ||
        (rc = read_string(r, so, at, "failure_type", READ_NULLABLE, &s->failure_type)) != 0 ||
        (rc = read_lines(r, so, at, "notes", &s->notes)) != 0 ||
        (rc = read_ms(r, so, at, "duration_ms", &s->seconds)) != 0 ||
        (rc = read_array(r, so, at, "exchanges", &xs)) != 0)
        return rc;
    json_array_foreach(xs, i, xo)
    {
        char here[READ_PATH_MAX];
        struct hx_exchange *x;

        read_at(here, sizeof here, "%s.exchanges[%zu]", at, i);
        if (!json_is_object(xo))
            return read_fail(r, here, "", "expected an object");
        x = hx_step_add_exchange(s);
        if (x == NULL)
            return read_nomem(r);
        if ((rc = read_exchange(r, xo, here, x)) != 0)
            return rc;
    }
    return 0;
}

static int
read_case(struct read_ctx *r, const json_t *co, const char *at, struct hx_result *res)
{
    struct hx_case *c;
    json_t *steps = NULL, *so;
    char *skip_reason = NULL;
    size_t i;
    int rc;

    if (!json_is_object(co))
        return read_fail(r, at, "", "expected an object");
    c = hx_result_add_case(res, NULL, NULL, NULL, NULL);
    if (c == NULL)
        return read_nomem(r);
    if ((rc = read_string(r, co, at, "id", READ_NONEMPTY, &c->id)) != 0 ||
        (rc = read_string(r, co, at, "title", 0, &c->title)) != 0 ||
        (rc = read_string(r, co, at, "group", 0, &c->group)) != 0 ||
        (rc = read_string(r, co, at, "file", READ_NULLABLE, &c->file)) != 0 ||
        (rc = read_strings(r, co, at, "checklist", c, hx_case_add_checklist)) != 0 ||
        (rc = read_strings(r, co, at, "asvs", c, hx_case_add_asvs)) != 0 ||
        (rc = read_severity(r, co, at, "severity", &c->severity)) != 0 ||
        (rc = read_status(r, co, at, "status", &c->status)) != 0 ||
        (rc = read_string(r, co, at, "message", READ_NULLABLE, &c->message)) != 0 ||
        (rc = read_string(r, co, at, "failure_type", READ_NULLABLE, &c->failure_type)) != 0 ||
        (rc = read_string(r, co, at, "skip_reason", READ_NULLABLE, &skip_reason)) != 0 ||
        (rc = read_string(r, co, at, "remediation", READ_NULLABLE, &c->remediation)) != 0 ||
        (rc = read_string(r, co, at, "source", READ_NULLABLE, &c->source)) != 0 ||
        (rc = read_string(r, co, at, "diagnosis", READ_NULLABLE, &c->diagnosis)) != 0 ||
        (rc = read_time(r, co, at, "started", &c->started)) != 0 ||
        (rc = read_ms(r, co, at, "duration_ms", &c->seconds)) != 0 ||
        (rc = read_array(r, co, at, "steps", &steps)) != 0)
        goto out;
    /* skip_reason repeats the message of a skipped case; the writer derives it */
    json_array_foreach(steps, i, so)
    {
        char here[READ_PATH_MAX];
        read_at(here, sizeof here, "%s.steps[%zu]", at, i);
        if ((rc = read_step(r, so, here, c)) != 0)
            goto out;
    }
out:
    free(skip_reason);
    return rc;
}

static int
read_run(struct read_ctx *r, const json_t *root, struct hx_result **out)
{
    json_t *run = NULL, *notes = NULL, *v;
    struct hx_result *res;
    size_t i;
    int rc;

    if ((rc = read_object(r, root, "", "run", &run)) != 0)
        return rc;
    res = hx_result_new(NULL, NULL, NULL);
    if (res == NULL)
        return read_nomem(r);
    if ((rc = read_string(r, run, "run", "id", READ_NULLABLE, &res->run_id)) != 0 ||
        (rc = read_string(r, run, "run", "target", READ_NULLABLE, &res->target)) != 0 ||
        (rc = read_string(r, run, "run", "profile", READ_NULLABLE, &res->profile)) != 0 ||
        (rc = read_string(r, run, "run", "harness_version", READ_NULLABLE,
                          &res->harness_version)) != 0 ||
        (rc = read_string(r, run, "run", "hostname", READ_NULLABLE, &res->hostname)) != 0 ||
        (rc = read_time(r, run, "run", "started", &res->started)) != 0 ||
        (rc = read_ms(r, run, "run", "duration_ms", &res->seconds)) != 0 ||
        (rc = read_string_array(r, run, "run", "notes", &notes)) != 0)
        goto fail;
    json_array_foreach(notes, i, v)
    {
        if (hx_result_add_note(res, "%s", json_string_value(v)) != 0) {
            rc = read_nomem(r);
            goto fail;
        }
    }
    *out = res;
    return 0;
fail:
    hx_result_free(res);
    return rc;
}

int
hx_report_json_to_result(const json_t *root, const char *name, struct hx_result **out,
                         struct hx_error *err)
{
    struct read_ctx r = {.name = name, .err = err};
    struct hx_result *res = NULL;
    json_t *cases = NULL, *co;
    size_t i;
    int rc;

    if (!json_is_object(root))
        return read_fail(&r, "", "", "expected a JSON object");
    if ((rc = read_array(&r, root, "", "cases", &cases)) != 0 || (rc = read_run(&r, root, &res)) != 0)
        return rc;
    json_array_foreach(cases, i, co)
    {
        char here[32];
        read_at(here, sizeof here, "cases[%zu]", i);
        if ((rc = read_case(&r, co, here, res)) != 0) {
            hx_result_free(res);
            return rc;
        }
    }
    *out = res;
    return 0;
}

int
hx_report_json_read_buffer(const char *text, size_t len, const char *name, struct hx_result **out,
                           struct hx_error *err)
{
    json_t *root = NULL;
    int rc = hx_report_json_parse(text, len, name, &root, err);

    if (rc == 0)
        rc = hx_report_json_to_result(root, name, out, err);
    json_decref(root);
    return rc;
}

int
hx_report_json_read_file(const char *path, struct hx_result **out, struct hx_error *err)
{
    json_t *root = NULL;
    int rc = hx_report_json_load(path, &root, err);

    if (rc == 0)
        rc = hx_report_json_to_result(root, path, out, err);
    json_decref(root);
    return rc;
}
