/* Health, readiness and the OpenAPI document. */
#include <string.h>

#include "rs/api.h"
#include "rs/defect.h"
#include "rs/embedded.h"
#include "rs/reply.h"
#include "rs/store/db.h"

enum MHD_Result
rs_api_health(struct rs_request *r)
{
    if (RS_DEFECT(HEALTH_REQUIRES_TOKEN))
        return rs_reply_detail(r, MHD_HTTP_UNAUTHORIZED, "Authentication required");
    return rs_reply_json(r, MHD_HTTP_OK, json_pack("{s:s}", "status", "ok"));
}

enum MHD_Result
rs_api_ready(struct rs_request *r)
{
    if (rs_db_ping(r->ctx->db) != 0) {
        rs_reply_header(r, "Retry-After", "1");
        return rs_reply_detail(r, MHD_HTTP_SERVICE_UNAVAILABLE, "Database unavailable");
    }
    return rs_reply_json(r, MHD_HTTP_OK, json_pack("{s:s}", "status", "ready"));
}

enum MHD_Result
rs_api_openapi(struct rs_request *r)
{
    const char *doc = rs_openapi_files[0].text;
    return rs_reply_static(r, MHD_HTTP_OK, "application/json", doc, strlen(doc));
}
