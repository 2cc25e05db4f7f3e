#include "rs/store/tasks.h"

#include <string.h>

#include "rs/error.h"
#include "store_int.h"

/* Returns new: the task in row i of res, its columns from column c on. */
static json_t *
tasks_row(const PGresult *res, int i, int c)
{
    json_t *t = json_object();
    json_t *desc;

    if (t == NULL)
        return NULL;
    desc = PQgetisnull(res, i, c + 3) ? json_null() : json_string(PQgetvalue(res, i, c + 3));
    if (json_object_set_new(t, "id", json_string(PQgetvalue(res, i, c))) != 0 ||
        json_object_set_new(t, "user_id", json_string(PQgetvalue(res, i, c + 1))) != 0 ||
        json_object_set_new(t, "title", json_string(PQgetvalue(res, i, c + 2))) != 0 ||
        json_object_set_new(t, "description", desc) != 0 ||
        json_object_set_new(t, "completed",
                            json_boolean(strcmp(PQgetvalue(res, i, c + 4), "t") == 0)) != 0 ||
        json_object_set_new(t, "created_at", json_string(PQgetvalue(res, i, c + 5))) != 0 ||
        json_object_set_new(t, "updated_at", json_string(PQgetvalue(res, i, c + 6))) != 0) {
        json_decref(t);
        return NULL;
    }
    return t;
}

/* The owner's account as a read statement reports it (see statements.c):
 * 0 when it exists and is active. */
static int
tasks_account(const PGresult *res)
{
    if (PQntuples(res) == 0)
        return RS_E_ACCOUNT_UNKNOWN;
    return strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? 0 : RS_E_ACCOUNT_INACTIVE;
}

/* Runs a statement that returns at most one task. */
static int
tasks_one(struct rs_db *db, enum rs_stmt stmt, const char *const *params, json_t **out)
{
    PGresult *res = NULL;
    int rc = rs__db_exec(db, stmt, params, &res);
    json_t *t;

    if (rc == 0) {
        if (PQntuples(res) != 1) {
            rc = RS_E_NOTFOUND;
        } else if ((t = tasks_row(res, 0, 0)) == NULL) {
            rc = RS_E_NOMEM;
        } else {
            *out = t;
        }
    }
    PQclear(res);
    return rc;
}

int
rs_store_task_list(struct rs_db *db, const char *user_id, json_t **out)
{
    const char *params[1] = {user_id};
    PGresult *res = NULL;
    json_t *arr = NULL;
    int rc = rs__db_exec(db, RS_STMT_TASK_LIST, params, &res);

    if (rc != 0 || (rc = tasks_account(res)) != 0)
        goto cleanup;
    arr = json_array();
    if (arr == NULL) {
        rc = RS_E_NOMEM;
        goto cleanup;
    }
    for (int i = 0; i < PQntuples(res); i++) {
        if (PQgetisnull(res, i, 1))
            continue; /* the account's row of the LEFT JOIN: no task */
        if (json_array_append_new(arr, tasks_row(res, i, 1)) != 0) {
            rc = RS_E_NOMEM;
            goto cleanup;
        }
    }
    *out = arr;
    arr = NULL;
cleanup:
    json_decref(arr);
    PQclear(res);
    return rc;
}

int
rs_store_task_insert(struct rs_db *db, const char *user_id, const struct rs_task_fields *f,
                     json_t **out)
{
    const char *params[4] = {user_id, f->title, f->has_description ? f->description : NULL,
                             f->has_completed && f->completed ? "true" : "false"};
    return tasks_one(db, RS_STMT_TASK_INSERT, params, out);
}

int
rs_store_task_get(struct rs_db *db, const char *user_id, const char *task_id, json_t **out)
{
    const char *params[2] = {user_id, task_id};
    PGresult *res = NULL;
    json_t *t;
    int rc = rs__db_exec(db, RS_STMT_TASK_GET, params, &res);

    if (rc == 0 && (rc = tasks_account(res)) == 0) {
        if (PQgetisnull(res, 0, 1))
            rc = RS_E_NOTFOUND;
        else if ((t = tasks_row(res, 0, 1)) == NULL)
            rc = RS_E_NOMEM;
        else
            *out = t;
    }
    PQclear(res);
    return rc;
}

int
rs_store_task_replace(struct rs_db *db, const char *user_id, const char *task_id,
                      const struct rs_task_fields *f, json_t **out)
{
    const char *params[5] = {user_id, task_id, f->title, f->has_description ? f->description : NULL,
                             f->has_completed && f->completed ? "true" : "false"};
    return tasks_one(db, RS_STMT_TASK_REPLACE, params, out);
}

int
rs_store_task_patch(struct rs_db *db, const char *user_id, const char *task_id,
                    const struct rs_task_fields *f, json_t **out)
{
    const char *params[6] = {user_id,
                             task_id,
                             f->has_title ? f->title : NULL,
                             f->has_description ? "true" : "false",
                             f->has_description ? f->description : NULL,
                             f->has_completed ? (f->completed ? "true" : "false") : NULL};
    return tasks_one(db, RS_STMT_TASK_PATCH, params, out);
}

int
rs_store_task_delete(struct rs_db *db, const char *user_id, const char *task_id)
{
    const char *params[2] = {user_id, task_id};
    PGresult *res = NULL;
    int rc = rs__db_exec(db, RS_STMT_TASK_DELETE, params, &res);

    if (rc == 0 && strcmp(PQcmdTuples(res), "1") != 0)
        rc = RS_E_NOTFOUND;
    PQclear(res);
    return rc;
}
