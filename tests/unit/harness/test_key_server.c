/* The key server of the key-URL forgeries: what it serves, what it
 * records, and that hostile clients (garbage, oversized headers, bodies,
 * slow and idle connections, a flood of connections) never stop it from
 * answering the next well-formed request. Raw sockets over loopback. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "hx/key_server.h"
#include "unit.h"

static int
ks_connect(unsigned port, int timeout_s)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    struct timeval tv = {.tv_sec = timeout_s};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((unsigned short)port);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Sends raw (len bytes) on a new connection and reads the answer until the
 * server closes it (or wait_s seconds pass) into out; returns the bytes
 * read, -1 when the connection could not be made. */
static ssize_t
ks_send_wait(unsigned port, const char *raw, size_t len, char *out, size_t out_size, int wait_s)
{
    int fd = ks_connect(port, wait_s);
    size_t got = 0, sent = 0;

    if (fd < 0)
        return -1;
    while (sent < len) {
        ssize_t n = send(fd, raw + sent, len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may close on garbage before it is all sent */
        sent += (size_t)n;
    }
    while (got + 1 < out_size) {
        ssize_t n = recv(fd, out + got, out_size - 1 - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    out[got] = '\0';
    close(fd);
    return (ssize_t)got;
}

static ssize_t
ks_exchange(unsigned port, const char *raw, size_t len, char *out, size_t out_size)
{
    return ks_send_wait(port, raw, len, out, out_size, 5);
}

/* Garbage: what comes back does not matter (the server may wait for more,
 * until its idle limit), only that the next request is served. */
static void
ks_throw(unsigned port, const char *raw, size_t len)
{
    char buf[1024];
    ks_send_wait(port, raw, len, buf, sizeof(buf), 1);
}

static ssize_t
ks_get(unsigned port, const char *path, char *out, size_t out_size)
{
    char req[512];
    int n =
        snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
    return ks_exchange(port, req, (size_t)n, out, out_size);
}

static struct hx_key_server *
ks_start(void)
{
    struct hx_key_server_addr a;
    struct hx_key_server *ks = NULL;
    struct hx_error err;

    hx_key_server_addr_default(&a);
    CU_ASSERT_EQUAL_FATAL(hx_key_server_start(&a, &ks, &err), 0);
    CU_ASSERT_EQUAL(hx_key_server_put(ks, "/jwks.json", "application/json", "{\"keys\":[]}", 11),
                    0);
    return ks;
}

/* The server still answers a well-formed request with its document. */
static void
ks_assert_alive(struct hx_key_server *ks)
{
    char buf[4096];
    CU_ASSERT(ks_get(hx_key_server_port(ks), "/jwks.json", buf, sizeof(buf)) > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "HTTP/1.1 200"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "{\"keys\":[]}"));
}

static void
test_key_server_addr_parse_reads_host_and_port(void)
{
    struct hx_key_server_addr a;
    struct hx_error err;

    CU_ASSERT_EQUAL(hx_key_server_addr_parse("127.0.0.1", &a, &err), 0);
    CU_ASSERT_STRING_EQUAL(a.host, "127.0.0.1");
    CU_ASSERT_EQUAL(a.port, 0);
    CU_ASSERT_EQUAL(hx_key_server_addr_parse("harness.internal:8099", &a, &err), 0);
    CU_ASSERT_STRING_EQUAL(a.host, "harness.internal");
    CU_ASSERT_EQUAL(a.port, 8099);
    CU_ASSERT_EQUAL(hx_key_server_addr_parse("[::1]:9000", &a, &err), 0);
    CU_ASSERT_STRING_EQUAL(a.host, "::1");
    CU_ASSERT_EQUAL(a.port, 9000);
    CU_ASSERT_EQUAL(hx_key_server_addr_parse("::1", &a, &err), 0);
    CU_ASSERT_STRING_EQUAL(a.host, "::1");
    CU_ASSERT_EQUAL(a.port, 0);
}

static void
test_key_server_addr_parse_rejects_bad_values(void)
{
    static const char *const bad[] = {
        "",     ":80",   "host:",  "host:0", "host:65536", "host:8x",   "host:-1",
        "[::1", "[]:80", "[::1]x", "a/b",    "a b",        "user@host", NULL,
    };
    struct hx_key_server_addr a;
    struct hx_error err;

    hx_key_server_addr_default(&a);
    for (size_t i = 0; bad[i] != NULL; i++) {
        memset(&err, 0, sizeof(err));
        CU_ASSERT_EQUAL(hx_key_server_addr_parse(bad[i], &a, &err), HX_E_INVAL);
        CU_ASSERT(err.text[0] != '\0');
    }
    CU_ASSERT_STRING_EQUAL(a.host, "127.0.0.1"); /* unchanged on failure */
}

static void
test_key_server_serves_its_documents_and_records_every_request(void)
{
    struct hx_key_server *ks = ks_start();
    struct hx_key_server_hit hits[8];
    char buf[4096], url[128];
    unsigned port = hx_key_server_port(ks);

    CU_ASSERT(port > 0);
    CU_ASSERT_EQUAL(hx_key_server_url(ks, "/jwks.json", url, sizeof(url)), 0);
    snprintf(buf, sizeof(buf), "http://127.0.0.1:%u/jwks.json", port);
    CU_ASSERT_STRING_EQUAL(url, buf);
    CU_ASSERT_EQUAL(
        hx_key_server_put(ks, "/cert.pem", "application/pem-certificate-chain", "-----BEGIN", 10),
        0);
    CU_ASSERT_EQUAL(hx_key_server_put(ks, "no-slash", "text/plain", "x", 1), HX_E_INVAL);

    ks_get(port, "/jwks.json", buf, sizeof(buf));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Content-Type: application/json"));
    ks_get(port, "/cert.pem?x=1", buf, sizeof(buf));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "-----BEGIN"));
    ks_get(port, "/elsewhere", buf, sizeof(buf));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "HTTP/1.1 404"));
    {
        static const char post[] =
            "POST /jwks.json HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
        ks_exchange(port, post, sizeof(post) - 1, buf, sizeof(buf));
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "HTTP/1.1 405"));

    CU_ASSERT_EQUAL(hx_key_server_hits(ks, hits, 8), 4);
    CU_ASSERT_STRING_EQUAL(hits[0].path, "/jwks.json");
    CU_ASSERT_STRING_EQUAL(hits[0].method, "GET");
    CU_ASSERT_STRING_EQUAL(hits[0].peer, "127.0.0.1");
    CU_ASSERT(hits[0].served);
    CU_ASSERT(hits[0].at.tv_sec > 0);
    CU_ASSERT_STRING_EQUAL(hits[1].path, "/cert.pem");
    CU_ASSERT(hits[1].served);
    CU_ASSERT_FALSE(hits[2].served);
    CU_ASSERT_STRING_EQUAL(hits[3].method, "POST");
    CU_ASSERT_FALSE(hits[3].served);
    CU_ASSERT_EQUAL(hx_key_server_count(ks, "/jwks.json"), 2);
    CU_ASSERT_EQUAL(hx_key_server_count(ks, "/cert.pem"), 1);
    CU_ASSERT_EQUAL(hx_key_server_count(ks, "/nothing"), 0);
    CU_ASSERT(hx_key_server_connections(ks) >= 4);
    hx_key_server_stop(ks);
}

static void
test_key_server_survives_garbage_requests(void)
{
    struct hx_key_server *ks = ks_start();
    unsigned port = hx_key_server_port(ks);
    static const char *const garbage[] = {
        "\r\n\r\n",
        "GET\r\n\r\n",
        "GET / HTTP/9.9\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "GET /\x01\x02\x7f HTTP/1.1\r\nHost: x\r\n\r\n",
        "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", /* a TLS ClientHello's start */
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n no-name-continuation\r\n\r\n",
        "GET /%zz%00 HTTP/1.1\r\nHost: x\r\n\r\n",
        NULL,
    };
    unsigned seed = 7;

    for (size_t i = 0; garbage[i] != NULL; i++) {
        ks_throw(port, garbage[i], strlen(garbage[i]));
        ks_assert_alive(ks);
    }
    /* bytes with a NUL in the request line */
    {
        static const char nul[] = "GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n";
        ks_throw(port, nul, sizeof(nul) - 1);
    }
    /* random bytes */
    for (int round = 0; round < 20; round++) {
        char junk[2048];
        size_t n = 1 + (size_t)(rand_r(&seed) % (int)sizeof(junk));
        for (size_t i = 0; i < n; i++)
            junk[i] = (char)(rand_r(&seed) & 0xff);
        ks_throw(port, junk, n);
    }
    ks_assert_alive(ks);
    /* headers far past the memory limit, and a long path */
    {
        size_t n = 4 * HX_KEY_SERVER_MEM;
        char *big = malloc(n + 64);
        CU_ASSERT_PTR_NOT_NULL_FATAL(big);
        memcpy(big, "GET /", 5);
        memset(big + 5, 'a', n);
        memcpy(big + 5 + n, " HTTP/1.1\r\nHost: x\r\n\r\n", 23);
        ks_throw(port, big, n + 28);
        memcpy(big, "GET / HTTP/1.1\r\nX-Long: ", 24);
        memset(big + 24, 'b', n - 24);
        memcpy(big + n, "\r\n\r\n", 4);
        ks_throw(port, big, n + 4);
        free(big);
    }
    ks_assert_alive(ks);
    /* what a client sent is recorded printable only */
    {
        struct hx_key_server_hit hits[HX_KEY_SERVER_LOG_MAX];
        size_t total = hx_key_server_hits(ks, hits, HX_KEY_SERVER_LOG_MAX);
        for (size_t i = 0; i < total && i < HX_KEY_SERVER_LOG_MAX; i++)
            for (const char *p = hits[i].path; *p != '\0'; p++)
                CU_ASSERT(*p > ' ' && *p < 0x7f);
    }
    hx_key_server_stop(ks);
}

static void
test_key_server_closes_slow_and_idle_clients_and_keeps_serving(void)
{
    struct hx_key_server *ks = ks_start();
    unsigned port = hx_key_server_port(ks);
    int idle = ks_connect(port, HX_KEY_SERVER_IDLE_S + 5);
    int slow = ks_connect(port, HX_KEY_SERVER_IDLE_S + 5);
    char byte;
    struct timespec t0, t1;

    CU_ASSERT_FATAL(idle >= 0 && slow >= 0);
    /* a request that never ends its headers */
    {
        static const char part[] = "GET /jwks.json HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        CU_ASSERT(send(slow, part, sizeof(part) - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof(part) - 1));
    }
    ks_assert_alive(ks); /* not blocked by them */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* both are closed by the server (EOF or a reset), within its idle time */
    CU_ASSERT(recv(idle, &byte, 1, 0) <= 0);
    CU_ASSERT(recv(slow, &byte, 1, 0) <= 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CU_ASSERT(t1.tv_sec - t0.tv_sec <= HX_KEY_SERVER_IDLE_S + 3);
    close(idle);
    close(slow);
    ks_assert_alive(ks);
    hx_key_server_stop(ks);
}

static void
test_key_server_survives_a_flood_of_connections_and_stops_with_them_open(void)
{
    struct hx_key_server *ks = ks_start();
    unsigned port = hx_key_server_port(ks);
    int fds[HX_KEY_SERVER_CONN_MAX + 16];
    size_t n = sizeof(fds) / sizeof(fds[0]);
    struct timespec t0, t1;

    for (size_t i = 0; i < n; i++)
        fds[i] = ks_connect(port, 1);
    /* past the limit new connections are refused or closed; once the flood
     * ends, the server answers again */
    for (size_t i = 0; i < n / 2; i++)
        if (fds[i] >= 0) {
            close(fds[i]);
            fds[i] = -1;
        }
    usleep(200 * 1000);
    ks_assert_alive(ks);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    hx_key_server_stop(ks); /* with the other half still open */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CU_ASSERT(t1.tv_sec - t0.tv_sec <= 2);
    for (size_t i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

static void
test_key_server_reports_a_bind_failure_with_its_cause(void)
{
    struct hx_key_server *ks = ks_start(), *second = NULL;
    struct hx_key_server_addr a;
    struct hx_error err;

    hx_key_server_addr_default(&a);
    a.port = hx_key_server_port(ks);
    memset(&err, 0, sizeof(err));
    CU_ASSERT_EQUAL(hx_key_server_start(&a, &second, &err), HX_E_IO);
    CU_ASSERT_PTR_NULL(second);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "cannot listen on 127.0.0.1"));
    snprintf(a.host, sizeof(a.host), "no-such-host.invalid");
    a.port = 0;
    CU_ASSERT_EQUAL(hx_key_server_start(&a, &second, &err), HX_E_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "cannot resolve no-such-host.invalid"));
    /* once stopped, its port is free again: the listening socket was closed */
    a = (struct hx_key_server_addr){.port = hx_key_server_port(ks)};
    snprintf(a.host, sizeof(a.host), "127.0.0.1");
    hx_key_server_stop(ks);
    CU_ASSERT_EQUAL(hx_key_server_start(&a, &second, &err), 0);
    CU_ASSERT_EQUAL(hx_key_server_port(second), a.port);
    hx_key_server_stop(second);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_key_server_addr_parse_reads_host_and_port),
        TU_TEST(test_key_server_addr_parse_rejects_bad_values),
        TU_TEST(test_key_server_serves_its_documents_and_records_every_request),
        TU_TEST(test_key_server_survives_garbage_requests),
        TU_TEST(test_key_server_closes_slow_and_idle_clients_and_keeps_serving),
        TU_TEST(test_key_server_survives_a_flood_of_connections_and_stops_with_them_open),
        TU_TEST(test_key_server_reports_a_bind_failure_with_its_cause),
        {NULL, NULL},
    };
    return tu_run_suite("key_server", tests);
}
