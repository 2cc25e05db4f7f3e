/* HTTPS: TLS 1.3 only with a throwaway CA made here, HSTS, Secure cookies,
 * and the plain-HTTP listener that only redirects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "fixture.h"
#include "testdb.h"
#include "unit.h"

/* The server, database and certificate directory of this test program. */
static struct it_server srv;
static char *db_url;
static char dir[] = "/tmp/authref-tls-XXXXXX";
static char cacert[128], cert[128], key[128];

static int
make_certificates(void)
{
    snprintf(cacert, sizeof cacert, "%s/ca.crt", dir);
    snprintf(cert, sizeof cert, "%s/server.crt", dir);
    snprintf(key, sizeof key, "%s/server.key", dir);
    return it_make_certificates(dir);
}

static void
test_https_negotiates_tls13_and_sends_hsts(void)
{
    char url[200], h[256];
    struct it_req q = {.method = "GET", .url = url, .cacert = cacert};
    struct it_resp r;

    snprintf(url, sizeof url, "%s/health", srv.base);
    CU_ASSERT_FATAL(it_http(&q, &r) == 0);
    CU_ASSERT(r.status == 200);
    CU_ASSERT_STRING_EQUAL(r.tls_version, "TLSv1.3");
    CU_ASSERT(it_header(&r, "Strict-Transport-Security", h, sizeof h) != NULL &&
              strstr(h, "max-age=") != NULL);
    it_resp_cleanup(&r);
}

static void
test_tls12_client_is_refused(void)
{
    char url[200];
    struct it_req q = {.method = "GET", .url = url, .cacert = cacert, .tls12_only = true};
    struct it_resp r;

    snprintf(url, sizeof url, "%s/health", srv.base);
    CU_ASSERT(it_http(&q, &r) != 0);
    it_resp_cleanup(&r);
}

static void
test_plain_http_on_the_tls_port_gets_no_answer(void)
{
    char url[200];
    struct it_resp r;

    snprintf(url, sizeof url, "http://127.0.0.1:%u/health", rs_server_port(srv.srv));
    CU_ASSERT(it_get(url, NULL, &r) != 0 || r.status != 200);
    it_resp_cleanup(&r);
}

static void
test_cookies_over_tls_are_secure(void)
{
    char url[200], body[256], email[96], cookie[4400];
    const char *hs[] = {"Content-Type: application/json", NULL};
    struct it_req q = {.method = "POST", .url = url, .cacert = cacert, .headers = hs, .body = body};
    struct it_resp r;

    snprintf(url, sizeof url, "%s/api/auth/signup", srv.base);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"password123\"}",
             it_email(email, sizeof email, "tls"));
    CU_ASSERT_FATAL(it_http(&q, &r) == 0);
    CU_ASSERT(r.status == 201);
    CU_ASSERT(it_header(&r, "Set-Cookie", cookie, sizeof cookie) != NULL);
    CU_ASSERT(strstr(cookie, "; HttpOnly") != NULL);
    CU_ASSERT(strstr(cookie, "; SameSite=Lax") != NULL);
    CU_ASSERT(strstr(cookie, "; Secure") != NULL);
    it_resp_cleanup(&r);
}

static void
test_redirect_listener_sends_308_to_https(void)
{
    char url[200], loc[300], expect[300];
    const char *evil[] = {"Host: evil.example\r\nX-Injected: 1", NULL};
    const char *named[] = {"Host: localhost:1234", NULL};
    struct it_req q = {.method = "GET", .url = url};
    struct it_resp r;
    unsigned rport = rs_server_redirect_port(srv.srv), port = rs_server_port(srv.srv);

    CU_ASSERT_FATAL(rport != 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%u/api/auth/signin", rport);
    CU_ASSERT_FATAL(it_http(&q, &r) == 0);
    CU_ASSERT(r.status == 308);
    snprintf(expect, sizeof expect, "https://127.0.0.1:%u/api/auth/signin", port);
    CU_ASSERT(it_header(&r, "Location", loc, sizeof loc) != NULL && strcmp(loc, expect) == 0);
    it_resp_cleanup(&r);
    q.headers = named;
    CU_ASSERT_FATAL(it_http(&q, &r) == 0);
    snprintf(expect, sizeof expect, "https://localhost:%u/api/auth/signin", port);
    CU_ASSERT(it_header(&r, "Location", loc, sizeof loc) != NULL && strcmp(loc, expect) == 0);
    it_resp_cleanup(&r);
    q.headers = evil;
    q.method = "POST";
    q.body = "{}";
    if (it_http(&q, &r) == 0) {
        CU_ASSERT(r.status == 308 || r.status / 100 == 4);
        CU_ASSERT(it_header_count(&r, "X-Injected") == 0);
    }
    it_resp_cleanup(&r);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_https_negotiates_tls13_and_sends_hsts),
        TU_TEST(test_tls12_client_is_refused),
        TU_TEST(test_plain_http_on_the_tls_port_gets_no_answer),
        TU_TEST(test_cookies_over_tls_are_secure),
        TU_TEST(test_redirect_listener_sends_308_to_https),
        {NULL, NULL},
    };
    char cmd[200];
    int rc;

    if (mkdtemp(dir) == NULL || make_certificates() != 0) {
        fprintf(stderr, "test: cannot make the test certificates with openssl\n");
        return 2;
    }
    {
        const char *extra[] = {"--tls-cert",           cert, "--tls-key", key,
                               "--http-redirect-port", "0",  NULL};
        if (tu_testdb_create("tls", &db_url) != 0 || it_server_start(&srv, db_url, extra) != 0)
            return 2;
    }
    rc = tu_run_suite("tls", tests);
    it_server_stop(&srv);
    tu_testdb_drop(db_url);
    free(db_url);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "test: cannot remove %s\n", dir);
    return rc;
}
