/* The authref program itself: configuration refusals, --help, --port-file,
 * signals, logs, and two servers migrating one database at once. */
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "fixture.h"
#include "testdb.h"
#include "unit.h"

/* The database of this test program (set up in main). */
static char *db_url;
static char db_env[600];

static int
run(const char *const *argv, const char *const *env, char **err)
{
    return it_run_authref(argv, env, 20, err);
}

static void
test_missing_secret_refuses_to_start_naming_the_variable(void)
{
    const char *argv[] = {NULL};
    const char *env[] = {db_env, NULL};
    char *err = NULL;

    CU_ASSERT(run(argv, env, &err) == 2);
    CU_ASSERT(strstr(err, "BETTER_AUTH_SECRET") != NULL);
    CU_ASSERT(strstr(err, "openssl rand -base64 48") != NULL);
    free(err);
}

static void
test_short_or_placeholder_secret_refuses_to_start(void)
{
    static const char *const secrets[] = {
        "BETTER_AUTH_SECRET=short-secret",
        "BETTER_AUTH_SECRET=your-secret-key-min-32-chars-change-in-production",
        "BETTER_AUTH_SECRET=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "BETTER_AUTH_SECRET=changeme-changeme-changeme-changeme-changeme",
    };
    const char *argv[] = {NULL};
    char *err = NULL;

    for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++) {
        const char *env[] = {secrets[i], db_env, NULL};
        CU_ASSERT(run(argv, env, &err) == 2);
        CU_ASSERT(strstr(err, "BETTER_AUTH_SECRET") != NULL);
        CU_ASSERT(strstr(err, "openssl rand -base64 48") != NULL);
        /* The refused value itself is never echoed. */
        CU_ASSERT(strstr(err, secrets[i] + 19) == NULL);
        free(err);
    }
}

static void
test_weak_secret_file_is_refused_naming_the_flag(void)
{
    char path[] = "/tmp/authref-secret-XXXXXX";
    int fd = mkstemp(path);
    const char *argv[] = {"--secret-file", path, NULL};
    const char *env[] = {db_env, NULL};
    char *err = NULL;

    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT(write(fd, "too-short\n", 10) == 10);
    close(fd);
    CU_ASSERT(run(argv, env, &err) == 2);
    CU_ASSERT(strstr(err, "--secret-file") != NULL);
    free(err);
    unlink(path);
}

static void
test_bad_flags_are_usage_errors_naming_the_flag(void)
{
    static const char *const cases[][3] = {
        {"--port", "http", "--port"},
        {"--bcrypt-cost", "4", "--bcrypt-cost"},
        {"--insecure-bcrypt-cost", "3", "--insecure-bcrypt-cost"},
        {"--rate-limit-ip", "lots", "--rate-limit-ip"},
        {"--token-lifetime", "forever", "--token-lifetime"},
        {"--log-level", "loud", "--log-level"},
        {"--no-rate-limit", NULL, "--no-rate-limit"},
        {"--cors-origins", "*", "--cors-origins"},
        {"--http-redirect-port", "8080", "--http-redirect-port"},
        {"--listen", "localhost", "--listen"},
    };
    const char *env[] = {"BETTER_AUTH_SECRET=" IT_SECRET, db_env, NULL};
    char *err = NULL;

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *argv[] = {cases[i][0], cases[i][1], NULL};
        int rc = run(argv, env, &err);
        if (rc != 2 || strstr(err, cases[i][2]) == NULL)
            fprintf(stderr, "\n    %s %s: exit %d: %s\n", cases[i][0],
                    cases[i][1] ? cases[i][1] : "", rc, err);
        CU_ASSERT(rc == 2);
        CU_ASSERT(strstr(err, cases[i][2]) != NULL);
        free(err);
    }
}

static void
test_missing_database_url_is_a_configuration_error(void)
{
    const char *argv[] = {NULL};
    const char *env[] = {"BETTER_AUTH_SECRET=" IT_SECRET, NULL};
    char *err = NULL;

    CU_ASSERT(run(argv, env, &err) == 2);
    CU_ASSERT(strstr(err, "DATABASE_URL") != NULL);
    free(err);
}

static void
test_help_lists_every_flag_of_the_contract(void)
{
    static const char *const flags[] = {
        "--secret-file",    "--database-url", "--listen",        "--port",
        "--port-file",      "--cors-origins", "--bcrypt-cost",   "--insecure-bcrypt-cost",
        "--token-lifetime", "--clock-skew",   "--rate-limit-ip", "--rate-limit-account",
        "--trust-proxy",    "--tls-cert",     "--tls-key",       "--http-redirect-port",
        "--cookie-secure",  "--max-body",     "--workers",       "--hash-workers",
        "--hash-queue",     "--db-pool",      "--log-level",     "BETTER_AUTH_SECRET",
        "DATABASE_URL",     "CORS_ORIGINS",   "FRONTEND_URL",
    };
    const char *argv[] = {"--help", NULL};
    char *out = NULL;

    CU_ASSERT(run(argv, NULL, &out) == 0);
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        if (strstr(out, flags[i]) == NULL)
            fprintf(stderr, "\n    --help does not mention %s\n", flags[i]);
        CU_ASSERT(strstr(out, flags[i]) != NULL);
    }
    CU_ASSERT(strstr(out, "--defect") == NULL); /* the default build has no defects */
    free(out);
}

static void
test_server_writes_port_file_logs_requests_and_exits_0_on_sigterm(void)
{
    const char *extra[] = {"--log-level", "info", NULL};
    struct it_proc p;
    struct it_resp r;
    char url[200], body[256], email[96], portline[32];
    char *log;
    FILE *f;

    CU_ASSERT_FATAL(it_proc_start(&p, db_url, extra) == 0);
    f = fopen(p.port_file, "r");
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT(fgets(portline, sizeof portline, f) != NULL);
    fclose(f);
    snprintf(body, sizeof body, "%u\n", p.port);
    CU_ASSERT_STRING_EQUAL(portline, body);
    snprintf(url, sizeof url, "%s/api/auth/signup", p.base);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"Sup3r-Secret-pw\"}",
             it_email(email, sizeof email, "cli"));
    CU_ASSERT(it_send("POST", url, NULL, body, &r) == 0 && r.status == 201);
    {
        char token[4200];
        snprintf(token, sizeof token, "%s",
                 json_string_value(json_object_get(r.json, "access_token")));
        it_resp_cleanup(&r);
        snprintf(url, sizeof url, "%s/api/auth/signin", p.base);
        snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"wrong-password\"}", email);
        CU_ASSERT(it_send("POST", url, NULL, body, &r) == 0 && r.status == 401);
        it_resp_cleanup(&r);
        log = it_proc_log_wait(&p, "http: POST /api/auth/signup 201", 5000);
        CU_ASSERT(strstr(log, "WARN bcrypt: cost 4 is below 12") != NULL);
        CU_ASSERT(strstr(log, "http: POST /api/auth/signup 201") != NULL);
        CU_ASSERT(strstr(log, "audit: signup user=") != NULL);
        CU_ASSERT(strstr(log, "audit: signin failed reason=wrong-password") != NULL);
        CU_ASSERT(strstr(log, "Sup3r-Secret-pw") == NULL);
        CU_ASSERT(strstr(log, token) == NULL);
        CU_ASSERT(strstr(log, IT_SECRET) == NULL);
        CU_ASSERT(strstr(log, "$2b$") == NULL);
        free(log);
    }
    CU_ASSERT(it_proc_stop(&p) == 0);
}

/* Both servers migrate a fresh database at the same moment. */
static void
test_two_servers_starting_at_once_migrate_one_database_once(void)
{
    char *fresh = NULL;
    struct it_proc a, b;
    PGconn *pg;
    PGresult *res;

    CU_ASSERT_FATAL(tu_testdb_create("cli_twostart", &fresh) == 0);
    /* Both processes exist before either has touched the database. */
    CU_ASSERT_FATAL(it_proc_spawn(&a, fresh, NULL) == 0);
    CU_ASSERT_FATAL(it_proc_spawn(&b, fresh, NULL) == 0);
    CU_ASSERT(it_proc_wait_ready(&a) == 0);
    CU_ASSERT(it_proc_wait_ready(&b) == 0);
    pg = PQconnectdb(fresh);
    res = PQexec(pg, "SELECT count(*), count(DISTINCT version), "
                     "(SELECT count(*) FROM pg_tables WHERE tablename IN ('users', 'tasks', "
                     "'rate_limit_hits')) FROM schema_migrations");
    CU_ASSERT_FATAL(PQresultStatus(res) == PGRES_TUPLES_OK);
    CU_ASSERT_STRING_EQUAL(PQgetvalue(res, 0, 0), "2");
    CU_ASSERT_STRING_EQUAL(PQgetvalue(res, 0, 1), "2");
    CU_ASSERT_STRING_EQUAL(PQgetvalue(res, 0, 2), "3");
    PQclear(res);
    PQfinish(pg);
    CU_ASSERT(it_proc_stop(&a) == 0);
    CU_ASSERT(it_proc_stop(&b) == 0);
    tu_testdb_drop(fresh);
    free(fresh);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_missing_secret_refuses_to_start_naming_the_variable),
        TU_TEST(test_short_or_placeholder_secret_refuses_to_start),
        TU_TEST(test_weak_secret_file_is_refused_naming_the_flag),
        TU_TEST(test_bad_flags_are_usage_errors_naming_the_flag),
        TU_TEST(test_missing_database_url_is_a_configuration_error),
        TU_TEST(test_help_lists_every_flag_of_the_contract),
        TU_TEST(test_server_writes_port_file_logs_requests_and_exits_0_on_sigterm),
        TU_TEST(test_two_servers_starting_at_once_migrate_one_database_once),
        {NULL, NULL},
    };
    int rc;

    if (tu_testdb_create("cli", &db_url) != 0)
        return 2;
    snprintf(db_env, sizeof db_env, "DATABASE_URL=%s", db_url);
    rc = tu_run_suite("cli", tests);
    tu_testdb_drop(db_url);
    free(db_url);
    return rc;
}
