#ifndef HX_REPORT_JUNIT_H
#define HX_REPORT_JUNIT_H
/*
 * JUnit XML in the flat shape that GitLab, Jenkins and the GitHub Actions
 * reporters all read: <testsuites> -> one <testsuite> per scenario group ->
 * one <testcase> per scenario (classname = group, name = "ID title",
 * file = the scenario file). A failed expectation is a <failure>, a
 * transport problem an <error>, a skip a <skipped message="why">. Each case
 * carries its transcript in <system-out>. Text is filtered to XML 1.0
 * characters (control bytes become "\xNN", invalid UTF-8 becomes U+FFFD),
 * "]]>" is split across CDATA sections, attributes are escaped.
 * fixtures/junit/junit.xsd is the schema it validates against.
 */
#include <stddef.h>

#include "cmn/buf.h"
#include "hx/error.h"
#include "hx/result.h"

/* Writes the report to path whole or not at all (like every report).
 * Returns 0 or an error, with err naming the file. */
int hx_report_junit_write(const struct hx_result *r, const char *path, struct hx_error *err);
/* The same appended to out. Returns 0 or CMN_E_TOOBIG / CMN_E_NOMEM. */
int hx_report_junit_render(const struct hx_result *r, struct cmn_buf *out);

/* Appends (p, n) as XML text: for attributes (escapes quotes, tabs and line
 * breaks too) or element content. Returns 0 or the buffer's error. */
int hx_xml_escape(struct cmn_buf *out, const char *p, size_t n, int attribute);
/* Appends (p, n) as one or more CDATA sections. */
int hx_xml_cdata(struct cmn_buf *out, const char *p, size_t n);

/* Appends a readable transcript of a step's exchanges to out (plain text,
 * already redacted since results are). */
int hx_report_transcript(struct cmn_buf *out, const struct hx_step_result *s, size_t index);

#endif
