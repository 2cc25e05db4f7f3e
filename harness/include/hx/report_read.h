#ifndef HX_REPORT_READ_H
#define HX_REPORT_READ_H
/*
 * Reading a report.json back: what `authconform diff` and `authconform run
 * --baseline` know of an earlier run. Only the fields they need are read,
 * and each is checked: a file that is not a report.json of authconform (or
 * of a newer format version) is refused with the file and the field (the
 * file, format and version as hx/report_json_read.h checks them; that
 * module reads a whole result back, for merge).
 *
 * Cases of two reports are matched by id: the n-th case with an id in one
 * report with the n-th case with the same id in the other.
 */
#include <stddef.h>

#include <jansson.h>

#include "hx/error.h"
#include "hx/result.h"

/* One case of a report. Strings are borrowed from the report's JSON. */
struct hx_report_case {
    const char *id;
    const char *title;
    const char *message;
    enum hx_status status;
    size_t occurrence;                /* 0 for the first case with this id, 1 for the second ... */
    const struct hx_report_case *peer; /* the matching case of the other report, or NULL */
};

struct hx_report_doc {
    const char *path; /* borrowed */
    json_t *root;
    struct hx_report_case *cases;
    size_t n;
    const char *run_id, *target, *profile, *started; /* "?" when absent */
};

/* Reads the report.json at path into d (d->path borrows path). Returns 0,
 * or HX_E_IO, HX_E_PARSE or HX_E_NOMEM with the file, the field and the
 * reason in err (may be NULL); call hx_report_doc_cleanup() either way. */
int hx_report_doc_read(const char *path, struct hx_report_doc *d, struct hx_error *err);
void hx_report_doc_cleanup(struct hx_report_doc *d);

/* Pairs each case of a with the case of b that has its id and occurrence
 * (sets peer on both sides). */
void hx_report_doc_match(struct hx_report_doc *a, struct hx_report_doc *b);

#endif
