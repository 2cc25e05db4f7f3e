#ifndef HX_ERROR_H
#define HX_ERROR_H
/* Error codes of the harness: 0 is success, failures are negative. The
 * shared CMN_E_* codes (-1 .. -99) pass through unchanged. */
#include <stdarg.h>

#include "cmn/error.h"

enum {
    HX_E_NOMEM = CMN_E_NOMEM,
    HX_E_TOOBIG = CMN_E_TOOBIG,
    HX_E_INVAL = CMN_E_INVAL,
    HX_E_IO = CMN_E_IO,
    HX_E_PARSE = -100,       /* a scenario, profile or JSON document is malformed */
    HX_E_USAGE = -101,       /* a bad flag or combination of flags */
    HX_E_TRANSPORT = -102,   /* connection refused, timeout, TLS failure, reset */
    HX_E_UNREACHABLE = -103, /* the target does not answer at all */
    HX_E_NOTFOUND = -104,
    HX_E_SPAWN = -105, /* the embedded PostgreSQL or authref did not start */
    HX_E_TOOLONG = -106,
};

/* Detail for a caller that wants it: where and what. */
struct hx_error {
    char file[256];
    int line;       /* 0 when unknown */
    char text[512]; /* e.g. "steps[2].expect.status: expected an integer or an array" */
};

/* Static text for any HX_E_ or CMN_E_ code. */
const char *hx_strerror(int rc);

/* Fills err (NULL-safe); file may be NULL. */
void hx_error_set(struct hx_error *err, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
