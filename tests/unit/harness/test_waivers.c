#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/waivers.h"
#include "unit.h"

/* Parses text as a waivers file named "w.json"; on failure err holds why. */
static int
parse(const char *text, struct hx_waiver **out, size_t *n, struct hx_error *err)
{
    memset(err, 0, sizeof *err);
    return hx_waivers_parse(text, strlen(text), "w.json", out, n, err);
}

static void
expect_refused(const char *text, const char *error_part)
{
    struct hx_waiver *w = NULL;
    size_t n = 0;
    struct hx_error err;

    CU_ASSERT_EQUAL(parse(text, &w, &n, &err), HX_E_PARSE);
    CU_ASSERT_PTR_NULL(w);
    if (strstr(err.text, error_part) == NULL)
        fprintf(stderr, "\n  expected \"%s\" in \"%s\"\n", error_part, err.text);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, error_part));
}

#define W(fields) "{\"version\":1,\"waivers\":[" fields "]}"
#define GOOD "{\"check\":\"SEC-CSP-*\",\"reason\":\"CSP rollout in Q1\",\"owner\":\"web team\",\"expires\":\"2027-01-31\"}"

static void
test_waivers_parse_reads_every_field(void)
{
    struct hx_waiver *w = NULL;
    size_t n = 0;
    struct hx_error err;

    CU_ASSERT_EQUAL_FATAL(
        parse(W(GOOD ",{\"check\":\"QS-PUBLIC-001\",\"target\":\"https://staging.example.com\","
                     "\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2024-02-29\"}"),
              &w, &n, &err),
        0);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_STRING_EQUAL(w[0].check, "SEC-CSP-*");
    CU_ASSERT_PTR_NULL(w[0].target);
    CU_ASSERT_STRING_EQUAL(w[0].reason, "CSP rollout in Q1");
    CU_ASSERT_STRING_EQUAL(w[0].owner, "web team");
    CU_ASSERT_STRING_EQUAL(w[0].expires, "2027-01-31");
    CU_ASSERT_EQUAL(w[0].state, HX_WAIVER_UNUSED);
    CU_ASSERT_STRING_EQUAL(w[1].target, "https://staging.example.com");
    hx_waivers_free(w, n);
}

static void
test_waivers_parse_names_file_index_and_field_of_each_mistake(void)
{
    expect_refused("[]", "w.json: expected an object");
    expect_refused("{\"waivers\":3}", "w.json: waivers: expected an array");
    expect_refused("{\"version\":2,\"waivers\":[]}", "w.json: version: expected 1");
    expect_refused("{\"waiver\":[]}", "w.json: waiver: unknown member");
    expect_refused("{", "w.json: not JSON");
    expect_refused(W(GOOD ",3"), "w.json: waivers[1]: expected an object");
    expect_refused(W(GOOD ",{\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2027-01-01\"}"),
                   "w.json: waivers[1].check: missing");
    expect_refused(W("{\"check\":\"\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2027-01-01\"}"),
                   "w.json: waivers[0].check: expected a non-empty string");
    expect_refused(W("{\"check\":\"A\",\"owner\":\"o\",\"expires\":\"2027-01-01\"}"),
                   "w.json: waivers[0].reason: missing");
    expect_refused(W("{\"check\":\"A\",\"reason\":\"r\",\"expires\":\"2027-01-01\"}"),
                   "w.json: waivers[0].owner: missing");
    expect_refused(W("{\"check\":\"A\",\"reason\":\"r\",\"owner\":\"o\"}"),
                   "w.json: waivers[0].expires: missing");
    expect_refused(W("{\"check\":\"A\",\"reason\":\"r\",\"owner\":7,\"expires\":\"2027-01-01\"}"),
                   "w.json: waivers[0].owner: expected a non-empty string");
    expect_refused(W("{\"check\":\"A\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2027-02-29\"}"),
                   "w.json: waivers[0].expires: expected a date YYYY-MM-DD, got \"2027-02-29\"");
    expect_refused(W("{\"check\":\"A\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"31/01/2027\"}"),
                   "w.json: waivers[0].expires: expected a date");
    expect_refused(W("{\"check\":\"A\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2027-13-01\"}"),
                   "w.json: waivers[0].expires: expected a date");
    expect_refused(W("{\"check\":\"A\",\"target\":\"staging\",\"reason\":\"r\",\"owner\":\"o\","
                     "\"expires\":\"2027-01-01\"}"),
                   "w.json: waivers[0].target: expected an http:// or https:// URL");
    expect_refused(W("{\"check\":\"A\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2027-01-01\","
                     "\"until\":\"x\"}"),
                   "w.json: waivers[0].until: unknown member");
}

static void
test_waivers_load_names_a_missing_file(void)
{
    struct hx_waiver *w = NULL;
    size_t n = 0;
    struct hx_error err = {0};

    CU_ASSERT_EQUAL(hx_waivers_load("/nonexistent/waivers.json", &w, &n, &err), HX_E_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "/nonexistent/waivers.json: cannot read"));
}

static void
test_waiver_matches_globs_and_target_prefixes(void)
{
    struct hx_waiver w = {.check = "SEC-CORS-*"};

    CU_ASSERT_TRUE(hx_waiver_matches(&w, "SEC-CORS-001", "http://a"));
    CU_ASSERT_TRUE(hx_waiver_matches(&w, "SEC-CORS-001", NULL));
    CU_ASSERT_FALSE(hx_waiver_matches(&w, "SEC-CSP-001", "http://a"));
    CU_ASSERT_FALSE(hx_waiver_matches(&w, "sec-cors-001", "http://a")); /* ids are exact */
    w.check = "QS-SIGNIN-00[12]";
    CU_ASSERT_TRUE(hx_waiver_matches(&w, "QS-SIGNIN-002", NULL));
    CU_ASSERT_FALSE(hx_waiver_matches(&w, "QS-SIGNIN-003", NULL));
    w.check = "QS-PUBLIC-001";
    CU_ASSERT_FALSE(hx_waiver_matches(&w, "QS-PUBLIC-0012", NULL));
    w.target = "https://staging.example.com/";
    CU_ASSERT_TRUE(hx_waiver_matches(&w, "QS-PUBLIC-001", "https://staging.example.com"));
    CU_ASSERT_TRUE(hx_waiver_matches(&w, "QS-PUBLIC-001", "https://STAGING.example.com/api"));
    CU_ASSERT_FALSE(hx_waiver_matches(&w, "QS-PUBLIC-001", "https://staging.example.com.evil"));
    CU_ASSERT_FALSE(hx_waiver_matches(&w, "QS-PUBLIC-001", "https://prod.example.com"));
    CU_ASSERT_FALSE(hx_waiver_matches(&w, "QS-PUBLIC-001", NULL));
}

static void
test_waivers_expire_before_the_day_not_on_it(void)
{
    struct hx_waiver w[3] = {{.expires = "2026-12-04"}, {.expires = "2026-12-05"},
                             {.expires = "2027-01-01"}};
    char day[11];

    hx_waivers_day(1764892800 + 86400 * 365, day); /* 2026-12-05T00:00:00Z */
    CU_ASSERT_STRING_EQUAL(day, "2026-12-05");
    hx_waivers_expire(w, 3, day);
    CU_ASSERT_EQUAL(w[0].state, HX_WAIVER_EXPIRED);
    CU_ASSERT_EQUAL(w[1].state, HX_WAIVER_UNUSED);
    CU_ASSERT_EQUAL(w[2].state, HX_WAIVER_UNUSED);
}

static struct hx_case *
add_case(struct hx_result *r, const char *id, enum hx_status status)
{
    struct hx_case *c = hx_result_add_case(r, id, id, "checklist", NULL);
    struct hx_step_result *s = hx_case_add_step(c, "step", "request");

    if (status == HX_STATUS_PASS)
        hx_step_pass(s);
    else
        hx_step_set(s, status, "t", "what the check found");
    hx_case_finish(c);
    return c;
}

/* A result with a failing, an erroring and a passing case, and the waivers
 * of text, the day 2026-12-05. */
static struct hx_result *
result_with(const char *text)
{
    struct hx_result *r = hx_result_new("http://127.0.0.1:8000", "p", "id");
    struct hx_error err;

    add_case(r, "SEC-CSP-001", HX_STATUS_FAIL);
    add_case(r, "QS-PUBLIC-001", HX_STATUS_ERROR);
    add_case(r, "QS-SIGNIN-001", HX_STATUS_PASS);
    CU_ASSERT_EQUAL(parse(text, &r->waivers, &r->n_waivers, &err), 0);
    hx_waivers_expire(r->waivers, r->n_waivers, "2026-12-05");
    return r;
}

static void
test_waivers_settle_waives_failures_and_keeps_what_they_found(void)
{
    struct hx_result *r = result_with(
        W(GOOD ",{\"check\":\"QS-*\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2026-12-05\"}"));
    struct hx_counts n;

    CU_ASSERT_EQUAL(hx_result_exit_code(r, HX_SEV_INFO), HX_EXIT_FAILED); /* nothing settled */
    CU_ASSERT_EQUAL(hx_waivers_settle(r), 0);
    CU_ASSERT_EQUAL(hx_waivers_settle(r), 0); /* twice is once */
    CU_ASSERT_EQUAL(r->cases[0]->status, HX_STATUS_WAIVED);
    CU_ASSERT_EQUAL(r->cases[0]->waived_status, HX_STATUS_FAIL);
    CU_ASSERT_PTR_EQUAL(r->cases[0]->waiver, &r->waivers[0]);
    CU_ASSERT_STRING_EQUAL(r->cases[0]->message, "what the check found");
    CU_ASSERT_EQUAL(r->cases[1]->status, HX_STATUS_WAIVED);
    CU_ASSERT_EQUAL(r->cases[1]->waived_status, HX_STATUS_ERROR);
    CU_ASSERT_PTR_EQUAL(r->cases[1]->waiver, &r->waivers[1]);
    CU_ASSERT_EQUAL(r->cases[2]->status, HX_STATUS_PASS); /* a pass stays a pass */
    CU_ASSERT_EQUAL(r->waivers[0].state, HX_WAIVER_APPLIED);
    CU_ASSERT_EQUAL(r->waivers[1].state, HX_WAIVER_APPLIED);
    CU_ASSERT_EQUAL_FATAL(r->waivers[1].n_cases, 2);
    CU_ASSERT_STRING_EQUAL(r->waivers[1].cases[0], "QS-PUBLIC-001");
    CU_ASSERT_STRING_EQUAL(r->waivers[1].cases[1], "QS-SIGNIN-001");
    hx_result_count(r, &n);
    CU_ASSERT_EQUAL(n.waived, 2);
    CU_ASSERT_EQUAL(n.failed, 0);
    CU_ASSERT_EQUAL(hx_result_exit_code(r, HX_SEV_INFO), HX_EXIT_PASS);
    hx_result_free(r);
}

static void
test_waivers_expired_waiver_waives_nothing_and_fails_the_gate(void)
{
    struct hx_result *r = result_with(
        W("{\"check\":\"SEC-CSP-001\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2026-12-04\"},"
          "{\"check\":\"QS-PUBLIC-001\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2027-01-01\"}"));

    CU_ASSERT_EQUAL(hx_waivers_settle(r), 0);
    CU_ASSERT_EQUAL(r->waivers[0].state, HX_WAIVER_EXPIRED);
    CU_ASSERT_EQUAL(r->waivers[0].n_cases, 1);
    CU_ASSERT_EQUAL(r->cases[0]->status, HX_STATUS_FAIL);
    CU_ASSERT_EQUAL(r->cases[1]->status, HX_STATUS_WAIVED);
    /* the fail stays: exit 1; with the case passing, the expired waiver alone fails it */
    CU_ASSERT_EQUAL(hx_result_exit_code(r, HX_SEV_INFO), HX_EXIT_FAILED);
    r->cases[0]->status = HX_STATUS_PASS;
    CU_ASSERT_EQUAL(hx_result_exit_code(r, HX_SEV_INFO), HX_EXIT_FAILED);
    r->waivers[0].state = HX_WAIVER_UNNEEDED;
    CU_ASSERT_EQUAL(hx_result_exit_code(r, HX_SEV_INFO), HX_EXIT_PASS);
    hx_result_free(r);
}

static void
test_waivers_unused_waiver_fails_the_gate_and_unneeded_does_not(void)
{
    struct hx_result *r = result_with(
        W(GOOD ",{\"check\":\"QS-PUBLIC-001\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2027-01-01\"},"
          "{\"check\":\"QS-SIGNIN-*\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2027-01-01\"},"
          "{\"check\":\"SEC-CORS-*\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2027-01-01\"}"));

    CU_ASSERT_EQUAL(hx_waivers_settle(r), 0);
    CU_ASSERT_EQUAL(r->waivers[2].state, HX_WAIVER_UNNEEDED);
    CU_ASSERT_EQUAL(r->waivers[3].state, HX_WAIVER_UNUSED);
    CU_ASSERT_EQUAL(r->waivers[3].n_cases, 0);
    CU_ASSERT_EQUAL(hx_result_exit_code(r, HX_SEV_INFO), HX_EXIT_FAILED);
    hx_waiver_cleanup(&r->waivers[3]);
    r->n_waivers = 3;
    CU_ASSERT_EQUAL(hx_result_exit_code(r, HX_SEV_INFO), HX_EXIT_PASS);
    hx_result_free(r);
}

static void
test_waivers_target_limits_a_waiver_to_its_target(void)
{
    struct hx_result *r = result_with(
        W("{\"check\":\"SEC-CSP-001\",\"target\":\"http://127.0.0.1:9000\",\"reason\":\"r\","
          "\"owner\":\"o\",\"expires\":\"2027-01-01\"},"
          "{\"check\":\"QS-*\",\"target\":\"http://127.0.0.1:8000/\",\"reason\":\"r\","
          "\"owner\":\"o\",\"expires\":\"2027-01-01\"}"));

    CU_ASSERT_EQUAL(hx_waivers_settle(r), 0);
    CU_ASSERT_EQUAL(r->cases[0]->status, HX_STATUS_FAIL);
    CU_ASSERT_EQUAL(r->waivers[0].state, HX_WAIVER_UNUSED);
    CU_ASSERT_EQUAL(r->cases[1]->status, HX_STATUS_WAIVED);
    CU_ASSERT_EQUAL(r->waivers[1].state, HX_WAIVER_APPLIED);
    hx_result_free(r);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_waivers_parse_reads_every_field),
        TU_TEST(test_waivers_parse_names_file_index_and_field_of_each_mistake),
        TU_TEST(test_waivers_load_names_a_missing_file),
        TU_TEST(test_waiver_matches_globs_and_target_prefixes),
        TU_TEST(test_waivers_expire_before_the_day_not_on_it),
        TU_TEST(test_waivers_settle_waives_failures_and_keeps_what_they_found),
        TU_TEST(test_waivers_expired_waiver_waives_nothing_and_fails_the_gate),
        TU_TEST(test_waivers_unused_waiver_fails_the_gate_and_unneeded_does_not),
        TU_TEST(test_waivers_target_limits_a_waiver_to_its_target),
        {NULL, NULL},
    };
    return tu_run_suite("waivers", tests);
}
