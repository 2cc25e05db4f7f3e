/* Probe bcrypt_cost (checklist item 3, bcrypt-cost): the stored hashes of the run's accounts,
 * read through libpq in a read-only transaction; without a database, the
 * signin latency as information. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/probes/stats.h"
#include "hx/probes/strength.h"
#include "probe_int.h"
#include "stored_hash_search.h"

static const struct hx_probe_arg bcrypt_args[] = {
    HX_ARG_INT("min_cost", 4, 31),
    HX_ARG_LIST("identities"),
    HX_ARG_INT("latency_samples", 0, 20),
    HX_ARG_END,
};

/* Signin latency of one identity: information about the hashing cost. */
static void
bcrypt_latency(struct hx_probe_ctx *ctx, const json_t *args, const struct hx_identity *id,
               struct hx_step_result *step)
{
    size_t want = (size_t)hx__arg_int(args, "latency_samples", 3), n = 0;
    double t[20];
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    char *text = hx__signin_body(ctx, id->email, id->password);

    for (size_t i = 0; i < want && text != NULL; i++) {
        struct hx_response r;
        int rc = hx__probe_send(
            ctx, &(struct hx__send){.method = "POST", .path = signin, .json = text, .quiet = true},
            &r);
        if (rc == 0 && r.status >= 200 && r.status < 300)
            t[n++] = r.seconds;
        hx_response_cleanup(&r);
        if (rc != 0 || r.status == 429)
            break;
    }
    free(text);
    if (n > 0)
        hx_step_add_note(step,
                         "signin latency over %zu signins: median %.0f ms (bcrypt cost 12 takes "
                         "about 200 ms here; much less suggests a cheaper hash)",
                         n, hx_stats_median(t, n) * 1000.0);
}

/* Whether the profile's table and columns fail to give the stored hash of
 * the account `name` (no such table or column here, or not one row for
 * it): then the column is searched for (stored_hash_search.h). The query
 * runs guarded, so that its error leaves the transaction usable. */
static bool
bcrypt_names_fail(struct hx_probe_ctx *ctx, PGconn *db, const char *sql, const char *name)
{
    struct hx_identity id;
    const char *params[1];
    PGresult *res;
    bool fail;

    if (name == NULL || hx_probe_identity(ctx, name, &id) != 0)
        return false; /* the loop says what is wrong */
    params[0] = id.email;
    res = hx__db_exec_guarded(db, sql, 1, params);
    fail = res == NULL || PQntuples(res) != 1;
    PQclear(res);
    return fail;
}

/* The profile's names do not lead to the stored hash: searches the
 * catalog with the account name's email and password, and on success replaces sql by
 * the query found and notes where it found it; otherwise notes why and
 * leaves sql (whose error then says what is wrong). */
static void
bcrypt_search(struct hx_probe_ctx *ctx, PGconn *db, const char *name, const char *table,
              const char *column, char *sql, size_t sql_size, struct hx_step_result *step)
{
    struct hx_identity id;
    char found[2048], where[600], why[300];

    if (hx_probe_identity(ctx, name, &id) != 0)
        return;
    if (hx__stored_hash_search(db, id.email, id.password, found, sizeof found, where,
                               sizeof where, why, sizeof why) != 0) {
        hx_step_add_note(step, "the profile's %s.%s gives no stored hash for the account, and "
                               "searching the database's catalog found none: %s",
                         table, column, why);
        return;
    }
    hx_step_add_note(step,
                     "the profile's %s.%s gives no stored hash for the account; searching the "
                     "database's catalog found it in %s (to name it, set the profile's "
                     "database.password_query: %s)",
                     table, column, where, found);
    snprintf(sql, sql_size, "%s", found);
}

static void
bcrypt_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    const char *url = hx_probe_database_url(ctx);
    const json_t *names = args != NULL ? json_object_get(args, "identities") : NULL;
    static const char *const default_names[] = {"alice", "bob"};
    size_t n_names = names != NULL ? json_array_size(names) : 2;
    int min_cost = (int)hx__arg_int(args, "min_cost", 12);
    const char *table = hx__prof_str(ctx, "database.users_table", "users");
    const char *email_col = hx__prof_str(ctx, "database.email_column", "email");
    const char *hash_col = hx__prof_str(ctx, "database.password_column", "hashed_password");
    /* a schema that table.column cannot name (Better Auth: account.password joined to
     * "user" by "userId"): one SELECT of the profile's, $1 the email */
    const char *query = hx__prof_str(ctx, "database.password_query", NULL);
    PGconn *db = NULL;
    PGresult *res = NULL;
    char *qt = NULL, *qe = NULL, *qh = NULL, sql[2048], bad[800] = "";
    size_t checked = 0, n_bad = 0;

    if (url == NULL) {
        struct hx_identity a;
        if (hx_probe_identity(ctx, "alice", &a) == 0)
            bcrypt_latency(ctx, args, &a, step);
        hx_step_set(step, HX_STATUS_SKIP, "probe.needs-database", "needs --database-url");
        return;
    }
    db = PQconnectdb(url);
    if (db == NULL || PQstatus(db) != CONNECTION_OK) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.database", "cannot connect to the database: %s",
                    db != NULL ? PQerrorMessage(db) : "out of memory");
        goto cleanup;
    }
    res = PQexec(db, "BEGIN TRANSACTION READ ONLY");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.database",
                    "cannot begin a read-only "
                    "transaction: %s",
                    PQerrorMessage(db));
        goto cleanup;
    }
    PQclear(res);
    res = NULL;
    qt = PQescapeIdentifier(db, table, strlen(table));
    qe = PQescapeIdentifier(db, email_col, strlen(email_col));
    qh = PQescapeIdentifier(db, hash_col, strlen(hash_col));
    if (qt == NULL || qe == NULL || qh == NULL) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.database", "bad table or column name");
        goto cleanup;
    }
    if (query != NULL)
        snprintf(sql, sizeof(sql), "%s", query); /* the profile's, in the read-only transaction */
    else {
        snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE lower(%s) = lower($1)", qh, qt, qe);
        const char *first = n_names == 0 ? NULL
                            : names != NULL ? json_string_value(json_array_get(names, 0))
                                            : default_names[0];
        if (first != NULL && bcrypt_names_fail(ctx, db, sql, first))
            bcrypt_search(ctx, db, first, table, hash_col, sql, sizeof sql, step);
    }
    for (size_t i = 0; i < n_names; i++) {
        const char *name =
            names != NULL ? json_string_value(json_array_get(names, i)) : default_names[i];
        struct hx_identity id;
        const char *params[1];
        char why[200];
        int cost;

        if (hx_probe_identity(ctx, name, &id) != 0)
            goto cleanup;
        params[0] = id.email;
        res = PQexecParams(db, sql, 1, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.database",
                        "query on %s.%s failed (check the profile's database names): %s",
                        query != NULL ? "database" : table,
                        query != NULL ? "password_query" : hash_col, PQerrorMessage(db));
            goto cleanup;
        }
        if (PQntuples(res) != 1) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.database",
                        "%d rows in %s for the account %s created (expected 1); is this the "
                        "target's database?",
                        PQntuples(res), table, name);
            goto cleanup;
        }
        checked++;
        if (!hx_bcrypt_hash_ok(PQgetvalue(res, 0, 0), id.password, min_cost, &cost, why,
                               sizeof(why))) {
            size_t len = strlen(bad);
            int k =
                snprintf(bad + len, sizeof(bad) - len, "%s%s: %s", len > 0 ? "; " : "", name, why);
            if (k < 0 || (size_t)k >= sizeof(bad) - len)
                bad[len] = '\0';
            n_bad++;
        } else {
            hx_step_add_note(step, "%s: %s", name, why);
        }
        PQclear(res);
        res = NULL;
    }
    if (n_bad > 0)
        hx_step_set(step, HX_STATUS_FAIL, "probe.bcrypt",
                    "%zu of %zu stored passwords are not "
                    "bcrypt with cost >= %d: %s",
                    n_bad, checked, min_cost, bad);
    else if (checked == 0)
        hx_step_set(step, HX_STATUS_SKIP, "probe.no-account", "no account named to check");
    else
        hx_step_pass(step);
cleanup:
    PQclear(res);
    PQfreemem(qt);
    PQfreemem(qe);
    PQfreemem(qh);
    if (db != NULL && PQstatus(db) == CONNECTION_OK)
        PQclear(PQexec(db, "ROLLBACK"));
    PQfinish(db);
}

const struct hx_probe_def hx__probe_bcrypt_cost = {
    .name = "bcrypt_cost",
    .summary = "stored hashes of the run's accounts are bcrypt $2a/$2b/$2y$ with cost >= 12",
    .floods = false,
    .args = bcrypt_args,
    .run = bcrypt_run,
};
