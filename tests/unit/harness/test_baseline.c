#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/baseline.h"
#include "hx/report_json.h"
#include "hx/report_read.h"
#include "unit.h"

static void
add_case(struct hx_result *r, const char *id, enum hx_status status)
{
    struct hx_case *c = hx_result_add_case(r, id, id, "checklist", NULL);
    struct hx_step_result *s = hx_case_add_step(c, "step", "request");

    if (status == HX_STATUS_PASS)
        hx_step_pass(s);
    else
        hx_step_set(s, status, "t", "found");
    hx_case_finish(c);
}

/* Writes a report of cases A..E with the statuses given to a temporary
 * file; *path is where. */
static void
write_old(char *path, size_t size, const enum hx_status st[5])
{
    static const char *const ids[] = {"A", "B", "C", "D", "E"};
    struct hx_result *r = hx_result_new("http://t", "p", "old-run");
    static struct hx_waiver w = {.check = "E", .reason = "r", .owner = "o", .expires = "2027-01-01"};
    int fd;

    snprintf(path, size, "/tmp/test_baseline.XXXXXX");
    fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    for (size_t i = 0; i < 5; i++)
        add_case(r, ids[i], st[i] == HX_STATUS_WAIVED ? HX_STATUS_FAIL : st[i]);
    for (size_t i = 0; i < 5; i++)
        if (st[i] == HX_STATUS_WAIVED) {
            r->cases[i]->waived_status = r->cases[i]->status;
            r->cases[i]->status = HX_STATUS_WAIVED;
            r->cases[i]->waiver = &w;
        }
    CU_ASSERT_EQUAL(hx_report_json_write(r, path, NULL), 0);
    hx_result_free(r);
}

static void
test_baseline_marks_new_still_failing_and_fixed(void)
{
    /* then: A fail, B pass, C error, D fail, E waived; now: A fail, B fail,
     * C fail, D pass, E pass, F (new check) fail */
    const enum hx_status then[5] = {HX_STATUS_FAIL, HX_STATUS_PASS, HX_STATUS_ERROR,
                                    HX_STATUS_FAIL, HX_STATUS_WAIVED};
    struct hx_result *now = hx_result_new("http://t", "p", "new-run");
    struct hx_report_doc old;
    struct hx_error err = {0};
    char path[64];

    write_old(path, sizeof path, then);
    CU_ASSERT_EQUAL_FATAL(hx_report_doc_read(path, &old, &err), 0);
    add_case(now, "A", HX_STATUS_FAIL);
    add_case(now, "B", HX_STATUS_FAIL);
    add_case(now, "C", HX_STATUS_FAIL);
    add_case(now, "D", HX_STATUS_PASS);
    add_case(now, "E", HX_STATUS_PASS);
    add_case(now, "F", HX_STATUS_FAIL);
    CU_ASSERT_EQUAL(hx_baseline_apply(now, &old), 0);
    CU_ASSERT_EQUAL(now->cases[0]->baseline, HX_BASELINE_STILL_FAILING);
    CU_ASSERT_EQUAL(now->cases[1]->baseline, HX_BASELINE_NEW);
    CU_ASSERT_EQUAL(now->cases[2]->baseline, HX_BASELINE_STILL_FAILING);
    CU_ASSERT_EQUAL(now->cases[3]->baseline, HX_BASELINE_FIXED);
    CU_ASSERT_EQUAL(now->cases[4]->baseline, HX_BASELINE_FIXED); /* waived then: a failure */
    CU_ASSERT_EQUAL(now->cases[5]->baseline, HX_BASELINE_NEW);
    CU_ASSERT_STRING_EQUAL(now->baseline_run_id, "old-run");
    CU_ASSERT_STRING_EQUAL(now->baseline, path);
    /* B and F are new: the gate fails; without them it passes */
    CU_ASSERT_EQUAL(hx_result_exit_code(now, HX_SEV_INFO), HX_EXIT_FAILED);
    now->cases[1]->status = HX_STATUS_PASS;
    now->cases[5]->status = HX_STATUS_PASS;
    CU_ASSERT_EQUAL(hx_result_exit_code(now, HX_SEV_INFO), HX_EXIT_PASS);
    hx_report_doc_cleanup(&old);
    hx_result_free(now);
    unlink(path);
}

static void
test_baseline_report_json_carries_marks_and_reads_waived(void)
{
    const enum hx_status then[5] = {HX_STATUS_FAIL, HX_STATUS_PASS, HX_STATUS_PASS,
                                    HX_STATUS_PASS, HX_STATUS_WAIVED};
    struct hx_result *now = hx_result_new("http://t", "p", "new-run");
    struct hx_report_doc old;
    json_t *root, *base, *cases;
    char path[64];

    write_old(path, sizeof path, then);
    CU_ASSERT_EQUAL_FATAL(hx_report_doc_read(path, &old, NULL), 0);
    CU_ASSERT_EQUAL(old.cases[4].status, HX_STATUS_WAIVED);
    add_case(now, "A", HX_STATUS_PASS);
    add_case(now, "B", HX_STATUS_FAIL);
    CU_ASSERT_EQUAL(hx_baseline_apply(now, &old), 0);
    root = hx_report_json_build(now);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    base = json_object_get(root, "baseline");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(base, "run_id")), "old-run");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(base, "new"), 0)), "B");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(base, "fixed"), 0)),
                           "A");
    CU_ASSERT_EQUAL(json_array_size(json_object_get(base, "still_failing")), 0);
    cases = json_object_get(root, "cases");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(cases, 0), "baseline")),
                           "fixed");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(cases, 1), "baseline")),
                           "new");
    json_decref(root);
    hx_report_doc_cleanup(&old);
    hx_result_free(now);
    unlink(path);
}

static void
test_baseline_refuses_a_file_that_is_not_a_report(void)
{
    struct hx_report_doc old;
    struct hx_error err = {0};
    char path[64] = "/tmp/test_baseline.XXXXXX";
    int fd = mkstemp(path);

    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL(write(fd, "{\"format\":\"junit\"}", 18), 18);
    close(fd);
    CU_ASSERT_EQUAL(hx_report_doc_read(path, &old, &err), HX_E_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "format: expected \"authconform-report\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, path));
    hx_report_doc_cleanup(&old);
    unlink(path);
    CU_ASSERT_EQUAL(hx_report_doc_read("/nonexistent/old.json", &old, &err), HX_E_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "/nonexistent/old.json: cannot read"));
    hx_report_doc_cleanup(&old);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_baseline_marks_new_still_failing_and_fixed),
        TU_TEST(test_baseline_report_json_carries_marks_and_reads_waived),
        TU_TEST(test_baseline_refuses_a_file_that_is_not_a_report),
        {NULL, NULL},
    };
    return tu_run_suite("baseline", tests);
}
