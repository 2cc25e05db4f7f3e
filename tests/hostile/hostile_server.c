/*
 * hostile-server: an HTTP server that misbehaves on purpose, so that tests can
 * prove the harness survives targets that are broken or malicious.
 *
 * Not installed; built for tests only. Plain sockets, one detached thread per
 * connection, so that a stalled or endless answer never blocks the others.
 * Listens on loopback only.
 *
 *   hostile-server [--mode MODE] [--listen ADDR] [--port N] [--port-file FILE]
 *                  [--stall-seconds N] [--big-bytes N] [--bomb-depth N] [--quiet]
 *
 * The mode applies to every request, except that a path starting with
 * /__hostile/MODE selects MODE for that request (the server's self-test uses
 * this to reach every mode through one process). `--mode list` prints them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define HOSTILE_REQ_MAX 16384        /* request head cap */
#define HOSTILE_REQ_BODY_MAX 1048576 /* request body read and dropped, up to this */
#define HOSTILE_MAX_CONNS 256        /* concurrent connections served */
#define HOSTILE_IO_TIMEOUT_S 10      /* per recv/send on a connection */

enum hostile_mode {
    MODE_GARBAGE,
    MODE_TRUNCATED,
    MODE_BIG,
    MODE_ENDLESS,
    MODE_XML_BYTES,
    MODE_XML_ESCAPED,
    MODE_BAD_UTF8,
    MODE_REDIRECT,
    MODE_STALL,
    MODE_RESET,
    MODE_JSON_BOMB,
    MODE_MIXED,
    MODE_CREDENTIALS,
    MODE_SERIAL_SIGNIN,
    MODE_REDIRECT_AWAY,
    MODE_HUGE_HEADER,
    MODE_ENUM_CODES,
    MODE_COUNT
};

static const struct {
    const char *name;
    const char *what;
} mode_info[MODE_COUNT] = {
    [MODE_GARBAGE] = {"garbage", "answers with random bytes that are not HTTP, then closes"},
    [MODE_TRUNCATED] = {"truncated", "200 with Content-Length 4096, sends 26 bytes, closes"},
    [MODE_BIG] = {"big", "200 with a 50 MB JSON body (--big-bytes)"},
    [MODE_ENDLESS] = {"endless", "200, chunked, one small chunk every 100 ms, never ends"},
    [MODE_XML_BYTES] = {"xml-bytes", "400 whose body, reason phrase and a header carry raw control "
                                     "bytes, NUL and ]]>"},
    [MODE_XML_ESCAPED] = {"xml-escaped",
                          "400 with valid JSON whose strings decode to control bytes and "
                          "]]>, same for a 201-shaped body"},
    [MODE_BAD_UTF8] = {"bad-utf8", "201 JSON-shaped body and a header with invalid UTF-8"},
    [MODE_REDIRECT] = {"redirect", "307 to the same URL: a redirect loop"},
    [MODE_STALL] = {"stall", "reads the request, waits --stall-seconds (10), then answers 200 {}"},
    [MODE_RESET] = {"reset", "reads the request, then resets the connection (SO_LINGER 0)"},
    [MODE_JSON_BOMB] = {"json-bomb", "200 with JSON nested --bomb-depth (100000) levels deep"},
    [MODE_MIXED] = {"mixed", "sign-up answers plausibly; every other route of the contract "
                             "misbehaves in one of the ways above"},
    [MODE_SERIAL_SIGNIN] = {"serial-signin",
                            "one sign-in at a time (a synchronous hash in an event loop): a "
                            "known email hashes 150 ms, an unknown one answers after 20 ms "
                            "unless a hash holds it up; 401 either way"},
    [MODE_REDIRECT_AWAY] = {"redirect-away",
                            "sign-up answers plausibly; everything else: 307 to the same path "
                            "with a trailing slash on another origin (localhost instead of "
                            "127.0.0.1), where a request that carries a credential is "
                            "reported on stderr and answered 200 []"},
    [MODE_ENUM_CODES] = {"enumeration-codes",
                         "sign-up answers plausibly; a failed sign-in answers 401 with one "
                         "message, but code USER_NOT_FOUND for an unknown email and "
                         "INVALID_PASSWORD for a known one"},
    [MODE_HUGE_HEADER] = {"huge-header", "200 {} with one 200 KB header line (over libcurl's "
                                         "100 KB limit)"},
    [MODE_CREDENTIALS] = {"credentials",
                          "sign-up/in: 200 with an opaque session token (body, header, "
                          "cookie); everything else: 401 quoting the token, the cookie and "
                          "the planted secret, in values and in key names"},
};

struct hostile_cfg {
    enum hostile_mode mode;
    unsigned stall_seconds;
    size_t big_bytes;
    size_t bomb_depth;
    bool quiet;
    unsigned port;    /* the port listened on */
    atomic_int conns; /* connections being served */
};

struct hostile_conn {
    int fd;
    struct hostile_cfg *cfg;
    unsigned long id;
};

struct hostile_req {
    char method[16];
    char path[2048];
    char host[256];       /* the Host header, "" when none */
    bool has_credential;  /* an Authorization or Cookie header came */
    char body[4096]; /* the start of the request body, NUL-terminated */
};

/* Stop flag set by SIGINT/SIGTERM (the one allowed kind of global). */
static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int
mode_parse(const char *s, enum hostile_mode *out)
{
    for (int i = 0; i < MODE_COUNT; i++) {
        if (strcmp(s, mode_info[i].name) == 0) {
            *out = (enum hostile_mode)i;
            return 0;
        }
    }
    return -1;
}

/* Sends all of (p, n). Returns 0, or -1 when the peer went away or stalled. */
static int
send_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static int
send_str(int fd, const char *s)
{
    return send_all(fd, s, strlen(s));
}

/* Reads the request head (and drops a body of Content-Length bytes), fills
 * req. Returns 0, or -1 when nothing usable arrived (the caller still
 * answers: a hostile server does not care). */
static int
request_read(int fd, struct hostile_req *req)
{
    char buf[HOSTILE_REQ_MAX + 1];
    size_t len = 0;
    char *end = NULL;

    snprintf(req->method, sizeof req->method, "?");
    snprintf(req->path, sizeof req->path, "/");
    req->body[0] = '\0';
    req->host[0] = '\0';
    req->has_credential = false;
    while (len < HOSTILE_REQ_MAX) {
        ssize_t r = recv(fd, buf + len, HOSTILE_REQ_MAX - len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        len += (size_t)r;
        buf[len] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (end != NULL)
            break;
    }
    if (end == NULL)
        return -1;

    /* Request line: METHOD SP PATH SP VERSION */
    char *sp1 = memchr(buf, ' ', (size_t)(end - buf));
    if (sp1 == NULL)
        return -1;
    size_t mlen = (size_t)(sp1 - buf);
    if (mlen >= sizeof req->method)
        mlen = sizeof req->method - 1;
    memcpy(req->method, buf, mlen);
    req->method[mlen] = '\0';
    char *p = sp1 + 1;
    size_t plen = strcspn(p, " \r\n");
    if (plen >= sizeof req->path)
        plen = sizeof req->path - 1;
    memcpy(req->path, p, plen);
    req->path[plen] = '\0';

    /* Drop the body, if any, so that the client's send completes. */
    size_t body_want = 0;
    for (char *h = strstr(buf, "\r\n"); h != NULL && h < end; h = strstr(h + 2, "\r\n")) {
        if (strncasecmp(h + 2, "Host:", 5) == 0) {
            const char *v = h + 2 + 5;
            v += strspn(v, " \t");
            snprintf(req->host, sizeof req->host, "%.*s", (int)strcspn(v, " \t\r\n"), v);
        }
        if (strncasecmp(h + 2, "Authorization:", 14) == 0 || strncasecmp(h + 2, "Cookie:", 7) == 0)
            req->has_credential = true;
        if (strncasecmp(h + 2, "Content-Length:", 15) == 0) {
            unsigned long long v = strtoull(h + 2 + 15, NULL, 10);
            body_want = v > HOSTILE_REQ_BODY_MAX ? HOSTILE_REQ_BODY_MAX : (size_t)v;
        }
    }
    size_t body_have = len - (size_t)(end + 4 - buf);
    size_t kept = body_have < sizeof req->body - 1 ? body_have : sizeof req->body - 1;
    memcpy(req->body, end + 4, kept);
    req->body[kept] = '\0';
    while (body_have < body_want) {
        char sink[4096];
        size_t want = body_want - body_have;
        ssize_t r = recv(fd, sink, want < sizeof sink ? want : sizeof sink, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        size_t room = sizeof req->body - 1 - kept;
        size_t k = (size_t)r < room ? (size_t)r : room;
        memcpy(req->body + kept, sink, k);
        kept += k;
        req->body[kept] = '\0';
        body_have += (size_t)r;
    }
    return 0;
}

/* Waits up to `seconds`, returning early when the peer closes or the server
 * stops, so that a stalled connection never outlives its client. */
static void
stall_wait(int fd, unsigned seconds)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long elapsed_ms =
            (now.tv_sec - start.tv_sec) * 1000LL + (now.tv_nsec - start.tv_nsec) / 1000000;
        long long left = (long long)seconds * 1000 - elapsed_ms;
        if (left <= 0 || stop_requested)
            return;
        struct pollfd pfd = {.fd = fd, .events = POLLIN | POLLRDHUP};
        int n = poll(&pfd, 1, left > 200 ? 200 : (int)left);
        if (n > 0) {
            char c;
            if (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR))
                return;
            /* Pipelined bytes: a peer that closed reads 0. */
            if (recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
                return;
            /* Otherwise the client sent more: drain one byte and keep waiting. */
            if (recv(fd, &c, 1, MSG_DONTWAIT) <= 0)
                return;
        }
    }
}

static void
answer_garbage(int fd, unsigned long seed)
{
    unsigned char junk[4096];
    unsigned long long x = 0x9E3779B97F4A7C15ULL ^ seed;
    for (size_t i = 0; i < sizeof junk; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        junk[i] = (unsigned char)(x >> 24);
    }
    /* Never by chance a status line: the first byte is not 'H'. */
    junk[0] = 0xfe;
    junk[100] = '\0';
    junk[200] = '\n';
    send_all(fd, junk, sizeof junk);
}

static void
answer_truncated(int fd)
{
    send_str(fd, "HTTP/1.1 200 OK\r\n"
                 "Content-Type: application/json\r\n"
                 "Content-Length: 4096\r\n"
                 "Connection: close\r\n"
                 "\r\n"
                 "{\"access_token\":\"eyJhbGci");
}

static void
answer_big(int fd, size_t total)
{
    char head[256];
    char *chunk = NULL;
    const size_t chunk_size = 65536;
    static const char open[] = "{\"detail\":\"";
    static const char close_[] = "\"}";

    if (total < sizeof open + sizeof close_)
        total = sizeof open + sizeof close_;
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 200 OK\r\n"
                     "Content-Type: application/json\r\n"
                     "Content-Length: %zu\r\n"
                     "Connection: close\r\n"
                     "\r\n",
                     total);
    if (n < 0 || (size_t)n >= sizeof head)
        return;
    chunk = malloc(chunk_size);
    if (chunk == NULL)
        return;
    memset(chunk, 'A', chunk_size);
    if (send_all(fd, head, (size_t)n) != 0 || send_all(fd, open, sizeof open - 1) != 0)
        goto cleanup;
    size_t left = total - (sizeof open - 1) - (sizeof close_ - 1);
    while (left > 0 && !stop_requested) {
        size_t k = left < chunk_size ? left : chunk_size;
        if (send_all(fd, chunk, k) != 0)
            goto cleanup;
        left -= k;
    }
    send_all(fd, close_, sizeof close_ - 1);
cleanup:
    free(chunk);
}

static void
answer_endless(int fd)
{
    if (send_str(fd, "HTTP/1.1 200 OK\r\n"
                     "Content-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n"
                     "Connection: close\r\n"
                     "\r\n"
                     "1\r\n[\r\n") != 0)
        return;
    while (!stop_requested) {
        if (send_str(fd, "20\r\n\"endless-endless-endless-endl\",\r\n") != 0)
            return;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 100 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

static void
answer_xml_bytes(int fd)
{
    /* Raw bytes XML 1.0 forbids (C0 controls but TAB/LF/CR, NUL, DEL is
     * allowed but odd, U+FFFE as UTF-8), the CDATA terminator, and markup. */
    static const char body[] = "{\"detail\":\"ctl \x01\x02\x07\x08\x0b\x0c\x1b\x1f\x7f"
                               " nul \0 cdata ]]> <![CDATA[ x ]]]]> "
                               "markup </failure><testcase name=\\\"x\\\"> & &amp; < > \\\" '"
                               " fffe \xef\xbf\xbe\"}";
    char head[512];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 400 Bad \x01 ]]> Request\r\n"
                     "Content-Type: application/json\r\n"
                     "X-Hostile: ]]>\x1b[31m<x>\x01\x7f\r\n"
                     "Content-Length: %zu\r\n"
                     "Connection: close\r\n"
                     "\r\n",
                     sizeof body - 1);
    if (n < 0 || (size_t)n >= sizeof head)
        return;
    if (send_all(fd, head, (size_t)n) == 0)
        send_all(fd, body, sizeof body - 1);
}

static void
answer_xml_escaped(int fd, const struct hostile_req *req)
{
    /* Valid JSON whose strings decode to what XML forbids: a harness that
     * quotes decoded values (detail, captured fields) must escape them too.
     * Sign-up and sign-in get a 201/200-shaped body so the runner reads the
     * fields; other routes a 400 with a detail. */
    static const char auth_body[] =
        "{\"access_token\":\"\\u0001\\u001b]]>\\u0000tok\",\"token_type\":\"bearer\\u0002\","
        "\"user\":{\"id\":\"]]><!--\\u0008\",\"email\":\"\\u000b@x]]>\","
        "\"username\":\"\\ufffe\",\"is_active\":true,\"created_at\":\"\\u001f\"}}";
    static const char detail_body[] =
        "{\"detail\":\"ctl \\u0001\\u0002\\u001b\\u007f nul \\u0000 cdata ]]> "
        "<![CDATA[ ]]]]> </failure> fffe \\ufffe\"}";
    bool auth = strstr(req->path, "/auth/sign") != NULL;
    const char *body = auth ? auth_body : detail_body;
    size_t len = auth ? sizeof auth_body - 1 : sizeof detail_body - 1;
    const char *status = strstr(req->path, "/signup") ? "201 Created"
                         : auth                       ? "200 OK"
                                                      : "400 Bad Request";
    char head[512];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %s\r\n"
                     "Content-Type: application/json\r\n"
                     "Content-Length: %zu\r\n"
                     "Connection: close\r\n"
                     "\r\n",
                     status, len);
    if (n < 0 || (size_t)n >= sizeof head)
        return;
    if (send_all(fd, head, (size_t)n) == 0)
        send_all(fd, body, len);
}

static void
answer_bad_utf8(int fd)
{
    /* Lone continuation, overlong '/', UTF-16 surrogate, 5-byte form, a
     * truncated sequence at the end of a string, 0xff. */
    static const char body[] =
        "{\"access_token\":\"\x80\xbf\",\"token_type\":\"bearer\xc0\xaf\","
        "\"user\":{\"id\":\"\xed\xa0\x80\",\"email\":\"\xf8\x88\x80\x80\x80@x\","
        "\"username\":\"\xe2\x82\",\"is_active\":true,\"created_at\":\"\xff\xfe\"},"
        "\"detail\":\"\xc3\x28\"}";
    char head[512];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 201 Created\r\n"
                     "Content-Type: application/json; charset=utf-8\r\n"
                     "X-Hostile: \xff\xfe\xc0\xaf\r\n"
                     "Content-Length: %zu\r\n"
                     "Connection: close\r\n"
                     "\r\n",
                     sizeof body - 1);
    if (n < 0 || (size_t)n >= sizeof head)
        return;
    if (send_all(fd, head, (size_t)n) == 0)
        send_all(fd, body, sizeof body - 1);
}

static void
answer_redirect(int fd, const struct hostile_req *req)
{
    char head[4096];
    /* 307 keeps the method, so a client that follows loops on the same
     * request; the path is echoed from the request, never anywhere else. */
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 307 Temporary Redirect\r\n"
                     "Location: %s\r\n"
                     "Content-Type: application/json\r\n"
                     "Content-Length: 21\r\n"
                     "Connection: close\r\n"
                     "\r\n"
                     "{\"detail\":\"go again\"}",
                     req->path[0] == '/' ? req->path : "/");
    if (n < 0 || (size_t)n >= sizeof head)
        return;
    send_all(fd, head, (size_t)n);
}

/* The redirect-away mode: a same-route redirect (a trailing slash added) to
 * another origin, which a client must not follow with a credential. The
 * other origin is this server under the name localhost; what reaches it
 * with a credential is reported, and answered as a success would be. */
static void
answer_redirect_away(int fd, const struct hostile_req *req, unsigned port)
{
    char head[4096];
    int n;

    if (strncmp(req->host, "localhost", 9) == 0) {
        if (req->has_credential)
            fprintf(stderr, "hostile: CREDENTIAL FOLLOWED A REDIRECT to another origin: %s %s\n",
                    req->method, req->path);
        send_str(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     "Content-Length: 2\r\nConnection: close\r\n\r\n[]");
        return;
    }
    n = snprintf(head, sizeof head,
                 "HTTP/1.1 307 Temporary Redirect\r\n"
                 "Location: http://localhost:%u%.2000s/\r\n"
                 "Content-Length: 0\r\n"
                 "Connection: close\r\n"
                 "\r\n",
                 port, req->path[0] == '/' ? req->path : "/");
    if (n > 0 && (size_t)n < sizeof head)
        send_all(fd, head, (size_t)n);
}

/* The huge-header mode: one header line of 200 KB. */
static void
answer_huge_header(int fd)
{
    static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Huge: ";
    static const char tail[] = "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    size_t n = 200 * 1024;
    char *v = malloc(n);

    if (v == NULL)
        return;
    memset(v, 'h', n);
    if (send_all(fd, head, sizeof head - 1) == 0 && send_all(fd, v, n) == 0)
        send_all(fd, tail, sizeof tail - 1);
    free(v);
}

static void
answer_stall(int fd, unsigned seconds)
{
    stall_wait(fd, seconds);
    send_str(fd, "HTTP/1.1 200 OK\r\n"
                 "Content-Type: application/json\r\n"
                 "Content-Length: 2\r\n"
                 "Connection: close\r\n"
                 "\r\n"
                 "{}");
}

static void
answer_reset(int fd)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    /* close() with a zero linger sends RST instead of FIN. */
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

static void
answer_json_bomb(int fd, size_t depth)
{
    static const char open[] = "{\"access_token\":\"x\",\"token_type\":\"bearer\",\"user\":";
    static const char close_[] = "}";
    char head[256];
    size_t total = (sizeof open - 1) + 2 * depth + (sizeof close_ - 1);
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 200 OK\r\n"
                     "Content-Type: application/json\r\n"
                     "Content-Length: %zu\r\n"
                     "Connection: close\r\n"
                     "\r\n",
                     total);
    if (n < 0 || (size_t)n >= sizeof head)
        return;
    char *body = malloc(total);
    if (body == NULL)
        return;
    char *p = body;
    memcpy(p, open, sizeof open - 1);
    p += sizeof open - 1;
    /* [[[[ ... ]]]]: well-formed, only too deep. */
    for (size_t i = 0; i < depth; i++)
        *p++ = '[';
    for (size_t i = 0; i < depth; i++)
        *p++ = ']';
    memcpy(p, close_, sizeof close_ - 1);
    if (send_all(fd, head, (size_t)n) == 0)
        send_all(fd, body, total);
    free(body);
}

/* A sign-up answer that looks right (201, an HS256-shaped token for a fresh
 * user id, the email echoed), so that a runner goes on to the routes that
 * misbehave. The signature is random: no secret is known here. */
/* The credentials mode: values a run must never print. The secret is the
 * one tests/hostile passes with --secret-file (as an operator would). */
#define HOSTILE_SESSION_TOKEN "Q7vLp2XwN9cRt4KdZ8mHs3BfY6gJa1Ue"
#define HOSTILE_COOKIE_VALUE HOSTILE_SESSION_TOKEN ".dGhpc0lzTm90QVJlYWxTaWduYXR1cmVCdXRDbG9zZQ"
#define HOSTILE_SECRET "hostile-planted-secret-Wm4Tq8Rz2Kx"

static void
answer_credentials(int fd, const struct hostile_req *req)
{
    bool auth = strstr(req->path, "/auth/sign") != NULL && strcmp(req->method, "POST") == 0;
    char head[1024], body[1024];
    int nb, nh;

    if (auth)
        nb = snprintf(body, sizeof body,
                      "{\"token\":\"%s\",\"user\":{\"id\":\"u%.8s\",\"note\":\"%s\"}}",
                      HOSTILE_SESSION_TOKEN, HOSTILE_SESSION_TOKEN, HOSTILE_SESSION_TOKEN);
    else
        nb = snprintf(body, sizeof body,
                      "{\"detail\":\"session %s has no cookie %s\",\"secret_%s\":\"x\","
                      "\"%s\":1}",
                      HOSTILE_SESSION_TOKEN, HOSTILE_COOKIE_VALUE, HOSTILE_SECRET, HOSTILE_SECRET);
    nh = snprintf(head, sizeof head,
                  "HTTP/1.1 %s\r\n"
                  "Content-Type: application/json\r\n"
                  "Content-Length: %d\r\n"
                  "set-auth-token: %s\r\n"
                  "Set-Cookie: better-auth.session_token=%s; Path=/; HttpOnly; SameSite=Lax\r\n"
                  "X-Debug: %s=%s\r\n"
                  "%s"
                  "Connection: close\r\n"
                  "\r\n",
                  auth ? "200 OK" : "401 Unauthorized", nb, HOSTILE_COOKIE_VALUE,
                  HOSTILE_COOKIE_VALUE, HOSTILE_SECRET, HOSTILE_SESSION_TOKEN,
                  auth ? "" : "WWW-Authenticate: Bearer\r\n");
    if (nb > 0 && (size_t)nb < sizeof body && nh > 0 && (size_t)nh < sizeof head) {
        send_all(fd, head, (size_t)nh);
        send_all(fd, body, (size_t)nb);
    }
}

/* The serial-signin mode: sign-ins are served one at a time, as in a server
 * that hashes passwords synchronously inside its event loop, and only a
 * known email costs a hash: pairs sent together look alike, one request
 * after another they do not. */
#define SERIAL_KNOWN_MAX 4096
#define SERIAL_HASH_MS 150
#define SERIAL_AWAIT_MS 20
static pthread_mutex_t serial_lock = PTHREAD_MUTEX_INITIALIZER;
static char serial_known[SERIAL_KNOWN_MAX][128];
static size_t serial_n_known;

/* The email of a JSON request body, copied into out ("" if none). */
static void
serial_email(const struct hostile_req *req, char *out, size_t size)
{
    const char *e = strstr(req->body, "\"email\"");
    out[0] = '\0';
    if (e != NULL && (e = strchr(e + 7, ':')) != NULL && (e = strchr(e, '"')) != NULL) {
        size_t n = strcspn(e + 1, "\"\\");
        if (n < size)
            snprintf(out, size, "%.*s", (int)n, e + 1);
    }
}

static void answer_plausible_signup(int fd, const struct hostile_req *req, unsigned long id);

/* The sign-up/sign-in routing both account modes share: a signup records
 * its email as known and is answered; another route gets a 404. Returns
 * true for a signin, with *known saying whether its email signed up. */
static bool
accounts_signin(int fd, const struct hostile_req *req, unsigned long id, bool *known)
{
    char email[128];

    serial_email(req, email, sizeof email);
    *known = false;
    if (strstr(req->path, "/signup") != NULL) {
        pthread_mutex_lock(&serial_lock);
        if (serial_n_known < SERIAL_KNOWN_MAX && email[0] != '\0')
            snprintf(serial_known[serial_n_known++], sizeof serial_known[0], "%s", email);
        pthread_mutex_unlock(&serial_lock);
        answer_plausible_signup(fd, req, id);
        return false;
    }
    if (strstr(req->path, "/signin") == NULL) {
        send_str(fd, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                     "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
        return false;
    }
    pthread_mutex_lock(&serial_lock);
    for (size_t i = 0; i < serial_n_known && !*known; i++)
        *known = strcasecmp(serial_known[i], email) == 0;
    pthread_mutex_unlock(&serial_lock);
    return true;
}

/* A failed signin's 401 with body. */
static void
answer_refused_signin(int fd, const char *body)
{
    char head[256];

    snprintf(head, sizeof head,
             "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
             "WWW-Authenticate: Bearer\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
             strlen(body));
    send_str(fd, head);
    send_str(fd, body);
}

static void
answer_serial_signin(int fd, const struct hostile_req *req, unsigned long id)
{
    bool known;

    if (!accounts_signin(fd, req, id, &known))
        return;
    if (!known)
        usleep(SERIAL_AWAIT_MS * 1000); /* an await (the user lookup) before answering */
    /* one at a time: an unknown email that arrived with a known one waits
     * for the known one's hash, so a pair sent together looks alike */
    pthread_mutex_lock(&serial_lock);
    if (known)
        usleep(SERIAL_HASH_MS * 1000);
    pthread_mutex_unlock(&serial_lock);
    answer_refused_signin(fd, "{\"detail\":\"Invalid credentials\"}");
}

/* The enumeration-codes mode: one message for every failed sign-in, but a
 * machine code that tells an unknown email from a wrong password. */
static void
answer_enum_codes(int fd, const struct hostile_req *req, unsigned long id)
{
    bool known;

    if (!accounts_signin(fd, req, id, &known))
        return;
    answer_refused_signin(fd, known ? "{\"message\":\"Invalid email or password\","
                                      "\"code\":\"INVALID_PASSWORD\"}"
                                    : "{\"message\":\"Invalid email or password\","
                                      "\"code\":\"USER_NOT_FOUND\"}");
}

static void
answer_plausible_signup(int fd, const struct hostile_req *req, unsigned long id)
{
    char email[256] = "someone@example.com";
    char payload[256], token[1024], body[2048], head[256];
    char p64[400];
    const char *e = strstr(req->body, "\"email\"");
    time_t now = time(NULL);

    if (e != NULL && (e = strchr(e + 7, '"')) != NULL) {
        size_t n = strcspn(e + 1, "\"\\");
        if (n > 0 && n < sizeof email)
            snprintf(email, sizeof email, "%.*s", (int)n, e + 1);
    }
    char uuid[40];
    snprintf(uuid, sizeof uuid, "6f1c2d3e-4b5a-4c6d-8e7f-%012lx", id);
    int n = snprintf(payload, sizeof payload, "{\"sub\":\"%s\",\"iat\":%lld,\"exp\":%lld}", uuid,
                     (long long)now, (long long)now + 604800);
    if (n < 0 || (size_t)n >= sizeof payload)
        return;
    /* base64url without padding */
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0, len = (size_t)n;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned char)payload[i] << 16;
        if (i + 1 < len)
            v |= (unsigned char)payload[i + 1] << 8;
        if (i + 2 < len)
            v |= (unsigned char)payload[i + 2];
        p64[o++] = b64[(v >> 18) & 63];
        p64[o++] = b64[(v >> 12) & 63];
        if (i + 1 < len)
            p64[o++] = b64[(v >> 6) & 63];
        if (i + 2 < len)
            p64[o++] = b64[v & 63];
    }
    p64[o] = '\0';
    n = snprintf(token, sizeof token,
                 "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.%s."
                 "bm90LWEtcmVhbC1zaWduYXR1cmUtYXQtYWxsLXNvcnJ5",
                 p64);
    if (n < 0 || (size_t)n >= sizeof token)
        return;
    char created[32];
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int bn = snprintf(body, sizeof body,
                      "{\"access_token\":\"%s\",\"token_type\":\"bearer\",\"user\":{\"id\":\"%s\","
                      "\"email\":\"%s\",\"username\":null,\"is_active\":true,"
                      "\"created_at\":\"%s\"}}",
                      token, uuid, email, created);
    if (bn < 0 || (size_t)bn >= sizeof body)
        return;
    n = snprintf(head, sizeof head,
                 "HTTP/1.1 201 Created\r\n"
                 "Content-Type: application/json\r\n"
                 "Content-Length: %d\r\n"
                 "Connection: close\r\n"
                 "\r\n",
                 bn);
    if (n < 0 || (size_t)n >= sizeof head)
        return;
    if (send_all(fd, head, (size_t)n) == 0)
        send_all(fd, body, (size_t)bn);
}

/* The route table of the mixed mode: each route of the contract gets a
 * different misbehaviour. */
static enum hostile_mode
mixed_pick(const struct hostile_req *req)
{
    const char *p = req->path;
    const char *m = req->method;
    if (strncmp(p, "/api/auth/signup", 16) == 0)
        return MODE_MIXED; /* answered plausibly, see conn_serve() */
    if (strncmp(p, "/api/auth/signin", 16) == 0)
        return MODE_TRUNCATED;
    if (strncmp(p, "/api/auth/signout", 17) == 0)
        return MODE_XML_BYTES;
    if (strncmp(p, "/api/users/", 11) == 0) {
        const char *tasks = strstr(p, "/tasks");
        bool item = tasks != NULL && tasks[6] == '/' && tasks[7] != '\0';
        if (!item)
            return strcmp(m, "POST") == 0 ? MODE_STALL : MODE_JSON_BOMB;
        if (strcmp(m, "GET") == 0)
            return MODE_BIG;
        if (strcmp(m, "DELETE") == 0)
            return MODE_RESET;
        if (strcmp(m, "PATCH") == 0)
            return MODE_BAD_UTF8;
        return MODE_ENDLESS;
    }
    if (strncmp(p, "/health", 7) == 0)
        return MODE_REDIRECT;
    if (strncmp(p, "/ready", 6) == 0)
        return MODE_XML_ESCAPED;
    return MODE_GARBAGE;
}

static void *
conn_serve(void *arg)
{
    struct hostile_conn *c = arg;
    struct hostile_cfg *cfg = c->cfg;
    struct hostile_req req;
    enum hostile_mode mode = cfg->mode;
    struct timeval tv = {.tv_sec = HOSTILE_IO_TIMEOUT_S, .tv_usec = 0};

    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    request_read(c->fd, &req);

    if (strncmp(req.path, "/__hostile/", 11) == 0) {
        char name[32];
        size_t k = strcspn(req.path + 11, "/?");
        if (k < sizeof name) {
            memcpy(name, req.path + 11, k);
            name[k] = '\0';
            mode_parse(name, &mode);
        }
    }
    if (mode == MODE_MIXED)
        mode = mixed_pick(&req);
    if (!cfg->quiet)
        fprintf(stderr, "hostile: #%lu %s %s -> %s\n", c->id, req.method, req.path,
                mode == MODE_MIXED ? "plausible sign-up" : mode_info[mode].name);

    switch (mode) {
    case MODE_GARBAGE:
        answer_garbage(c->fd, c->id);
        break;
    case MODE_TRUNCATED:
        answer_truncated(c->fd);
        break;
    case MODE_BIG:
        answer_big(c->fd, cfg->big_bytes);
        break;
    case MODE_ENDLESS:
        answer_endless(c->fd);
        break;
    case MODE_XML_BYTES:
        answer_xml_bytes(c->fd);
        break;
    case MODE_XML_ESCAPED:
        answer_xml_escaped(c->fd, &req);
        break;
    case MODE_BAD_UTF8:
        answer_bad_utf8(c->fd);
        break;
    case MODE_REDIRECT:
        answer_redirect(c->fd, &req);
        break;
    case MODE_STALL:
        answer_stall(c->fd, cfg->stall_seconds);
        break;
    case MODE_RESET:
        answer_reset(c->fd);
        break;
    case MODE_JSON_BOMB:
        answer_json_bomb(c->fd, cfg->bomb_depth);
        break;
    case MODE_MIXED: /* only a sign-up, in the mixed mode, stays here */
        answer_plausible_signup(c->fd, &req, c->id);
        break;
    case MODE_CREDENTIALS:
        answer_credentials(c->fd, &req);
        break;
    case MODE_SERIAL_SIGNIN:
        answer_serial_signin(c->fd, &req, c->id);
        break;
    case MODE_ENUM_CODES:
        answer_enum_codes(c->fd, &req, c->id);
        break;
    case MODE_HUGE_HEADER:
        answer_huge_header(c->fd);
        break;
    case MODE_REDIRECT_AWAY:
        if (strcmp(req.method, "POST") == 0 && strstr(req.path, "/signup") != NULL &&
            strncmp(req.host, "localhost", 9) != 0)
            answer_plausible_signup(c->fd, &req, c->id);
        else
            answer_redirect_away(c->fd, &req, cfg->port);
        break;
    case MODE_COUNT:
        break;
    }
    close(c->fd);
    atomic_fetch_sub(&cfg->conns, 1);
    free(c);
    return NULL;
}

static int
port_file_write(const char *path, unsigned port)
{
    char tmp[4096];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return -1;
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "%u\n", port);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);
}

static void
usage(FILE *out)
{
    fprintf(out, "usage: hostile-server [--mode MODE] [--listen ADDR] [--port N] "
                 "[--port-file FILE]\n"
                 "                      [--stall-seconds N] [--big-bytes N] "
                 "[--bomb-depth N] [--quiet]\n"
                 "An HTTP server that misbehaves on purpose (tests only).\n"
                 "A path /__hostile/MODE/... selects MODE for one request.\n"
                 "Modes:\n");
    for (int i = 0; i < MODE_COUNT; i++)
        fprintf(out, "  %-12s %s\n", mode_info[i].name, mode_info[i].what);
}

static int
parse_size(const char *s, size_t min, size_t max, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return -1;
    *out = (size_t)v;
    return 0;
}

int
main(int argc, char **argv)
{
    static const struct option options[] = {
        {"mode", required_argument, NULL, 'm'},
        {"listen", required_argument, NULL, 'l'},
        {"port", required_argument, NULL, 'p'},
        {"port-file", required_argument, NULL, 'f'},
        {"stall-seconds", required_argument, NULL, 's'},
        {"big-bytes", required_argument, NULL, 'b'},
        {"bomb-depth", required_argument, NULL, 'd'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    /* Static: detached connection threads read it until the process exits,
     * which may be after main() has returned. */
    static struct hostile_cfg cfg = {
        .mode = MODE_MIXED,
        .stall_seconds = 10,
        .big_bytes = 50u * 1024u * 1024u,
        .bomb_depth = 100000,
    };
    const char *listen_addr = "127.0.0.1";
    const char *port_file = NULL;
    size_t port = 0, v;
    int c;

    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (strcmp(optarg, "list") == 0) {
                for (int i = 0; i < MODE_COUNT; i++)
                    printf("%s\n", mode_info[i].name);
                return 0;
            }
            if (mode_parse(optarg, &cfg.mode) != 0) {
                fprintf(stderr, "hostile-server: --mode: unknown mode '%s' (--mode list)\n",
                        optarg);
                return 2;
            }
            break;
        case 'l':
            listen_addr = optarg;
            break;
        case 'p':
            if (parse_size(optarg, 0, 65535, &port) != 0) {
                fprintf(stderr, "hostile-server: --port: expected 0..65535, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 'f':
            port_file = optarg;
            break;
        case 's':
            if (parse_size(optarg, 0, 3600, &v) != 0) {
                fprintf(stderr, "hostile-server: --stall-seconds: expected 0..3600\n");
                return 2;
            }
            cfg.stall_seconds = (unsigned)v;
            break;
        case 'b':
            if (parse_size(optarg, 16, (size_t)1 << 34, &cfg.big_bytes) != 0) {
                fprintf(stderr, "hostile-server: --big-bytes: expected 16..2^34\n");
                return 2;
            }
            break;
        case 'd':
            if (parse_size(optarg, 1, 10000000, &cfg.bomb_depth) != 0) {
                fprintf(stderr, "hostile-server: --bomb-depth: expected 1..10000000\n");
                return 2;
            }
            break;
        case 'q':
            cfg.quiet = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }

    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, listen_addr, &addr.sin_addr) != 1 ||
        (ntohl(addr.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr, "hostile-server: --listen: a loopback IPv4 address is required\n");
        return 2;
    }

    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(lfd, 128) != 0) {
        fprintf(stderr, "hostile-server: cannot listen on %s:%zu: %s\n", listen_addr, port,
                strerror(errno));
        return 1;
    }
    socklen_t alen = sizeof addr;
    getsockname(lfd, (struct sockaddr *)&addr, &alen);
    unsigned bound = ntohs(addr.sin_port);
    cfg.port = bound;
    if (port_file != NULL && port_file_write(port_file, bound) != 0) {
        fprintf(stderr, "hostile-server: --port-file %s: %s\n", port_file, strerror(errno));
        return 1;
    }
    if (!cfg.quiet)
        fprintf(stderr, "hostile: listening on %s:%u, mode %s\n", listen_addr, bound,
                mode_info[cfg.mode].name);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    unsigned long next_id = 0;
    while (!stop_requested) {
        struct pollfd pfd = {.fd = lfd, .events = POLLIN};
        if (poll(&pfd, 1, 200) <= 0)
            continue;
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        if (atomic_load(&cfg.conns) >= HOSTILE_MAX_CONNS) {
            fprintf(stderr, "hostile: too many connections, closing one\n");
            close(fd);
            continue;
        }
        struct hostile_conn *conn = malloc(sizeof *conn);
        if (conn == NULL) {
            close(fd);
            continue;
        }
        conn->fd = fd;
        conn->cfg = &cfg;
        conn->id = ++next_id;
        atomic_fetch_add(&cfg.conns, 1);
        pthread_t t;
        if (pthread_create(&t, &attr, conn_serve, conn) != 0) {
            atomic_fetch_sub(&cfg.conns, 1);
            close(fd);
            free(conn);
        }
    }
    pthread_attr_destroy(&attr);
    close(lfd);
    /* Give threads in flight a moment to notice the stop flag, then leave:
     * they are detached and end with the process. */
    for (int i = 0; i < 20 && atomic_load(&cfg.conns) > 0; i++) {
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (!cfg.quiet)
        fprintf(stderr, "hostile: stopped\n");
    return 0;
}
