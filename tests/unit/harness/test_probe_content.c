#include <string.h>

#include "hx/probes/content.h"
#include "unit.h"

#define S(x) x, strlen(x)

static void
test_content_leak_spots_traces_sql_and_paths(void)
{
    char what[200];
    CU_ASSERT_FALSE(hx_content_leak(S("{\"detail\":\"Invalid credentials\"}"), what, sizeof(what)));
    CU_ASSERT_TRUE(hx_content_leak(S("Traceback (most recent call last):\n  File \"/app/x.py\""),
                                   what, sizeof(what)));
    CU_ASSERT_PTR_NOT_NULL(strstr(what, "Python"));
    CU_ASSERT_TRUE(hx_content_leak(S("{\"detail\":\"ERROR: duplicate key value violates unique "
                                     "constraint users_email_key\"}"),
                                   what, sizeof(what)));
    CU_ASSERT_PTR_NOT_NULL(strstr(what, "SQL"));
    CU_ASSERT_TRUE(hx_content_leak(S("error in /home/deploy/api/server.js"), what, sizeof(what)));
}

static void
test_content_leak_spots_database_and_driver_errors(void)
{
    char what[200];
    /* what libpq gives for a task id that is not a UUID */
    CU_ASSERT_TRUE(hx_content_leak(S("{\"detail\":\"database error: ERROR:  invalid input syntax "
                                     "for type uuid: \\\"not-a-uuid'\\\"\\n\"}"),
                                   what, sizeof(what)));
    CU_ASSERT_PTR_NOT_NULL(strstr(what, "PostgreSQL"));
    CU_ASSERT_TRUE(hx_content_leak(S("value \"123456789012345678901234567890\" is out of range for "
                                     "type bigint"),
                                   what, sizeof(what)));
    CU_ASSERT_TRUE(hx_content_leak(S("sqlalchemy.exc.DataError: (psycopg2.errors."
                                     "InvalidTextRepresentation)"),
                                   what, sizeof(what)));
    CU_ASSERT_TRUE(
        hx_content_leak(S("{\"error\":\"SQLITE_ERROR: no such column: x\"}"), what, sizeof(what)));
    CU_ASSERT_TRUE(hx_content_leak(S("You have an error in your SQL syntax; check the manual"),
                                   what, sizeof(what)));
    CU_ASSERT_TRUE(
        hx_content_leak(S("org.postgresql.util.PSQLException: ERROR"), what, sizeof(what)));
    /* the short refusals of a careful server say nothing of the database */
    CU_ASSERT_FALSE(hx_content_leak(S("{\"detail\":\"Task not found\"}"), what, sizeof(what)));
    CU_ASSERT_FALSE(
        hx_content_leak(S("{\"detail\":\"Internal server error\"}"), what, sizeof(what)));
    CU_ASSERT_FALSE(
        hx_content_leak(S("{\"detail\":\"Service unavailable, try again\"}"), what, sizeof(what)));
    CU_ASSERT_FALSE(hx_content_leak(S("{\"detail\":\"user_id does not match the token\"}"), what,
                                    sizeof(what)));
}

static void
test_content_secret_finds_env_values_but_not_placeholders_or_html(void)
{
    char what[200];
    CU_ASSERT_TRUE(
        hx_content_secret(S("# backend\nBETTER_AUTH_SECRET=s3cr3t-value\n"), what, sizeof(what)));
    CU_ASSERT_PTR_NOT_NULL(strstr(what, "BETTER_AUTH_SECRET"));
    CU_ASSERT_PTR_NULL(strstr(what, "s3cr3t"));
    CU_ASSERT_TRUE(hx_content_secret(S("export JWT_SECRET=\"abc\"\n"), what, sizeof(what)));
    CU_ASSERT_TRUE(hx_content_secret(S("{\n  \"jwtSecret\": \"abc\"\n}"), what, sizeof(what)));
    CU_ASSERT_TRUE(hx_content_secret(S("DATABASE=postgresql://u:pw@db/x"), what, sizeof(what)));
    CU_ASSERT_TRUE(
        hx_content_secret(S("[core]\n\trepositoryformatversion = 0\n"), what, sizeof(what)));
    CU_ASSERT_TRUE(hx_content_secret(S("-----BEGIN RSA PRIVATE KEY-----\n"), what, sizeof(what)));
    CU_ASSERT_FALSE(hx_content_secret(S("BETTER_AUTH_SECRET=\n"), what, sizeof(what)));
    CU_ASSERT_FALSE(hx_content_secret(S("SECRET_KEY=${SECRET_KEY}\n"), what, sizeof(what)));
    CU_ASSERT_FALSE(
        hx_content_secret(S("<html><script>\n  accessToken: x\n</script>"), what, sizeof(what)));
    CU_ASSERT_FALSE(hx_content_secret(S("{\"detail\":\"Not Found\"}"), what, sizeof(what)));
    /* public front-end keys are not secrets; env-style API keys are */
    CU_ASSERT_FALSE(
        hx_content_secret(S("{\n  \"apiKey\": \"AIzaSyPublic\"\n}"), what, sizeof(what)));
    CU_ASSERT_TRUE(hx_content_secret(S("STRIPE_API_KEY=sk_live_x\n"), what, sizeof(what)));
}

static void
test_content_env_paths_and_committed_secret_lines(void)
{
    CU_ASSERT_TRUE(hx_content_env_path(".env"));
    CU_ASSERT_TRUE(hx_content_env_path("backend/.env.local"));
    CU_ASSERT_TRUE(hx_content_env_path("frontend/.env.production"));
    CU_ASSERT_FALSE(hx_content_env_path(".env.example"));
    CU_ASSERT_FALSE(hx_content_env_path("backend/.env.sample"));
    CU_ASSERT_FALSE(hx_content_env_path("src/env.c"));
    CU_ASSERT_FALSE(hx_content_env_path(".envrc"));
    CU_ASSERT_TRUE(hx_content_secret_assignment(S("BETTER_AUTH_SECRET=Zx81kQ-real-value")));
    CU_ASSERT_TRUE(hx_content_secret_assignment(S("  \"BETTER_AUTH_SECRET\": \"Zx81kQ\",")));
    CU_ASSERT_FALSE(hx_content_secret_assignment(
        S("BETTER_AUTH_SECRET=your-secret-key-min-32-chars-change-in-production")));
    CU_ASSERT_FALSE(hx_content_secret_assignment(S("BETTER_AUTH_SECRET=")));
    CU_ASSERT_FALSE(
        hx_content_secret_assignment(S("SECRET_KEY = os.getenv(\"BETTER_AUTH_SECRET\")")));
    CU_ASSERT_FALSE(hx_content_secret_assignment(S("BETTER_AUTH_SECRET=${BETTER_AUTH_SECRET}")));
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_content_leak_spots_traces_sql_and_paths),
        TU_TEST(test_content_leak_spots_database_and_driver_errors),
        TU_TEST(test_content_secret_finds_env_values_but_not_placeholders_or_html),
        TU_TEST(test_content_env_paths_and_committed_secret_lines),
        {NULL, NULL},
    };
    return tu_run_suite("probe_content", tests);
}
