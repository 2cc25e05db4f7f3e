/* rs_validate: the email and password rules. */
#include <string.h>

#include "rs/error.h"
#include "rs/validate.h"
#include "unit.h"

static void
test_validate_email_trims_and_lowercases(void)
{
    char out[300];
    const char *why = NULL;

    CU_ASSERT(rs_validate_email("  Test.User+tag@Example.COM \t", out, sizeof out, &why) == 0);
    CU_ASSERT_STRING_EQUAL(out, "test.user+tag@example.com");
}

static void
test_validate_email_refuses_malformed_addresses(void)
{
    static const char *const bad[] = {
        "",
        "   ",
        "plain",
        "@example.com",
        "user@",
        "user@localhost",
        "user@@example.com",
        "a b@example.com",
        "user@.example.com",
        "user@example.com.",
        "user@exa..mple.com",
        "user@-example.com",
        "\"quoted\"@example.com",
        "us\xc3\xa9r@example.com",
        "<user@example.com>",
        "user@exam ple.com",
    };
    char out[300], longer[400];
    const char *why = NULL;

    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        why = NULL;
        CU_ASSERT(rs_validate_email(bad[i], out, sizeof out, &why) == RS_E_INVAL);
        CU_ASSERT(why != NULL && strncmp(why, "email: ", 7) == 0);
    }
    memset(longer, 'a', 300);
    strcpy(longer + 300, "@example.com");
    CU_ASSERT(rs_validate_email(longer, out, sizeof out, &why) == RS_E_INVAL);
    CU_ASSERT(strncmp(why, "email: ", 7) == 0);
}

static void
test_validate_password_counts_characters_and_bytes(void)
{
    const char *why = NULL;
    char pw[100];

    CU_ASSERT(rs_validate_password("1234567", &why) == RS_E_INVAL);
    CU_ASSERT_STRING_EQUAL(why, "password: must be at least 8 characters");
    CU_ASSERT(rs_validate_password("12345678", &why) == 0);
    /* Four characters of two bytes: 8 bytes but too few characters. */
    CU_ASSERT(rs_validate_password("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", &why) == RS_E_INVAL);
    memset(pw, 'a', 72);
    pw[72] = '\0';
    CU_ASSERT(rs_validate_password(pw, &why) == 0);
    pw[72] = 'a';
    pw[73] = '\0';
    CU_ASSERT(rs_validate_password(pw, &why) == RS_E_INVAL);
    CU_ASSERT_STRING_EQUAL(why, "password: must be at most 72 bytes");
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_validate_email_trims_and_lowercases),
        TU_TEST(test_validate_email_refuses_malformed_addresses),
        TU_TEST(test_validate_password_counts_characters_and_bytes),
        {NULL, NULL},
    };
    return tu_run_suite("validate", tests);
}
