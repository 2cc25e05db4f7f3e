/* Trouble: the database goes away and comes back; a flood of signins fills
 * the bcrypt queue; the server is stopped with work in flight. */
#include <libpq-fe.h>
#include <pthread.h>
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

/* Runs sql on the cluster's maintenance database. */
static void
cluster_exec(const char *sql)
{
    char *cluster = tu_testdb_cluster_url();
    PGconn *pg = PQconnectdb(cluster);
    PGresult *res = PQexec(pg, sql);

    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        fprintf(stderr, "test: %s: %s", sql, PQerrorMessage(pg));
    PQclear(res);
    PQfinish(pg);
    free(cluster);
}

static const char *
db_name(void)
{
    return strrchr(db_url, '/') + 1;
}

static long
status_of(const char *url, const char *token)
{
    struct it_resp r;
    long st = -1;
    if (it_get(url, token, &r) == 0)
        st = r.status;
    it_resp_cleanup(&r);
    return st;
}

static void
test_database_outage_gives_503_and_the_server_recovers_by_itself(void)
{
    struct it_server s;
    char email[96], id[40], sql[256], ready[200], tasks[300], ra[16];
    char *token = NULL;
    struct it_resp r;
    long st = 0;

    CU_ASSERT_FATAL(it_server_start(&s, db_url, NULL) == 0);
    CU_ASSERT_FATAL(it_signup(s.base, it_email(email, sizeof email, "outage"), "password123",
                              &token, id) == 201);
    snprintf(ready, sizeof ready, "%s/ready", s.base);
    snprintf(tasks, sizeof tasks, "%s/api/users/%s/tasks", s.base, id);
    CU_ASSERT(status_of(tasks, token) == 200);

    /* The database refuses connections and drops the ones it has. */
    snprintf(sql, sizeof sql, "ALTER DATABASE %s ALLOW_CONNECTIONS false", db_name());
    cluster_exec(sql);
    snprintf(sql, sizeof sql,
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'",
             db_name());
    cluster_exec(sql);

    CU_ASSERT_FATAL(it_get(ready, NULL, &r) == 0);
    CU_ASSERT(r.status == 503);
    CU_ASSERT(it_detail(&r) != NULL && strcmp(it_detail(&r), "Database unavailable") == 0);
    CU_ASSERT(it_header(&r, "Retry-After", ra, sizeof ra) != NULL);
    it_resp_cleanup(&r);
    CU_ASSERT_FATAL(it_get(tasks, token, &r) == 0);
    CU_ASSERT(r.status == 503);
    CU_ASSERT(r.body != NULL && strstr(r.body, "ALLOW") == NULL &&
              strstr(r.body, "database \"") == NULL);
    it_resp_cleanup(&r);
    /* Isolation is decided before any database work: still 403, not 503. */
    {
        char other[300];
        snprintf(other, sizeof other, "%s/api/users/00000000-0000-4000-8000-000000000000/tasks",
                 s.base);
        CU_ASSERT(status_of(other, token) == 403);
    }
    CU_ASSERT(it_send("POST", tasks, token, "{\"title\":\"during outage\"}", &r) == 0);
    CU_ASSERT(r.status == 503);
    it_resp_cleanup(&r);
    {
        char url[200], body[256];
        snprintf(url, sizeof url, "%s/api/auth/signin", s.base);
        snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"password123\"}", email);
        CU_ASSERT(it_send("POST", url, NULL, body, &r) == 0);
        CU_ASSERT(r.status == 503);
        it_resp_cleanup(&r);
    }

    /* Back again: no restart of authref needed. */
    snprintf(sql, sizeof sql, "ALTER DATABASE %s ALLOW_CONNECTIONS true", db_name());
    cluster_exec(sql);
    for (int i = 0; i < 50 && st != 200; i++) {
        st = status_of(ready, NULL);
        if (st != 200)
            usleep(100 * 1000);
    }
    CU_ASSERT(st == 200);
    CU_ASSERT(status_of(tasks, token) == 200);
    free(token);
    it_server_stop(&s);
}

static void
test_connections_killed_under_the_server_are_remade(void)
{
    struct it_server s;
    char email[96], id[40], sql[256], tasks[300];
    char *token = NULL;

    CU_ASSERT_FATAL(it_server_start(&s, db_url, NULL) == 0);
    CU_ASSERT_FATAL(it_signup(s.base, it_email(email, sizeof email, "killed"), "password123",
                              &token, id) == 201);
    snprintf(tasks, sizeof tasks, "%s/api/users/%s/tasks", s.base, id);
    CU_ASSERT(status_of(tasks, token) == 200);
    snprintf(sql, sizeof sql,
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s' "
             "AND application_name = 'authref'",
             db_name());
    cluster_exec(sql);
    /* Reads are retried once on a fresh connection: no error shows. */
    CU_ASSERT(status_of(tasks, token) == 200);
    CU_ASSERT(status_of(tasks, token) == 200);
    free(token);
    it_server_stop(&s);
}

struct flood {
    const char *base;
    const char *email;
    long status;
    char retry[16];
};

static void *
flood_one(void *p)
{
    struct flood *f = p;
    char url[200], body[256];
    struct it_resp r;

    snprintf(url, sizeof url, "%s/api/auth/signin", f->base);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"password123\"}", f->email);
    f->status = -1;
    if (it_send("POST", url, NULL, body, &r) == 0) {
        f->status = r.status;
        if (it_header(&r, "Retry-After", f->retry, sizeof f->retry) == NULL)
            f->retry[0] = '\0';
    }
    it_resp_cleanup(&r);
    return NULL;
}

static void
test_full_bcrypt_queue_answers_503_and_reads_go_on(void)
{
    enum { N = 12 };
    struct it_server s;
    /* Real cost, one hashing thread, one waiting slot. */
    const char *extra[] = {
        "--insecure-bcrypt-cost", "11", "--hash-workers", "1", "--hash-queue", "1", NULL};
    pthread_t th[N];
    struct flood f[N];
    char email[96], id[40], tasks[300];
    char *token = NULL;
    int ok = 0, busy = 0;

    CU_ASSERT_FATAL(it_server_start(&s, db_url, extra) == 0);
    CU_ASSERT_FATAL(it_signup(s.base, it_email(email, sizeof email, "flood"), "password123", &token,
                              id) == 201);
    snprintf(tasks, sizeof tasks, "%s/api/users/%s/tasks", s.base, id);
    for (int i = 0; i < N; i++) {
        f[i].base = s.base;
        f[i].email = email;
        pthread_create(&th[i], NULL, flood_one, &f[i]);
    }
    /* Protected reads are served by the HTTP threads meanwhile. */
    for (int i = 0; i < 5; i++)
        CU_ASSERT(status_of(tasks, token) == 200);
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        ok += f[i].status == 200;
        if (f[i].status == 503) {
            busy++;
            CU_ASSERT_STRING_EQUAL(f[i].retry, "1");
        }
    }
    CU_ASSERT(ok >= 1);
    CU_ASSERT(busy >= 1);
    CU_ASSERT(ok + busy == N);
    free(token);
    it_server_stop(&s);
}

static void
test_stopping_with_signins_in_flight_is_clean(void)
{
    enum { N = 6 };
    struct it_server s;
    const char *extra[] = {"--insecure-bcrypt-cost", "12", "--hash-workers", "1", NULL};
    pthread_t th[N];
    struct flood f[N];
    char email[96];

    CU_ASSERT_FATAL(it_server_start(&s, db_url, extra) == 0);
    CU_ASSERT_FATAL(
        it_signup(s.base, it_email(email, sizeof email, "stop"), "password123", NULL, NULL) == 201);
    for (int i = 0; i < N; i++) {
        f[i].base = s.base;
        f[i].email = email;
        pthread_create(&th[i], NULL, flood_one, &f[i]);
    }
    usleep(300 * 1000);
    it_server_stop(&s);
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        /* Answered, refused as busy, or cut by the shutdown: never anything else. */
        CU_ASSERT(f[i].status == 200 || f[i].status == 503 || f[i].status == -1);
    }
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_database_outage_gives_503_and_the_server_recovers_by_itself),
        TU_TEST(test_connections_killed_under_the_server_are_remade),
        TU_TEST(test_full_bcrypt_queue_answers_503_and_reads_go_on),
        TU_TEST(test_stopping_with_signins_in_flight_is_clean),
        {NULL, NULL},
    };
    int rc;

    if (tu_testdb_create("resilience", &db_url) != 0)
        return 2;
    rc = tu_run_suite("resilience", tests);
    tu_testdb_drop(db_url);
    free(db_url);
    return rc;
}
