#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/error.h"
#include "hx/jwt.h"
#include "hx/probes/sweep.h"
#include "unit.h"

static char *
token_signed_with(const char *key, size_t key_len)
{
    struct hx_jwt_build b = {.header_json = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                             .payload_json =
                                 "{\"user_id\":\"550e8400-e29b-41d4-a716-446655440000\",\"email\":"
                                 "\"someone@example.com\",\"iat\":1767000000,\"exp\":1767604800}",
                             .sig = HX_JWT_SIG_HMAC,
                             .alg_for_mac = "HS256",
                             .key = key,
                             .key_len = key_len};
    return hx_jwt_build(&b);
}

static const char words[] = "# comment\n"
                            "secret\n"
                            "\n"
                            "changeme\r\n"
                            "mysecret\n"
                            "your-secret-key-min-32-chars-change-in-production\n";

static void
test_sweep_try_agrees_with_openssl_hmac_for_short_and_long_keys(void)
{
    char longkey[100];
    char *tok;
    struct hx_sweep_target t;

    memset(longkey, 'k', sizeof(longkey));
    tok = token_signed_with("short", 5);
    CU_ASSERT_EQUAL_FATAL(hx_sweep_prepare(tok, &t), 0);
    CU_ASSERT_TRUE(hx_sweep_try(&t, "short", 5));
    CU_ASSERT_FALSE(hx_sweep_try(&t, "shorT", 5));
    CU_ASSERT_FALSE(hx_sweep_try(&t, "", 0));
    hx_sweep_target_cleanup(&t);
    free(tok);
    /* keys of 64 bytes and more go through their SHA-256 first */
    for (size_t len = 63; len <= 100; len += 37) {
        tok = token_signed_with(longkey, len);
        CU_ASSERT_EQUAL_FATAL(hx_sweep_prepare(tok, &t), 0);
        CU_ASSERT_TRUE(hx_sweep_try(&t, longkey, len));
        CU_ASSERT_FALSE(hx_sweep_try(&t, longkey, len - 1));
        hx_sweep_target_cleanup(&t);
        free(tok);
    }
    tok = token_signed_with("x", 1);
    CU_ASSERT_EQUAL(hx_sweep_prepare("a.b", &t), CMN_E_INVAL);
    CU_ASSERT_EQUAL(hx_sweep_prepare("e30.e30.c2ln", &t), CMN_E_INVAL); /* 3-byte signature */
    free(tok);
}

static void
test_wordlist_parse_skips_comments_blank_and_crlf(void)
{
    struct hx_wordlist wl;
    CU_ASSERT_EQUAL_FATAL(hx_wordlist_parse(words, strlen(words), &wl), 0);
    CU_ASSERT_EQUAL(wl.n, 4);
    CU_ASSERT_STRING_EQUAL(wl.data + wl.offset[0], "secret");
    CU_ASSERT_STRING_EQUAL(wl.data + wl.offset[1], "changeme");
    CU_ASSERT_EQUAL(wl.length[1], 8);
    hx_wordlist_cleanup(&wl);
}

static void
test_wordlist_load_reads_the_shipped_list(void)
{
    const char *dir = getenv("AUTHCONFORM_DATA_DIR");
    char path[1024];
    struct hx_wordlist wl;
    bool sample = false;

    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    snprintf(path, sizeof(path), "%s/fixtures/wordlists/secrets.txt", dir);
    CU_ASSERT_EQUAL_FATAL(hx_wordlist_load(path, &wl), 0);
    CU_ASSERT(wl.n > 200);
    for (size_t i = 0; i < wl.n; i++)
        if (strcmp(wl.data + wl.offset[i], "your-secret-key-min-32-chars-change-in-production") ==
            0)
            sample = true;
    CU_ASSERT_TRUE(sample);
    hx_wordlist_cleanup(&wl);
    CU_ASSERT_EQUAL(hx_wordlist_load("/nonexistent/words.txt", &wl), CMN_E_IO);
}

static void
test_sweep_rules_build_expected_variants(void)
{
    char out[HX_SWEEP_CAND_MAX + 1];
    char name[96];
    size_t n = hx_sweep_rule_count();
    bool saw_cap = false, saw_2024 = false, saw_leet = false;
    int len;

    for (size_t r = 0; r < n; r++) {
        len = hx_sweep_rule_apply(r, "secret", 6, out);
        if (len < 0)
            continue;
        out[len] = '\0';
        if (strcmp(out, "Secret") == 0)
            saw_cap = true;
        if (strcmp(out, "secret2024") == 0) {
            saw_2024 = true;
            hx_sweep_rule_name(r, name, sizeof(name));
            CU_ASSERT_STRING_EQUAL(name, "appended the number 2024");
        }
        if (strcmp(out, "53cr37") == 0)
            saw_leet = true;
    }
    CU_ASSERT_TRUE(saw_cap);
    CU_ASSERT_TRUE(saw_2024);
    CU_ASSERT_TRUE(saw_leet);
    /* "lowercase" of a lowercase word adds nothing */
    CU_ASSERT_EQUAL(hx_sweep_rule_apply(1, "secret", 6, out), -1);
    CU_ASSERT_EQUAL(hx_sweep_rule_apply(1, "SeCret", 6, out), 6);
}

static void
test_sweep_recovers_mangled_word_and_says_how_without_printing_it(void)
{
    const char *key = "Mysecret123!";
    char *tok = token_signed_with(key, strlen(key));
    struct hx_sweep_target t;
    struct hx_wordlist wl;
    struct hx_sweep_opts o = {.threads = 2, .short_max = 2, .rules = true};
    struct hx_sweep_result r;
    char text[400];

    CU_ASSERT_EQUAL_FATAL(hx_sweep_prepare(tok, &t), 0);
    CU_ASSERT_EQUAL_FATAL(hx_wordlist_parse(words, strlen(words), &wl), 0);
    CU_ASSERT_EQUAL_FATAL(hx_sweep_run(&t, &wl, &o, &r), 0);
    CU_ASSERT_TRUE(r.found);
    CU_ASSERT_FALSE(r.by_short);
    CU_ASSERT_EQUAL(r.word, 2);
    CU_ASSERT_STRING_EQUAL(r.secret, key);
    CU_ASSERT(r.candidates > 0);
    hx_sweep_describe(&r, &wl, text, sizeof(text));
    CU_ASSERT_PTR_NULL(strstr(text, key));
    CU_ASSERT_PTR_NULL(strstr(text, "Mysecret"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "12-character"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "capitalized, appended \"123!\""));
    hx_wordlist_cleanup(&wl);
    hx_sweep_target_cleanup(&t);
    free(tok);
}

static void
test_sweep_finds_short_keys_and_misses_random_ones(void)
{
    char *tok = token_signed_with("k9z", 3);
    struct hx_sweep_target t;
    struct hx_sweep_opts o = {.threads = 2, .short_max = 3, .rules = true};
    struct hx_sweep_result r;
    struct hx_wordlist wl;

    CU_ASSERT_EQUAL_FATAL(hx_sweep_prepare(tok, &t), 0);
    CU_ASSERT_EQUAL_FATAL(hx_sweep_run(&t, NULL, &o, &r), 0);
    CU_ASSERT_TRUE(r.found);
    CU_ASSERT_TRUE(r.by_short);
    CU_ASSERT_STRING_EQUAL(r.secret, "k9z");
    hx_sweep_target_cleanup(&t);
    free(tok);

    const char *strong = "q8Vt3-Lk_2xPz9Rr0aWm7YbN4cHs6JdE1fUg5";
    tok = token_signed_with(strong, strlen(strong));
    CU_ASSERT_EQUAL_FATAL(hx_sweep_prepare(tok, &t), 0);
    CU_ASSERT_EQUAL_FATAL(hx_wordlist_parse(words, strlen(words), &wl), 0);
    o.short_max = 2;
    CU_ASSERT_EQUAL_FATAL(hx_sweep_run(&t, &wl, &o, &r), 0);
    CU_ASSERT_FALSE(r.found);
    /* every word x rule that applies, plus 36 + 36*36 short keys */
    CU_ASSERT(r.candidates > 36 + 36 * 36 + 4 * 10000);
    CU_ASSERT(r.per_second > 0);
    hx_wordlist_cleanup(&wl);
    hx_sweep_target_cleanup(&t);
    free(tok);
}

/* A Better Auth session cookie: "<value>.<standard base64 HMAC-SHA256>",
 * percent-encoded as its Set-Cookie and set-auth-token carry it. */
static void
test_signed_session_value_is_swept_like_a_token(void)
{
    static const char value[] = "Q7vLp2XwN9cRt4KdZ8mHs3BfY6gJa1Ue";
    static const char key[] = "your-secret-key-min-32-chars-change-in-production";
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char mac[64];
    size_t mac_len = 0, o;
    char std[64], text[256];
    struct hx_sweep_target t;

    CU_ASSERT_EQUAL_FATAL(hx_jwt_hmac("HS256", key, strlen(key), value, strlen(value), mac,
                                      &mac_len), 0);
    CU_ASSERT_EQUAL_FATAL(mac_len, 32);
    /* standard base64 with its padding: 44 characters */
    o = 0;
    for (size_t i = 0; i < 32; i += 3) {
        unsigned v = (unsigned)mac[i] << 16 | (i + 1 < 32 ? (unsigned)mac[i + 1] << 8 : 0) |
                     (i + 2 < 32 ? mac[i + 2] : 0);
        std[o++] = b64[(v >> 18) & 63];
        std[o++] = b64[(v >> 12) & 63];
        std[o++] = i + 1 < 32 ? b64[(v >> 6) & 63] : '=';
        std[o++] = i + 2 < 32 ? b64[v & 63] : '=';
    }
    std[o] = '\0';
    CU_ASSERT_EQUAL_FATAL(o, 44);
    /* percent-encoded, as the cookie carries it */
    o = (size_t)snprintf(text, sizeof text, "%s.", value);
    for (const char *p = std; *p != '\0'; p++)
        o += (size_t)snprintf(text + o, sizeof text - o, *p == '+' ? "%%2B" : *p == '/' ? "%%2F"
                                                                  : *p == '=' ? "%%3D"
                                                                              : "%c",
                              *p);
    CU_ASSERT_EQUAL_FATAL(hx_sweep_prepare_signed_value(text, &t), 0);
    CU_ASSERT_TRUE(hx_sweep_try(&t, key, strlen(key)));
    CU_ASSERT_FALSE(hx_sweep_try(&t, "another-secret", 14));
    hx_sweep_target_cleanup(&t);
    /* and as it is, not encoded */
    snprintf(text, sizeof text, "%s.%s", value, std);
    CU_ASSERT_EQUAL_FATAL(hx_sweep_prepare_signed_value(text, &t), 0);
    CU_ASSERT_TRUE(hx_sweep_try(&t, key, strlen(key)));
    hx_sweep_target_cleanup(&t);
    /* no such shape: an opaque value, a JWT, a short tag */
    CU_ASSERT_EQUAL(hx_sweep_prepare_signed_value(value, &t), CMN_E_INVAL);
    CU_ASSERT_EQUAL(hx_sweep_prepare_signed_value("eyJhbGciOiJIUzI1NiJ9.e30.c2ln", &t),
                    CMN_E_INVAL);
    CU_ASSERT_EQUAL(hx_sweep_prepare_signed_value("abc.c2hvcnQ=", &t), CMN_E_INVAL);
    CU_ASSERT_EQUAL(hx_sweep_prepare_signed_value(NULL, &t), CMN_E_INVAL);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_sweep_try_agrees_with_openssl_hmac_for_short_and_long_keys),
        TU_TEST(test_wordlist_parse_skips_comments_blank_and_crlf),
        TU_TEST(test_wordlist_load_reads_the_shipped_list),
        TU_TEST(test_sweep_rules_build_expected_variants),
        TU_TEST(test_sweep_recovers_mangled_word_and_says_how_without_printing_it),
        TU_TEST(test_sweep_finds_short_keys_and_misses_random_ones),
        TU_TEST(test_signed_session_value_is_swept_like_a_token),
        {NULL, NULL},
    };
    return tu_run_suite("probe_sweep", tests);
}
