#include <stdlib.h>
#include <string.h>

#include "cmn/error.h"
#include "hx/probes/forge.h"
#include "cmn/b64url.h"
#include "hx/jwt.h"
#include "unit.h"

static const char *const secret = "0123456789abcdef0123456789abcdef-test";

static char *
make_token(const char *payload)
{
    struct hx_jwt_build b = {.header_json = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                             .payload_json = payload,
                             .sig = HX_JWT_SIG_HMAC,
                             .alg_for_mac = "HS256",
                             .key = secret,
                             .key_len = strlen(secret)};
    return hx_jwt_build(&b);
}

static void
test_jwt_build_then_parse_round_trips_and_verifies(void)
{
    char *tok = make_token("{\"user_id\":\"u1\",\"iat\":100,\"exp\":604900}");
    struct hx_jwt j;
    long long exp = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(tok, &j, NULL, 0), 0);
    CU_ASSERT_STRING_EQUAL(hx_jwt_alg(&j), "HS256");
    CU_ASSERT_EQUAL(hx_jwt_claim_int(&j, "exp", &exp), 0);
    CU_ASSERT_EQUAL(exp, 604900);
    CU_ASSERT_EQUAL(j.sig_len, 32);
    CU_ASSERT_TRUE(hx_jwt_verify_hmac(&j, "HS256", secret, strlen(secret)));
    CU_ASSERT_FALSE(hx_jwt_verify_hmac(&j, "HS256", "other", 5));
    CU_ASSERT_FALSE(hx_jwt_verify_hmac(&j, "HS384", secret, strlen(secret)));
    hx_jwt_cleanup(&j);
    free(tok);
}

static void
test_jwt_parse_rejects_wrong_segment_counts_and_bad_json(void)
{
    struct hx_jwt j;
    char why[80];

    CU_ASSERT_EQUAL(hx_jwt_parse("a.b", &j, why, sizeof(why)), CMN_E_INVAL);
    CU_ASSERT_EQUAL(hx_jwt_parse("a.b.c.d", &j, why, sizeof(why)), CMN_E_INVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "three dot-separated parts"));
    /* "bm90anNvbg" is base64url of "notjson" */
    CU_ASSERT_EQUAL(hx_jwt_parse("bm90anNvbg.e30.", &j, why, sizeof(why)), CMN_E_INVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "header"));
    /* strict: a payload with a key twice ({"a":1,"a":2}) is no JSON object */
    CU_ASSERT_EQUAL(hx_jwt_parse("e30.eyJhIjoxLCJhIjoyfQ.", &j, why, sizeof(why)), CMN_E_INVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "payload is not a JSON object"));
    CU_ASSERT_EQUAL(hx_jwt_parse("e30.bm90anNvbg.!!", &j, why, sizeof(why)), CMN_E_INVAL);
    CU_ASSERT_EQUAL(hx_jwt_parse("", &j, NULL, 0), CMN_E_INVAL);
}

/* Leaves non-zero bytes where the next calls keep their locals. */
static void __attribute__((noinline)) dirty_stack(void)
{
    volatile char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = 'A';
}

static void
test_jwt_parse_names_a_segment_that_is_json_but_no_object(void)
{
    struct hx_jwt j;
    char why[160];

    /* "W10" is base64url of "[]", "MQ" of "1": JSON, but no object */
    dirty_stack();
    CU_ASSERT_EQUAL(hx_jwt_parse("W10.e30.", &j, why, sizeof(why)), CMN_E_INVAL);
    CU_ASSERT_STRING_EQUAL(why, "its header is not a JSON object");
    dirty_stack();
    CU_ASSERT_EQUAL(hx_jwt_parse("e30.MQ.", &j, why, sizeof(why)), CMN_E_INVAL);
    CU_ASSERT_STRING_EQUAL(why, "its payload is not a JSON object");
}

static void
test_jwt_claim_int_refuses_string_numbers(void)
{
    char *tok = make_token("{\"exp\":\"123\"}");
    struct hx_jwt j;
    long long v;

    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(tok, &j, NULL, 0), 0);
    CU_ASSERT_EQUAL(hx_jwt_claim_int(&j, "exp", &v), CMN_E_INVAL);
    CU_ASSERT_EQUAL(hx_jwt_claim_int(&j, "iat", &v), CMN_E_INVAL);
    hx_jwt_cleanup(&j);
    free(tok);
}

static void
test_jwt_hmac_matches_rfc4231_case_2(void)
{
    /* RFC 4231 test case 2: key "Jefe". */
    static const unsigned char want[32] = {0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e,
                                           0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
                                           0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83,
                                           0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};
    const char *msg = "what do ya want for nothing?";
    unsigned char mac[64];
    size_t len = 0;

    CU_ASSERT_EQUAL(hx_jwt_hmac("HS256", "Jefe", 4, msg, strlen(msg), mac, &len), 0);
    CU_ASSERT_EQUAL(len, 32);
    CU_ASSERT_EQUAL(memcmp(mac, want, 32), 0);
    CU_ASSERT_EQUAL(hx_jwt_hmac("RS256", "Jefe", 4, msg, strlen(msg), mac, &len), CMN_E_INVAL);
}

static const struct hx_forgery *
find(const struct hx_forgery *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].name, name) == 0)
            return &f[i];
    return NULL;
}

static void
test_forge_hs256_builds_every_forgery_with_secret_and_second_user(void)
{
    char *a = make_token("{\"user_id\":\"aaaa\",\"email\":\"a@x\",\"iat\":1,\"exp\":604801}");
    char *b = make_token("{\"user_id\":\"bbbb\",\"email\":\"b@x\",\"iat\":1,\"exp\":604801}");
    struct hx_forge_in in = {.token = a,
                             .other_token = b,
                             .other_user_id = "bbbb",
                             .user_claim = "user_id",
                             .secret = secret,
                             .secret_len = strlen(secret)};
    struct hx_forgery f[HX_FORGE_MAX];
    size_t n = 0;
    char missing[200];
    struct hx_jwt j;
    const struct hx_forgery *x;

    CU_ASSERT_EQUAL_FATAL(hx_forge_hs256(&in, f, HX_FORGE_MAX, &n, missing, sizeof(missing)), 0);
    CU_ASSERT_STRING_EQUAL(missing, "");
    CU_ASSERT(n >= 25);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_PTR_NOT_NULL(f[i].token);
        CU_ASSERT_STRING_NOT_EQUAL(f[i].token, a); /* every one differs from the genuine */
    }
    /* alg none without signature: header says none, empty signature */
    x = find(f, n, "alg-none-unsigned");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    CU_ASSERT_STRING_EQUAL(hx_jwt_alg(&j), "none");
    CU_ASSERT_EQUAL(j.sig_len, 0);
    hx_jwt_cleanup(&j);
    CU_ASSERT_PTR_NOT_NULL(find(f, n, "alg-NONE-signed"));
    /* HS512 signed with the real secret verifies under HS512 */
    x = find(f, n, "hs512-real-secret");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    CU_ASSERT_TRUE(hx_jwt_verify_hmac(&j, "HS512", secret, strlen(secret)));
    hx_jwt_cleanup(&j);
    /* user switched keeps A's signature and targets B's resources */
    x = find(f, n, "payload-user-switched");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL(x->path, HX_FORGE_PATH_OTHER);
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j.payload, "user_id")), "bbbb");
    CU_ASSERT_STRING_EQUAL(j.sig_b64, strrchr(a, '.') + 1);
    hx_jwt_cleanup(&j);
    /* another token's signature */
    x = find(f, n, "other-token-signature");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_STRING_EQUAL(strrchr(x->token, '.'), strrchr(b, '.'));
    /* stripped signature ends with the dot */
    x = find(f, n, "signature-stripped");
    CU_ASSERT_EQUAL(x->token[strlen(x->token) - 1], '.');
    /* ES256 with r = s = 0: 64 zero bytes, in the signature class */
    x = find(f, n, "signature-es256-zero");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    CU_ASSERT_STRING_EQUAL(hx_jwt_alg(&j), "ES256");
    CU_ASSERT_EQUAL(j.sig_len, 64);
    for (size_t i = 0; i < j.sig_len; i++)
        CU_ASSERT_EQUAL(j.sig[i], 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j.payload, "user_id")), "aaaa");
    hx_jwt_cleanup(&j);
    CU_ASSERT_STRING_EQUAL(hx_forge_class("signature-es256-zero"), "signature");
    /* duplicate claim signed: the strict decoder refuses it, the signature
     * over the raw text verifies */
    x = find(f, n, "duplicate-claim-signed");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_NOT_EQUAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    {
        unsigned char mac[64], *sig = NULL;
        size_t mac_len = 0, sig_len = 0;
        const char *dot = strrchr(x->token, '.');
        CU_ASSERT_EQUAL(hx_jwt_hmac("HS256", secret, strlen(secret), x->token,
                                    (size_t)(dot - x->token), mac, &mac_len),
                        0);
        CU_ASSERT_EQUAL(cmn_b64url_decode(dot + 1, strlen(dot + 1), &sig, &sig_len), 0);
        CU_ASSERT_EQUAL(sig_len, mac_len);
        CU_ASSERT_EQUAL(memcmp(sig, mac, mac_len), 0);
        free(sig);
    }
    /* oversized accepts any refusal and is large */
    x = find(f, n, "oversized");
    CU_ASSERT_TRUE(x->any_refusal);
    CU_ASSERT(strlen(x->token) > 12000);
    CU_ASSERT_PTR_NOT_NULL(find(f, n, "kid-dev-null"));
    /* jku and x5u are the key-url set's, against a key server of the run */
    CU_ASSERT_PTR_NULL(find(f, n, "jku-injection"));
    CU_ASSERT_PTR_NULL(find(f, n, "x5u-injection"));
    CU_ASSERT_PTR_NOT_NULL(find(f, n, "base64url-invalid-signature"));
    CU_ASSERT_PTR_NOT_NULL(find(f, n, "extra-segment"));
    CU_ASSERT_PTR_NOT_NULL(find(f, n, "alg-rs256-header"));
    hx_forge_free(f, n);
    free(a);
    free(b);
}

static void
test_forge_hs256_names_what_it_left_out_without_secret(void)
{
    char *a = make_token("{\"user_id\":\"aaaa\",\"iat\":1,\"exp\":2}");
    struct hx_forge_in in = {.token = a};
    struct hx_forgery f[HX_FORGE_MAX];
    size_t n = 0;
    char missing[300];

    CU_ASSERT_EQUAL_FATAL(hx_forge_hs256(&in, f, HX_FORGE_MAX, &n, missing, sizeof(missing)), 0);
    CU_ASSERT_PTR_NULL(find(f, n, "hs384-real-secret"));
    CU_ASSERT_PTR_NULL(find(f, n, "payload-user-switched"));
    CU_ASSERT_PTR_NOT_NULL(strstr(missing, "needs the secret"));
    CU_ASSERT_PTR_NOT_NULL(strstr(missing, "second user"));
    CU_ASSERT_PTR_NOT_NULL(find(f, n, "alg-none-unsigned"));
    hx_forge_free(f, n);
    free(a);
    CU_ASSERT_EQUAL(
        hx_forge_hs256(&(struct hx_forge_in){.token = "junk"}, f, HX_FORGE_MAX, &n, NULL, 0),
        CMN_E_INVAL);
}

static void
test_forge_expiry_builds_signed_expired_and_futuristic_tokens(void)
{
    char *a = make_token("{\"user_id\":\"aaaa\",\"iat\":1,\"exp\":604801}");
    struct hx_forge_in in = {.token = a,
                             .fake_user_id = "ffff",
                             .secret = secret,
                             .secret_len = strlen(secret),
                             .now = 1000000,
                             .lifetime = 604800};
    struct hx_forgery f[HX_FORGE_MAX];
    size_t n = 0;
    struct hx_jwt j;
    long long exp = 0, iat = 0;
    const struct hx_forgery *x;

    CU_ASSERT_EQUAL_FATAL(hx_forge_expiry(&in, f, HX_FORGE_MAX, &n), 0);
    CU_ASSERT_EQUAL(n, 6);
    x = find(f, n, "expired");
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    CU_ASSERT_TRUE(hx_jwt_verify_hmac(&j, "HS256", secret, strlen(secret)));
    CU_ASSERT_EQUAL(hx_jwt_claim_int(&j, "exp", &exp), 0);
    CU_ASSERT(exp < 1000000);
    hx_jwt_cleanup(&j);
    x = find(f, n, "exp-missing");
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    CU_ASSERT_EQUAL(hx_jwt_claim_int(&j, "exp", &exp), CMN_E_INVAL);
    hx_jwt_cleanup(&j);
    x = find(f, n, "issued-in-future");
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    CU_ASSERT_EQUAL(hx_jwt_claim_int(&j, "iat", &iat), 0);
    CU_ASSERT(iat > 1000000 + 3600);
    hx_jwt_cleanup(&j);
    x = find(f, n, "unknown-user");
    CU_ASSERT_EQUAL(x->path, HX_FORGE_PATH_FAKE);
    x = find(f, n, "control-resigned");
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    CU_ASSERT_EQUAL(hx_jwt_claim_int(&j, "exp", &exp), 0);
    CU_ASSERT_EQUAL(exp, 1000000 + 604800);
    hx_jwt_cleanup(&j);
    hx_forge_free(f, n);
    in.secret = NULL;
    CU_ASSERT_EQUAL(hx_forge_expiry(&in, f, HX_FORGE_MAX, &n), CMN_E_INVAL);
    free(a);
}

static void
test_forge_judge_separates_acceptance_refusal_and_errors(void)
{
    CU_ASSERT_EQUAL(hx_forge_judge(401, 401, false, false), HX_ANSWER_REFUSED);
    CU_ASSERT_EQUAL(hx_forge_judge(200, 401, false, false), HX_ANSWER_ACCEPTED);
    CU_ASSERT_EQUAL(hx_forge_judge(302, 401, false, false), HX_ANSWER_ACCEPTED);
    CU_ASSERT_EQUAL(hx_forge_judge(403, 401, false, false), HX_ANSWER_WRONG_STATUS);
    CU_ASSERT_EQUAL(hx_forge_judge(431, 401, true, false), HX_ANSWER_REFUSED);
    CU_ASSERT_EQUAL(hx_forge_judge(500, 401, true, true), HX_ANSWER_ERROR);
    CU_ASSERT_EQUAL(hx_forge_judge(0, 401, true, false), HX_ANSWER_ERROR);
    CU_ASSERT_EQUAL(hx_forge_judge(0, 401, true, true), HX_ANSWER_REFUSED);
    CU_ASSERT_EQUAL(hx_forge_judge(429, 401, false, false), HX_ANSWER_LIMITED);
    CU_ASSERT_STRING_EQUAL(hx_answer_name(HX_ANSWER_ACCEPTED), "accepted");
}

static void
test_forge_keys_signs_with_its_own_key_and_confuses_the_public_one(void)
{
    /* the Ed25519 key of RFC 8037 appendix A.2 */
    static const char jwks[] = "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k1\","
                               "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}";
    static const char pem[] = "-----BEGIN PUBLIC KEY-----\n"
                              "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
                              "-----END PUBLIC KEY-----\n";
    char *a = make_token("{\"sub\":\"aaaa\",\"iat\":1,\"exp\":604801}");
    struct hx_forge_in in = {.token = a, .user_claim = "sub"};
    struct hx_forgery f[HX_FORGE_MAX];
    size_t n = 0;
    char missing[200] = "";
    struct hx_jwt j;
    const struct hx_forgery *x;

    /* without a JWKS: the three tokens of the harness's own key, and why no more */
    CU_ASSERT_EQUAL_FATAL(hx_forge_keys(&in, f, HX_FORGE_MAX, &n, missing, sizeof missing), 0);
    CU_ASSERT_EQUAL(n, 3);
    x = find(f, n, "foreign-key-unknown-kid");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j.header, "kid")),
                           "authconform-unknown-kid");
    CU_ASSERT_PTR_NULL(json_object_get(j.header, "jwk"));
    hx_jwt_cleanup(&j);
    CU_ASSERT_STRING_EQUAL(hx_forge_class("foreign-key-unknown-kid"), "key-confusion");
    CU_ASSERT_PTR_NOT_NULL(strstr(missing, "no JWKS"));
    x = find(f, n, "embedded-jwk");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    CU_ASSERT_STRING_EQUAL(hx_jwt_alg(&j), "EdDSA");
    CU_ASSERT_PTR_NOT_NULL(json_object_get(j.header, "jwk"));
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j.payload, "sub")), "aaaa");
    CU_ASSERT_EQUAL(j.sig_len, 64); /* an Ed25519 signature */
    hx_jwt_cleanup(&j);
    CU_ASSERT_STRING_EQUAL(hx_forge_class("embedded-jwk"), "key-confusion");
    CU_ASSERT_STRING_EQUAL(hx_forge_class("foreign-key"), "key-confusion");
    hx_forge_free(f, n);

    /* with one: HMAC tokens keyed with the target's public key, PEM byte for byte */
    in.jwks = jwks;
    missing[0] = '\0';
    CU_ASSERT_EQUAL_FATAL(hx_forge_keys(&in, f, HX_FORGE_MAX, &n, missing, sizeof missing), 0);
    CU_ASSERT_EQUAL(n, 6);
    CU_ASSERT_STRING_EQUAL(missing, "");
    x = find(f, n, "hs256-public-key-pem");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    CU_ASSERT_STRING_EQUAL(hx_jwt_alg(&j), "HS256");
    CU_ASSERT_TRUE(hx_jwt_verify_hmac(&j, "HS256", pem, strlen(pem)));
    hx_jwt_cleanup(&j);
    x = find(f, n, "hs256-public-key-pem-trimmed");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(x->token, &j, NULL, 0), 0);
    CU_ASSERT_TRUE(hx_jwt_verify_hmac(&j, "HS256", pem, strlen(pem) - 1));
    hx_jwt_cleanup(&j);
    CU_ASSERT_STRING_EQUAL(hx_forge_class("hs256-public-key-jwk"), "key-confusion");
    hx_forge_free(f, n);
    free(a);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_jwt_build_then_parse_round_trips_and_verifies),
        TU_TEST(test_jwt_parse_rejects_wrong_segment_counts_and_bad_json),
        TU_TEST(test_jwt_parse_names_a_segment_that_is_json_but_no_object),
        TU_TEST(test_jwt_claim_int_refuses_string_numbers),
        TU_TEST(test_jwt_hmac_matches_rfc4231_case_2),
        TU_TEST(test_forge_hs256_builds_every_forgery_with_secret_and_second_user),
        TU_TEST(test_forge_hs256_names_what_it_left_out_without_secret),
        TU_TEST(test_forge_expiry_builds_signed_expired_and_futuristic_tokens),
        TU_TEST(test_forge_judge_separates_acceptance_refusal_and_errors),
        TU_TEST(test_forge_keys_signs_with_its_own_key_and_confuses_the_public_one),
        {NULL, NULL},
    };
    return tu_run_suite("probe_jwt", tests);
}
