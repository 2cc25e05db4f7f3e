#include "rs/http_errors.h"

#include <dlfcn.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmn/log.h"
#include "rs/error.h"
#include "rs/guard/headers.h"

typedef enum MHD_Result (*http_errors_queue_fn)(struct MHD_Connection *c, unsigned int status,
                                               struct MHD_Response *resp);

/* libmicrohttpd's MHD_queue_response. Set once by rs_http_errors_init()
 * before any thread starts, read-only afterwards (like library init in
 * main, an allowed exception to "no mutable globals"). */
static http_errors_queue_fn http_errors_real_queue;

int
rs_http_errors_init(void)
{
    void *own = dlsym(RTLD_DEFAULT, "MHD_queue_response");

    if (http_errors_real_queue == NULL)
        http_errors_real_queue = (http_errors_queue_fn)dlsym(RTLD_NEXT, "MHD_queue_response");
    if (http_errors_real_queue == NULL) {
        cmn_log(CMN_LOG_ERROR, "http: libmicrohttpd's MHD_queue_response not found");
        return RS_E_INVAL;
    }
    if (own != (void *)MHD_queue_response)
        cmn_log(CMN_LOG_WARN, "http: libmicrohttpd's own error pages keep their HTML shape "
                              "(MHD_queue_response is not bound to authref)");
    return 0;
}

/* The detail of libmicrohttpd's own answer with status. */
static const char *
http_errors_detail(unsigned status)
{
    switch (status) {
    case MHD_HTTP_BAD_REQUEST:
        return "Malformed request";
    case MHD_HTTP_CONTENT_TOO_LARGE:
        return "Request body too large";
    case MHD_HTTP_URI_TOO_LONG:
        return "URL too long";
    case MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE:
        return "Request header fields too large";
    case MHD_HTTP_HTTP_VERSION_NOT_SUPPORTED:
        return "HTTP version not supported";
    case MHD_HTTP_INTERNAL_SERVER_ERROR:
        return "Internal server error";
    default:
        return MHD_get_reason_phrase_for(status);
    }
}

/* libmicrohttpd's answer made from static HTML: no Content-Type. */
static bool
http_errors_is_own(unsigned status, struct MHD_Response *resp)
{
    return status >= 400 && resp != NULL &&
           MHD_get_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE) == NULL;
}

/* Replaces libmicrohttpd's own error answer; forwards every other one. */
enum MHD_Result
MHD_queue_response(struct MHD_Connection *c, unsigned int status, struct MHD_Response *resp)
{
    char body[128];
    struct MHD_Response *json;
    enum MHD_Result ret;
    bool tls;
    int n;

    if (http_errors_real_queue == NULL && rs_http_errors_init() != 0)
        return MHD_NO;
    if (!http_errors_is_own(status, resp))
        return http_errors_real_queue(c, status, resp);
    n = snprintf(body, sizeof body, "{\"detail\":\"%s\"}", http_errors_detail(status));
    if (n < 0 || (size_t)n >= sizeof body)
        return http_errors_real_queue(c, status, resp);
    json = MHD_create_response_from_buffer((size_t)n, body, MHD_RESPMEM_MUST_COPY);
    if (json == NULL)
        return http_errors_real_queue(c, status, resp);
    tls = MHD_get_connection_info(c, MHD_CONNECTION_INFO_PROTOCOL) != NULL;
    MHD_add_response_header(json, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(json, MHD_HTTP_HEADER_CONNECTION, "close");
    rs_guard_headers_apply_tls(tls, json);
    cmn_log(CMN_LOG_INFO, "http: request refused by libmicrohttpd status=%u", status);
    ret = http_errors_real_queue(c, status, json);
    MHD_destroy_response(json);
    MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT,
                              (unsigned int)RS_HTTP_ERRORS_TIMEOUT_S);
    return ret;
}
