/* Asymmetric JWS signatures (RFC 7518 §3.3-3.5, RFC 8037): which key fits
 * which alg, signing and verifying in the JOSE form. */
#include "hx/jws.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "cmn/error.h"

enum jws_family { JWS_RSA, JWS_PSS, JWS_EC, JWS_ED };

struct jws_alg {
    const char *name;
    enum jws_family family;
    const char *hash;  /* the digest's OpenSSL name; NULL for EdDSA */
    const char *curve; /* ES*: the JOSE curve name */
    const char *group; /* ES*: OpenSSL's group name of that curve */
    size_t coord;      /* ES*: bytes of r and of s */
};

static const struct jws_alg jws_algs[] = {
    {"RS256", JWS_RSA, "SHA256", NULL, NULL, 0},
    {"RS384", JWS_RSA, "SHA384", NULL, NULL, 0},
    {"RS512", JWS_RSA, "SHA512", NULL, NULL, 0},
    {"PS256", JWS_PSS, "SHA256", NULL, NULL, 0},
    {"PS384", JWS_PSS, "SHA384", NULL, NULL, 0},
    {"PS512", JWS_PSS, "SHA512", NULL, NULL, 0},
    {"ES256", JWS_EC, "SHA256", "P-256", "prime256v1", 32},
    {"ES384", JWS_EC, "SHA384", "P-384", "secp384r1", 48},
    {"ES512", JWS_EC, "SHA512", "P-521", "secp521r1", 66},
    {"EdDSA", JWS_ED, NULL, NULL, NULL, 0},
};

static const struct jws_alg *
jws_alg_find(const char *alg)
{
    if (alg == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof jws_algs / sizeof *jws_algs; i++)
        if (strcmp(jws_algs[i].name, alg) == 0)
            return &jws_algs[i];
    return NULL;
}

bool
hx_jws_alg_known(const char *alg)
{
    return jws_alg_find(alg) != NULL;
}

/* The JOSE name of an EC key's curve ("P-256"), or NULL for another. */
static const char *
jws_ec_curve(const EVP_PKEY *pkey)
{
    char group[64];
    size_t len = 0;

    if (EVP_PKEY_get_group_name(pkey, group, sizeof group, &len) != 1) {
        ERR_clear_error();
        return NULL;
    }
    for (size_t i = 0; i < sizeof jws_algs / sizeof *jws_algs; i++)
        if (jws_algs[i].group != NULL && strcmp(jws_algs[i].group, group) == 0)
            return jws_algs[i].curve;
    return NULL;
}

void
hx_jws_key_describe(const void *key, char *out, size_t out_size)
{
    const EVP_PKEY *pkey = key;
    const char *curve;

    switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
        snprintf(out, out_size, "RSA %d-bit", EVP_PKEY_get_bits(pkey));
        return;
    case EVP_PKEY_EC: {
        char group[64];
        size_t len = 0;
        curve = jws_ec_curve(pkey);
        if (curve == NULL && EVP_PKEY_get_group_name(pkey, group, sizeof group, &len) != 1) {
            ERR_clear_error();
            snprintf(group, sizeof group, "on an unnamed curve");
        }
        snprintf(out, out_size, "EC %s", curve != NULL ? curve : group);
        return;
    }
    case EVP_PKEY_ED25519:
        snprintf(out, out_size, "Ed25519");
        return;
    default: {
        const char *type = EVP_PKEY_get0_type_name(pkey);
        snprintf(out, out_size, "%s", type != NULL ? type : "of an unknown type");
        return;
    }
    }
}

bool
hx_jws_key_fits(const void *key, const char *alg, char *why, size_t why_size)
{
    const EVP_PKEY *pkey = key;
    const struct jws_alg *a = jws_alg_find(alg);
    const char *needs = NULL;
    char have[80];
    bool fits = false;

    if (a == NULL) {
        if (why != NULL)
            snprintf(why, why_size, "the alg %s is not one this harness signs with a key",
                     alg != NULL ? alg : "(none)");
        return false;
    }
    switch (a->family) {
    case JWS_RSA:
    case JWS_PSS:
        /* RFC 7518 §3.3 and §3.5: 2048 bits or more (smaller keys cannot
         * even hold a PS512 signature) */
        fits = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA && EVP_PKEY_get_bits(pkey) >= 2048;
        needs = "an RSA key of 2048 bits or more (RFC 7518 §3.3)";
        break;
    case JWS_EC: {
        const char *curve = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC ? jws_ec_curve(pkey) : NULL;
        fits = curve != NULL && strcmp(curve, a->curve) == 0;
        needs = a->curve;
        break;
    }
    case JWS_ED:
        fits = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519;
        needs = "an Ed25519 key";
        break;
    }
    if (!fits && why != NULL) {
        hx_jws_key_describe(pkey, have, sizeof have);
        snprintf(why, why_size, "the key is %s; %s needs %s%s", have, a->name,
                 a->family == JWS_EC ? "EC " : "", needs);
    }
    return fits;
}

/* A digest context set for alg's signature (digest, padding, salt);
 * sign chooses signing or verifying. Returns new, or NULL. */
static EVP_MD_CTX *
jws_ctx(const EVP_PKEY *pkey, const struct jws_alg *a, bool sign)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    EVP_MD *md = NULL;
    int ok;

    if (ctx == NULL)
        return NULL;
    if (a->hash != NULL && (md = EVP_MD_fetch(NULL, a->hash, NULL)) == NULL) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    /* EdDSA hashes the message itself: no digest */
    ok = sign ? EVP_DigestSignInit(ctx, &pctx, md, NULL, (EVP_PKEY *)pkey) == 1
              : EVP_DigestVerifyInit(ctx, &pctx, md, NULL, (EVP_PKEY *)pkey) == 1;
    if (ok && a->family == JWS_PSS)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
    else if (ok && a->family == JWS_RSA)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    EVP_MD_free(md);
    if (!ok) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* OpenSSL's DER ECDSA-Sig-Value to r || s, each coord bytes. */
static int
jws_ec_der_to_jose(const unsigned char *der, size_t der_len, size_t coord, unsigned char *out,
                   size_t out_size, size_t *out_len)
{
    const unsigned char *p = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    const BIGNUM *r, *s;
    int rc = CMN_E_INVAL;

    if (es == NULL)
        return CMN_E_INVAL;
    ECDSA_SIG_get0(es, &r, &s);
    if (out_size >= 2 * coord && BN_bn2binpad(r, out, (int)coord) == (int)coord &&
        BN_bn2binpad(s, out + coord, (int)coord) == (int)coord) {
        *out_len = 2 * coord;
        rc = 0;
    }
    ECDSA_SIG_free(es);
    return rc;
}

/* r || s (2 * coord bytes) to DER; returns new (OPENSSL_free) or NULL. */
static unsigned char *
jws_ec_jose_to_der(const unsigned char *sig, size_t coord, int *der_len)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, (int)coord, NULL), *s = BN_bin2bn(sig + coord, (int)coord, NULL);
    unsigned char *der = NULL;

    if (es == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(es);
        return NULL;
    }
    *der_len = i2d_ECDSA_SIG(es, &der); /* es owns r and s now */
    ECDSA_SIG_free(es);
    if (*der_len <= 0) {
        OPENSSL_free(der);
        return NULL;
    }
    return der;
}

int
hx_jws_sign(const void *key, const char *alg, const void *msg, size_t n, unsigned char *sig,
            size_t sig_size, size_t *sig_len)
{
    const EVP_PKEY *pkey = key;
    const struct jws_alg *a = jws_alg_find(alg);
    unsigned char der[HX_JWS_SIG_MAX];
    size_t len = 0;
    EVP_MD_CTX *ctx;
    int rc = CMN_E_INVAL;

    if (pkey == NULL || a == NULL || !hx_jws_key_fits(pkey, alg, NULL, 0))
        return CMN_E_INVAL;
    ctx = jws_ctx(pkey, a, true);
    if (ctx == NULL) {
        ERR_clear_error();
        return CMN_E_NOMEM;
    }
    /* the largest signature of this key first: a key too large for the
     * buffer is refused, never cut */
    len = sizeof der;
    if (EVP_PKEY_get_size(pkey) <= 0 || (size_t)EVP_PKEY_get_size(pkey) > sizeof der ||
        EVP_DigestSign(ctx, der, &len, msg, n) != 1)
        goto out;
    if (a->family == JWS_EC) {
        rc = jws_ec_der_to_jose(der, len, a->coord, sig, sig_size, sig_len);
    } else if (len <= sig_size) {
        memcpy(sig, der, len);
        *sig_len = len;
        rc = 0;
    }
out:
    OPENSSL_cleanse(der, sizeof der);
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return rc;
}

bool
hx_jws_verify(const void *key, const char *alg, const void *msg, size_t n, const unsigned char *sig,
              size_t sig_len)
{
    const EVP_PKEY *pkey = key;
    const struct jws_alg *a = jws_alg_find(alg);
    unsigned char *der = NULL;
    int der_len = 0;
    EVP_MD_CTX *ctx;
    bool ok = false;

    if (pkey == NULL || a == NULL || !hx_jws_key_fits(pkey, alg, NULL, 0))
        return false;
    if (a->family == JWS_EC) {
        /* the JOSE form only: a DER signature or a short r || s is wrong */
        if (sig_len != 2 * a->coord || (der = jws_ec_jose_to_der(sig, a->coord, &der_len)) == NULL)
            return false;
        sig = der;
        sig_len = (size_t)der_len;
    }
    ctx = jws_ctx(pkey, a, false);
    if (ctx != NULL)
        ok = EVP_DigestVerify(ctx, sig, sig_len, msg, n) == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    ERR_clear_error();
    return ok;
}
