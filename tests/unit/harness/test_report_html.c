#include <stdlib.h>
#include <string.h>

#include "../../../harness/src/report/report_int.h"
#include "../../integration/reports/report_sample.h"
#include "cmn/text.h"
#include "hx/report_html.h"
#include "unit.h"

static char *
render(const struct hx_result *r)
{
    struct cmn_buf b;

    cmn_buf_init(&b, 64 << 20);
    CU_ASSERT_EQUAL_FATAL(hx_report_html_render(r, &b), 0);
    return cmn_buf_take(&b);
}

/* The block of the case with this id in the details section, from its
 * <details> tag to its end. Returns new, or NULL. */
static char *
case_block(const char *html, const char *id)
{
    char key[128];
    const char *start = html, *end;

    snprintf(key, sizeof key, "-%s\"", id);
    while ((start = strstr(start, "<details class=\"case ")) != NULL) {
        const char *tag_end = strchr(start, '>');
        const char *hit = strstr(start, key);
        if (tag_end != NULL && hit != NULL && hit < tag_end)
            break;
        start++;
    }
    if (start == NULL)
        return NULL;
    end = strstr(start, "</div>\n</details>\n");
    if (end == NULL)
        return NULL;
    return strndup(start, (size_t)(end - start));
}

static void
test_report_html_is_self_contained_with_no_script_or_outside_resource(void)
{
    struct hx_result *r = sample_result(0);
    char *html = render(r);

    CU_ASSERT_PTR_NOT_NULL(strstr(html, "<!DOCTYPE html>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "<style>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "default-src 'none'"));
    CU_ASSERT_PTR_NULL(strstr(html, "<script"));
    CU_ASSERT_PTR_NULL(strstr(html, "<img"));
    CU_ASSERT_PTR_NULL(strstr(html, "<link"));
    CU_ASSERT_PTR_NULL(strstr(html, " src=\""));
    CU_ASSERT_PTR_NULL(strstr(html, "url("));
    CU_ASSERT_PTR_NULL(strstr(html, "@import"));
    CU_ASSERT_PTR_NULL(strstr(html, "href=\"http"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "@media print"));
    free(html);
    hx_result_free(r);
}

static void
test_report_html_summary_names_target_date_version_profile_run_and_verdict(void)
{
    struct hx_result *r = sample_result(0);
    char *html = render(r);
    char needle[256];

    CU_ASSERT_PTR_NOT_NULL(strstr(html, "<dt>Target</dt><dd><code>http://127.0.0.1:8000</code>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "<dt>Date</dt><dd>2026-11-25T09:46:40Z</dd>"));
    snprintf(needle, sizeof needle, "<dt>Harness version</dt><dd>authconform %s</dd>",
             r->harness_version);
    CU_ASSERT_PTR_NOT_NULL(strstr(html, needle));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "<dt>Profile</dt><dd><code>quickstart</code>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "<dt>Run id</dt><dd><code>run-0001</code>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "FAIL: the target does not conform"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "2 failed, 1 error, 3 passed, 2 skipped, of 8 checks"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "<title>authconform report: http://127.0.0.1:8000 (fail)"));
    free(html);
    hx_result_free(r);
}

static void
test_report_html_matrix_shows_each_checklist_item_with_symbol_and_word(void)
{
    struct hx_result *r = sample_result(0);
    char *html = render(r);
    size_t n;
    const struct hx_checklist_item *items = hx_checklist_items(&n);
    const char *matrix = strstr(html, "<section id=\"checklist\">");
    const char *end = strstr(html, "<section id=\"scenarios\">");
    char *m;

    CU_ASSERT_PTR_NOT_NULL_FATAL(matrix);
    CU_ASSERT_PTR_NOT_NULL_FATAL(end);
    m = strndup(matrix, (size_t)(end - matrix));
    for (size_t i = 0; i < n; i++) {
        char needle[128];
        snprintf(needle, sizeof needle, "<strong>%s</strong>", items[i].id);
        CU_ASSERT_PTR_NOT_NULL(strstr(m, needle));
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "<strong>custom-extra</strong>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "<tr class=\"st-fail\"><td class=\"num\">4</td>"
                                     "<td><strong>hs256</strong>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "badge st-fail\">✗ FAIL</span>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "badge st-error\">! ERROR</span>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "badge st-skip\">– SKIP</span>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "badge st-pass\">✓ PASS</span>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "<tr class=\"st-none\"><td class=\"num\">1</td>"
                                     "<td><strong>strong-secret</strong>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "— NOT CHECKED"));
    free(m);
    /* The scenario matrix lists every case, quickstart flows included. */
    for (size_t i = 0; i < r->n_cases; i++) {
        char needle[128];
        snprintf(needle, sizeof needle, "-%s\">%s</a>", r->cases[i]->id, r->cases[i]->id);
        CU_ASSERT_PTR_NOT_NULL(strstr(html, needle));
    }
    free(html);
    hx_result_free(r);
}

static void
test_report_html_opens_failures_and_folds_passes(void)
{
    struct hx_result *r = sample_result(0);
    char *html = render(r);
    char *fail = case_block(html, "QS-SIGNIN-002");
    char *pass = case_block(html, "QS-SIGNUP-001");
    char *skip = case_block(html, "SEC-TLS-001");
    char *error = case_block(html, "SEC-RATELIMIT-001");

    CU_ASSERT_PTR_NOT_NULL_FATAL(fail);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pass);
    CU_ASSERT_PTR_NOT_NULL_FATAL(skip);
    CU_ASSERT_PTR_NOT_NULL_FATAL(error);
    CU_ASSERT_PTR_NOT_NULL(strstr(fail, "-QS-SIGNIN-002\" open><summary>"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(fail, "Expectation that failed</strong> <code>expect.json</code>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(fail, "<strong>Failed</strong> at step 2, wrong password "
                                        "<code>expect.json</code>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(fail, "Remediation:"));
    /* The failing step's transcript is open, the passing step's folded. */
    CU_ASSERT_PTR_NOT_NULL(strstr(fail, "<details class=\"transcript\"><summary>POST "
                                        "http://127.0.0.1:8000/api/auth/signup → 201"));
    CU_ASSERT_PTR_NOT_NULL(strstr(fail, "<details class=\"transcript\" open><summary>POST "
                                        "http://127.0.0.1:8000/api/auth/signin → 401"));
    CU_ASSERT_PTR_NOT_NULL(strstr(pass, "-QS-SIGNUP-001\"><summary>"));
    CU_ASSERT_PTR_NULL(strstr(pass, "Remediation:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(skip, "Skipped because</strong><pre>needs an https:// "
                                        "target</pre>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(error, "\" open><summary>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(error, "! transport error: Operation timed out"));
    CU_ASSERT_PTR_NOT_NULL(strstr(error, "sent: 25 requests"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "Likely cause:</strong> The server does not check"));
    free(fail);
    free(pass);
    free(skip);
    free(error);
    free(html);
    hx_result_free(r);
}

static void
test_report_html_escapes_hostile_body_and_keeps_redaction(void)
{
    struct hx_result *r = sample_result(0);
    char *html = render(r);
    size_t len = strlen(html);

    CU_ASSERT_TRUE(cmn_text_is_utf8(html, len));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "&lt;img src=x onerror=alert(2)&gt;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "&lt;b&gt;User&lt;/b&gt; | `x` not found"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "\xEF\xBF\xBD"
                                        "after-nul"));
    CU_ASSERT_PTR_NULL(strstr(html, "\xe2\x80\xae"));
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)html[i];
        if (ch < 0x20 && ch != '\n') {
            CU_FAIL("a control byte reached the HTML");
            break;
        }
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "&gt; Authorization: Bearer eyJhbGciOi…\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "{&quot;email&quot;:&quot;alice@example.test&quot;,"
                                        "&quot;password&quot;:&quot;Pa…&quot;}"));
    free(html);
    hx_result_free(r);
}

static void
test_report_html_escape_handles_every_special_character(void)
{
    struct cmn_buf b;
    static const char in[] = "a&b<c>d\"e'f\rg\x7f\xc3\x28\xf0\x9f\x98\x80";

    cmn_buf_init(&b, 1024);
    CU_ASSERT_EQUAL(hx__html_escape(&b, in, sizeof in - 1), 0);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b), "a&amp;b&lt;c&gt;d&quot;e&#39;f\\rg\xEF\xBF\xBD"
                                            "\xEF\xBF\xBD(\xf0\x9f\x98\x80");
    cmn_buf_cleanup(&b);
}

static void
test_report_html_of_empty_run_says_nothing_ran(void)
{
    struct hx_result *r = hx_result_new(NULL, NULL, NULL);
    char *html = render(r);

    CU_ASSERT_PTR_NOT_NULL(strstr(html, "NO VERDICT: no check ran"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "No scenario was run."));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "<dt>Target</dt><dd><code>(none)</code>"));
    free(html);
    hx_result_free(r);
}

/* Random bytes through the HTML and Markdown escapes come out as UTF-8
 * with no markup character and no control byte left as it was. */
static void
test_report_html_and_markdown_escapes_hold_for_random_bytes(void)
{
    unsigned long long seed = 42;
    struct cmn_buf h, m;

    cmn_buf_init(&h, 1 << 20);
    cmn_buf_init(&m, 1 << 20);
    for (int round = 0; round < 500; round++) {
        char bytes[48];
        size_t n = (size_t)(round % 48);

        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            bytes[i] = (char)(seed >> 56);
        }
        cmn_buf_reset(&h);
        cmn_buf_reset(&m);
        CU_ASSERT_EQUAL_FATAL(hx__html_escape(&h, bytes, n), 0);
        CU_ASSERT_EQUAL_FATAL(hx__md_code(&m, bytes, n, 0, true), 0);
        CU_ASSERT_TRUE(cmn_text_is_utf8(h.data != NULL ? h.data : "", h.len));
        CU_ASSERT_TRUE(cmn_text_is_utf8(m.data, m.len));
        CU_ASSERT_PTR_NULL(h.data != NULL ? strpbrk(h.data, "<>\"'") : NULL);
        CU_ASSERT_PTR_NULL(strpbrk(m.data, "\n\r"));
        for (size_t i = 0; i < h.len; i++)
            if ((unsigned char)h.data[i] < 0x20 && h.data[i] != '\n' && h.data[i] != '\t') {
                CU_FAIL("a control byte passed the HTML escape");
                break;
            }
    }
    cmn_buf_cleanup(&h);
    cmn_buf_cleanup(&m);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_report_html_is_self_contained_with_no_script_or_outside_resource),
        TU_TEST(test_report_html_summary_names_target_date_version_profile_run_and_verdict),
        TU_TEST(test_report_html_matrix_shows_each_checklist_item_with_symbol_and_word),
        TU_TEST(test_report_html_opens_failures_and_folds_passes),
        TU_TEST(test_report_html_escapes_hostile_body_and_keeps_redaction),
        TU_TEST(test_report_html_escape_handles_every_special_character),
        TU_TEST(test_report_html_of_empty_run_says_nothing_ran),
        TU_TEST(test_report_html_and_markdown_escapes_hold_for_random_bytes),
        {NULL, NULL},
    };
    return tu_run_suite("report_html", tests);
}
