/* The hostile server really sends what each of its modes promises: checked
 * over loopback with libcurl, one fresh server per test. */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmn/buf.h"
#include "cmn/json.h"
#include "cmn/text.h"
#include "unit.h"

#ifndef HOSTILE_SERVER
#error "HOSTILE_SERVER must name the hostile-server program"
#endif

#define KEEP_MAX (1024 * 1024) /* body bytes kept per fetch; the rest is counted */

extern char **environ;

struct server {
    pid_t pid;
    unsigned port;
    char dir[64];
    char port_file[128];
};

/* Starts hostile-server with extra args (NULL-terminated); waits for its
 * port file. Returns 0 or -1. */
static int
server_start(struct server *s, const char *const *extra)
{
    const char *argv[32];
    size_t n = 0;

    memset(s, 0, sizeof *s);
    snprintf(s->dir, sizeof s->dir, "/tmp/hostile-test-XXXXXX");
    if (mkdtemp(s->dir) == NULL)
        return -1;
    snprintf(s->port_file, sizeof s->port_file, "%s/port", s->dir);
    argv[n++] = HOSTILE_SERVER;
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--port-file";
    argv[n++] = s->port_file;
    argv[n++] = "--quiet";
    for (; extra != NULL && *extra != NULL && n < 31; extra++)
        argv[n++] = *extra;
    argv[n] = NULL;
    if (posix_spawn(&s->pid, HOSTILE_SERVER, NULL, NULL, (char *const *)argv, environ) != 0)
        return -1;
    for (int i = 0; i < 500; i++) {
        FILE *f = fopen(s->port_file, "r");
        if (f != NULL) {
            int ok = fscanf(f, "%u", &s->port);
            fclose(f);
            if (ok == 1 && s->port > 0)
                return 0;
        }
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return -1;
}

/* Stops the server by its pid; returns its exit status (or -1). */
static int
server_stop(struct server *s)
{
    int status = -1;
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        if (waitpid(s->pid, &status, 0) != s->pid)
            status = -1;
        s->pid = 0;
    }
    unlink(s->port_file);
    rmdir(s->dir);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct fetch {
    CURLcode rc;
    long status;
    struct cmn_buf body;     /* first KEEP_MAX bytes */
    size_t total;            /* all body bytes received */
    char tail[16];           /* last bytes received */
    size_t tail_len;
    struct cmn_buf headers;  /* raw header lines */
    curl_off_t content_length;
    double seconds;
    char error[CURL_ERROR_SIZE];
    size_t abort_after;      /* 0, or stop the transfer after this many bytes */
};

static size_t
fetch_on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    struct fetch *f = ud;
    size_t n = size * nmemb;
    size_t keep = f->body.len < KEEP_MAX ? KEEP_MAX - f->body.len : 0;
    if (keep > n)
        keep = n;
    if (keep > 0 && cmn_buf_add(&f->body, p, keep) != 0)
        return 0;
    f->total += n;
    if (n >= sizeof f->tail) {
        memcpy(f->tail, p + n - sizeof f->tail, sizeof f->tail);
        f->tail_len = sizeof f->tail;
    } else {
        size_t shift = f->tail_len + n > sizeof f->tail ? f->tail_len + n - sizeof f->tail : 0;
        memmove(f->tail, f->tail + shift, f->tail_len - shift);
        memcpy(f->tail + f->tail_len - shift, p, n);
        f->tail_len = f->tail_len - shift + n;
    }
    if (f->abort_after > 0 && f->total >= f->abort_after)
        return 0;
    return n;
}

static size_t
fetch_on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    struct fetch *f = ud;
    size_t n = size * nmemb;
    return cmn_buf_add(&f->headers, p, n) == 0 ? n : 0;
}

struct fetch_opts {
    const char *method; /* NULL: GET */
    const char *body;   /* sent as JSON when given */
    long timeout_ms;    /* 0: 20 s */
    bool follow;
    bool http09;
    size_t abort_after;
};

static void
fetch_run(const struct server *s, const char *path, const struct fetch_opts *o, struct fetch *f)
{
    char url[512];
    struct curl_slist *hdrs = NULL;
    struct timespec t0, t1;
    CURL *h = curl_easy_init();

    memset(f, 0, sizeof *f);
    cmn_buf_init(&f->body, KEEP_MAX);
    cmn_buf_init(&f->headers, 65536);
    f->abort_after = o->abort_after;
    f->content_length = -1;
    CU_ASSERT_FATAL(h != NULL);
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", s->port, path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fetch_on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, f);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, fetch_on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, f);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, f->error);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 20000L);
    if (o->method != NULL)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, o->method);
    if (o->body != NULL) {
        hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, o->body);
    }
    if (o->follow) {
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    }
    if (o->http09)
        curl_easy_setopt(h, CURLOPT_HTTP09_ALLOWED, 1L);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    f->rc = curl_easy_perform(h);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    f->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &f->status);
    curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &f->content_length);
    curl_easy_cleanup(h);
    curl_slist_free_all(hdrs);
}

static void
fetch_cleanup(struct fetch *f)
{
    cmn_buf_cleanup(&f->body);
    cmn_buf_cleanup(&f->headers);
}

static bool
contains(const struct cmn_buf *b, const void *needle, size_t n)
{
    return b->len >= n && memmem(b->data, b->len, needle, n) != NULL;
}

#define CONTAINS_LIT(b, lit) contains((b), (lit), sizeof(lit) - 1)

/* ---- each mode through /__hostile/MODE ---- */

static void
test_garbage_mode_answers_bytes_that_are_not_http(void)
{
    struct server s;
    struct fetch f;
    CU_ASSERT_FATAL(server_start(&s, NULL) == 0);

    fetch_run(&s, "/__hostile/garbage", &(struct fetch_opts){0}, &f);
    CU_ASSERT(f.rc == CURLE_UNSUPPORTED_PROTOCOL || f.rc == CURLE_WEIRD_SERVER_REPLY);
    CU_ASSERT_EQUAL(f.status, 0);
    fetch_cleanup(&f);

    /* Read as HTTP/0.9, the whole answer is the 4 KiB of junk. */
    fetch_run(&s, "/__hostile/garbage", &(struct fetch_opts){.http09 = true}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_OK);
    CU_ASSERT_EQUAL(f.total, 4096);
    CU_ASSERT(f.body.len > 0 && (unsigned char)f.body.data[0] == 0xfe);
    CU_ASSERT(!CONTAINS_LIT(&f.body, "HTTP/1."));
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

static void
test_truncated_mode_closes_before_content_length(void)
{
    struct server s;
    struct fetch f;
    CU_ASSERT_FATAL(server_start(&s, NULL) == 0);
    fetch_run(&s, "/__hostile/truncated", &(struct fetch_opts){0}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_PARTIAL_FILE);
    CU_ASSERT_EQUAL(f.status, 200);
    CU_ASSERT_EQUAL(f.content_length, 4096);
    CU_ASSERT(f.total > 0 && f.total < 4096);
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

static void
test_big_mode_sends_all_fifty_megabytes(void)
{
    struct server s;
    struct fetch f;
    CU_ASSERT_FATAL(server_start(&s, NULL) == 0);
    fetch_run(&s, "/__hostile/big", &(struct fetch_opts){.timeout_ms = 60000}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_OK);
    CU_ASSERT_EQUAL(f.status, 200);
    CU_ASSERT_EQUAL(f.total, 50u * 1024u * 1024u);
    CU_ASSERT_EQUAL(f.content_length, 50 * 1024 * 1024);
    CU_ASSERT(f.body.len > 11 && memcmp(f.body.data, "{\"detail\":\"AAAA", 15) == 0);
    CU_ASSERT(f.tail_len == sizeof f.tail && memcmp(f.tail + sizeof f.tail - 3, "A\"}", 3) == 0);
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

static void
test_big_mode_survives_a_client_that_hangs_up_early(void)
{
    struct server s;
    struct fetch f;
    CU_ASSERT_FATAL(server_start(&s, NULL) == 0);
    fetch_run(&s, "/__hostile/big", &(struct fetch_opts){.abort_after = 100000}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_WRITE_ERROR);
    fetch_cleanup(&f);
    /* The server keeps serving after the broken pipe. */
    fetch_run(&s, "/__hostile/truncated", &(struct fetch_opts){0}, &f);
    CU_ASSERT_EQUAL(f.status, 200);
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

static void
test_endless_mode_keeps_sending_until_the_client_gives_up(void)
{
    struct server s;
    struct fetch f;
    CU_ASSERT_FATAL(server_start(&s, NULL) == 0);
    fetch_run(&s, "/__hostile/endless", &(struct fetch_opts){.timeout_ms = 1500}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_OPERATION_TIMEDOUT);
    CU_ASSERT_EQUAL(f.status, 200);
    CU_ASSERT(CONTAINS_LIT(&f.headers, "Transfer-Encoding: chunked"));
    /* Several chunks arrived: it is slow, not stalled. */
    CU_ASSERT(f.total > 3 * 32);
    CU_ASSERT(f.body.len > 0 && f.body.data[0] == '[');
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

static void
test_xml_bytes_mode_sends_raw_bytes_xml_forbids(void)
{
    struct server s;
    struct fetch f;
    CU_ASSERT_FATAL(server_start(&s, NULL) == 0);
    fetch_run(&s, "/__hostile/xml-bytes", &(struct fetch_opts){0}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_OK);
    CU_ASSERT_EQUAL(f.status, 400);
    CU_ASSERT(CONTAINS_LIT(&f.body, "\x01\x02"));
    CU_ASSERT(CONTAINS_LIT(&f.body, "\x1b"));
    CU_ASSERT(contains(&f.body, "\0", 1));
    CU_ASSERT(CONTAINS_LIT(&f.body, "]]>"));
    CU_ASSERT(CONTAINS_LIT(&f.body, "</failure>"));
    CU_ASSERT(CONTAINS_LIT(&f.headers, "X-Hostile: ]]>\x1b"));
    CU_ASSERT(CONTAINS_LIT(&f.headers, "400 Bad \x01 ]]>"));
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

static void
test_xml_escaped_mode_sends_json_that_decodes_to_forbidden_chars(void)
{
    struct server s;
    struct fetch f;
    json_error_t jerr;
    CU_ASSERT_FATAL(server_start(&s, NULL) == 0);

    fetch_run(&s, "/__hostile/xml-escaped", &(struct fetch_opts){0}, &f);
    CU_ASSERT_EQUAL(f.status, 400);
    json_t *j = json_loadb(f.body.data, f.body.len, JSON_ALLOW_NUL, &jerr);
    CU_ASSERT_FATAL(j != NULL);
    json_t *d = json_object_get(j, "detail");
    CU_ASSERT_FATAL(json_is_string(d));
    const char *v = json_string_value(d);
    size_t vlen = json_string_length(d);
    CU_ASSERT(memchr(v, '\x01', vlen) != NULL);
    CU_ASSERT(memchr(v, '\0', vlen) != NULL);
    CU_ASSERT(memmem(v, vlen, "]]>", 3) != NULL);
    CU_ASSERT(memmem(v, vlen, "\xef\xbf\xbe", 3) != NULL); /* U+FFFE */
    json_decref(j);
    fetch_cleanup(&f);

    /* On sign-up, a 201 whose token and user fields decode to such chars. */
    fetch_run(&s, "/__hostile/xml-escaped/api/auth/signup",
              &(struct fetch_opts){.method = "POST", .body = "{}"}, &f);
    CU_ASSERT_EQUAL(f.status, 201);
    j = json_loadb(f.body.data, f.body.len, JSON_ALLOW_NUL, &jerr);
    CU_ASSERT_FATAL(j != NULL);
    const char *tok = json_string_value(json_object_get(j, "access_token"));
    CU_ASSERT(tok != NULL && tok[0] == '\x01');
    CU_ASSERT(json_is_object(json_object_get(j, "user")));
    json_decref(j);
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

static void
test_bad_utf8_mode_sends_invalid_utf8_in_body_and_header(void)
{
    struct server s;
    struct fetch f;
    char err[128];
    CU_ASSERT_FATAL(server_start(&s, NULL) == 0);
    fetch_run(&s, "/__hostile/bad-utf8", &(struct fetch_opts){0}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_OK);
    CU_ASSERT_EQUAL(f.status, 201);
    CU_ASSERT(f.body.len > 0);
    CU_ASSERT_FALSE(cmn_text_is_utf8(f.body.data, f.body.len));
    CU_ASSERT(CONTAINS_LIT(&f.body, "\xc0\xaf"));         /* overlong */
    CU_ASSERT(CONTAINS_LIT(&f.body, "\xed\xa0\x80"));     /* surrogate */
    CU_ASSERT(CONTAINS_LIT(&f.headers, "X-Hostile: \xff\xfe"));
    CU_ASSERT(cmn_json_parse_strict(f.body.data, f.body.len, 64, err, sizeof err) == NULL);
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

static void
test_redirect_mode_loops_on_the_same_url(void)
{
    struct server s;
    struct fetch f;
    CU_ASSERT_FATAL(server_start(&s, NULL) == 0);
    fetch_run(&s, "/__hostile/redirect/x", &(struct fetch_opts){0}, &f);
    CU_ASSERT_EQUAL(f.status, 307);
    CU_ASSERT(CONTAINS_LIT(&f.headers, "Location: /__hostile/redirect/x\r\n"));
    fetch_cleanup(&f);
    fetch_run(&s, "/__hostile/redirect/x",
              &(struct fetch_opts){.follow = true, .method = "POST", .body = "{}"}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_TOO_MANY_REDIRECTS);
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

static void
test_stall_mode_answers_only_after_the_stall(void)
{
    static const char *const args[] = {"--stall-seconds", "2", NULL};
    struct server s;
    struct fetch f;
    CU_ASSERT_FATAL(server_start(&s, args) == 0);
    fetch_run(&s, "/__hostile/stall", &(struct fetch_opts){.timeout_ms = 500}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_OPERATION_TIMEDOUT);
    CU_ASSERT_EQUAL(f.status, 0);
    fetch_cleanup(&f);
    /* A patient client gets its answer, no sooner than the stall. */
    fetch_run(&s, "/__hostile/stall", &(struct fetch_opts){.timeout_ms = 30000}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_OK);
    CU_ASSERT_EQUAL(f.status, 200);
    CU_ASSERT(f.seconds >= 1.9);
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

static void
test_reset_mode_resets_the_connection(void)
{
    struct server s;
    struct fetch f;
    CU_ASSERT_FATAL(server_start(&s, NULL) == 0);
    fetch_run(&s, "/__hostile/reset", &(struct fetch_opts){0}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_RECV_ERROR);
    CU_ASSERT(strstr(f.error, "reset") != NULL);
    CU_ASSERT_EQUAL(f.status, 0);
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

static void
test_json_bomb_mode_nests_a_hundred_thousand_levels(void)
{
    struct server s;
    struct fetch f;
    char err[128];
    json_error_t jerr;
    CU_ASSERT_FATAL(server_start(&s, NULL) == 0);
    fetch_run(&s, "/__hostile/json-bomb", &(struct fetch_opts){0}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_OK);
    CU_ASSERT_EQUAL(f.status, 200);
    size_t open = 0;
    for (size_t i = 0; i < f.body.len; i++)
        open += f.body.data[i] == '[';
    CU_ASSERT_EQUAL(open, 100000);
    CU_ASSERT(cmn_text_is_utf8(f.body.data, f.body.len));
    CU_ASSERT(cmn_json_parse_strict(f.body.data, f.body.len, 64, err, sizeof err) == NULL);
    json_t *j = json_loadb(f.body.data, f.body.len, 0, &jerr);
    CU_ASSERT(j == NULL); /* jansson's own depth limit */
    json_decref(j);
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

/* ---- the mixed mode: each contract route misbehaves its own way ---- */

static void
test_mixed_mode_gives_each_contract_route_its_own_misbehaviour(void)
{
    static const char *const args[] = {"--mode", "mixed", "--stall-seconds", "5", NULL};
    struct server s;
    struct fetch f;
    const char *user = "/api/users/550e8400-e29b-41d4-a716-446655440000";
    char path[256];
    CU_ASSERT_FATAL(server_start(&s, args) == 0);

    /* Sign-up looks right, so that a runner goes on to the other routes. */
    fetch_run(&s, "/api/auth/signup",
              &(struct fetch_opts){.method = "POST",
                                   .body = "{\"email\":\"a@example.com\",\"password\":\"x\"}"},
              &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_OK);
    CU_ASSERT_EQUAL(f.status, 201);
    json_error_t jerr;
    json_t *j = json_loadb(f.body.data, f.body.len, 0, &jerr);
    CU_ASSERT_FATAL(j != NULL);
    const char *tok = json_string_value(json_object_get(j, "access_token"));
    CU_ASSERT(tok != NULL && strncmp(tok, "eyJhbGciOiJIUzI1NiIs", 20) == 0);
    CU_ASSERT(tok != NULL && strchr(tok, '.') != strrchr(tok, '.'));
    json_t *u = json_object_get(j, "user");
    CU_ASSERT(cmn_text_is_uuid(json_string_value(json_object_get(u, "id"))));
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(u, "email")), "a@example.com");
    json_decref(j);
    fetch_cleanup(&f);

    fetch_run(&s, "/api/auth/signin", &(struct fetch_opts){.method = "POST", .body = "{}"}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_PARTIAL_FILE);
    fetch_cleanup(&f);

    fetch_run(&s, "/api/auth/signout", &(struct fetch_opts){.method = "POST"}, &f);
    CU_ASSERT_EQUAL(f.status, 400);
    CU_ASSERT(CONTAINS_LIT(&f.body, "]]>"));
    fetch_cleanup(&f);

    snprintf(path, sizeof path, "%s/tasks", user);
    fetch_run(&s, path, &(struct fetch_opts){0}, &f);
    CU_ASSERT_EQUAL(f.status, 200);
    CU_ASSERT(f.body.len > 200000);
    fetch_cleanup(&f);

    fetch_run(&s, path, &(struct fetch_opts){.method = "POST", .body = "{}", .timeout_ms = 500},
              &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_OPERATION_TIMEDOUT);
    fetch_cleanup(&f);

    snprintf(path, sizeof path, "%s/tasks/7c9e6679-7425-40de-944b-e07fc1f90ae7", user);
    fetch_run(&s, path, &(struct fetch_opts){.abort_after = 1}, &f);
    CU_ASSERT_EQUAL(f.content_length, 50 * 1024 * 1024);
    fetch_cleanup(&f);

    fetch_run(&s, path, &(struct fetch_opts){.method = "PUT", .body = "{}", .timeout_ms = 700},
              &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_OPERATION_TIMEDOUT);
    CU_ASSERT(CONTAINS_LIT(&f.headers, "chunked"));
    fetch_cleanup(&f);

    fetch_run(&s, path, &(struct fetch_opts){.method = "PATCH", .body = "{}"}, &f);
    CU_ASSERT_EQUAL(f.status, 201);
    CU_ASSERT_FALSE(cmn_text_is_utf8(f.body.data, f.body.len));
    fetch_cleanup(&f);

    fetch_run(&s, path, &(struct fetch_opts){.method = "DELETE"}, &f);
    CU_ASSERT_EQUAL(f.rc, CURLE_RECV_ERROR);
    fetch_cleanup(&f);

    fetch_run(&s, "/health", &(struct fetch_opts){0}, &f);
    CU_ASSERT_EQUAL(f.status, 307);
    fetch_cleanup(&f);

    fetch_run(&s, "/ready", &(struct fetch_opts){0}, &f);
    CU_ASSERT_EQUAL(f.status, 400);
    fetch_cleanup(&f);

    fetch_run(&s, "/openapi.json", &(struct fetch_opts){0}, &f);
    CU_ASSERT(f.rc == CURLE_UNSUPPORTED_PROTOCOL || f.rc == CURLE_WEIRD_SERVER_REPLY);
    fetch_cleanup(&f);
    CU_ASSERT_EQUAL(server_stop(&s), 0);
}

static void
test_server_refuses_bad_flags_and_non_loopback_addresses(void)
{
    static const char *const cases[][4] = {
        {HOSTILE_SERVER, "--mode", "nonsense", NULL},
        {HOSTILE_SERVER, "--listen", "0.0.0.0", NULL},
        {HOSTILE_SERVER, "--port", "70000", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pid_t pid;
        int status = 0;
        CU_ASSERT_FATAL(posix_spawn(&pid, HOSTILE_SERVER, NULL, NULL, (char *const *)cases[i],
                                    environ) == 0);
        CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
        CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 2);
    }
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_garbage_mode_answers_bytes_that_are_not_http),
        TU_TEST(test_truncated_mode_closes_before_content_length),
        TU_TEST(test_big_mode_sends_all_fifty_megabytes),
        TU_TEST(test_big_mode_survives_a_client_that_hangs_up_early),
        TU_TEST(test_endless_mode_keeps_sending_until_the_client_gives_up),
        TU_TEST(test_xml_bytes_mode_sends_raw_bytes_xml_forbids),
        TU_TEST(test_xml_escaped_mode_sends_json_that_decodes_to_forbidden_chars),
        TU_TEST(test_bad_utf8_mode_sends_invalid_utf8_in_body_and_header),
        TU_TEST(test_redirect_mode_loops_on_the_same_url),
        TU_TEST(test_stall_mode_answers_only_after_the_stall),
        TU_TEST(test_reset_mode_resets_the_connection),
        TU_TEST(test_json_bomb_mode_nests_a_hundred_thousand_levels),
        TU_TEST(test_mixed_mode_gives_each_contract_route_its_own_misbehaviour),
        TU_TEST(test_server_refuses_bad_flags_and_non_loopback_addresses),
        {NULL, NULL},
    };
    int rc;
    signal(SIGPIPE, SIG_IGN);
    /* Library init, once, before any test (the allowed global setup). */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 2;
    rc = tu_run_suite("hostile_server", tests);
    curl_global_cleanup();
    return rc;
}
