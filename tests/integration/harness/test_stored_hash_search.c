/* The column that keeps an account's password, searched for in a real
 * PostgreSQL database: in the account's own table, across a foreign key,
 * across a user id column without one, stored in plain text, and nowhere. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../harness/src/probes/stored_hash_search.h"
#include "testdb.h"
#include "unit.h"

#define EMAIL "Alice@Example.com"
#define PASSWORD "correct-horse-battery-9"
#define BCRYPT "$2b$12$C6UzMDM.H6dfI/f/IKxGhuN1Tb0Ol0gMHF9cX8zzbZsaOQTLg8sDq"
#define SCRYPT                                                                                     \
    "9f86d081884c7d659a2feaa0c55ad015:"                                                            \
    "a3bf4f1b2b0b822cd15d6c15b0f00a089f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f0" \
    "0a089f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c"

struct outcome {
    int rc;
    char sql[2048], where[600], why[300];
    int rows;     /* rows the SQL found gives for the email, run again */
    char value[200];
};

/* Makes a database with the statements of setup, then searches it in a
 * read-only transaction, as the bcrypt check does. */
static void
search_in(const char *name, const char *setup, struct outcome *o)
{
    char *url = NULL;
    PGconn *db;
    PGresult *res;

    memset(o, 0, sizeof *o);
    o->rc = -2;
    CU_ASSERT_FATAL(tu_testdb_create(name, &url) == 0);
    db = PQconnectdb(url);
    CU_ASSERT_FATAL(PQstatus(db) == CONNECTION_OK);
    res = PQexec(db, setup);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        fprintf(stderr, "%s: setup: %s", name, PQerrorMessage(db));
    CU_ASSERT_FATAL(PQresultStatus(res) == PGRES_COMMAND_OK);
    PQclear(res);
    PQclear(PQexec(db, "BEGIN TRANSACTION READ ONLY"));
    o->rc = hx__stored_hash_search(db, EMAIL, PASSWORD, o->sql, sizeof o->sql, o->where,
                                   sizeof o->where, o->why, sizeof o->why);
    if (o->rc == 0) {
        const char *params[1] = {"alice@example.com"};
        res = PQexecParams(db, o->sql, 1, NULL, params, NULL, NULL, 0);
        CU_ASSERT_EQUAL(PQresultStatus(res), PGRES_TUPLES_OK);
        o->rows = PQntuples(res);
        if (o->rows > 0)
            snprintf(o->value, sizeof o->value, "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    /* the transaction is still usable after every query the search made */
    res = PQexec(db, "SELECT 1");
    CU_ASSERT_EQUAL(PQresultStatus(res), PGRES_TUPLES_OK);
    PQclear(res);
    PQclear(PQexec(db, "ROLLBACK"));
    PQfinish(db);
    tu_testdb_drop(url);
    free(url);
}

static void
test_search_finds_the_hash_beside_the_email(void)
{
    struct outcome o;
    search_in("hash_same_table",
              "CREATE TABLE notes (title text, body text);"
              "INSERT INTO notes VALUES ('x', '" BCRYPT "');"
              "CREATE TABLE members (id serial, contact_email text, pw_hash varchar(100));"
              "INSERT INTO members (contact_email, pw_hash) VALUES "
              "('alice@example.com', '" BCRYPT "'), ('bob@example.com', '" BCRYPT "');",
              &o);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.where, "public.members.pw_hash, by its email column "
                                          "contact_email"));
    CU_ASSERT_EQUAL(o.rows, 1);
    CU_ASSERT_STRING_EQUAL(o.value, BCRYPT);
}

static void
test_search_follows_a_foreign_key_to_the_email(void)
{
    /* Better Auth's schema: the credential account holds the hash, another
     * provider's account of the same user none */
    struct outcome o;
    search_in("hash_foreign_key",
              "CREATE TABLE \"user\" (id text PRIMARY KEY, name text, email text UNIQUE);"
              "CREATE TABLE account (id text PRIMARY KEY, \"accountId\" text, "
              "\"providerId\" text, \"userId\" text REFERENCES \"user\" (id), password text);"
              "INSERT INTO \"user\" VALUES ('u1', 'Alice', 'alice@example.com'),"
              " ('u2', 'Bob', 'bob@example.com');"
              "INSERT INTO account VALUES ('a1', 'u1', 'credential', 'u1', '" SCRYPT "'),"
              " ('a2', 'gh-7', 'github', 'u1', NULL), ('a3', 'u2', 'credential', 'u2', '" SCRYPT
              "');",
              &o);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(o.where, "public.account.password, joined to public.user by userId (a foreign key)"));
    CU_ASSERT_EQUAL(o.rows, 1);
    CU_ASSERT_STRING_EQUAL(o.value, SCRYPT);
}

static void
test_search_follows_a_user_id_column_without_a_key(void)
{
    struct outcome o;
    search_in("hash_by_name",
              "CREATE TABLE users (id integer, email text);"
              "CREATE TABLE credentials (user_id integer, secret text);"
              "INSERT INTO users VALUES (1, 'alice@example.com'), (2, 'bob@example.com');"
              "INSERT INTO credentials VALUES (1, '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA'),"
              " (2, '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA');",
              &o);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(o.where, "public.credentials.secret, joined to public.users by user_id (by its name)"));
    CU_ASSERT_EQUAL(o.rows, 1);
}

static void
test_search_finds_a_password_kept_in_plain_text(void)
{
    struct outcome o;
    search_in("hash_plain",
              "CREATE TABLE people (email text, nickname text, pass text);"
              "INSERT INTO people VALUES ('alice@example.com', 'al', '" PASSWORD "');",
              &o);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.where, "public.people.pass"));
    CU_ASSERT_STRING_EQUAL(o.value, PASSWORD);
}

static void
test_search_says_when_no_column_holds_it(void)
{
    struct outcome o;
    /* a hash of someone else, and an email column shaped like a hash: neither is the
     * account's password */
    search_in("hash_none",
              "CREATE TABLE users (email text, hashed_password text);"
              "INSERT INTO users VALUES ('bob@example.com', '" BCRYPT "');"
              "CREATE TABLE odd (email text);"
              "INSERT INTO odd VALUES ('$2b$12$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');",
              &o);
    CU_ASSERT_EQUAL(o.rc, -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.why, "no column of the"));
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_search_finds_the_hash_beside_the_email),
        TU_TEST(test_search_follows_a_foreign_key_to_the_email),
        TU_TEST(test_search_follows_a_user_id_column_without_a_key),
        TU_TEST(test_search_finds_a_password_kept_in_plain_text),
        TU_TEST(test_search_says_when_no_column_holds_it),
        {NULL, NULL},
    };
    return tu_run_suite("stored_hash_search", tests);
}
