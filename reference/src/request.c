#include "rs/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs/defect.h"

/* The client address: the peer, or with --trust-proxy the last (rightmost)
 * address of X-Forwarded-For, the one the trusted proxy itself appended. */
static void
request_client_ip(struct rs_request *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const char *xff;

    snprintf(r->client_ip, sizeof r->client_ip, "unknown");
    if (ci != NULL && ci->client_addr != NULL) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                      r->client_ip, sizeof r->client_ip);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                      r->client_ip, sizeof r->client_ip);
    }
    xff = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (RS_DEFECT(FORWARDED_FOR_TRUSTED) && xff != NULL) {
        rs_defect_forwarded_first(xff, r->client_ip, sizeof r->client_ip);
        return;
    }
    if (!r->ctx->cfg->trust_proxy)
        return;
    if (xff != NULL) {
        const char *last = strrchr(xff, ',');
        char addr[INET6_ADDRSTRLEN];
        unsigned char bin[sizeof(struct in6_addr)];
        size_t n;

        last = last ? last + 1 : xff;
        while (*last == ' ' || *last == '\t')
            last++;
        n = strcspn(last, " \t");
        if (n > 0 && n < sizeof addr) {
            memcpy(addr, last, n);
            addr[n] = '\0';
            if (inet_pton(AF_INET, addr, bin) == 1 || inet_pton(AF_INET6, addr, bin) == 1)
                snprintf(r->client_ip, sizeof r->client_ip, "%s", addr);
        }
    }
}

struct rs_request *
rs_request_new(struct rs_ctx *ctx, struct MHD_Connection *conn, const char *method,
               const char *path, size_t max_body)
{
    struct rs_request *r = calloc(1, sizeof *r);

    if (r == NULL)
        return NULL;
    r->ctx = ctx;
    r->conn = conn;
    r->method = method;
    r->path = path;
    cmn_buf_init(&r->body, max_body);
    {
        size_t i = 0;
        for (const char *p = path; *p && i + 4 < sizeof r->log_path; p++, i++)
            r->log_path[i] = (*p > 0x20 && *p < 0x7f) ? *p : '?';
        if (path[i] != '\0')
            memcpy(r->log_path + i, "...", 4);
        else
            r->log_path[i] = '\0';
    }
    clock_gettime(CLOCK_MONOTONIC, &r->started);
    request_client_ip(r);
    return r;
}

void
rs_request_free(struct rs_request *r)
{
    if (r == NULL)
        return;
    if (r->body.data != NULL)
        explicit_bzero(r->body.data, r->body.len); /* may hold a password */
    cmn_buf_cleanup(&r->body);
    json_decref(r->state);
    explicit_bzero(&r->job, sizeof r->job);
    free(r);
}

const char *
rs_request_header(const struct rs_request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}
