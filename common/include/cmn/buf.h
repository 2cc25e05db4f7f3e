#ifndef CMN_BUF_H
#define CMN_BUF_H
/*
 * A growable byte buffer with a hard cap.
 *
 * Invariants: data is NULL or points to cap_alloc bytes; len < cap_alloc when
 * data != NULL, and data[len] == '\0' always holds, so the contents can be
 * read as a C string when they contain no NUL. len never exceeds max: an
 * append that would go past max fails with CMN_E_TOOBIG and leaves the buffer
 * unchanged.
 */
#include <stdarg.h>
#include <stddef.h>

#include "cmn/error.h"

struct cmn_buf {
    char *data;
    size_t len;
    size_t cap_alloc;
    size_t max;
};

/* Lives in the caller's storage; max is the largest len ever allowed. */
void cmn_buf_init(struct cmn_buf *b, size_t max);
void cmn_buf_cleanup(struct cmn_buf *b);
void cmn_buf_reset(struct cmn_buf *b);

int cmn_buf_add(struct cmn_buf *b, const void *p, size_t n);
int cmn_buf_adds(struct cmn_buf *b, const char *s);
int cmn_buf_addc(struct cmn_buf *b, char c);
int cmn_buf_addf(struct cmn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cmn_buf_vaddf(struct cmn_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Readable even when empty: returns "" rather than NULL. Borrowed. */
const char *cmn_buf_str(const struct cmn_buf *b);

/* Returns new (free()), NUL-terminated, and leaves b empty and reusable.
 * Never NULL unless out of memory. */
char *cmn_buf_take(struct cmn_buf *b);

#endif
