/* Signup, signin, signout over HTTP: exact codes, bodies, headers, cookies. */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "cmn/text.h"
#include "fixture.h"
#include "testdb.h"
#include "unit.h"

/* The server and database of this test program (set up in main). */
static struct it_server srv;
static char *db_url;

static void
url_of(char *buf, size_t n, const char *path)
{
    snprintf(buf, n, "%s%s", srv.base, path);
}

static long
post(const char *path, const char *json, struct it_resp *r)
{
    char url[256];
    url_of(url, sizeof url, path);
    CU_ASSERT_FATAL(it_send("POST", url, NULL, json, r) == 0);
    return r->status;
}

static void
assert_detail(const struct it_resp *r, const char *detail)
{
    const char *d = it_detail(r);
    CU_ASSERT_PTR_NOT_NULL(d);
    if (d != NULL && strcmp(d, detail) != 0)
        fprintf(stderr, "\n    detail \"%s\", wanted \"%s\"\n", d, detail);
    CU_ASSERT(d != NULL && strcmp(d, detail) == 0);
}

static void
test_signup_creates_account_and_returns_token_body(void)
{
    char email[96], body[256], h[512];
    struct it_resp r;
    const json_t *user;

    it_email(email, sizeof email, "Alice");
    snprintf(body, sizeof body,
             "{\"email\":\"  %s \",\"password\":\"password123\",\"username\":\"Test User\"}",
             email);
    CU_ASSERT(post("/api/auth/signup", body, &r) == 201);
    CU_ASSERT(json_is_string(json_object_get(r.json, "access_token")));
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(r.json, "token_type")), "bearer");
    user = json_object_get(r.json, "user");
    CU_ASSERT_FATAL(json_is_object(user));
    CU_ASSERT(cmn_text_is_uuid(json_string_value(json_object_get(user, "id"))));
    for (char *p = email; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(user, "email")), email);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(user, "username")), "Test User");
    CU_ASSERT(json_is_true(json_object_get(user, "is_active")));
    CU_ASSERT(cmn_text_parse_rfc3339(json_string_value(json_object_get(user, "created_at")), NULL));
    CU_ASSERT(json_object_size(user) == 5);
    CU_ASSERT(json_object_size(r.json) == 3);
    CU_ASSERT_STRING_EQUAL(it_header(&r, "Content-Type", h, sizeof h), "application/json");
    CU_ASSERT_STRING_EQUAL(it_header(&r, "Cache-Control", h, sizeof h), "no-store");
    it_resp_cleanup(&r);
}

static void
test_signup_without_username_gives_null_username(void)
{
    char email[96], body[256];
    struct it_resp r;

    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"password123\"}",
             it_email(email, sizeof email, "nouser"));
    CU_ASSERT(post("/api/auth/signup", body, &r) == 201);
    CU_ASSERT(json_is_null(json_object_get(json_object_get(r.json, "user"), "username")));
    it_resp_cleanup(&r);
}

static void
test_signup_with_taken_email_in_any_case_is_400(void)
{
    char email[96], body[256];
    struct it_resp r;

    it_email(email, sizeof email, "dup");
    CU_ASSERT(it_signup(srv.base, email, "password123", NULL, NULL) == 201);
    email[0] = 'D';
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"other-password\"}", email);
    CU_ASSERT(post("/api/auth/signup", body, &r) == 400);
    assert_detail(&r, "Email already registered");
    it_resp_cleanup(&r);
}

struct invalid_case {
    const char *body;
    const char *detail;
};

static void
test_signup_invalid_input_is_422_naming_the_field(void)
{
    static const struct invalid_case cases[] = {
        {"{\"password\":\"password123\"}", "email: field required"},
        {"{\"email\":\"x1@example.com\"}", "password: field required"},
        {"{\"email\":42,\"password\":\"password123\"}", "email: must be a string"},
        {"{\"email\":\"x2@example.com\",\"password\":true}", "password: must be a string"},
        {"{\"email\":\"not-an-email\",\"password\":\"password123\"}",
         "email: not a valid email address"},
        {"{\"email\":\"a@b\",\"password\":\"password123\"}", "email: not a valid email address"},
        {"{\"email\":\"x3@example.com\",\"password\":\"short\"}",
         "password: must be at least 8 characters"},
        {"{\"email\":\"x4@example.com\",\"password\":"
         "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
         "password: must be at most 72 bytes"},
        {"{\"email\":\"x5@example.com\",\"password\":\"password123\",\"username\":5}",
         "username: must be a string or null"},
        {"[1,2]", "body: must be a JSON object"},
        {"\"text\"", "body: must be a JSON object"},
    };
    struct it_resp r;

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CU_ASSERT(post("/api/auth/signup", cases[i].body, &r) == 422);
        assert_detail(&r, cases[i].detail);
        it_resp_cleanup(&r);
    }
}

static void
test_signup_with_wrong_content_type_is_422(void)
{
    char url[256];
    const char *hs[] = {"Content-Type: text/plain", NULL};
    struct it_req req = {.method = "POST",
                         .url = url,
                         .headers = hs,
                         .body = "{\"email\":\"ct@example.com\",\"password\":\"password123\"}"};
    struct it_resp r;

    url_of(url, sizeof url, "/api/auth/signup");
    CU_ASSERT_FATAL(it_http(&req, &r) == 0);
    CU_ASSERT(r.status == 422);
    assert_detail(&r, "Content-Type: must be application/json");
    it_resp_cleanup(&r);
}

static void
test_signin_returns_same_body_shape_as_signup(void)
{
    char email[96], body[256], id[40];
    struct it_resp r;

    it_email(email, sizeof email, "signin");
    CU_ASSERT(it_signup(srv.base, email, "password123", NULL, id) == 201);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"password123\"}", email);
    CU_ASSERT(post("/api/auth/signin", body, &r) == 200);
    CU_ASSERT(json_is_string(json_object_get(r.json, "access_token")));
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(r.json, "token_type")), "bearer");
    CU_ASSERT_STRING_EQUAL(
        json_string_value(json_object_get(json_object_get(r.json, "user"), "id")), id);
    it_resp_cleanup(&r);
}

static void
test_signin_unknown_email_and_wrong_password_answer_identically(void)
{
    char email[96], body[256], h1[256], h2[256];
    struct it_resp a, b;

    it_email(email, sizeof email, "enum");
    CU_ASSERT(it_signup(srv.base, email, "password123", NULL, NULL) == 201);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"wrong-password\"}", email);
    CU_ASSERT(post("/api/auth/signin", body, &a) == 401);
    CU_ASSERT(post("/api/auth/signin",
                   "{\"email\":\"nobody-here@example.com\",\"password\":\"wrong-password\"}",
                   &b) == 401);
    CU_ASSERT_STRING_EQUAL(a.body, "{\"detail\":\"Invalid credentials\"}");
    CU_ASSERT_STRING_EQUAL(a.body, b.body);
    CU_ASSERT(it_header(&a, "Set-Cookie", h1, sizeof h1) == NULL);
    CU_ASSERT(it_header(&b, "Set-Cookie", h2, sizeof h2) == NULL);
    it_resp_cleanup(&a);
    it_resp_cleanup(&b);
}

static void
test_signin_to_inactive_account_says_so_only_after_password(void)
{
    char email[96], body[256], sql[256];
    struct it_resp r;
    PGconn *pg = PQconnectdb(db_url);
    PGresult *res;

    it_email(email, sizeof email, "inactive");
    CU_ASSERT(it_signup(srv.base, email, "password123", NULL, NULL) == 201);
    snprintf(sql, sizeof sql, "UPDATE users SET is_active = false WHERE email = '%s'", email);
    res = PQexec(pg, sql);
    CU_ASSERT(PQresultStatus(res) == PGRES_COMMAND_OK);
    PQclear(res);
    PQfinish(pg);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"wrong-password\"}", email);
    CU_ASSERT(post("/api/auth/signin", body, &r) == 401);
    assert_detail(&r, "Invalid credentials");
    it_resp_cleanup(&r);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"password123\"}", email);
    CU_ASSERT(post("/api/auth/signin", body, &r) == 401);
    assert_detail(&r, "Account is inactive");
    it_resp_cleanup(&r);
}

static void
test_signup_and_signin_set_the_token_cookie(void)
{
    char email[96], body[256], cookie[4400], expect[4400];
    struct it_resp r;

    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"password123\"}",
             it_email(email, sizeof email, "cookie"));
    CU_ASSERT(post("/api/auth/signup", body, &r) == 201);
    CU_ASSERT_FATAL(it_header(&r, "Set-Cookie", cookie, sizeof cookie) != NULL);
    snprintf(expect, sizeof expect,
             "access_token=%s; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax",
             json_string_value(json_object_get(r.json, "access_token")));
    CU_ASSERT_STRING_EQUAL(cookie, expect);
    it_resp_cleanup(&r);
    CU_ASSERT(post("/api/auth/signin", body, &r) == 200);
    CU_ASSERT_FATAL(it_header(&r, "Set-Cookie", cookie, sizeof cookie) != NULL);
    CU_ASSERT(strncmp(cookie, "access_token=ey", 15) == 0);
    CU_ASSERT(strstr(cookie, "; HttpOnly") != NULL);
    CU_ASSERT(strstr(cookie, "Secure") == NULL); /* plain HTTP, no --cookie-secure */
    it_resp_cleanup(&r);
}

static void
test_signout_clears_the_cookie(void)
{
    struct it_resp r;
    char cookie[256];

    CU_ASSERT(post("/api/auth/signout", "{}", &r) == 204);
    CU_ASSERT_FATAL(it_header(&r, "Set-Cookie", cookie, sizeof cookie) != NULL);
    CU_ASSERT_STRING_EQUAL(cookie, "access_token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    CU_ASSERT(r.body_len == 0);
    it_resp_cleanup(&r);
}

static void
test_stored_password_is_bcrypt_cost_of_the_server(void)
{
    char email[96], sql[256];
    PGconn *pg = PQconnectdb(db_url);
    PGresult *res;

    it_email(email, sizeof email, "hash");
    CU_ASSERT(it_signup(srv.base, email, "password123", NULL, NULL) == 201);
    snprintf(sql, sizeof sql, "SELECT hashed_password FROM users WHERE email = '%s'", email);
    res = PQexec(pg, sql);
    CU_ASSERT_FATAL(PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1);
    CU_ASSERT(strncmp(PQgetvalue(res, 0, 0), "$2b$04$", 7) == 0);
    CU_ASSERT(strlen(PQgetvalue(res, 0, 0)) == 60);
    CU_ASSERT(strstr(PQgetvalue(res, 0, 0), "password123") == NULL);
    PQclear(res);
    PQfinish(pg);
}

/* ---- concurrent signups with one email ---- */

struct race_arg {
    const char *email;
    long status;
};

static void *
race_one(void *p)
{
    struct race_arg *a = p;
    a->status = it_signup(srv.base, a->email, "password123", NULL, NULL);
    return NULL;
}

static void
test_concurrent_signups_with_one_email_make_exactly_one_account(void)
{
    enum { N = 12 };
    pthread_t th[N];
    struct race_arg args[N];
    char email[96], sql[256];
    int created = 0, taken = 0;
    PGconn *pg;
    PGresult *res;

    it_email(email, sizeof email, "race");
    for (int i = 0; i < N; i++) {
        args[i].email = email;
        pthread_create(&th[i], NULL, race_one, &args[i]);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        created += args[i].status == 201;
        taken += args[i].status == 400;
    }
    CU_ASSERT(created == 1);
    CU_ASSERT(taken == N - 1);
    pg = PQconnectdb(db_url);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM users WHERE lower(email) = '%s'", email);
    res = PQexec(pg, sql);
    CU_ASSERT_STRING_EQUAL(PQgetvalue(res, 0, 0), "1");
    PQclear(res);
    PQfinish(pg);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_signup_creates_account_and_returns_token_body),
        TU_TEST(test_signup_without_username_gives_null_username),
        TU_TEST(test_signup_with_taken_email_in_any_case_is_400),
        TU_TEST(test_signup_invalid_input_is_422_naming_the_field),
        TU_TEST(test_signup_with_wrong_content_type_is_422),
        TU_TEST(test_signin_returns_same_body_shape_as_signup),
        TU_TEST(test_signin_unknown_email_and_wrong_password_answer_identically),
        TU_TEST(test_signin_to_inactive_account_says_so_only_after_password),
        TU_TEST(test_signup_and_signin_set_the_token_cookie),
        TU_TEST(test_signout_clears_the_cookie),
        TU_TEST(test_stored_password_is_bcrypt_cost_of_the_server),
        TU_TEST(test_concurrent_signups_with_one_email_make_exactly_one_account),
        {NULL, NULL},
    };
    int rc;

    if (tu_testdb_create("api_auth", &db_url) != 0)
        return 2;
    if (it_server_start(&srv, db_url, NULL) != 0) {
        fprintf(stderr, "test: cannot start authref\n");
        return 2;
    }
    rc = tu_run_suite("api_auth", tests);
    it_server_stop(&srv);
    tu_testdb_drop(db_url);
    free(db_url);
    return rc;
}
