#ifndef HX_SIGNING_KEY_INT_H
#define HX_SIGNING_KEY_INT_H
/* Shared by signing_key.c (PEM, the key itself) and signing_key_jwk.c (the
 * JWK forms). Only for signing_key*.c. */
#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>

#include "hx/signing_key.h"

/* What a key is for: an evidence bundle's key is Ed25519; a target's token
 * key is Ed25519, RSA, or EC on P-256, P-384 or P-521. */
enum hx__signing_key_use {
    HX__SIGNING_KEY_BUNDLE = 0,
    HX__SIGNING_KEY_TOKEN,
};

/* Wraps pkey (taken, on success and on failure) once it is of a type the
 * use allows, with its id. Returns 0 with *out new, HX_E_PARSE (another
 * type, said in err with name) or HX_E_NOMEM. */
int hx__signing_key_wrap(EVP_PKEY *pkey, bool has_private, enum hx__signing_key_use use,
                         const char *name, struct hx_signing_key **out, struct hx_error *err);

/* A private JWK (RFC 7517/7518/8037: kty RSA, EC or OKP) or a JWK Set
 * holding one private key, in (text, n). Returns 0 with *out new, or
 * HX_E_PARSE with name and the member at fault in err, or HX_E_NOMEM. */
int hx__signing_key_parse_jwk(const char *text, size_t n, const char *name,
                              enum hx__signing_key_use use, struct hx_signing_key **out,
                              struct hx_error *err);

#endif
