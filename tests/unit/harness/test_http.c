/* hx_http_perform against a loopback listener that records the request
 * line it receives: what goes on the wire, byte for byte. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hx/http.h"
#include "unit.h"

struct wire {
    int listen_fd;
    int port;
    char request_line[2048]; /* "GET /path HTTP/1.1" as received */
};

/* Accepts one connection, keeps its request line, answers 200 "ok". */
static void *
wire_serve(void *arg)
{
    struct wire *w = arg;
    char buf[8192];
    size_t got = 0;
    int fd = accept(w->listen_fd, NULL, NULL);
    static const char reply[] =
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    if (fd < 0)
        return NULL;
    while (got < sizeof(buf) - 1) {
        ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
        buf[got] = '\0';
        if (strstr(buf, "\r\n\r\n") != NULL)
            break;
    }
    buf[got] = '\0';
    snprintf(w->request_line, sizeof(w->request_line), "%.*s", (int)strcspn(buf, "\r\n"), buf);
    if (write(fd, reply, sizeof(reply) - 1) < 0)
        w->request_line[0] = '\0';
    close(fd);
    return NULL;
}

static int
wire_listen(struct wire *w)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);

    memset(w, 0, sizeof(*w));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    w->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (w->listen_fd < 0 || bind(w->listen_fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(w->listen_fd, 1) != 0 || getsockname(w->listen_fd, (struct sockaddr *)&a, &len) != 0)
        return -1;
    w->port = ntohs(a.sin_port);
    return 0;
}

/* Sends GET path (as is or not) and returns the request line the listener
 * saw in w->request_line; the response status in *status. */
static void
wire_get(const char *path, bool as_is, struct wire *w, long *status)
{
    struct hx_http_config cfg = {.timeout_ms = 5000, .max_body = 1024};
    struct hx_request req = {.method = "GET", .path_as_is = as_is};
    struct hx_response resp;
    pthread_t th;
    char url[1024];

    *status = 0;
    CU_ASSERT_EQUAL_FATAL(wire_listen(w), 0);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, wire_serve, w), 0);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", w->port, path);
    req.url = url;
    hx_response_init(&resp, 1024);
    CU_ASSERT_EQUAL(hx_http_perform(&cfg, &req, &resp), 0);
    *status = resp.status;
    hx_response_cleanup(&resp);
    pthread_join(th, NULL);
    close(w->listen_fd);
}

static void
test_a_path_sent_as_is_reaches_the_server_with_its_dot_segments(void)
{
    static const char *const paths[] = {
        "/api/users/A/../B/tasks",
        "/api/users/A/./../B/tasks/T",
        "/api/users/./B/tasks",
        "/api/users/B/./tasks",
        "/api/users/A/tasks/../../B/tasks?user_id=B",
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct wire w;
        char want[1100];
        long status;
        wire_get(paths[i], true, &w, &status);
        CU_ASSERT_EQUAL(status, 200);
        snprintf(want, sizeof(want), "GET %s HTTP/1.1", paths[i]);
        CU_ASSERT_STRING_EQUAL(w.request_line, want);
    }
}

static void
test_without_as_is_libcurl_resolves_the_dot_segments(void)
{
    /* why the flag exists: the default sends another path than the one
     * the probe built */
    struct wire w;
    long status;
    wire_get("/api/users/A/./../B/tasks", false, &w, &status);
    CU_ASSERT_EQUAL(status, 200);
    CU_ASSERT_STRING_EQUAL(w.request_line, "GET /api/users/B/tasks HTTP/1.1");
}

static void
test_percent_encoded_dot_segments_go_out_unchanged_either_way(void)
{
    for (int as_is = 0; as_is < 2; as_is++) {
        struct wire w;
        long status;
        wire_get("/api/users/A/%2e%2e/B/tasks", as_is != 0, &w, &status);
        CU_ASSERT_STRING_EQUAL(w.request_line, "GET /api/users/A/%2e%2e/B/tasks HTTP/1.1");
    }
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_a_path_sent_as_is_reaches_the_server_with_its_dot_segments),
        TU_TEST(test_without_as_is_libcurl_resolves_the_dot_segments),
        TU_TEST(test_percent_encoded_dot_segments_go_out_unchanged_either_way),
        {NULL, NULL},
    };
    return tu_run_suite("http", tests);
}
