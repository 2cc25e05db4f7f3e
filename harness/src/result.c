#include "hx/result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmn/version.h"
#include "hx/error.h"

const char *
hx_status_name(enum hx_status s)
{
    switch (s) {
    case HX_STATUS_PASS:
        return "pass";
    case HX_STATUS_FAIL:
        return "fail";
    case HX_STATUS_ERROR:
        return "error";
    case HX_STATUS_SKIP:
        return "skip";
    case HX_STATUS_WARN:
        return "warn";
    case HX_STATUS_WAIVED:
        return "waived";
    }
    return "unknown";
}

const char *
hx_waiver_state_name(enum hx_waiver_state s)
{
    switch (s) {
    case HX_WAIVER_UNUSED:
        return "unused";
    case HX_WAIVER_UNNEEDED:
        return "unneeded";
    case HX_WAIVER_APPLIED:
        return "applied";
    case HX_WAIVER_EXPIRED:
        return "expired";
    }
    return "unknown";
}

const char *
hx_baseline_mark_name(enum hx_baseline_mark m)
{
    switch (m) {
    case HX_BASELINE_NONE:
        return NULL;
    case HX_BASELINE_NEW:
        return "new";
    case HX_BASELINE_STILL_FAILING:
        return "still-failing";
    case HX_BASELINE_FIXED:
        return "fixed";
    }
    return NULL;
}

static const char *const severity_names[] = {"warning", "info", "low",
                                             "medium",  "high", "critical"};
#define SEVERITY_N (sizeof severity_names / sizeof severity_names[0])

const char *
hx_severity_name(enum hx_severity s)
{
    return (unsigned)s < SEVERITY_N ? severity_names[s] : "unknown";
}

int
hx_severity_parse(const char *s, enum hx_severity *out)
{
    for (size_t i = 0; i < SEVERITY_N; i++) {
        if (strcasecmp(s, severity_names[i]) == 0) {
            *out = (enum hx_severity)i;
            return 0;
        }
    }
    return HX_E_INVAL;
}

static char *
result_strdup(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/* Grows *arr (of elem_size elements, *n in use) by one zeroed element. */
static void *
result_grow(void *arr_ptr, size_t *n, size_t elem_size)
{
    void **arr = arr_ptr;
    char *p = realloc(*arr, (*n + 1) * elem_size);
    if (p == NULL)
        return NULL;
    memset(p + *n * elem_size, 0, elem_size);
    *arr = p;
    return p + (*n)++ * elem_size;
}

struct hx_result *
hx_result_new(const char *target, const char *profile, const char *run_id)
{
    struct hx_result *r = calloc(1, sizeof *r);
    char host[256] = "";

    if (r == NULL)
        return NULL;
    gethostname(host, sizeof host - 1);
    r->target = result_strdup(target);
    r->profile = result_strdup(profile);
    r->run_id = result_strdup(run_id);
    r->harness_version = strdup(CMN_VERSION);
    r->hostname = strdup(host);
    r->started = time(NULL);
    return r;
}

static void
result_headers_free(struct hx_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].name);
        free(h[i].value);
    }
    free(h);
}

void
hx_exchange_cleanup(struct hx_exchange *x)
{
    free(x->method);
    free(x->url);
    result_headers_free(x->request_headers, x->n_request_headers);
    free(x->request_body);
    free(x->http_version);
    result_headers_free(x->response_headers, x->n_response_headers);
    free(x->response_body);
    free(x->transport_error);
    free(x->tls_version);
    memset(x, 0, sizeof *x);
}

static void
result_step_cleanup(struct hx_step_result *s)
{
    free(s->name);
    free(s->kind);
    free(s->message);
    free(s->failure_type);
    free(s->notes);
    for (size_t i = 0; i < s->n_exchanges; i++)
        hx_exchange_cleanup(&s->exchanges[i]);
    free(s->exchanges);
}

static void
result_case_free(struct hx_case *c)
{
    if (c == NULL)
        return;
    free(c->id);
    free(c->title);
    free(c->group);
    free(c->file);
    for (size_t i = 0; i < c->n_checklist; i++)
        free(c->checklist[i]);
    free(c->checklist);
    for (size_t i = 0; i < c->n_asvs; i++)
        free(c->asvs[i]);
    free(c->asvs);
    free(c->remediation);
    free(c->source);
    free(c->message);
    free(c->failure_type);
    free(c->diagnosis);
    for (size_t i = 0; i < c->n_steps; i++)
        result_step_cleanup(&c->steps[i]);
    free(c->steps);
    free(c);
}

void
hx_waiver_cleanup(struct hx_waiver *w)
{
    free(w->check);
    free(w->target);
    free(w->reason);
    free(w->owner);
    for (size_t i = 0; i < w->n_cases; i++)
        free(w->cases[i]);
    free(w->cases);
    memset(w, 0, sizeof *w);
}

void
hx_result_free(struct hx_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n_waivers; i++)
        hx_waiver_cleanup(&r->waivers[i]);
    free(r->waivers);
    free(r->baseline);
    free(r->baseline_run_id);
    for (size_t i = 0; i < r->n_cases; i++)
        result_case_free(r->cases[i]);
    free(r->cases);
    for (size_t i = 0; i < r->n_notes; i++)
        free(r->notes[i]);
    free(r->notes);
    free(r->target);
    free(r->profile);
    free(r->run_id);
    free(r->harness_version);
    free(r->hostname);
    free(r);
}

int
hx_result_add_note(struct hx_result *r, const char *fmt, ...)
{
    char **grown;
    char *text;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n < 0)
        return HX_E_NOMEM;
    grown = realloc(r->notes, (r->n_notes + 1) * sizeof *grown);
    if (grown == NULL) {
        free(text);
        return HX_E_NOMEM;
    }
    r->notes = grown;
    r->notes[r->n_notes++] = text;
    return 0;
}

struct hx_case *
hx_result_add_case(struct hx_result *r, const char *id, const char *title, const char *group,
                   const char *file)
{
    struct hx_case *c = calloc(1, sizeof *c);
    struct hx_case **slot;

    if (c == NULL)
        return NULL;
    c->id = result_strdup(id);
    c->title = result_strdup(title);
    c->group = result_strdup(group);
    c->file = result_strdup(file);
    c->severity = HX_SEV_MEDIUM;
    c->status = HX_STATUS_SKIP;
    slot = result_grow(&r->cases, &r->n_cases, sizeof *r->cases);
    if (slot == NULL) {
        result_case_free(c);
        return NULL;
    }
    *slot = c;
    return c;
}

static int
result_add_string(char ***arr, size_t *n, const char *s)
{
    char **slot;
    char *copy = strdup(s);

    if (copy == NULL)
        return HX_E_NOMEM;
    slot = result_grow(arr, n, sizeof **arr);
    if (slot == NULL) {
        free(copy);
        return HX_E_NOMEM;
    }
    *slot = copy;
    return 0;
}

int
hx_case_add_checklist(struct hx_case *c, const char *item)
{
    return result_add_string(&c->checklist, &c->n_checklist, item);
}

int
hx_case_add_asvs(struct hx_case *c, const char *ref)
{
    return result_add_string(&c->asvs, &c->n_asvs, ref);
}

static int
result_replace(char **field, const char *text)
{
    char *copy = result_strdup(text);
    if (text != NULL && copy == NULL)
        return HX_E_NOMEM;
    free(*field);
    *field = copy;
    return 0;
}

int
hx_case_set_remediation(struct hx_case *c, const char *text)
{
    return result_replace(&c->remediation, text);
}

int
hx_case_set_source(struct hx_case *c, const char *text)
{
    return result_replace(&c->source, text);
}

int
hx_case_set_diagnosis(struct hx_case *c, const char *text)
{
    return result_replace(&c->diagnosis, text);
}

struct hx_step_result *
hx_case_add_step(struct hx_case *c, const char *name, const char *kind)
{
    struct hx_step_result *s = result_grow(&c->steps, &c->n_steps, sizeof *c->steps);
    if (s == NULL)
        return NULL;
    s->name = result_strdup(name);
    s->kind = result_strdup(kind);
    /* fail closed: nothing passes until a verdict says so */
    s->status = HX_STATUS_ERROR;
    s->message = strdup(HX_STEP_NO_VERDICT);
    s->failure_type = strdup("harness.no-verdict");
    return s;
}

int
hx_step_pass(struct hx_step_result *s)
{
    s->status = HX_STATUS_PASS;
    free(s->message);
    s->message = NULL;
    free(s->failure_type);
    s->failure_type = NULL;
    return 0;
}

/* The format comes from the callers' own format arguments (checked at each
 * call by their format attributes), passed through here. */
static char *result_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static char *
result_vformat(const char *fmt, va_list ap)
{
    char *out = NULL;
    if (fmt == NULL)
        return NULL;
    if (vasprintf(&out, fmt, ap) < 0)
        return NULL;
    return out;
}

int
hx_step_set(struct hx_step_result *s, enum hx_status status, const char *failure_type,
            const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = result_vformat(fmt, ap);
    va_end(ap);
    if (fmt != NULL && msg == NULL)
        return HX_E_NOMEM;
    s->status = status;
    free(s->message);
    s->message = msg;
    return result_replace(&s->failure_type, failure_type);
}

int
hx_step_add_note(struct hx_step_result *s, const char *fmt, ...)
{
    va_list ap;
    char *line, *joined;

    va_start(ap, fmt);
    line = result_vformat(fmt, ap);
    va_end(ap);
    if (line == NULL)
        return HX_E_NOMEM;
    if (s->notes == NULL) {
        s->notes = line;
        return 0;
    }
    if (asprintf(&joined, "%s\n%s", s->notes, line) < 0) {
        free(line);
        return HX_E_NOMEM;
    }
    free(line);
    free(s->notes);
    s->notes = joined;
    return 0;
}

struct hx_exchange *
hx_step_add_exchange(struct hx_step_result *s)
{
    return result_grow(&s->exchanges, &s->n_exchanges, sizeof *s->exchanges);
}

int
hx_case_skip(struct hx_case *c, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = result_vformat(fmt, ap);
    va_end(ap);
    if (msg == NULL)
        return HX_E_NOMEM;
    c->status = HX_STATUS_SKIP;
    free(c->message);
    c->message = msg;
    return 0;
}

int
hx_status_rank(enum hx_status s)
{
    switch (s) {
    case HX_STATUS_FAIL:
        return 4;
    case HX_STATUS_ERROR:
        return 3;
    case HX_STATUS_WAIVED: /* accepted, but not a pass */
        return 2;
    case HX_STATUS_SKIP:
        return 1;
    case HX_STATUS_PASS:
    case HX_STATUS_WARN: /* a warning never outweighs a pass */
        return 0;
    }
    return 4;
}

/* A probe names the likely cause of what it saw in a note line that starts
 * with "diagnosis: "; the first such line becomes the case's diagnosis. */
static void
result_take_diagnosis(struct hx_case *c)
{
    static const char prefix[] = "diagnosis: ";

    if (c->diagnosis != NULL)
        return;
    for (size_t i = 0; i < c->n_steps; i++) {
        const char *line = c->steps[i].notes;
        while (line != NULL && *line != '\0') {
            const char *end = strchr(line, '\n');
            size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
            if (len > sizeof prefix - 1 && strncmp(line, prefix, sizeof prefix - 1) == 0) {
                char *text = strndup(line + sizeof prefix - 1, len - (sizeof prefix - 1));
                if (text != NULL) {
                    free(c->diagnosis);
                    c->diagnosis = text;
                }
                return;
            }
            line = end != NULL ? end + 1 : NULL;
        }
    }
}

void
hx_case_finish(struct hx_case *c)
{
    const struct hx_step_result *worst = NULL;
    double total = 0;

    for (size_t i = 0; i < c->n_steps; i++) {
        const struct hx_step_result *s = &c->steps[i];
        total += s->seconds;
        if (s->status != HX_STATUS_PASS &&
            (worst == NULL || hx_status_rank(s->status) > hx_status_rank(worst->status)))
            worst = s;
    }
    if (c->seconds == 0)
        c->seconds = total;
    result_take_diagnosis(c);
    if (c->n_steps == 0)
        return; /* never ran: keeps SKIP and its reason */
    if (worst == NULL) {
        c->status = HX_STATUS_PASS;
        result_replace(&c->message, NULL);
        result_replace(&c->failure_type, NULL);
        return;
    }
    c->status = worst->status;
    if (c->status == HX_STATUS_FAIL && c->severity == HX_SEV_WARNING)
        c->status = HX_STATUS_WARN; /* good practice beyond the contract */
    result_replace(&c->message, worst->message);
    result_replace(&c->failure_type, worst->failure_type);
}

void
hx_counts_add(struct hx_counts *out, enum hx_status s)
{
    out->total++;
    switch (s) {
    case HX_STATUS_PASS:
        out->passed++;
        break;
    case HX_STATUS_FAIL:
        out->failed++;
        break;
    case HX_STATUS_ERROR:
        out->errors++;
        break;
    case HX_STATUS_SKIP:
        out->skipped++;
        break;
    case HX_STATUS_WARN:
        out->warnings++;
        break;
    case HX_STATUS_WAIVED:
        out->waived++;
        break;
    }
}

void
hx_result_count(const struct hx_result *r, struct hx_counts *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < r->n_cases; i++)
        hx_counts_add(out, r->cases[i]->status);
}

void
hx_result_count_group(const struct hx_result *r, const char *group, struct hx_counts *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < r->n_cases; i++)
        if (r->cases[i]->group != NULL && strcmp(r->cases[i]->group, group) == 0)
            hx_counts_add(out, r->cases[i]->status);
}

int
hx_result_exit_code(const struct hx_result *r, enum hx_severity fail_on)
{
    for (size_t i = 0; i < r->n_cases; i++) {
        const struct hx_case *c = r->cases[i];
        if ((c->status == HX_STATUS_FAIL || c->status == HX_STATUS_ERROR ||
             c->status == HX_STATUS_WARN) &&
            c->severity >= fail_on && c->baseline != HX_BASELINE_STILL_FAILING)
            return HX_EXIT_FAILED;
    }
    /* a waiver past its date, or one that waives nothing the run has, is a
     * finding of the gate itself */
    for (size_t i = 0; i < r->n_waivers; i++)
        if (r->waivers[i].state == HX_WAIVER_EXPIRED || r->waivers[i].state == HX_WAIVER_UNUSED)
            return HX_EXIT_FAILED;
    return HX_EXIT_PASS;
}
