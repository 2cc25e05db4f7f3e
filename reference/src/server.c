#include "rs/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmn/env.h"
#include "cmn/log.h"
#include "rs/ctx.h"
#include "rs/defect.h"
#include "rs/error.h"
#include "rs/framing.h"
#include "rs/http_errors.h"
#include "rs/linger.h"
#include "rs/password.h"
#include "rs/reply.h"
#include "rs/request.h"
#include "rs/router.h"
#include "rs/store/db.h"

#define SERVER_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3"
#define SERVER_TLS12_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
#define SERVER_DB_WAIT_S 30
/* What precedes the body. authref's own caps answer with its JSON error and
 * security headers; libmicrohttpd's per-connection memory is set well above
 * them so that such a request reaches authref at all. Only past that memory
 * (request line and headers together) does libmicrohttpd answer 414/431
 * itself, with its own body. */
#define SERVER_URI_MAX (8 * 1024)      /* path and query */
#define SERVER_HEADERS_MAX (16 * 1024) /* every header line, names and values */
/* libmicrohttpd zeroes a connection's memory for every request, so this is
 * paid per request: at 128 KiB the zeroing took 31 % of a /health request's
 * CPU; at 32 KiB /health runs at 1.5 times the rate. */
#define SERVER_CONN_MEMORY (32 * 1024)
/* Connections closed while their client may still send, drained at once
 * (rs/linger.h); more are closed at once. */
#define SERVER_LINGER_MAX 256

struct rs_server {
    struct rs_ctx ctx;
    struct MHD_Daemon *daemon;
    struct MHD_Daemon *redirect;
    struct rs_linger *linger;
    char *cert_pem;
    char *key_pem;
    unsigned port;
    unsigned redirect_port;
};

/* What the URI callback hands the first call of a request whose target
 * (path and query) is over SERVER_URI_MAX, or holds a raw NUL byte. Only
 * their addresses count. */
static const char server_target_too_long_mark, server_target_nul_mark;
#define SERVER_TARGET_TOO_LONG ((void *)(uintptr_t)&server_target_too_long_mark)
#define SERVER_TARGET_HAS_NUL ((void *)(uintptr_t)&server_target_nul_mark)

static bool
server_is_target_mark(const void *p)
{
    return p == SERVER_TARGET_TOO_LONG || p == SERVER_TARGET_HAS_NUL;
}

/* Whether p is where libmicrohttpd ended the request target: the NUL it
 * wrote over the space before the HTTP version, followed by that version
 * ("HTTP/1.x", checked by libmicrohttpd before this callback) and the NUL it
 * wrote over the line's end. */
static bool
server_is_target_end(const char *p)
{
    return p[0] == '\0' && memcmp(p + 1, "HTTP/1.", 7) == 0 && p[8] >= '0' && p[8] <= '9' &&
           p[9] == '\0';
}

#define SERVER_QUERY_ARGS_MAX 64

/* The number of arguments a query ("?a=1&b") holds, as libmicrohttpd
 * splits it. */
static size_t
server_query_args(const char *query)
{
    size_t n = 1;
    for (const char *p = query; *p != '\0'; p++)
        n += *p == '&';
    return n;
}

/* Runs on the raw request target before libmicrohttpd splits its query.
 * libmicrohttpd 0.9.75 keeps one record per query parameter in the
 * connection's memory; past what that memory holds (1000 "&" suffice) it
 * queues a 431, but the request line parser goes on, the answer is lost and
 * the client waits for the connection timeout. authref's routes read no
 * query parameter (a planted defect does): a query of more than
 * SERVER_QUERY_ARGS_MAX arguments is cut off here (the target is
 * libmicrohttpd's own buffer, which it writes into itself), after the target
 * was measured for the 414 cap. A raw NUL byte in the target would hide the
 * rest from strlen(): the target is walked to its real end (the first place that looks
 * like it: a target that imitates a line end stops the walk early, and the
 * timeout of rs/http_errors.h still closes such a connection), and such a
 * target is refused. Returns SERVER_TARGET_TOO_LONG, SERVER_TARGET_HAS_NUL or
 * NULL, which libmicrohttpd hands the first call of the request as its
 * context. */
static void *
server_uri_cut_query(const char *uri)
{
    char *p = (char *)(uintptr_t)uri;
    char *query = NULL;
    bool has_nul = false;
    size_t n;

    if (uri == NULL)
        return NULL;
    for (n = 0; n < SERVER_CONN_MEMORY; n++) {
        if (p[n] == '\0') {
            if (server_is_target_end(p + n))
                break;
            has_nul = true;
        } else if (p[n] == '?' && query == NULL) {
            query = p + n;
        }
    }
    if (query != NULL && server_query_args(query) > SERVER_QUERY_ARGS_MAX)
        query[1] = '\0';
    if (has_nul)
        return SERVER_TARGET_HAS_NUL;
    return n > SERVER_URI_MAX ? SERVER_TARGET_TOO_LONG : NULL;
}

static void *
server_uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    return server_uri_cut_query(uri);
}

/* The redirect listener keeps no context: it only needs the cut. */
static void *
server_redirect_uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    (void)server_uri_cut_query(uri);
    return NULL;
}

/* Keeps the URL as it came: paths are matched and compared raw. */
static size_t
server_no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

/* libmicrohttpd's messages: fmt is its own printf format with ap its
 * arguments (MHD_LogCallback), as the attribute tells the compiler. */
static void server_mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
server_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    (void)cls;
    vsnprintf(line, sizeof line, fmt, ap);
    cmn_log(CMN_LOG_DEBUG, "http: %s", line);
}

static enum MHD_Result
server_count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    size_t *n = cls;
    (void)kind;
    *n += strlen(key) + (value != NULL ? strlen(value) : 0) + 4; /* ": " and CRLF */
    return MHD_YES;
}

/* 400, 414 or 431 in authref's shape when the request target holds a NUL
 * byte or the target or the headers are over authref's caps; MHD_YES with
 * nothing queued when they are not. */
static enum MHD_Result
server_check_target_and_sizes(struct rs_request *r, const void *target_mark)
{
    size_t headers = 0;

    if (target_mark == SERVER_TARGET_HAS_NUL) {
        rs_reply_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
        return rs_reply_detail(r, MHD_HTTP_BAD_REQUEST, "Malformed request target");
    }
    if (target_mark == SERVER_TARGET_TOO_LONG)
        return rs_reply_detail(r, MHD_HTTP_URI_TOO_LONG, "URL too long");
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, server_count_header, &headers);
    if (headers > SERVER_HEADERS_MAX)
        return rs_reply_detail(r, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
                               "Request header fields too large");
    return MHD_YES;
}

static enum MHD_Result
server_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
              const char *version, const char *upload_data, size_t *upload_data_size,
              void **con_cls)
{
    struct rs_ctx *ctx = cls;
    struct rs_request *r = *con_cls;

    if (r == NULL || server_is_target_mark(*con_cls)) {
        const void *target_mark = *con_cls;
        const char *cl, *problem;
        long long declared;

        r = rs_request_new(ctx, conn, method, url, (size_t)ctx->cfg->max_body);
        if (r == NULL)
            return MHD_NO;
        *con_cls = r;
        /* Answered now, before libmicrohttpd reads a byte of the body, the
         * connection is closed after the answer (it says so too). */
        problem = rs_framing_problem(conn, method, version);
        if (problem != NULL) {
            cmn_log(CMN_LOG_INFO, "http: request refused reason=framing (%s) ip=%s", problem,
                    r->client_ip);
            rs_reply_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
            return rs_reply_detail(r, MHD_HTTP_BAD_REQUEST, problem);
        }
        if (server_check_target_and_sizes(r, target_mark) != MHD_YES)
            return MHD_NO;
        if (r->status != 0)
            return MHD_YES; /* answered: 414 or 431 */
        /* A declared length over the limit is refused before any byte is read. */
        cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl != NULL && (declared = strtoll(cl, NULL, 10)) > ctx->cfg->max_body) {
            r->body_too_big = true;
            return rs_router_dispatch(r);
        }
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        if (r->status == 0 && !r->body_too_big &&
            cmn_buf_add(&r->body, upload_data, *upload_data_size) != 0) {
            /* A chunked body past --max-body: answered now, not at its end
             * (which may never come). libmicrohttpd queues no response while
             * a body arrives, so the answer goes straight to the socket and
             * the connection is closed. Over TLS it is only closed. */
            r->body_too_big = true;
            if (rs_reply_on_socket(r, MHD_HTTP_CONTENT_TOO_LARGE, "Request body too large") != 0)
                cmn_log(CMN_LOG_INFO, "http: body over --max-body, connection closed ip=%s",
                        r->client_ip);
            return MHD_NO;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->status != 0)
        return MHD_YES; /* answered already (413 on the declared length) */
    return rs_router_dispatch(r);
}

static void
server_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                 enum MHD_RequestTerminationCode toe)
{
    struct rs_request *r = *con_cls;
    struct timespec now;
    double ms;
    char method[16];
    size_t i;
    (void)cls;
    (void)conn;

    if (r == NULL || server_is_target_mark(*con_cls))
        return; /* closed before the first call of the request */
    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (double)(now.tv_sec - r->started.tv_sec) * 1e3 +
         (double)(now.tv_nsec - r->started.tv_nsec) / 1e6;
    for (i = 0; i + 1 < sizeof method && r->method[i] != '\0'; i++)
        method[i] = (r->method[i] >= 'A' && r->method[i] <= 'Z') ? r->method[i] : '?';
    method[i] = '\0';
    cmn_log(CMN_LOG_INFO, "http: %s %s %u %.1fms ip=%s user=%s%s", method, r->log_path, r->status,
            ms, r->client_ip, r->user_id[0] ? r->user_id : "-",
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection closed early)");
    rs_request_free(r);
    *con_cls = NULL;
}

/* A connection libmicrohttpd is about to close: when its client has not
 * closed its side, the socket lingers (rs/linger.h) on a descriptor of its
 * own, so that libmicrohttpd's close() does not reset the connection under
 * an answer the client has yet to read. */
static void
server_connection_notified(void *cls, struct MHD_Connection *conn, void **socket_context,
                           enum MHD_ConnectionNotificationCode code)
{
    struct rs_server *s = cls;
    const union MHD_ConnectionInfo *info;
    char probe;
    int fd;
    (void)socket_context;

    if (code != MHD_CONNECTION_NOTIFY_CLOSED || s->linger == NULL)
        return;
    info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info == NULL || info->connect_fd < 0)
        return;
    /* 0: the client closed its side, nothing more will come. */
    if (recv(info->connect_fd, &probe, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
        return;
    fd = fcntl(info->connect_fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        cmn_log(CMN_LOG_WARN, "linger: cannot keep a closing socket: %s", strerror(errno));
        return;
    }
    rs_linger_take(s->linger, fd);
}

/* ---- the plain-HTTP listener that only redirects ---- */

/* 400 for a request whose framing is refused (rs/framing.h); the
 * connection is closed after it. */
static enum MHD_Result
server_redirect_refuse(struct MHD_Connection *conn, const char *problem)
{
    char body[160];
    struct MHD_Response *resp;
    enum MHD_Result ret;
    int n = snprintf(body, sizeof body, "{\"detail\":\"%s\"}", problem);

    if (n < 0 || (size_t)n >= sizeof body)
        return MHD_NO;
    resp = MHD_create_response_from_buffer((size_t)n, body, MHD_RESPMEM_MUST_COPY);
    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    ret = MHD_queue_response(conn, MHD_HTTP_BAD_REQUEST, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result
server_redirect_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                       const char *version, const char *upload_data, size_t *upload_data_size,
                       void **con_cls)
{
    struct rs_server *s = cls;
    const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
    char name[256], location[2400];
    struct MHD_Response *resp;
    enum MHD_Result ret;
    size_t n = 0;
    static const char body[] = "{\"detail\":\"Use HTTPS\"}";
    (void)upload_data;

    if (*con_cls == NULL) {
        const char *problem = rs_framing_problem(conn, method, version);
        *con_cls = s;
        if (problem != NULL)
            return server_redirect_refuse(conn, problem);
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    /* The host part of Host, if it is a plain name or IPv4 address; else the
     * listen address. Nothing from the request reaches Location unchecked. */
    if (host != NULL) {
        while (host[n] != '\0' && host[n] != ':' && n + 1 < sizeof name &&
               ((host[n] >= 'a' && host[n] <= 'z') || (host[n] >= 'A' && host[n] <= 'Z') ||
                (host[n] >= '0' && host[n] <= '9') || host[n] == '.' || host[n] == '-'))
            n++;
        if (host[n] != '\0' && host[n] != ':')
            n = 0;
    }
    if (n > 0)
        snprintf(name, sizeof name, "%.*s", (int)n, host);
    else
        snprintf(name, sizeof name, "%s", s->ctx.cfg->listen);
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            url = "/";
    if (strlen(url) > 2048)
        url = "/";
    snprintf(location, sizeof location, "https://%s:%u%s", name, s->port, url);
    resp = MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, location);
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    ret = MHD_queue_response(conn, MHD_HTTP_PERMANENT_REDIRECT, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* ---- start and stop ---- */

static int
server_sockaddr(const char *listen, unsigned port, struct sockaddr_storage *ss, bool *v6)
{
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof *ss);
    if (inet_pton(AF_INET, listen, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *v6 = false;
        return 0;
    }
    if (inet_pton(AF_INET6, listen, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *v6 = true;
        return 0;
    }
    return RS_E_INVAL;
}

static struct MHD_Daemon *
server_listen(struct rs_server *s, unsigned port, bool api, unsigned *bound)
{
    const struct rs_config *cfg = s->ctx.cfg;
    struct sockaddr_storage ss;
    struct MHD_OptionItem opts[16];
    /* poll, not epoll: libmicrohttpd 0.9.75 registers its sockets with
     * epoll edge-triggered and stops reading after a short read, so a FIN
     * that arrived with the last bytes of an incomplete request went unseen
     * until the 30 s timeout. poll is level-triggered: the end is read at
     * once and the connection closed. Measured: the same read throughput
     * (reference/README.md). */
    unsigned flags = MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
    unsigned k = 0;
    bool v6;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;

    if (server_sockaddr(cfg->listen, port, &ss, &v6) != 0) {
        cmn_log(CMN_LOG_ERROR, "http: --listen %s is not an IPv4 or IPv6 address", cfg->listen);
        return NULL;
    }
    if (v6)
        flags |= MHD_USE_IPv6;
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &ss};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)server_mhd_log, NULL};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL};
    opts[k++] =
        (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, SERVER_CONN_MEMORY, NULL};
    opts[k++] =
        (struct MHD_OptionItem){MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)server_no_unescape, NULL};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION,
                                        (intptr_t)server_connection_notified, s};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK,
                                        api ? (intptr_t)server_uri_seen
                                            : (intptr_t)server_redirect_uri_seen,
                                        NULL};
    if (api) {
        flags |= MHD_ALLOW_SUSPEND_RESUME;
        opts[k++] =
            (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)cfg->workers, NULL};
        opts[k++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)server_completed,
                                            &s->ctx};
        if (s->ctx.tls) {
            flags |= MHD_USE_TLS;
            opts[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert_pem};
            opts[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, s->key_pem};
            opts[k++] =
                (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
                                        (void *)(RS_DEFECT(TLS12_ALLOWED) ? SERVER_TLS12_PRIORITIES
                                                                          : SERVER_TLS_PRIORITIES)};
        }
    }
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    if (api)
        d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, server_access, &s->ctx,
                             MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    else
        d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, server_redirect_access, s,
                             MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (d == NULL) {
        cmn_log(CMN_LOG_ERROR, "http: cannot listen on %s port %u", cfg->listen, port);
        return NULL;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    *bound = info ? info->port : port;
    return d;
}

int
rs_server_write_port_file(const char *path, unsigned port)
{
    char tmp[4096];
    FILE *f;
    int n = snprintf(tmp, sizeof tmp, "%s.tmp", path);

    if (n < 0 || (size_t)n >= sizeof tmp)
        return RS_E_TOOBIG;
    f = fopen(tmp, "w");
    if (f == NULL)
        return RS_E_IO;
    if (fprintf(f, "%u\n", port) < 0 || fclose(f) != 0) {
        unlink(tmp);
        return RS_E_IO;
    }
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        return RS_E_IO;
    }
    return 0;
}

static int
server_wait_for_db(struct rs_server *s)
{
    for (int i = 0; i < SERVER_DB_WAIT_S * 4; i++) {
        int rc = rs_db_migrate(s->ctx.db);
        if (rc == 0)
            return 0;
        if (rc != RS_E_DB)
            return rc;
        if (i == 0)
            cmn_log(CMN_LOG_WARN, "db: not reachable yet, waiting up to %d s", SERVER_DB_WAIT_S);
        usleep(250 * 1000);
    }
    cmn_log(CMN_LOG_ERROR, "db: not reachable after %d s", SERVER_DB_WAIT_S);
    return RS_E_DB;
}

int
rs_server_start(const struct rs_config *cfg, struct rs_server **out)
{
    struct rs_server *s = calloc(1, sizeof *s);
    unsigned char random_pw[24];
    char pw[49];
    int rc;

    if (s == NULL)
        return RS_E_NOMEM;
    s->ctx.cfg = cfg;
    s->ctx.tls = cfg->tls_cert != NULL;
    s->ctx.cookie_secure = s->ctx.tls || cfg->cookie_secure;
    if (s->ctx.tls) {
        if (cmn_read_file_trimmed(cfg->tls_cert, 1 << 20, &s->cert_pem) != 0 ||
            cmn_read_file_trimmed(cfg->tls_key, 1 << 20, &s->key_pem) != 0) {
            cmn_log(CMN_LOG_ERROR, "tls: cannot read the certificate or key file");
            rc = RS_E_IO;
            goto fail;
        }
    }
    rc = rs_db_new(cfg->database_url, (unsigned)cfg->db_pool, &s->ctx.db);
    if (rc != 0)
        goto fail;
    rc = server_wait_for_db(s);
    if (rc != 0)
        goto fail;
    if (RS_DEFECT(DUPLICATE_SIGNUP_RACE) || RS_DEFECT(DUPLICATE_SIGNUP_ALLOWED)) {
        rc = rs_defect_signup_drop_unique_email(s->ctx.db);
        if (rc != 0)
            goto fail;
    }
    if (cfg->insecure_bcrypt_cost)
        cmn_log(CMN_LOG_WARN, "bcrypt: cost %d is below 12: for tests only, never in production",
                cfg->bcrypt_cost);
    /* The dummy hash: of a random password nobody knows, at the real cost. */
    {
        FILE *ur = fopen("/dev/urandom", "rb");
        size_t got = ur ? fread(random_pw, 1, sizeof random_pw, ur) : 0;
        if (ur)
            fclose(ur);
        if (got != sizeof random_pw) {
            rc = RS_E_IO;
            goto fail;
        }
        for (size_t i = 0; i < sizeof random_pw; i++)
            snprintf(pw + 2 * i, 3, "%02x", random_pw[i]);
        rc = rs_password_hash(pw, cfg->bcrypt_cost, s->ctx.dummy_hash, sizeof s->ctx.dummy_hash);
        explicit_bzero(pw, sizeof pw);
        explicit_bzero(random_pw, sizeof random_pw);
        if (rc != 0)
            goto fail;
    }
    rc = rs_hashpool_new((unsigned)cfg->hash_workers, (unsigned)cfg->hash_queue, cfg->bcrypt_cost,
                         &s->ctx.hashes);
    if (rc != 0)
        goto fail;
    rc = rs_http_errors_init();
    if (rc != 0)
        goto fail;
    rc = rs_linger_new(SERVER_LINGER_MAX, &s->linger);
    if (rc != 0)
        goto fail;
    rc = RS_E_HTTP;
    s->daemon = server_listen(s, (unsigned)cfg->port, true, &s->port);
    if (s->daemon == NULL)
        goto fail;
    if (cfg->http_redirect_port >= 0) {
        s->redirect = server_listen(s, (unsigned)cfg->http_redirect_port, false, &s->redirect_port);
        if (s->redirect == NULL)
            goto fail;
    }
    cmn_log(CMN_LOG_INFO, "http: listening on %s port %u (%s, %ld threads)%s", cfg->listen, s->port,
            s->ctx.tls ? "HTTPS, TLS 1.3 only" : "HTTP", cfg->workers, s->redirect ? "" : "");
    if (s->redirect)
        cmn_log(CMN_LOG_INFO, "http: redirecting plain HTTP on port %u to HTTPS", s->redirect_port);
    *out = s;
    return 0;
fail:
    rs_server_stop(s);
    return rc;
}

unsigned
rs_server_port(const struct rs_server *s)
{
    return s->port;
}

unsigned
rs_server_redirect_port(const struct rs_server *s)
{
    return s->redirect_port;
}

void
rs_server_stop(struct rs_server *s)
{
    if (s == NULL)
        return;
    if (s->redirect != NULL)
        MHD_stop_daemon(s->redirect);
    /* Cancels waiting bcrypt work: each suspended connection is resumed and
     * answers 503 before the daemon closes it; later submits get 503 too. */
    if (s->ctx.hashes != NULL)
        rs_hashpool_stop(s->ctx.hashes);
    if (s->daemon != NULL)
        MHD_stop_daemon(s->daemon);
    rs_linger_free(s->linger);
    rs_hashpool_free(s->ctx.hashes);
    rs_db_free(s->ctx.db);
    if (s->key_pem != NULL)
        explicit_bzero(s->key_pem, strlen(s->key_pem));
    free(s->key_pem);
    free(s->cert_pem);
    explicit_bzero(s->ctx.dummy_hash, sizeof s->ctx.dummy_hash);
    free(s);
}
