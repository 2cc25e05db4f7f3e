/* Ed25519 keys: load (PEM, or a private JWK), make, identify, sign,
 * verify; for evidence bundles and for the target's token key. */
#include "hx/signing_key.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <jansson.h>

#include "cmn/b64url.h"
#include "cmn/env.h"

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

/* Wraps pkey (taken, on success and on failure) once it is known to be
 * Ed25519, with its id. */
static int
signing_key_wrap(EVP_PKEY *pkey, bool has_private, const char *name, struct hx_signing_key **out,
                 struct hx_error *err)
{
    struct hx_signing_key *k = NULL;
    unsigned char *der = NULL, digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    int len, rc = HX_E_NOMEM;

    if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
        const char *type = EVP_PKEY_get0_type_name(pkey);
        hx_error_set(err, name, 0, "%s: the key is %s, not Ed25519", name,
                     type ? type : "of another type");
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

/* A private Ed25519 JWK (RFC 8037: kty OKP, crv Ed25519, d, and x when
 * given must be d's public half). */
static int
signing_key_parse_jwk(const char *text, size_t n, const char *name, struct hx_signing_key **out,
                      struct hx_error *err)
{
    json_error_t jerr;
    json_t *jwk = json_loadb(text, n, JSON_REJECT_DUPLICATES, &jerr);
    const char *kty, *crv, *d, *x;
    unsigned char *raw = NULL, *xraw = NULL, pub[32];
    size_t raw_len = 0, xraw_len = 0, pub_len = sizeof pub;
    EVP_PKEY *pkey = NULL;
    int rc = HX_E_PARSE;

    if (jwk == NULL || !json_is_object(jwk)) {
        hx_error_set(err, name, 0, "%s: not a JWK (a JSON object): %s", name,
                     jwk == NULL ? jerr.text : "another JSON value");
        goto out;
    }
    kty = json_string_value(json_object_get(jwk, "kty"));
    crv = json_string_value(json_object_get(jwk, "crv"));
    d = json_string_value(json_object_get(jwk, "d"));
    x = json_string_value(json_object_get(jwk, "x"));
    if (kty == NULL || strcmp(kty, "OKP") != 0 || crv == NULL || strcmp(crv, "Ed25519") != 0) {
        hx_error_set(err, name, 0, "%s: kty/crv: the JWK is %s/%s, not OKP/Ed25519", name,
                     kty ? kty : "(none)", crv ? crv : "(none)");
        goto out;
    }
    if (d == NULL) {
        hx_error_set(err, name, 0, "%s: d: the JWK has no private part (a public key)", name);
        goto out;
    }
    if (cmn_b64url_decode(d, strlen(d), &raw, &raw_len) != 0 || raw_len != 32) {
        hx_error_set(err, name, 0, "%s: d: expected 32 bytes in base64url", name);
        goto out;
    }
    pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, raw, raw_len);
    if (pkey == NULL || EVP_PKEY_get_raw_public_key(pkey, pub, &pub_len) != 1) {
        hx_error_set(err, name, 0, "%s: d: not an Ed25519 private key", name);
        goto out;
    }
    if (x != NULL && (cmn_b64url_decode(x, strlen(x), &xraw, &xraw_len) != 0 ||
                      xraw_len != pub_len || memcmp(xraw, pub, pub_len) != 0)) {
        hx_error_set(err, name, 0, "%s: x: not the public half of d", name);
        goto out;
    }
    rc = signing_key_wrap(pkey, true, name, out, err);
    pkey = NULL;
out:
    if (raw != NULL)
        OPENSSL_cleanse(raw, raw_len);
    free(raw);
    free(xraw);
    EVP_PKEY_free(pkey);
    json_decref(jwk);
    ERR_clear_error();
    return rc;
}

static int
signing_key_parse(const char *pem, size_t n, const char *name, bool want_private,
                  struct hx_signing_key **out, struct hx_error *err)
{
    BIO *bio;
    EVP_PKEY *pkey;
    size_t lead = 0;

    while (lead < n && strchr(" \t\r\n", pem[lead]) != NULL && pem[lead] != '\0')
        lead++;
    if (want_private && lead < n && pem[lead] == '{' && n <= HX_SIGNING_KEY_FILE_MAX)
        return signing_key_parse_jwk(pem, n, name, out, err);

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
    return signing_key_wrap(pkey, want_private, name, out, err);
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
    return signing_key_parse(pem, n, name, true, out, err);
}

int
hx_signing_key_parse_public(const char *pem, size_t n, const char *name,
                            struct hx_signing_key **out, struct hx_error *err)
{
    return signing_key_parse(pem, n, name, false, out, err);
}

static int
signing_key_load(const char *path, bool want_private, struct hx_signing_key **out,
                 struct hx_error *err)
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
    rc = signing_key_parse(text, n, path, want_private, out, err);
    OPENSSL_cleanse(text, n);
    free(text);
    return rc;
}

int
hx_signing_key_load_private(const char *path, struct hx_signing_key **out, struct hx_error *err)
{
    return signing_key_load(path, true, out, err);
}

int
hx_signing_key_load_public(const char *path, struct hx_signing_key **out, struct hx_error *err)
{
    return signing_key_load(path, false, out, err);
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
    return signing_key_wrap(pkey, true, "the generated key", out, err);
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

    if (!k->has_private)
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

    if (sig_len != HX_SIGNING_KEY_SIG_LEN)
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
