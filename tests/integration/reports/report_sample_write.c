/* Writes the sample run's reports: report_sample_write VARIANT DIR writes
 * DIR/report.html, DIR/report.md, DIR/report.json and DIR/report.sarif. The integration tests
 * (schema validation, headless Chromium) and the README's picture use it. */
#include <stdio.h>
#include <stdlib.h>

#include "hx/report_html.h"
#include "hx/report_json.h"
#include "hx/report_markdown.h"
#include "hx/report_sarif.h"
#include "report_sample.h"

int
main(int argc, char **argv)
{
    struct hx_error err = {.text = ""};
    struct hx_result *r;
    char path[4096];
    int rc = 0;

    if (argc != 3 || argv[1][0] < '0' || argv[1][0] > '2' || argv[1][1] != '\0') {
        fprintf(stderr, "usage: report_sample_write 0|1|2 DIR\n");
        return 2;
    }
    /* 2: run 1 with waivers and a baseline (sample_gate) */
    r = sample_result(argv[1][0] == '0' ? 0 : 1);
    if (r != NULL && argv[1][0] == '2')
        sample_gate(r);
    snprintf(path, sizeof path, "%s/report.html", argv[2]);
    if (rc == 0)
        rc = hx_report_html_write(r, path, &err);
    snprintf(path, sizeof path, "%s/report.md", argv[2]);
    if (rc == 0)
        rc = hx_report_markdown_write(r, path, &err);
    snprintf(path, sizeof path, "%s/report.json", argv[2]);
    if (rc == 0)
        rc = hx_report_json_write(r, path, &err);
    snprintf(path, sizeof path, "%s/report.sarif", argv[2]);
    if (rc == 0)
        rc = hx_report_sarif_write(r, path, &err);
    hx_result_free(r);
    if (rc != 0) {
        fprintf(stderr, "report_sample_write: %s\n", err.text);
        return 1;
    }
    return 0;
}
