/* The probes' shared helpers that need no running target. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../../harness/src/probes/probe_int.h"
#include "hx/probes/diag.h"
#include "unit.h"

static void
test_probe_validate_accepts_known_typed_arguments(void)
{
    static const struct hx__arg_spec spec[] = {{"name", 's'}, {"count", 'i'}, {"ratio", 'n'},
                                               {"on", 'b'},   {"list", 'a'},  {NULL, 0}};
    json_t *ok = json_pack("{s:s,s:i,s:f,s:b,s:[s,s]}", "name", "x", "count", 3, "ratio", 0.5, "on",
                           1, "list", "a", "b");
    json_t *int_ratio = json_pack("{s:i}", "ratio", 2);
    struct hx_error err;

    CU_ASSERT_EQUAL(hx__probe_validate(ok, spec, &err), 0);
    CU_ASSERT_EQUAL(hx__probe_validate(NULL, spec, &err), 0);
    CU_ASSERT_EQUAL(hx__probe_validate(int_ratio, spec, &err), 0); /* integers are numbers */
    CU_ASSERT_STRING_EQUAL(hx__arg_str(ok, "name", "d"), "x");
    CU_ASSERT_STRING_EQUAL(hx__arg_str(ok, "missing", "d"), "d");
    CU_ASSERT_EQUAL(hx__arg_int(ok, "count", 7), 3);
    CU_ASSERT_EQUAL(hx__arg_int(ok, "name", 7), 7);
    CU_ASSERT_DOUBLE_EQUAL(hx__arg_num(ok, "ratio", 1), 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(hx__arg_num(int_ratio, "ratio", 1), 2.0, 1e-12);
    CU_ASSERT_TRUE(hx__arg_bool(ok, "on", false));
    CU_ASSERT_FALSE(hx__arg_bool(NULL, "on", false));
    json_decref(ok);
    json_decref(int_ratio);
}

static void
test_probe_validate_names_the_field_at_fault(void)
{
    static const struct hx__arg_spec spec[] = {{"list", 'a'}, {"count", 'i'}, {NULL, 0}};
    json_t *bad_list = json_pack("{s:[s,i]}", "list", "a", 1);
    json_t *bad_count = json_pack("{s:f}", "count", 1.5);
    struct hx_error err;

    CU_ASSERT_NOT_EQUAL(hx__probe_validate(bad_list, spec, &err), 0);
    CU_ASSERT_STRING_EQUAL(err.text, "args.list: expected an array of strings");
    CU_ASSERT_NOT_EQUAL(hx__probe_validate(bad_count, spec, &err), 0);
    CU_ASSERT_STRING_EQUAL(err.text, "args.count: expected an integer");
    json_decref(bad_list);
    json_decref(bad_count);
}

static void
test_probe_detail_skew_and_broken_answers(void)
{
    struct hx_response r;
    struct hx_result *res = hx_result_new("t", "p", "id");
    struct hx_case *c = hx_result_add_case(res, "SEC-X-001", "x", "checklist", "f");
    struct hx_step_result *s = hx_case_add_step(c, "probe", "probe:x");
    char detail[64], date[64];
    time_t later = time(NULL) + 3600;
    struct tm tm;

    hx_response_init(&r, 1024);
    cmn_buf_adds(&r.body, "{\"detail\":\"Token has expired\"}");
    hx__detail(&r, detail, sizeof(detail));
    CU_ASSERT_STRING_EQUAL(detail, "Token has expired");
    r.status = 503;
    CU_ASSERT_TRUE(hx__error_if_broken(s, 0, &r, "x"));
    CU_ASSERT_EQUAL(s->status, HX_STATUS_ERROR);
    r.status = 429;
    CU_ASSERT_FALSE(hx__error_if_broken(s, 0, &r, "x"));
    CU_ASSERT_TRUE(hx__skip_if_limited(s, &r, "x"));
    CU_ASSERT_EQUAL(s->status, HX_STATUS_SKIP);
    CU_ASSERT_PTR_NOT_NULL(strstr(s->message, "rate limited"));
    /* no Date header: no skew */
    CU_ASSERT_EQUAL(hx__clock_skew(&r), 0);
    hx_response_cleanup(&r);

    hx_response_init(&r, 1024);
    gmtime_r(&later, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    r.headers = calloc(1, sizeof(*r.headers));
    r.headers[0].name = strdup("Date");
    r.headers[0].value = strdup(date);
    r.n_headers = 1;
    CU_ASSERT(llabs(hx__clock_skew(&r) - 3600) <= 2);
    cmn_buf_adds(&r.body, "not json");
    hx__detail(&r, detail, sizeof(detail));
    CU_ASSERT_STRING_EQUAL(detail, "");
    hx_response_cleanup(&r);
    hx_result_free(res);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_probe_validate_accepts_known_typed_arguments),
        TU_TEST(test_probe_validate_names_the_field_at_fault),
        TU_TEST(test_probe_detail_skew_and_broken_answers),
        {NULL, NULL},
    };
    return tu_run_suite("probe_util", tests);
}
