/* Keys: load (PEM; the JWK forms are signing_key_jwk.c's), make,
 * identify, sign, verify; Ed25519 for evidence bundles, and the target's
 * token key of any JWS key type. */
#include "hx/signing_key.h"
#include "signing_key_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cmn/env.h"
#include "hx/jws.h"

struct hx_signing_key {
    EVP_PKEY *pkey;
    bool has_private;
    char id[HX_SIGNING_KEY_ID_LEN + 1];
};

/* A passphrase callback that refuses: an encrypted key fails to load
 * instead of prompting on the terminal. */
static int
signing_key_no_passphrase(char *buf, int size, int rwflag, void *ud)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)ud;
    return -1;
}

/* The first alg pkey fits (static), or NULL: a token key must be of a
 * type hx_jws signs with (RSA, EC on a JOSE curve, Ed25519). */
static const char *
signing_key_some_alg(const EVP_PKEY *pkey)
{
    static const char *const algs[] = {"RS256", "ES256", "ES384", "ES512", "EdDSA"};

    for (size_t i = 0; i < sizeof algs / sizeof *algs; i++)
        if (hx_jws_key_fits(pkey, algs[i], NULL, 0))
            return algs[i];
    return NULL;
}

/* True when a signature made with pkey's private half verifies under its
 * public half, in alg: a PEM file can carry a public part that is not the
 * private part's. */
static bool
signing_key_halves_match(const EVP_PKEY *pkey, const char *alg)
{
    static const char msg[] = "authconform key check";
    unsigned char sig[HX_JWS_SIG_MAX];
    size_t len = 0;

    return hx_jws_sign(pkey, alg, msg, sizeof msg - 1, sig, sizeof sig, &len) == 0 &&
           hx_jws_verify(pkey, alg, msg, sizeof msg - 1, sig, len);
}

int
hx__signing_key_wrap(EVP_PKEY *pkey, bool has_private, enum hx__signing_key_use use,
                     const char *name, struct hx_signing_key **out, struct hx_error *err)
{
    struct hx_signing_key *k = NULL;
    unsigned char *der = NULL, digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    char type[80];
    int len, rc = HX_E_NOMEM;

    if (use == HX__SIGNING_KEY_BUNDLE && EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
        hx_jws_key_describe(pkey, type, sizeof type);
        hx_error_set(err, name, 0, "%s: the key is %s, not Ed25519", name, type);
        rc = HX_E_PARSE;
        goto cleanup;
    }
    if (use == HX__SIGNING_KEY_TOKEN && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA &&
        EVP_PKEY_get_size(pkey) > HX_JWS_SIG_MAX) {
        hx_error_set(err, name, 0, "%s: the key is RSA %d-bit: more than %d bits is not supported",
                     name, EVP_PKEY_get_bits(pkey), 8 * HX_JWS_SIG_MAX);
        rc = HX_E_PARSE;
        goto cleanup;
    }
    if (use == HX__SIGNING_KEY_TOKEN && signing_key_some_alg(pkey) == NULL) {
        hx_jws_key_describe(pkey, type, sizeof type);
        hx_error_set(err, name, 0,
                     "%s: the key is %s: a token key is RSA (2048 bits or more, RFC 7518 "
                     "§3.3), EC on P-256, P-384 or P-521, or Ed25519",
                     name, type);
        rc = HX_E_PARSE;
        goto cleanup;
    }
    if (use == HX__SIGNING_KEY_TOKEN && has_private &&
        !signing_key_halves_match(pkey, signing_key_some_alg(pkey))) {
        hx_error_set(err, name, 0,
                     "%s: the private part does not belong to the public part (a signature made "
                     "with it does not verify)",
                     name);
        rc = HX_E_PARSE;
        goto cleanup;
    }
    k = calloc(1, sizeof *k);
    len = i2d_PUBKEY(pkey, &der);
    if (k == NULL || len <= 0 ||
        EVP_Digest(der, (size_t)len, digest, &dlen, EVP_sha256(), NULL) != 1)
        goto cleanup;
    for (unsigned int i = 0; i < dlen && 2 * i + 2 < sizeof k->id; i++)
        snprintf(k->id + 2 * i, 3, "%02x", digest[i]);
    k->pkey = pkey;
    k->has_private = has_private;
    pkey = NULL;
    *out = k;
    k = NULL;
    rc = 0;
cleanup:
    if (rc == HX_E_NOMEM)
        hx_error_set(err, name, 0, "%s: out of memory", name);
    OPENSSL_free(der);
    free(k);
    EVP_PKEY_free(pkey);
    ERR_clear_error();
    return rc;
}

/* What a PEM text holds instead of the key wanted, for the message. */
static const char *
signing_key_pem_hint(const char *pem, size_t n, bool want_private)
{
    char *text = strndup(pem, n);
    const char *hint;

    if (text == NULL)
        return "";
    if (strstr(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL)
        hint = " (it is encrypted: give an unencrypted PKCS#8 key)";
    else if (want_private && strstr(text, "-----BEGIN PUBLIC KEY-----") != NULL)
        hint = " (it holds a public key)";
    else if (!want_private && strstr(text, "PRIVATE KEY-----") != NULL)
        hint = " (it holds a private key: give the public half)";
    else if (strstr(text, "-----BEGIN ") == NULL)
        hint = " (no PEM block in it)";
    else
        hint = "";
    free(text);
    return hint;
}

/* want_private false: a public key (a bundle's, for a verifier). */
static int
signing_key_parse(const char *pem, size_t n, const char *name, bool want_private,
                  enum hx__signing_key_use use, struct hx_signing_key **out, struct hx_error *err)
{
    BIO *bio;
    EVP_PKEY *pkey;
    size_t lead = 0;

    while (lead < n && strchr(" \t\r\n", pem[lead]) != NULL && pem[lead] != '\0')
        lead++;
    if (want_private && lead < n && pem[lead] == '{' && n <= HX_SIGNING_KEY_FILE_MAX)
        return hx__signing_key_parse_jwk(pem, n, name, use, out, err);

    if (n > HX_SIGNING_KEY_FILE_MAX || n > (size_t)INT32_MAX) {
        hx_error_set(err, name, 0, "%s: larger than %d bytes: not a PEM key", name,
                     HX_SIGNING_KEY_FILE_MAX);
        return HX_E_PARSE;
    }
    bio = BIO_new_mem_buf(pem, (int)n);
    if (bio == NULL) {
        hx_error_set(err, name, 0, "%s: out of memory", name);
        return HX_E_NOMEM;
    }
    pkey = want_private ? PEM_read_bio_PrivateKey(bio, NULL, signing_key_no_passphrase, NULL)
                        : PEM_read_bio_PUBKEY(bio, NULL, signing_key_no_passphrase, NULL);
    BIO_free(bio);
    ERR_clear_error();
    if (pkey == NULL) {
        hx_error_set(err, name, 0, "%s: not a PEM %s key%s", name,
                     want_private ? "private" : "public",
                     signing_key_pem_hint(pem, n, want_private));
        return HX_E_PARSE;
    }
    return hx__signing_key_wrap(pkey, want_private, use, name, out, err);
}

const void *
hx_signing_key_evp(const struct hx_signing_key *k)
{
    return k->pkey;
}

int
hx_signing_key_parse_private(const char *pem, size_t n, const char *name,
                             struct hx_signing_key **out, struct hx_error *err)
{
    return signing_key_parse(pem, n, name, true, HX__SIGNING_KEY_BUNDLE, out, err);
}

int
hx_signing_key_parse_token_key(const char *text, size_t n, const char *name,
                               struct hx_signing_key **out, struct hx_error *err)
{
    return signing_key_parse(text, n, name, true, HX__SIGNING_KEY_TOKEN, out, err);
}

int
hx_signing_key_parse_public(const char *pem, size_t n, const char *name,
                            struct hx_signing_key **out, struct hx_error *err)
{
    return signing_key_parse(pem, n, name, false, HX__SIGNING_KEY_BUNDLE, out, err);
}

static int
signing_key_load(const char *path, bool want_private, enum hx__signing_key_use use,
                 struct hx_signing_key **out, struct hx_error *err)
{
    char *text = NULL;
    size_t n = 0;
    int rc = cmn_read_file(path, HX_SIGNING_KEY_FILE_MAX, &text, &n);

    if (rc == CMN_E_TOOBIG) {
        hx_error_set(err, path, 0, "%s: larger than %d bytes: not a PEM key", path,
                     HX_SIGNING_KEY_FILE_MAX);
        return HX_E_PARSE;
    }
    if (rc == CMN_E_NOMEM) {
        hx_error_set(err, path, 0, "%s: out of memory", path);
        return HX_E_NOMEM;
    }
    if (rc != 0) {
        bool missing = errno == ENOENT;
        hx_error_set(err, path, 0, "%s: %s", path, missing ? "no such file" : strerror(errno));
        return missing ? HX_E_NOTFOUND : HX_E_IO;
    }
    rc = signing_key_parse(text, n, path, want_private, use, out, err);
    OPENSSL_cleanse(text, n);
    free(text);
    return rc;
}

int
hx_signing_key_load_private(const char *path, struct hx_signing_key **out, struct hx_error *err)
{
    return signing_key_load(path, true, HX__SIGNING_KEY_BUNDLE, out, err);
}

int
hx_signing_key_load_token_key(const char *path, struct hx_signing_key **out, struct hx_error *err)
{
    return signing_key_load(path, true, HX__SIGNING_KEY_TOKEN, out, err);
}

int
hx_signing_key_load_public(const char *path, struct hx_signing_key **out, struct hx_error *err)
{
    return signing_key_load(path, false, HX__SIGNING_KEY_BUNDLE, out, err);
}

int
hx_signing_key_generate(struct hx_signing_key **out, struct hx_error *err)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");

    if (pkey == NULL) {
        ERR_clear_error();
        hx_error_set(err, NULL, 0, "cannot make an Ed25519 key");
        return HX_E_NOMEM;
    }
    return hx__signing_key_wrap(pkey, true, HX__SIGNING_KEY_BUNDLE, "the generated key", out, err);
}

void
hx_signing_key_free(struct hx_signing_key *k)
{
    if (k == NULL)
        return;
    EVP_PKEY_free(k->pkey);
    free(k);
}

const char *
hx_signing_key_id(const struct hx_signing_key *k)
{
    return k->id;
}

bool
hx_signing_key_can_sign(const struct hx_signing_key *k)
{
    return k->has_private;
}

int
hx_signing_key_public_pem(const struct hx_signing_key *k, char **out, size_t *out_len)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = NULL, *copy;
    long n;

    if (bio == NULL)
        return HX_E_NOMEM;
    if (PEM_write_bio_PUBKEY(bio, k->pkey) != 1 || (n = BIO_get_mem_data(bio, &data)) <= 0) {
        BIO_free(bio);
        ERR_clear_error();
        return HX_E_NOMEM;
    }
    copy = malloc((size_t)n + 1);
    if (copy == NULL) {
        BIO_free(bio);
        return HX_E_NOMEM;
    }
    memcpy(copy, data, (size_t)n);
    copy[n] = '\0';
    BIO_free(bio);
    *out = copy;
    *out_len = (size_t)n;
    return 0;
}

int
hx_signing_key_sign(const struct hx_signing_key *k, const void *msg, size_t n,
                    unsigned char sig[HX_SIGNING_KEY_SIG_LEN])
{
    EVP_MD_CTX *ctx;
    size_t sig_len = HX_SIGNING_KEY_SIG_LEN;
    int ok;

    if (!k->has_private || EVP_PKEY_get_id(k->pkey) != EVP_PKEY_ED25519)
        return HX_E_INVAL;
    ctx = EVP_MD_CTX_new();
    if (ctx == NULL)
        return HX_E_NOMEM;
    /* Ed25519 hashes the message itself: no digest, one shot */
    ok = EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
         EVP_DigestSign(ctx, sig, &sig_len, msg, n) == 1 && sig_len == HX_SIGNING_KEY_SIG_LEN;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        ERR_clear_error();
        return HX_E_NOMEM;
    }
    return 0;
}

bool
hx_signing_key_verify(const struct hx_signing_key *k, const void *msg, size_t n,
                      const unsigned char *sig, size_t sig_len)
{
    EVP_MD_CTX *ctx;
    bool ok;

    if (sig_len != HX_SIGNING_KEY_SIG_LEN || EVP_PKEY_get_id(k->pkey) != EVP_PKEY_ED25519)
        return false;
    ctx = EVP_MD_CTX_new();
    if (ctx == NULL)
        return false;
    ok = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
         EVP_DigestVerify(ctx, sig, sig_len, msg, n) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}
