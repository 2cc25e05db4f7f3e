/* The column that keeps an account's password, found through the catalog
 * (see stored_hash_search.h). */
#include "stored_hash_search.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A value shaped as a stored password hash: bcrypt, argon2, scrypt in its
 * PHC and crypt forms, pbkdf2 (passlib, Django), or "salt:key" in hex as
 * Better Auth's scrypt writes it. */
static const char HASH_SHAPE[] = "^(\\$2[abxy]\\$[0-9]{2}\\$|\\$argon2(id|i|d)\\$|\\$scrypt\\$|"
                                 "\\$7\\$|\\$pbkdf2|pbkdf2_sha|[0-9a-fA-F]{16,}:[0-9a-fA-F]{32,}$)";

/* Columns read from the catalog at most (a schema larger than this is
 * searched in its first tables only, and the note says so). */
#define SEARCH_COLUMNS_MAX 5000

struct column {
    char *schema, *table, *name; /* owned */
    bool text;                   /* text, varchar or char: may hold a hash */
};

struct catalog {
    struct column *cols;
    size_t n;
    bool truncated;
};

static void
catalog_free(struct catalog *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->cols[i].schema);
        free(c->cols[i].table);
        free(c->cols[i].name);
    }
    free(c->cols);
}

PGresult *
hx__db_exec_guarded(PGconn *db, const char *sql, int n_params, const char *const *params)
{
    PGresult *res;

    PQclear(PQexec(db, "SAVEPOINT hx_stored_hash_search"));
    res = PQexecParams(db, sql, n_params, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        PQclear(res);
        PQclear(PQexec(db, "ROLLBACK TO SAVEPOINT hx_stored_hash_search"));
        return NULL;
    }
    PQclear(PQexec(db, "RELEASE SAVEPOINT hx_stored_hash_search"));
    return res;
}

/* Every column of the tables of db's own schemas. */
static int
catalog_read(PGconn *db, struct catalog *c, char *why, size_t why_size)
{
    static const char sql[] =
        "SELECT n.nspname, c.relname, a.attname, "
        "a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid "
        "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg\\_%' "
        "ORDER BY n.nspname, c.relname, a.attnum LIMIT 5001";
    PGresult *res = hx__db_exec_guarded(db, sql, 0, NULL);
    int rows;

    memset(c, 0, sizeof *c);
    if (res == NULL) {
        snprintf(why, why_size, "cannot read the catalog: %s", PQerrorMessage(db));
        return -1;
    }
    rows = PQntuples(res);
    if (rows > SEARCH_COLUMNS_MAX) {
        rows = SEARCH_COLUMNS_MAX;
        c->truncated = true;
    }
    c->cols = calloc(rows > 0 ? (size_t)rows : 1, sizeof *c->cols);
    if (c->cols == NULL) {
        PQclear(res);
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    for (int i = 0; i < rows; i++) {
        struct column *col = &c->cols[c->n];
        col->schema = strdup(PQgetvalue(res, i, 0));
        col->table = strdup(PQgetvalue(res, i, 1));
        col->name = strdup(PQgetvalue(res, i, 2));
        col->text = strcmp(PQgetvalue(res, i, 3), "t") == 0;
        c->n++;
        if (col->schema == NULL || col->table == NULL || col->name == NULL) {
            PQclear(res);
            snprintf(why, why_size, "out of memory");
            return -1;
        }
    }
    PQclear(res);
    return 0;
}

static bool
same_table(const struct column *a, const char *schema, const char *table)
{
    return strcmp(a->schema, schema) == 0 && strcmp(a->table, table) == 0;
}

/* The email column of schema.table: "email" itself, else the first whose
 * name holds "email"; NULL when it has none. */
static const char *
catalog_email_column(const struct catalog *c, const char *schema, const char *table)
{
    const char *loose = NULL;
    for (size_t i = 0; i < c->n; i++) {
        if (!same_table(&c->cols[i], schema, table))
            continue;
        if (strcasecmp(c->cols[i].name, "email") == 0)
            return c->cols[i].name;
        if (loose == NULL && strcasestr(c->cols[i].name, "email") != NULL)
            loose = c->cols[i].name;
    }
    return loose;
}

static bool
catalog_has(const struct catalog *c, const char *schema, const char *table, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (same_table(&c->cols[i], schema, table) && strcmp(c->cols[i].name, name) == 0)
            return true;
    return false;
}

/* One way from a candidate column's row to the account's email. */
struct path {
    const char *fk, *ref_schema, *ref_table, *ref_key, *email; /* fk NULL: same table */
    const char *how;                                           /* for the note */
};

/* Builds the SELECT of schema.table.column for the account whose email is
 * $1 along path p; when filtered, $2 is the hash shape and $3 the password,
 * one of which the value must match. Returns 0, or -1 (a name cannot be
 * quoted, or the text does not fit). */
static int
path_sql(PGconn *db, const struct column *col, const struct path *p, bool filtered, char *sql,
         size_t sql_size)
{
    const char *names[7] = {col->schema, col->table, col->name, p->email,
                            p->fk,       p->ref_schema, p->ref_table};
    char *q[8] = {0};
    int k, rc = -1;

    for (size_t i = 0; i < 7; i++)
        if (names[i] != NULL && (q[i] = PQescapeIdentifier(db, names[i], strlen(names[i]))) == NULL)
            goto out;
    if (p->fk != NULL && (q[7] = PQescapeIdentifier(db, p->ref_key, strlen(p->ref_key))) == NULL)
        goto out;
    if (p->fk == NULL)
        k = snprintf(sql, sql_size,
                     "SELECT h.%s FROM %s.%s h WHERE lower(h.%s) = lower($1) AND h.%s IS NOT NULL "
                     "AND h.%s <> ''",
                     q[2], q[0], q[1], q[3], q[2], q[2]);
    else
        k = snprintf(sql, sql_size,
                     "SELECT h.%s FROM %s.%s h JOIN %s.%s u ON h.%s = u.%s "
                     "WHERE lower(u.%s) = lower($1) AND h.%s IS NOT NULL AND h.%s <> ''",
                     q[2], q[0], q[1], q[5], q[6], q[4], q[7], q[3], q[2], q[2]);
    if (k < 0 || (size_t)k >= sql_size)
        goto out;
    if (filtered) {
        int k2 = snprintf(sql + k, sql_size - (size_t)k, " AND (h.%s ~ $2 OR h.%s = $3)", q[2],
                          q[2]);
        if (k2 < 0 || (size_t)k2 >= sql_size - (size_t)k)
            goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; i < 8; i++)
        PQfreemem(q[i]);
    return rc;
}

/* Whether col holds the account's password along p: a value of the right
 * shape (or the password itself) for the account, and exactly one value
 * for it. Fills sql with the SELECT to keep. */
static bool
path_try(PGconn *db, const struct column *col, const struct path *p, const char *email,
         const char *password, char *sql, size_t sql_size)
{
    char probe[2048];
    const char *params[3] = {email, HASH_SHAPE, password};
    PGresult *res;
    bool found;

    if (path_sql(db, col, p, true, probe, sizeof probe) != 0)
        return false;
    res = hx__db_exec_guarded(db, probe, 3, params);
    found = res != NULL && PQntuples(res) >= 1;
    PQclear(res);
    if (!found || path_sql(db, col, p, false, sql, sql_size) != 0)
        return false;
    res = hx__db_exec_guarded(db, sql, 1, params);
    found = res != NULL && PQntuples(res) == 1;
    PQclear(res);
    return found;
}

/* The single-column foreign keys of schema.table, as (column, referenced
 * schema, table, column) rows; NULL when none can be read. */
static PGresult *
foreign_keys(PGconn *db, const char *schema, const char *table)
{
    static const char sql[] =
        "SELECT a.attname, nf.nspname, cf.relname, af.attname FROM pg_constraint k "
        "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_class cf ON cf.oid = k.confrelid "
        "JOIN pg_namespace nf ON nf.oid = cf.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
        "JOIN pg_attribute af ON af.attrelid = k.confrelid AND af.attnum = k.confkey[1] "
        "WHERE k.contype = 'f' AND array_length(k.conkey, 1) = 1 AND n.nspname = $1 "
        "AND c.relname = $2 ORDER BY k.conname";
    const char *params[2] = {schema, table};
    return hx__db_exec_guarded(db, sql, 2, params);
}

/* Tries every way from col to an email (fks: the foreign keys of col's
 * table, NULL when none could be read); fills sql and where on success. */
static bool
column_try(PGconn *db, const struct catalog *c, const struct column *col, const PGresult *fks,
           const char *email, const char *password, char *sql, size_t sql_size, char *where,
           size_t where_size)
{
    const char *own_email = catalog_email_column(c, col->schema, col->table);
    bool found = false;
    static const char *const user_keys[] = {"userId", "user_id", "userid", NULL};
    static const char *const user_tables[] = {"user", "users", NULL};

    if (strcasestr(col->name, "email") != NULL)
        return false; /* an email is not a password, even one that looks like it */
    if (own_email != NULL) {
        struct path p = {.email = own_email};
        if (path_try(db, col, &p, email, password, sql, sql_size)) {
            snprintf(where, where_size, "%s.%s.%s, by its email column %s", col->schema,
                     col->table, col->name, own_email);
            return true;
        }
    }
    for (int i = 0; fks != NULL && i < PQntuples(fks) && !found; i++) {
        struct path p = {.fk = PQgetvalue(fks, i, 0),
                         .ref_schema = PQgetvalue(fks, i, 1),
                         .ref_table = PQgetvalue(fks, i, 2),
                         .ref_key = PQgetvalue(fks, i, 3)};
        p.email = catalog_email_column(c, p.ref_schema, p.ref_table);
        if (p.email != NULL && path_try(db, col, &p, email, password, sql, sql_size)) {
            snprintf(where, where_size, "%s.%s.%s, joined to %s.%s by %s (a foreign key)",
                     col->schema, col->table, col->name, p.ref_schema, p.ref_table, p.fk);
            found = true;
        }
    }
    /* no declared key: a user id column beside a user table of the same schema */
    for (size_t k = 0; !found && user_keys[k] != NULL; k++) {
        if (!catalog_has(c, col->schema, col->table, user_keys[k]))
            continue;
        for (size_t t = 0; !found && user_tables[t] != NULL; t++) {
            struct path p = {.fk = user_keys[k],
                             .ref_schema = col->schema,
                             .ref_table = user_tables[t],
                             .ref_key = "id"};
            p.email = catalog_email_column(c, col->schema, user_tables[t]);
            if (p.email == NULL || !catalog_has(c, col->schema, user_tables[t], "id"))
                continue;
            if (path_try(db, col, &p, email, password, sql, sql_size)) {
                snprintf(where, where_size, "%s.%s.%s, joined to %s.%s by %s (by its name)",
                         col->schema, col->table, col->name, col->schema, user_tables[t],
                         user_keys[k]);
                found = true;
            }
        }
    }
    return found;
}

int
hx__stored_hash_search(PGconn *db, const char *email, const char *password, char *sql,
                       size_t sql_size, char *where, size_t where_size, char *why, size_t why_size)
{
    struct catalog c;
    const struct column *fks_of = NULL; /* the column whose table fks belongs to */
    PGresult *fks = NULL;
    int rc = -1;

    if (catalog_read(db, &c, why, why_size) != 0) {
        catalog_free(&c);
        return -1;
    }
    for (size_t i = 0; i < c.n && rc != 0; i++) {
        const struct column *col = &c.cols[i];
        if (!col->text)
            continue;
        /* the catalog comes table by table: a table's keys are read once */
        if (fks_of == NULL || !same_table(fks_of, col->schema, col->table)) {
            PQclear(fks);
            fks = foreign_keys(db, col->schema, col->table);
            fks_of = col;
        }
        if (column_try(db, &c, col, fks, email, password, sql, sql_size, where, where_size))
            rc = 0;
    }
    PQclear(fks);
    if (rc != 0)
        snprintf(why, why_size,
                 "no column of the %zu columns%s of the database's tables holds a password "
                 "hash (or the password) for the account, reachable from an email column",
                 c.n, c.truncated ? " read (the first 5000)" : "");
    catalog_free(&c);
    return rc;
}
