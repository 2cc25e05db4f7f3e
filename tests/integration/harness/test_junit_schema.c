/* A JUnit file written from results full of bytes XML forbids (control
 * characters, NUL, invalid UTF-8, "]]>", markup) still validates against the
 * schema the repository keeps (fixtures/junit/junit.xsd), through xmllint. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/report_junit.h"
#include "unit.h"

static const char nasty[] = "ctl \x01\x02\x1b[31m nul \0 ]]> <![CDATA[ x ]]]]> </failure>"
                            "<testcase name=\"x\"> & &amp; \xff\xfe \xc0\xaf \xed\xa0\x80 "
                            "\xef\xbf\xbe \r\n\t end";

static char *
nasty_copy(void)
{
    char *p = malloc(sizeof nasty);
    memcpy(p, nasty, sizeof nasty);
    return p;
}

static struct hx_result *
nasty_result(void)
{
    struct hx_result *r = hx_result_new("http://127.0.0.1:1/\x01", "quick\"start", "run<1>");
    const char *groups[] = {"quickstart", "check]]>list", "g\x02"};

    for (int i = 0; i < 9; i++) {
        char id[32];
        struct hx_case *c;
        struct hx_step_result *s;
        struct hx_exchange *x;

        snprintf(id, sizeof id, "QS-N-%03d", i);
        c = hx_result_add_case(r, id, nasty, groups[i % 3], "scenarios/x/\x03.json");
        s = hx_case_add_step(c, nasty, "request");
        hx_step_pass(s);
        x = hx_step_add_exchange(s);
        x->method = strdup("POST");
        x->url = strdup("http://127.0.0.1:1/\x04]]>");
        x->request_headers = calloc(1, sizeof *x->request_headers);
        x->request_headers[0].name = strdup("X-\x05");
        x->request_headers[0].value = strdup(nasty);
        x->n_request_headers = 1;
        x->request_body = nasty_copy();
        x->request_body_len = sizeof nasty - 1;
        x->status = 400;
        x->http_version = strdup("HTTP/1.1");
        x->response_body = nasty_copy();
        x->response_body_len = sizeof nasty - 1;
        x->transport_error = strdup("\x06 reset ]]>");
        hx_step_add_note(s, "note %s", "\x07]]>");
        switch (i % 4) {
        case 0:
            hx_step_set(s, HX_STATUS_FAIL, "expect.json", "json $.detail: got \"%s\"", "\x08]]>&<");
            break;
        case 1:
            hx_step_set(s, HX_STATUS_ERROR, "transport.reset", "%s", "\x0b\x0c reset");
            break;
        case 2:
            hx_step_set(s, HX_STATUS_SKIP, "rate-limited", "429 \x0e]]>");
            break;
        default:
            break;
        }
        hx_case_finish(c);
        hx_case_set_remediation(c, "fix \x0f it ]]>");
    }
    r->seconds = 1234.5678;
    return r;
}

static void
test_junit_with_hostile_bytes_validates_against_the_schema(void)
{
    struct hx_result *r = nasty_result();
    char path[] = "/tmp/junit-schema.XXXXXX";
    char xsd[4096], cmd[8192];
    struct hx_error err;
    int fd = mkstemp(path);

    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    CU_ASSERT_EQUAL_FATAL(hx_report_junit_write(r, path, &err), 0);
    snprintf(xsd, sizeof xsd, "%s/fixtures/junit/junit.xsd", getenv("AUTHCONFORM_DATA_DIR"));
    snprintf(cmd, sizeof cmd, "xmllint --noout --schema '%s' '%s'", xsd, path);
    CU_ASSERT_EQUAL(system(cmd), 0);
    /* three suites, nine cases, the counts right */
    snprintf(cmd, sizeof cmd,
             "test \"$(xmllint --xpath 'count(//testsuite)' '%s')\" = 3 && "
             "test \"$(xmllint --xpath 'count(//testcase)' '%s')\" = 9 && "
             "test \"$(xmllint --xpath 'count(//testcase/failure)' '%s')\" = 3 && "
             "test \"$(xmllint --xpath 'count(//testcase/error)' '%s')\" = 2 && "
             "test \"$(xmllint --xpath 'count(//testcase/skipped)' '%s')\" = 2",
             path, path, path, path, path);
    CU_ASSERT_EQUAL(system(cmd), 0);
    unlink(path);
    hx_result_free(r);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_junit_with_hostile_bytes_validates_against_the_schema),
        {NULL, NULL},
    };
    return tu_run_suite("junit_schema", tests);
}
