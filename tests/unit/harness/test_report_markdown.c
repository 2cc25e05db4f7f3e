#include <stdlib.h>
#include <string.h>

#include "../../../harness/src/report/report_int.h"
#include "../../integration/reports/report_sample.h"
#include "cmn/text.h"
#include "hx/report_markdown.h"
#include "unit.h"

static char *
render(const struct hx_result *r)
{
    struct cmn_buf b;

    cmn_buf_init(&b, 64 << 20);
    CU_ASSERT_EQUAL_FATAL(hx_report_markdown_render(r, &b), 0);
    return cmn_buf_take(&b);
}

static void
test_report_markdown_has_summary_checklist_and_verdict(void)
{
    struct hx_result *r = sample_result(0);
    char *md = render(r);

    CU_ASSERT_PTR_NOT_NULL(strstr(md, "## ✗ authconform: FAIL: the target does not conform\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "**2 failed, 1 error, 3 passed, 2 skipped** of 8 checks"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "| ` http://127.0.0.1:8000 ` | ` quickstart ` | "
                                      "` run-0001 ` | 2026-11-25T09:46:40Z |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "| 4 | Tokens are signed with HS256, and only HS256 is "
                                      "accepted | ✗ FAIL | 0/1 |\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "| 1 | The signing secret is strong (32+ characters, "
                                      "random) | — not checked | |\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "| 10 | Auth endpoints are rate limited | ! ERROR | 0/1 |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "| 12 | A Content Security Policy header is set | ✓ PASS | "
                                      "1/1 |"));
    CU_ASSERT_TRUE(cmn_text_is_utf8(md, strlen(md)));
    free(md);
    hx_result_free(r);
}

static void
test_report_markdown_lists_every_failure_with_its_remediation(void)
{
    struct hx_result *r = sample_result(0);
    char *md = render(r);
    const char *failures = strstr(md, "### Failures (3)\n");
    const char *hs, *signin, *rl;

    CU_ASSERT_PTR_NOT_NULL_FATAL(failures);
    hs = strstr(failures, "1. **✗ FAIL SEC-HS256-001** Tokens signed with alg none are "
                          "refused (severity critical; checklist: hs256; ASVS V3.5.3)\n");
    signin = strstr(failures, "1. **✗ FAIL QS-SIGNIN-002**");
    rl = strstr(failures, "1. **! ERROR SEC-RATELIMIT-001**");
    CU_ASSERT_PTR_NOT_NULL(hs);
    CU_ASSERT_PTR_NOT_NULL(signin);
    CU_ASSERT_PTR_NOT_NULL(rl);
    CU_ASSERT_PTR_NOT_NULL(strstr(failures, "   - Failed: ` expected status 401, got 200 `\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(failures, "   - **Remediation:** Verify the signature and "
                                            "accept only HS256 (reject \"none\").\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(failures, "   - Evidence (step ` wrong password `): ` POST "
                                            "http://127.0.0.1:8000/api/auth/signin -> 401 `\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(failures, "   - Could not run: ` timeout after 5 s `\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(failures, "   - Likely cause: The server does not check"));
    /* Passes are counted, not listed. */
    CU_ASSERT_PTR_NULL(strstr(md, "QS-SIGNUP-001"));
    /* Skips are folded, with their reasons. */
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "<details><summary>Skipped (2)</summary>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "- SEC-TLS-001 Only TLS 1.3 is offered: ` needs an "
                                      "https:// target `\n"));
    free(md);
    hx_result_free(r);
}

static void
test_report_markdown_puts_target_text_in_code_spans_it_cannot_leave(void)
{
    struct hx_result *r = sample_result(0);
    char *md = render(r);

    /* The message holds a backtick: the span's fence is two. */
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "   - Failed: `` detail: expected \"Invalid credentials\", "
                                      "got \"<b>User</b> | `x` not found\" ``\n"));
    CU_ASSERT_PTR_NULL(strstr(md, "<script"));
    CU_ASSERT_PTR_NULL(strstr(md, "<img"));
    CU_ASSERT_PTR_NULL(strstr(md, "@admins"));
    free(md);
    hx_result_free(r);
}

static void
test_report_markdown_code_span_escapes_pipes_in_tables_and_lines(void)
{
    struct cmn_buf b;

    cmn_buf_init(&b, 4096);
    CU_ASSERT_EQUAL(hx__md_code(&b, "a|b\nc", 5, 0, true), 0);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b), "` a\\|b c `");
    cmn_buf_reset(&b);
    CU_ASSERT_EQUAL(hx__md_code(&b, "``x```", 6, 0, false), 0);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b), "```` ``x``` ````");
    cmn_buf_reset(&b);
    CU_ASSERT_EQUAL(hx__md_code(&b, "abcdef", 6, 3, false), 0);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b), "` abc… `");
    cmn_buf_reset(&b);
    CU_ASSERT_EQUAL(hx__md_text(&b, "*a* [l](u) <b> # | @x `c` \\\r\n", 0), 0);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b),
                           "\\*a\\* \\[l\\](u) \\<b\\> \\# \\| \\@x \\`c\\` \\\\  ");
    cmn_buf_cleanup(&b);
}

static void
test_report_markdown_stays_under_the_comment_limit_with_many_failures(void)
{
    struct hx_result *r = hx_result_new("http://t", "p", "run");
    char id[32], *md;
    char long_msg[2000];

    memset(long_msg, 'x', sizeof long_msg - 1);
    long_msg[sizeof long_msg - 1] = '\0';
    for (int i = 0; i < 600; i++) {
        struct hx_case *c;
        struct hx_step_result *s;
        snprintf(id, sizeof id, "QS-MANY-%03d", i);
        c = hx_result_add_case(r, id, "a failing case", "g", "f.json");
        hx_case_set_remediation(c, "fix it");
        s = hx_case_add_step(c, "s", "request");
        hx_step_set(s, HX_STATUS_FAIL, "expect.status", "%s", long_msg);
        hx_case_finish(c);
    }
    md = render(r);
    CU_ASSERT_TRUE(strlen(md) <= HX_REPORT_MD_MAX);
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "### Failures (600)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "1. **✗ FAIL QS-MANY-000**"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "more not listed here: see report.html."));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "xxx… `"));
    free(md);
    hx_result_free(r);
}

static void
test_report_markdown_of_passing_run_has_no_failure_section(void)
{
    struct hx_result *r = hx_result_new("http://t", "p", "run");
    struct hx_case *c = hx_result_add_case(r, "QS-A-001", "passes", "g", "f.json");
    char *md;

    hx_case_add_checklist(c, "csp");
    hx_step_pass(hx_case_add_step(c, "s", "request"));
    hx_case_finish(c);
    md = render(r);
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "## ✓ authconform: PASS: every check that ran passed"));
    CU_ASSERT_PTR_NULL(strstr(md, "### Failures"));
    CU_ASSERT_PTR_NULL(strstr(md, "Skipped"));
    free(md);
    hx_result_free(r);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_report_markdown_has_summary_checklist_and_verdict),
        TU_TEST(test_report_markdown_lists_every_failure_with_its_remediation),
        TU_TEST(test_report_markdown_puts_target_text_in_code_spans_it_cannot_leave),
        TU_TEST(test_report_markdown_code_span_escapes_pipes_in_tables_and_lines),
        TU_TEST(test_report_markdown_stays_under_the_comment_limit_with_many_failures),
        TU_TEST(test_report_markdown_of_passing_run_has_no_failure_section),
        {NULL, NULL},
    };
    return tu_run_suite("report_markdown", tests);
}
