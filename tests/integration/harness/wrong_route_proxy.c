/*
 * A test-only target that breaks exactly one flow of the contract: a proxy
 * in front of a real authref that passes everything through, except that a
 * 401 whose detail is "Invalid token" (a garbage token on a protected
 * route) comes back as {"detail": "Not authenticated"}. Run against it, the
 * harness must fail QS-PROTECTED-003 and nothing else.
 *
 *   wrong_route_proxy --upstream http://127.0.0.1:PORT --port-file FILE
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cmn/buf.h"

struct proxy_req {
    struct cmn_buf body;
};

struct proxy_hdrs {
    struct curl_slist *list;
};

struct proxy_resp {
    struct cmn_buf body;
    char *names[64];
    char *values[64];
    size_t n;
};

static const char *proxy_upstream; /* set once in main, read by handler threads */
static volatile sig_atomic_t proxy_stop;

static void
proxy_on_signal(int sig)
{
    (void)sig;
    proxy_stop = 1;
}

static enum MHD_Result
proxy_copy_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct proxy_hdrs *h = cls;
    char line[8192];
    (void)kind;
    if (strcasecmp(key, "Host") == 0 || strcasecmp(key, "Content-Length") == 0 ||
        strcasecmp(key, "Connection") == 0 || strcasecmp(key, "Expect") == 0 ||
        strcasecmp(key, "Transfer-Encoding") == 0)
        return MHD_YES;
    snprintf(line, sizeof line, "%s: %s", key, value ? value : "");
    h->list = curl_slist_append(h->list, line);
    return MHD_YES;
}

static size_t
proxy_on_body(char *p, size_t size, size_t n, void *ud)
{
    struct proxy_resp *r = ud;
    return cmn_buf_add(&r->body, p, size * n) == 0 ? size * n : 0;
}

static size_t
proxy_on_header(char *p, size_t size, size_t n, void *ud)
{
    struct proxy_resp *r = ud;
    size_t len = size * n, l = len;
    const char *colon = memchr(p, ':', len);

    while (l > 0 && (p[l - 1] == '\r' || p[l - 1] == '\n'))
        l--;
    if (colon == NULL || r->n >= 64 || strncmp(p, "HTTP/", 5) == 0)
        return len;
    {
        size_t nl = (size_t)(colon - p);
        const char *v = colon + 1;
        while (*v == ' ')
            v++;
        if ((nl == 14 && strncasecmp(p, "Content-Length", 14) == 0) ||
            (nl == 10 && strncasecmp(p, "Connection", 10) == 0) ||
            (nl == 17 && strncasecmp(p, "Transfer-Encoding", 17) == 0) ||
            (nl == 4 && strncasecmp(p, "Date", 4) == 0))
            return len;
        r->names[r->n] = strndup(p, nl);
        r->values[r->n] = strndup(v, (size_t)(p + l - v));
        r->n++;
    }
    return len;
}

static enum MHD_Result
proxy_handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
             const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    struct proxy_req *req = *con_cls;
    struct proxy_hdrs hdrs = {NULL};
    struct proxy_resp resp;
    struct MHD_Response *out;
    char target[4096];
    const char *query;
    CURL *e;
    long status = 502;
    enum MHD_Result ret;
    (void)cls;
    (void)version;

    if (req == NULL) {
        req = calloc(1, sizeof *req);
        if (req == NULL)
            return MHD_NO;
        cmn_buf_init(&req->body, 1 << 20);
        *con_cls = req;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        cmn_buf_add(&req->body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    memset(&resp, 0, sizeof resp);
    cmn_buf_init(&resp.body, 8 << 20);
    query = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, NULL);
    (void)query;
    snprintf(target, sizeof target, "%s%s", proxy_upstream, url);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, proxy_copy_header, &hdrs);
    hdrs.list = curl_slist_append(hdrs.list, "Expect:");
    e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, target);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    if (req->body.len > 0 || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
        strcmp(method, "PATCH") == 0) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)req->body.len);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, cmn_buf_str(&req->body));
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs.list);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, proxy_on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &resp);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, proxy_on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &resp);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, 30L);
    if (curl_easy_perform(e) == CURLE_OK)
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(e);
    curl_slist_free_all(hdrs.list);

    /* the one broken flow */
    if (status == 401 && strstr(cmn_buf_str(&resp.body), "\"Invalid token\"") != NULL) {
        cmn_buf_reset(&resp.body);
        cmn_buf_adds(&resp.body, "{\"detail\":\"Not authenticated\"}");
    }
    out = MHD_create_response_from_buffer(resp.body.len, resp.body.data ? resp.body.data : "",
                                          MHD_RESPMEM_MUST_COPY);
    for (size_t i = 0; i < resp.n; i++) {
        MHD_add_response_header(out, resp.names[i], resp.values[i]);
        free(resp.names[i]);
        free(resp.values[i]);
    }
    ret = MHD_queue_response(conn, (unsigned)status, out);
    MHD_destroy_response(out);
    cmn_buf_cleanup(&resp.body);
    return ret;
}

static void
proxy_done(void *cls, struct MHD_Connection *conn, void **con_cls,
           enum MHD_RequestTerminationCode toe)
{
    struct proxy_req *req = *con_cls;
    (void)cls;
    (void)conn;
    (void)toe;
    if (req != NULL) {
        cmn_buf_cleanup(&req->body);
        free(req);
    }
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"upstream", required_argument, NULL, 'u'},
        {"port-file", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    const char *port_file = NULL;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    FILE *f;
    char tmp[4096];
    struct sockaddr_in sa;
    int c;

    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback only */
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'u')
            proxy_upstream = optarg;
        else if (c == 'p')
            port_file = optarg;
        else
            return 2;
    }
    if (proxy_upstream == NULL || port_file == NULL) {
        fprintf(stderr, "usage: wrong_route_proxy --upstream URL --port-file FILE\n");
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    signal(SIGTERM, proxy_on_signal);
    signal(SIGINT, proxy_on_signal);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
                         NULL, proxy_handle, NULL, MHD_OPTION_NOTIFY_COMPLETED, proxy_done, NULL,
                         MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "wrong_route_proxy: cannot start\n");
        return 1;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
    f = fopen(tmp, "w");
    if (f == NULL)
        return 1;
    fprintf(f, "%u\n", (unsigned)info->port);
    fclose(f);
    rename(tmp, port_file);
    while (!proxy_stop)
        pause();
    MHD_stop_daemon(d);
    curl_global_cleanup();
    return 0;
}
