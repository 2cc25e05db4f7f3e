/* Reading a report.json back (see hx/report_read.h). */
#include "hx/report_read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/env.h"
#include "cmn/json.h"
#include "hx/report_json.h"
#include "report_int.h"

#define READ_MAX_DEPTH 64

void
hx_report_doc_cleanup(struct hx_report_doc *d)
{
    free(d->cases);
    json_decref(d->root);
    memset(d, 0, sizeof *d);
}

int
hx_report_status_parse(const char *s, enum hx_status *out)
{
    static const enum hx_status all[] = {HX_STATUS_PASS, HX_STATUS_FAIL, HX_STATUS_ERROR,
                                         HX_STATUS_SKIP, HX_STATUS_WARN, HX_STATUS_WAIVED};
    for (size_t i = 0; s != NULL && i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(s, hx_status_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    }
    return HX_E_PARSE;
}

static const char *
read_run_str(const json_t *run, const char *key)
{
    const char *s = run != NULL ? cmn_json_get_str(run, key) : NULL;
    return s != NULL ? s : "?";
}

int
hx_report_doc_read(const char *path, struct hx_report_doc *d, struct hx_error *err)
{
    char *text = NULL, reason[160] = "";
    const char *format;
    json_t *cases, *run;
    long long version;
    int rc;

    memset(d, 0, sizeof *d);
    d->path = path;
    rc = cmn_read_file_trimmed(path, HX__REPORT_MAX, &text);
    if (rc != 0) {
        hx_error_set(err, path, 0, "%s: cannot read: %s", path,
                     rc == CMN_E_IO ? strerror(errno) : hx_strerror(rc));
        return rc == CMN_E_NOMEM ? HX_E_NOMEM : HX_E_IO;
    }
    d->root = cmn_json_parse_strict(text, strlen(text), READ_MAX_DEPTH, reason, sizeof reason);
    free(text);
    if (d->root == NULL) {
        hx_error_set(err, path, 0, "%s: not a JSON report: %s", path, reason);
        return HX_E_PARSE;
    }
    format = json_is_object(d->root) ? cmn_json_get_str(d->root, "format") : NULL;
    if (format == NULL || strcmp(format, HX_REPORT_JSON_FORMAT) != 0) {
        hx_error_set(err, path, 0, "%s: format: expected \"%s\" (a report.json of authconform)",
                     path, HX_REPORT_JSON_FORMAT);
        return HX_E_PARSE;
    }
    if (cmn_json_get_int(d->root, "version", &version) != 0 || version < 1) {
        hx_error_set(err, path, 0, "%s: version: expected a positive integer", path);
        return HX_E_PARSE;
    }
    if (version > HX_REPORT_JSON_VERSION) {
        hx_error_set(err, path, 0,
                     "%s: version: %lld is newer than this authconform reads (%d); "
                     "use a newer authconform",
                     path, version, HX_REPORT_JSON_VERSION);
        return HX_E_PARSE;
    }
    run = json_object_get(d->root, "run");
    d->run_id = read_run_str(run, "id");
    d->target = read_run_str(run, "target");
    d->profile = read_run_str(run, "profile");
    d->started = read_run_str(run, "started");
    cases = json_object_get(d->root, "cases");
    if (!json_is_array(cases)) {
        hx_error_set(err, path, 0, "%s: cases: expected an array", path);
        return HX_E_PARSE;
    }
    d->n = json_array_size(cases);
    d->cases = calloc(d->n + 1, sizeof *d->cases);
    if (d->cases == NULL)
        return HX_E_NOMEM;
    for (size_t i = 0; i < d->n; i++) {
        const json_t *c = json_array_get(cases, i);
        struct hx_report_case *dc = &d->cases[i];

        dc->id = json_is_object(c) ? cmn_json_get_str(c, "id") : NULL;
        if (dc->id == NULL || dc->id[0] == '\0') {
            hx_error_set(err, path, 0, "%s: cases[%zu].id: expected a non-empty string", path, i);
            return HX_E_PARSE;
        }
        if (hx_report_status_parse(cmn_json_get_str(c, "status"), &dc->status) != 0) {
            hx_error_set(err, path, 0,
                         "%s: cases[%zu].status: expected one of pass, fail, error, skip, warn, "
                         "waived",
                         path, i);
            return HX_E_PARSE;
        }
        dc->title = cmn_json_get_str(c, "title");
        dc->message = cmn_json_get_str(c, "message");
        for (size_t k = 0; k < i; k++)
            if (strcmp(d->cases[k].id, dc->id) == 0)
                dc->occurrence++;
    }
    return 0;
}

void
hx_report_doc_match(struct hx_report_doc *a, struct hx_report_doc *b)
{
    for (size_t i = 0; i < a->n; i++) {
        for (size_t k = 0; k < b->n; k++) {
            if (b->cases[k].peer == NULL && a->cases[i].occurrence == b->cases[k].occurrence &&
                strcmp(a->cases[i].id, b->cases[k].id) == 0) {
                a->cases[i].peer = &b->cases[k];
                b->cases[k].peer = &a->cases[i];
                break;
            }
        }
    }
}
