#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/report_junit.h"
#include "unit.h"

static char *
escaped(const char *s, size_t n, int attribute, int cdata)
{
    struct cmn_buf b;
    cmn_buf_init(&b, 1 << 20);
    int rc = cdata ? hx_xml_cdata(&b, s, n) : hx_xml_escape(&b, s, n, attribute);
    CU_ASSERT_EQUAL(rc, 0);
    return cmn_buf_take(&b);
}

static void
test_junit_escape_replaces_characters_xml_forbids(void)
{
    char *out = escaped("a\x01"
                        "b\x1b[0m\xff\xfe<&>\"'\t\n",
                        16, 0, 0);
    CU_ASSERT_STRING_EQUAL(out, "a\\x01b\\x1B[0m\xef\xbf\xbd\xef\xbf\xbd&lt;&amp;&gt;\"'\t\n");
    free(out);
    out = escaped("x\"y'z\t\n\r<", 9, 1, 0);
    CU_ASSERT_STRING_EQUAL(out, "x&quot;y&apos;z&#9;&#10;&#13;&lt;");
    free(out);
    /* a NUL byte in the middle is replaced, not a terminator */
    out = escaped("a\0b", 3, 0, 0);
    CU_ASSERT_STRING_EQUAL(out, "a\\x00b");
    free(out);
    /* U+FFFE and an overlong encoding are not characters */
    out = escaped("\xef\xbf\xbe|\xc0\xaf", 6, 0, 0);
    CU_ASSERT_STRING_EQUAL(out, "\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd");
    free(out);
}

static void
test_junit_cdata_splits_the_end_marker(void)
{
    char *out = escaped("a]]>b]]>", 8, 0, 1);
    CU_ASSERT_STRING_EQUAL(out, "<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>]]>");
    free(out);
    out = escaped("line\r\nnext", 10, 0, 1);
    CU_ASSERT_STRING_EQUAL(out, "<![CDATA[line\\r\nnext]]>");
    free(out);
}

static void
test_junit_document_has_flat_suites_and_the_right_elements(void)
{
    struct hx_result *r = hx_result_new("http://127.0.0.1:1", "quickstart", "abc123");
    struct hx_case *c;
    struct hx_step_result *s;
    struct hx_exchange *x;
    char *buf = NULL;
    struct cmn_buf b;

    c = hx_result_add_case(r, "QS-A-001", "passes", "quickstart", "scenarios/quickstart/a.json");
    hx_step_pass(hx_case_add_step(c, "one", "request"));
    hx_case_finish(c);
    c = hx_result_add_case(r, "QS-A-002", "fails <badly>", "quickstart", "b.json");
    s = hx_case_add_step(c, "two", "request");
    hx_step_set(s, HX_STATUS_FAIL, "expect.status", "status: expected 201, got 200");
    x = hx_step_add_exchange(s);
    x->method = strdup("POST");
    x->url = strdup("http://127.0.0.1:1/x");
    x->status = 200;
    x->response_body = strdup("]]>\x07");
    x->response_body_len = 4;
    hx_case_finish(c);
    c = hx_result_add_case(r, "SEC-B-001", "errors", "checklist", "c.json");
    s = hx_case_add_step(c, "three", "probe:x");
    hx_step_set(s, HX_STATUS_ERROR, "transport.refused", "transport: refused");
    hx_case_finish(c);
    c = hx_result_add_case(r, "SEC-B-002", "skips", "checklist", "d.json");
    hx_case_skip(c, "needs --secret-file");
    hx_case_finish(c);

    cmn_buf_init(&b, 1 << 20);
    CU_ASSERT_EQUAL(hx_report_junit_render(r, &b), 0);
    buf = cmn_buf_take(&b);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf,
                                  "<testsuites name=\"authconform\" tests=\"4\" failures=\"1\" "
                                  "errors=\"1\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<testsuite name=\"quickstart\" tests=\"2\" failures=\"1\" "
                                       "errors=\"0\" skipped=\"0\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<testsuite name=\"checklist\" tests=\"2\" failures=\"0\" "
                                       "errors=\"1\" skipped=\"1\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "name=\"QS-A-002 fails &lt;badly&gt;\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "classname=\"quickstart\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "file=\"scenarios/quickstart/a.json\""));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(buf, "<failure message=\"status: expected 201, got 200\" type=\"expect.status\">"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<error message=\"transport: refused\" "
                                       "type=\"transport.refused\">"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<skipped message=\"needs --secret-file\"/>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<property name=\"run_id\" value=\"abc123\"/>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "]]]]><![CDATA[>\\x07"));
    CU_ASSERT_PTR_NULL(strstr(buf, "\x07"));
    CU_ASSERT_PTR_NULL(strstr(buf, "<testsuite><testsuite")); /* flat */
    free(buf);
    hx_result_free(r);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_junit_escape_replaces_characters_xml_forbids),
        TU_TEST(test_junit_cdata_splits_the_end_marker),
        TU_TEST(test_junit_document_has_flat_suites_and_the_right_elements),
        {NULL, NULL},
    };
    return tu_run_suite("junit", tests);
}
