#ifndef HX_PROBES_FORGE_H
#define HX_PROBES_FORGE_H
/*
 * The forged and tampered tokens of the hs256 and token-expiry checks, and
 * how a target's answer to each is judged. Pure: builds tokens from a
 * genuine one, never talks to the network.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Which user's resources a forged token is sent against. */
enum hx_forge_path {
    HX_FORGE_PATH_SELF = 0, /* the genuine token's owner */
    HX_FORGE_PATH_OTHER,    /* the other identity (the token claims to be them) */
    HX_FORGE_PATH_FAKE,     /* a user id that does not exist */
};

struct hx_forge_in {
    const char *token;         /* the genuine token (identity A) */
    const char *other_token;   /* identity B's genuine token, or NULL */
    const char *other_user_id; /* B's user id, or NULL */
    const char *fake_user_id;  /* a random UUID no account has (expiry set) */
    const char *user_claim;    /* claim that carries the user id ("user_id") */
    const char *secret;        /* the target's secret when known, else NULL */
    size_t secret_len;
    /* the target's own signing key (EVP_PKEY *, borrowed) when known: the
     * expiry set is then signed with it as pkey_alg says ("RS256", "ES256",
     * "EdDSA"...; NULL: EdDSA) under kid (may be NULL) instead of HS256
     * with the secret */
    const void *pkey;
    const char *pkey_alg;
    const char *kid;
    const char *jwks; /* the target's JWKS document (JSON text), or NULL */
    time_t now;       /* the target's clock (expiry set) */
    long lifetime;    /* the expected lifetime in seconds (expiry set) */
};

struct hx_forgery {
    char name[48];     /* stable, e.g. "alg-none-unsigned" */
    char what[200];    /* one line for the report */
    char *token;       /* new */
    char url_path[64]; /* key-url set: the key server path its header names ("" otherwise) */
    enum hx_forge_path path;
    bool any_refusal; /* any 4xx (and a cut connection) is a right answer */
};

#define HX_FORGE_MAX 48

/* The attack class of a forgery (by its name), so that each class is a
 * check of its own: one defect, one red line.
 *   hs256 set:  "alg-none" (alg none in any case, with or without the genuine
 *               signature; alg twice), "other-hmac-alg" (HS384/HS512 with
 *               the real secret), "signature" (stripped, missing, another
 *               token's, ES256 all zeros), "payload-tampered" (user id switched,
 *               exp extended, a claim added twice, payload not base64url:
 *               all under the genuine signature), "header-injection" (kid
 *               path and SQL, RS256/ES256 headers over an HMAC signature),
 *               "malformed" (extra segments, oversized), "duplicate-claims"
 *               (a claim twice, signed with the real secret: accepting it is
 *               allowed by RFC 7519 §4, so its check is a warning);
 *   keys set:   "key-confusion" (HS256 keyed with the target's public key;
 *               EdDSA signed with the harness's own key, in the header as a
 *               jwk, under the genuine kid or under an unknown kid);
 *   key-url set: "key-url" (signed with the harness's own key, the header
 *               naming it by URL: jku, a JWK Set; x5u, a certificate);
 *   expiry set: "control", "expired", "exp-missing" (absent or not an
 *               integer), "future-iat" (a warning: no RFC requires refusing
 *               it), "unknown-user".
 * Static; "other" for a name it does not know. */
const char *hx_forge_class(const char *name);

/* Builds the hs256 set into out[max]; *n receives the count. Forgeries that
 * need something not given (secret, B's token) are left out and named in
 * missing (when given), comma-separated. Returns 0 or CMN_E_INVAL when the
 * genuine token does not parse, CMN_E_NOMEM. */
int hx_forge_hs256(const struct hx_forge_in *in, struct hx_forgery *out, size_t max, size_t *n,
                   char *missing, size_t missing_size);

/* Builds the token-expiry set (needs the secret, or the target's key in
 * pkey): expired, without exp, issued in the future, unknown user, and a
 * genuine re-signed control. */
int hx_forge_expiry(const struct hx_forge_in *in, struct hx_forgery *out, size_t max, size_t *n);

/* Builds the keys set (hx_forge_class "key-confusion") into out[max]: EdDSA
 * tokens signed with a fresh key of the harness's own (with the key in the
 * header as a jwk, and under the genuine kid) and, when in->jwks is given,
 * HS256 tokens keyed with the target's public key (PEM with and without its
 * final newline, the JWK text). What cannot be built is said in missing.
 * Returns 0, CMN_E_INVAL when the genuine token does not parse, CMN_E_NOMEM. */
int hx_forge_keys(const struct hx_forge_in *in, struct hx_forgery *out, size_t max, size_t *n,
                  char *missing, size_t missing_size);

/* A document the key server serves for the key-url set. */
struct hx_forge_doc {
    char path[64];            /* "/jku-own-key-new-kid.json" */
    const char *content_type; /* static */
    char *body;               /* new: a JWK Set or a PEM certificate */
};

#define HX_FORGE_DOC_MAX 8

/* Builds the key-url set (hx_forge_class "key-url") into out[max]: tokens
 * with the genuine payload signed with a fresh key of the harness's own,
 * whose header names that key by URL, url_base + the forgery's url_path
 * ("http://127.0.0.1:PORT"): jku a JWK Set, x5u a self-signed PEM
 * certificate; each under the genuine kid (or none, as the genuine token)
 * and under a new kid. The key signs with the genuine token's own
 * algorithm when it is asymmetric (RS256..512 and PS256..512 with RSA 2048,
 * ES256/384/512 with P-256/384/521, EdDSA with Ed25519), else EdDSA; an
 * HMAC-signed genuine token (HS256/384/512) also gets tokens under its HMAC
 * algorithm keyed with a secret of the harness's own, which the JWK Set
 * holds as an oct key. docs[max_docs] receives the documents to serve,
 * one per forgery, at its url_path. Returns 0, CMN_E_INVAL when the genuine token
 * does not parse, CMN_E_NOMEM, CMN_E_TOOBIG (nothing kept on failure). */
int hx_forge_key_urls(const struct hx_forge_in *in, const char *url_base, struct hx_forgery *out,
                      size_t max, size_t *n, struct hx_forge_doc *docs, size_t max_docs,
                      size_t *n_docs);
void hx_forge_docs_free(struct hx_forge_doc *d, size_t n);

void hx_forge_free(struct hx_forgery *f, size_t n);

/* Returns new (free()): the header text {"alg": alg, "typ": "JWT"[, "kid":
 * kid][, "jwk": jwk][, url_name: url]}, compact and in that order (url_name
 * is a key URL member, "jku" or "x5u"; NULL: none); NULL when out of
 * memory. */
char *hx_forge_header(const char *alg, const char *kid, const json_t *jwk, const char *url_name,
                      const char *url);

enum hx_answer {
    HX_ANSWER_REFUSED = 0,  /* the expected refusal */
    HX_ANSWER_ACCEPTED,     /* 2xx or 3xx: the forgery got in */
    HX_ANSWER_WRONG_STATUS, /* refused, but not with the contract's status */
    HX_ANSWER_ERROR,        /* 5xx or no answer: no verdict */
    HX_ANSWER_LIMITED,      /* 429: the target throttles; no verdict */
};

/* Judges a status: expect is the contract's refusal (401); any_refusal
 * accepts every 4xx; status 0 (no answer) is an error unless cut_ok. */
enum hx_answer hx_forge_judge(long status, long expect, bool any_refusal, bool cut_ok);

/* "refused", "accepted", "wrong status", "error". Static. */
const char *hx_answer_name(enum hx_answer a);

#endif
