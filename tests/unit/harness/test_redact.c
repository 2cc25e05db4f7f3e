#include <stdlib.h>
#include <string.h>

#include "hx/redact.h"
#include "unit.h"

#define ELL "\xe2\x80\xa6"

static char *
redact(struct hx_redactor *r, const char *s)
{
    return hx_redact_text_new(r, s, strlen(s));
}

static void
test_redact_masks_jwt_keeping_six_characters(void)
{
    char *out = redact(NULL, "token eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoiMSJ9.c2lnbmF0dXJl end");
    CU_ASSERT_STRING_EQUAL(out, "token eyJhbG" ELL " end");
    free(out);
}

static void
test_redact_masks_bearer_values_of_any_shape(void)
{
    char *out = redact(NULL, "Authorization: Bearer abcdefghijklmnop, next");
    CU_ASSERT_STRING_EQUAL(out, "Authorization: Bearer abcd" ELL ", next");
    free(out);
}

static void
test_redact_masks_json_secret_fields_but_not_token_type(void)
{
    char *out = redact(NULL, "{\"access_token\": \"abcdefghijklmnopq\", \"token_type\":\"bearer\","
                             "\"password\":\"hunter22\",\"new_password\":\"x\"}");
    CU_ASSERT_STRING_EQUAL(out, "{\"access_token\": \"abcd" ELL "\", \"token_type\":\"bearer\","
                                "\"password\":\"hu" ELL "\",\"new_password\":\"" ELL "\"}");
    free(out);
}

static void
test_redact_masks_key_value_pairs_from_env_files(void)
{
    char *out = redact(NULL, "BETTER_AUTH_SECRET=supersecretvalue123\nDATABASE_URL=x\n"
                             "a=1&password=pw123456&b=2");
    CU_ASSERT_STRING_EQUAL(out, "BETTER_AUTH_SECRET=supe" ELL "\nDATABASE_URL=x\n"
                                "a=1&password=pw" ELL "&b=2");
    free(out);
}

static void
test_redact_masks_registered_literals_anywhere(void)
{
    struct hx_redactor r;
    char *out;

    hx_redactor_init(&r);
    hx_redactor_add(&r, "Xk9pQ2mZ-Aa1");
    hx_redactor_add(&r, "abc"); /* too short to register */
    out = redact(&r, "echo:Xk9pQ2mZ-Aa1! and abc");
    CU_ASSERT_STRING_EQUAL(out, "echo:Xk9p" ELL "! and abc");
    free(out);
    hx_redactor_cleanup(&r);
}

static void
test_redact_headers_keep_scheme_names_and_cookie_attributes(void)
{
    char *a = hx_redact_header_new(NULL, "Authorization", "Bearer eyJhbGciOiJI.eyJzdWIi.sig");
    char *c = hx_redact_header_new(NULL, "Cookie", "access_token=abcdefghijklmnop; theme=darkmode");
    char *s =
        hx_redact_header_new(NULL, "Set-Cookie", "access_token=abcdefghijklmnop; Path=/; HttpOnly");
    char *cleared = hx_redact_header_new(NULL, "Set-Cookie", "access_token=; Max-Age=0");
    char *plain = hx_redact_header_new(NULL, "Content-Type", "application/json");
    char *custom = hx_redact_header_new(NULL, "X-Api-Key", "0123456789abcdef");

    CU_ASSERT_STRING_EQUAL(a, "Bearer eyJhbG" ELL);
    CU_ASSERT_STRING_EQUAL(c, "access_token=abcd" ELL "; theme=da" ELL);
    CU_ASSERT_STRING_EQUAL(s, "access_token=abcd" ELL "; Path=/; HttpOnly");
    CU_ASSERT_STRING_EQUAL(cleared, "access_token=; Max-Age=0");
    CU_ASSERT_STRING_EQUAL(plain, "application/json");
    CU_ASSERT_STRING_EQUAL(custom, "0123" ELL);
    free(a);
    free(c);
    free(s);
    free(cleared);
    free(plain);
    free(custom);
}

static void
test_redact_mask_never_splits_a_multibyte_character(void)
{
    struct cmn_buf b;
    cmn_buf_init(&b, 100);
    hx_redact_mask("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 12, &b);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b), "\xc3\xa9\xc3\xa9" ELL);
    cmn_buf_cleanup(&b);
}

static void
test_redact_leaves_ordinary_text_alone(void)
{
    const char *s = "{\"detail\":\"Invalid credentials\",\"email\":\"a@example.com\"}";
    char *out = redact(NULL, s);
    CU_ASSERT_STRING_EQUAL(out, s);
    free(out);
}

static void
test_redact_learns_credentials_of_any_shape_from_responses(void)
{
    struct hx_redactor r;
    const char *token = "Q7vLp2XwN9cRt4KdZ8mHs3BfY6gJa1Ue"; /* opaque, 32 characters */
    const char *body = "{\"token\":\"Q7vLp2XwN9cRt4KdZ8mHs3BfY6gJa1Ue\",\"user\":{\"id\":\"u1\","
                       "\"session_id\":\"sess-3f9a1c\"},\"list\":[{\"jwt\":\"opaque-jwt-7\"}]}";
    char *out;

    hx_redactor_init(&r);
    CU_ASSERT_EQUAL(hx_redactor_learn_body(&r, body, strlen(body)), 0);
    CU_ASSERT_EQUAL(hx_redactor_learn_header(&r, "Set-Cookie",
                                             "better-auth.session_token=Zk3P9qW2.c2lnbmF0dXJl; "
                                             "Path=/; HttpOnly"),
                    0);
    CU_ASSERT_EQUAL(hx_redactor_learn_header(&r, "set-auth-jwt", "eyJhbGciOiJFZERTQSJ9.e30.c2ln"),
                    0);
    CU_ASSERT_EQUAL(hx_redactor_learn_header(&r, "Content-Type", "application/json"), 0);
    CU_ASSERT_EQUAL(hx_redactor_learn_body(&r, "not json", 8), 0);
    /* quoted out of their context, in a message */
    out = redact(&r, "token: expected a JWT, got \"Q7vLp2XwN9cRt4KdZ8mHs3BfY6gJa1Ue\"; cookie "
                     "Zk3P9qW2.c2lnbmF0dXJl; session sess-3f9a1c; opaque-jwt-7");
    CU_ASSERT_PTR_NULL(strstr(out, token));
    CU_ASSERT_PTR_NULL(strstr(out, "Zk3P9qW2.c2lnbmF0dXJl"));
    CU_ASSERT_PTR_NULL(strstr(out, "sess-3f9a1c"));
    CU_ASSERT_PTR_NULL(strstr(out, "opaque-jwt-7"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Q7vL\xe2\x80\xa6"));
    free(out);
    /* nothing ordinary was learnt */
    out = redact(&r, "application/json u1");
    CU_ASSERT_STRING_EQUAL(out, "application/json u1");
    free(out);
    hx_redactor_cleanup(&r);
}

static void
test_redact_masks_registered_secrets_inside_key_names(void)
{
    struct hx_redactor r;
    const char *secret = "hostile-planted-secret-Wm4Tq8Rz2Kx";
    char *out;

    hx_redactor_init(&r);
    hx_redactor_add(&r, secret);
    out = redact(&r, "{\"secret_hostile-planted-secret-Wm4Tq8Rz2Kx\": \"x\", "
                     "\"hostile-planted-secret-Wm4Tq8Rz2Kx\": 1}");
    CU_ASSERT_PTR_NULL(strstr(out, secret));
    free(out);
    out = redact(&r, "hostile-planted-secret-Wm4Tq8Rz2Kx_token=abc&x=1");
    CU_ASSERT_PTR_NULL(strstr(out, secret));
    free(out);
    out = hx_redact_header_new(&r, "Set-Cookie", "hostile-planted-secret-Wm4Tq8Rz2Kx=1; Path=/");
    CU_ASSERT_PTR_NULL(strstr(out, secret));
    free(out);
    hx_redactor_cleanup(&r);
}

static void
test_redact_leaves_no_secret_where_a_pattern_meets_it(void)
{
    struct hx_redactor r;
    char *out;

    hx_redactor_init(&r);
    /* in the "Bearer " a pattern copies as is */
    CU_ASSERT_EQUAL(hx_redactor_add(&r, "er  "), 0);
    out = redact(&r, "!bearer  \x05u");
    CU_ASSERT_PTR_NULL(strstr(out, "er  "));
    free(out);
    /* across that prefix and the characters a mask keeps */
    CU_ASSERT_EQUAL(hx_redactor_add(&r, "r abc"), 0);
    out = redact(&r, "Authorization: Bearer abcdefghijklmnop");
    CU_ASSERT_PTR_NULL(strstr(out, "r abc"));
    free(out);
    out = hx_redact_header_new(&r, "Authorization", "Bearer abcdefghijklmnop");
    CU_ASSERT_PTR_NULL(strstr(out, "r abc"));
    free(out);
    /* a mask followed by text that completes the secret again */
    CU_ASSERT_EQUAL(hx_redactor_add(&r, "wxyz" ELL "tail-of-it"), 0);
    out = redact(&r, "wxyz" ELL "tail-of-it" "tail-of-it");
    CU_ASSERT_PTR_NULL(strstr(out, "wxyz" ELL "tail-of-it"));
    free(out);
    hx_redactor_cleanup(&r);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_redact_masks_jwt_keeping_six_characters),
        TU_TEST(test_redact_masks_bearer_values_of_any_shape),
        TU_TEST(test_redact_masks_json_secret_fields_but_not_token_type),
        TU_TEST(test_redact_masks_key_value_pairs_from_env_files),
        TU_TEST(test_redact_masks_registered_literals_anywhere),
        TU_TEST(test_redact_headers_keep_scheme_names_and_cookie_attributes),
        TU_TEST(test_redact_mask_never_splits_a_multibyte_character),
        TU_TEST(test_redact_leaves_ordinary_text_alone),
        TU_TEST(test_redact_learns_credentials_of_any_shape_from_responses),
        TU_TEST(test_redact_masks_registered_secrets_inside_key_names),
        TU_TEST(test_redact_leaves_no_secret_where_a_pattern_meets_it),
        {NULL, NULL},
    };
    return tu_run_suite("redact", tests);
}
