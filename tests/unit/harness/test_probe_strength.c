#include <string.h>
#include <time.h>

#include "hx/probes/diag.h"
#include "hx/probes/strength.h"
#include "unit.h"

static void
test_secret_strong_refuses_placeholder_short_and_low_entropy(void)
{
    struct hx_secret_estimate e;
    char why[200];
    const char *random = "Qm8vX2kP9zL4wR7tY1nB6cH3jF5dS0aE-gU_iO";
    const char *hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    hx_secret_estimate(random, strlen(random), &e);
    CU_ASSERT_TRUE(hx_secret_strong(&e, 32, 128, why, sizeof(why)));
    hx_secret_estimate(hex, strlen(hex), &e);
    CU_ASSERT_TRUE(hx_secret_strong(&e, 32, 128, why, sizeof(why)));
    /* a random 32-character hex key (128 bits) passes the default 90 */
    hx_secret_estimate("3f9a0c47e1b25d86a7c4f0e9b13d5a28", 32, &e);
    CU_ASSERT_TRUE(hx_secret_strong(&e, 32, 90, why, sizeof(why)));
    /* a random key with a generic prefix is not a placeholder */
    hx_secret_estimate("secret-key-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", 51, &e);
    CU_ASSERT_FALSE(e.placeholder);
    CU_ASSERT_TRUE(hx_secret_strong(&e, 32, 90, why, sizeof(why)));
    /* a repeated word does not */
    hx_secret_estimate("passwordpasswordpasswordpassword", 32, &e);
    CU_ASSERT_FALSE(hx_secret_strong(&e, 32, 90, why, sizeof(why)));
    hx_secret_estimate("your-secret-key-min-32-chars-change-in-production", 49, &e);
    CU_ASSERT_TRUE(e.placeholder);
    CU_ASSERT_FALSE(hx_secret_strong(&e, 32, 128, why, sizeof(why)));
    hx_secret_estimate("shortkey", 8, &e);
    CU_ASSERT_FALSE(hx_secret_strong(&e, 32, 128, why, sizeof(why)));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "fewer than 32"));
    hx_secret_estimate("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 40, &e);
    CU_ASSERT_FALSE(hx_secret_strong(&e, 32, 128, why, sizeof(why)));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "entropy"));
}

static void
test_bcrypt_hash_ok_checks_prefix_cost_and_plaintext(void)
{
    int cost;
    char why[200];
    const char *h12 = "$2b$12$KIXQJX5x3E1x0w2O7mJvOeX2qW7k8N4o2l4fQ5s9s1vJxqkQy0nG.";
    const char *h10 = "$2b$10$KIXQJX5x3E1x0w2O7mJvOeX2qW7k8N4o2l4fQ5s9s1vJxqkQy0nG.";

    CU_ASSERT_TRUE(hx_bcrypt_hash_ok(h12, "password123", 12, &cost, why, sizeof(why)));
    CU_ASSERT_EQUAL(cost, 12);
    CU_ASSERT_FALSE(hx_bcrypt_hash_ok(h10, "password123", 12, &cost, why, sizeof(why)));
    CU_ASSERT_EQUAL(cost, 10);
    CU_ASSERT_FALSE(hx_bcrypt_hash_ok("password123", "password123", 12, &cost, why, sizeof(why)));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "plain text"));
    CU_ASSERT_FALSE(
        hx_bcrypt_hash_ok("$argon2id$v=19$m=65536,t=3,p=4$abc", NULL, 12, &cost, why, sizeof(why)));
    CU_ASSERT_STRING_EQUAL(why, "argon2id (m=65536,t=3,p=4), not bcrypt as the contract requires");
    /* Better Auth's default: scrypt as salt:key in hex */
    CU_ASSERT_FALSE(hx_bcrypt_hash_ok(
        "0123456789abcdef0123456789abcdef:"
        "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
        "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
        NULL, 12, &cost, why, sizeof(why)));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "a 32-character salt, a 64-byte key"));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "scrypt"));
    CU_ASSERT_FALSE(hx_bcrypt_hash_ok("$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA", NULL, 12, &cost, why,
                                      sizeof(why)));
    CU_ASSERT_STRING_EQUAL(why, "scrypt (ln=16,r=8,p=1), not bcrypt as the contract requires");
    CU_ASSERT_FALSE(hx_bcrypt_hash_ok("$1$abc$def", NULL, 12, &cost, why, sizeof(why)));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "not a bcrypt"));
}

static void
test_diag_reads_http_date_and_names_the_skew(void)
{
    time_t t;
    char text[600];
    CU_ASSERT_EQUAL(hx_diag_http_date("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
    CU_ASSERT_EQUAL(t, 784111777);
    CU_ASSERT_EQUAL(hx_diag_http_date("yesterday", &t), -1);
    hx_diag_text(HX_DIAG_FRESH_EXPIRED, -7200, NULL, text, sizeof(text));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "-7200 s"));
    hx_diag_text(HX_DIAG_SECRET_MISMATCH, 0, NULL, text, sizeof(text));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "BETTER_AUTH_SECRET"));
    hx_diag_text(HX_DIAG_GENUINE_401, 0, "Invalid token", text, sizeof(text));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "Bearer"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "Invalid token"));
    hx_diag_text(HX_DIAG_OWN_403, 0, NULL, text, sizeof(text));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "user_id"));
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_secret_strong_refuses_placeholder_short_and_low_entropy),
        TU_TEST(test_bcrypt_hash_ok_checks_prefix_cost_and_plaintext),
        TU_TEST(test_diag_reads_http_date_and_names_the_skew),
        {NULL, NULL},
    };
    return tu_run_suite("probe_strength", tests);
}
