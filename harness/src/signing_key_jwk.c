/* Private keys given as a JWK (RFC 7517): kty RSA (RFC 7518 §6.3), EC on
 * P-256/P-384/P-521 (§6.2), OKP Ed25519 (RFC 8037), or a JWK Set holding
 * one private key. Each member is checked, and every mistake names it. */
#include "signing_key_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/param_build.h>

#include <jansson.h>

#include "cmn/b64url.h"
#include "hx/jws.h"

/* One decoded member, wiped when freed. */
struct jwk_bytes {
    unsigned char *p; /* new (free()) */
    size_t len;
};

static void
jwk_bytes_clear(struct jwk_bytes *b)
{
    if (b->p != NULL)
        OPENSSL_cleanse(b->p, b->len);
    free(b->p);
    b->p = NULL;
    b->len = 0;
}

/* Decodes member m of jwk (base64url). want: its exact length in bytes, 0
 * for any but empty. Absent: 1 (b untouched), or an error when required.
 * Returns 0, 1 or HX_E_PARSE with "name: m: what is wrong" in err. */
static int
jwk_member(const json_t *jwk, const char *m, size_t want, bool required, const char *name,
           struct jwk_bytes *b, struct hx_error *err)
{
    const json_t *v = json_object_get(jwk, m);
    const char *text = json_string_value(v);

    if (v == NULL) {
        if (!required)
            return 1;
        hx_error_set(err, name, 0, "%s: %s: missing", name, m);
        return HX_E_PARSE;
    }
    if (text == NULL) {
        hx_error_set(err, name, 0, "%s: %s: not a string", name, m);
        return HX_E_PARSE;
    }
    if (cmn_b64url_decode(text, strlen(text), &b->p, &b->len) != 0) {
        hx_error_set(err, name, 0, "%s: %s: not base64url", name, m);
        return HX_E_PARSE;
    }
    if (b->len == 0 || (want != 0 && b->len != want)) {
        if (want != 0)
            hx_error_set(err, name, 0, "%s: %s: %zu bytes, expected %zu", name, m, b->len, want);
        else
            hx_error_set(err, name, 0, "%s: %s: empty", name, m);
        jwk_bytes_clear(b);
        return HX_E_PARSE;
    }
    return 0;
}

/* Pushes b as an unsigned big-endian integer param. */
static bool
jwk_push_bn(OSSL_PARAM_BLD *bld, const char *key, const struct jwk_bytes *b, BIGNUM **bn)
{
    *bn = BN_secure_new();
    return *bn != NULL && BN_bin2bn(b->p, (int)b->len, *bn) != NULL &&
           OSSL_PARAM_BLD_push_BN(bld, key, *bn) == 1;
}

/* The key from params, as a key pair. Returns new, or NULL. */
static EVP_PKEY *
jwk_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    EVP_PKEY *pkey = NULL;

    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params) != 1)
        pkey = NULL;
    OSSL_PARAM_free(params); /* clears the private values it holds */
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

/* True when a signature made with pkey's private half verifies under its
 * public half: the one test of "the private part belongs to the public
 * part" that holds for every key type. */
static bool
jwk_signs_and_verifies(EVP_PKEY *pkey, const char *alg)
{
    static const char msg[] = "authconform key check";
    unsigned char sig[HX_JWS_SIG_MAX];
    size_t len = 0;

    return hx_jws_sign(pkey, alg, msg, sizeof msg - 1, sig, sizeof sig, &len) == 0 &&
           hx_jws_verify(pkey, alg, msg, sizeof msg - 1, sig, len);
}

/* kty RSA: n, e, d, and p, q, dp, dq, qi all together or not at all. */
static int
jwk_rsa(const json_t *jwk, const char *name, EVP_PKEY **out, struct hx_error *err)
{
    static const char *const members[] = {"n", "e", "d", "p", "q", "dp", "dq", "qi"};
    static const char *const params[] = {
        OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,
        OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
        OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
        OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
    };
    struct jwk_bytes b[8] = {{0}};
    BIGNUM *bn[8] = {0};
    OSSL_PARAM_BLD *bld = NULL;
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *check = NULL;
    size_t n_crt = 0;
    const char *absent = NULL;
    int rc = HX_E_PARSE, got;

    if (json_object_get(jwk, "oth") != NULL) {
        hx_error_set(err, name, 0, "%s: oth: keys of more than two primes are not supported", name);
        goto out;
    }
    if (json_object_get(jwk, "d") == NULL && json_object_get(jwk, "n") != NULL) {
        hx_error_set(err, name, 0, "%s: d: the JWK has no private part (a public key)", name);
        goto out;
    }
    for (size_t i = 0; i < 8; i++) {
        got = jwk_member(jwk, members[i], 0, i < 3, name, &b[i], err);
        if (got < 0)
            goto out;
        if (i >= 3 && got == 0)
            n_crt++;
        else if (i >= 3 && absent == NULL)
            absent = members[i];
    }
    if (b[0].len > HX_JWS_SIG_MAX) {
        hx_error_set(err, name, 0, "%s: n: more than %d bits is not supported", name,
                     8 * HX_JWS_SIG_MAX);
        goto out;
    }
    if (n_crt != 0 && n_crt != 5) {
        hx_error_set(err, name, 0,
                     "%s: %s: missing (p, q, dp, dq and qi come all together, RFC 7518 §6.3.2)",
                     name, absent);
        goto out;
    }
    rc = HX_E_NOMEM;
    if ((bld = OSSL_PARAM_BLD_new()) == NULL)
        goto out;
    for (size_t i = 0; i < 8; i++)
        if (b[i].p != NULL && !jwk_push_bn(bld, params[i], &b[i], &bn[i]))
            goto out;
    rc = HX_E_PARSE;
    pkey = jwk_fromdata("RSA", bld);
    if (pkey == NULL) {
        hx_error_set(err, name, 0, "%s: n, e, d: not an RSA key", name);
        goto out;
    }
    if (n_crt == 5 && ((check = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL ||
                       EVP_PKEY_pairwise_check(check) != 1)) {
        hx_error_set(err, name, 0,
                     "%s: p, q, dp, dq, qi: not the factors of n with d and e (the private part "
                     "does not belong to the public part)",
                     name);
        goto out;
    }
    /* a key too small for any alg is refused for its size (by the wrap) */
    if (hx_jws_key_fits(pkey, "RS256", NULL, 0) && !jwk_signs_and_verifies(pkey, "RS256")) {
        hx_error_set(err, name, 0, "%s: d: not the private half of n, e", name);
        goto out;
    }
    *out = pkey;
    pkey = NULL;
    rc = 0;
out:
    if (rc == HX_E_NOMEM)
        hx_error_set(err, name, 0, "%s: out of memory", name);
    for (size_t i = 0; i < 8; i++) {
        jwk_bytes_clear(&b[i]);
        BN_clear_free(bn[i]);
    }
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(check);
    EVP_PKEY_free(pkey);
    return rc;
}

/* kty EC: crv P-256/P-384/P-521, x and y (the point), d; each coordinate
 * and d the curve's full length (RFC 7518 §6.2.1.2, §6.2.2.1). */
static int
jwk_ec(const json_t *jwk, const char *name, EVP_PKEY **out, struct hx_error *err)
{
    static const struct {
        const char *crv, *group, *alg;
        size_t len;
    } curves[] = {
        {"P-256", "P-256", "ES256", 32},
        {"P-384", "P-384", "ES384", 48},
        {"P-521", "P-521", "ES512", 66},
    };
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    struct jwk_bytes x = {0}, y = {0}, d = {0};
    unsigned char point[1 + 2 * 66];
    BIGNUM *dn = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *check = NULL;
    size_t c = 0, len;
    int rc = HX_E_PARSE;

    if (crv == NULL) {
        hx_error_set(err, name, 0, "%s: crv: missing", name);
        goto out;
    }
    while (c < 3 && strcmp(crv, curves[c].crv) != 0)
        c++;
    if (c == 3) {
        hx_error_set(err, name, 0, "%s: crv: %s is not supported (P-256, P-384 or P-521)", name,
                     crv);
        goto out;
    }
    len = curves[c].len;
    if (json_object_get(jwk, "d") == NULL) {
        hx_error_set(err, name, 0, "%s: d: the JWK has no private part (a public key)", name);
        goto out;
    }
    if (jwk_member(jwk, "x", len, true, name, &x, err) != 0 ||
        jwk_member(jwk, "y", len, true, name, &y, err) != 0 ||
        jwk_member(jwk, "d", len, true, name, &d, err) != 0)
        goto out;
    point[0] = 0x04; /* uncompressed: x then y */
    memcpy(point + 1, x.p, len);
    memcpy(point + 1 + len, y.p, len);
    rc = HX_E_NOMEM;
    if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curves[c].group, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, 1 + 2 * len) != 1 ||
        !jwk_push_bn(bld, OSSL_PKEY_PARAM_PRIV_KEY, &d, &dn))
        goto out;
    rc = HX_E_PARSE;
    pkey = jwk_fromdata("EC", bld);
    if (pkey == NULL) {
        hx_error_set(err, name, 0, "%s: x, y: not a point of %s", name, curves[c].crv);
        goto out;
    }
    /* the public point valid, d in range and d's point (x, y) */
    if ((check = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL ||
        EVP_PKEY_public_check(check) != 1) {
        hx_error_set(err, name, 0, "%s: x, y: not a point of %s", name, curves[c].crv);
        goto out;
    }
    if (EVP_PKEY_private_check(check) != 1 || EVP_PKEY_pairwise_check(check) != 1 ||
        !jwk_signs_and_verifies(pkey, curves[c].alg)) {
        hx_error_set(err, name, 0, "%s: d: not the private half of x, y", name);
        goto out;
    }
    *out = pkey;
    pkey = NULL;
    rc = 0;
out:
    if (rc == HX_E_NOMEM)
        hx_error_set(err, name, 0, "%s: out of memory", name);
    jwk_bytes_clear(&x);
    jwk_bytes_clear(&y);
    jwk_bytes_clear(&d);
    BN_clear_free(dn);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(check);
    EVP_PKEY_free(pkey);
    return rc;
}

/* kty OKP, crv Ed25519: d, and x when given must be d's public half. */
static int
jwk_okp(const json_t *jwk, const char *name, EVP_PKEY **out, struct hx_error *err)
{
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    struct jwk_bytes d = {0}, x = {0};
    unsigned char pub[32];
    size_t pub_len = sizeof pub;
    EVP_PKEY *pkey = NULL;
    int rc = HX_E_PARSE;

    if (crv == NULL) {
        hx_error_set(err, name, 0, "%s: crv: missing", name);
        goto out;
    }
    if (strcmp(crv, "Ed25519") != 0) {
        hx_error_set(err, name, 0, "%s: crv: %s is not supported (Ed25519)", name, crv);
        goto out;
    }
    if (json_object_get(jwk, "d") == NULL) {
        hx_error_set(err, name, 0, "%s: d: the JWK has no private part (a public key)", name);
        goto out;
    }
    if (jwk_member(jwk, "d", 32, true, name, &d, err) != 0)
        goto out;
    pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, d.p, d.len);
    if (pkey == NULL || EVP_PKEY_get_raw_public_key(pkey, pub, &pub_len) != 1) {
        hx_error_set(err, name, 0, "%s: d: not an Ed25519 private key", name);
        goto out;
    }
    if (jwk_member(jwk, "x", 0, false, name, &x, err) < 0)
        goto out;
    if (x.p != NULL && (x.len != pub_len || memcmp(x.p, pub, pub_len) != 0)) {
        hx_error_set(err, name, 0, "%s: x: not the public half of d", name);
        goto out;
    }
    *out = pkey;
    pkey = NULL;
    rc = 0;
out:
    jwk_bytes_clear(&d);
    jwk_bytes_clear(&x);
    EVP_PKEY_free(pkey);
    return rc;
}

/* One JWK object; name is what errors call it. */
static int
jwk_key(const json_t *jwk, const char *name, enum hx__signing_key_use use,
        struct hx_signing_key **out, struct hx_error *err)
{
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    EVP_PKEY *pkey = NULL;
    int rc;

    if (kty == NULL) {
        hx_error_set(err, name, 0, "%s: kty: %s", name,
                     json_object_get(jwk, "kty") == NULL ? "missing" : "not a string");
        return HX_E_PARSE;
    }
    if (strcmp(kty, "RSA") == 0)
        rc = jwk_rsa(jwk, name, &pkey, err);
    else if (strcmp(kty, "EC") == 0)
        rc = jwk_ec(jwk, name, &pkey, err);
    else if (strcmp(kty, "OKP") == 0)
        rc = jwk_okp(jwk, name, &pkey, err);
    else {
        hx_error_set(err, name, 0, "%s: kty: %s is not supported (RSA, EC or OKP)", name, kty);
        rc = HX_E_PARSE;
    }
    ERR_clear_error();
    if (rc != 0)
        return rc;
    return hx__signing_key_wrap(pkey, true, use, name, out, err);
}

int
hx__signing_key_parse_jwk(const char *text, size_t n, const char *name,
                          enum hx__signing_key_use use, struct hx_signing_key **out,
                          struct hx_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &jerr);
    const json_t *keys, *k, *chosen = NULL;
    size_t i, n_private = 0, at = 0;
    char label[400];
    int rc = HX_E_PARSE;

    if (root == NULL || !json_is_object(root)) {
        hx_error_set(err, name, 0, "%s: not a JWK (a JSON object): %s", name,
                     root == NULL ? jerr.text : "another JSON value");
        goto out;
    }
    keys = json_object_get(root, "keys");
    if (keys == NULL) {
        rc = jwk_key(root, name, use, out, err);
        goto out;
    }
    /* a JWK Set: the one private key in it */
    if (!json_is_array(keys)) {
        hx_error_set(err, name, 0, "%s: keys: not an array (a JWK Set)", name);
        goto out;
    }
    json_array_foreach(keys, i, k)
    {
        if (!json_is_object(k)) {
            hx_error_set(err, name, 0, "%s: keys[%zu]: not a JWK (a JSON object)", name, i);
            goto out;
        }
        if (json_object_get(k, "d") != NULL) {
            n_private++;
            chosen = k;
            at = i;
        }
    }
    if (n_private != 1) {
        if (n_private == 0)
            hx_error_set(err, name, 0, "%s: keys: no private key in the set (a public JWKS)", name);
        else
            hx_error_set(err, name, 0,
                         "%s: keys: %zu private keys in the set; give the one the target signs "
                         "with",
                         name, n_private);
        goto out;
    }
    snprintf(label, sizeof label, "%s: keys[%zu]", name, at);
    rc = jwk_key(chosen, label, use, out, err);
out:
    json_decref(root);
    return rc;
}
