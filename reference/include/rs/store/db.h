#ifndef RS_STORE_DB_H
#define RS_STORE_DB_H
/*
 * A pool of PostgreSQL connections with every statement prepared.
 *
 * Locking: any thread may call these functions; the pool hands each
 * connection to one thread at a time (a libpq connection and its prepared
 * statements are not shared). Connections are made lazily and re-made after
 * they break, so the server recovers by itself when the database comes back.
 */
#include <stdbool.h>

struct rs_db;

/* Returns new (rs_db_free()): a pool of at most size connections to url.
 * Connects nothing yet. */
int rs_db_new(const char *url, unsigned size, struct rs_db **out);
void rs_db_free(struct rs_db *db);

/* Returns 0 when a connection answers a trivial query, else RS_E_DB or
 * RS_E_BUSY (pool exhausted). */
int rs_db_ping(struct rs_db *db);

/* Brings the schema to the newest version (db/NNN_*.sql). Versioned,
 * idempotent, and serialised by an advisory lock so that several servers
 * starting on one database at once apply each migration exactly once. */
int rs_db_migrate(struct rs_db *db);

/* The newest schema version applied, or a negative RS_E_*. */
int rs_db_schema_version(struct rs_db *db);

#ifdef AUTHREF_DEFECTS
/* Defect builds: the text of the last failed statement on this thread
 * (borrowed, thread-local), and SQL run outside the pool. */
const char *rs_db_last_error(void);
int rs_db_defect_exec(struct rs_db *db, const char *sql);
#endif

#endif
