#ifndef HX_JWS_H
#define HX_JWS_H
/*
 * Asymmetric JWS signatures with an OpenSSL EVP_PKEY: RS256/384/512
 * (RSASSA-PKCS1-v1_5, RFC 7518 §3.3), PS256/384/512 (RSASSA-PSS with MGF1
 * on the same hash and a salt as long as the hash, §3.5), ES256/384/512
 * (ECDSA on P-256/P-384/P-521, the signature as r || s, each zero-padded to
 * the curve's byte length, §3.4) and EdDSA (Ed25519, RFC 8037). Which key
 * fits which alg, signing and verifying. Keys are passed as const void *
 * (an EVP_PKEY *, borrowed) so that callers need no OpenSSL header.
 */
#include <stdbool.h>
#include <stddef.h>

/* Room for any signature these algs make (RSA keys up to 8192 bits). */
#define HX_JWS_SIG_MAX 1024

/* True when alg is one of the asymmetric algs above (case-sensitive, as
 * RFC 7515 says alg values are). */
bool hx_jws_alg_known(const char *alg);

/* Writes what the key is into out: "RSA 2048-bit", "EC P-256", "Ed25519",
 * or the type OpenSSL names. */
void hx_jws_key_describe(const void *pkey, char *out, size_t out_size);

/* True when pkey can sign alg: RSA of 2048 bits or more (RFC 7518 §3.3,
 * §3.5) for RS* and PS*, EC on P-256 for ES256,
 * P-384 for ES384, P-521 for ES512, Ed25519 for EdDSA. Otherwise false,
 * with why (when given): "the key is EC P-384; ES256 needs EC P-256". */
bool hx_jws_key_fits(const void *pkey, const char *alg, char *why, size_t why_size);

/* Signs (msg, n) as alg says into sig (sig_size bytes, HX_JWS_SIG_MAX is
 * always enough) and sets *sig_len. Returns 0, CMN_E_INVAL (alg unknown,
 * the key does not fit it, holds no private half, or sig is too small) or
 * CMN_E_NOMEM. */
int hx_jws_sign(const void *pkey, const char *alg, const void *msg, size_t n, unsigned char *sig,
                size_t sig_size, size_t *sig_len);

/* True when (sig, sig_len) is a valid alg signature of (msg, n) under
 * pkey's public half, in the JOSE form (ES*: r || s of exactly twice the
 * curve's byte length; PS*: salt as long as the hash). */
bool hx_jws_verify(const void *pkey, const char *alg, const void *msg, size_t n,
                   const unsigned char *sig, size_t sig_len);

#endif
