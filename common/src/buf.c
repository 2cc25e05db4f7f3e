#include "cmn/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
cmn_buf_init(struct cmn_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap_alloc = 0;
    b->max = max;
}

void
cmn_buf_cleanup(struct cmn_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap_alloc = 0;
}

void
cmn_buf_reset(struct cmn_buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

static int
buf_reserve(struct cmn_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > b->max - b->len)
        return CMN_E_TOOBIG;
    need = b->len + extra + 1;
    if (need <= b->cap_alloc)
        return 0;
    cap = b->cap_alloc ? b->cap_alloc : 64;
    while (cap < need)
        cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    p = realloc(b->data, cap);
    if (p == NULL)
        return CMN_E_NOMEM;
    if (b->data == NULL)
        p[0] = '\0';
    b->data = p;
    b->cap_alloc = cap;
    return 0;
}

int
cmn_buf_add(struct cmn_buf *b, const void *p, size_t n)
{
    int rc = buf_reserve(b, n);
    if (rc != 0)
        return rc;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int
cmn_buf_adds(struct cmn_buf *b, const char *s)
{
    return cmn_buf_add(b, s, strlen(s));
}

int
cmn_buf_addc(struct cmn_buf *b, char c)
{
    return cmn_buf_add(b, &c, 1);
}

int
cmn_buf_vaddf(struct cmn_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n, rc;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return CMN_E_INVAL;
    rc = buf_reserve(b, (size_t)n);
    if (rc != 0)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int
cmn_buf_addf(struct cmn_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = cmn_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *
cmn_buf_str(const struct cmn_buf *b)
{
    return b->data != NULL ? b->data : "";
}

char *
cmn_buf_take(struct cmn_buf *b)
{
    char *p = b->data;

    if (p == NULL)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = 0;
    b->cap_alloc = 0;
    return p;
}
