/* Planted defects (builds with -DAUTHREF_DEFECTS=ON): each one breaks the
 * behaviour it names. In the default build: the program has no --defect. */
#include <jwt.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "cmn/b64url.h"
#include "fixture.h"
#include "rs/defect.h"
#include "rs/token.h"
#include "testdb.h"
#include "unit.h"

#ifndef AUTHREF_DEFECTS

static void
test_default_build_has_no_defect_flag(void)
{
    const char *argv[] = {"--defect", "list", NULL};
    char *err = NULL;

    CU_ASSERT(it_run_authref(argv, NULL, 20, &err) == 2);
    CU_ASSERT(strstr(err, "unknown option --defect") != NULL);
    free(err);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_default_build_has_no_defect_flag),
        {NULL, NULL},
    };
    return tu_run_suite("defects", tests);
}

#else

/* The database and the running server of this program. */
static char *db_url;
static struct it_server srv;
static char alice_id[40], bob_id[40];
static char *alice_token, *bob_token;

/* Starts the server with defect `name` (and extra flags) and two users. */
static void
start(const char *name, const char *const *extra)
{
    char email[96];

    CU_ASSERT_FATAL(rs_defect_select(name) == 0);
    CU_ASSERT_FATAL(it_server_start(&srv, db_url, extra) == 0);
    CU_ASSERT_FATAL(it_signup(srv.base, it_email(email, sizeof email, "alice"), "password123",
                              &alice_token, alice_id) == 201 ||
                    strcmp(name, "signup-returns-200") == 0);
    CU_ASSERT_FATAL(it_signup(srv.base, it_email(email, sizeof email, "bob"), "password123",
                              &bob_token, bob_id) /
                        100 ==
                    2);
}

static void
stop(void)
{
    it_server_stop(&srv);
    rs_defect_select(NULL);
    free(alice_token);
    free(bob_token);
    alice_token = bob_token = NULL;
}

static long
get(const char *path, const char *token, struct it_resp *r)
{
    char url[400];
    snprintf(url, sizeof url, "%s%s", srv.base, path);
    CU_ASSERT_FATAL(it_get(url, token, r) == 0);
    return r->status;
}

static long
get_status(const char *path, const char *token)
{
    struct it_resp r;
    long st = get(path, token, &r);
    it_resp_cleanup(&r);
    return st;
}

static void
tasks_path(char *buf, size_t n, const char *user)
{
    snprintf(buf, n, "/api/users/%s/tasks", user);
}

static void
test_isolation_read_bypass_serves_other_users_tasks(void)
{
    char path[200];
    start("isolation-read-bypass", NULL);
    tasks_path(path, sizeof path, bob_id);
    CU_ASSERT(get_status(path, alice_token) == 200);
    stop();
}

static void
test_isolation_write_bypass_writes_other_users_tasks(void)
{
    char path[200], url[400];
    struct it_resp r;

    start("isolation-write-bypass", NULL);
    tasks_path(path, sizeof path, bob_id);
    snprintf(url, sizeof url, "%s%s", srv.base, path);
    CU_ASSERT_FATAL(it_send("POST", url, alice_token, "{\"title\":\"planted\"}", &r) == 0);
    CU_ASSERT(r.status == 201);
    it_resp_cleanup(&r);
    CU_ASSERT(get_status(path, alice_token) == 403); /* reads still guarded */
    stop();
}

static void
test_isolation_case_bypass_serves_other_user_in_upper_case(void)
{
    char path[200], upper[40], encoded[64];

    start("isolation-case-bypass", NULL);
    snprintf(upper, sizeof upper, "%s", bob_id);
    for (char *p = upper; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 32);
    tasks_path(path, sizeof path, upper);
    CU_ASSERT(get_status(path, alice_token) == 200);
    snprintf(encoded, sizeof encoded, "%%%02x%s", (unsigned char)bob_id[0], bob_id + 1);
    tasks_path(path, sizeof path, encoded);
    CU_ASSERT(get_status(path, alice_token) == 200);
    tasks_path(path, sizeof path, bob_id);
    CU_ASSERT(get_status(path, alice_token) == 403); /* the canonical form is still checked */
    stop();
}

static char *
claims_token(const char *header, long long exp_offset, const char *secret)
{
    char claims[200];
    long long now = (long long)time(NULL);
    snprintf(claims, sizeof claims, "{\"user_id\":\"%s\",\"iat\":%lld,\"exp\":%lld}", alice_id,
             now - 10, now + exp_offset);
    return it_forge(header, claims, secret);
}

static void
test_alg_none_accepted_takes_unsigned_tokens(void)
{
    char path[200];
    char *tok;

    start("alg-none-accepted", NULL);
    tasks_path(path, sizeof path, alice_id);
    tok = claims_token("{\"alg\":\"none\",\"typ\":\"JWT\"}", 3600, NULL);
    CU_ASSERT(get_status(path, tok) == 200);
    free(tok);
    stop();
}

static void
test_any_hmac_alg_accepted_takes_hs512(void)
{
    char path[200];
    jwt_t *jwt = NULL;
    char *tok;

    start("any-hmac-alg-accepted", NULL);
    tasks_path(path, sizeof path, alice_id);
    jwt_new(&jwt);
    jwt_add_grant(jwt, "user_id", alice_id);
    jwt_add_grant_int(jwt, "exp", (long)time(NULL) + 3600);
    jwt_set_alg(jwt, JWT_ALG_HS512, (const unsigned char *)IT_SECRET, (int)strlen(IT_SECRET));
    tok = jwt_encode_str(jwt);
    jwt_free(jwt);
    CU_ASSERT(get_status(path, tok) == 200);
    free(tok);
    stop();
}

static void
test_signature_not_checked_takes_any_signature(void)
{
    char path[200];
    char *tok;

    start("signature-not-checked", NULL);
    tasks_path(path, sizeof path, alice_id);
    tok = claims_token("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", 3600,
                       "not-the-secret-at-all-0123456789");
    CU_ASSERT(get_status(path, tok) == 200);
    free(tok);
    stop();
}

static void
test_exp_not_checked_takes_expired_tokens(void)
{
    char path[200];
    char *tok;

    start("exp-not-checked", NULL);
    tasks_path(path, sizeof path, alice_id);
    tok = claims_token("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", -86400, IT_SECRET);
    CU_ASSERT(get_status(path, tok) == 200);
    free(tok);
    stop();
}

static void
test_lifetime_30_days_issues_long_tokens(void)
{
    struct rs_token_key key = {(const unsigned char *)IT_SECRET, strlen(IT_SECRET)};
    struct rs_token_claims c;

    start("lifetime-30-days", NULL);
    CU_ASSERT_FATAL(rs_token_verify(&key, alice_token, time(NULL), 0, &c) == 0);
    CU_ASSERT(c.exp - c.iat == 30 * 86400);
    stop();
}

static void
test_weak_secret_signs_with_a_word_list_secret(void)
{
    struct rs_token_key weak = {(const unsigned char *)"your-256-bit-secret", 19};
    struct rs_token_claims c;

    start("weak-secret", NULL);
    CU_ASSERT(rs_token_verify(&weak, alice_token, time(NULL), 0, &c) == 0);
    stop();
}

/* The stored hash of alice. */
static void
stored_hash(char *out, size_t n)
{
    PGconn *pg = PQconnectdb(db_url);
    char sql[200];
    PGresult *res;

    snprintf(sql, sizeof sql, "SELECT hashed_password FROM users WHERE id = '%s'", alice_id);
    res = PQexec(pg, sql);
    snprintf(out, n, "%s", PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    PQfinish(pg);
}

static void
test_plaintext_passwords_stores_them_as_they_are(void)
{
    char h[128];
    start("plaintext-passwords", NULL);
    stored_hash(h, sizeof h);
    CU_ASSERT_STRING_EQUAL(h, "password123");
    stop();
}

static void
test_bcrypt_cost_10_hashes_at_cost_10(void)
{
    char h[128];
    start("bcrypt-cost-10", NULL);
    stored_hash(h, sizeof h);
    CU_ASSERT(strncmp(h, "$2b$10$", 7) == 0);
    stop();
}

static long
signin(const char *email, const char *password, struct it_resp *r)
{
    char url[200], body[256];
    snprintf(url, sizeof url, "%s/api/auth/signin", srv.base);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    CU_ASSERT_FATAL(it_send("POST", url, NULL, body, r) == 0);
    return r->status;
}

static void
test_user_enumeration_answers_unknown_email_differently(void)
{
    struct it_resp a, b;
    char email[96];

    start("user-enumeration", NULL);
    CU_ASSERT(it_signup(srv.base, it_email(email, sizeof email, "enum"), "password123", NULL,
                        NULL) == 201);
    signin(email, "wrong-password", &a);
    signin("nobody-at-all@example.com", "wrong-password", &b);
    CU_ASSERT(strcmp(a.body, b.body) != 0);
    it_resp_cleanup(&a);
    it_resp_cleanup(&b);
    stop();
}

static int
cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static void
test_slow_unknown_email_answers_unknown_emails_at_once(void)
{
    const char *extra[] = {"--insecure-bcrypt-cost", "12", NULL};
    double known[3], unknown[3];
    char email[96];
    struct it_resp r;

    start("slow-unknown-email", extra);
    CU_ASSERT(it_signup(srv.base, it_email(email, sizeof email, "slow"), "password123", NULL,
                        NULL) == 201);
    for (int i = 0; i < 3; i++) {
        signin(email, "wrong-password", &r);
        known[i] = r.seconds;
        it_resp_cleanup(&r);
        signin("nobody-at-all@example.com", "wrong-password", &r);
        unknown[i] = r.seconds;
        it_resp_cleanup(&r);
    }
    qsort(known, 3, sizeof *known, cmp_double);
    qsort(unknown, 3, sizeof *unknown, cmp_double);
    CU_ASSERT(known[1] > 4 * unknown[1]);
    stop();
}

static void
test_leaky_errors_show_sql_in_a_500(void)
{
    char path[300];
    struct it_resp r;

    start("leaky-errors", NULL);
    snprintf(path, sizeof path, "/api/users/%s/tasks/not-a-uuid", alice_id);
    CU_ASSERT(get(path, alice_token, &r) == 500);
    CU_ASSERT(r.body != NULL && strstr(r.body, "uuid") != NULL && strstr(r.body, "SELECT") != NULL);
    it_resp_cleanup(&r);
    stop();
}

static void
test_leaky_errors_show_internals_in_a_422(void)
{
    char url[200];
    struct it_resp r;

    start("leaky-errors", NULL);
    snprintf(url, sizeof url, "%s/api/auth/signup", srv.base);
    CU_ASSERT_FATAL(it_send("POST", url, NULL, "{\"email\": ", &r) == 0);
    CU_ASSERT(r.status == 422);
    CU_ASSERT(r.body != NULL && strstr(r.body, "INSERT INTO") != NULL);
    it_resp_cleanup(&r);
    stop();
}

static void
test_version_banner_names_the_versions(void)
{
    struct it_resp r;
    char h[128];

    start("version-banner", NULL);
    get("/health", NULL, &r);
    CU_ASSERT(it_header(&r, "Server", h, sizeof h) != NULL && strncmp(h, "authref/", 8) == 0);
    it_resp_cleanup(&r);
    stop();
}

static long
with_origin(const char *origin, struct it_resp *r)
{
    char url[200], hdr[200];
    const char *hs[] = {hdr, NULL};
    struct it_req q = {.method = "GET", .url = url, .headers = hs};

    snprintf(url, sizeof url, "%s/health", srv.base);
    snprintf(hdr, sizeof hdr, "Origin: %s", origin);
    CU_ASSERT_FATAL(it_http(&q, r) == 0);
    return r->status;
}

static void
test_cors_defects_answer_foreign_origins(void)
{
    struct it_resp r;
    char h[128];

    start("cors-reflect-any-origin", NULL);
    with_origin("http://evil.example", &r);
    CU_ASSERT(it_header(&r, "Access-Control-Allow-Origin", h, sizeof h) != NULL &&
              strcmp(h, "http://evil.example") == 0);
    it_resp_cleanup(&r);
    stop();
    start("cors-wildcard-credentials", NULL);
    with_origin("http://evil.example", &r);
    CU_ASSERT(it_header(&r, "Access-Control-Allow-Origin", h, sizeof h) != NULL &&
              strcmp(h, "*") == 0);
    CU_ASSERT(it_header(&r, "Access-Control-Allow-Credentials", h, sizeof h) != NULL);
    it_resp_cleanup(&r);
    stop();
}

static void
test_no_rate_limit_never_answers_429(void)
{
    const char *extra[] = {"--rate-limit-ip", "3/60s", "--rate-limit-account", "3/60s", NULL};
    struct it_resp r;
    int limited = 0;

    start("no-rate-limit", extra);
    for (int i = 0; i < 8; i++) {
        limited += signin("target@example.com", "wrong-password", &r) == 429;
        it_resp_cleanup(&r);
    }
    CU_ASSERT(limited == 0);
    stop();
}

static void
test_cookie_and_header_defects(void)
{
    struct it_resp r;
    char h[4400], email[96];

    start("cookie-not-httponly", NULL);
    CU_ASSERT(it_signup(srv.base, it_email(email, sizeof email, "c"), "password123", NULL, NULL) ==
              201);
    signin(email, "password123", &r);
    CU_ASSERT(it_header(&r, "Set-Cookie", h, sizeof h) != NULL && strstr(h, "HttpOnly") == NULL);
    it_resp_cleanup(&r);
    stop();

    start("token-in-body-only", NULL);
    CU_ASSERT(it_signup(srv.base, it_email(email, sizeof email, "c"), "password123", NULL, NULL) ==
              201);
    signin(email, "password123", &r);
    CU_ASSERT(r.status == 200 && it_header(&r, "Set-Cookie", h, sizeof h) == NULL);
    it_resp_cleanup(&r);
    stop();

    start("no-csp", NULL);
    get("/health", NULL, &r);
    CU_ASSERT(it_header(&r, "Content-Security-Policy", h, sizeof h) == NULL);
    it_resp_cleanup(&r);
    stop();

    start("missing-www-authenticate", NULL);
    CU_ASSERT(get("/api/users/x/tasks", NULL, &r) == 401);
    CU_ASSERT(it_header(&r, "WWW-Authenticate", h, sizeof h) == NULL);
    it_resp_cleanup(&r);
    stop();
}

static void
test_status_defects(void)
{
    struct it_resp r;
    char email[96], url[200], body[200];

    start("signup-returns-200", NULL);
    snprintf(url, sizeof url, "%s/api/auth/signup", srv.base);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"password123\"}",
             it_email(email, sizeof email, "s200"));
    CU_ASSERT_FATAL(it_send("POST", url, NULL, body, &r) == 0);
    CU_ASSERT(r.status == 200);
    it_resp_cleanup(&r);
    stop();

    start("signin-wrong-status", NULL);
    CU_ASSERT(signin("nobody@example.com", "wrong-password", &r) == 400);
    it_resp_cleanup(&r);
    stop();
}

struct race {
    const char *email;
    long status;
};

static void *
race_one(void *p)
{
    struct race *a = p;
    a->status = it_signup(srv.base, a->email, "password123", NULL, NULL);
    return NULL;
}

static void
test_duplicate_signup_defects_make_several_accounts(void)
{
    enum { N = 8 };
    const char *extra[] = {"--insecure-bcrypt-cost", "10", NULL};
    char *own = NULL, *shared = db_url, email[96];
    pthread_t th[N];
    struct race a[N];
    int created = 0;

    /* These defects drop the unique index: a database of their own. */
    CU_ASSERT_FATAL(tu_testdb_create("defects_dup", &own) == 0);
    db_url = own;
    start("duplicate-signup-race", extra);
    it_email(email, sizeof email, "race");
    for (int i = 0; i < N; i++) {
        a[i].email = email;
        pthread_create(&th[i], NULL, race_one, &a[i]);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        created += a[i].status == 201;
    }
    CU_ASSERT(created > 1);
    /* One after the other, the check still refuses. */
    it_email(email, sizeof email, "seq");
    CU_ASSERT(it_signup(srv.base, email, "password123", NULL, NULL) == 201);
    CU_ASSERT(it_signup(srv.base, email, "password123", NULL, NULL) == 400);
    stop();

    start("duplicate-signup-allowed", NULL);
    it_email(email, sizeof email, "dup");
    CU_ASSERT(it_signup(srv.base, email, "password123", NULL, NULL) == 201);
    CU_ASSERT(it_signup(srv.base, email, "password123", NULL, NULL) == 201);
    stop();
    db_url = shared;
    tu_testdb_drop(own);
    free(own);
}

static void
test_tls_defects(void)
{
    char dir[] = "/tmp/authref-defect-tls-XXXXXX";
    char cert[128], key[128], cacert[128], url[200], h[128], cmd[200];
    struct it_resp r;

    CU_ASSERT_FATAL(mkdtemp(dir) != NULL && it_make_certificates(dir) == 0);
    snprintf(cert, sizeof cert, "%s/server.crt", dir);
    snprintf(key, sizeof key, "%s/server.key", dir);
    snprintf(cacert, sizeof cacert, "%s/ca.crt", dir);
    {
        const char *extra[] = {"--tls-cert", cert, "--tls-key", key, NULL};
        struct it_req q = {.method = "GET", .url = url, .cacert = cacert};

        CU_ASSERT_FATAL(rs_defect_select("no-hsts") == 0);
        CU_ASSERT_FATAL(it_server_start(&srv, db_url, extra) == 0);
        snprintf(url, sizeof url, "%s/health", srv.base);
        CU_ASSERT(it_http(&q, &r) == 0 && r.status == 200);
        CU_ASSERT(it_header(&r, "Strict-Transport-Security", h, sizeof h) == NULL);
        it_resp_cleanup(&r);
        it_server_stop(&srv);

        CU_ASSERT_FATAL(rs_defect_select("tls12-allowed") == 0);
        CU_ASSERT_FATAL(it_server_start(&srv, db_url, extra) == 0);
        snprintf(url, sizeof url, "%s/health", srv.base);
        q.tls12_only = true;
        CU_ASSERT(it_http(&q, &r) == 0 && r.status == 200);
        CU_ASSERT_STRING_EQUAL(r.tls_version, "TLSv1.2");
        it_resp_cleanup(&r);
        it_server_stop(&srv);
        rs_defect_select(NULL);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CU_ASSERT(system(cmd) == 0);
}

static void
test_secret_file_exposed_serves_dot_env(void)
{
    struct it_resp r;

    start("secret-file-exposed", NULL);
    CU_ASSERT(get("/.env", NULL, &r) == 200);
    CU_ASSERT(r.body != NULL && strstr(r.body, IT_SECRET) != NULL);
    it_resp_cleanup(&r);
    stop();
}

static void
test_every_listed_defect_is_tested_here(void)
{
    /* The tests above cover this many defects; a new one needs a test. */
    char *out = NULL;
    const char *argv[] = {"--defect", "list", NULL};
    int lines = 0;

    CU_ASSERT(it_run_authref(argv, NULL, 20, &out) == 0);
    for (char *p = out; *p; p++)
        lines += *p == '\n';
    CU_ASSERT(lines == 29);
    free(out);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_isolation_read_bypass_serves_other_users_tasks),
        TU_TEST(test_isolation_write_bypass_writes_other_users_tasks),
        TU_TEST(test_isolation_case_bypass_serves_other_user_in_upper_case),
        TU_TEST(test_alg_none_accepted_takes_unsigned_tokens),
        TU_TEST(test_any_hmac_alg_accepted_takes_hs512),
        TU_TEST(test_signature_not_checked_takes_any_signature),
        TU_TEST(test_exp_not_checked_takes_expired_tokens),
        TU_TEST(test_lifetime_30_days_issues_long_tokens),
        TU_TEST(test_weak_secret_signs_with_a_word_list_secret),
        TU_TEST(test_plaintext_passwords_stores_them_as_they_are),
        TU_TEST(test_bcrypt_cost_10_hashes_at_cost_10),
        TU_TEST(test_user_enumeration_answers_unknown_email_differently),
        TU_TEST(test_slow_unknown_email_answers_unknown_emails_at_once),
        TU_TEST(test_leaky_errors_show_sql_in_a_500),
        TU_TEST(test_leaky_errors_show_internals_in_a_422),
        TU_TEST(test_version_banner_names_the_versions),
        TU_TEST(test_cors_defects_answer_foreign_origins),
        TU_TEST(test_no_rate_limit_never_answers_429),
        TU_TEST(test_cookie_and_header_defects),
        TU_TEST(test_status_defects),
        TU_TEST(test_duplicate_signup_defects_make_several_accounts),
        TU_TEST(test_tls_defects),
        TU_TEST(test_secret_file_exposed_serves_dot_env),
        TU_TEST(test_every_listed_defect_is_tested_here),
        {NULL, NULL},
    };
    int rc;

    if (tu_testdb_create("defects", &db_url) != 0)
        return 2;
    rc = tu_run_suite("defects", tests);
    tu_testdb_drop(db_url);
    free(db_url);
    return rc;
}

#endif
