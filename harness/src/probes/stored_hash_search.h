#ifndef HX_PROBES_STORED_HASH_SEARCH_H
#define HX_PROBES_STORED_HASH_SEARCH_H
/*
 * Where a target's database keeps an account's password, when the profile
 * does not say (no database.password_query, and no table of the profile's
 * names): searched through the catalog, in the caller's read-only
 * transaction. A column qualifies when it holds, for the account, a value
 * shaped as a password hash (bcrypt $2a$/$2b$/$2y$, argon2, scrypt, pbkdf2,
 * or Better Auth's scrypt "salt:key" in hex) or the account's password
 * itself (stored in plain text); the account is found by an email column in
 * the column's own table, or in the table a single-column foreign key (or a
 * column named userId / user_id beside a table with id and email) points
 * to. Only for probes/.
 */
#include <libpq-fe.h>
#include <stddef.h>

/* Runs sql (n_params parameters) under a savepoint, so that an error (a
 * table the role may not read, a name that does not exist) leaves the
 * caller's transaction usable. Returns the result when it has tuples
 * (PQclear by the caller), else NULL. */
PGresult *hx__db_exec_guarded(PGconn *db, const char *sql, int n_params,
                              const char *const *params);

/* Searches db for the column holding the password of the account with this
 * email and password. On success returns 0, writes into sql a SELECT of
 * that column with one parameter, $1 the email (usable for the run's other
 * accounts), and into where what it found ("account.password, joined to
 * \"user\" by \"userId\" (foreign key)"). Returns -1 with why said when no
 * column qualifies or the catalog cannot be read. Each query runs under a
 * savepoint: a table the role may not read is passed over, and the
 * transaction stays usable. */
int hx__stored_hash_search(PGconn *db, const char *email, const char *password, char *sql,
                           size_t sql_size, char *where, size_t where_size, char *why,
                           size_t why_size);

#endif
