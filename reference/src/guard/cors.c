/* CORS: only configured origins are echoed, with credentials; never "*". */
#include "rs/guard/cors.h"

#include <string.h>
#include <strings.h>

#include "rs/defect.h"

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
    if (RS_DEFECT(CORS_WILDCARD_CREDENTIALS) && rs_defect_cors_wildcard(resp))
        return;
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

enum rs_cors_preflight
rs_guard_cors_preflight_check(const struct rs_request *r, const char *allow)
{
    const char *want = rs_request_header(r, "Access-Control-Request-Method");
    const char *p;
    size_t wl;

    if (cors_allowed_origin(r) == NULL)
        return RS_CORS_PREFLIGHT_BAD_ORIGIN;
    if (want == NULL)
        return RS_CORS_PREFLIGHT_BAD_METHOD;
    /* allow is "GET, HEAD, POST, OPTIONS": look for want as a whole item. */
    wl = strlen(want);
    for (p = allow; wl > 0 && (p = strstr(p, want)) != NULL; p += wl)
        if ((p == allow || p[-1] == ' ') && (p[wl] == ',' || p[wl] == '\0'))
            return RS_CORS_PREFLIGHT_OK;
    return RS_CORS_PREFLIGHT_BAD_METHOD;
}
