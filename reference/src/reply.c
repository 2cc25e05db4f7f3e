#include "rs/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rs/defect.h"
#include "rs/error.h"
#include "rs/guard/cors.h"
#include "rs/guard/headers.h"

int
rs_reply_header(struct rs_request *r, const char *name, const char *value)
{
    struct rs_header *h;
    int n, m;

    if (r->n_extra == RS_MAX_EXTRA_HEADERS)
        return RS_E_TOOBIG;
    h = &r->extra[r->n_extra];
    n = snprintf(h->name, sizeof h->name, "%s", name);
    m = snprintf(h->value, sizeof h->value, "%s", value);
    if (n < 0 || (size_t)n >= sizeof h->name || m < 0 || (size_t)m >= sizeof h->value)
        return RS_E_TOOBIG;
    r->n_extra++;
    return 0;
}

/* Adds the common headers, queues and releases resp. */
static enum MHD_Result
reply_queue(struct rs_request *r, unsigned status, struct MHD_Response *resp)
{
    enum MHD_Result ret;

    if (resp == NULL)
        return MHD_NO;
    rs_guard_headers_apply(r, resp);
    rs_guard_cors_apply(r, resp);
    /* RFC 9110 section 15.5.2: a 401 carries a challenge for the target
     * resource. Bearer tokens (RFC 6750) are the one scheme of this API, so
     * every 401 names it: a refused token and a failed signin alike. */
    if (status == MHD_HTTP_UNAUTHORIZED && !RS_DEFECT(MISSING_WWW_AUTHENTICATE))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, RS_REPLY_CHALLENGE);
    for (unsigned i = 0; i < r->n_extra; i++)
        MHD_add_response_header(resp, r->extra[i].name, r->extra[i].value);
    ret = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    if (ret == MHD_YES)
        r->status = status;
    return ret;
}

enum MHD_Result
rs_reply_json(struct rs_request *r, unsigned status, json_t *body)
{
    char *s = body ? json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    struct MHD_Response *resp;

    json_decref(body);
    if (s == NULL)
        return rs_reply_internal(r);
    resp = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(s);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    return reply_queue(r, status, resp);
}

enum MHD_Result
rs_reply_detail(struct rs_request *r, unsigned status, const char *detail)
{
    if (RS_DEFECT(VALIDATION_400) && status == MHD_HTTP_UNPROCESSABLE_CONTENT)
        status = MHD_HTTP_BAD_REQUEST;
    if (RS_DEFECT(LEAKY_ERRORS) && status == MHD_HTTP_UNPROCESSABLE_CONTENT)
        return rs_reply_json(r, status, rs_defect_leaky_body(detail));
    return rs_reply_json(r, status, json_pack("{s:s}", "detail", detail));
}

enum MHD_Result
rs_reply_empty(struct rs_request *r, unsigned status)
{
    return reply_queue(r, status,
                       MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT));
}

enum MHD_Result
rs_reply_static(struct rs_request *r, unsigned status, const char *content_type, const char *p,
                size_t n)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(n, (void *)(uintptr_t)p, MHD_RESPMEM_PERSISTENT);
    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    return reply_queue(r, status, resp);
}

enum MHD_Result
rs_reply_unavailable(struct rs_request *r)
{
    rs_reply_header(r, "Retry-After", "1");
    return rs_reply_detail(r, MHD_HTTP_SERVICE_UNAVAILABLE, "Service temporarily unavailable");
}

enum MHD_Result
rs_reply_internal(struct rs_request *r)
{
    static const char body[] = "{\"detail\":\"Internal server error\"}";
    return rs_reply_static(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "application/json", body,
                           sizeof body - 1);
}

int
rs_reply_on_socket(struct rs_request *r, unsigned status, const char *detail)
{
    int rc = rs_reply_on_socket_of(r->conn, r->ctx->tls, status, detail);
    if (rc == 0)
        r->status = status;
    return rc;
}

int
rs_reply_on_socket_of(struct MHD_Connection *conn, bool tls, unsigned status, const char *detail)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    char text[2048], body[256];
    size_t used;
    int n, b;
    ssize_t sent;

    if (tls || info == NULL)
        return RS_E_INVAL;
    b = snprintf(body, sizeof body, "{\"detail\":\"%s\"}", detail);
    n = snprintf(text, sizeof text,
                 "HTTP/1.1 %u %s\r\nConnection: close\r\nContent-Type: application/json\r\n",
                 status, MHD_get_reason_phrase_for(status));
    if (b < 0 || (size_t)b >= sizeof body || n < 0 || (size_t)n >= sizeof text)
        return RS_E_TOOBIG;
    used = (size_t)n;
    n = (int)rs_guard_headers_text(tls, text + used, sizeof text - used);
    if (n == 0)
        return RS_E_TOOBIG;
    used += (size_t)n;
    n = snprintf(text + used, sizeof text - used, "Content-Length: %d\r\n\r\n%s", b, body);
    if (n < 0 || (size_t)n >= sizeof text - used)
        return RS_E_TOOBIG;
    used += (size_t)n;
    sent = send(info->connect_fd, text, used, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent != (ssize_t)used)
        return RS_E_IO;
    return 0;
}
