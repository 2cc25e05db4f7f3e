#ifndef HX_JWT_H
#define HX_JWT_H
/*
 * JSON Web Tokens, the harness's one decoder: split and decode strictly
 * (three segments, base64url, JSON objects without duplicate keys), read
 * claims, sign and verify with HMAC, and build tokens by hand (forged
 * headers, raw payload text, any signature). Expectations ("jwt", "is":
 * "jwt") and probes both use it. No network, no validation policy: the
 * target decides, the harness judges. Pure functions, unit-tested.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Largest token the harness parses (bytes). */
#define HX_JWT_MAX 65536

/* A decoded token. Every member is owned by the struct. */
struct hx_jwt {
    json_t *header;      /* new: the decoded header object */
    json_t *payload;     /* new: the decoded claims object */
    char *signing_input; /* new: "header.payload", NUL-terminated */
    size_t signing_input_len;
    unsigned char *sig; /* new: decoded signature (may be empty) */
    size_t sig_len;
    char *sig_b64; /* new: the signature segment as sent */
};

/* Parses a compact JWS (exactly three segments; header and payload
 * base64url JSON objects, parsed strictly; the signature base64url).
 * Returns 0, or CMN_E_INVAL with a short reason in why (when given):
 * "it does not have three dot-separated parts", "its header is not
 * base64url", "its payload is not a JSON object", ... */
int hx_jwt_parse(const char *token, struct hx_jwt *out, char *why, size_t why_size);
void hx_jwt_cleanup(struct hx_jwt *j); /* NULL-safe, idempotent */

/* Borrowed: the header's alg, or NULL. */
const char *hx_jwt_alg(const struct hx_jwt *j);

/* Reads an integer claim. Returns 0, or CMN_E_INVAL when absent or not an
 * integer (a string "123" or a real is not accepted). */
int hx_jwt_claim_int(const struct hx_jwt *j, const char *claim, long long *out);

/* HMAC of (msg, n) with key for alg "HS256", "HS384" or "HS512"; mac must
 * hold 64 bytes. Returns 0 and the length in *mac_len, or CMN_E_INVAL for
 * another alg. */
int hx_jwt_hmac(const char *alg, const void *key, size_t key_len, const void *msg, size_t n,
                unsigned char *mac, size_t *mac_len);

/* True when the token's signature is a valid HMAC of its signing input
 * under key for the given alg (constant-time comparison). */
bool hx_jwt_verify_hmac(const struct hx_jwt *j, const char *alg, const void *key, size_t key_len);

/* How a hand-built token is signed. */
enum hx_jwt_sig {
    HX_JWT_SIG_NONE = 0, /* "h.p." : empty signature segment */
    HX_JWT_SIG_HMAC,     /* HMAC with alg_for_mac and key */
    HX_JWT_SIG_RAW,      /* the given base64url text as the signature segment */
    HX_JWT_SIG_PKEY,     /* signed with pkey as alg_for_pkey says (hx_jws_sign) */
};

struct hx_jwt_build {
    const char *header_json;  /* raw JSON text of the header, used as is */
    const char *payload_json; /* raw JSON text of the payload, used as is */
    enum hx_jwt_sig sig;
    const char *alg_for_mac; /* HX_JWT_SIG_HMAC: "HS256"... */
    const void *key;         /* HX_JWT_SIG_HMAC */
    size_t key_len;
    const char *raw_sig;      /* HX_JWT_SIG_RAW */
    void *pkey;               /* HX_JWT_SIG_PKEY: EVP_PKEY *, borrowed */
    const char *alg_for_pkey; /* HX_JWT_SIG_PKEY: "RS256", "ES256"...; NULL: "EdDSA" */
    bool omit_sig_dot;        /* "h.p" with two segments only */
};

/* Returns new (free()): the compact token, or NULL when out of memory or
 * the build is inconsistent. Raw JSON text lets a probe send what jansson
 * would never produce (duplicate keys). */
char *hx_jwt_build(const struct hx_jwt_build *b);

/* Returns new (free()): compact JSON of obj, keys in insertion order. */
char *hx_jwt_json(const json_t *obj);

#endif
