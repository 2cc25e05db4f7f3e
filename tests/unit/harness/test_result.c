#include <string.h>

#include "hx/result.h"
#include "unit.h"

static void
test_result_case_status_is_worst_step(void)
{
    struct hx_result *r = hx_result_new("http://127.0.0.1:1", "quickstart", "run1");
    struct hx_case *c = hx_result_add_case(r, "QS-X-001", "title", "quickstart", "f.json");
    struct hx_step_result *s;

    s = hx_case_add_step(c, "one", "request");
    hx_step_pass(s);
    s->seconds = 0.25;
    s = hx_case_add_step(c, "two", "request");
    hx_step_set(s, HX_STATUS_FAIL, "expect.status", "expected %d, got %d", 201, 200);
    s->seconds = 0.5;
    hx_case_finish(c);
    CU_ASSERT_EQUAL(c->status, HX_STATUS_FAIL);
    CU_ASSERT_STRING_EQUAL(c->message, "expected 201, got 200");
    CU_ASSERT_STRING_EQUAL(c->failure_type, "expect.status");
    CU_ASSERT_DOUBLE_EQUAL(c->seconds, 0.75, 1e-9);

    /* A verdict against the target outranks a check that could not run. */
    s = hx_case_add_step(c, "three", "probe:x");
    hx_step_set(s, HX_STATUS_ERROR, "transport.refused", "connection refused");
    hx_case_finish(c);
    CU_ASSERT_EQUAL(c->status, HX_STATUS_FAIL);
    CU_ASSERT_STRING_EQUAL(c->failure_type, "expect.status");
    hx_result_free(r);
}

static void
test_result_case_without_steps_stays_skipped_with_reason(void)
{
    struct hx_result *r = hx_result_new("t", "p", "id");
    struct hx_case *c = hx_result_add_case(r, "CL-1", "t", "checklist", "f");
    struct hx_counts n;

    hx_case_skip(c, "needs %s", "--secret-file");
    hx_case_finish(c);
    CU_ASSERT_EQUAL(c->status, HX_STATUS_SKIP);
    CU_ASSERT_STRING_EQUAL(c->message, "needs --secret-file");
    hx_result_count(r, &n);
    CU_ASSERT_EQUAL(n.total, 1);
    CU_ASSERT_EQUAL(n.skipped, 1);
    hx_result_free(r);
}

static void
test_result_case_pointers_survive_many_adds(void)
{
    struct hx_result *r = hx_result_new("t", "p", "id");
    struct hx_case *first = hx_result_add_case(r, "A", "a", "g1", "f");
    struct hx_counts n;

    for (int i = 0; i < 100; i++) {
        struct hx_case *c = hx_result_add_case(r, "B", "b", i % 2 ? "g1" : "g2", "f");
        hx_step_pass(hx_case_add_step(c, "s", "request"));
        hx_case_finish(c);
    }
    CU_ASSERT_PTR_EQUAL(r->cases[0], first);
    CU_ASSERT_STRING_EQUAL(first->id, "A");
    hx_result_count_group(r, "g1", &n);
    CU_ASSERT_EQUAL(n.total, 51);
    CU_ASSERT_EQUAL(n.passed, 50);
    CU_ASSERT_EQUAL(n.skipped, 1);
    hx_result_free(r);
}

static void
test_result_notes_accumulate_as_lines(void)
{
    struct hx_result *r = hx_result_new("t", "p", "id");
    struct hx_case *c = hx_result_add_case(r, "A", "a", "g", "f");
    struct hx_step_result *s = hx_case_add_step(c, "s", "probe:timing");
    hx_step_pass(s);
    struct hx_exchange *x;

    hx_step_add_note(s, "samples: %d", 40);
    hx_step_add_note(s, "median: %.1f ms", 12.5);
    CU_ASSERT_STRING_EQUAL(s->notes, "samples: 40\nmedian: 12.5 ms");
    x = hx_step_add_exchange(s);
    x->method = strdup("GET");
    CU_ASSERT_EQUAL(s->n_exchanges, 1);
    hx_result_free(r);
}

static void
test_result_case_diagnosis_comes_from_a_step_note(void)
{
    struct hx_result *r = hx_result_new("t", "p", "id");
    struct hx_case *c = hx_result_add_case(r, "A", "a", "g", "f");
    struct hx_step_result *s = hx_case_add_step(c, "s", "probe:hs256");
    hx_step_pass(s);

    hx_step_add_note(s, "calibration: genuine token refused (401)");
    hx_step_add_note(s, "diagnosis: the token does not verify with the given secret");
    hx_step_add_note(s, "diagnosis: a second cause");
    hx_step_set(s, HX_STATUS_SKIP, "probe.calibration", "cannot decide");
    hx_case_finish(c);
    CU_ASSERT_STRING_EQUAL(c->diagnosis, "the token does not verify with the given secret");

    c = hx_result_add_case(r, "B", "b", "g", "f");
    s = hx_case_add_step(c, "s", "request");
    hx_step_pass(s);
    hx_step_add_note(s, "nothing to diagnose; diagnosis: not at the start");
    hx_case_finish(c);
    CU_ASSERT_PTR_NULL(c->diagnosis);
    hx_result_free(r);
}

static void
test_result_step_without_a_verdict_is_an_error_not_a_pass(void)
{
    struct hx_result *r = hx_result_new("t", "p", "id");
    struct hx_case *c = hx_result_add_case(r, "A", "a", "g", "f");
    struct hx_step_result *s = hx_case_add_step(c, "s", "probe:x");

    CU_ASSERT_EQUAL(s->status, HX_STATUS_ERROR);
    hx_step_add_note(s, "sent 3 requests"); /* notes are no verdict */
    hx_case_finish(c);
    CU_ASSERT_EQUAL(c->status, HX_STATUS_ERROR);
    CU_ASSERT_STRING_EQUAL(c->message, "the check gave no verdict");
    CU_ASSERT_STRING_EQUAL(c->failure_type, "harness.no-verdict");

    c = hx_result_add_case(r, "B", "b", "g", "f");
    s = hx_case_add_step(c, "s", "probe:x");
    hx_step_pass(s);
    s = hx_case_add_step(c, "t", "probe:x");
    hx_case_finish(c);
    CU_ASSERT_EQUAL(c->status, HX_STATUS_ERROR); /* one decided step is not enough */

    c = hx_result_add_case(r, "C", "c", "g", "f");
    s = hx_case_add_step(c, "s", "probe:x");
    hx_step_set(s, HX_STATUS_FAIL, "t", "bad");
    hx_step_pass(s);
    hx_case_finish(c);
    CU_ASSERT_EQUAL(c->status, HX_STATUS_PASS);
    CU_ASSERT_PTR_NULL(c->message);
    hx_result_free(r);
}

static void
test_result_warning_that_does_not_hold_is_warn_never_a_failure(void)
{
    struct hx_result *r = hx_result_new("t", "p", "id");
    struct hx_case *c = hx_result_add_case(r, "W", "w", "g", "f");
    struct hx_counts n;
    struct hx_step_result *s;

    c->severity = HX_SEV_WARNING;
    s = hx_case_add_step(c, "s", "probe:x");
    hx_step_set(s, HX_STATUS_FAIL, "probe.x", "a signed token with a claim twice was accepted");
    hx_case_finish(c);
    CU_ASSERT_EQUAL(c->status, HX_STATUS_WARN);
    CU_ASSERT_STRING_EQUAL(hx_status_name(c->status), "warn");
    hx_result_count(r, &n);
    CU_ASSERT_EQUAL(n.warnings, 1);
    CU_ASSERT_EQUAL(n.failed, 0);
    CU_ASSERT_EQUAL(hx_result_exit_code(r, HX_SEV_INFO), HX_EXIT_PASS);
    CU_ASSERT_EQUAL(hx_result_exit_code(r, HX_SEV_WARNING), HX_EXIT_FAILED);

    c = hx_result_add_case(r, "F", "f", "g", "f");
    c->severity = HX_SEV_LOW;
    hx_step_set(hx_case_add_step(c, "s", "probe:x"), HX_STATUS_FAIL, "t", "bad");
    hx_case_finish(c);
    CU_ASSERT_EQUAL(c->status, HX_STATUS_FAIL);
    CU_ASSERT_EQUAL(hx_result_exit_code(r, HX_SEV_INFO), HX_EXIT_FAILED);
    CU_ASSERT_EQUAL(hx_result_exit_code(r, HX_SEV_MEDIUM), HX_EXIT_PASS);
    hx_result_free(r);
}

static void
test_result_severity_names_round_trip(void)
{
    enum hx_severity sev;
    CU_ASSERT(hx_severity_parse("HIGH", &sev) == 0);
    CU_ASSERT_EQUAL(sev, HX_SEV_HIGH);
    CU_ASSERT_STRING_EQUAL(hx_severity_name(HX_SEV_CRITICAL), "critical");
    CU_ASSERT(hx_severity_parse("urgent", &sev) != 0);
    CU_ASSERT(hx_severity_parse("warning", &sev) == 0);
    CU_ASSERT_EQUAL(sev, HX_SEV_WARNING);
    CU_ASSERT_STRING_EQUAL(hx_severity_name(HX_SEV_WARNING), "warning");
    CU_ASSERT_STRING_EQUAL(hx_status_name(HX_STATUS_SKIP), "skip");
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_result_case_status_is_worst_step),
        TU_TEST(test_result_case_without_steps_stays_skipped_with_reason),
        TU_TEST(test_result_case_pointers_survive_many_adds),
        TU_TEST(test_result_notes_accumulate_as_lines),
        TU_TEST(test_result_case_diagnosis_comes_from_a_step_note),
        TU_TEST(test_result_step_without_a_verdict_is_an_error_not_a_pass),
        TU_TEST(test_result_warning_that_does_not_hold_is_warn_never_a_failure),
        TU_TEST(test_result_severity_names_round_trip),
        {NULL, NULL},
    };
    return tu_run_suite("result", tests);
}
