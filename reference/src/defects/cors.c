/* Planted CORS defects (defect builds only). */
#include "rs/defect.h"

#include <microhttpd.h>

bool
rs_defect_cors_wildcard(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
    MHD_add_response_header(resp, "Access-Control-Allow-Credentials", "true");
    return true;
}
