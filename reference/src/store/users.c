#include "rs/store/users.h"

#include <stdio.h>
#include <string.h>

#include "cmn/text.h"
#include "rs/error.h"
#include "store_int.h"

/* Copies a column into dst; a value that does not fit is an error (never
 * silently cut: a cut hash would never verify, a cut id would name another). */
static int
users_copy(char *dst, size_t size, const PGresult *res, int col)
{
    const char *v = PQgetvalue(res, 0, col);
    size_t n = strlen(v);

    if (n >= size)
        return RS_E_DB;
    memcpy(dst, v, n + 1);
    return 0;
}

static int
users_fill(const PGresult *res, struct rs_user *out)
{
    struct rs_user u;
    int rc;

    memset(&u, 0, sizeof u);
    rc = users_copy(u.id, sizeof u.id, res, 0);
    if (rc == 0)
        rc = users_copy(u.email, sizeof u.email, res, 1);
    u.has_username = !PQgetisnull(res, 0, 2);
    if (rc == 0 && u.has_username)
        rc = users_copy(u.username, sizeof u.username, res, 2);
    u.is_active = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
    if (rc == 0)
        rc = users_copy(u.created_at, sizeof u.created_at, res, 4);
    if (rc == 0)
        rc = users_copy(u.hashed_password, sizeof u.hashed_password, res, 5);
    if (rc == 0)
        *out = u;
    return rc;
}

int
rs_store_user_insert(struct rs_db *db, const char *email, const char *hashed_password,
                     const char *username, struct rs_user *out)
{
    const char *params[3] = {email, hashed_password, username};
    PGresult *res = NULL;
    int rc = rs__db_exec(db, RS_STMT_USER_INSERT, params, &res);

    if (rc == 0)
        rc = PQntuples(res) == 1 ? users_fill(res, out) : RS_E_DB;
    PQclear(res);
    return rc;
}

int
rs_store_user_by_email(struct rs_db *db, const char *email, struct rs_user *out)
{
    const char *params[1] = {email};
    PGresult *res = NULL;
    int rc = rs__db_exec(db, RS_STMT_USER_BY_EMAIL, params, &res);

    if (rc == 0)
        rc = PQntuples(res) == 1 ? users_fill(res, out) : RS_E_NOTFOUND;
    PQclear(res);
    return rc;
}

int
rs_store_user_active(struct rs_db *db, const char *id, bool *active)
{
    const char *params[1] = {id};
    PGresult *res = NULL;
    int rc;

    if (!cmn_text_is_uuid(id))
        return RS_E_NOTFOUND;
    rc = rs__db_exec(db, RS_STMT_USER_ACTIVE, params, &res);
    if (rc == 0) {
        if (PQntuples(res) == 1)
            *active = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
        else
            rc = RS_E_NOTFOUND;
    }
    PQclear(res);
    return rc;
}
