#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../integration/reports/report_sample.h"
#include "cmn/env.h"
#include "cmn/json.h"
#include "cmn/text.h"
#include "hx/report_json.h"
#include "unit.h"

static json_t *
render_parsed(const struct hx_result *r, struct cmn_buf *b)
{
    char why[128] = "";
    json_t *root;

    cmn_buf_init(b, 64 << 20);
    CU_ASSERT_EQUAL_FATAL(hx_report_json_render(r, b), 0);
    root = cmn_json_parse_strict(b->data, b->len, 64, why, sizeof why);
    if (root == NULL)
        fprintf(stderr, "report.json does not parse strictly: %s\n", why);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    return root;
}

static const json_t *
find_case(const json_t *root, const char *id)
{
    const json_t *cases = json_object_get(root, "cases");
    for (size_t i = 0; i < json_array_size(cases); i++) {
        const char *cid = cmn_json_get_str(json_array_get(cases, i), "id");
        if (cid != NULL && strcmp(cid, id) == 0)
            return json_array_get(cases, i);
    }
    return NULL;
}

static void
test_report_json_is_strict_utf8_json_with_format_and_version(void)
{
    struct hx_result *r = sample_result(0);
    struct cmn_buf b;
    json_t *root = render_parsed(r, &b);
    long long version = 0;

    CU_ASSERT_TRUE(cmn_text_is_utf8(b.data, b.len));
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(root, "format"), "authconform-report");
    CU_ASSERT_EQUAL(cmn_json_get_int(root, "version", &version), 0);
    CU_ASSERT_EQUAL(version, 1);
    CU_ASSERT_EQUAL(b.data[b.len - 1], '\n');
    json_decref(root);
    cmn_buf_cleanup(&b);
    hx_result_free(r);
}

static void
test_report_json_holds_run_summary_and_counts(void)
{
    struct hx_result *r = sample_result(0);
    struct cmn_buf b;
    json_t *root = render_parsed(r, &b);
    const json_t *run = json_object_get(root, "run");
    const json_t *summary = json_object_get(root, "summary");
    const json_t *counts = json_object_get(summary, "counts");
    long long v;

    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(run, "id"), "run-0001");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(run, "target"), "http://127.0.0.1:8000");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(run, "profile"), "quickstart");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(run, "started"), "2026-11-25T09:46:40Z");
    CU_ASSERT_EQUAL(cmn_json_get_int(run, "duration_ms", &v), 0);
    CU_ASSERT_EQUAL(v, 4250);
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(summary, "verdict"), "fail");
    cmn_json_get_int(counts, "total", &v);
    CU_ASSERT_EQUAL(v, 8);
    cmn_json_get_int(counts, "passed", &v);
    CU_ASSERT_EQUAL(v, 3);
    cmn_json_get_int(counts, "failed", &v);
    CU_ASSERT_EQUAL(v, 2);
    cmn_json_get_int(counts, "errors", &v);
    CU_ASSERT_EQUAL(v, 1);
    cmn_json_get_int(counts, "skipped", &v);
    CU_ASSERT_EQUAL(v, 2);
    json_decref(root);
    cmn_buf_cleanup(&b);
    hx_result_free(r);
}

static void
test_report_json_lists_cases_sorted_by_id(void)
{
    struct hx_result *r = sample_result(0);
    struct cmn_buf b;
    json_t *root = render_parsed(r, &b);
    const json_t *cases = json_object_get(root, "cases");
    const char *prev = "";

    CU_ASSERT_EQUAL(json_array_size(cases), 8);
    for (size_t i = 0; i < json_array_size(cases); i++) {
        const char *id = cmn_json_get_str(json_array_get(cases, i), "id");
        CU_ASSERT_PTR_NOT_NULL_FATAL(id);
        CU_ASSERT_TRUE(strcmp(prev, id) < 0);
        prev = id;
    }
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(json_array_get(cases, 0), "id"), "QS-SIGNIN-002");
    json_decref(root);
    cmn_buf_cleanup(&b);
    hx_result_free(r);
}

static void
test_report_json_checklist_has_twelve_items_in_order_then_extras(void)
{
    static const char *const ids[] = {
        "strong-secret", "secrets-not-exposed", "bcrypt-cost",      "hs256",
        "token-expiry",  "no-info-leak",        "user-isolation",   "cors",
        "https-tls13",   "rate-limiting",       "httponly-cookies", "csp",
        "custom-extra"};
    struct hx_result *r = sample_result(0);
    struct cmn_buf b;
    json_t *root = render_parsed(r, &b);
    const json_t *items = json_object_get(root, "checklist");
    const json_t *it;

    CU_ASSERT_EQUAL_FATAL(json_array_size(items), 13);
    for (size_t i = 0; i < 13; i++)
        CU_ASSERT_STRING_EQUAL(cmn_json_get_str(json_array_get(items, i), "id"), ids[i]);
    it = json_array_get(items, 0); /* strong-secret: no case covers it */
    CU_ASSERT_TRUE(json_is_false(json_object_get(it, "covered")));
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(it, "status"), "skip");
    it = json_array_get(items, 3); /* hs256 */
    CU_ASSERT_TRUE(json_is_true(json_object_get(it, "covered")));
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(it, "status"), "fail");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(it, "cases"), 0)),
                           "SEC-HS256-001");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(json_array_get(items, 8), "status"), "skip");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(json_array_get(items, 9), "status"), "error");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(json_array_get(items, 11), "status"), "pass");
    CU_ASSERT_TRUE(json_is_null(json_object_get(json_array_get(items, 12), "title")));
    json_decref(root);
    cmn_buf_cleanup(&b);
    hx_result_free(r);
}

static void
test_report_json_case_carries_status_reason_refs_and_evidence(void)
{
    struct hx_result *r = sample_result(0);
    struct cmn_buf b;
    json_t *root = render_parsed(r, &b);
    const json_t *c, *step, *x;
    long long v;

    c = find_case(root, "SEC-TLS-001");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(c, "status"), "skip");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(c, "skip_reason"), "needs an https:// target");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(c, "asvs"), 0)),
                           "V9.1.2");

    c = find_case(root, "SEC-HS256-001");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(c, "status"), "fail");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(c, "severity"), "critical");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(c, "failure_type"), "expect.status");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(c, "message"), "expected status 401, got 200");
    CU_ASSERT_TRUE(json_is_null(json_object_get(c, "skip_reason")));
    CU_ASSERT_PTR_NOT_NULL(strstr(cmn_json_get_str(c, "remediation"), "only HS256"));
    CU_ASSERT_EQUAL(cmn_json_get_int(c, "duration_ms", &v), 0);
    CU_ASSERT_EQUAL(v, 20);

    c = find_case(root, "SEC-RATELIMIT-001");
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(c, "status"), "error");
    step = json_array_get(json_object_get(c, "steps"), 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(step, "notes"), 0)),
                           "sent: 25 requests");
    x = json_array_get(json_object_get(step, "exchanges"), 0);
    CU_ASSERT_TRUE(json_is_null(json_object_get(x, "response")));
    CU_ASSERT_PTR_NOT_NULL(strstr(cmn_json_get_str(x, "transport_error"), "timed out"));

    c = find_case(root, "QS-SIGNUP-001");
    step = json_array_get(json_object_get(c, "steps"), 0);
    x = json_array_get(json_object_get(step, "exchanges"), 0);
    CU_ASSERT_STRING_EQUAL(
        cmn_json_get_str(
            json_array_get(json_object_get(json_object_get(x, "request"), "headers"), 0), "value"),
        SAMPLE_REDACTED_TOKEN);
    cmn_json_get_int(json_object_get(x, "response"), "status", &v);
    CU_ASSERT_EQUAL(v, 201);
    json_decref(root);
    cmn_buf_cleanup(&b);
    hx_result_free(r);
}

static void
test_report_json_replaces_invalid_utf8_and_controls_in_hostile_body(void)
{
    struct hx_result *r = sample_result(0);
    struct cmn_buf b;
    json_t *root = render_parsed(r, &b);
    const json_t *c = find_case(root, "QS-SIGNIN-002");
    const json_t *step = json_array_get(json_object_get(c, "steps"), 1);
    const json_t *resp =
        json_object_get(json_array_get(json_object_get(step, "exchanges"), 0), "response");
    const char *body = cmn_json_get_str(resp, "body");
    long long bytes = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(body);
    CU_ASSERT_TRUE(json_is_true(json_object_get(resp, "body_lossy")));
    CU_ASSERT_EQUAL(cmn_json_get_int(resp, "body_bytes", &bytes), 0);
    CU_ASSERT_EQUAL((size_t)bytes, SAMPLE_HOSTILE_LEN);
    /* The NUL did not end the body; it and every bad byte became U+FFFD. */
    CU_ASSERT_PTR_NOT_NULL(strstr(body, "\xEF\xBF\xBD"
                                        "after-nul"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(body, "\xEF\xBF\xBD\xEF\xBF\xBD bad \xEF\xBF\xBD\xEF\xBF\xBD[31m"));
    CU_ASSERT_PTR_NULL(strstr(body, "\xe2\x80\xae"));
    CU_ASSERT_PTR_NULL(memchr(b.data, 0x1b, b.len));
    CU_ASSERT_PTR_NULL(strstr(b.data, "\\u0000"));
    CU_ASSERT_PTR_NOT_NULL(strstr(body, "<script>alert(1)</script>"));
    json_decref(root);
    cmn_buf_cleanup(&b);
    hx_result_free(r);
}

static void
test_report_json_is_identical_whatever_the_order_cases_were_added(void)
{
    struct hx_result *a = sample_result(0), *b = sample_result(0);
    struct cmn_buf ba, bb;
    struct hx_case *tmp;

    /* Same run, cases completed in another order. */
    for (size_t i = 0; i < b->n_cases / 2; i++) {
        tmp = b->cases[i];
        b->cases[i] = b->cases[b->n_cases - 1 - i];
        b->cases[b->n_cases - 1 - i] = tmp;
    }
    cmn_buf_init(&ba, 64 << 20);
    cmn_buf_init(&bb, 64 << 20);
    CU_ASSERT_EQUAL(hx_report_json_render(a, &ba), 0);
    CU_ASSERT_EQUAL(hx_report_json_render(b, &bb), 0);
    CU_ASSERT_EQUAL(ba.len, bb.len);
    CU_ASSERT_TRUE(ba.len == bb.len && memcmp(ba.data, bb.data, ba.len) == 0);
    cmn_buf_cleanup(&ba);
    cmn_buf_cleanup(&bb);
    hx_result_free(a);
    hx_result_free(b);
}

static void
test_report_json_write_creates_file_and_names_path_on_error(void)
{
    struct hx_result *r = sample_result(0);
    char dir[] = "/tmp/test_report_json.XXXXXX", path[256];
    struct hx_error err = {.text = ""};
    char *text = NULL;
    struct cmn_buf b;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/report.json", dir);
    CU_ASSERT_EQUAL(hx_report_json_write(r, path, &err), 0);
    CU_ASSERT_EQUAL(cmn_read_file_trimmed(path, 64 << 20, &text), 0);
    cmn_buf_init(&b, 64 << 20);
    hx_report_json_render(r, &b);
    CU_ASSERT_TRUE(text != NULL && strlen(text) + 1 == b.len &&
                   memcmp(text, b.data, strlen(text)) == 0);
    free(text);
    cmn_buf_cleanup(&b);
    unlink(path);
    rmdir(dir);

    snprintf(path, sizeof path, "%s/missing/report.json", dir);
    CU_ASSERT_EQUAL(hx_report_json_write(r, path, &err), HX_E_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "missing/report.json"));
    hx_result_free(r);
}

static void
test_report_json_of_empty_run_has_empty_verdict(void)
{
    struct hx_result *r = hx_result_new(NULL, NULL, NULL);
    struct cmn_buf b;
    json_t *root = render_parsed(r, &b);

    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(json_object_get(root, "summary"), "verdict"), "empty");
    CU_ASSERT_EQUAL(json_array_size(json_object_get(root, "cases")), 0);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(root, "checklist")), 12);
    CU_ASSERT_TRUE(json_is_null(json_object_get(json_object_get(root, "run"), "target")));
    json_decref(root);
    cmn_buf_cleanup(&b);
    hx_result_free(r);
}

/* Random bytes in every text field still give strict UTF-8 JSON without
 * control characters. */
static void
test_report_json_stays_valid_for_random_bytes(void)
{
    unsigned long long seed = 0x9E3779B97F4A7C15ull;

    for (int round = 0; round < 200; round++) {
        struct hx_result *r = hx_result_new("t", "p", "id");
        struct hx_case *c = hx_result_add_case(r, "A", "a", "g", "f");
        struct hx_step_result *s = hx_case_add_step(c, "s", "request");
        hx_step_pass(s);
        struct hx_exchange *x = hx_step_add_exchange(s);
        char bytes[64];
        size_t n = (size_t)(round % 64);
        struct cmn_buf b;
        json_t *root;

        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            bytes[i] = (char)(seed >> 56);
        }
        x->response_body = malloc(n + 1);
        memcpy(x->response_body, bytes, n);
        x->response_body[n] = '\0';
        x->response_body_len = n;
        x->status = 200;
        bytes[n > 0 ? n - 1 : 0] = '\0';
        hx_step_set(s, HX_STATUS_FAIL, bytes, "%s", bytes);
        hx_case_finish(c);
        cmn_buf_init(&b, 1 << 20);
        CU_ASSERT_EQUAL_FATAL(hx_report_json_render(r, &b), 0);
        root = cmn_json_parse_strict(b.data, b.len, 64, NULL, 0);
        CU_ASSERT_PTR_NOT_NULL(root);
        CU_ASSERT_TRUE(cmn_text_is_utf8(b.data, b.len));
        for (size_t i = 0; i < b.len; i++)
            if ((unsigned char)b.data[i] < 0x20 && b.data[i] != '\n') {
                CU_FAIL("a raw control byte in report.json");
                break;
            }
        json_decref(root);
        cmn_buf_cleanup(&b);
        hx_result_free(r);
    }
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_report_json_is_strict_utf8_json_with_format_and_version),
        TU_TEST(test_report_json_holds_run_summary_and_counts),
        TU_TEST(test_report_json_lists_cases_sorted_by_id),
        TU_TEST(test_report_json_checklist_has_twelve_items_in_order_then_extras),
        TU_TEST(test_report_json_case_carries_status_reason_refs_and_evidence),
        TU_TEST(test_report_json_replaces_invalid_utf8_and_controls_in_hostile_body),
        TU_TEST(test_report_json_is_identical_whatever_the_order_cases_were_added),
        TU_TEST(test_report_json_write_creates_file_and_names_path_on_error),
        TU_TEST(test_report_json_of_empty_run_has_empty_verdict),
        TU_TEST(test_report_json_stays_valid_for_random_bytes),
        {NULL, NULL},
    };
    return tu_run_suite("report_json", tests);
}
