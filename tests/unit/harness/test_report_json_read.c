#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../integration/reports/report_sample.h"
#include "cmn/buf.h"
#include "hx/report_json.h"
#include "hx/report_json_read.h"
#include "unit.h"

#define RENDER_MAX ((size_t)16 << 20)

/* Returns new: the sample's report.json text. */
static char *
sample_text(int variant, size_t *len)
{
    struct hx_result *r = sample_result(variant);
    struct cmn_buf b;
    char *text;

    cmn_buf_init(&b, RENDER_MAX);
    CU_ASSERT_EQUAL(hx_report_json_render(r, &b), 0);
    hx_result_free(r);
    text = strdup(cmn_buf_str(&b));
    *len = b.len;
    cmn_buf_cleanup(&b);
    return text;
}

/* Reads text and renders what was read: the bytes must not change. */
static void
check_round_trip(const char *text, size_t len)
{
    struct hx_result *r = NULL;
    struct hx_error err = {.text = ""};
    struct cmn_buf again;

    CU_ASSERT_EQUAL_FATAL(hx_report_json_read_buffer(text, len, "sample.json", &r, &err), 0);
    cmn_buf_init(&again, RENDER_MAX);
    CU_ASSERT_EQUAL(hx_report_json_render(r, &again), 0);
    CU_ASSERT_EQUAL(again.len, len);
    CU_ASSERT(again.len == len && memcmp(cmn_buf_str(&again), text, len) == 0);
    if (again.len != len || memcmp(cmn_buf_str(&again), text, len) != 0)
        fprintf(stderr, "\n--- read back and written again:\n%s\n", cmn_buf_str(&again));
    cmn_buf_cleanup(&again);
    hx_result_free(r);
}

/* Both sample runs (hostile bodies with invalid UTF-8, NUL and control
 * bytes, skips, an error, notes, extra checklist items) come back byte for
 * byte. */
static void
test_report_json_read_round_trips_the_samples_byte_for_byte(void)
{
    for (int variant = 0; variant <= 1; variant++) {
        size_t len = 0;
        char *text = sample_text(variant, &len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"body_lossy\": true"));
        check_round_trip(text, len);
        free(text);
    }
}

/* What the reader gives is the result, not only its text. */
static void
test_report_json_read_gives_back_cases_steps_and_exchanges(void)
{
    size_t len = 0;
    char *text = sample_text(0, &len);
    struct hx_result *r = NULL;
    const struct hx_case *c = NULL;

    CU_ASSERT_EQUAL_FATAL(hx_report_json_read_buffer(text, len, "s.json", &r, NULL), 0);
    CU_ASSERT_STRING_EQUAL(r->target, "http://127.0.0.1:8000");
    CU_ASSERT_STRING_EQUAL(r->run_id, "run-0001");
    CU_ASSERT_EQUAL(r->started, 1795600000);
    CU_ASSERT_EQUAL(r->n_cases, 8);
    for (size_t i = 0; i < r->n_cases; i++)
        if (strcmp(r->cases[i]->id, "QS-SIGNIN-002") == 0)
            c = r->cases[i];
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->status, HX_STATUS_FAIL);
    CU_ASSERT_EQUAL(c->severity, HX_SEV_HIGH);
    CU_ASSERT_EQUAL_FATAL(c->n_steps, 2);
    CU_ASSERT_EQUAL(c->steps[1].status, HX_STATUS_FAIL);
    CU_ASSERT_STRING_EQUAL(c->steps[1].failure_type, "expect.json");
    CU_ASSERT_EQUAL_FATAL(c->steps[1].n_exchanges, 1);
    CU_ASSERT_EQUAL(c->steps[1].exchanges[0].status, 401);
    CU_ASSERT_STRING_EQUAL(c->steps[1].exchanges[0].request_headers[0].name, "Authorization");
    CU_ASSERT_EQUAL(c->steps[1].exchanges[0].response_body_lossy_bytes, SAMPLE_HOSTILE_LEN);
    CU_ASSERT_DOUBLE_EQUAL(c->steps[1].seconds, 0.25, 1e-9);
    hx_result_free(r);
    free(text);
}

/* Sets the member at a dotted path ("cases.2.steps.0.status") of doc to v
 * (taken), or deletes it when v is NULL. */
static void
doc_set(json_t *doc, const char *path, json_t *v)
{
    char buf[256], *save = NULL, *tok, *next;
    json_t *at = doc;

    snprintf(buf, sizeof buf, "%s", path);
    tok = strtok_r(buf, ".", &save);
    while ((next = strtok_r(NULL, ".", &save)) != NULL) {
        at = json_is_array(at) ? json_array_get(at, strtoul(tok, NULL, 10)) : json_object_get(at, tok);
        CU_ASSERT_PTR_NOT_NULL_FATAL(at);
        tok = next;
    }
    if (json_is_array(at)) {
        CU_ASSERT_EQUAL(json_array_set_new(at, strtoul(tok, NULL, 10), v), 0);
    } else if (v == NULL) {
        CU_ASSERT_EQUAL(json_object_del(at, tok), 0);
    } else {
        CU_ASSERT_EQUAL(json_object_set_new(at, tok, v), 0);
    }
}

/* One malformed field: the error names the file, the JSON path and what was
 * expected. */
static void
check_bad_field(const char *path, json_t *v, const char *want)
{
    size_t len = 0;
    char *text = sample_text(0, &len), *bad;
    json_t *doc = json_loads(text, 0, NULL);
    struct hx_result *r = NULL;
    struct hx_error err = {.text = ""};

    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    doc_set(doc, path, v);
    bad = json_dumps(doc, JSON_PRESERVE_ORDER);
    CU_ASSERT_EQUAL(hx_report_json_read_buffer(bad, strlen(bad), "a.json", &r, &err), HX_E_PARSE);
    CU_ASSERT_PTR_NULL(r);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, want));
    if (strstr(err.text, want) == NULL)
        fprintf(stderr, "\n%s: got \"%s\", wanted \"%s\"\n", path, err.text, want);
    hx_result_free(r);
    free(bad);
    json_decref(doc);
    free(text);
}

static void
test_report_json_read_names_file_and_path_of_a_bad_field(void)
{
    /* cases are sorted by id: 0 QS-SIGNIN-002, 1 QS-SIGNUP-001, 2 QS-TASKS-001 ... */
    check_bad_field("cases.3.steps.0.status", json_string("sideways"),
                    "a.json: cases[3].steps[0].status: expected one of pass, fail, error, skip, warn");
    check_bad_field("cases.0.id", NULL, "a.json: cases[0].id: missing");
    check_bad_field("cases.0.id", json_string(""), "a.json: cases[0].id: expected a non-empty string");
    check_bad_field("cases.1.severity", json_string("dire"), "a.json: cases[1].severity: expected one of");
    check_bad_field("cases.0.steps.1.exchanges.0.request.headers.0.name", json_integer(3),
                    "a.json: cases[0].steps[1].exchanges[0].request.headers[0].name: expected a string");
    check_bad_field("cases.0.steps.1.exchanges.0.response.status", json_string("401"),
                    "a.json: cases[0].steps[1].exchanges[0].response.status: expected an integer");
    check_bad_field("cases.0.steps.0.exchanges.0.response.body_bytes", json_integer(7),
                    "cases[0].steps[0].exchanges[0].response.body_bytes: expected 54, the length");
    check_bad_field("cases.0.steps.0.notes", json_string("x"),
                    "a.json: cases[0].steps[0].notes: expected an array");
    check_bad_field("cases.0.checklist.0", json_true(), "a.json: cases[0].checklist[0]: expected a string");
    check_bad_field("cases.0.started", json_string("yesterday"),
                    "a.json: cases[0].started: expected an RFC 3339 time");
    check_bad_field("cases.0.duration_ms", json_integer(-5), "a.json: cases[0].duration_ms: expected an integer");
    check_bad_field("cases.4", json_string("a case"), "a.json: cases[4]: expected an object");
    check_bad_field("run.notes", json_object(), "a.json: run.notes: expected an array");
    check_bad_field("run", NULL, "a.json: run: missing");
    check_bad_field("cases", json_null(), "a.json: cases: expected an array");
    check_bad_field("format", json_string("other"), "a.json: format: expected \"authconform-report\"");
    check_bad_field("version", json_integer(99), "a.json: version: 99 is newer");
}

/* Every member of the sample, deleted or given a value of the wrong type:
 * the reader either accepts it or names the file, never crashes or leaks
 * (ASan). */
static void
mutate_all(json_t *doc, json_t *node, const char *text_name, size_t *n_checked)
{
    const char *key;
    json_t *v;
    size_t i;

    if (json_is_object(node)) {
        /* the keys first: deleting and setting again moves a key to the end */
        size_t n_keys = json_object_size(node), k = 0;
        char **keys = calloc(n_keys + 1, sizeof *keys);
        CU_ASSERT_PTR_NOT_NULL_FATAL(keys);
        json_object_foreach(node, key, v) keys[k++] = strdup(key);
        for (k = 0; k < n_keys; k++) {
            json_t *keep = json_incref(json_object_get(node, keys[k]));
            json_t *wrong[] = {NULL, json_integer(-1), json_string("\xe2\x80\xae"), json_array()};
            for (size_t w = 0; w < sizeof wrong / sizeof wrong[0]; w++) {
                char *bad;
                struct hx_result *r = NULL;
                struct hx_error err = {.text = ""};
                if (wrong[w] == NULL)
                    json_object_del(node, keys[k]);
                else
                    json_object_set_new(node, keys[k], wrong[w]);
                bad = json_dumps(doc, JSON_PRESERVE_ORDER);
                if (hx_report_json_read_buffer(bad, strlen(bad), text_name, &r, &err) == 0)
                    hx_result_free(r);
                else
                    CU_ASSERT(strncmp(err.text, "m.json: ", 8) == 0);
                free(bad);
                (*n_checked)++;
            }
            json_object_set(node, keys[k], keep);
            mutate_all(doc, keep, text_name, n_checked);
            json_decref(keep);
            free(keys[k]);
        }
        free(keys);
    } else if (json_is_array(node)) {
        json_array_foreach(node, i, v) mutate_all(doc, v, text_name, n_checked);
    }
}

static void
test_report_json_read_survives_every_member_removed_or_mistyped(void)
{
    size_t len = 0, n_checked = 0;
    char *text = sample_text(0, &len);
    json_t *doc = json_loads(text, 0, NULL);

    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    mutate_all(doc, doc, "m.json", &n_checked);
    CU_ASSERT(n_checked > 400);
    json_decref(doc);
    free(text);
}

static void
test_report_json_read_file_names_a_missing_file(void)
{
    struct hx_result *r = NULL;
    struct hx_error err = {.text = ""};

    CU_ASSERT_EQUAL(hx_report_json_read_file("/nonexistent/r.json", &r, &err), HX_E_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "/nonexistent/r.json: cannot read"));
    CU_ASSERT_EQUAL(hx_report_json_read_buffer("{", 1, "t.json", &r, &err), HX_E_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "t.json: not a JSON report"));
    CU_ASSERT_PTR_NULL(r);
}

static void
test_report_json_status_parse_knows_every_status_name(void)
{
    enum hx_status s;
    char names[160];

    for (int i = HX_STATUS_PASS; i <= HX_STATUS_WARN; i++) {
        CU_ASSERT_EQUAL(hx_report_json_status_parse(hx_status_name((enum hx_status)i), &s), 0);
        CU_ASSERT_EQUAL((int)s, i);
    }
    CU_ASSERT_EQUAL(hx_report_json_status_parse("PASS", &s), HX_E_PARSE);
    CU_ASSERT_EQUAL(hx_report_json_status_parse("unknown", &s), HX_E_PARSE);
    CU_ASSERT_EQUAL(hx_report_json_status_parse(NULL, &s), HX_E_PARSE);
    hx_report_json_status_names(names, sizeof names);
    CU_ASSERT_NSTRING_EQUAL(names, "pass, fail, error, skip, warn", 29);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_report_json_read_round_trips_the_samples_byte_for_byte),
        TU_TEST(test_report_json_read_gives_back_cases_steps_and_exchanges),
        TU_TEST(test_report_json_read_names_file_and_path_of_a_bad_field),
        TU_TEST(test_report_json_read_survives_every_member_removed_or_mistyped),
        TU_TEST(test_report_json_read_file_names_a_missing_file),
        TU_TEST(test_report_json_status_parse_knows_every_status_name),
        {NULL, NULL},
    };
    return tu_run_suite("report_json_read", tests);
}
