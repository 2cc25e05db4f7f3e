#include "rs/http_errors.h"

#include <dlfcn.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmn/log.h"
#include "rs/error.h"
#include "rs/guard/headers.h"
#include "rs/reply.h"

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

/* Whether the request has a Content-Length that libmicrohttpd cannot read
 * (empty, not only digits, over 2^64 - 1) and no Transfer-Encoding. */
static bool
http_errors_bad_length(struct MHD_Connection *c)
{
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    unsigned long long v = 0;

    if (cl == NULL ||
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL)
        return false;
    if (*cl == '\0')
        return true;
    for (; *cl != '\0'; cl++) {
        unsigned d = (unsigned)(*cl - '0');
        if (d > 9 || v > (~0ULL - d) / 10)
            return true;
        v = v * 10 + d;
    }
    return false;
}

/* Replaces libmicrohttpd's own error answer; forwards every other one.
 *
 * libmicrohttpd 0.9.75 refuses a Content-Length it cannot read (400, or 413
 * past 2^64) from parse_connection_headers() and then overwrites the state
 * of that answer: its header block goes out twice, and a client reads the
 * second one as the body. That answer is written straight to the socket
 * instead (plain HTTP; over TLS the connection is only closed) and
 * libmicrohttpd is told it could not be queued, so it closes the connection
 * at once. A 400 or 413 meets a malformed Content-Length without
 * Transfer-Encoding on one other path only, a later field line without a
 * colon, where libmicrohttpd closes as safely. */
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
    tls = MHD_get_connection_info(c, MHD_CONNECTION_INFO_PROTOCOL) != NULL;
    if ((status == MHD_HTTP_BAD_REQUEST || status == MHD_HTTP_CONTENT_TOO_LARGE) &&
        http_errors_bad_length(c)) {
        cmn_log(CMN_LOG_INFO, "http: unreadable Content-Length refused status=%u", status);
        if (rs_reply_on_socket_of(c, tls, status, http_errors_detail(status)) != 0)
            cmn_log(CMN_LOG_INFO, "http: that answer could not be written; connection closed");
        return MHD_NO;
    }
    n = snprintf(body, sizeof body, "{\"detail\":\"%s\"}", http_errors_detail(status));
    if (n < 0 || (size_t)n >= sizeof body)
        return http_errors_real_queue(c, status, resp);
    json = MHD_create_response_from_buffer((size_t)n, body, MHD_RESPMEM_MUST_COPY);
    if (json == NULL)
        return http_errors_real_queue(c, status, resp);
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
