#ifndef RS_STORE_RATELIMIT_H
#define RS_STORE_RATELIMIT_H
/*
 * Sliding-window rate limit kept in PostgreSQL, so that every authref on one
 * database counts the same attempts (see db/002_rate_limit.sql).
 */
#include "rs/store/db.h"

/* Records an attempt in bucket unless limit attempts already fall in the
 * last window_s seconds. Returns 0 with *retry_after_s = 0 (allowed) or > 0
 * (refused: seconds until a slot frees), or RS_E_DB. */
int rs_store_rate_hit(struct rs_db *db, const char *bucket, long limit, long window_s,
                      long *retry_after_s);

#endif
