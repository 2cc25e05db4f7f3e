#include "testdb.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *
tu_testdb_cluster_url(void)
{
    const char *pointer = getenv("AUTHCONFORM_TEST_PG");
    char dir[1024], url[1024];
    FILE *f;

    if (pointer == NULL) {
        fprintf(stderr, "testdb: AUTHCONFORM_TEST_PG is not set (run through ctest)\n");
        return NULL;
    }
    f = fopen(pointer, "r");
    if (f == NULL) {
        fprintf(stderr, "testdb: cannot open %s: no PostgreSQL fixture\n", pointer);
        return NULL;
    }
    if (fscanf(f, "%1023s %1023s", dir, url) != 2) {
        fclose(f);
        fprintf(stderr, "testdb: %s is malformed\n", pointer);
        return NULL;
    }
    fclose(f);
    return strdup(url);
}

static int
testdb_exec(const char *cluster_url, const char *sql)
{
    PGconn *conn = PQconnectdb(cluster_url);
    PGresult *res;
    int ok;

    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "testdb: connect: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return -1;
    }
    res = PQexec(conn, sql);
    ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "testdb: %s: %s", sql, PQerrorMessage(conn));
    PQclear(res);
    PQfinish(conn);
    return ok ? 0 : -1;
}

/* The cluster URL ends in "/postgres": swap the database name. */
static char *
testdb_url_for(const char *cluster_url, const char *db)
{
    const char *slash = strrchr(cluster_url, '/');
    size_t base = slash ? (size_t)(slash - cluster_url) : strlen(cluster_url);
    size_t n = base + 1 + strlen(db) + 1;
    char *url = malloc(n);

    if (url != NULL)
        snprintf(url, n, "%.*s/%s", (int)base, cluster_url, db);
    return url;
}

int
tu_testdb_create(const char *name, char **url_out)
{
    char db[64], sql[160];
    char *cluster = tu_testdb_cluster_url();
    int rc = -1;

    if (cluster == NULL)
        return -1;
    snprintf(db, sizeof db, "t_%.40s_%ld", name, (long)getpid());
    for (char *p = db; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            *p = '_';
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", db);
    if (testdb_exec(cluster, sql) != 0)
        goto out;
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
    if (testdb_exec(cluster, sql) != 0)
        goto out;
    *url_out = testdb_url_for(cluster, db);
    rc = *url_out ? 0 : -1;
out:
    free(cluster);
    return rc;
}

void
tu_testdb_drop(const char *url)
{
    char sql[160];
    char *cluster = tu_testdb_cluster_url();
    const char *slash = strrchr(url, '/');

    if (cluster == NULL || slash == NULL) {
        free(cluster);
        return;
    }
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %.100s WITH (FORCE)", slash + 1);
    testdb_exec(cluster, sql);
    free(cluster);
}
