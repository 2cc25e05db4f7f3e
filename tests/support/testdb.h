#ifndef TU_TESTDB_H
#define TU_TESTDB_H
/*
 * A database of its own for each test program, in the cluster the ctest
 * fixture started (AUTHCONFORM_TEST_PG names the fixture's pointer file).
 * Databases are named after the test and the process id, so that tests run
 * in parallel (ctest -j) without meeting.
 */

/* Creates a fresh database "t_<name>_<pid>"; *url_out is new (free()), a
 * libpq connection URL to it. Returns 0, or -1 with a message on stderr. */
int tu_testdb_create(const char *name, char **url_out);

/* Drops the database that url names (best effort). */
void tu_testdb_drop(const char *url);

/* Returns new (free()): the URL of the cluster's maintenance database, or
 * NULL with a message on stderr when no cluster is available. */
char *tu_testdb_cluster_url(void);

#endif
