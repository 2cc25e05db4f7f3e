/* report.json: results for machines, in a versioned, documented format. */
#include "hx/report_json.h"

#include <math.h>
#include <string.h>

#include "report_int.h"

/* Builds JSON values and remembers whether anything failed, so that the
 * builder reads straight and checks once at the end. jansson's
 * json_object_set_new() takes its value even on failure. */
struct json_ctx {
    bool ok;
};

static void
json_set(struct json_ctx *j, json_t *obj, const char *key, json_t *v)
{
    if (v == NULL || obj == NULL || json_object_set_new(obj, key, v) != 0)
        j->ok = false;
}

static void
json_push(struct json_ctx *j, json_t *arr, json_t *v)
{
    if (v == NULL || arr == NULL || json_array_append_new(arr, v) != 0)
        j->ok = false;
}

/* A string, or null for NULL. */
static json_t *
json_str_or_null(const char *s)
{
    return s != NULL ? hx__json_text(s, strlen(s), NULL) : json_null();
}

static json_t *
json_ms(double seconds)
{
    if (!(seconds >= 0) || seconds > 1e12)
        seconds = 0;
    return json_integer((json_int_t)llround(seconds * 1000.0));
}

static json_t *
json_time(time_t t)
{
    char buf[32];

    if (t == 0)
        return json_null();
    hx__time_rfc3339(t, buf, sizeof buf);
    return json_string(buf);
}

static json_t *
json_strings(struct json_ctx *j, char *const *items, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++)
        json_push(j, a, json_str_or_null(items[i]));
    return a;
}

static json_t *
json_counts(struct json_ctx *j, const struct hx_counts *n)
{
    json_t *o = json_object();

    json_set(j, o, "total", json_integer((json_int_t)n->total));
    json_set(j, o, "passed", json_integer((json_int_t)n->passed));
    json_set(j, o, "failed", json_integer((json_int_t)n->failed));
    json_set(j, o, "errors", json_integer((json_int_t)n->errors));
    json_set(j, o, "skipped", json_integer((json_int_t)n->skipped));
    json_set(j, o, "warnings", json_integer((json_int_t)n->warnings));
    json_set(j, o, "waived", json_integer((json_int_t)n->waived));
    return o;
}

static json_t *
json_headers(struct json_ctx *j, const struct hx_header *h, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_set(j, o, "name", json_str_or_null(h[i].name != NULL ? h[i].name : ""));
        json_set(j, o, "value", json_str_or_null(h[i].value != NULL ? h[i].value : ""));
        json_push(j, a, o);
    }
    return a;
}

static void
json_body(struct json_ctx *j, json_t *o, const char *p, size_t n, bool truncated)
{
    bool lossy = false;

    json_set(j, o, "body", p != NULL ? hx__json_text(p, n, &lossy) : json_string(""));
    json_set(j, o, "body_bytes", json_integer((json_int_t)(p != NULL ? n : 0)));
    json_set(j, o, "body_truncated", json_boolean(truncated));
    json_set(j, o, "body_lossy", json_boolean(lossy));
}

static json_t *
json_exchange(struct json_ctx *j, const struct hx_exchange *x)
{
    json_t *o = json_object(), *req = json_object(), *resp;

    json_set(j, req, "method", json_str_or_null(x->method));
    json_set(j, req, "url", json_str_or_null(x->url));
    json_set(j, req, "headers", json_headers(j, x->request_headers, x->n_request_headers));
    json_body(j, req, x->request_body, x->request_body_len, x->request_body_truncated);
    json_set(j, o, "request", req);

    if (x->status == 0 && x->n_response_headers == 0 && x->response_body_len == 0) {
        resp = json_null();
    } else {
        resp = json_object();
        json_set(j, resp, "status", json_integer(x->status));
        json_set(j, resp, "http_version", json_str_or_null(x->http_version));
        json_set(j, resp, "headers", json_headers(j, x->response_headers, x->n_response_headers));
        json_body(j, resp, x->response_body, x->response_body_len, x->response_body_truncated);
    }
    json_set(j, o, "response", resp);
    json_set(j, o, "transport_error", json_str_or_null(x->transport_error));
    json_set(j, o, "tls_version", json_str_or_null(x->tls_version));
    json_set(j, o, "duration_ms", json_ms(x->seconds));
    return o;
}

static json_t *
json_notes(struct json_ctx *j, const char *notes)
{
    json_t *a = json_array();
    const char *p = notes;

    while (p != NULL && *p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
        json_push(j, a, hx__json_text(p, n, NULL));
        p = nl != NULL ? nl + 1 : NULL;
    }
    return a;
}

static json_t *
json_step(struct json_ctx *j, const struct hx_step_result *s)
{
    json_t *o = json_object(), *xs = json_array();

    json_set(j, o, "name", json_str_or_null(s->name));
    json_set(j, o, "kind", json_str_or_null(s->kind));
    json_set(j, o, "status", json_string(hx_status_name(s->status)));
    json_set(j, o, "message", json_str_or_null(s->message));
    json_set(j, o, "failure_type", json_str_or_null(s->failure_type));
    json_set(j, o, "notes", json_notes(j, s->notes));
    json_set(j, o, "duration_ms", json_ms(s->seconds));
    for (size_t i = 0; i < s->n_exchanges; i++)
        json_push(j, xs, json_exchange(j, &s->exchanges[i]));
    json_set(j, o, "exchanges", xs);
    return o;
}

/* null, or what a WAIVED case found and the waiver that accepts it. */
static json_t *
json_case_waived(struct json_ctx *j, const struct hx_result *r, const struct hx_case *c)
{
    json_t *o;

    if (c->status != HX_STATUS_WAIVED || c->waiver == NULL)
        return json_null();
    o = json_object();
    json_set(j, o, "status", json_string(hx_status_name(c->waived_status)));
    json_set(j, o, "waiver", json_integer((json_int_t)(c->waiver - r->waivers)));
    json_set(j, o, "check", json_str_or_null(c->waiver->check));
    json_set(j, o, "reason", json_str_or_null(c->waiver->reason));
    json_set(j, o, "owner", json_str_or_null(c->waiver->owner));
    json_set(j, o, "expires", json_string(c->waiver->expires));
    return o;
}

/* Every waiver of the run with its state and the cases it matched. */
static json_t *
json_waivers(struct json_ctx *j, const struct hx_result *r)
{
    json_t *a = json_array();

    for (size_t i = 0; i < r->n_waivers; i++) {
        const struct hx_waiver *w = &r->waivers[i];
        json_t *o = json_object();
        json_set(j, o, "index", json_integer((json_int_t)i));
        json_set(j, o, "check", json_str_or_null(w->check));
        json_set(j, o, "target", json_str_or_null(w->target));
        json_set(j, o, "reason", json_str_or_null(w->reason));
        json_set(j, o, "owner", json_str_or_null(w->owner));
        json_set(j, o, "expires", json_string(w->expires));
        json_set(j, o, "state", json_string(hx_waiver_state_name(w->state)));
        json_set(j, o, "cases", json_strings(j, w->cases, w->n_cases));
        json_push(j, a, o);
    }
    return a;
}

/* null without --baseline; else the baseline and the ids of the cases of
 * each mark, in report order. */
static json_t *
json_baseline(struct json_ctx *j, const struct hx_result *r, const struct hx_case **sorted)
{
    static const enum hx_baseline_mark marks[] = {HX_BASELINE_NEW, HX_BASELINE_STILL_FAILING,
                                                  HX_BASELINE_FIXED};
    static const char *const keys[] = {"new", "still_failing", "fixed"};
    json_t *o;

    if (r->baseline == NULL)
        return json_null();
    o = json_object();
    json_set(j, o, "file", json_str_or_null(r->baseline));
    json_set(j, o, "run_id", json_str_or_null(r->baseline_run_id));
    for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
        json_t *ids = json_array();
        for (size_t i = 0; sorted != NULL && i < r->n_cases; i++)
            if (sorted[i]->baseline == marks[m])
                json_push(j, ids, json_str_or_null(sorted[i]->id != NULL ? sorted[i]->id : ""));
        json_set(j, o, keys[m], ids);
    }
    return o;
}

static json_t *
json_case(struct json_ctx *j, const struct hx_result *r, const struct hx_case *c)
{
    json_t *o = json_object(), *steps = json_array();
    bool skipped = c->status == HX_STATUS_SKIP;

    json_set(j, o, "id", json_str_or_null(c->id != NULL ? c->id : ""));
    json_set(j, o, "title", json_str_or_null(c->title != NULL ? c->title : ""));
    json_set(j, o, "group", json_str_or_null(c->group != NULL ? c->group : ""));
    json_set(j, o, "file", json_str_or_null(c->file));
    json_set(j, o, "checklist", json_strings(j, c->checklist, c->n_checklist));
    json_set(j, o, "asvs", json_strings(j, c->asvs, c->n_asvs));
    json_set(j, o, "severity", json_string(hx_severity_name(c->severity)));
    json_set(j, o, "status", json_string(hx_status_name(c->status)));
    json_set(j, o, "message", json_str_or_null(c->message));
    json_set(j, o, "failure_type", json_str_or_null(c->failure_type));
    json_set(j, o, "skip_reason", json_str_or_null(skipped ? c->message : NULL));
    json_set(j, o, "remediation", json_str_or_null(c->remediation));
    json_set(j, o, "source", json_str_or_null(c->source));
    json_set(j, o, "diagnosis", json_str_or_null(c->diagnosis));
    json_set(j, o, "started", json_time(c->started));
    json_set(j, o, "duration_ms", json_ms(c->seconds));
    json_set(j, o, "waived", json_case_waived(j, r, c));
    json_set(j, o, "baseline", json_str_or_null(hx_baseline_mark_name(c->baseline)));
    for (size_t i = 0; i < c->n_steps; i++)
        json_push(j, steps, json_step(j, &c->steps[i]));
    json_set(j, o, "steps", steps);
    return o;
}

static json_t *
json_item(struct json_ctx *j, const struct hx_result *r, const struct hx_case **sorted,
          const char *id, const char *title)
{
    json_t *o = json_object(), *cases = json_array();
    struct hx_item_summary sum;

    hx_checklist_summarise(r, id, &sum);
    json_set(j, o, "id", json_str_or_null(id));
    json_set(j, o, "title", json_str_or_null(title));
    json_set(j, o, "covered", json_boolean(sum.covered));
    json_set(j, o, "status", json_string(hx_status_name(sum.status)));
    json_set(j, o, "counts", json_counts(j, &sum.counts));
    for (size_t i = 0; i < r->n_cases; i++)
        if (hx_case_has_item(sorted[i], id))
            json_push(j, cases, json_str_or_null(sorted[i]->id != NULL ? sorted[i]->id : ""));
    json_set(j, o, "cases", cases);
    return o;
}

static bool
json_item_known(const char *id)
{
    size_t n;
    const struct hx_checklist_item *items = hx_checklist_items(&n);

    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].id, id) == 0)
            return true;
    return false;
}

/* Checklist ids the cases name that are not among the twelve, sorted and
 * unique, appended to arr after them. */
static void
json_extra_items(struct json_ctx *j, json_t *arr, const struct hx_result *r,
                 const struct hx_case **sorted)
{
    const char *last = NULL;

    for (;;) {
        const char *next = NULL;
        for (size_t i = 0; i < r->n_cases; i++) {
            for (size_t k = 0; k < r->cases[i]->n_checklist; k++) {
                const char *id = r->cases[i]->checklist[k];
                if (id == NULL || json_item_known(id))
                    continue;
                if (last != NULL && strcmp(id, last) <= 0)
                    continue;
                if (next == NULL || strcmp(id, next) < 0)
                    next = id;
            }
        }
        if (next == NULL)
            return;
        json_push(j, arr, json_item(j, r, sorted, next, NULL));
        last = next;
    }
}

json_t *
hx_report_json_build(const struct hx_result *r)
{
    struct json_ctx j = {.ok = true};
    const struct hx_case **sorted = hx__cases_sorted(r);
    json_t *root = json_object(), *run = json_object(), *summary = json_object();
    json_t *items = json_array(), *cases = json_array();
    struct hx_counts n;
    size_t n_items;
    const struct hx_checklist_item *list = hx_checklist_items(&n_items);

    if (sorted == NULL)
        j.ok = false;
    hx_result_count(r, &n);
    json_set(&j, root, "format", json_string(HX_REPORT_JSON_FORMAT));
    json_set(&j, root, "version", json_integer(HX_REPORT_JSON_VERSION));

    json_set(&j, run, "id", json_str_or_null(r->run_id));
    json_set(&j, run, "target", json_str_or_null(r->target));
    json_set(&j, run, "profile", json_str_or_null(r->profile));
    json_set(&j, run, "harness_version", json_str_or_null(r->harness_version));
    json_set(&j, run, "hostname", json_str_or_null(r->hostname));
    json_set(&j, run, "started", json_time(r->started));
    json_set(&j, run, "duration_ms", json_ms(r->seconds));
    {
        json_t *notes = json_array();
        for (size_t i = 0; notes != NULL && i < r->n_notes; i++)
            json_array_append_new(notes, json_str_or_null(r->notes[i]));
        json_set(&j, run, "notes", notes);
    }
    json_set(&j, root, "run", run);

    json_set(&j, summary, "verdict", json_string(hx__verdict_name(hx__verdict(&n))));
    json_set(&j, summary, "counts", json_counts(&j, &n));
    json_set(&j, root, "summary", summary);

    if (sorted != NULL) {
        for (size_t i = 0; i < n_items; i++)
            json_push(&j, items, json_item(&j, r, sorted, list[i].id, list[i].title));
        json_extra_items(&j, items, r, sorted);
        for (size_t i = 0; i < r->n_cases; i++)
            json_push(&j, cases, json_case(&j, r, sorted[i]));
    }
    json_set(&j, root, "checklist", items);
    json_set(&j, root, "waivers", json_waivers(&j, r));
    json_set(&j, root, "baseline", json_baseline(&j, r, sorted));
    json_set(&j, root, "cases", cases);
    free(sorted);
    if (!j.ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static int
json_dump_cb(const char *buffer, size_t size, void *data)
{
    return cmn_buf_add(data, buffer, size) == 0 ? 0 : -1;
}

int
hx_report_json_render(const struct hx_result *r, struct cmn_buf *out)
{
    json_t *root = hx_report_json_build(r);
    size_t before = out->len;
    int rc;

    if (root == NULL)
        return HX_E_NOMEM;
    rc = json_dump_callback(root, json_dump_cb, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0) {
        out->len = before;
        if (out->data != NULL)
            out->data[before] = '\0';
        return HX_E_TOOBIG;
    }
    return cmn_buf_addc(out, '\n');
}

int
hx_report_json_write(const struct hx_result *r, const char *path, struct hx_error *err)
{
    struct cmn_buf b;
    int rc;

    cmn_buf_init(&b, HX__REPORT_MAX);
    rc = hx_report_json_render(r, &b);
    if (rc != 0)
        hx_error_set(err, path, 0, "%s: cannot build the JSON report: %s", path, hx_strerror(rc));
    else
        rc = hx__report_write_file(path, cmn_buf_str(&b), b.len, err);
    cmn_buf_cleanup(&b);
    return rc;
}
