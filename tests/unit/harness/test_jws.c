/* Asymmetric JWS signatures: RFC 7515's own examples (A.2 RS256 exactly,
 * A.3 ES256 verified), the JOSE form and length of ECDSA signatures, the
 * PSS salt length, and which key fits which alg. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "cmn/b64url.h"
#include "hx/jws.h"
#include "hx/jwt.h"
#include "hx/signing_key.h"
#include "rfc7515_keys.h"
#include "unit.h"

static struct hx_signing_key *
token_key(const char *text)
{
    struct hx_signing_key *k = NULL;
    struct hx_error err = {0};

    if (hx_signing_key_parse_token_key(text, strlen(text), "key.jwk", &k, &err) != 0)
        fprintf(stderr, "token key: %s\n", err.text);
    return k;
}

/* Returns new: pkey's public half alone (as a verifier holds it). */
static EVP_PKEY *
public_half(const EVP_PKEY *pkey)
{
    BIO *bio = BIO_new(BIO_s_mem());
    EVP_PKEY *pub = NULL;

    if (bio != NULL && PEM_write_bio_PUBKEY(bio, (EVP_PKEY *)pkey) == 1)
        pub = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    BIO_free(bio);
    return pub;
}

static char *
sign_b64(const void *pkey, const char *alg, const char *input)
{
    unsigned char sig[HX_JWS_SIG_MAX];
    size_t len = 0;

    if (hx_jws_sign(pkey, alg, input, strlen(input), sig, sizeof sig, &len) != 0)
        return NULL;
    return cmn_b64url_encode_new(sig, len);
}

static void
test_jws_rs256_signs_as_rfc_7515_a2_says(void)
{
    struct hx_signing_key *full = token_key(A2_JWK), *ned = token_key(A2_JWK_NED "}");
    char *sig;

    CU_ASSERT_PTR_NOT_NULL_FATAL(full);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ned);
    /* RSASSA-PKCS1-v1_5 is deterministic: the RFC's very signature */
    sig = sign_b64(hx_signing_key_evp(full), "RS256", A2_INPUT);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sig);
    CU_ASSERT_STRING_EQUAL(sig, A2_SIG);
    free(sig);
    /* n, e, d alone (no CRT members) sign the same */
    sig = sign_b64(hx_signing_key_evp(ned), "RS256", A2_INPUT);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sig);
    CU_ASSERT_STRING_EQUAL(sig, A2_SIG);
    free(sig);
    CU_ASSERT_STRING_EQUAL(hx_signing_key_id(full), hx_signing_key_id(ned));
    /* the same through hx_jwt_build, as the forged tokens are made */
    {
        struct hx_jwt_build b = {.header_json = "{\"alg\":\"RS256\"}",
                                 .payload_json = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n "
                                                 "\"http://example.com/is_root\":true}",
                                 .sig = HX_JWT_SIG_PKEY,
                                 .pkey = (void *)hx_signing_key_evp(full),
                                 .alg_for_pkey = "RS256"};
        char *tok = hx_jwt_build(&b);
        CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
        CU_ASSERT_STRING_EQUAL(tok, A2_INPUT "." A2_SIG);
        free(tok);
    }
    /* and the RFC's signature verifies; a changed input does not */
    {
        unsigned char *raw = NULL;
        size_t raw_len = 0;
        CU_ASSERT_FATAL(cmn_b64url_decode(A2_SIG, strlen(A2_SIG), &raw, &raw_len) == 0);
        CU_ASSERT_TRUE(hx_jws_verify(hx_signing_key_evp(ned), "RS256", A2_INPUT, strlen(A2_INPUT),
                                     raw, raw_len));
        CU_ASSERT_FALSE(hx_jws_verify(hx_signing_key_evp(ned), "RS256", A2_INPUT "x",
                                      strlen(A2_INPUT) + 1, raw, raw_len));
        CU_ASSERT_FALSE(hx_jws_verify(hx_signing_key_evp(ned), "RS384", A2_INPUT, strlen(A2_INPUT),
                                      raw, raw_len));
        free(raw);
    }
    hx_signing_key_free(full);
    hx_signing_key_free(ned);
}

static void
test_jws_es256_verifies_rfc_7515_a3_and_signs_r_s(void)
{
    struct hx_signing_key *k = token_key(A3_JWK);
    EVP_PKEY *pub;
    unsigned char *raw = NULL, sig[HX_JWS_SIG_MAX];
    size_t raw_len = 0, len = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    pub = public_half(hx_signing_key_evp(k));
    CU_ASSERT_PTR_NOT_NULL_FATAL(pub);
    CU_ASSERT_FATAL(cmn_b64url_decode(A3_SIG, strlen(A3_SIG), &raw, &raw_len) == 0);
    CU_ASSERT_EQUAL(raw_len, 64);
    CU_ASSERT_TRUE(hx_jws_verify(pub, "ES256", A3_INPUT, strlen(A3_INPUT), raw, raw_len));
    raw[10] ^= 1;
    CU_ASSERT_FALSE(hx_jws_verify(pub, "ES256", A3_INPUT, strlen(A3_INPUT), raw, raw_len));
    free(raw);
    /* ECDSA is randomised: sign, then verify with the public half alone.
     * Enough signatures that some r or s starts with a zero byte, which
     * must stay in place (r and s are each padded to 32 bytes). */
    for (int i = 0; i < 300; i++) {
        len = 0;
        CU_ASSERT_EQUAL_FATAL(hx_jws_sign(hx_signing_key_evp(k), "ES256", A3_INPUT,
                                          strlen(A3_INPUT), sig, sizeof sig, &len),
                              0);
        CU_ASSERT_EQUAL_FATAL(len, 64);
        CU_ASSERT_TRUE_FATAL(hx_jws_verify(pub, "ES256", A3_INPUT, strlen(A3_INPUT), sig, len));
    }
    /* a DER signature is not the JOSE form */
    {
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        unsigned char der[128];
        size_t der_len = sizeof der;
        CU_ASSERT_FATAL(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL,
                                           (EVP_PKEY *)hx_signing_key_evp(k)) == 1);
        CU_ASSERT_FATAL(EVP_DigestSign(md, der, &der_len, (const unsigned char *)A3_INPUT,
                                       strlen(A3_INPUT)) == 1);
        CU_ASSERT_FALSE(hx_jws_verify(pub, "ES256", A3_INPUT, strlen(A3_INPUT), der, der_len));
        EVP_MD_CTX_free(md);
    }
    /* a public key alone cannot sign */
    CU_ASSERT_NOT_EQUAL(hx_jws_sign(pub, "ES256", "m", 1, sig, sizeof sig, &len), 0);
    EVP_PKEY_free(pub);
    hx_signing_key_free(k);
}

static void
test_jws_ecdsa_signatures_are_twice_the_curve_length(void)
{
    static const struct {
        const char *curve, *alg;
        size_t len;
    } c[] = {{"P-256", "ES256", 64}, {"P-384", "ES384", 96}, {"P-521", "ES512", 132}};

    for (size_t i = 0; i < 3; i++) {
        EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", c[i].curve);
        EVP_PKEY *pub;
        unsigned char sig[HX_JWS_SIG_MAX];
        size_t len = 0;
        CU_ASSERT_PTR_NOT_NULL_FATAL(k);
        pub = public_half(k);
        CU_ASSERT_PTR_NOT_NULL_FATAL(pub);
        for (int j = 0; j < 40; j++) {
            CU_ASSERT_EQUAL_FATAL(hx_jws_sign(k, c[i].alg, "msg", 3, sig, sizeof sig, &len), 0);
            CU_ASSERT_EQUAL(len, c[i].len);
            CU_ASSERT_TRUE(hx_jws_verify(pub, c[i].alg, "msg", 3, sig, len));
            CU_ASSERT_FALSE(hx_jws_verify(pub, c[i].alg, "msh", 3, sig, len));
            CU_ASSERT_FALSE(hx_jws_verify(pub, c[i].alg, "msg", 3, sig, len - 1));
        }
        /* too small a buffer is refused, never cut */
        CU_ASSERT_NOT_EQUAL(hx_jws_sign(k, c[i].alg, "msg", 3, sig, c[i].len - 1, &len), 0);
        EVP_PKEY_free(pub);
        EVP_PKEY_free(k);
    }
}

/* True when sig verifies as RSASSA-PSS over SHA-256 with salt_len, checked
 * by OpenSSL directly (not through hx_jws). */
static bool
pss_verifies(EVP_PKEY *pub, const char *msg, const unsigned char *sig, size_t len, int salt_len)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    bool ok = md != NULL && EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, pub) == 1 &&
              EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
              EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1 &&
              EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt_len) == 1 &&
              EVP_DigestVerify(md, sig, len, (const unsigned char *)msg, strlen(msg)) == 1;
    EVP_MD_CTX_free(md);
    return ok;
}

static void
test_jws_pss_salt_is_as_long_as_the_hash(void)
{
    struct hx_signing_key *k = token_key(A2_JWK);
    EVP_PKEY *pub;
    unsigned char sig[HX_JWS_SIG_MAX], sig2[HX_JWS_SIG_MAX];
    size_t len = 0, len2 = 0;
    static const char *const algs[] = {"PS256", "PS384", "PS512"};

    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    pub = public_half(hx_signing_key_evp(k));
    CU_ASSERT_PTR_NOT_NULL_FATAL(pub);
    CU_ASSERT_EQUAL_FATAL(hx_jws_sign(hx_signing_key_evp(k), "PS256", A2_INPUT, strlen(A2_INPUT),
                                      sig, sizeof sig, &len),
                          0);
    CU_ASSERT_EQUAL(len, 256);
    CU_ASSERT_TRUE(pss_verifies(pub, A2_INPUT, sig, len, 32));
    CU_ASSERT_FALSE(pss_verifies(pub, A2_INPUT, sig, len, 64));
    CU_ASSERT_FALSE(pss_verifies(pub, A2_INPUT, sig, len, 20));
    /* a random salt: two signatures differ, both verify */
    CU_ASSERT_EQUAL_FATAL(hx_jws_sign(hx_signing_key_evp(k), "PS256", A2_INPUT, strlen(A2_INPUT),
                                      sig2, sizeof sig2, &len2),
                          0);
    CU_ASSERT(len2 != len || memcmp(sig, sig2, len) != 0);
    CU_ASSERT_TRUE(hx_jws_verify(pub, "PS256", A2_INPUT, strlen(A2_INPUT), sig2, len2));
    /* a PKCS#1 v1.5 signature is not a PSS one */
    CU_ASSERT_FALSE(hx_jws_verify(pub, "RS256", A2_INPUT, strlen(A2_INPUT), sig, len));
    for (size_t i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL_FATAL(
            hx_jws_sign(hx_signing_key_evp(k), algs[i], "m", 1, sig, sizeof sig, &len), 0);
        CU_ASSERT_TRUE(hx_jws_verify(pub, algs[i], "m", 1, sig, len));
        CU_ASSERT_FALSE(hx_jws_verify(pub, algs[(i + 1) % 3], "m", 1, sig, len));
    }
    EVP_PKEY_free(pub);
    hx_signing_key_free(k);
}

static void
test_jws_key_fits_only_its_algs(void)
{
    EVP_PKEY *p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    EVP_PKEY *k1 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1");
    EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    struct hx_signing_key *rsa = token_key(A2_JWK);
    const void *r;
    char why[200];

    CU_ASSERT_PTR_NOT_NULL_FATAL(p256);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ed);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rsa);
    r = hx_signing_key_evp(rsa);
    CU_ASSERT_TRUE(hx_jws_key_fits(p256, "ES256", why, sizeof why));
    CU_ASSERT_FALSE(hx_jws_key_fits(p256, "ES384", why, sizeof why));
    CU_ASSERT_STRING_EQUAL(why, "the key is EC P-256; ES384 needs EC P-384");
    CU_ASSERT_FALSE(hx_jws_key_fits(p256, "RS256", why, sizeof why));
    CU_ASSERT_STRING_EQUAL(why, "the key is EC P-256; RS256 needs an RSA key of 2048 bits or more "
                                "(RFC 7518 §3.3)");
    CU_ASSERT_FALSE(hx_jws_key_fits(k1, "ES256", why, sizeof why));
    CU_ASSERT_STRING_EQUAL(why, "the key is EC secp256k1; ES256 needs EC P-256");
    CU_ASSERT_FALSE(hx_jws_key_fits(r, "ES512", why, sizeof why));
    CU_ASSERT_STRING_EQUAL(why, "the key is RSA 2048-bit; ES512 needs EC P-521");
    CU_ASSERT_FALSE(hx_jws_key_fits(r, "EdDSA", why, sizeof why));
    CU_ASSERT_STRING_EQUAL(why, "the key is RSA 2048-bit; EdDSA needs an Ed25519 key");
    CU_ASSERT_FALSE(hx_jws_key_fits(ed, "PS256", why, sizeof why));
    CU_ASSERT_STRING_EQUAL(why, "the key is Ed25519; PS256 needs an RSA key of 2048 bits or more "
                                "(RFC 7518 §3.3)");
    CU_ASSERT_FALSE(hx_jws_key_fits(r, "HS256", why, sizeof why));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "HS256"));
    for (size_t i = 0; i < 6; i++) {
        static const char *const rsa_algs[] = {"RS256", "RS384", "RS512",
                                               "PS256", "PS384", "PS512"};
        CU_ASSERT_TRUE(hx_jws_key_fits(r, rsa_algs[i], NULL, 0));
    }
    CU_ASSERT_TRUE(hx_jws_key_fits(ed, "EdDSA", NULL, 0));
    CU_ASSERT_TRUE(hx_jws_alg_known("PS384"));
    CU_ASSERT_FALSE(hx_jws_alg_known("HS256"));
    CU_ASSERT_FALSE(hx_jws_alg_known("es256"));
    CU_ASSERT_FALSE(hx_jws_alg_known(NULL));
    /* a key that does not fit signs nothing */
    {
        unsigned char sig[HX_JWS_SIG_MAX];
        size_t len = 0;
        CU_ASSERT_NOT_EQUAL(hx_jws_sign(p256, "ES384", "m", 1, sig, sizeof sig, &len), 0);
        CU_ASSERT_NOT_EQUAL(hx_jws_sign(k1, "ES256", "m", 1, sig, sizeof sig, &len), 0);
    }
    EVP_PKEY_free(p256);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(ed);
    hx_signing_key_free(rsa);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_jws_rs256_signs_as_rfc_7515_a2_says),
        TU_TEST(test_jws_es256_verifies_rfc_7515_a3_and_signs_r_s),
        TU_TEST(test_jws_ecdsa_signatures_are_twice_the_curve_length),
        TU_TEST(test_jws_pss_salt_is_as_long_as_the_hash),
        TU_TEST(test_jws_key_fits_only_its_algs),
        {NULL, NULL},
    };
    return tu_run_suite("jws", tests);
}
