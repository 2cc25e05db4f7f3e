#include "hx/errlist.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void
hx_errlist_init(struct hx_errlist *l)
{
    l->items = NULL;
    l->n = 0;
    l->dropped = 0;
}

void
hx_errlist_cleanup(struct hx_errlist *l)
{
    free(l->items);
    hx_errlist_init(l);
}

void
hx_errlist_add(struct hx_errlist *l, const char *file, int line, const char *fmt, ...)
{
    struct hx_error *p;
    va_list ap;

    if (l == NULL)
        return;
    if (l->n >= HX_ERRLIST_MAX || (p = realloc(l->items, (l->n + 1) * sizeof *p)) == NULL) {
        l->dropped++;
        return;
    }
    l->items = p;
    p = &l->items[l->n++];
    snprintf(p->file, sizeof p->file, "%s", file ? file : "");
    p->line = line;
    va_start(ap, fmt);
    vsnprintf(p->text, sizeof p->text, fmt, ap);
    va_end(ap);
}

void
hx_errlist_print(const struct hx_errlist *l, void *file_out)
{
    FILE *out = file_out;
    for (size_t i = 0; i < l->n; i++) {
        const struct hx_error *e = &l->items[i];
        if (e->line > 0)
            fprintf(out, "%s:%d: %s\n", e->file, e->line, e->text);
        else
            fprintf(out, "%s: %s\n", e->file, e->text);
    }
    if (l->dropped > 0)
        fprintf(out, "(%zu more errors not shown)\n", l->dropped);
}
