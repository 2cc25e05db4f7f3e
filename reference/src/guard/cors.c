/* CORS: only configured origins are echoed, with credentials; never "*". */
#include <string.h>
#include <strings.h>

#include "rs/defect.h"
#include "rs/guard.h"
#include "rs/reply.h"

/* Borrowed: the request's Origin when it is configured, else NULL. */
static const char *
cors_allowed_origin(const struct rs_request *r)
{
    const char *origin = rs_request_header(r, "Origin");
    const struct rs_config *cfg = r->ctx->cfg;

    if (origin == NULL)
        return NULL;
    if (RS_DEFECT(CORS_REFLECT_ANY_ORIGIN))
        return origin;
    for (size_t i = 0; i < cfg->n_origins; i++)
        if (strcasecmp(cfg->origins[i], origin) == 0)
            return origin;
    return NULL;
}

void
rs_guard_cors_apply(const struct rs_request *r, struct MHD_Response *resp)
{
    const char *origin = cors_allowed_origin(r);

    MHD_add_response_header(resp, "Vary", "Origin");
    if (RS_DEFECT(CORS_WILDCARD_CREDENTIALS)) {
        MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
        MHD_add_response_header(resp, "Access-Control-Allow-Credentials", "true");
        return;
    }
    if (origin == NULL)
        return;
    MHD_add_response_header(resp, "Access-Control-Allow-Origin", origin);
    MHD_add_response_header(resp, "Access-Control-Allow-Credentials", "true");
    MHD_add_response_header(resp, "Access-Control-Expose-Headers", "Retry-After");
}

bool
rs_guard_cors_is_preflight(const struct rs_request *r)
{
    return rs_request_header(r, "Origin") != NULL &&
           rs_request_header(r, "Access-Control-Request-Method") != NULL;
}

enum MHD_Result
rs_guard_cors_preflight(struct rs_request *r, const char *allow)
{
    const char *want = rs_request_header(r, "Access-Control-Request-Method");
    const char *p;
    size_t wl;
    bool method_ok = false;

    if (cors_allowed_origin(r) == NULL)
        return rs_reply_detail(r, MHD_HTTP_FORBIDDEN, "Origin not allowed");
    /* allow is "GET, HEAD, POST, OPTIONS": look for want as a whole item. */
    wl = strlen(want);
    for (p = allow; wl > 0 && (p = strstr(p, want)) != NULL; p += wl) {
        if ((p == allow || p[-1] == ' ') && (p[wl] == ',' || p[wl] == '\0')) {
            method_ok = true;
            break;
        }
    }
    if (!method_ok)
        return rs_reply_detail(r, MHD_HTTP_FORBIDDEN, "Method not allowed by CORS policy");
    rs_reply_header(r, "Access-Control-Allow-Methods", allow);
    rs_reply_header(r, "Access-Control-Allow-Headers", "Authorization, Content-Type");
    rs_reply_header(r, "Access-Control-Max-Age", "600");
    return rs_reply_empty(r, MHD_HTTP_NO_CONTENT);
}
