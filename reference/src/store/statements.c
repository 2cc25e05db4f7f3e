/* Every SQL statement the server runs, prepared on each connection. */
#include "store_int.h"

const struct rs_stmt_def rs__stmts[RS_STMT_COUNT_] = {
    [RS_STMT_PING] = {"ping", "SELECT 1", 0, true},
    [RS_STMT_USER_INSERT] = {"user_insert",
                             "INSERT INTO users (email, hashed_password, username) "
                             "VALUES ($1, $2, $3) RETURNING " RS__USER_COLUMNS,
                             3, false},
    [RS_STMT_USER_BY_EMAIL] = {"user_by_email",
                               "SELECT " RS__USER_COLUMNS
                               " FROM users WHERE lower(email) = lower($1)",
                               1, true},
    [RS_STMT_USER_ACTIVE] = {"user_active", "SELECT is_active FROM users WHERE id = $1::uuid", 1,
                             true},
    /* The reads check the owner's account in the same round trip: no row
     * at all = no such user; otherwise column 0 says whether it is active
     * and a NULL task id means no task (LEFT JOIN). */
    [RS_STMT_TASK_LIST] = {"task_list",
                           "SELECT u.is_active, " RS__TASK_COLUMNS_OF("t.")
                           " FROM users u LEFT JOIN tasks t ON t.user_id = u.id"
                           " WHERE u.id = $1::uuid ORDER BY t.created_at, t.id",
                           1, true},
    [RS_STMT_TASK_INSERT] = {"task_insert",
                             "INSERT INTO tasks (user_id, title, description, completed) "
                             "VALUES ($1::uuid, $2, $3, $4::boolean) RETURNING " RS__TASK_COLUMNS,
                             4, false},
    [RS_STMT_TASK_GET] = {"task_get",
                          "SELECT u.is_active, " RS__TASK_COLUMNS_OF("t.")
                          " FROM users u LEFT JOIN tasks t"
                          " ON t.user_id = u.id AND t.id = $2::uuid WHERE u.id = $1::uuid",
                          2, true},
    [RS_STMT_TASK_REPLACE] =
        {"task_replace",
         "UPDATE tasks SET title = $3, description = $4, "
         "completed = $5::boolean, updated_at = now() "
         "WHERE id = $2::uuid AND user_id = $1::uuid RETURNING " RS__TASK_COLUMNS,
         5, false},
    [RS_STMT_TASK_PATCH] =
        {"task_patch",
         "UPDATE tasks SET title = COALESCE($3, title), "
         "description = CASE WHEN $4::boolean THEN $5 ELSE description END, "
         "completed = COALESCE($6::boolean, completed), updated_at = now() "
         "WHERE id = $2::uuid AND user_id = $1::uuid RETURNING " RS__TASK_COLUMNS,
         6, false},
    [RS_STMT_TASK_DELETE] = {"task_delete",
                             "DELETE FROM tasks WHERE id = $2::uuid AND user_id = $1::uuid", 2,
                             false},
    [RS_STMT_RATE_HIT] = {"rate_hit", "SELECT rs_rate_limit_hit($1, $2::integer, $3::integer)", 3,
                          false},
};
