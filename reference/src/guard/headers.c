/* Security headers on every response. */
#include "rs/guard/headers.h"

#include "rs/defect.h"

void
rs_guard_headers_apply(const struct rs_request *r, struct MHD_Response *resp)
{
    if (!RS_DEFECT(NO_CSP))
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'none'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    /* Every answer of this API is personal or short-lived: never cache. */
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (RS_DEFECT(VERSION_BANNER))
        rs_defect_version_banner(resp);
    if (r->ctx->tls && !RS_DEFECT(NO_HSTS))
        MHD_add_response_header(resp, "Strict-Transport-Security",
                                "max-age=31536000; includeSubDomains");
}
