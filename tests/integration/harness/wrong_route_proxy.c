/*
 * A test-only target that breaks exactly one thing: a proxy in front of a
 * real authref that passes everything through (paths byte for byte), except
 *
 * --break invalid-token (the default): a 401 whose detail is "Invalid
 *   token" (a garbage token on a protected route) comes back as {"detail":
 *   "Not authenticated"}. Run against it, the harness must fail
 *   QS-PROTECTED-003 and nothing else.
 * --break dot-segments: a gateway that resolves "." and ".." segments and
 *   then acts as the user the resolved path names (it forwards with the
 *   token it saw that user get at signup or signin), as a gateway that
 *   checks the owner on the raw path and calls a trusting backend would.
 *   Only paths with raw dot segments reach another user's data.
 *
 *   wrong_route_proxy --upstream http://127.0.0.1:PORT --port-file FILE
 *                     [--break invalid-token|dot-segments]
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
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
    bool skip_auth; /* the proxy sends an Authorization of its own */
};

struct proxy_resp {
    struct cmn_buf body;
    char *names[64];
    char *values[64];
    size_t n;
};

static const char *proxy_upstream; /* set once in main, read by handler threads */
static bool proxy_dot_segments;    /* --break dot-segments; set once in main */
static volatile sig_atomic_t proxy_stop;

/* dot-segments: the users seen signing up or in, id -> token */
#define PROXY_USERS 256
struct proxy_user {
    char id[64];
    char token[2048];
};
static struct proxy_user proxy_users[PROXY_USERS];
static size_t proxy_n_users;
static pthread_mutex_t proxy_users_lock = PTHREAD_MUTEX_INITIALIZER;

static void
proxy_learn(const char *body)
{
    json_t *doc = json_loads(body, 0, NULL);
    const char *token = json_string_value(json_object_get(doc, "access_token"));
    const char *id = json_string_value(json_object_get(json_object_get(doc, "user"), "id"));

    if (token != NULL && id != NULL && strlen(id) < sizeof proxy_users[0].id &&
        strlen(token) < sizeof proxy_users[0].token) {
        size_t i;
        pthread_mutex_lock(&proxy_users_lock);
        for (i = 0; i < proxy_n_users && strcmp(proxy_users[i].id, id) != 0; i++)
            ;
        if (i < PROXY_USERS) {
            snprintf(proxy_users[i].id, sizeof proxy_users[i].id, "%s", id);
            snprintf(proxy_users[i].token, sizeof proxy_users[i].token, "%s", token);
            if (i == proxy_n_users)
                proxy_n_users++;
        }
        pthread_mutex_unlock(&proxy_users_lock);
    }
    json_decref(doc);
}

/* Copies the token of user id into out; false when the proxy never saw it. */
static bool
proxy_token_of(const char *id, size_t id_len, char *out, size_t out_size)
{
    bool found = false;
    pthread_mutex_lock(&proxy_users_lock);
    for (size_t i = 0; i < proxy_n_users && !found; i++) {
        if (strlen(proxy_users[i].id) == id_len && strncmp(proxy_users[i].id, id, id_len) == 0) {
            snprintf(out, out_size, "%s", proxy_users[i].token);
            found = true;
        }
    }
    pthread_mutex_unlock(&proxy_users_lock);
    return found;
}

/* RFC 3986 remove_dot_segments on a path. Returns true when path had any
 * "." or ".." segment (out then holds the resolved path). */
static bool
proxy_resolve(const char *path, char *out, size_t out_size)
{
    const char *seg[128];
    size_t len[128], n = 0;
    bool dots = false, slash_end = false;
    size_t k = 0;

    for (const char *p = path; *p == '/';) {
        const char *s = p + 1, *e = strchr(s, '/');
        size_t l = e != NULL ? (size_t)(e - s) : strlen(s);
        slash_end = false;
        if ((l == 1 && s[0] == '.') || (l == 2 && s[0] == '.' && s[1] == '.')) {
            dots = true;
            slash_end = true;
            if (l == 2 && n > 0)
                n--;
        } else if (n < 128) {
            seg[n] = s;
            len[n++] = l;
            slash_end = e != NULL && e[1] == '\0';
        }
        p = s + l;
    }
    if (!dots)
        return false;
    out[0] = '\0';
    for (size_t i = 0; i < n && k + len[i] + 2 < out_size; i++) {
        out[k++] = '/';
        memcpy(out + k, seg[i], len[i]);
        k += len[i];
    }
    if ((slash_end || n == 0) && k + 1 < out_size)
        out[k++] = '/';
    out[k] = '\0';
    return true;
}

static void
proxy_on_signal(int sig)
{
    (void)sig;
    proxy_stop = 1;
}

/* Keeps the URL as it came: no percent-decoding on the way through. */
static size_t
proxy_no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static enum MHD_Result
proxy_copy_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct proxy_hdrs *h = cls;
    char line[8192];
    (void)kind;
    if (h->skip_auth && strcasecmp(key, "Authorization") == 0)
        return MHD_YES;
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
    struct proxy_hdrs hdrs = {NULL, false};
    struct proxy_resp resp;
    struct MHD_Response *out;
    char target[4096], resolved[4096], auth[2100] = "";
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
    if (proxy_dot_segments && proxy_resolve(url, resolved, sizeof resolved)) {
        /* the broken gateway: the resolved path's user acts */
        static const char users[] = "/api/users/";
        char token[2048];
        if (strncmp(resolved, users, sizeof users - 1) == 0) {
            const char *id = resolved + sizeof users - 1;
            if (proxy_token_of(id, strcspn(id, "/"), token, sizeof token)) {
                snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
                hdrs.skip_auth = true;
            }
        }
        url = resolved;
    }
    snprintf(target, sizeof target, "%s%s", proxy_upstream, url);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, proxy_copy_header, &hdrs);
    hdrs.list = curl_slist_append(hdrs.list, "Expect:");
    if (auth[0] != '\0')
        hdrs.list = curl_slist_append(hdrs.list, auth);
    e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, target);
    curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L); /* the path goes on as it came */
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

    if (proxy_dot_segments) {
        if (status >= 200 && status < 300 && strcmp(method, "POST") == 0 &&
            (strcmp(url, "/api/auth/signup") == 0 || strcmp(url, "/api/auth/signin") == 0))
            proxy_learn(cmn_buf_str(&resp.body));
    } else if (status == 401 && strstr(cmn_buf_str(&resp.body), "\"Invalid token\"") != NULL) {
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
        {"break", required_argument, NULL, 'b'},
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
        else if (c == 'b' && strcmp(optarg, "dot-segments") == 0)
            proxy_dot_segments = true;
        else if (c != 'b' || strcmp(optarg, "invalid-token") != 0)
            return 2;
    }
    if (proxy_upstream == NULL || port_file == NULL) {
        fprintf(stderr, "usage: wrong_route_proxy --upstream URL --port-file FILE "
                        "[--break invalid-token|dot-segments]\n");
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    signal(SIGTERM, proxy_on_signal);
    signal(SIGINT, proxy_on_signal);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
                         NULL, proxy_handle, NULL, MHD_OPTION_NOTIFY_COMPLETED, proxy_done, NULL,
                         MHD_OPTION_UNESCAPE_CALLBACK, proxy_no_unescape, NULL,
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
