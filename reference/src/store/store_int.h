#ifndef RS_STORE_INT_H
#define RS_STORE_INT_H
/* Shared by the files of src/store only: the prepared statements and how to run them. */
#include <libpq-fe.h>
#include <stdbool.h>

#include "rs/store/db.h"

enum rs_stmt {
    RS_STMT_PING,
    RS_STMT_USER_INSERT,
    RS_STMT_USER_BY_EMAIL,
    RS_STMT_USER_ACTIVE,
    RS_STMT_TASK_LIST,
    RS_STMT_TASK_INSERT,
    RS_STMT_TASK_GET,
    RS_STMT_TASK_REPLACE,
    RS_STMT_TASK_PATCH,
    RS_STMT_TASK_DELETE,
    RS_STMT_RATE_HIT,
    RS_STMT_COUNT_
};

struct rs_stmt_def {
    const char *name;
    const char *sql;
    int nparams;
    bool retry; /* safe to run again after the connection broke (no writes) */
};

/* The table of every statement, indexed by enum rs_stmt. */
extern const struct rs_stmt_def rs__stmts[RS_STMT_COUNT_];

/* Runs statement stmt with text parameters (NULL = SQL NULL) on a pooled
 * connection. Returns 0 with *out new (PQclear()) holding the rows,
 * RS_E_CONFLICT on a unique violation, RS_E_DB on any other failure,
 * RS_E_BUSY when no connection came free in time. */
int rs__db_exec(struct rs_db *db, enum rs_stmt stmt, const char *const *params, PGresult **out);

/* Borrowed: the URL the pool connects to (for connections outside it). */
const char *rs__db_url(const struct rs_db *db);

/* The columns of a task row, in the order every task statement returns them;
 * p is the table's qualifier ("" or "t."). */
#define RS__TASK_COLUMNS_OF(p)                                                                     \
    p "id::text, " p "user_id::text, " p "title, " p "description, " p "completed, "               \
      "to_char(" p "created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "            \
      "to_char(" p "updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define RS__TASK_COLUMNS RS__TASK_COLUMNS_OF("")
#define RS__USER_COLUMNS                                                                           \
    "id::text, email, username, is_active, "                                                       \
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "                   \
    "hashed_password"

#endif
