/* Private keys given as a JWK (RFC 8037 for a bundle's Ed25519 key; RFC
 * 7518 §6 RSA, EC and OKP for the target's token key, or a JWK Set) or as
 * PEM of each form: read, checked member by member, and signing as the
 * target would. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "hx/jwt.h"
#include "hx/jws.h"
#include "hx/signing_key.h"
#include "rfc7515_keys.h"
#include "unit.h"

#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

/* RFC 8037 appendix A.1 and A.4 */
#define RFC8037_D "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
#define RFC8037_X "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
#define RFC8037_INPUT "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
#define RFC8037_SIG                                                                                \
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

static int
parse(const char *text, struct hx_signing_key **k, struct hx_error *err)
{
    memset(err, 0, sizeof *err);
    return hx_signing_key_parse_private(text, strlen(text), "key.jwk", k, err);
}

static void
test_private_jwk_signs_as_rfc_8037_says(void)
{
    static const char jwk[] = "\n {\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" RFC8037_D
                              "\",\"x\":\"" RFC8037_X "\",\"kid\":\"k1\"}\n";
    struct hx_signing_key *k = NULL;
    struct hx_error err;
    unsigned char sig[HX_SIGNING_KEY_SIG_LEN];
    char *b64;

    CU_ASSERT_EQUAL_FATAL(parse(jwk, &k, &err), 0);
    CU_ASSERT_TRUE(hx_signing_key_can_sign(k));
    CU_ASSERT_EQUAL(hx_signing_key_sign(k, RFC8037_INPUT, strlen(RFC8037_INPUT), sig), 0);
    b64 = cmn_b64url_encode_new(sig, sizeof sig);
    CU_ASSERT_STRING_EQUAL(b64, RFC8037_SIG);
    free(b64);
    CU_ASSERT_TRUE(hx_signing_key_verify(k, RFC8037_INPUT, strlen(RFC8037_INPUT), sig, sizeof sig));
    /* the same through hx_jwt_build, as the forged tokens are made */
    {
        struct hx_jwt_build b = {.header_json = "{\"alg\":\"EdDSA\"}",
                                 .payload_json = "Example of Ed25519 signing",
                                 .sig = HX_JWT_SIG_PKEY,
                                 .pkey = (void *)hx_signing_key_evp(k)};
        char *tok = hx_jwt_build(&b);
        CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
        CU_ASSERT_STRING_EQUAL(strrchr(tok, '.') + 1, RFC8037_SIG);
        free(tok);
    }
    hx_signing_key_free(k);
    /* without x it is read as well */
    k = NULL;
    CU_ASSERT_EQUAL(
        parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" RFC8037_D "\"}", &k, &err), 0);
    hx_signing_key_free(k);
}

static void
test_private_jwk_mistakes_are_named_by_field(void)
{
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "\"}",
         "d: the JWK has no private part"},
        {A2_JWK, "the key is RSA 2048-bit, not Ed25519"},
        {"{\"kty\":\"OKP\",\"crv\":\"X25519\",\"d\":\"" RFC8037_D "\"}",
         "crv: X25519 is not supported (Ed25519)"},
        {"{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"AAAA\"}", "d: 3 bytes, expected 32"},
        {"{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" RFC8037_D
         "\",\"x\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
         "x: not the public half of d"},
        {"{\"kty\":\"OKP\",", "not a JWK"},
        {"[1, 2]", "not a PEM private key"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct hx_signing_key *k = NULL;
        struct hx_error err;
        CU_ASSERT_EQUAL(parse(bad[i].text, &k, &err), HX_E_PARSE);
        CU_ASSERT_PTR_NULL(k);
        if (strstr(err.text, bad[i].says) == NULL)
            fprintf(stderr, "jwk %zu: \"%s\" lacks \"%s\"\n", i, err.text, bad[i].says);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.text, bad[i].says));
        CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "key.jwk"));
        /* never the private part in a message */
        CU_ASSERT_PTR_NULL(strstr(err.text, RFC8037_D));
    }
}

/* base64url of 31 zero bytes: one short of a P-256 coordinate */
#define SHORT32 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define A3_PUB "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\"}"

static void
test_token_key_jwk_mistakes_are_named_by_member(void)
{
    static const struct {
        const char *text, *says;
    } bad[] = {
        /* RSA */
        {"{\"kty\":\"RSA\",\"e\":\"AQAB\",\"d\":\"" A2_D "\"}", "key.jwk: n: missing"},
        {"{\"kty\":\"RSA\",\"n\":\"" A2_N "\",\"d\":\"" A2_D "\"}", "key.jwk: e: missing"},
        {"{\"kty\":\"RSA\",\"n\":\"" A2_N "\",\"e\":\"AQAB\"}",
         "key.jwk: d: the JWK has no private part (a public key)"},
        {"{\"kty\":\"RSA\",\"n\":\"" A2_N "\",\"e\":\"AQAB\",\"d\":\"not*base64\"}",
         "key.jwk: d: not base64url"},
        {"{\"kty\":\"RSA\",\"n\":\"" A2_N "\",\"e\":\"AQAB\",\"d\":5}", "key.jwk: d: not a string"},
        {"{\"kty\":\"RSA\",\"n\":\"\",\"e\":\"AQAB\",\"d\":\"" A2_D "\"}", "key.jwk: n: empty"},
        {A2_JWK_NED ",\"p\":\"" A2_P "\",\"q\":\"" A2_Q "\"}",
         "key.jwk: dp: missing (p, q, dp, dq and qi come all together"},
        {"{\"kty\":\"RSA\",\"n\":\"" A2_N "\",\"e\":\"AQAB\",\"d\":\"" A2_P "\"}",
         "key.jwk: d: not the private half of n, e"},
        {A2_JWK_NED ",\"p\":\"" A2_P "\",\"q\":\"" A2_Q "\",\"dp\":\"" A2_DQ "\",\"dq\":\"" A2_DP
                    "\",\"qi\":\"" A2_QI "\"}",
         "key.jwk: p, q, dp, dq, qi: not the factors of n"},
        {A2_JWK_NED ",\"oth\":[]}", "key.jwk: oth: keys of more than two primes"},
        /* EC */
        {"{\"kty\":\"EC\",\"crv\":\"P-192\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\",\"d\":\"" A3_D
         "\"}",
         "key.jwk: crv: P-192 is not supported (P-256, P-384 or P-521)"},
        {"{\"kty\":\"EC\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\",\"d\":\"" A3_D "\"}",
         "key.jwk: crv: missing"},
        {A3_PUB, "key.jwk: d: the JWK has no private part (a public key)"},
        {"{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" SHORT32 "\",\"y\":\"" A3_Y "\",\"d\":\"" A3_D
         "\"}",
         "key.jwk: x: 31 bytes, expected 32"},
        {"{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\",\"d\":\"" A3_D "\"}",
         "key.jwk: y: missing"},
        {"{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\",\"d\":\"" A3_D
         "\"}",
         "key.jwk: x: 32 bytes, expected 48"},
        {"{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\",\"y\":\"" A3_X "\",\"d\":\"" A3_D
         "\"}",
         "key.jwk: x, y: not a point of P-256"},
        {"{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y
         "\",\"d\":\"" RFC8037_D "\"}",
         "key.jwk: d: not the private half of x, y"},
        /* OKP, kty */
        {"{\"kty\":\"OKP\",\"crv\":\"Ed448\",\"d\":\"" RFC8037_D "\"}",
         "key.jwk: crv: Ed448 is not supported (Ed25519)"},
        {"{\"kty\":\"oct\",\"k\":\"" A3_D "\"}",
         "key.jwk: kty: oct is not supported (RSA, EC or OKP)"},
        {"{\"crv\":\"P-256\",\"d\":\"" A3_D "\"}", "key.jwk: kty: missing"},
        /* JWK Sets */
        {"{\"keys\":[" A3_PUB "]}", "key.jwk: keys: no private key in the set (a public JWKS)"},
        {"{\"keys\":[" A3_JWK "," A2_JWK "]}", "key.jwk: keys: 2 private keys in the set"},
        {"{\"keys\":[" A3_PUB ",{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" SHORT32
         "\",\"y\":\"" A3_Y "\",\"d\":\"" A3_D "\"}]}",
         "key.jwk: keys[1]: x: 31 bytes, expected 32"},
        {"{\"keys\":{}}", "key.jwk: keys: not an array"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct hx_signing_key *k = NULL;
        struct hx_error err;
        memset(&err, 0, sizeof err);
        CU_ASSERT_EQUAL(
            hx_signing_key_parse_token_key(bad[i].text, strlen(bad[i].text), "key.jwk", &k, &err),
            HX_E_PARSE);
        CU_ASSERT_PTR_NULL(k);
        hx_signing_key_free(k);
        if (strstr(err.text, bad[i].says) == NULL)
            fprintf(stderr, "token jwk %zu: \"%s\" lacks \"%s\"\n", i, err.text, bad[i].says);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.text, bad[i].says));
        /* never a private value in a message */
        CU_ASSERT_PTR_NULL(strstr(err.text, A2_D));
        CU_ASSERT_PTR_NULL(strstr(err.text, A2_P));
        CU_ASSERT_PTR_NULL(strstr(err.text, A3_D));
        CU_ASSERT_PTR_NULL(strstr(err.text, RFC8037_D));
    }
}

static void
test_token_key_jwk_refuses_rsa_beyond_8192_bits(void)
{
    unsigned char big[1025];
    char *n, *text;
    size_t len;
    struct hx_signing_key *k = NULL;
    struct hx_error err = {0};

    memset(big, 0xc5, sizeof big);
    n = cmn_b64url_encode_new(big, sizeof big);
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    len = strlen(n) + 200;
    text = malloc(len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    snprintf(text, len, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAB\",\"d\":\"AQAB\"}", n);
    CU_ASSERT_EQUAL(hx_signing_key_parse_token_key(text, strlen(text), "key.jwk", &k, &err),
                    HX_E_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "key.jwk: n: more than 8192 bits is not supported"));
    CU_ASSERT_PTR_NULL(k);
    free(text);
    free(n);
}

static void
test_token_key_jwk_set_gives_its_one_private_key(void)
{
    static const char set[] = "{\"keys\":[" A3_PUB "," A3_JWK "]}";
    struct hx_signing_key *k = NULL, *alone = NULL;
    struct hx_error err = {0};

    CU_ASSERT_EQUAL_FATAL(hx_signing_key_parse_token_key(set, strlen(set), "jwks.json", &k, &err),
                          0);
    CU_ASSERT_EQUAL_FATAL(
        hx_signing_key_parse_token_key(A3_JWK, strlen(A3_JWK), "key.jwk", &alone, &err), 0);
    CU_ASSERT_STRING_EQUAL(hx_signing_key_id(k), hx_signing_key_id(alone));
    CU_ASSERT_TRUE(hx_jws_key_fits(hx_signing_key_evp(k), "ES256", NULL, 0));
    /* a token key is no bundle key: Ed25519 signatures only */
    {
        unsigned char sig[HX_SIGNING_KEY_SIG_LEN];
        CU_ASSERT_EQUAL(hx_signing_key_sign(k, "m", 1, sig), HX_E_INVAL);
    }
    hx_signing_key_free(k);
    hx_signing_key_free(alone);
}

/* Writes pkey to path as PEM (traditional: the "RSA/EC PRIVATE KEY" form,
 * else PKCS#8); true when written and its first line holds want_header. */
static bool
write_pem(EVP_PKEY *pkey, bool traditional, const char *path, const char *want_header)
{
    BIO *bio = BIO_new_file(path, "w");
    bool ok =
        bio != NULL &&
        (traditional ? PEM_write_bio_PrivateKey_traditional(bio, pkey, NULL, NULL, 0, NULL, NULL)
                     : PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL)) == 1;
    char text[256] = {0};
    FILE *f;

    BIO_free(bio);
    if (!ok || (f = fopen(path, "r")) == NULL)
        return false;
    ok = fgets(text, sizeof text, f) != NULL && strstr(text, want_header) != NULL;
    fclose(f);
    return ok;
}

static void
test_token_key_pem_of_each_type_and_form_signs(void)
{
    static const struct {
        const char *type, *param, *alg, *pkcs8, *trad;
    } kinds[] = {
        {"RSA", NULL, "PS256", "BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY"},
        {"EC", "P-256", "ES256", "BEGIN PRIVATE KEY", "BEGIN EC PRIVATE KEY"},
        {"EC", "P-384", "ES384", "BEGIN PRIVATE KEY", "BEGIN EC PRIVATE KEY"},
        {"EC", "P-521", "ES512", "BEGIN PRIVATE KEY", "BEGIN EC PRIVATE KEY"},
        {"ED25519", NULL, "EdDSA", "BEGIN PRIVATE KEY", NULL},
    };
    char dir[] = "/tmp/test_token_key.XXXXXX", path[96];

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/key.pem", dir);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        EVP_PKEY *orig =
            strcmp(kinds[i].type, "RSA") == 0 ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)
            : kinds[i].param != NULL ? EVP_PKEY_Q_keygen(NULL, NULL, kinds[i].type, kinds[i].param)
                                     : EVP_PKEY_Q_keygen(NULL, NULL, kinds[i].type);
        CU_ASSERT_PTR_NOT_NULL_FATAL(orig);
        for (int form = 0; form < 2; form++) {
            const char *header = form == 0 ? kinds[i].pkcs8 : kinds[i].trad;
            struct hx_signing_key *k = NULL;
            struct hx_error err = {0};
            unsigned char sig[HX_JWS_SIG_MAX];
            size_t len = 0;
            if (header == NULL)
                continue;
            CU_ASSERT_TRUE_FATAL(write_pem(orig, form == 1, path, header));
            if (hx_signing_key_load_token_key(path, &k, &err) != 0)
                fprintf(stderr, "%s %s: %s\n", kinds[i].alg, header, err.text);
            CU_ASSERT_PTR_NOT_NULL_FATAL(k);
            CU_ASSERT_EQUAL(EVP_PKEY_eq(hx_signing_key_evp(k), orig), 1);
            CU_ASSERT_EQUAL(
                hx_jws_sign(hx_signing_key_evp(k), kinds[i].alg, "m", 1, sig, sizeof sig, &len), 0);
            CU_ASSERT_TRUE(hx_jws_verify(orig, kinds[i].alg, "m", 1, sig, len));
            hx_signing_key_free(k);
        }
        /* a bundle takes Ed25519 only */
        if (strcmp(kinds[i].type, "ED25519") != 0) {
            struct hx_signing_key *k = NULL;
            struct hx_error err = {0};
            CU_ASSERT_EQUAL(hx_signing_key_load_private(path, &k, &err), HX_E_PARSE);
            CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "not Ed25519"));
        }
        EVP_PKEY_free(orig);
    }
    /* a curve JOSE has no alg for, and a public key, are named */
    {
        EVP_PKEY *k1 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1");
        struct hx_signing_key *k = NULL;
        struct hx_error err = {0};
        BIO *bio;
        CU_ASSERT_PTR_NOT_NULL_FATAL(k1);
        CU_ASSERT_TRUE_FATAL(write_pem(k1, false, path, "BEGIN PRIVATE KEY"));
        CU_ASSERT_EQUAL(hx_signing_key_load_token_key(path, &k, &err), HX_E_PARSE);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "the key is EC secp256k1: a token key is RSA"));
        EVP_PKEY_free(k1);
        /* RFC 7518 §3.3: RSA of 2048 bits or more */
        k1 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
        CU_ASSERT_PTR_NOT_NULL_FATAL(k1);
        CU_ASSERT_TRUE_FATAL(write_pem(k1, true, path, "BEGIN RSA PRIVATE KEY"));
        CU_ASSERT_EQUAL(hx_signing_key_load_token_key(path, &k, &err), HX_E_PARSE);
        CU_ASSERT_PTR_NOT_NULL(strstr(
            err.text, "the key is RSA 1024-bit: a token key is RSA (2048 bits or more, RFC 7518"));
        CU_ASSERT_PTR_NOT_NULL(strstr(err.text, path));
        bio = BIO_new_file(path, "w");
        CU_ASSERT_FATAL(bio != NULL && PEM_write_bio_PUBKEY(bio, k1) == 1);
        BIO_free(bio);
        CU_ASSERT_EQUAL(hx_signing_key_load_token_key(path, &k, &err), HX_E_PARSE);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "(it holds a public key)"));
        CU_ASSERT_PTR_NULL(k);
        EVP_PKEY_free(k1);
    }
    /* a PEM whose public part is another key's */
    {
        EVP_PKEY *a = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        EVP_PKEY *b = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), *mixed = NULL;
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
        OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
        OSSL_PARAM *params = NULL;
        BIGNUM *priv = NULL;
        unsigned char pub[65];
        size_t pub_len = 0;
        struct hx_signing_key *k = NULL;
        struct hx_error err = {0};
        CU_ASSERT_FATAL(a != NULL && b != NULL && ctx != NULL && bld != NULL);
        CU_ASSERT_FATAL(EVP_PKEY_get_bn_param(a, OSSL_PKEY_PARAM_PRIV_KEY, &priv) == 1);
        CU_ASSERT_FATAL(EVP_PKEY_get_octet_string_param(b, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub,
                                                        &pub_len) == 1);
        CU_ASSERT_FATAL(
            OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) == 1 &&
            OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, pub_len) == 1 &&
            OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) == 1);
        params = OSSL_PARAM_BLD_to_param(bld);
        CU_ASSERT_FATAL(params != NULL && EVP_PKEY_fromdata_init(ctx) == 1 &&
                        EVP_PKEY_fromdata(ctx, &mixed, EVP_PKEY_KEYPAIR, params) == 1);
        CU_ASSERT_TRUE_FATAL(write_pem(mixed, false, path, "BEGIN PRIVATE KEY"));
        CU_ASSERT_EQUAL(hx_signing_key_load_token_key(path, &k, &err), HX_E_PARSE);
        CU_ASSERT_PTR_NOT_NULL(
            strstr(err.text, "the private part does not belong to the public part"));
        CU_ASSERT_PTR_NULL(k);
        OSSL_PARAM_free(params);
        OSSL_PARAM_BLD_free(bld);
        BN_clear_free(priv);
        EVP_PKEY_CTX_free(ctx);
        EVP_PKEY_free(mixed);
        EVP_PKEY_free(a);
        EVP_PKEY_free(b);
    }
    unlink(path);
    rmdir(dir);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_private_jwk_signs_as_rfc_8037_says),
        TU_TEST(test_private_jwk_mistakes_are_named_by_field),
        TU_TEST(test_token_key_jwk_mistakes_are_named_by_member),
        TU_TEST(test_token_key_jwk_refuses_rsa_beyond_8192_bits),
        TU_TEST(test_token_key_jwk_set_gives_its_one_private_key),
        TU_TEST(test_token_key_pem_of_each_type_and_form_signs),
        {NULL, NULL},
    };
    return tu_run_suite("signing_key_jwk", tests);
}
