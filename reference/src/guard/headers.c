/* Security headers on every response. */
#include "rs/guard/headers.h"

#include <stdio.h>

#include "rs/defect.h"

struct headers_field {
    const char *name;
    const char *value;
};

static const struct headers_field headers_fields[] = {
    {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    /* Every answer of this API is personal or short-lived: never cache. */
    {"Cache-Control", "no-store"},
};
static const struct headers_field headers_hsts = {"Strict-Transport-Security",
                                                  "max-age=31536000; includeSubDomains"};

/* Whether field i of headers_fields is sent (a planted defect may drop CSP). */
static bool
headers_sent(size_t i)
{
    return i != 0 || !RS_DEFECT(NO_CSP);
}

void
rs_guard_headers_apply_tls(bool tls, struct MHD_Response *resp)
{
    for (size_t i = 0; i < sizeof headers_fields / sizeof *headers_fields; i++)
        if (headers_sent(i))
            MHD_add_response_header(resp, headers_fields[i].name, headers_fields[i].value);
    if (RS_DEFECT(VERSION_BANNER))
        rs_defect_version_banner(resp);
    if (tls && !RS_DEFECT(NO_HSTS))
        MHD_add_response_header(resp, headers_hsts.name, headers_hsts.value);
}

void
rs_guard_headers_apply(const struct rs_request *r, struct MHD_Response *resp)
{
    rs_guard_headers_apply_tls(r->ctx->tls, resp);
}

size_t
rs_guard_headers_text(bool tls, char *buf, size_t size)
{
    size_t used = 0;
    int n;

    for (size_t i = 0; i <= sizeof headers_fields / sizeof *headers_fields; i++) {
        const struct headers_field *f =
            i < sizeof headers_fields / sizeof *headers_fields ? &headers_fields[i] : &headers_hsts;
        if (f == &headers_hsts ? !(tls && !RS_DEFECT(NO_HSTS)) : !headers_sent(i))
            continue;
        n = snprintf(buf + used, size - used, "%s: %s\r\n", f->name, f->value);
        if (n < 0 || (size_t)n >= size - used)
            return 0;
        used += (size_t)n;
    }
    return used;
}
