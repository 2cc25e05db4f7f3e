/* Versioned schema migrations: db/NNN_name.sql, applied in order, each once. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/log.h"
#include "rs/embedded.h"
#include "rs/error.h"
#include "rs/store/db.h"
#include "store_int.h"

/* The advisory lock (two-key form) that serialises migrating servers. */
#define MIGRATE_LOCK "SELECT pg_advisory_xact_lock(1095980364, 1)"

static int
migrate_version_of(const char *name)
{
    int v = 0;
    for (int i = 0; i < 3; i++) {
        if (name[i] < '0' || name[i] > '9')
            return -1;
        v = v * 10 + (name[i] - '0');
    }
    return name[3] == '_' ? v : -1;
}

static int
migrate_exec(PGconn *pg, const char *sql)
{
    PGresult *res = PQexec(pg, sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? 0 : RS_E_DB;

    if (rc != 0)
        cmn_log(CMN_LOG_ERROR, "migrate: %s", PQresultErrorMessage(res));
    PQclear(res);
    return rc;
}

/* Applies what is missing, inside one transaction holding the lock. */
static int
migrate_on(PGconn *pg)
{
    int rc, applied = 0;
    PGresult *res;

    rc = migrate_exec(pg, "BEGIN");
    if (rc == 0)
        rc = migrate_exec(pg, MIGRATE_LOCK);
    if (rc == 0)
        rc = migrate_exec(pg, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                              "version integer PRIMARY KEY, name text NOT NULL, "
                              "applied_at timestamptz NOT NULL DEFAULT now())");
    for (const struct rs_embedded *m = rs_migrations; rc == 0 && m->name != NULL; m++) {
        char version[16];
        const char *params[2] = {version, m->name};
        int v = migrate_version_of(m->name);

        if (v < 0) {
            cmn_log(CMN_LOG_ERROR, "migrate: %s: name must start with NNN_", m->name);
            rc = RS_E_INVAL;
            break;
        }
        snprintf(version, sizeof version, "%d", v);
        res = PQexecParams(pg, "SELECT 1 FROM schema_migrations WHERE version = $1::integer", 1,
                           NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            cmn_log(CMN_LOG_ERROR, "migrate: %s", PQresultErrorMessage(res));
            PQclear(res);
            rc = RS_E_DB;
            break;
        }
        if (PQntuples(res) == 1) {
            PQclear(res);
            continue;
        }
        PQclear(res);
        rc = migrate_exec(pg, m->text);
        if (rc != 0) {
            cmn_log(CMN_LOG_ERROR, "migrate: %s failed", m->name);
            break;
        }
        res = PQexecParams(pg,
                           "INSERT INTO schema_migrations (version, name) "
                           "VALUES ($1::integer, $2)",
                           2, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = RS_E_DB;
        PQclear(res);
        if (rc == 0) {
            cmn_log(CMN_LOG_INFO, "migrate: applied %s", m->name);
            applied++;
        }
    }
    if (rc == 0)
        rc = migrate_exec(pg, "COMMIT");
    if (rc != 0) {
        res = PQexec(pg, "ROLLBACK");
        PQclear(res);
    } else if (applied == 0) {
        cmn_log(CMN_LOG_DEBUG, "migrate: schema is up to date");
    }
    return rc;
}

static PGconn *migrate_connect(struct rs_db *db);

int
rs_db_migrate(struct rs_db *db)
{
    PGconn *pg = migrate_connect(db);
    int rc;

    if (pg == NULL)
        return RS_E_DB;
    rc = migrate_on(pg);
    PQfinish(pg);
    return rc;
}

#ifdef AUTHREF_DEFECTS
int
rs_db_defect_exec(struct rs_db *db, const char *sql)
{
    PGconn *pg = migrate_connect(db);
    int rc;

    if (pg == NULL)
        return RS_E_DB;
    rc = migrate_exec(pg, sql);
    PQfinish(pg);
    return rc;
}
#endif

int
rs_db_schema_version(struct rs_db *db)
{
    PGconn *pg = migrate_connect(db);
    PGresult *res;
    int v = RS_E_DB;

    if (pg == NULL)
        return RS_E_DB;
    res = PQexec(pg, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
        v = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    PQfinish(pg);
    return v;
}

/* A connection of its own, outside the pool: migrations hold a transaction
 * open and run before the pool serves anything. */
static PGconn *
migrate_connect(struct rs_db *db)
{
    static const char *const keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    const char *values[] = {rs__db_url(db), "3", "authref-migrate", NULL};
    PGconn *pg = PQconnectdbParams(keys, values, 1);
    PGresult *res;

    if (pg == NULL)
        return NULL;
    if (PQstatus(pg) != CONNECTION_OK) {
        cmn_log(CMN_LOG_WARN, "migrate: cannot connect: %s", PQerrorMessage(pg));
        PQfinish(pg);
        return NULL;
    }
    /* Quiet NOTICEs such as "relation already exists, skipping". */
    res = PQexec(pg, "SET client_min_messages = warning");
    PQclear(res);
    return pg;
}
