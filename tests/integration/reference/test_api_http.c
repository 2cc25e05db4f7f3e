/* The HTTP surface: routing, security headers, CORS, bad input, meta
 * endpoints, and errors that never leak internals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "fixture.h"
#include "rs/embedded.h"
#include "rs/router.h"
#include "testdb.h"
#include "unit.h"

/* The server of this test program (set up in main). */
static struct it_server srv;
static char *db_url;
static char *token;
static char user_id[40];

#define ORIGIN "http://localhost:3000"

static long
req(const char *method, const char *path, const char *const *headers, const char *body,
    size_t body_len, struct it_resp *r)
{
    char url[70000];
    struct it_req q = {
        .method = method, .url = url, .headers = headers, .body = body, .body_len = body_len};

    snprintf(url, sizeof url, "%s%s", srv.base, path);
    CU_ASSERT_FATAL(it_http(&q, r) == 0);
    return r->status;
}

static void
assert_security_headers(const struct it_resp *r)
{
    char h[256];
    CU_ASSERT(it_header(r, "Content-Security-Policy", h, sizeof h) != NULL &&
              strcmp(h, "default-src 'none'; frame-ancestors 'none'") == 0);
    CU_ASSERT(it_header(r, "X-Content-Type-Options", h, sizeof h) != NULL &&
              strcmp(h, "nosniff") == 0);
    CU_ASSERT(it_header(r, "Referrer-Policy", h, sizeof h) != NULL &&
              strcmp(h, "no-referrer") == 0);
    CU_ASSERT(it_header(r, "Cache-Control", h, sizeof h) != NULL && strcmp(h, "no-store") == 0);
    CU_ASSERT(it_header(r, "Server", h, sizeof h) == NULL);
    CU_ASSERT(it_header(r, "X-Powered-By", h, sizeof h) == NULL);
    CU_ASSERT(it_header(r, "Strict-Transport-Security", h, sizeof h) == NULL); /* plain HTTP */
}

/* Nothing in an error body names the machinery behind it. */
static void
assert_no_leak(const struct it_resp *r)
{
    static const char *const words[] = {
        "SQL",        "sql",   "postgres", "PG",  "libpq", "relation",  "jansson", "JSON_",
        "microhttpd", "/work", "/usr",     ".c:", "errno", "Traceback", "authref", "0.9."};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        if (r->body != NULL && strstr(r->body, words[i]) != NULL) {
            fprintf(stderr, "\n    body leaks \"%s\": %s\n", words[i], r->body);
            CU_FAIL("error body leaks an internal word");
        }
        if (r->headers != NULL && strstr(r->headers, words[i]) != NULL) {
            fprintf(stderr, "\n    headers leak \"%s\"\n", words[i]);
            CU_FAIL("headers leak an internal word");
        }
    }
}

static void
test_every_kind_of_response_carries_the_security_headers(void)
{
    const char *json_ct[] = {"Content-Type: application/json", NULL};
    struct it_resp r;

    CU_ASSERT(req("GET", "/health", NULL, NULL, 0, &r) == 200);
    assert_security_headers(&r);
    it_resp_cleanup(&r);
    CU_ASSERT(req("GET", "/nowhere", NULL, NULL, 0, &r) == 404);
    assert_security_headers(&r);
    it_resp_cleanup(&r);
    CU_ASSERT(req("GET", "/api/users/x/tasks", NULL, NULL, 0, &r) == 401);
    assert_security_headers(&r);
    it_resp_cleanup(&r);
    CU_ASSERT(req("POST", "/api/auth/signin", json_ct, "{", 0, &r) == 422);
    assert_security_headers(&r);
    it_resp_cleanup(&r);
    CU_ASSERT(req("DELETE", "/health", NULL, NULL, 0, &r) == 405);
    assert_security_headers(&r);
    it_resp_cleanup(&r);
}

static void
test_unknown_path_is_404_json(void)
{
    struct it_resp r;
    CU_ASSERT(req("GET", "/no/such/thing", NULL, NULL, 0, &r) == 404);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"detail\":\"Not Found\"}");
    it_resp_cleanup(&r);
    CU_ASSERT(req("GET", "/api/auth/nothing", NULL, NULL, 0, &r) == 404);
    it_resp_cleanup(&r);
}

static void
test_wrong_method_is_405_with_allow(void)
{
    char allow[128], path[128];
    struct it_resp r;

    CU_ASSERT(req("GET", "/api/auth/signup", NULL, NULL, 0, &r) == 405);
    CU_ASSERT_STRING_EQUAL(it_header(&r, "Allow", allow, sizeof allow), "POST, OPTIONS");
    CU_ASSERT_STRING_EQUAL(r.body, "{\"detail\":\"Method Not Allowed\"}");
    it_resp_cleanup(&r);
    CU_ASSERT(req("POST", "/health", NULL, "{}", 0, &r) == 405);
    CU_ASSERT_STRING_EQUAL(it_header(&r, "Allow", allow, sizeof allow), "GET, HEAD, OPTIONS");
    it_resp_cleanup(&r);
    snprintf(path, sizeof path, "/api/users/%s/tasks", user_id);
    {
        char auth[4200];
        const char *hs[] = {auth, NULL};
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        CU_ASSERT(req("DELETE", path, hs, NULL, 0, &r) == 405);
        CU_ASSERT_STRING_EQUAL(it_header(&r, "Allow", allow, sizeof allow),
                               "GET, HEAD, POST, OPTIONS");
        it_resp_cleanup(&r);
    }
}

static void
test_head_and_plain_options_are_answered(void)
{
    char allow[128];
    struct it_resp r;

    CU_ASSERT(req("HEAD", "/health", NULL, NULL, 0, &r) == 200);
    CU_ASSERT(r.body_len == 0);
    it_resp_cleanup(&r);
    CU_ASSERT(req("OPTIONS", "/api/auth/signin", NULL, NULL, 0, &r) == 204);
    CU_ASSERT_STRING_EQUAL(it_header(&r, "Allow", allow, sizeof allow), "POST, OPTIONS");
    it_resp_cleanup(&r);
}

static void
test_health_ready_and_openapi_answer(void)
{
    struct it_resp r;

    CU_ASSERT(req("GET", "/health", NULL, NULL, 0, &r) == 200);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"status\":\"ok\"}");
    it_resp_cleanup(&r);
    CU_ASSERT(req("GET", "/ready", NULL, NULL, 0, &r) == 200);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"status\":\"ready\"}");
    it_resp_cleanup(&r);
    CU_ASSERT(req("GET", "/openapi.json", NULL, NULL, 0, &r) == 200);
    CU_ASSERT_FATAL(json_is_object(r.json));
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(r.json, "openapi")), "3.1.0");
    it_resp_cleanup(&r);
}

/* The OpenAPI document lists exactly the router's routes and methods. */
static void
test_openapi_document_matches_the_route_table(void)
{
    json_t *doc = json_loads(rs_openapi_files[0].text, 0, NULL);
    const json_t *paths = json_object_get(doc, "paths");
    size_t n, in_doc = 0, in_table = 0;
    const struct rs_route *routes = rs_router_routes(&n);
    const char *path;
    json_t *item;

    CU_ASSERT_FATAL(json_is_object(paths));
    for (size_t i = 0; i < n; i++) {
        const json_t *p = json_object_get(paths, routes[i].pattern);
        if (p == NULL)
            fprintf(stderr, "\n    %s is missing from openapi.json\n", routes[i].pattern);
        CU_ASSERT_FATAL(p != NULL);
        for (const struct rs_route_method *m = routes[i].methods; m->method; m++) {
            char lower[16];
            size_t k;
            for (k = 0; m->method[k] && k + 1 < sizeof lower; k++)
                lower[k] = (char)(m->method[k] | 0x20);
            lower[k] = '\0';
            if (json_object_get(p, lower) == NULL)
                fprintf(stderr, "\n    %s %s is missing from openapi.json\n", m->method,
                        routes[i].pattern);
            CU_ASSERT(json_object_get(p, lower) != NULL);
            in_table++;
        }
    }
    json_object_foreach((json_t *)paths, path, item)
    {
        const char *verb;
        json_t *op;
        json_object_foreach(item, verb, op)
        {
            if (strcmp(verb, "parameters") != 0)
                in_doc++;
        }
    }
    CU_ASSERT(in_doc == in_table);
    CU_ASSERT(json_object_size(paths) == n);
    json_decref(doc);
}

/* ---- CORS ---- */

static void
test_cors_echoes_only_configured_origins(void)
{
    const char *good[] = {"Origin: " ORIGIN, NULL};
    const char *evil[] = {"Origin: http://evil.example", NULL};
    char h[256];
    struct it_resp r;

    CU_ASSERT(req("GET", "/health", good, NULL, 0, &r) == 200);
    CU_ASSERT_STRING_EQUAL(it_header(&r, "Access-Control-Allow-Origin", h, sizeof h), ORIGIN);
    CU_ASSERT_STRING_EQUAL(it_header(&r, "Access-Control-Allow-Credentials", h, sizeof h), "true");
    CU_ASSERT_STRING_EQUAL(it_header(&r, "Vary", h, sizeof h), "Origin");
    it_resp_cleanup(&r);
    CU_ASSERT(req("GET", "/health", evil, NULL, 0, &r) == 200);
    CU_ASSERT(it_header(&r, "Access-Control-Allow-Origin", h, sizeof h) == NULL);
    CU_ASSERT(it_header(&r, "Access-Control-Allow-Credentials", h, sizeof h) == NULL);
    CU_ASSERT_STRING_EQUAL(it_header(&r, "Vary", h, sizeof h), "Origin");
    it_resp_cleanup(&r);
    /* The second configured origin (FRONTEND_URL style). */
    {
        const char *other[] = {"Origin: https://app.example.com", NULL};
        CU_ASSERT(req("GET", "/health", other, NULL, 0, &r) == 200);
        CU_ASSERT_STRING_EQUAL(it_header(&r, "Access-Control-Allow-Origin", h, sizeof h),
                               "https://app.example.com");
        it_resp_cleanup(&r);
    }
}

static void
test_cors_preflight_for_configured_origin_is_204(void)
{
    const char *hs[] = {"Origin: " ORIGIN, "Access-Control-Request-Method: POST",
                        "Access-Control-Request-Headers: content-type", NULL};
    char h[256];
    struct it_resp r;

    CU_ASSERT(req("OPTIONS", "/api/auth/signin", hs, NULL, 0, &r) == 204);
    CU_ASSERT_STRING_EQUAL(it_header(&r, "Access-Control-Allow-Origin", h, sizeof h), ORIGIN);
    CU_ASSERT_STRING_EQUAL(it_header(&r, "Access-Control-Allow-Credentials", h, sizeof h), "true");
    CU_ASSERT(it_header(&r, "Access-Control-Allow-Methods", h, sizeof h) != NULL &&
              strstr(h, "POST") != NULL);
    CU_ASSERT(it_header(&r, "Access-Control-Allow-Headers", h, sizeof h) != NULL &&
              strstr(h, "Authorization") != NULL && strstr(h, "Content-Type") != NULL);
    CU_ASSERT(it_header(&r, "Access-Control-Max-Age", h, sizeof h) != NULL);
    it_resp_cleanup(&r);
}

static void
test_cors_preflight_for_other_origin_gets_no_cors_headers(void)
{
    const char *hs[] = {"Origin: http://evil.example", "Access-Control-Request-Method: POST", NULL};
    const char *star[] = {"Origin: null", "Access-Control-Request-Method: GET", NULL};
    char h[256];
    struct it_resp r;

    CU_ASSERT(req("OPTIONS", "/api/auth/signin", hs, NULL, 0, &r) == 403);
    CU_ASSERT(it_header(&r, "Access-Control-Allow-Origin", h, sizeof h) == NULL);
    CU_ASSERT(it_header(&r, "Access-Control-Allow-Methods", h, sizeof h) == NULL);
    it_resp_cleanup(&r);
    CU_ASSERT(req("OPTIONS", "/health", star, NULL, 0, &r) == 403);
    CU_ASSERT(it_header(&r, "Access-Control-Allow-Origin", h, sizeof h) == NULL);
    it_resp_cleanup(&r);
}

/* ---- bad input ---- */

static void
test_body_over_the_limit_is_413(void)
{
    const char *ct[] = {"Content-Type: application/json", NULL};
    const char *chunked[] = {"Content-Type: application/json", "Transfer-Encoding: chunked", NULL};
    size_t n = 70000;
    char *big = malloc(n + 1);
    struct it_resp r;

    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    CU_ASSERT(req("POST", "/api/auth/signup", ct, big, n, &r) == 413);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"detail\":\"Request body too large\"}");
    it_resp_cleanup(&r);
    CU_ASSERT(req("POST", "/api/auth/signup", chunked, big, n, &r) == 413);
    it_resp_cleanup(&r);
    free(big);
}

/* A header line "X-Big: aaa..." with n letters; new. */
static char *
big_header(const char *name, size_t n)
{
    size_t len = strlen(name);
    char *h = malloc(len + 2 + n + 1);
    CU_ASSERT_FATAL(h != NULL);
    memcpy(h, name, len);
    memcpy(h + len, ": ", 2);
    memset(h + len + 2, 'a', n);
    h[len + 2 + n] = '\0';
    return h;
}

/* authref's own answer: status, {"detail": detail}, JSON, security headers. */
static void
assert_own_refusal(const struct it_resp *r, long status, const char *detail)
{
    char h[128];
    CU_ASSERT_EQUAL(r->status, status);
    CU_ASSERT(r->body != NULL && it_detail(r) != NULL && strcmp(it_detail(r), detail) == 0);
    CU_ASSERT(it_header(r, "Content-Type", h, sizeof h) != NULL &&
              strcmp(h, "application/json") == 0);
    assert_security_headers(r);
}

static void
test_oversized_headers_and_urls_get_authrefs_json_refusal(void)
{
    char *hdr = big_header("X-Big", 20000);
    const char *one[] = {hdr, NULL};
    char *many[21];
    char *path = malloc(40016);
    struct it_resp r;

    CU_ASSERT_FATAL(path != NULL);
    /* one header over the cap */
    req("GET", "/health", one, NULL, 0, &r);
    assert_own_refusal(&r, 431, "Request header fields too large");
    it_resp_cleanup(&r);
    /* many headers, each small, together over the cap */
    for (int i = 0; i < 20; i++) {
        char name[16];
        snprintf(name, sizeof name, "X-Part-%d", i);
        many[i] = big_header(name, 1000);
    }
    many[20] = NULL;
    req("GET", "/health", (const char *const *)many, NULL, 0, &r);
    assert_own_refusal(&r, 431, "Request header fields too large");
    it_resp_cleanup(&r);
    for (int i = 0; i < 20; i++)
        free(many[i]);
    /* with a body, on a route that reads one: refused before the body */
    {
        const char *hs[] = {hdr, "Content-Type: application/json", NULL};
        req("POST", "/api/auth/signin", hs, "{\"email\":\"a@b.co\",\"password\":\"x\"}", 0, &r);
        assert_own_refusal(&r, 431, "Request header fields too large");
        it_resp_cleanup(&r);
    }
    free(hdr);
    /* under the cap: served */
    hdr = big_header("X-Big", 12000);
    one[0] = hdr;
    CU_ASSERT(req("GET", "/health", one, NULL, 0, &r) == 200);
    it_resp_cleanup(&r);
    free(hdr);

    /* a path over the router's cap, then over the server's URL cap */
    path[0] = '/';
    memset(path + 1, 'a', 3000);
    path[3001] = '\0';
    req("GET", path, NULL, NULL, 0, &r);
    assert_own_refusal(&r, 414, "URL too long");
    it_resp_cleanup(&r);
    memset(path + 1, 'a', 10000);
    path[10001] = '\0';
    req("GET", path, NULL, NULL, 0, &r);
    assert_own_refusal(&r, 414, "URL too long");
    it_resp_cleanup(&r);
    /* a short path with a long query */
    memcpy(path, "/health?q=", 10);
    memset(path + 10, 'a', 10000);
    path[10010] = '\0';
    req("GET", path, NULL, NULL, 0, &r);
    assert_own_refusal(&r, 414, "URL too long");
    it_resp_cleanup(&r);
    path[4010] = '\0';
    CU_ASSERT(req("GET", path, NULL, NULL, 0, &r) == 200);
    it_resp_cleanup(&r);
    free(path);
}

static void
test_headers_past_the_connection_memory_are_4xx_and_the_server_goes_on(void)
{
    /* past what a connection may hold, libmicrohttpd answers itself: a 4xx
     * all the same, never a 500 or a dropped server */
    char *hdr = big_header("X-Huge", 400000);
    const char *one[] = {hdr, NULL};
    struct it_resp r;

    r.status = 0;
    CU_ASSERT(req("GET", "/health", one, NULL, 0, &r) / 100 == 4);
    it_resp_cleanup(&r);
    free(hdr);
    CU_ASSERT(req("GET", "/health", NULL, NULL, 0, &r) == 200);
    it_resp_cleanup(&r);
}

static void
test_malformed_bodies_are_4xx_json_never_500(void)
{
    static const char *const bodies[] = {
        "{",
        "{\"email\":\"a@b.co\",\"password\":\"password123\",\"email\":\"c@d.co\"}",
        "{\"email\":\"a\xff@b.co\",\"password\":\"password123\"}",
        "{\"email\":\"a\\u0000@b.co\",\"password\":\"password123\"}",
        "{\"email\":\"a@b.co\",\"password\":123456789012345678901234567890}",
        "{\"email\":\"a@b.co\",\"password\":1e999}",
        "{\"email\":\"a@b.co\",\"password\":\"\\ud800\"}",
        "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
        "null",
        "",
        "\xef\xbb\xbf{}",
        "{\"email\":\"a@b.co\"} trailing",
    };
    const char *ct[] = {"Content-Type: application/json", NULL};
    struct it_resp r;

    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        const char *paths[] = {"/api/auth/signup", "/api/auth/signin"};
        for (int k = 0; k < 2; k++) {
            long st = req("POST", paths[k], ct, bodies[i], strlen(bodies[i]), &r);
            if (st != 422)
                fprintf(stderr, "\n    body #%zu on %s: %ld %s\n", i, paths[k], st, r.body);
            CU_ASSERT(st == 422);
            CU_ASSERT(it_detail(&r) != NULL);
            assert_no_leak(&r);
            it_resp_cleanup(&r);
        }
    }
    /* A NUL byte inside the body. */
    {
        const char nul[] = "{\"email\":\"a\0@b.co\",\"password\":\"password123\"}";
        CU_ASSERT(req("POST", "/api/auth/signup", ct, nul, sizeof nul - 1, &r) == 422);
        CU_ASSERT(it_detail(&r) != NULL);
        it_resp_cleanup(&r);
    }
}

static void
test_hostile_paths_and_headers_never_give_500(void)
{
    static const char *const paths[] = {
        "/api/users/%00/tasks",
        "/api/users/../../etc/passwd/tasks",
        "/api/users//tasks",
        "/api/users/%2e%2e/tasks",
        "/%ff%fe",
        "/api/auth/signin/../signup",
        "//health",
    };
    const char *hs[] = {"Authorization: Bearer \x01\x02", "Cookie: access_token=%%%", NULL};
    struct it_resp r;

    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        long st = req("GET", paths[i], hs, NULL, 0, &r);
        CU_ASSERT(st >= 400 && st < 500);
        assert_no_leak(&r);
        it_resp_cleanup(&r);
    }
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_every_kind_of_response_carries_the_security_headers),
        TU_TEST(test_unknown_path_is_404_json),
        TU_TEST(test_wrong_method_is_405_with_allow),
        TU_TEST(test_head_and_plain_options_are_answered),
        TU_TEST(test_health_ready_and_openapi_answer),
        TU_TEST(test_openapi_document_matches_the_route_table),
        TU_TEST(test_cors_echoes_only_configured_origins),
        TU_TEST(test_cors_preflight_for_configured_origin_is_204),
        TU_TEST(test_cors_preflight_for_other_origin_gets_no_cors_headers),
        TU_TEST(test_body_over_the_limit_is_413),
        TU_TEST(test_oversized_headers_and_urls_get_authrefs_json_refusal),
        TU_TEST(test_headers_past_the_connection_memory_are_4xx_and_the_server_goes_on),
        TU_TEST(test_malformed_bodies_are_4xx_json_never_500),
        TU_TEST(test_hostile_paths_and_headers_never_give_500),
        {NULL, NULL},
    };
    const char *extra[] = {"--cors-origins", ORIGIN ", https://app.example.com/", NULL};
    char email[96];
    int rc;

    if (tu_testdb_create("api_http", &db_url) != 0)
        return 2;
    if (it_server_start(&srv, db_url, extra) != 0)
        return 2;
    if (it_signup(srv.base, it_email(email, sizeof email, "http"), "password123", &token,
                  user_id) != 201)
        return 2;
    rc = tu_run_suite("api_http", tests);
    free(token);
    it_server_stop(&srv);
    tu_testdb_drop(db_url);
    free(db_url);
    return rc;
}
