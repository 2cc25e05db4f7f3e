/* Fuzz target: the report.json reader (harness/src/report/json_read.c) on a
 * report a shard's job left behind, which `authconform merge` and
 * --shard-durations read: hx_report_json_read_buffer(), then, when it read,
 * the report written again must read back and be written to the same bytes
 * (what the reader keeps is what the writer writes). */
#include <stdlib.h>
#include <string.h>

#include "cmn/buf.h"
#include "fz_check.h"
#include "hx/report_json.h"
#include "hx/report_json_read.h"

#define FZ_REPORT_MAX ((size_t)64 << 20)

/* Returns new: r written as report.json (NULL when it is too large). */
static char *
report_render(const struct hx_result *r, size_t *len)
{
    struct cmn_buf b;
    char *text = NULL;
    int rc;

    cmn_buf_init(&b, FZ_REPORT_MAX);
    rc = hx_report_json_render(r, &b);
    FZ_CHECK(rc == 0 || rc == HX_E_NOMEM || rc == HX_E_TOOBIG);
    if (rc == 0) {
        text = malloc(b.len + 1);
        FZ_CHECK(text != NULL);
        memcpy(text, cmn_buf_str(&b), b.len + 1);
        *len = b.len;
    }
    cmn_buf_cleanup(&b);
    return text;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hx_result *r = NULL, *again = NULL;
    struct hx_error err = {.text = ""};
    char *first, *second;
    size_t first_len = 0, second_len = 0;
    int rc;

    if (size > 1 << 20)
        return 0;
    rc = hx_report_json_read_buffer((const char *)data, size, "fuzz.json", &r, &err);
    FZ_CHECK(rc == 0 || rc == HX_E_PARSE || rc == HX_E_NOMEM);
    FZ_CHECK((rc == 0) == (r != NULL));
    if (rc != 0) {
        FZ_CHECK(strncmp(err.text, "fuzz.json: ", 11) == 0);
        FZ_CHECK(memchr(err.text, '\0', sizeof err.text) != NULL);
        return 0;
    }
    first = report_render(r, &first_len);
    hx_result_free(r);
    if (first == NULL)
        return 0;
    rc = hx_report_json_read_buffer(first, first_len, "again.json", &again, &err);
    if (rc != 0)
        fprintf(stderr, "fuzz_hx_report_json: a report it wrote does not read: %s\n", err.text);
    FZ_CHECK(rc == 0);
    second = report_render(again, &second_len);
    hx_result_free(again);
    FZ_CHECK(second != NULL && second_len == first_len && memcmp(first, second, first_len) == 0);
    free(first);
    free(second);
    return 0;
}
