#ifndef HX_SIGNING_KEY_H
#define HX_SIGNING_KEY_H
/*
 * Keys (OpenSSL 3 EVP) of two uses. An evidence bundle's key, Ed25519,
 * signs and verifies bundles: a private key read from a PEM file (PKCS#8,
 * as `openssl genpkey -algorithm ed25519` writes it) or a private JWK (RFC
 * 8037), or made for one run, or a public key alone (PEM
 * SubjectPublicKeyInfo) for a verifier. The target's own token key
 * (--token-key: the harness signs tokens as the target would, hx_jws): RSA,
 * EC on P-256/P-384/P-521 or Ed25519, from PEM (PKCS#8, or the traditional
 * "RSA PRIVATE KEY" / "EC PRIVATE KEY" forms) or a private JWK (RFC 7518
 * §6: kty RSA, EC, OKP; or a JWK Set holding one private key, as Better
 * Auth's jwt plugin stores and serves keys).
 *
 * Invariants: a bundle key is always Ed25519; a token key is one of the
 * types above; a key's id is the lowercase hex SHA-256 of its public key's
 * DER SubjectPublicKeyInfo, computed once. The private half never leaves
 * this module: there is no function that writes it.
 */
#include <stdbool.h>
#include <stddef.h>

#include "hx/error.h"

#define HX_SIGNING_KEY_SIG_LEN 64 /* an Ed25519 signature */
#define HX_SIGNING_KEY_ID_LEN 64  /* hex SHA-256, without the NUL */
#define HX_SIGNING_KEY_FILE_MAX (64 * 1024)

struct hx_signing_key;

/* Reads a bundle's Ed25519 private key from the file at path: PEM, or a
 * JWK (a JSON object with kty OKP, crv Ed25519, d). Returns 0 with *out new
 * (hx_signing_key_free), HX_E_NOTFOUND (no such file), HX_E_IO
 * (unreadable) or HX_E_PARSE (not a PEM private key or a private JWK,
 * encrypted, or not Ed25519; a JWK member missing or wrong, such as an x
 * that is not d's public half), with the path, the member and what is
 * wrong in err. */
int hx_signing_key_load_private(const char *path, struct hx_signing_key **out,
                                struct hx_error *err);

/* The same from PEM or JWK text in memory; name stands for the file in err. */
int hx_signing_key_parse_private(const char *pem, size_t n, const char *name,
                                 struct hx_signing_key **out, struct hx_error *err);

/* Reads the target's token key from the file at path: PEM or a private JWK
 * (or a JWK Set with one private key) of type RSA, EC (P-256, P-384,
 * P-521) or Ed25519. Errors as hx_signing_key_load_private(); a JWK's
 * error names the member (n, e, d, p, q, dp, dq, qi, crv, x, y; keys for a
 * set) and never its value. The key signs with hx_jws_sign() on
 * hx_signing_key_evp(). */
int hx_signing_key_load_token_key(const char *path, struct hx_signing_key **out,
                                  struct hx_error *err);
int hx_signing_key_parse_token_key(const char *text, size_t n, const char *name,
                                   struct hx_signing_key **out, struct hx_error *err);

/* A fresh Ed25519 key pair, in memory only. Returns 0 with *out new, or
 * HX_E_NOMEM. */
int hx_signing_key_generate(struct hx_signing_key **out, struct hx_error *err);

/* Reads an Ed25519 public key (PEM "PUBLIC KEY") from path; errors as
 * hx_signing_key_load_private(). The key can verify, not sign. */
int hx_signing_key_load_public(const char *path, struct hx_signing_key **out, struct hx_error *err);
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
 * alone, or a token key of another type) or HX_E_NOMEM. */
int hx_signing_key_sign(const struct hx_signing_key *k, const void *msg, size_t n,
                        unsigned char sig[HX_SIGNING_KEY_SIG_LEN]);

/* True when sig (sig_len bytes) is k's Ed25519 signature of (msg, n)
 * (false for a key of another type). */
bool hx_signing_key_verify(const struct hx_signing_key *k, const void *msg, size_t n,
                           const unsigned char *sig, size_t sig_len);

#endif
