/* rs_token: issue and verify, and every way verification must refuse. */
#include <jwt.h>
#include <limits.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "rs/error.h"
#include "rs/token.h"
#include "unit.h"

#define SECRET "unit-secret-9f8e7d6c5b4a39281706f5e4"
#define UID "7b0c1a52-2f1e-4d3c-9a8b-1c2d3e4f5a6b"
#define NOW 1800000000L

static const struct rs_token_key key = {(const unsigned char *)SECRET, sizeof SECRET - 1};

/* Returns new: header.claims signed with HMAC-SHA(bits) under secret. */
static char *
forge(const char *header, const char *claims, const char *secret, int bits)
{
    char *h = cmn_b64url_encode_new(header, strlen(header));
    char *c = cmn_b64url_encode_new(claims, strlen(claims));
    char signing[2048], *sig, *out = malloc(4096);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    const EVP_MD *md = bits == 512 ? EVP_sha512() : bits == 384 ? EVP_sha384() : EVP_sha256();

    snprintf(signing, sizeof signing, "%s.%s", h, c);
    HMAC(md, secret, (int)strlen(secret), (unsigned char *)signing, strlen(signing), mac, &len);
    sig = cmn_b64url_encode_new(mac, len);
    snprintf(out, 4096, "%s.%s", signing, secret[0] ? sig : "");
    free(h);
    free(c);
    free(sig);
    return out;
}

static int
verify(const char *token, struct rs_token_claims *c)
{
    return rs_token_verify(&key, token, NOW, 60, c);
}

static void
test_token_issue_then_verify_gives_the_claims_back(void)
{
    char *tok = NULL;
    struct rs_token_claims c;

    CU_ASSERT_FATAL(rs_token_issue(&key, UID, "a@example.com", NOW, 7 * 86400, &tok) == 0);
    CU_ASSERT(verify(tok, &c) == 0);
    CU_ASSERT_STRING_EQUAL(c.user_id, UID);
    CU_ASSERT_STRING_EQUAL(c.email, "a@example.com");
    CU_ASSERT(c.iat == NOW);
    CU_ASSERT(c.exp == NOW + 7 * 86400);
    free(tok);
}

static void
test_issued_token_decodes_with_libjwt_as_hs256_with_the_same_claims(void)
{
    char *tok = NULL;
    jwt_t *jwt = NULL;

    CU_ASSERT_FATAL(rs_token_issue(&key, UID, "a@example.com", NOW, 7 * 86400, &tok) == 0);
    CU_ASSERT_FATAL(jwt_decode(&jwt, tok, (const unsigned char *)SECRET, sizeof SECRET - 1) == 0);
    CU_ASSERT(jwt_get_alg(jwt) == JWT_ALG_HS256);
    CU_ASSERT_STRING_EQUAL(jwt_get_grant(jwt, "user_id"), UID);
    CU_ASSERT(jwt_get_grant_int(jwt, "exp") == NOW + 7 * 86400);
    jwt_free(jwt);
    /* The issued header is the one verification knows without parsing. */
    CU_ASSERT(strncmp(tok, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 37) == 0);
    free(tok);
}

static void
test_token_verify_accepts_any_spelling_of_the_hs256_header(void)
{
    const char *headers[] = {"{\"typ\":\"JWT\",\"alg\":\"HS256\"}", "{\"alg\":\"HS256\"}",
                             "{ \"alg\" : \"HS256\" , \"typ\" : \"JWT\" }"};
    const char *claims = "{\"user_id\":\"" UID "\",\"exp\":1800003600}";
    struct rs_token_claims c;

    for (size_t i = 0; i < sizeof headers / sizeof *headers; i++) {
        char *tok = forge(headers[i], claims, SECRET, 256);
        CU_ASSERT(verify(tok, &c) == 0);
        free(tok);
        /* ... and the same header under another key is refused. */
        tok = forge(headers[i], claims, "another-secret-of-enough-length-1234", 256);
        CU_ASSERT(verify(tok, &c) == RS_E_TOKEN);
        free(tok);
    }
}

static void
test_token_verify_fails_on_expired_token_after_skew(void)
{
    char *tok = NULL;
    struct rs_token_claims c;

    CU_ASSERT_FATAL(rs_token_issue(&key, UID, "a@example.com", NOW - 1000, 900, &tok) == 0);
    /* exp = NOW - 100: beyond 60 s of skew. */
    CU_ASSERT(rs_token_verify(&key, tok, NOW, 60, &c) == RS_E_EXPIRED);
    /* With 120 s of skew it still counts. */
    CU_ASSERT(rs_token_verify(&key, tok, NOW, 120, &c) == 0);
    free(tok);
}

static void
test_token_verify_refuses_every_other_algorithm(void)
{
    static const char *const headers[] = {
        "{\"alg\":\"none\",\"typ\":\"JWT\"}",
        "{\"alg\":\"NoNe\"}",
        "{\"alg\":\"HS384\",\"typ\":\"JWT\"}",
        "{\"alg\":\"HS512\",\"typ\":\"JWT\"}",
        "{\"alg\":\"RS256\"}",
        "{\"alg\":\"ES256\"}",
        "{\"alg\":\"PS256\"}",
        "{\"typ\":\"JWT\"}",
        "{\"alg\":null}",
        "{\"alg\":\"HS256 \"}",
    };
    const char *claims = "{\"user_id\":\"" UID "\",\"exp\":1800003600}";
    struct rs_token_claims c;

    for (size_t i = 0; i < sizeof headers / sizeof *headers; i++) {
        int bits = strstr(headers[i], "384") ? 384 : strstr(headers[i], "512") ? 512 : 256;
        char *tok = forge(headers[i], claims, SECRET, bits);
        CU_ASSERT(verify(tok, &c) == RS_E_TOKEN);
        free(tok);
        tok = forge(headers[i], claims, "", 256);
        CU_ASSERT(verify(tok, &c) == RS_E_TOKEN);
        free(tok);
    }
}

static void
test_token_verify_refuses_hs512_even_though_libjwt_accepts_it(void)
{
    jwt_t *jwt = NULL;
    char *tok;
    struct rs_token_claims c;

    jwt_new(&jwt);
    jwt_add_grant(jwt, "user_id", UID);
    jwt_add_grant_int(jwt, "exp", NOW + 3600);
    jwt_set_alg(jwt, JWT_ALG_HS512, (const unsigned char *)SECRET, sizeof SECRET - 1);
    tok = jwt_encode_str(jwt);
    jwt_free(jwt);
    CU_ASSERT_FATAL(tok != NULL);
    CU_ASSERT(verify(tok, &c) == RS_E_TOKEN);
    free(tok);
}

static void
test_token_verify_fails_on_wrong_key_or_tampering(void)
{
    const char *claims = "{\"user_id\":\"" UID "\",\"exp\":1800003600}";
    char *tok = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims,
                      "another-key-0123456789abcdefghij", 256);
    char *good = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, SECRET, 256);
    struct rs_token_claims c;
    char *dot;

    CU_ASSERT(verify(tok, &c) == RS_E_TOKEN);
    CU_ASSERT(verify(good, &c) == 0);
    /* Flip one signature character. */
    dot = strrchr(good, '.');
    dot[3] = dot[3] == 'A' ? 'B' : 'A';
    CU_ASSERT(verify(good, &c) == RS_E_TOKEN);
    /* Truncated, extra segment, empty. */
    dot[0] = '\0';
    CU_ASSERT(verify(good, &c) == RS_E_TOKEN);
    CU_ASSERT(verify("a.b.c.d", &c) == RS_E_TOKEN);
    CU_ASSERT(verify("", &c) == RS_E_TOKEN);
    CU_ASSERT(verify("..", &c) == RS_E_TOKEN);
    free(tok);
    free(good);
}

static void
test_token_verify_requires_exp_and_uuid_user_id(void)
{
    static const char *const claims[] = {
        "{\"user_id\":\"" UID "\"}",
        "{\"exp\":1800003600}",
        "{\"user_id\":\"" UID "\",\"exp\":\"1800003600\"}",
        "{\"user_id\":\"" UID "\",\"exp\":1800003600.5}",
        "{\"user_id\":42,\"exp\":1800003600}",
        "{\"user_id\":\"admin\",\"exp\":1800003600}",
        "{\"user_id\":\"" UID "\",\"exp\":1800003600,\"iat\":1800000600}", /* iat in the future */
        "{\"user_id\":\"" UID "\",\"exp\":1800003600,\"iat\":\"now\"}",
        "{\"user_id\":\"" UID "\",\"user_id\":\"" UID "\",\"exp\":1800003600}",
        "[1]",
        "not json",
    };
    struct rs_token_claims c;

    for (size_t i = 0; i < sizeof claims / sizeof *claims; i++) {
        char *tok = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims[i], SECRET, 256);
        if (verify(tok, &c) != RS_E_TOKEN)
            fprintf(stderr, "\n    accepted claims %s\n", claims[i]);
        CU_ASSERT(verify(tok, &c) == RS_E_TOKEN);
        free(tok);
    }
}

static void
test_token_verify_with_empty_key_refuses_everything(void)
{
    struct rs_token_key empty = {(const unsigned char *)"", 0};
    struct rs_token_claims c;
    char *tok =
        forge("{\"alg\":\"HS256\"}", "{\"user_id\":\"" UID "\",\"exp\":1800003600}", "", 256);

    CU_ASSERT(rs_token_verify(&empty, tok, NOW, 60, &c) == RS_E_TOKEN);
    free(tok);
}

/* Returns what verify() says of valid HS256 claims (JSON text). */
static int
verify_claims(const char *claims, time_t now, struct rs_token_claims *c)
{
    char *tok = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, SECRET, 256);
    int rc = rs_token_verify(&key, tok, now, 60, c);

    free(tok);
    return rc;
}

static void
test_token_verify_accepts_exp_within_the_skew_of_int64_max(void)
{
    /* exp + 60 s of skew is past INT64_MAX for each: a token valid for ever,
     * not one that expired in 1970 (nor undefined behaviour). */
    const long long exps[] = {INT64_MAX, INT64_MAX - 1, INT64_MAX - 59};
    char claims[160];
    struct rs_token_claims c;

    for (size_t i = 0; i < sizeof exps / sizeof *exps; i++) {
        snprintf(claims, sizeof claims, "{\"user_id\":\"" UID "\",\"exp\":%lld}", exps[i]);
        CU_ASSERT(verify_claims(claims, NOW, &c) == 0);
        CU_ASSERT(c.exp == exps[i]);
        /* ... also with an iat, and with the clock itself near the end. */
        snprintf(claims, sizeof claims, "{\"user_id\":\"" UID "\",\"iat\":%ld,\"exp\":%lld}", NOW,
                 exps[i]);
        CU_ASSERT(verify_claims(claims, NOW, &c) == 0);
        CU_ASSERT(verify_claims(claims, (time_t)(INT64_MAX - 10), &c) == 0);
    }
}

static void
test_token_verify_says_expired_for_exp_at_int64_min(void)
{
    char claims[160];
    struct rs_token_claims c;

    snprintf(claims, sizeof claims, "{\"user_id\":\"" UID "\",\"exp\":%lld}", (long long)INT64_MIN);
    CU_ASSERT(verify_claims(claims, NOW, &c) == RS_E_EXPIRED);
    snprintf(claims, sizeof claims, "{\"user_id\":\"" UID "\",\"exp\":-1}");
    CU_ASSERT(verify_claims(claims, NOW, &c) == RS_E_EXPIRED);
}

static void
test_token_verify_refuses_iat_before_the_epoch_or_in_the_future(void)
{
    static const struct {
        long long iat;
        int rc;
    } cases[] = {
        {-1, RS_E_TOKEN},
        {INT64_MIN, RS_E_TOKEN},
        {INT64_MAX, RS_E_TOKEN},
        {INT64_MAX - 1, RS_E_TOKEN},
        {NOW + 61, RS_E_TOKEN},
        {NOW + 60, 0}, /* within the skew */
        {NOW, 0},
        {0, 0},
    };
    char claims[200];
    struct rs_token_claims c;

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(claims, sizeof claims, "{\"user_id\":\"" UID "\",\"iat\":%lld,\"exp\":%lld}",
                 cases[i].iat, (long long)INT64_MAX);
        if (verify_claims(claims, NOW, &c) != cases[i].rc)
            fprintf(stderr, "\n    iat %lld: expected %d\n", cases[i].iat, cases[i].rc);
        CU_ASSERT(verify_claims(claims, NOW, &c) == cases[i].rc);
    }
    /* A clock at the end of time: now + skew must not overflow either. */
    snprintf(claims, sizeof claims, "{\"user_id\":\"" UID "\",\"iat\":%lld,\"exp\":%lld}",
             (long long)INT64_MAX, (long long)INT64_MAX);
    CU_ASSERT(verify_claims(claims, (time_t)(INT64_MAX - 10), &c) == 0);
}

static void
test_token_verify_refuses_exp_and_iat_that_are_not_int64_integers(void)
{
    static const char *const values[] = {
        "1800003600.0",
        "1.8000036e9",
        "\"1800003600\"",
        "9223372036854775807.0",
        "9223372036854775808",
        "-9223372036854775809",
        "1e400",
        "true",
        "null",
        "[1800003600]",
        "{}",
    };
    char claims[200];
    struct rs_token_claims c;

    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        snprintf(claims, sizeof claims, "{\"user_id\":\"" UID "\",\"exp\":%s}", values[i]);
        CU_ASSERT(verify_claims(claims, NOW, &c) == RS_E_TOKEN);
        snprintf(claims, sizeof claims, "{\"user_id\":\"" UID "\",\"iat\":%s,\"exp\":%ld}",
                 values[i], NOW + 3600);
        CU_ASSERT(verify_claims(claims, NOW, &c) == RS_E_TOKEN);
    }
}

static void
test_token_issue_refuses_a_lifetime_past_the_end_of_time(void)
{
    char *tok = NULL;

    CU_ASSERT(rs_token_issue(&key, UID, "a@example.com", (time_t)(LONG_MAX - 10), 7 * 86400,
                             &tok) == RS_E_INVAL);
    CU_ASSERT(tok == NULL);
    CU_ASSERT(rs_token_issue(&key, UID, "a@example.com", (time_t)(LONG_MAX - 10), 10, &tok) == 0);
    free(tok);
}

static void
test_token_verify_refuses_any_crit_header_parameter(void)
{
    /* RFC 7515 section 4.1.11: an extension the recipient does not
     * understand (here: any) makes the token invalid. */
    static const char *const headers[] = {
        "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"crit\":[\"exp\"]}",
        "{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}",
        "{\"alg\":\"HS256\",\"crit\":[\"http://example.com/ext\"],\"http://example.com/ext\":true}",
        "{\"crit\":[\"x\"],\"alg\":\"HS256\",\"x\":1}",
        "{\"alg\":\"HS256\",\"crit\":[]}",
        "{\"alg\":\"HS256\",\"crit\":\"exp\"}",
        "{\"alg\":\"HS256\",\"crit\":null}",
    };
    const char *claims = "{\"user_id\":\"" UID "\",\"exp\":1800003600}";
    struct rs_token_claims c;
    char *tok;

    for (size_t i = 0; i < sizeof headers / sizeof *headers; i++) {
        tok = forge(headers[i], claims, SECRET, 256);
        if (verify(tok, &c) != RS_E_TOKEN)
            fprintf(stderr, "\n    accepted header %s\n", headers[i]);
        CU_ASSERT(verify(tok, &c) == RS_E_TOKEN);
        free(tok);
    }
    /* The same header without crit is fine. */
    tok = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, SECRET, 256);
    CU_ASSERT(verify(tok, &c) == 0);
    free(tok);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_token_issue_then_verify_gives_the_claims_back),
        TU_TEST(test_issued_token_decodes_with_libjwt_as_hs256_with_the_same_claims),
        TU_TEST(test_token_verify_accepts_any_spelling_of_the_hs256_header),
        TU_TEST(test_token_verify_fails_on_expired_token_after_skew),
        TU_TEST(test_token_verify_refuses_every_other_algorithm),
        TU_TEST(test_token_verify_refuses_hs512_even_though_libjwt_accepts_it),
        TU_TEST(test_token_verify_fails_on_wrong_key_or_tampering),
        TU_TEST(test_token_verify_requires_exp_and_uuid_user_id),
        TU_TEST(test_token_verify_with_empty_key_refuses_everything),
        TU_TEST(test_token_verify_accepts_exp_within_the_skew_of_int64_max),
        TU_TEST(test_token_verify_says_expired_for_exp_at_int64_min),
        TU_TEST(test_token_verify_refuses_iat_before_the_epoch_or_in_the_future),
        TU_TEST(test_token_verify_refuses_exp_and_iat_that_are_not_int64_integers),
        TU_TEST(test_token_issue_refuses_a_lifetime_past_the_end_of_time),
        TU_TEST(test_token_verify_refuses_any_crit_header_parameter),
        {NULL, NULL},
    };
    return tu_run_suite("token", tests);
}
