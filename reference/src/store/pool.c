#include "rs/store/db.h"

#include <errno.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmn/clock.h"
#include "cmn/log.h"
#include "rs/error.h"
#include "store_int.h"

/* How long a request waits for a free connection before it gets 503. */
#define POOL_WAIT_S 5
/* A broken connection is retried at most this often (milliseconds). */
#define POOL_RECONNECT_MS 200

struct pool_conn {
    PGconn *pg;         /* NULL until first use */
    bool in_use;        /* guarded by rs_db.lock */
    long long last_try; /* ms, monotonic; touched only by the holder */
    unsigned prepared;  /* bit per enum rs_stmt prepared on pg; the holder only */
};

struct rs_db {
    char *url;
    unsigned size;
    pthread_mutex_t lock;
    pthread_cond_t freed;
    struct pool_conn *conns;
};

static long long
pool_now_ms(void)
{
    return (long long)(cmn_clock_now_s() * 1000.0);
}

int
rs_db_new(const char *url, unsigned size, struct rs_db **out)
{
    struct rs_db *db = calloc(1, sizeof *db);
    pthread_condattr_t ca;

    if (db == NULL)
        return RS_E_NOMEM;
    db->url = strdup(url);
    db->size = size ? size : 1;
    db->conns = calloc(db->size, sizeof *db->conns);
    if (db->url == NULL || db->conns == NULL) {
        free(db->url);
        free(db->conns);
        free(db);
        return RS_E_NOMEM;
    }
    pthread_mutex_init(&db->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&db->freed, &ca);
    pthread_condattr_destroy(&ca);
    *out = db;
    return 0;
}

void
rs_db_free(struct rs_db *db)
{
    if (db == NULL)
        return;
    for (unsigned i = 0; i < db->size; i++)
        if (db->conns[i].pg != NULL)
            PQfinish(db->conns[i].pg);
    pthread_cond_destroy(&db->freed);
    pthread_mutex_destroy(&db->lock);
    free(db->conns);
    free(db->url);
    free(db);
}

/* Connects c and prepares every statement. The holder only. */
static int
pool_connect(struct rs_db *db, struct pool_conn *c)
{
    static const char *const keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    const char *values[] = {db->url, "3", "authref", NULL};
    PGresult *res;

    if (c->pg != NULL) {
        PQfinish(c->pg);
        c->pg = NULL;
    }
    c->last_try = pool_now_ms();
    c->prepared = 0;
    c->pg = PQconnectdbParams(keys, values, 1);
    if (c->pg == NULL)
        return RS_E_NOMEM;
    if (PQstatus(c->pg) != CONNECTION_OK) {
        cmn_log(CMN_LOG_WARN, "db: cannot connect: %s", PQerrorMessage(c->pg));
        PQfinish(c->pg);
        c->pg = NULL;
        return RS_E_DB;
    }
    /* Statements that need the schema are prepared lazily by rs__db_exec():
     * before migrations ran, preparing them would fail. */
    res = PQexec(c->pg, "SET TIME ZONE 'UTC'");
    PQclear(res);
    return 0;
}

static int
pool_acquire(struct rs_db *db, struct pool_conn **out)
{
    struct timespec deadline;
    struct pool_conn *c = NULL;
    int rc = 0;

    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += POOL_WAIT_S;
    pthread_mutex_lock(&db->lock);
    for (;;) {
        /* A free slot with a live connection first; else any free slot. */
        for (unsigned i = 0; i < db->size; i++) {
            struct pool_conn *k = &db->conns[i];
            if (k->in_use)
                continue;
            if (k->pg != NULL && PQstatus(k->pg) == CONNECTION_OK) {
                c = k;
                break;
            }
            if (c == NULL)
                c = k;
        }
        if (c != NULL)
            break;
        if (pthread_cond_timedwait(&db->freed, &db->lock, &deadline) == ETIMEDOUT) {
            rc = RS_E_BUSY;
            break;
        }
    }
    if (c != NULL)
        c->in_use = true;
    pthread_mutex_unlock(&db->lock);
    if (rc != 0) {
        cmn_log(CMN_LOG_WARN, "db: no connection came free in %d s", POOL_WAIT_S);
        return rc;
    }
    if (c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK) {
        if (c->pg != NULL && pool_now_ms() - c->last_try < POOL_RECONNECT_MS)
            rc = RS_E_DB;
        else if (c->pg == NULL && c->last_try != 0 &&
                 pool_now_ms() - c->last_try < POOL_RECONNECT_MS)
            rc = RS_E_DB;
        else
            rc = pool_connect(db, c);
    }
    if (rc != 0) {
        pthread_mutex_lock(&db->lock);
        c->in_use = false;
        pthread_cond_signal(&db->freed);
        pthread_mutex_unlock(&db->lock);
        return rc;
    }
    *out = c;
    return 0;
}

static void
pool_release(struct rs_db *db, struct pool_conn *c)
{
    pthread_mutex_lock(&db->lock);
    c->in_use = false;
    pthread_cond_signal(&db->freed);
    pthread_mutex_unlock(&db->lock);
}

#ifdef AUTHREF_DEFECTS
/* leaky-errors: the last failure text of each thread (defect builds only). */
static __thread char pool_last_error[600];

const char *
rs_db_last_error(void)
{
    return pool_last_error;
}
#endif

/* One attempt on a connected c. Returns 0, RS_E_CONFLICT or RS_E_DB. */
static int
pool_run(struct pool_conn *c, enum rs_stmt stmt, const char *const *params, PGresult **out)
{
    const struct rs_stmt_def *d = &rs__stmts[stmt];
    PGresult *res;
    ExecStatusType st;
    const char *state;

    if ((c->prepared & (1u << stmt)) == 0) {
        if (PQstatus(c->pg) != CONNECTION_OK)
            return RS_E_DB;
        res = PQprepare(c->pg, d->name, d->sql, d->nparams, NULL);
        st = PQresultStatus(res);
        if (st != PGRES_COMMAND_OK) {
            cmn_log(CMN_LOG_WARN, "db: prepare %s: %s", d->name, PQresultErrorMessage(res));
            PQclear(res);
            return RS_E_DB;
        }
        PQclear(res);
        c->prepared |= 1u << stmt;
    }
    res = PQexecPrepared(c->pg, d->name, d->nparams, params, NULL, NULL, 0);
    st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        *out = res;
        return 0;
    }
    state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (state != NULL && strcmp(state, "23505") == 0) {
        PQclear(res);
        return RS_E_CONFLICT;
    }
    cmn_log(CMN_LOG_WARN, "db: %s failed: %s", d->name,
            res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
#ifdef AUTHREF_DEFECTS
    snprintf(pool_last_error, sizeof pool_last_error, "%s in statement: %s",
             res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg), d->sql);
#endif
    PQclear(res);
    return RS_E_DB;
}

int
rs__db_exec(struct rs_db *db, enum rs_stmt stmt, const char *const *params, PGresult **out)
{
    struct pool_conn *c;
    int rc = pool_acquire(db, &c);

    if (rc != 0)
        return rc;
    rc = pool_run(c, stmt, params, out);
    if (rc == RS_E_DB && PQstatus(c->pg) != CONNECTION_OK && rs__stmts[stmt].retry) {
        /* The server restarted under us: one fresh connection, one more try. */
        if (pool_connect(db, c) == 0)
            rc = pool_run(c, stmt, params, out);
    }
    pool_release(db, c);
    return rc;
}

int
rs_db_ping(struct rs_db *db)
{
    PGresult *res = NULL;
    int rc = rs__db_exec(db, RS_STMT_PING, NULL, &res);
    PQclear(res);
    return rc;
}

const char *
rs__db_url(const struct rs_db *db)
{
    return db->url;
}
