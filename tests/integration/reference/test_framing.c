/* Request framing over a raw socket (RFC 9112 sections 3.2, 5.1, 5.2, 6.1
 * and 6.3): a request whose length is ambiguous is answered 400 with
 * Connection: close and the connection closed, so that bytes left in it
 * (here, always a second, well-formed request) are never served as another
 * request. Also: a query of many parameters gets an answer at once. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "testdb.h"
#include "unit.h"

/* The server of this test program (set up in main). */
static struct it_server srv;
static char *db_url;
static unsigned port;

/* Hidden after each refused request: served, it would be a second answer. */
#define SMUGGLED "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

struct raw_reply {
    char buf[32768];
    size_t len;
    bool closed; /* the server closed the connection */
    double seconds;
};

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sends n bytes to the server and reads until it closes the connection or
 * quiet_ms pass without a byte; *out filled. Returns 0, or -1 when the
 * connection or the sending failed. */
static int
raw_exchange(const char *req, size_t n, int quiet_ms, struct raw_reply *out)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    size_t sent = 0;
    double t0 = now_s();

    memset(out, 0, sizeof *out);
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    while (sent < n) {
        ssize_t w = send(fd, req + sent, n - sent, MSG_NOSIGNAL);
        if (w <= 0)
            break; /* the server may close early: read what it said */
        sent += (size_t)w;
    }
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        ssize_t got;
        if (poll(&p, 1, quiet_ms) <= 0)
            break;
        got = recv(fd, out->buf + out->len, sizeof out->buf - 1 - out->len, 0);
        if (got <= 0) {
            out->closed = true; /* EOF or reset */
            break;
        }
        out->len += (size_t)got;
        if (out->len == sizeof out->buf - 1)
            break;
    }
    out->buf[out->len] = '\0';
    out->seconds = now_s() - t0;
    close(fd);
    return 0;
}

/* How many responses the reply holds: status lines (a response follows
 * the body of the one before it directly; no body here holds the text). */
static int
raw_responses(const struct raw_reply *r)
{
    int n = 0;
    for (const char *p = r->buf; (p = strstr(p, "HTTP/1.1 ")) != NULL; p++)
        n++;
    return n;
}

static bool
raw_has_header(const struct raw_reply *r, const char *line)
{
    char want[128];
    snprintf(want, sizeof want, "\r\n%s\r\n", line);
    return strcasestr(r->buf, want) != NULL;
}

/* req (followed by SMUGGLED) is answered 400 with detail, Connection:
 * close, and nothing more; the server closes the connection. */
static void
assert_refused(const char *name, const char *req, const char *detail)
{
    char bytes[8192], want[160];
    struct raw_reply r;
    int n = snprintf(bytes, sizeof bytes, "%s%s", req, SMUGGLED);

    CU_ASSERT_FATAL(n > 0 && (size_t)n < sizeof bytes);
    CU_ASSERT_FATAL(raw_exchange(bytes, (size_t)n, 5000, &r) == 0);
    snprintf(want, sizeof want, "{\"detail\":\"%s\"}", detail);
    if (strncmp(r.buf, "HTTP/1.1 400 ", 13) != 0 || raw_responses(&r) != 1 || !r.closed ||
        strstr(r.buf, want) == NULL)
        fprintf(stderr, "\n    %s: %s%s\n", name, r.buf, r.closed ? "<closed>" : "<open>");
    CU_ASSERT(strncmp(r.buf, "HTTP/1.1 400 ", 13) == 0);
    CU_ASSERT(raw_responses(&r) == 1); /* the smuggled request was not served */
    CU_ASSERT(raw_has_header(&r, "Connection: close"));
    CU_ASSERT(r.closed);
    CU_ASSERT(r.seconds < 4.0);
    CU_ASSERT(strstr(r.buf, want) != NULL);
    /* In authref's shape: JSON, with the security headers. */
    CU_ASSERT(raw_has_header(&r, "Content-Type: application/json"));
    CU_ASSERT(raw_has_header(&r, "X-Content-Type-Options: nosniff"));
}

static void
test_pipelined_requests_are_both_served(void)
{
    /* The control: the same bytes well framed give two answers, so a
     * smuggled request would be seen. */
    struct raw_reply r;
    const char req[] = SMUGGLED SMUGGLED;

    CU_ASSERT_FATAL(raw_exchange(req, sizeof req - 1, 1000, &r) == 0);
    CU_ASSERT(raw_responses(&r) == 2);
    CU_ASSERT(strncmp(r.buf, "HTTP/1.1 200 ", 13) == 0);
    CU_ASSERT(!r.closed);
}

static void
test_content_length_with_transfer_encoding_is_400(void)
{
    assert_refused("CL + TE",
                   "POST /api/auth/signin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Content-Type: application/json\r\nContent-Length: 5\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                   "Content-Length and Transfer-Encoding together");
    assert_refused("TE + CL",
                   "POST /api/auth/signin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n",
                   "Content-Length and Transfer-Encoding together");
}

static void
test_two_different_content_lengths_are_400(void)
{
    char req[512];

    /* libmicrohttpd would read the first (0) and serve the body as a request. */
    snprintf(req, sizeof req,
             "POST /api/auth/signin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "Content-Length: 0\r\nContent-Length: %zu\r\n\r\n",
             strlen(SMUGGLED));
    assert_refused("two lengths", req, "Conflicting Content-Length headers");
}

static void
test_the_same_content_length_twice_is_read_as_one(void)
{
    /* RFC 9112 section 6.3 lets a recipient take identical values as one. */
    const char req[] = "POST /api/auth/signin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Type: application/json\r\n"
                       "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}";
    struct raw_reply r;

    CU_ASSERT_FATAL(raw_exchange(req, sizeof req - 1, 1000, &r) == 0);
    CU_ASSERT(strncmp(r.buf, "HTTP/1.1 422 ", 13) == 0); /* email: field required */
    CU_ASSERT(raw_responses(&r) == 1);
}

static void
test_whitespace_before_the_colon_is_400(void)
{
    char req[512];

    /* libmicrohttpd takes "Content-Length " for another field: without this
     * check the body would be served as the next request. */
    snprintf(req, sizeof req,
             "POST /api/auth/signin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "Content-Length : %zu\r\n\r\n",
             strlen(SMUGGLED));
    assert_refused("space before colon", req, "Malformed header field name");
    snprintf(req, sizeof req,
             "POST /api/auth/signin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "Content-Length\t: %zu\r\n\r\n",
             strlen(SMUGGLED));
    assert_refused("tab before colon", req, "Malformed header field name");
    assert_refused("space before the first field",
                   "GET /health HTTP/1.1\r\n Host: 127.0.0.1\r\n\r\n",
                   "Malformed header field name");
}

static void
test_duplicate_or_folded_transfer_encoding_is_400(void)
{
    assert_refused("two TE",
                   "POST /api/auth/signin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                   "More than one Transfer-Encoding header");
    /* Folded, the field would be named "Transfer-Encodingchunked". */
    assert_refused("folded TE",
                   "POST /api/auth/signin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n",
                   "Folded header field line");
    assert_refused("folded TE value",
                   "POST /api/auth/signin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Transfer-Encoding: chunked\r\n\tchunked\r\n\r\n0\r\n\r\n",
                   "Folded header field line");
    assert_refused("folded other field",
                   "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Note: a\r\n b\r\n\r\n",
                   "Folded header field line");
    assert_refused("TE not chunked",
                   "POST /api/auth/signin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Transfer-Encoding: gzip\r\n\r\n",
                   "Unsupported Transfer-Encoding");
}

static void
test_http11_without_host_or_with_two_hosts_is_400(void)
{
    struct raw_reply r;
    const char v10[] = "GET /health HTTP/1.0\r\n\r\n";

    assert_refused("no Host", "GET /health HTTP/1.1\r\n\r\n", "Missing Host header");
    assert_refused("two Host", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil\r\n\r\n",
                   "More than one Host header");
    assert_refused("two Host in 1.0", "GET /health HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
                   "More than one Host header");
    assert_refused("bad Host", "GET /health HTTP/1.1\r\nHost: a b\r\n\r\n",
                   "Malformed Host header");
    /* HTTP/1.0 needs no Host. */
    CU_ASSERT_FATAL(raw_exchange(v10, sizeof v10 - 1, 2000, &r) == 0);
    CU_ASSERT(strncmp(r.buf, "HTTP/1.1 200 ", 13) == 0);
}

static void
test_a_query_of_many_parameters_is_answered_at_once(void)
{
    /* libmicrohttpd 0.9.75 alone would keep a record per "&" until its
     * per-connection memory runs out, lose its own 431 and let the client
     * wait for the 30 s timeout. */
    static const size_t amps[] = {1000, 4000};
    char *req = malloc(20000);
    struct raw_reply r;
    size_t n;

    CU_ASSERT_FATAL(req != NULL);
    for (size_t i = 0; i < sizeof amps / sizeof *amps; i++) {
        n = (size_t)snprintf(req, 20000, "GET /health?");
        memset(req + n, '&', amps[i]);
        n += amps[i];
        n += (size_t)snprintf(req + n, 20000 - n, " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        CU_ASSERT_FATAL(raw_exchange(req, n, 3000, &r) == 0);
        CU_ASSERT(strncmp(r.buf, "HTTP/1.1 200 ", 13) == 0);
        CU_ASSERT(strstr(r.buf, "{\"status\":\"ok\"}") != NULL);
        CU_ASSERT(r.len > 0 && r.seconds < 10.0);
    }
    /* Past 8 KiB of path and query: 414 in authref's shape, at once. */
    n = (size_t)snprintf(req, 20000, "GET /health?");
    for (int k = 0; k < 2100; k++)
        n += (size_t)snprintf(req + n, 20000 - n, "a=b&");
    n += (size_t)snprintf(req + n, 20000 - n, " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    CU_ASSERT_FATAL(raw_exchange(req, n, 3000, &r) == 0);
    CU_ASSERT(strncmp(r.buf, "HTTP/1.1 414 ", 13) == 0);
    CU_ASSERT(strstr(r.buf, "{\"detail\":\"URL too long\"}") != NULL);
    free(req);
}

static void
test_the_server_still_serves_after_refusals(void)
{
    struct raw_reply r;
    const char req[] = SMUGGLED;

    CU_ASSERT_FATAL(raw_exchange(req, sizeof req - 1, 1000, &r) == 0);
    CU_ASSERT(strncmp(r.buf, "HTTP/1.1 200 ", 13) == 0);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_pipelined_requests_are_both_served),
        TU_TEST(test_content_length_with_transfer_encoding_is_400),
        TU_TEST(test_two_different_content_lengths_are_400),
        TU_TEST(test_the_same_content_length_twice_is_read_as_one),
        TU_TEST(test_whitespace_before_the_colon_is_400),
        TU_TEST(test_duplicate_or_folded_transfer_encoding_is_400),
        TU_TEST(test_http11_without_host_or_with_two_hosts_is_400),
        TU_TEST(test_a_query_of_many_parameters_is_answered_at_once),
        TU_TEST(test_the_server_still_serves_after_refusals),
        {NULL, NULL},
    };
    int rc;

    if (tu_testdb_create("framing", &db_url) != 0)
        return 2;
    if (it_server_start(&srv, db_url, NULL) != 0)
        return 2;
    if (sscanf(srv.base, "http://127.0.0.1:%u", &port) != 1) {
        fprintf(stderr, "test: no port in %s\n", srv.base);
        return 2;
    }
    rc = tu_run_suite("framing", tests);
    it_server_stop(&srv);
    tu_testdb_drop(db_url);
    free(db_url);
    return rc;
}
