/* The malformed-request corpus (tests/malformed/README.md) replayed against
 * the authref program of this build tree, on a database of its own: every
 * case's bytes go over a raw loopback socket, and each must get its
 * documented answer within MC_ANSWER_S seconds -- a 4xx (or the case's
 * 505), JSON with a "detail", the security headers -- with the connection
 * handled as the case says. Afterwards authref must still sign up, sign in
 * and read, exit cleanly, and its stderr must hold no sanitizer report. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "cmn/buf.h"
#include "corpus.h"
#include "fixture.h"
#include "testdb.h"
#include "unit.h"

#define MC_ANSWER_S 2.0 /* from the last byte sent to the last answer (and the close) */
#define MC_SEND_S 10.0  /* to send one case's bytes */
#define MC_ENDLESS_MAX (64u << 20)
#define MC_REPLY_MAX (1u << 20)
#define MC_WORKERS 4

/* The server of this test program and the corpus (set up in main). */
static struct it_proc proc;
static char *db_url;
static struct mc_case *cases;
static int n_cases;
static struct mc_values values;
static char user_id[40];
static char *valid_token;

/* The security headers every answer carries (reference/README.md). */
static const char *const mc_security_headers[] = {
    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options: nosniff",
    "Referrer-Policy: no-referrer",
    "X-Frame-Options: DENY",
    "Cache-Control: no-store",
};

struct mc_answer {
    unsigned status;
    const char *head; /* into the reply buffer: status line and fields */
    size_t head_len;
    const char *body;
    size_t body_len;
};

struct mc_result {
    bool passed;
    char why[400];
    double seconds;
};

static double
mc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
mc_connect(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)proc.port)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct pollfd p;

    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    p = (struct pollfd){.fd = fd, .events = POLLOUT};
    if (poll(&p, 1, 2000) != 1) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The connection as the client sees it. */
struct mc_wire {
    int fd;
    struct cmn_buf in; /* every byte received */
    bool eof;          /* the server closed its side */
    bool reset;        /* the connection was reset */
    bool send_reset;   /* ... while the client was still sending */
};

/* Reads what has arrived, without waiting. */
static void
mc_wire_read(struct mc_wire *w)
{
    char chunk[65536];

    while (!w->eof && !w->reset) {
        ssize_t n = recv(w->fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (n > 0) {
            if (cmn_buf_add(&w->in, chunk, (size_t)n) != 0)
                w->reset = true; /* a reply this large is a failure anyway */
            continue;
        }
        if (n == 0)
            w->eof = true;
        else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            w->reset = true;
        return;
    }
}

/* Sends p (n bytes); pace_ms > 0: pace_bytes at a time, pace_ms apart. Like most clients it
 * reads nothing before it has sent everything (an answer that comes early
 * waits in the socket), unless until_answer: then it stops at the first
 * byte of an answer. Returns false when it stopped before the end: the
 * connection failed (the server closed or reset it), an answer came, or the
 * deadline passed. */
static bool
mc_wire_send(struct mc_wire *w, const unsigned char *p, size_t n, unsigned pace_ms,
             unsigned pace_bytes, double deadline, bool until_answer)
{
    size_t sent = 0;

    while (sent < n && !w->eof && !w->reset && mc_now() < deadline) {
        struct pollfd pfd = {.fd = w->fd, .events = POLLOUT | (until_answer ? POLLIN : 0)};
        if (poll(&pfd, 1, 50) < 0)
            return false;
        if (pfd.revents & (POLLHUP | POLLERR)) {
            /* Reset under a client that was still sending (a FIN alone
             * would not end the sending); most clients stop here and
             * never read the answer. */
            w->send_reset = true;
            return false;
        }
        if (pfd.revents & POLLIN)
            return false;
        if (pfd.revents & POLLOUT) {
            size_t len = pace_ms > 0 && pace_bytes < n - sent ? pace_bytes : n - sent;
            ssize_t k = send(w->fd, p + sent, len, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (k > 0) {
                sent += (size_t)k;
                if (pace_ms > 0)
                    usleep(pace_ms * 1000);
            } else if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                /* The server closed under a client that was still sending;
                 * most clients stop here and never read the answer. */
                w->send_reset = errno == ECONNRESET || errno == EPIPE;
                return false;
            }
        }
    }
    return sent == n;
}

/* Filler after an endless case's bytes, until something arrives. */
static void
mc_wire_send_endless(struct mc_wire *w, bool chunked, double deadline)
{
    static unsigned char chunk[4096 + 16];
    size_t n = 0, total = 0;

    if (chunked) {
        n = (size_t)snprintf((char *)chunk, sizeof chunk, "1000\r\n");
        memset(chunk + n, 'a', 4096);
        n += 4096;
        chunk[n++] = '\r';
        chunk[n++] = '\n';
    } else {
        memset(chunk, 'a', 4096);
        n = 4096;
    }
    while (total < MC_ENDLESS_MAX && mc_now() < deadline &&
           mc_wire_send(w, chunk, n, 0, 0, deadline, true))
        total += n;
}

/* Parses the answers at the start of buf; returns how many are complete. */
static unsigned
mc_parse_answers(const char *buf, size_t len, struct mc_answer *a, unsigned max)
{
    unsigned n = 0;
    size_t at = 0;

    while (n < max && at < len) {
        const char *start = buf + at;
        const char *end = memmem(start, len - at, "\r\n\r\n", 4);
        const char *cl;
        size_t head_len, body_len = 0;
        unsigned status;

        if (end == NULL || sscanf(start, "HTTP/1.1 %3u ", &status) != 1)
            break;
        head_len = (size_t)(end - start) + 2;
        cl = memmem(start, head_len, "\r\nContent-Length: ", 18);
        if (cl != NULL)
            body_len = strtoul(cl + 18, NULL, 10);
        if ((size_t)(end + 4 - buf) + body_len > len)
            break;
        a[n++] = (struct mc_answer){status, start, head_len, end + 4, body_len};
        at = (size_t)(end + 4 - buf) + body_len;
    }
    return n;
}

static bool
mc_has_field(const struct mc_answer *a, const char *line)
{
    char want[160];
    int n = snprintf(want, sizeof want, "\r\n%s\r\n", line);
    for (size_t i = 0; i + (size_t)n <= a->head_len + 2; i++)
        if (strncasecmp(a->head + i, want, (size_t)n) == 0)
            return true;
    return false;
}

static bool
mc_status_fits(const struct mc_case *c, unsigned i, unsigned status)
{
    return c->expect_class[i] ? status / 100 == c->expect[i] : status == c->expect[i];
}

#define MC_FAIL(...)                                                                               \
    do {                                                                                           \
        snprintf(res->why, sizeof res->why, __VA_ARGS__);                                          \
        goto done;                                                                                 \
    } while (0)

/* Replays one case and judges what came back. */
static void
mc_case_run(const struct mc_case *c, struct mc_result *res)
{
    struct mc_wire w = {.fd = -1};
    struct mc_answer a[MC_MAX_ANSWERS + 1];
    unsigned n = 0, want = c->n_expect;
    double t0 = mc_now(), sent_at, limit;

    memset(res, 0, sizeof *res);
    cmn_buf_init(&w.in, MC_REPLY_MAX);
    w.fd = mc_connect();
    if (w.fd < 0)
        MC_FAIL("cannot connect (authref down?)");
    mc_wire_send(&w, c->raw, c->raw_len, c->send == MC_SEND_TRICKLE ? c->trickle_ms : 0,
                 c->trickle_bytes, t0 + MC_SEND_S, false);
    if (c->send == MC_SEND_ENDLESS_CHUNKED || c->send == MC_SEND_ENDLESS_BYTES)
        mc_wire_send_endless(&w, c->send == MC_SEND_ENDLESS_CHUNKED, t0 + MC_SEND_S);
    if (c->send == MC_SEND_HALF_CLOSE)
        shutdown(w.fd, SHUT_WR);
    sent_at = mc_now();
    limit = sent_at + MC_ANSWER_S;
    /* Read until the answers are complete and, when the case wants it (or
     * expects no answer), the server has closed; or the time is up. */
    for (;;) {
        struct pollfd pfd = {.fd = w.fd, .events = POLLIN};
        int left = (int)((limit - mc_now()) * 1000);

        mc_wire_read(&w);
        n = mc_parse_answers(w.in.data, w.in.len, a, MC_MAX_ANSWERS + 1);
        if (w.eof || w.reset)
            break;
        if (n >= want && want > 0 && c->connection != MC_CONN_CLOSE)
            break;
        if (left <= 0)
            break;
        poll(&pfd, 1, left);
    }
    res->seconds = mc_now() - t0;
    if (w.send_reset)
        MC_FAIL("connection reset while the request was being sent (%u answers read after it)", n);
    if (w.reset && n < want)
        MC_FAIL("connection reset after %u of %u answers", n, want);
    if (n < want)
        MC_FAIL("%u of %u answers within %.0f s (%s); got %zu bytes: %.80s", n, want, MC_ANSWER_S,
                w.eof ? "then closed" : "still open", w.in.len, w.in.len ? w.in.data : "");
    if (n > want)
        MC_FAIL("%u answers, %u expected (a request that must not be served was)", n, want);
    if (want == 0 && !w.eof && !w.reset)
        MC_FAIL("not closed within %.0f s", MC_ANSWER_S);
    if (want == 0 && w.in.len > 0)
        MC_FAIL("%zu bytes that are no answer: %.80s", w.in.len, w.in.data);
    for (unsigned i = 0; i < n; i++) {
        json_t *j;
        bool has_detail;
        if (!mc_status_fits(c, i, a[i].status))
            MC_FAIL("answer %u: status %u", i + 1, a[i].status);
        if (!mc_has_field(&a[i], "Content-Type: application/json"))
            MC_FAIL("answer %u (%u): not application/json", i + 1, a[i].status);
        for (size_t k = 0; k < sizeof mc_security_headers / sizeof *mc_security_headers; k++)
            if (!mc_has_field(&a[i], mc_security_headers[k]))
                MC_FAIL("answer %u (%u): no '%s'", i + 1, a[i].status, mc_security_headers[k]);
        j = json_loadb(a[i].body, a[i].body_len, 0, NULL);
        has_detail = json_is_string(json_object_get(j, "detail"));
        if (j == NULL || (a[i].status >= 400 && !has_detail)) {
            json_decref(j);
            MC_FAIL("answer %u (%u): body is not JSON with a detail: %.60s", i + 1, a[i].status,
                    a[i].body);
        }
        json_decref(j);
    }
    if (c->connection == MC_CONN_CLOSE && !w.eof && !w.reset)
        MC_FAIL("not closed within %.0f s of the answer", MC_ANSWER_S);
    if (c->connection == MC_CONN_OPEN) {
        static const char next[] = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        size_t had = w.in.len;
        struct mc_answer b[MC_MAX_ANSWERS + 2];
        double until;
        if (w.eof || w.reset)
            MC_FAIL("closed; the case keeps the connection open");
        mc_wire_send(&w, (const unsigned char *)next, sizeof next - 1, 0, 0, mc_now() + 2, false);
        until = mc_now() + MC_ANSWER_S;
        while (mc_parse_answers(w.in.data, w.in.len, b, MC_MAX_ANSWERS + 2) <= n && !w.eof &&
               !w.reset && mc_now() < until) {
            struct pollfd pfd = {.fd = w.fd, .events = POLLIN};
            poll(&pfd, 1, 100);
            mc_wire_read(&w);
        }
        if (mc_parse_answers(w.in.data, w.in.len, b, MC_MAX_ANSWERS + 2) <= n || b[n].status != 200)
            MC_FAIL("the next request on the connection was not served (%zu bytes more)",
                    w.in.len - had);
    }
    res->passed = true;
done:
    if (res->seconds == 0)
        res->seconds = mc_now() - t0;
    if (w.fd >= 0)
        close(w.fd);
    cmn_buf_cleanup(&w.in);
}

/* ---- running every case on a few threads ---- */

static struct mc_result *results;
static atomic_int next_case;

static void *
mc_worker(void *arg)
{
    (void)arg;
    for (;;) {
        int i = atomic_fetch_add(&next_case, 1);
        if (i >= n_cases)
            return NULL;
        mc_case_run(&cases[i], &results[i]);
    }
}

static void
test_every_case_gets_its_documented_answer(void)
{
    pthread_t th[MC_WORKERS];
    int failed = 0, slowest = 0;
    double t0 = mc_now();
    char cat[64] = "";
    int per_cat = 0;

    results = calloc((size_t)n_cases, sizeof *results);
    CU_ASSERT_FATAL(results != NULL);
    for (int i = 0; i < MC_WORKERS; i++)
        pthread_create(&th[i], NULL, mc_worker, NULL);
    for (int i = 0; i < MC_WORKERS; i++)
        pthread_join(th[i], NULL);
    fprintf(stderr, "\n");
    for (int i = 0; i < n_cases; i++) {
        if (strcmp(cat, cases[i].category) != 0) {
            if (cat[0] != '\0')
                fprintf(stderr, "    %-14s %d cases\n", cat, per_cat);
            snprintf(cat, sizeof cat, "%s", cases[i].category);
            per_cat = 0;
        }
        per_cat++;
        if (results[i].seconds > results[slowest].seconds)
            slowest = i;
        if (!results[i].passed) {
            failed++;
            fprintf(stderr, "    FAIL %s/%s (%s): %s\n", cases[i].category, cases[i].name,
                    cases[i].about, results[i].why);
        }
    }
    if (cat[0] != '\0')
        fprintf(stderr, "    %-14s %d cases\n", cat, per_cat);
    fprintf(stderr, "    corpus: %d cases, %d failed, %.1f s (slowest: %s/%s, %.2f s)\n", n_cases,
            failed, mc_now() - t0, cases[slowest].category, cases[slowest].name,
            results[slowest].seconds);
    CU_ASSERT(n_cases >= 250);
    CU_ASSERT(failed == 0);
    free(results);
}

static void
test_authref_still_signs_up_signs_in_and_reads(void)
{
    char email[96], id[40], url[200], body[256];
    char *token = NULL;
    struct it_resp r;

    CU_ASSERT_FATAL(it_signup(proc.base, it_email(email, sizeof email, "after"), "password123",
                              &token, id) == 201);
    snprintf(url, sizeof url, "%s/api/auth/signin", proc.base);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"password123\"}", email);
    CU_ASSERT_FATAL(it_send("POST", url, NULL, body, &r) == 0);
    CU_ASSERT(r.status == 200);
    it_resp_cleanup(&r);
    snprintf(url, sizeof url, "%s/api/users/%s/tasks", proc.base, id);
    CU_ASSERT_FATAL(it_get(url, token, &r) == 0);
    CU_ASSERT(r.status == 200);
    CU_ASSERT(r.json != NULL && json_is_array(r.json));
    it_resp_cleanup(&r);
    free(token);
}

static void
test_authref_exits_cleanly_without_a_sanitizer_report(void)
{
    static const char *const reports[] = {"AddressSanitizer", "LeakSanitizer",
                                          "UndefinedBehaviorSanitizer",
                                          "runtime error:", "ThreadSanitizer"};
    char *log = NULL;
    int status = it_proc_stop_with_log(&proc, &log);

    CU_ASSERT(status == 0);
    CU_ASSERT_FATAL(log != NULL);
    for (size_t i = 0; i < sizeof reports / sizeof *reports; i++) {
        const char *at = strstr(log, reports[i]);
        if (at != NULL)
            fprintf(stderr, "\n    authref's stderr: %.2000s\n", at > log + 200 ? at - 200 : log);
        CU_ASSERT(at == NULL);
    }
    free(log);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_every_case_gets_its_documented_answer),
        TU_TEST(test_authref_still_signs_up_signs_in_and_reads),
        TU_TEST(test_authref_exits_cleanly_without_a_sanitizer_report),
        {NULL, NULL},
    };
    const char *extra[] = {"--rate-limit-ip", "1000000/60s", "--rate-limit-account", "1000000/60s",
                           NULL};
    char email[96], dir[1024], err[512];
    int rc;

    if (tu_testdb_create("malformed", &db_url) != 0)
        return 2;
    if (it_proc_start(&proc, db_url, extra) != 0) {
        fprintf(stderr, "test: authref (%s) did not start\n", it_authref_path());
        return 2;
    }
    if (it_signup(proc.base, it_email(email, sizeof email, "corpus"), "password123", &valid_token,
                  user_id) != 201) {
        fprintf(stderr, "test: the corpus user could not sign up\n");
        it_proc_stop(&proc);
        return 2;
    }
    values = (struct mc_values){user_id, valid_token, IT_SECRET, (long long)time(NULL)};
    snprintf(dir, sizeof dir, "%s/tests/malformed/cases", it_source_dir());
    n_cases = mc_corpus_load(dir, &values, &cases, err, sizeof err);
    if (n_cases < 0) {
        fprintf(stderr, "test: %s\n", err);
        it_proc_stop(&proc);
        return 2;
    }
    rc = tu_run_suite("malformed", tests);
    if (proc.pid > 0)
        it_proc_stop(&proc);
    for (int i = 0; i < n_cases; i++)
        mc_case_cleanup(&cases[i]);
    free(cases);
    free(valid_token);
    tu_testdb_drop(db_url);
    free(db_url);
    return rc;
}
