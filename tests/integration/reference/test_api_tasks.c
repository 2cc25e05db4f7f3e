/* Tasks and the token guard: isolation, CRUD, every kind of refused token. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "cmn/text.h"
#include "fixture.h"
#include "rs/token.h"
#include "testdb.h"
#include "unit.h"

/* The server and two users of this test program (set up in main). */
static struct it_server srv;
static char *db_url;
static char *alice_token, *bob_token;
static char alice_id[40], bob_id[40];

static const char *
tasks_url(char *buf, size_t n, const char *user, const char *task)
{
    if (task != NULL)
        snprintf(buf, n, "%s/api/users/%s/tasks/%s", srv.base, user, task);
    else
        snprintf(buf, n, "%s/api/users/%s/tasks", srv.base, user);
    return buf;
}

static void
assert_detail(const struct it_resp *r, const char *detail)
{
    const char *d = it_detail(r);
    if (d == NULL || strcmp(d, detail) != 0)
        fprintf(stderr, "\n    status %ld body %s, wanted detail \"%s\"\n", r->status,
                r->body ? r->body : "(none)", detail);
    CU_ASSERT(d != NULL && strcmp(d, detail) == 0);
}

/* Creates a task for alice; *id filled (40 bytes). */
static void
alice_task(const char *title, char *id)
{
    char url[256], body[256];
    struct it_resp r;

    snprintf(body, sizeof body, "{\"title\":\"%s\"}", title);
    CU_ASSERT_FATAL(
        it_send("POST", tasks_url(url, sizeof url, alice_id, NULL), alice_token, body, &r) == 0);
    CU_ASSERT_FATAL(r.status == 201);
    snprintf(id, 40, "%s", json_string_value(json_object_get(r.json, "id")));
    it_resp_cleanup(&r);
}

static void
test_task_lifecycle_create_read_replace_patch_delete(void)
{
    char url[256], id[40];
    struct it_resp r;
    const json_t *t;

    CU_ASSERT_FATAL(it_send("POST", tasks_url(url, sizeof url, alice_id, NULL), alice_token,
                            "{\"title\":\"Buy milk\",\"description\":\"2 litres\"}", &r) == 0);
    CU_ASSERT(r.status == 201);
    t = r.json;
    CU_ASSERT(cmn_text_is_uuid(json_string_value(json_object_get(t, "id"))));
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(t, "user_id")), alice_id);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(t, "title")), "Buy milk");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(t, "description")), "2 litres");
    CU_ASSERT(json_is_false(json_object_get(t, "completed")));
    CU_ASSERT(cmn_text_parse_rfc3339(json_string_value(json_object_get(t, "created_at")), NULL));
    CU_ASSERT(cmn_text_parse_rfc3339(json_string_value(json_object_get(t, "updated_at")), NULL));
    CU_ASSERT(json_object_size(t) == 7);
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(t, "id")));
    it_resp_cleanup(&r);

    CU_ASSERT_FATAL(it_get(tasks_url(url, sizeof url, alice_id, id), alice_token, &r) == 0);
    CU_ASSERT(r.status == 200);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(r.json, "id")), id);
    it_resp_cleanup(&r);

    CU_ASSERT_FATAL(it_send("PUT", url, alice_token,
                            "{\"title\":\"Buy oat milk\",\"completed\":true}", &r) == 0);
    CU_ASSERT(r.status == 200);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(r.json, "title")), "Buy oat milk");
    CU_ASSERT(json_is_null(json_object_get(r.json, "description"))); /* replaced */
    CU_ASSERT(json_is_true(json_object_get(r.json, "completed")));
    it_resp_cleanup(&r);

    CU_ASSERT_FATAL(
        it_send("PATCH", url, alice_token, "{\"description\":\"from the corner\"}", &r) == 0);
    CU_ASSERT(r.status == 200);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(r.json, "title")), "Buy oat milk");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(r.json, "description")),
                           "from the corner");
    CU_ASSERT(json_is_true(json_object_get(r.json, "completed")));
    it_resp_cleanup(&r);

    CU_ASSERT_FATAL(it_send("DELETE", url, alice_token, NULL, &r) == 0);
    CU_ASSERT(r.status == 204);
    CU_ASSERT(r.body_len == 0);
    it_resp_cleanup(&r);
    CU_ASSERT_FATAL(it_get(url, alice_token, &r) == 0);
    CU_ASSERT(r.status == 404);
    assert_detail(&r, "Task not found");
    it_resp_cleanup(&r);
}

static void
test_task_list_holds_only_own_tasks(void)
{
    char url[256], id[40];
    struct it_resp r;
    size_t i;
    json_t *t;

    alice_task("listed", id);
    CU_ASSERT_FATAL(it_get(tasks_url(url, sizeof url, alice_id, NULL), alice_token, &r) == 0);
    CU_ASSERT(r.status == 200);
    CU_ASSERT_FATAL(json_is_array(r.json));
    CU_ASSERT(json_array_size(r.json) >= 1);
    json_array_foreach(r.json, i, t)
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(t, "user_id")), alice_id);
    it_resp_cleanup(&r);
    CU_ASSERT_FATAL(it_get(tasks_url(url, sizeof url, bob_id, NULL), bob_token, &r) == 0);
    CU_ASSERT(r.status == 200);
    CU_ASSERT(json_is_array(r.json) && json_array_size(r.json) == 0);
    it_resp_cleanup(&r);
    /* The FastAPI spelling with a trailing slash names the same list. */
    tasks_url(url, sizeof url, alice_id, NULL);
    strcat(url, "/");
    CU_ASSERT_FATAL(it_get(url, alice_token, &r) == 0);
    CU_ASSERT(r.status == 200 && json_is_array(r.json) && json_array_size(r.json) >= 1);
    it_resp_cleanup(&r);
}

static void
test_other_users_id_in_path_is_403_on_every_method(void)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    char url[256], id[40];
    struct it_resp r;

    alice_task("private", id);
    for (size_t i = 0; i < 5; i++) {
        const char *task = (i == 0 || i == 1) ? NULL : id;
        CU_ASSERT_FATAL(it_send(methods[i], tasks_url(url, sizeof url, alice_id, task), bob_token,
                                "{\"title\":\"x\"}", &r) == 0);
        CU_ASSERT(r.status == 403);
        assert_detail(&r, "Access denied: cannot access other users' resources");
        it_resp_cleanup(&r);
    }
    CU_ASSERT_FATAL(it_get(tasks_url(url, sizeof url, alice_id, id), bob_token, &r) == 0);
    CU_ASSERT(r.status == 403);
    it_resp_cleanup(&r);
    /* The quickstart's own example of a foreign id. */
    CU_ASSERT_FATAL(
        it_get(tasks_url(url, sizeof url, "different-user-id", NULL), alice_token, &r) == 0);
    CU_ASSERT(r.status == 403);
    it_resp_cleanup(&r);
}

static void
test_own_id_in_other_case_or_encoding_is_403(void)
{
    char url[256], upper[40], encoded[64];
    struct it_resp r;

    snprintf(upper, sizeof upper, "%s", alice_id);
    for (char *p = upper; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 32);
    CU_ASSERT_FATAL(it_get(tasks_url(url, sizeof url, upper, NULL), alice_token, &r) == 0);
    CU_ASSERT(r.status == 403);
    it_resp_cleanup(&r);
    snprintf(encoded, sizeof encoded, "%%%02x%s", (unsigned char)alice_id[0], alice_id + 1);
    CU_ASSERT_FATAL(it_get(tasks_url(url, sizeof url, encoded, NULL), alice_token, &r) == 0);
    CU_ASSERT(r.status == 403);
    it_resp_cleanup(&r);
}

static void
test_other_users_task_under_own_path_is_404_and_untouched(void)
{
    char url[256], id[40];
    struct it_resp r;
    static const char *const methods[] = {"GET", "PUT", "PATCH", "DELETE"};

    alice_task("alice only", id);
    for (size_t i = 0; i < 4; i++) {
        CU_ASSERT_FATAL(it_send(methods[i], tasks_url(url, sizeof url, bob_id, id), bob_token,
                                "{\"title\":\"stolen\"}", &r) == 0);
        CU_ASSERT(r.status == 404);
        assert_detail(&r, "Task not found");
        it_resp_cleanup(&r);
    }
    CU_ASSERT_FATAL(it_get(tasks_url(url, sizeof url, alice_id, id), alice_token, &r) == 0);
    CU_ASSERT(r.status == 200);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(r.json, "title")), "alice only");
    it_resp_cleanup(&r);
}

static void
test_task_id_that_is_not_a_uuid_is_404(void)
{
    char url[256];
    struct it_resp r;

    CU_ASSERT_FATAL(it_get(tasks_url(url, sizeof url, alice_id, "1%20OR%201=1"), alice_token, &r) ==
                    0);
    CU_ASSERT(r.status == 404);
    it_resp_cleanup(&r);
    CU_ASSERT_FATAL(it_send("DELETE", tasks_url(url, sizeof url, alice_id, "not-a-uuid"),
                            alice_token, NULL, &r) == 0);
    CU_ASSERT(r.status == 404);
    it_resp_cleanup(&r);
}

static void
test_task_invalid_fields_are_422_naming_the_field(void)
{
    static const char *const cases[][2] = {
        {"{}", "title: field required"},
        {"{\"title\":\"\"}", "title: must be 1 to 200 characters"},
        {"{\"title\":7}", "title: must be a string"},
        {"{\"title\":\"ok\",\"completed\":\"yes\"}", "completed: must be true or false"},
        {"{\"title\":\"ok\",\"description\":[]}", "description: must be a string or null"},
    };
    char url[256], long_title[420], body[512];
    struct it_resp r;

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CU_ASSERT_FATAL(it_send("POST", tasks_url(url, sizeof url, alice_id, NULL), alice_token,
                                cases[i][0], &r) == 0);
        CU_ASSERT(r.status == 422);
        assert_detail(&r, cases[i][1]);
        it_resp_cleanup(&r);
    }
    memset(long_title, 'x', 201);
    long_title[201] = '\0';
    snprintf(body, sizeof body, "{\"title\":\"%s\"}", long_title);
    CU_ASSERT_FATAL(it_send("POST", url, alice_token, body, &r) == 0);
    CU_ASSERT(r.status == 422);
    it_resp_cleanup(&r);
    /* 200 characters of two bytes each is fine. */
    long_title[0] = '\0';
    for (int i = 0; i < 200; i++)
        strcat(long_title, "\xc3\xa9");
    snprintf(body, sizeof body, "{\"title\":\"%s\"}", long_title);
    CU_ASSERT_FATAL(it_send("POST", url, alice_token, body, &r) == 0);
    CU_ASSERT(r.status == 201);
    it_resp_cleanup(&r);
}

/* ---- the token guard ---- */

static void
assert_401_at(const char *user, const char *token_header, const char *detail)
{
    char url[256], www[64];
    const char *hs[] = {token_header, NULL};
    struct it_req req = {.method = "GET",
                         .url = tasks_url(url, sizeof url, user, NULL),
                         .headers = token_header ? hs : NULL};
    struct it_resp r;

    CU_ASSERT_FATAL(it_http(&req, &r) == 0);
    CU_ASSERT(r.status == 401);
    assert_detail(&r, detail);
    CU_ASSERT(it_header(&r, "WWW-Authenticate", www, sizeof www) != NULL &&
              strcmp(www, "Bearer") == 0);
    it_resp_cleanup(&r);
}

static void
assert_401(const char *token_header, const char *detail)
{
    assert_401_at(alice_id, token_header, detail);
}

static char *
bearer(const char *token)
{
    size_t n = strlen(token) + 32;
    char *h = malloc(n);
    snprintf(h, n, "Authorization: Bearer %s", token);
    return h;
}

static void
test_missing_or_malformed_authorization_is_401_authentication_required(void)
{
    char basic[64];
    assert_401(NULL, "Authentication required");
    assert_401("Authorization: Basic dXNlcjpwYXNz", "Authentication required");
    assert_401("Authorization: Bearer", "Authentication required");
    snprintf(basic, sizeof basic, "Authorization: Token abc");
    assert_401(basic, "Authentication required");
}

static void
test_unknown_api_path_without_token_is_401(void)
{
    char url[256], www[64];
    struct it_resp r;

    snprintf(url, sizeof url, "%s/api/admin", srv.base);
    CU_ASSERT_FATAL(it_get(url, NULL, &r) == 0);
    CU_ASSERT(r.status == 401);
    CU_ASSERT(it_header(&r, "WWW-Authenticate", www, sizeof www) != NULL);
    it_resp_cleanup(&r);
    CU_ASSERT_FATAL(it_get(url, alice_token, &r) == 0);
    CU_ASSERT(r.status == 404);
    it_resp_cleanup(&r);
}

static void
test_expired_token_is_401_token_has_expired(void)
{
    char claims[256];
    char *tok, *h;
    long long now = (long long)time(NULL);

    snprintf(claims, sizeof claims,
             "{\"user_id\":\"%s\",\"email\":\"a@example.com\",\"iat\":%lld,"
             "\"exp\":%lld}",
             alice_id, now - 7200, now - 3600);
    tok = it_forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, IT_SECRET);
    h = bearer(tok);
    assert_401(h, "Token has expired");
    free(tok);
    free(h);
    /* Within the clock skew (60 s) it still counts. */
    snprintf(claims, sizeof claims, "{\"user_id\":\"%s\",\"iat\":%lld,\"exp\":%lld}", alice_id,
             now - 100, now - 30);
    tok = it_forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, IT_SECRET);
    {
        char url[256];
        struct it_resp r;
        CU_ASSERT_FATAL(it_get(tasks_url(url, sizeof url, alice_id, NULL), tok, &r) == 0);
        CU_ASSERT(r.status == 200);
        it_resp_cleanup(&r);
    }
    free(tok);
}

static void
test_forged_tokens_are_401_invalid_token(void)
{
    static const char *const headers[] = {
        "{\"alg\":\"none\",\"typ\":\"JWT\"}",
        "{\"alg\":\"None\",\"typ\":\"JWT\"}",
        "{\"alg\":\"NONE\"}",
        "{\"alg\":\"HS384\",\"typ\":\"JWT\"}",
        "{\"alg\":\"HS512\",\"typ\":\"JWT\"}",
        "{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
        "{\"typ\":\"JWT\"}",
        "{\"alg\":\"hs256\",\"typ\":\"JWT\"}",
    };
    char claims[256];
    char *tok, *h;
    long long now = (long long)time(NULL);

    snprintf(claims, sizeof claims, "{\"user_id\":\"%s\",\"iat\":%lld,\"exp\":%lld}", alice_id, now,
             now + 3600);
    for (size_t i = 0; i < sizeof headers / sizeof *headers; i++) {
        /* Unsigned, and signed with the right key under the wrong header. */
        tok = it_forge(headers[i], claims, NULL);
        h = bearer(tok);
        assert_401(h, "Invalid token");
        free(tok);
        free(h);
        tok = it_forge(headers[i], claims, IT_SECRET);
        h = bearer(tok);
        assert_401(h, "Invalid token");
        free(tok);
        free(h);
    }
    /* The right header signed with another key. */
    tok =
        it_forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, "another-secret-Zx81Kq0Lw9Tr5Vb3");
    h = bearer(tok);
    assert_401(h, "Invalid token");
    free(tok);
    free(h);
    assert_401("Authorization: Bearer not.a.token", "Invalid token");
    assert_401("Authorization: Bearer abc", "Invalid token");
}

static void
test_token_with_a_crit_header_is_401_invalid_token(void)
{
    /* RFC 7515 section 4.1.11: authref understands no extension, so a
     * validly signed token that lists any in crit is refused. */
    char claims[256], url[256];
    char *tok, *h;
    struct it_resp r;
    long long now = (long long)time(NULL);

    snprintf(claims, sizeof claims, "{\"user_id\":\"%s\",\"iat\":%lld,\"exp\":%lld}", alice_id, now,
             now + 3600);
    tok = it_forge("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"crit\":[\"exp\"]}", claims, IT_SECRET);
    h = bearer(tok);
    assert_401(h, "Invalid token");
    free(tok);
    free(h);
    /* The same token without crit is served. */
    tok = it_forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, IT_SECRET);
    CU_ASSERT_FATAL(it_get(tasks_url(url, sizeof url, alice_id, NULL), tok, &r) == 0);
    CU_ASSERT(r.status == 200);
    it_resp_cleanup(&r);
    free(tok);
}

static void
test_tokens_with_missing_or_odd_claims_are_401_invalid_token(void)
{
    long long now = (long long)time(NULL);
    char claims[6][256];
    char *tok, *h;

    snprintf(claims[0], 256, "{\"user_id\":\"%s\",\"iat\":%lld}", alice_id, now);
    snprintf(claims[1], 256, "{\"iat\":%lld,\"exp\":%lld}", now, now + 3600);
    snprintf(claims[2], 256, "{\"user_id\":\"%s\",\"exp\":\"%lld\"}", alice_id, now + 3600);
    snprintf(claims[3], 256, "{\"user_id\":\"%s\",\"iat\":%lld,\"exp\":%lld}", alice_id, now + 3600,
             now + 7200); /* issued in the future */
    snprintf(claims[4], 256, "{\"user_id\":\"00000000-0000-4000-8000-000000000000\",\"exp\":%lld}",
             now + 3600); /* no such user */
    snprintf(claims[5], 256, "{\"user_id\":\"not-a-uuid\",\"exp\":%lld}", now + 3600);
    for (int i = 0; i < 6; i++) {
        tok = it_forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims[i], IT_SECRET);
        h = bearer(tok);
        /* The unknown user asks for its own path: only the account check refuses. */
        assert_401_at(i == 4 ? "00000000-0000-4000-8000-000000000000" : alice_id, h,
                      "Invalid token");
        free(tok);
        free(h);
    }
}

/* Every kind of task request with the token of a gone account: 401 with
 * WWW-Authenticate, whether the route checks the account itself (reads) or
 * the router does (writes), and also for a task id that names no task. */
static void
assert_account_refused(const char *user, const char *tok, const char *task)
{
    char url[256], www[64];
    const char *methods[] = {"GET", "GET", "GET", "HEAD", "POST", "PATCH", "DELETE"};
    const char *tasks[] = {NULL, task, "not-a-uuid", NULL, NULL, task, task};
    struct it_resp r;

    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) {
        const char *body = strcmp(methods[i], "POST") == 0    ? "{\"title\":\"x\"}"
                           : strcmp(methods[i], "PATCH") == 0 ? "{\"completed\":true}"
                                                               : NULL;
        tasks_url(url, sizeof url, user, tasks[i]);
        CU_ASSERT_FATAL(it_send(methods[i], url, tok, body, &r) == 0);
        CU_ASSERT(r.status == 401);
        if (strcmp(methods[i], "HEAD") != 0)
            assert_detail(&r, "Invalid token");
        CU_ASSERT(it_header(&r, "WWW-Authenticate", www, sizeof www) != NULL);
        it_resp_cleanup(&r);
    }
}

static void
test_token_of_deleted_or_inactive_user_is_401(void)
{
    char email[96], id[40], url[256], sql[200], task[40];
    char *tok = NULL;
    struct it_resp r;
    PGconn *pg = PQconnectdb(db_url);
    PGresult *res;

    CU_ASSERT_FATAL(
        it_signup(srv.base, it_email(email, sizeof email, "gone"), "password123", &tok, id) == 201);
    CU_ASSERT_FATAL(it_send("POST", tasks_url(url, sizeof url, id, NULL), tok, "{\"title\":\"t\"}",
                            &r) == 0);
    CU_ASSERT_FATAL(r.status == 201);
    snprintf(task, sizeof task, "%s", json_string_value(json_object_get(r.json, "id")));
    it_resp_cleanup(&r);
    CU_ASSERT_FATAL(it_get(tasks_url(url, sizeof url, id, NULL), tok, &r) == 0);
    CU_ASSERT(r.status == 200);
    CU_ASSERT(json_array_size(r.json) == 1);
    it_resp_cleanup(&r);
    snprintf(sql, sizeof sql, "UPDATE users SET is_active = false WHERE id = '%s'", id);
    res = PQexec(pg, sql);
    CU_ASSERT(PQresultStatus(res) == PGRES_COMMAND_OK);
    PQclear(res);
    assert_account_refused(id, tok, task);
    snprintf(sql, sizeof sql, "DELETE FROM users WHERE id = '%s'", id);
    res = PQexec(pg, sql);
    CU_ASSERT(PQresultStatus(res) == PGRES_COMMAND_OK);
    PQclear(res);
    assert_account_refused(id, tok, task);
    PQfinish(pg);
    free(tok);
}

static void
test_token_in_cookie_is_accepted(void)
{
    char url[256], cookie[4200];
    const char *hs[] = {cookie, NULL};
    struct it_req req = {
        .method = "GET", .url = tasks_url(url, sizeof url, alice_id, NULL), .headers = hs};
    struct it_resp r;

    snprintf(cookie, sizeof cookie, "Cookie: theme=dark; access_token=%s", alice_token);
    CU_ASSERT_FATAL(it_http(&req, &r) == 0);
    CU_ASSERT(r.status == 200);
    it_resp_cleanup(&r);
    snprintf(cookie, sizeof cookie, "Cookie: access_token=%s", bob_token);
    CU_ASSERT_FATAL(it_http(&req, &r) == 0);
    CU_ASSERT(r.status == 403);
    it_resp_cleanup(&r);
}

static void
test_issued_token_is_hs256_with_seven_day_expiry(void)
{
    struct rs_token_key key = {(const unsigned char *)IT_SECRET, strlen(IT_SECRET)};
    struct rs_token_claims c;

    CU_ASSERT_FATAL(rs_token_verify(&key, alice_token, time(NULL), 0, &c) == 0);
    CU_ASSERT_STRING_EQUAL(c.user_id, alice_id);
    CU_ASSERT(c.exp - c.iat == 7 * 86400);
    CU_ASSERT(c.iat <= (long long)time(NULL) && c.iat >= (long long)time(NULL) - 600);
    CU_ASSERT(strncmp(alice_token, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 37) == 0);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_task_lifecycle_create_read_replace_patch_delete),
        TU_TEST(test_task_list_holds_only_own_tasks),
        TU_TEST(test_other_users_id_in_path_is_403_on_every_method),
        TU_TEST(test_own_id_in_other_case_or_encoding_is_403),
        TU_TEST(test_other_users_task_under_own_path_is_404_and_untouched),
        TU_TEST(test_task_id_that_is_not_a_uuid_is_404),
        TU_TEST(test_task_invalid_fields_are_422_naming_the_field),
        TU_TEST(test_missing_or_malformed_authorization_is_401_authentication_required),
        TU_TEST(test_unknown_api_path_without_token_is_401),
        TU_TEST(test_expired_token_is_401_token_has_expired),
        TU_TEST(test_forged_tokens_are_401_invalid_token),
        TU_TEST(test_token_with_a_crit_header_is_401_invalid_token),
        TU_TEST(test_tokens_with_missing_or_odd_claims_are_401_invalid_token),
        TU_TEST(test_token_of_deleted_or_inactive_user_is_401),
        TU_TEST(test_token_in_cookie_is_accepted),
        TU_TEST(test_issued_token_is_hs256_with_seven_day_expiry),
        {NULL, NULL},
    };
    char email[96];
    int rc;

    if (tu_testdb_create("api_tasks", &db_url) != 0)
        return 2;
    if (it_server_start(&srv, db_url, NULL) != 0)
        return 2;
    if (it_signup(srv.base, it_email(email, sizeof email, "alice"), "password123", &alice_token,
                  alice_id) != 201 ||
        it_signup(srv.base, it_email(email, sizeof email, "bob"), "password123", &bob_token,
                  bob_id) != 201) {
        fprintf(stderr, "test: cannot sign up the test users\n");
        return 2;
    }
    rc = tu_run_suite("api_tasks", tests);
    free(alice_token);
    free(bob_token);
    it_server_stop(&srv);
    tu_testdb_drop(db_url);
    free(db_url);
    return rc;
}
