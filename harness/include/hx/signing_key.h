#ifndef HX_SIGNING_KEY_H
#define HX_SIGNING_KEY_H
/*
 * Ed25519 keys (OpenSSL 3 EVP) that sign and verify evidence bundles, and
 * the target's own token key (--token-key: the harness signs EdDSA tokens
 * as the target would): a private key read from a PEM file (PKCS#8, as
 * `openssl genpkey -algorithm ed25519` writes it) or a private JWK (RFC
 * 8037, as Better Auth's jwt plugin stores it), or made for one run, or a
 * public key alone (PEM SubjectPublicKeyInfo) for a verifier.
 *
 * Invariants: a key is always Ed25519; its id is the lowercase hex SHA-256
 * of its public key's DER SubjectPublicKeyInfo, computed once. The private
 * half never leaves this module: there is no function that writes it.
 */
#include <stdbool.h>
#include <stddef.h>

#include "hx/error.h"

#define HX_SIGNING_KEY_SIG_LEN 64   /* an Ed25519 signature */
#define HX_SIGNING_KEY_ID_LEN 64    /* hex SHA-256, without the NUL */
#define HX_SIGNING_KEY_FILE_MAX (64 * 1024)

struct hx_signing_key;

/* Reads an Ed25519 private key from the file at path: PEM, or a JWK (a
 * JSON object with kty OKP, crv Ed25519, d). Returns 0 with *out new
 * (hx_signing_key_free), HX_E_NOTFOUND (no such file), HX_E_IO (unreadable)
 * or HX_E_PARSE (not a PEM private key or a private JWK, encrypted, or not
 * Ed25519; a JWK's x that is not d's public half), with the path, the field
 * and what is wrong in err. */
int hx_signing_key_load_private(const char *path, struct hx_signing_key **out,
                                struct hx_error *err);

/* The same from PEM text in memory; name stands for the file in err. */
int hx_signing_key_parse_private(const char *pem, size_t n, const char *name,
                                 struct hx_signing_key **out, struct hx_error *err);

/* A fresh Ed25519 key pair, in memory only. Returns 0 with *out new, or
 * HX_E_NOMEM. */
int hx_signing_key_generate(struct hx_signing_key **out, struct hx_error *err);

/* Reads an Ed25519 public key (PEM "PUBLIC KEY") from path; errors as
 * hx_signing_key_load_private(). The key can verify, not sign. */
int hx_signing_key_load_public(const char *path, struct hx_signing_key **out,
                               struct hx_error *err);
int hx_signing_key_parse_public(const char *pem, size_t n, const char *name,
                                struct hx_signing_key **out, struct hx_error *err);

void hx_signing_key_free(struct hx_signing_key *k); /* NULL-safe */

/* Borrowed: the key id (HX_SIGNING_KEY_ID_LEN hex digits), valid until the
 * key is freed. */
const char *hx_signing_key_id(const struct hx_signing_key *k);

/* Borrowed: the key as an EVP_PKEY * (hx_jwt_build's pkey), valid until the
 * key is freed. The private half stays in memory: nothing writes it. */
const void *hx_signing_key_evp(const struct hx_signing_key *k);

/* True when k holds a private half (it can sign). */
bool hx_signing_key_can_sign(const struct hx_signing_key *k);

/* The public key as PEM text. Returns 0 with *out new (free()) and *out_len
 * its length, or HX_E_NOMEM. */
int hx_signing_key_public_pem(const struct hx_signing_key *k, char **out, size_t *out_len);

/* Signs (msg, n) with Ed25519 into sig. Returns 0, HX_E_INVAL (a public key
 * alone) or HX_E_NOMEM. */
int hx_signing_key_sign(const struct hx_signing_key *k, const void *msg, size_t n,
                        unsigned char sig[HX_SIGNING_KEY_SIG_LEN]);

/* True when sig (sig_len bytes) is k's Ed25519 signature of (msg, n). */
bool hx_signing_key_verify(const struct hx_signing_key *k, const void *msg, size_t n,
                           const unsigned char *sig, size_t sig_len);

#endif
