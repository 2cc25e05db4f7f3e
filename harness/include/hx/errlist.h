#ifndef HX_ERRLIST_H
#define HX_ERRLIST_H
/*
 * Every problem found in a file, not just the first: `authconform validate`
 * reports them all at once, each with the file and the field (or line).
 */
#include <stddef.h>

#include "hx/error.h"

#define HX_ERRLIST_MAX 200 /* past this, further errors are counted, not kept */

struct hx_errlist {
    struct hx_error *items;
    size_t n;
    size_t dropped;
};

void hx_errlist_init(struct hx_errlist *l);
void hx_errlist_cleanup(struct hx_errlist *l);
/* Appends one error (out of memory or past the cap: counted in dropped). */
void hx_errlist_add(struct hx_errlist *l, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prints "file:line: text" (or "file: text") lines to out. */
void hx_errlist_print(const struct hx_errlist *l, void *file_out /* FILE * */);

#endif
