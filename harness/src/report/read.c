/* Reading a report.json back (see hx/report_read.h). */
#include "hx/report_read.h"

#include <stdlib.h>
#include <string.h>

#include "cmn/json.h"
#include "hx/report_json_read.h"
#include "report_int.h"

void
hx_report_doc_cleanup(struct hx_report_doc *d)
{
    free(d->cases);
    json_decref(d->root);
    memset(d, 0, sizeof *d);
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
    json_t *cases, *run;
    char names[160];
    int rc;

    memset(d, 0, sizeof *d);
    d->path = path;
    /* the file, its format and version, as every reader of report.json checks them */
    rc = hx_report_json_load(path, &d->root, err);
    if (rc != 0)
        return rc;
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
        if (hx_report_json_status_parse(cmn_json_get_str(c, "status"), &dc->status) != 0) {
            hx_report_json_status_names(names, sizeof names);
            hx_error_set(err, path, 0, "%s: cases[%zu].status: expected one of %s", path, i,
                         names);
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
