#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "testdb.h"
#include "unit.h"

static void
test_testdb_create_gives_a_usable_empty_database(void)
{
    char *url = NULL;
    PGconn *conn;
    PGresult *res;

    CU_ASSERT_FATAL(tu_testdb_create("testdb", &url) == 0);
    conn = PQconnectdb(url);
    CU_ASSERT_FATAL(PQstatus(conn) == CONNECTION_OK);
    res = PQexec(conn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
    CU_ASSERT(PQresultStatus(res) == PGRES_TUPLES_OK);
    CU_ASSERT_STRING_EQUAL(PQgetvalue(res, 0, 0), "0");
    PQclear(res);
    res = PQexec(conn, "SELECT gen_random_uuid()");
    CU_ASSERT(PQresultStatus(res) == PGRES_TUPLES_OK);
    PQclear(res);
    PQfinish(conn);
    tu_testdb_drop(url);

    conn = PQconnectdb(url);
    CU_ASSERT(PQstatus(conn) != CONNECTION_OK);
    PQfinish(conn);
    free(url);
}

static void
test_testdb_cluster_listens_on_loopback_only(void)
{
    char *url = tu_testdb_cluster_url();
    CU_ASSERT_FATAL(url != NULL);
    CU_ASSERT(strstr(url, "@127.0.0.1:") != NULL);
    free(url);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_testdb_create_gives_a_usable_empty_database),
        TU_TEST(test_testdb_cluster_listens_on_loopback_only),
        {NULL, NULL},
    };
    return tu_run_suite("testdb", tests);
}
