/* Every 401 authref sends carries WWW-Authenticate (RFC 9110 section
 * 15.5.2): each route of the route table with each of its methods under
 * every kind of refused token, unknown /api/ paths, and failed signins. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "fixture.h"
#include "rs/router.h"
#include "testdb.h"
#include "unit.h"

/* The server and the users of this test program (set up in main). */
static struct it_server srv;
static char *db_url;
static char *alice_token, *gone_token;
static char alice_id[40], gone_id[40];
static char alice_email[96];

/* How many 401s the tests have checked (none may pass vacuously). */
static int n_checked;

#define NO_SUCH_TASK "5f0c6a1e-8a2b-4c3d-9e4f-0a1b2c3d4e5f"

/* The 401 in r carries exactly one WWW-Authenticate, naming Bearer. */
static void
assert_challenged(const struct it_resp *r, const char *method, const char *what)
{
    char www[128];

    if (r->status != 401 || it_header(r, "WWW-Authenticate", www, sizeof www) == NULL ||
        strcmp(www, "Bearer") != 0 || it_header_count(r, "WWW-Authenticate") != 1)
        fprintf(stderr, "\n    %s %s: status %ld, WWW-Authenticate %s\n", method, what, r->status,
                it_header(r, "WWW-Authenticate", www, sizeof www) ? www : "(none)");
    CU_ASSERT(r->status == 401);
    CU_ASSERT(it_header(r, "WWW-Authenticate", www, sizeof www) != NULL &&
              strcmp(www, "Bearer") == 0);
    CU_ASSERT(it_header_count(r, "WWW-Authenticate") == 1);
    n_checked++;
}

/* pattern with {user_id} and {task_id} filled in, as a URL. */
static const char *
route_url(char *buf, size_t n, const char *pattern, const char *user)
{
    size_t used = (size_t)snprintf(buf, n, "%s", srv.base);

    for (const char *p = pattern; *p != '\0' && used + 1 < n;) {
        const char *fill = NULL;
        size_t skip = 1;
        if (strncmp(p, "{user_id}", 9) == 0) {
            fill = user;
            skip = 9;
        } else if (strncmp(p, "{task_id}", 9) == 0) {
            fill = NO_SUCH_TASK;
            skip = 9;
        }
        if (fill != NULL)
            used += (size_t)snprintf(buf + used, n - used, "%s", fill);
        else
            buf[used++] = *p;
        buf[used] = '\0';
        p += skip;
    }
    return buf;
}

static const char *
body_for(const char *method)
{
    if (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0)
        return "{\"title\":\"x\"}";
    if (strcmp(method, "PATCH") == 0)
        return "{\"completed\":true}";
    return NULL;
}

/* Sends method to url with token (NULL: none) and checks the 401. */
static void
send_expect_401(const char *method, const char *url, const char *token, const char *what)
{
    struct it_resp r;

    CU_ASSERT_FATAL(it_send(method, url, token, body_for(method), &r) == 0);
    assert_challenged(&r, method, what);
    it_resp_cleanup(&r);
}

static void
test_every_protected_route_and_method_challenges_a_refused_token(void)
{
    size_t n_routes;
    const struct rs_route *routes = rs_router_routes(&n_routes);
    char expired[512], claims[256], url[512];
    long long now = (long long)time(NULL);
    char *tok;
    int before = n_checked, protected_methods = 0;

    snprintf(claims, sizeof claims, "{\"user_id\":\"%s\",\"iat\":%lld,\"exp\":%lld}", alice_id,
             now - 7200, now - 3600);
    tok = it_forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, IT_SECRET);
    snprintf(expired, sizeof expired, "%s", tok);
    free(tok);
    for (size_t i = 0; i < n_routes; i++) {
        if (strncmp(routes[i].pattern, "/api/", 5) != 0 ||
            strncmp(routes[i].pattern, "/api/auth/", 10) == 0)
            continue; /* public: never 401 */
        for (const struct rs_route_method *m = routes[i].methods; m->method != NULL; m++) {
            const char *methods[] = {m->method, strcmp(m->method, "GET") == 0 ? "HEAD" : NULL};
            for (size_t k = 0; k < 2 && methods[k] != NULL; k++) {
                protected_methods++;
                route_url(url, sizeof url, routes[i].pattern, alice_id);
                send_expect_401(methods[k], url, NULL, "no token");
                send_expect_401(methods[k], url, "not.a.token", "garbage token");
                send_expect_401(methods[k], url, expired, "expired token");
                /* The account check: a valid token of an account that is gone. */
                route_url(url, sizeof url, routes[i].pattern, gone_id);
                send_expect_401(methods[k], url, gone_token, "token of a deleted account");
            }
        }
    }
    /* GET + HEAD, POST on the list; GET + HEAD, PUT, PATCH, DELETE on a task. */
    CU_ASSERT(protected_methods == 8);
    CU_ASSERT(n_checked - before == 4 * protected_methods);
}

static void
test_unknown_api_paths_challenge_without_a_token(void)
{
    static const char *const paths[] = {"/api/admin", "/api/users", "/api/users/x/y/z/w"};
    static const char *const methods[] = {"GET", "POST", "DELETE"};
    char url[256];

    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        snprintf(url, sizeof url, "%s%s", srv.base, paths[i]);
        for (size_t k = 0; k < sizeof methods / sizeof *methods; k++)
            send_expect_401(methods[k], url, NULL, paths[i]);
    }
}

static void
test_failed_signins_challenge(void)
{
    char url[256], body[256], email[96];
    struct it_resp r;
    PGconn *pg;
    PGresult *res;
    char sql[256];

    snprintf(url, sizeof url, "%s/api/auth/signin", srv.base);
    /* Wrong password. */
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"not-her-password\"}",
             alice_email);
    CU_ASSERT_FATAL(it_send("POST", url, NULL, body, &r) == 0);
    assert_challenged(&r, "POST", "signin with a wrong password");
    it_resp_cleanup(&r);
    /* Unknown email. */
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"password123\"}",
             it_email(email, sizeof email, "nobody"));
    CU_ASSERT_FATAL(it_send("POST", url, NULL, body, &r) == 0);
    assert_challenged(&r, "POST", "signin with an unknown email");
    it_resp_cleanup(&r);
    /* The right password of an inactive account. */
    CU_ASSERT_FATAL(it_signup(srv.base, it_email(email, sizeof email, "inactive"), "password123",
                              NULL, NULL) == 201);
    pg = PQconnectdb(db_url);
    snprintf(sql, sizeof sql, "UPDATE users SET is_active = false WHERE email = '%s'", email);
    res = PQexec(pg, sql);
    CU_ASSERT_FATAL(PQresultStatus(res) == PGRES_COMMAND_OK);
    PQclear(res);
    PQfinish(pg);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"password123\"}", email);
    CU_ASSERT_FATAL(it_send("POST", url, NULL, body, &r) == 0);
    assert_challenged(&r, "POST", "signin to an inactive account");
    CU_ASSERT(strcmp(it_detail(&r) ? it_detail(&r) : "", "Account is inactive") == 0);
    it_resp_cleanup(&r);
}

static void
test_successful_answers_carry_no_challenge(void)
{
    char url[256], www[64];
    struct it_resp r;

    /* The check above is of 401s, not of every response. */
    snprintf(url, sizeof url, "%s/api/users/%s/tasks", srv.base, alice_id);
    CU_ASSERT_FATAL(it_get(url, alice_token, &r) == 0);
    CU_ASSERT(r.status == 200);
    CU_ASSERT(it_header(&r, "WWW-Authenticate", www, sizeof www) == NULL);
    it_resp_cleanup(&r);
    CU_ASSERT(n_checked >= 4 * 8 + 9 + 3);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_every_protected_route_and_method_challenges_a_refused_token),
        TU_TEST(test_unknown_api_paths_challenge_without_a_token),
        TU_TEST(test_failed_signins_challenge),
        TU_TEST(test_successful_answers_carry_no_challenge),
        {NULL, NULL},
    };
    char email[96], sql[160];
    PGconn *pg;
    PGresult *res;
    int rc;

    if (tu_testdb_create("unauthorized", &db_url) != 0)
        return 2;
    if (it_server_start(&srv, db_url, NULL) != 0)
        return 2;
    if (it_signup(srv.base, it_email(alice_email, sizeof alice_email, "alice"), "password123",
                  &alice_token, alice_id) != 201 ||
        it_signup(srv.base, it_email(email, sizeof email, "gone"), "password123", &gone_token,
                  gone_id) != 201) {
        fprintf(stderr, "test: cannot sign up the test users\n");
        return 2;
    }
    pg = PQconnectdb(db_url);
    snprintf(sql, sizeof sql, "DELETE FROM users WHERE id = '%s'", gone_id);
    res = PQexec(pg, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        fprintf(stderr, "test: cannot delete a user: %s\n", PQerrorMessage(pg));
        return 2;
    }
    PQclear(res);
    PQfinish(pg);
    rc = tu_run_suite("unauthorized", tests);
    free(alice_token);
    free(gone_token);
    it_server_stop(&srv);
    tu_testdb_drop(db_url);
    free(db_url);
    return rc;
}
