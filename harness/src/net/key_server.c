/* The key server of the key-URL forgeries (see hx/key_server.h): libmicrohttpd
 * on a socket bound here, so that a bind error names its cause. */
#include "hx/key_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct key_server_doc {
    char path[128];
    char content_type[64];
    char *body; /* owned */
    size_t len;
};

struct hx_key_server {
    struct MHD_Daemon *daemon;
    char host[256];
    unsigned port;
    pthread_mutex_t lock; /* guards everything below */
    struct key_server_doc docs[HX_KEY_SERVER_DOC_MAX];
    size_t n_docs;
    struct hx_key_server_hit hits[HX_KEY_SERVER_LOG_MAX];
    size_t n_hits;      /* kept */
    size_t total_hits;  /* got */
    size_t connections; /* accepted */
};

void
hx_key_server_addr_default(struct hx_key_server_addr *a)
{
    memset(a, 0, sizeof(*a));
    snprintf(a->host, sizeof(a->host), "127.0.0.1");
}

static bool
key_server_port_parse(const char *s, unsigned *port)
{
    char *end = NULL;
    long v;

    if (*s == '\0' || *s == '+' || *s == '-')
        return false;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < 1 || v > 65535)
        return false;
    *port = (unsigned)v;
    return true;
}

int
hx_key_server_addr_parse(const char *text, struct hx_key_server_addr *a, struct hx_error *err)
{
    struct hx_key_server_addr out;
    const char *host = text, *port = NULL;
    size_t host_len;

    memset(&out, 0, sizeof(out));
    if (text == NULL || text[0] == '\0') {
        hx_error_set(err, NULL, 0, "expected HOST[:PORT], got an empty value");
        return HX_E_INVAL;
    }
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL || close == text + 1 || (close[1] != '\0' && close[1] != ':')) {
            hx_error_set(err, NULL, 0, "'%s': expected [IPv6] or [IPv6]:PORT", text);
            return HX_E_INVAL;
        }
        host = text + 1;
        host_len = (size_t)(close - host);
        port = close[1] == ':' ? close + 2 : NULL;
    } else {
        const char *colon = strchr(text, ':');
        if (colon != NULL && strchr(colon + 1, ':') != NULL) {
            host_len = strlen(text); /* an IPv6 address without a port */
        } else {
            host_len = colon != NULL ? (size_t)(colon - text) : strlen(text);
            port = colon != NULL ? colon + 1 : NULL;
        }
    }
    if (host_len == 0 || host_len >= sizeof(out.host)) {
        hx_error_set(err, NULL, 0, "'%s': the host is empty or longer than %zu bytes", text,
                     sizeof(out.host) - 1);
        return HX_E_INVAL;
    }
    for (size_t i = 0; i < host_len; i++) {
        unsigned char ch = (unsigned char)host[i];
        if (ch <= ' ' || ch >= 0x7f || strchr("/?#@[]\"'\\", ch) != NULL) {
            hx_error_set(err, NULL, 0, "'%s': the host holds a character a URL cannot carry", text);
            return HX_E_INVAL;
        }
    }
    memcpy(out.host, host, host_len);
    out.host[host_len] = '\0';
    if (port != NULL && !key_server_port_parse(port, &out.port)) {
        hx_error_set(err, NULL, 0, "'%s': the port must be an integer from 1 to 65535", text);
        return HX_E_INVAL;
    }
    *a = out;
    return 0;
}

/* Copies text into out, every byte outside printable ASCII as '?': what a
 * client sends reaches reports only this way. */
static void
key_server_copy_printable(char *out, size_t size, const char *text)
{
    size_t i = 0;
    for (; text != NULL && text[i] != '\0' && i + 1 < size; i++)
        out[i] = text[i] > ' ' && text[i] < 0x7f ? text[i] : '?';
    out[i] = '\0';
}

static void
key_server_peer(struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

    snprintf(out, size, "?");
    if (sa == NULL)
        return;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

static void
key_server_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                         enum MHD_ConnectionNotificationCode toe)
{
    struct hx_key_server *ks = cls;
    (void)c;
    (void)socket_context;
    if (toe != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    pthread_mutex_lock(&ks->lock);
    ks->connections++;
    pthread_mutex_unlock(&ks->lock);
}

static enum MHD_Result
key_server_reply(struct MHD_Connection *c, unsigned status, const char *content_type,
                 const char *body, size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;

    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", content_type);
    MHD_add_response_header(resp, "Connection", "close");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Every request is answered at its first call (headers only): a body is
 * never read, and each request is recorded once. */
static enum MHD_Result
key_server_handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                  const char *version, const char *upload_data, size_t *upload_data_size,
                  void **con_cls)
{
    struct hx_key_server *ks = cls;
    struct hx_key_server_hit hit;
    bool get = strcmp(method, "GET") == 0, head = strcmp(method, "HEAD") == 0;
    char *body = NULL;
    char content_type[64] = "text/plain";
    size_t len = 0;
    unsigned status;
    enum MHD_Result ret;

    (void)version;
    (void)upload_data;
    (void)upload_data_size;
    if (*con_cls != NULL)
        return MHD_NO; /* answered already: a body arrives; drop the connection */
    *con_cls = ks;
    memset(&hit, 0, sizeof(hit));
    key_server_copy_printable(hit.method, sizeof(hit.method), method);
    key_server_copy_printable(hit.path, sizeof(hit.path), url);
    key_server_peer(c, hit.peer, sizeof(hit.peer));
    clock_gettime(CLOCK_REALTIME, &hit.at);

    pthread_mutex_lock(&ks->lock);
    status = get || head ? 404 : 405;
    for (size_t i = 0; (get || head) && url != NULL && i < ks->n_docs; i++) {
        if (strcmp(ks->docs[i].path, url) != 0)
            continue;
        body = malloc(ks->docs[i].len + 1);
        if (body != NULL) {
            memcpy(body, ks->docs[i].body, ks->docs[i].len);
            len = ks->docs[i].len;
            snprintf(content_type, sizeof(content_type), "%s", ks->docs[i].content_type);
            status = 200;
        } else {
            status = 500;
        }
        break;
    }
    hit.served = status == 200;
    if (ks->n_hits < HX_KEY_SERVER_LOG_MAX)
        ks->hits[ks->n_hits++] = hit;
    ks->total_hits++;
    pthread_mutex_unlock(&ks->lock);

    if (status == 200)
        ret = key_server_reply(c, 200, content_type, body, len);
    else
        ret = key_server_reply(c, status, "text/plain",
                               status == 405 ? "only GET and HEAD\n" : "not here\n",
                               status == 405 ? 18 : 9);
    free(body);
    return ret;
}

/* A listening socket on addr: new fd, or -1 with the reason in err. */
static int
key_server_listen(const struct hx_key_server_addr *addr, struct hx_error *err, bool *v6)
{
    struct addrinfo hints, *res = NULL, *ai;
    char port[8];
    int fd = -1, rc, last_errno = 0;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    snprintf(port, sizeof(port), "%u", addr->port);
    rc = getaddrinfo(addr->host, port, &hints, &res);
    if (rc != 0) {
        hx_error_set(err, NULL, 0, "cannot resolve %s: %s", addr->host, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        int one = 1;
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 64) == 0) {
            *v6 = ai->ai_family == AF_INET6;
            break;
        }
        last_errno = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        hx_error_set(err, NULL, 0,
                     "cannot listen on %s port %u: %s (the host must be an address of this "
                     "machine)",
                     addr->host, addr->port, strerror(last_errno));
    return fd;
}

int
hx_key_server_start(const struct hx_key_server_addr *addr, struct hx_key_server **out,
                    struct hx_error *err)
{
    struct hx_key_server *ks;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    bool v6 = false;
    int fd;

    ks = calloc(1, sizeof(*ks));
    if (ks == NULL)
        return HX_E_NOMEM;
    if (pthread_mutex_init(&ks->lock, NULL) != 0) {
        free(ks);
        return HX_E_NOMEM;
    }
    snprintf(ks->host, sizeof(ks->host), "%s", addr->host);
    fd = key_server_listen(addr, err, &v6);
    if (fd < 0)
        goto fail;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        ks->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                  : ((struct sockaddr_in *)&ss)->sin_port);
    ks->daemon = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | (v6 ? MHD_USE_IPv6 : 0), 0, NULL,
                                  NULL, key_server_handle, ks, MHD_OPTION_LISTEN_SOCKET, fd,
                                  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HX_KEY_SERVER_IDLE_S,
                                  MHD_OPTION_CONNECTION_LIMIT, (unsigned)HX_KEY_SERVER_CONN_MAX,
                                  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HX_KEY_SERVER_MEM,
                                  MHD_OPTION_NOTIFY_CONNECTION, key_server_on_connection, ks,
                                  MHD_OPTION_END);
    if (ks->daemon == NULL) {
        /* fd is left open: whether a daemon that failed to start closed it
         * is not documented, and a second close could hit another thread's
         * descriptor */
        hx_error_set(err, NULL, 0, "cannot start the key server on %s port %u", addr->host,
                     ks->port);
        goto fail;
    }
    *out = ks;
    return 0;
fail:
    pthread_mutex_destroy(&ks->lock);
    free(ks);
    return HX_E_IO;
}

void
hx_key_server_stop(struct hx_key_server *ks)
{
    if (ks == NULL)
        return;
    if (ks->daemon != NULL)
        MHD_stop_daemon(ks->daemon); /* closes the listening socket too */
    for (size_t i = 0; i < ks->n_docs; i++)
        free(ks->docs[i].body);
    pthread_mutex_destroy(&ks->lock);
    free(ks);
}

unsigned
hx_key_server_port(const struct hx_key_server *ks)
{
    return ks->port;
}

int
hx_key_server_url(const struct hx_key_server *ks, const char *path, char *out, size_t out_size)
{
    bool v6 = strchr(ks->host, ':') != NULL;
    int n = snprintf(out, out_size, "http://%s%s%s:%u%s", v6 ? "[" : "", ks->host, v6 ? "]" : "",
                     ks->port, path);
    return n < 0 || (size_t)n >= out_size ? HX_E_TOOLONG : 0;
}

int
hx_key_server_put(struct hx_key_server *ks, const char *path, const char *content_type,
                  const char *body, size_t len)
{
    struct key_server_doc *d = NULL;
    char *copy;
    int rc = 0;

    if (path == NULL || path[0] != '/' || strlen(path) >= sizeof(d->path))
        return HX_E_INVAL;
    copy = malloc(len + 1);
    if (copy == NULL)
        return HX_E_NOMEM;
    memcpy(copy, body, len);
    copy[len] = '\0';
    pthread_mutex_lock(&ks->lock);
    for (size_t i = 0; i < ks->n_docs && d == NULL; i++)
        if (strcmp(ks->docs[i].path, path) == 0)
            d = &ks->docs[i];
    if (d == NULL && ks->n_docs < HX_KEY_SERVER_DOC_MAX) {
        d = &ks->docs[ks->n_docs++];
        memset(d, 0, sizeof(*d));
        snprintf(d->path, sizeof(d->path), "%s", path);
    }
    if (d == NULL) {
        rc = HX_E_TOOBIG;
        free(copy);
    } else {
        free(d->body);
        d->body = copy;
        d->len = len;
        snprintf(d->content_type, sizeof(d->content_type), "%s", content_type);
    }
    pthread_mutex_unlock(&ks->lock);
    return rc;
}

size_t
hx_key_server_hits(struct hx_key_server *ks, struct hx_key_server_hit *out, size_t max)
{
    size_t total;
    pthread_mutex_lock(&ks->lock);
    for (size_t i = 0; i < ks->n_hits && i < max; i++)
        out[i] = ks->hits[i];
    total = ks->total_hits;
    pthread_mutex_unlock(&ks->lock);
    return total;
}

size_t
hx_key_server_count(struct hx_key_server *ks, const char *path)
{
    size_t n = 0;
    pthread_mutex_lock(&ks->lock);
    for (size_t i = 0; i < ks->n_hits; i++)
        if (strcmp(ks->hits[i].path, path) == 0)
            n++;
    pthread_mutex_unlock(&ks->lock);
    return n;
}

size_t
hx_key_server_connections(struct hx_key_server *ks)
{
    size_t n;
    pthread_mutex_lock(&ks->lock);
    n = ks->connections;
    pthread_mutex_unlock(&ks->lock);
    return n;
}
