#include "rs/store/ratelimit.h"

#include <stdio.h>
#include <stdlib.h>

#include "rs/error.h"
#include "store_int.h"

int
rs_store_rate_hit(struct rs_db *db, const char *bucket, long limit, long window_s,
                  long *retry_after_s)
{
    char lim[24], win[24];
    const char *params[3] = {bucket, lim, win};
    PGresult *res = NULL;
    int rc;

    snprintf(lim, sizeof lim, "%ld", limit);
    snprintf(win, sizeof win, "%ld", window_s);
    rc = rs__db_exec(db, RS_STMT_RATE_HIT, params, &res);
    if (rc == 0) {
        if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
            *retry_after_s = strtol(PQgetvalue(res, 0, 0), NULL, 10);
        else
            rc = RS_E_DB;
    }
    PQclear(res);
    return rc;
}
