#include "hx/error.h"

#include <stdio.h>

const char *
hx_strerror(int rc)
{
    switch (rc) {
    case HX_E_PARSE:
        return "malformed input";
    case HX_E_USAGE:
        return "usage error";
    case HX_E_TRANSPORT:
        return "transport error";
    case HX_E_UNREACHABLE:
        return "target unreachable";
    case HX_E_NOTFOUND:
        return "not found";
    case HX_E_SPAWN:
        return "could not start a local service";
    case HX_E_TOOLONG:
        return "too long";
    default:
        return cmn_strerror(rc);
    }
}

void
hx_error_set(struct hx_error *err, const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
}
