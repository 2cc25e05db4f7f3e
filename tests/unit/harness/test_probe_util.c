/* The probes' shared helpers that need no running target. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../../harness/src/probes/probe_int.h"
#include "hx/probes/diag.h"
#include "unit.h"

static const char *const util_colours[] = {"red", "blue", NULL};

static const struct hx_probe_arg util_args[] = {
    HX_ARG_STR("name"), HX_ARG_INT("count", 1, 5), HX_ARG_NUM("ratio"),
    HX_ARG_BOOL("on"),  HX_ARG_LIST("list"),       HX_ARG_LIST_OF("colours", util_colours),
    HX_ARG_END,
};

static int
util_check_args(const json_t *args, struct hx_error *err)
{
    if (hx__arg_int(args, "count", 1) > 3 && hx__arg_bool(args, "on", false)) {
        hx_error_set(err, NULL, 0, "args.count: at most 3 when on");
        return HX_E_PARSE;
    }
    return 0;
}

static const struct hx_probe_def util_def = {
    .name = "util", .summary = "", .args = util_args, .check_args = util_check_args};

static void
test_probe_validate_accepts_known_typed_arguments(void)
{
    json_t *ok = json_pack("{s:s,s:i,s:f,s:b,s:[s,s],s:[s]}", "name", "x", "count", 3, "ratio", 0.5,
                           "on", 1, "list", "a", "b", "colours", "blue");
    json_t *int_ratio = json_pack("{s:i}", "ratio", 2);
    struct hx_error err;

    CU_ASSERT_EQUAL(hx_probe_validate_args(&util_def, ok, &err), 0);
    CU_ASSERT_EQUAL(hx_probe_validate_args(&util_def, NULL, &err), 0);
    CU_ASSERT_EQUAL(hx_probe_validate_args(&util_def, int_ratio, &err),
                    0); /* integers are numbers */
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
    static const struct {
        const char *json, *message;
    } cases[] = {
        {"{\"list\": [\"a\", 1]}", "args.list: expected an array of strings"},
        {"{\"count\": 1.5}", "args.count: expected an integer"},
        {"{\"count\": 9}", "args.count: expected 1..5"},
        {"{\"colours\": [\"red\", \"green\"]}",
         "args.colours[1]: \"green\" is not one of the allowed values"},
        {"{\"nme\": \"x\"}", "args.nme: unknown argument of probe util"},
        {"{\"count\": 4, \"on\": true}", "args.count: at most 3 when on"},
        {"[1]", "args: expected an object"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *args = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
        struct hx_error err = {0};
        CU_ASSERT_NOT_EQUAL(hx_probe_validate_args(&util_def, args, &err), 0);
        CU_ASSERT_STRING_EQUAL(err.text, cases[i].message);
        json_decref(args);
    }
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
    hx__detail(NULL, &r, detail, sizeof(detail));
    CU_ASSERT_STRING_EQUAL(detail, "Token has expired");
    {
        /* a target whose API errors say it elsewhere: read there, not at $.detail */
        json_t *prof = json_pack("{s:{s:s}}", "errors", "message", "$.error.text");
        hx__detail(prof, &r, detail, sizeof(detail));
        CU_ASSERT_STRING_EQUAL(detail, "");
        hx_response_cleanup(&r);
        hx_response_init(&r, 1024);
        cmn_buf_adds(&r.body, "{\"error\":{\"text\":\"Token has expired\"}}");
        hx__detail(prof, &r, detail, sizeof(detail));
        CU_ASSERT_STRING_EQUAL(detail, "Token has expired");
        json_decref(prof);
    }
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
    hx__detail(NULL, &r, detail, sizeof(detail));
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
