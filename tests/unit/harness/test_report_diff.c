#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../integration/reports/report_sample.h"
#include "hx/report_diff.h"
#include "hx/report_json.h"
#include "unit.h"

/* A scratch directory per test program, removed at the end of each test. */
struct scratch {
    char dir[64];
    char old_path[128], new_path[128], other_path[128];
};

static void
scratch_init(struct scratch *s)
{
    snprintf(s->dir, sizeof s->dir, "/tmp/test_report_diff.XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(s->dir));
    snprintf(s->old_path, sizeof s->old_path, "%s/old.json", s->dir);
    snprintf(s->new_path, sizeof s->new_path, "%s/new.json", s->dir);
    snprintf(s->other_path, sizeof s->other_path, "%s/other.json", s->dir);
}

static void
scratch_cleanup(struct scratch *s)
{
    unlink(s->old_path);
    unlink(s->new_path);
    unlink(s->other_path);
    rmdir(s->dir);
}

static void
write_variant(const char *path, int variant)
{
    struct hx_result *r = sample_result(variant);
    CU_ASSERT_EQUAL(hx_report_json_write(r, path, NULL), 0);
    hx_result_free(r);
}

static void
write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

/* Runs the diff into a string. Returns new. */
static char *
diff_text(const char *a, const char *b, unsigned flags, int *rc, struct hx_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    *rc = hx_diff_run(a, b, flags, out, err);
    fclose(out);
    return text;
}

static void
test_report_diff_reports_new_failures_fixes_and_new_skips(void)
{
    struct scratch s;
    char *out;
    int rc;

    scratch_init(&s);
    write_variant(s.old_path, 0);
    write_variant(s.new_path, 1);
    out = diff_text(s.old_path, s.new_path, 0, &rc, NULL);
    CU_ASSERT_EQUAL(rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nNew failures (1):\n  ✗ QS-SIGNUP-001  pass -> fail  "
                                       "Signup returns 201 with a token\n      expected status "
                                       "201, got 500\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nFixed (1):\n  ✓ SEC-HS256-001  fail -> pass"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nNewly skipped (1):\n  – SEC-CSP-001  pass -> skip"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "      --safe skips it\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nStill failing (2):\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nNew checks (1):\n  ✓ SEC-RACE-001  (absent) -> pass"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "(run run-0001, 2026-11-25T09:46:40Z)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "1 new failures, 2 still failing, 1 fixed, 0 newly "
                                       "waived, 1 newly skipped, 0 now run, 1 new checks, 0 removed\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "REGRESSED: 1 check got worse\n"));
    free(out);

    /* Backwards: what was fixed is a regression, the new check is removed. */
    out = diff_text(s.new_path, s.old_path, 0, &rc, NULL);
    CU_ASSERT_EQUAL(rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nNew failures (1):\n  ✗ SEC-HS256-001  pass -> fail"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nNow run (skipped before) (1):\n  ✓ SEC-CSP-001"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nRemoved checks (1):\n  ✓ SEC-RACE-001  pass -> "
                                       "(absent)"));
    free(out);
    scratch_cleanup(&s);
}

static void
test_report_diff_of_a_run_with_itself_finds_no_regression(void)
{
    struct scratch s;
    char *out;
    int rc;

    scratch_init(&s);
    write_variant(s.old_path, 0);
    out = diff_text(s.old_path, s.old_path, HX_DIFF_STRICT, &rc, NULL);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "No regression.\n"));
    CU_ASSERT_PTR_NULL(strstr(out, "New failures"));
    free(out);
    scratch_cleanup(&s);
}

static void
test_report_diff_strict_counts_checks_that_stopped_running(void)
{
    struct scratch s;
    char *out;
    int rc;

    scratch_init(&s);
    write_variant(s.old_path, 0);
    write_variant(s.new_path, 1);
    /* New failure QS-SIGNUP-001 and newly skipped SEC-CSP-001. */
    out = diff_text(s.old_path, s.new_path, HX_DIFF_STRICT, &rc, NULL);
    CU_ASSERT_EQUAL(rc, 2);
    free(out);
    /* Backwards: SEC-HS256-001 fails again and SEC-RACE-001 disappeared. */
    out = diff_text(s.new_path, s.old_path, HX_DIFF_STRICT, &rc, NULL);
    CU_ASSERT_EQUAL(rc, 2);
    free(out);
    scratch_cleanup(&s);
}

static void
test_report_diff_counts_a_new_failing_check_as_regression(void)
{
    struct scratch s;
    char *out;
    int rc;

    scratch_init(&s);
    write_text(s.old_path, "{\"format\":\"authconform-report\",\"version\":1,\"cases\":[]}");
    write_text(s.new_path, "{\"format\":\"authconform-report\",\"version\":1,\"cases\":["
                           "{\"id\":\"QS-X-001\",\"status\":\"error\",\"message\":"
                           "\"refused \\u001b[2J\\u202eevil\"},"
                           "{\"id\":\"QS-X-001\",\"status\":\"pass\"}]}");
    out = diff_text(s.old_path, s.new_path, 0, &rc, NULL);
    CU_ASSERT_EQUAL(rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "! QS-X-001  (absent) -> error"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nNew checks (1):\n"));
    /* No escape sequence or bidi override reaches the terminal. */
    CU_ASSERT_PTR_NULL(strchr(out, 0x1b));
    CU_ASSERT_PTR_NULL(strstr(out, "\xe2\x80\xae"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "refused \xEF\xBF\xBD[2J\xEF\xBF\xBD"
                                       "evil"));
    free(out);
    scratch_cleanup(&s);
}

static void
test_report_diff_names_file_and_field_of_a_bad_report(void)
{
    struct scratch s;
    struct hx_error err = {.text = ""};
    char *out;
    int rc;

    scratch_init(&s);
    write_variant(s.old_path, 0);

    write_text(s.new_path, "{\"format\":\"authconform-report\",\"version\":1,\"cases\":"
                           "[{\"id\":\"A\",\"status\":\"passed\"}]}");
    out = diff_text(s.old_path, s.new_path, 0, &rc, &err);
    CU_ASSERT_EQUAL(rc, HX_E_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "new.json: cases[0].status: expected one of"));
    free(out);

    write_text(s.new_path, "{\"format\":\"authconform-report\",\"version\":2,\"cases\":[]}");
    out = diff_text(s.old_path, s.new_path, 0, &rc, &err);
    CU_ASSERT_EQUAL(rc, HX_E_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "version: 2 is newer"));
    free(out);

    write_text(s.new_path, "<testsuites/>");
    out = diff_text(s.old_path, s.new_path, 0, &rc, &err);
    CU_ASSERT_EQUAL(rc, HX_E_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "new.json: not a JSON report"));
    free(out);

    write_text(s.new_path, "{\"version\":1,\"cases\":[]}");
    out = diff_text(s.old_path, s.new_path, 0, &rc, &err);
    CU_ASSERT_EQUAL(rc, HX_E_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "new.json: format: expected"));
    free(out);

    out = diff_text(s.other_path, s.new_path, 0, &rc, &err);
    CU_ASSERT_EQUAL(rc, HX_E_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "other.json: cannot read: No such file"));
    free(out);
    scratch_cleanup(&s);
}

static int
run_main(int argc, const char **argv)
{
    char *copy[8];
    int rc;

    for (int i = 0; i < argc; i++)
        copy[i] = strdup(argv[i]);
    copy[argc] = NULL;
    rc = hx_diff_main(argc, copy);
    for (int i = 0; i < argc; i++)
        free(copy[i]);
    return rc;
}

static void
test_report_diff_a_waived_case_is_not_a_regression(void)
{
    struct scratch s;
    struct hx_result *r;
    char *out;
    int rc;

    scratch_init(&s);
    write_variant(s.old_path, 1); /* SEC-RATELIMIT-001 errors */
    r = sample_result(1);
    sample_gate(r); /* ... and is waived */
    CU_ASSERT_EQUAL(hx_report_json_write(r, s.new_path, NULL), 0);
    hx_result_free(r);
    out = diff_text(s.old_path, s.new_path, 0, &rc, NULL);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nWaived (failing, accepted by a waiver) (1):\n  ≈ "
                                       "SEC-RATELIMIT-001  error -> waived"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 new failures, 2 still failing, 0 fixed, 1 newly waived"));
    free(out);
    /* the other way: a waived failure that is no longer waived still failed before */
    out = diff_text(s.new_path, s.old_path, 0, &rc, NULL);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nStill failing (3):\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n  ! SEC-RATELIMIT-001  waived -> error"));
    free(out);
    scratch_cleanup(&s);
}

static void
test_report_diff_main_exits_0_1_or_2(void)
{
    struct scratch s;

    scratch_init(&s);
    write_variant(s.old_path, 0);
    write_variant(s.new_path, 1);
    CU_ASSERT_EQUAL(run_main(3, (const char *[]){"diff", s.old_path, s.old_path}), 0);
    CU_ASSERT_EQUAL(run_main(3, (const char *[]){"diff", s.old_path, s.new_path}), 1);
    CU_ASSERT_EQUAL(run_main(4, (const char *[]){"diff", "--strict", s.new_path, s.new_path}), 0);
    CU_ASSERT_EQUAL(run_main(3, (const char *[]){"diff", s.old_path, s.other_path}), 2);
    CU_ASSERT_EQUAL(run_main(2, (const char *[]){"diff", s.old_path}), 2);
    CU_ASSERT_EQUAL(run_main(4, (const char *[]){"diff", "--bogus", s.old_path, s.new_path}), 2);
    CU_ASSERT_EQUAL(run_main(2, (const char *[]){"diff", "--help"}), 0);
    CU_ASSERT_EQUAL(run_main(2, (const char *[]){"diff", "--version"}), 0);
    scratch_cleanup(&s);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_report_diff_reports_new_failures_fixes_and_new_skips),
        TU_TEST(test_report_diff_of_a_run_with_itself_finds_no_regression),
        TU_TEST(test_report_diff_strict_counts_checks_that_stopped_running),
        TU_TEST(test_report_diff_counts_a_new_failing_check_as_regression),
        TU_TEST(test_report_diff_names_file_and_field_of_a_bad_report),
        TU_TEST(test_report_diff_a_waived_case_is_not_a_regression),
        TU_TEST(test_report_diff_main_exits_0_1_or_2),
        {NULL, NULL},
    };
    return tu_run_suite("report_diff", tests);
}
