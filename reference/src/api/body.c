#include <string.h>
#include <strings.h>

#include "api_int.h"
#include "cmn/json.h"
#include "rs/defect.h"
#include "rs/error.h"
#include "rs/guard/auth.h"
#include "rs/store/db.h"
#include "rs/reply.h"

#define API_MAX_DEPTH 16

bool
rs__api_body_object(struct rs_request *r, json_t **out, enum MHD_Result *answered)
{
    const char *ct = rs_request_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
    char why[160];
    char detail[200];
    json_t *j;

    if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0 ||
        (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
        *answered = rs_reply_detail(r, MHD_HTTP_UNPROCESSABLE_CONTENT,
                                    "Content-Type: must be application/json");
        return false;
    }
    if (r->body.len == 0) {
        *answered =
            rs_reply_detail(r, MHD_HTTP_UNPROCESSABLE_CONTENT, "body: a JSON object is required");
        return false;
    }
    j = cmn_json_parse_strict(r->body.data, r->body.len, API_MAX_DEPTH, why, sizeof why);
    if (j == NULL) {
        /* Keep where the JSON broke, not the parser's own words (they name
         * library internals such as flag names). */
        char *colon = strstr(why, "column ");
        if (colon != NULL && (colon = strchr(colon, ':')) != NULL)
            *colon = '\0';
        snprintf(detail, sizeof detail, "body: %s", why);
        *answered = rs_reply_detail(r, MHD_HTTP_UNPROCESSABLE_CONTENT, detail);
        return false;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        *answered =
            rs_reply_detail(r, MHD_HTTP_UNPROCESSABLE_CONTENT, "body: must be a JSON object");
        return false;
    }
    *out = j;
    return true;
}

size_t
rs__api_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

enum MHD_Result
rs__api_store_error(struct rs_request *r, int rc, const char *notfound)
{
    switch (rc) {
    case RS_E_NOTFOUND:
        return rs_reply_detail(r, MHD_HTTP_NOT_FOUND, notfound);
    case RS_E_DB:
        if (RS_DEFECT(LEAKY_ERRORS))
            return rs_reply_json(r, MHD_HTTP_INTERNAL_SERVER_ERROR, rs_defect_leaky_db_body());
        return rs_reply_unavailable(r);
    case RS_E_BUSY:
        return rs_reply_unavailable(r);
    case RS_E_ACCOUNT_UNKNOWN:
        if (RS_DEFECT(UNKNOWN_USER_ACCEPTED))
            return rs_reply_json(r, MHD_HTTP_OK, json_array());
        return rs_guard_account_refused(r, rc);
    case RS_E_ACCOUNT_INACTIVE:
        return rs_guard_account_refused(r, rc);
    default:
        return rs_reply_internal(r);
    }
}
