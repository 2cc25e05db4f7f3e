/* Forgeries that name their key by URL (see hx/probes/forge.h): tokens
 * signed with a key of the harness's own whose header points jku (RFC 7515
 * §4.1.2, a JWK Set URL) or x5u (§4.1.5, an X.509 certificate URL) at the
 * key server of the run, and the documents that server is to serve. A
 * verifier that fetches the key a token names and verifies with it accepts
 * them: anyone can mint tokens (RFC 8725 §3.10). Pure: builds tokens and
 * documents, never talks to the network. */
#include "hx/probes/forge.h"

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "cmn/error.h"
#include "hx/jwt.h"

#define KEY_URLS_NEW_KID "authconform-key-url"

/* The signing algorithms of the forgeries: the genuine token's own when it
 * is one of these (a verifier that trusts the URL would still ask for its
 * own algorithm), else EdDSA. */
struct key_urls_alg {
    const char *alg;
    char kind;          /* 'e' Ed25519, 'r' RSA PKCS#1 v1.5, 'p' RSA-PSS, 'c' ECDSA */
    const char *crv;    /* ECDSA: the curve (JWK crv and OpenSSL group) */
    size_t coord;       /* ECDSA: bytes of r, s, x and y */
    const char *digest; /* NULL for EdDSA */
};

static const struct key_urls_alg key_urls_algs[] = {
    {"EdDSA", 'e', NULL, 0, NULL},         {"RS256", 'r', NULL, 0, "SHA256"},
    {"RS384", 'r', NULL, 0, "SHA384"},     {"RS512", 'r', NULL, 0, "SHA512"},
    {"PS256", 'p', NULL, 0, "SHA256"},     {"PS384", 'p', NULL, 0, "SHA384"},
    {"PS512", 'p', NULL, 0, "SHA512"},     {"ES256", 'c', "P-256", 32, "SHA256"},
    {"ES384", 'c', "P-384", 48, "SHA384"}, {"ES512", 'c', "P-521", 66, "SHA512"},
};

static const struct key_urls_alg *
key_urls_alg_for(const char *genuine)
{
    for (size_t i = 0; genuine != NULL && i < sizeof key_urls_algs / sizeof key_urls_algs[0]; i++)
        if (strcmp(key_urls_algs[i].alg, genuine) == 0)
            return &key_urls_algs[i];
    return &key_urls_algs[0];
}

/* Returns new: base64url of the big-endian bytes of the key's parameter
 * name (RSA n or e; EC x or y padded to pad bytes when pad > 0), or NULL. */
static char *
key_urls_bn(const EVP_PKEY *pkey, const char *name, size_t pad)
{
    BIGNUM *bn = NULL;
    unsigned char *bytes = NULL;
    char *out = NULL;
    int n;

    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1)
        return NULL;
    n = pad > 0 ? (int)pad : BN_num_bytes(bn);
    bytes = malloc(n > 0 ? (size_t)n : 1);
    if (bytes != NULL && (pad > 0 ? BN_bn2binpad(bn, bytes, n) : BN_bn2bin(bn, bytes)) == n)
        out = cmn_b64url_encode_new(bytes, (size_t)n);
    free(bytes);
    BN_free(bn);
    return out;
}

/* Returns new: the public JWK of pkey for a, with kid (NULL: none), or
 * NULL. */
static json_t *
key_urls_jwk(EVP_PKEY *pkey, const struct key_urls_alg *a, const char *kid)
{
    json_t *jwk = NULL;

    if (a->kind == 'r' || a->kind == 'p' || a->kind == 'c') {
        bool ec = a->kind == 'c';
        char *m = key_urls_bn(pkey, ec ? OSSL_PKEY_PARAM_EC_PUB_X : OSSL_PKEY_PARAM_RSA_N,
                              ec ? a->coord : 0);
        char *e = key_urls_bn(pkey, ec ? OSSL_PKEY_PARAM_EC_PUB_Y : OSSL_PKEY_PARAM_RSA_E,
                              ec ? a->coord : 0);
        if (m != NULL && e != NULL)
            jwk = ec ? json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "EC", "crv", a->crv,
                                 "use", "sig", "alg", a->alg, "x", m, "y", e)
                     : json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "RSA", "use", "sig", "alg",
                                 a->alg, "n", m, "e", e);
        free(m);
        free(e);
    } else {
        unsigned char x[32];
        size_t xn = sizeof x;
        char *x64 = NULL;
        if (EVP_PKEY_get_raw_public_key(pkey, x, &xn) == 1)
            x64 = cmn_b64url_encode_new(x, xn);
        if (x64 != NULL)
            jwk = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "OKP", "crv", "Ed25519", "use",
                            "sig", "alg", "EdDSA", "x", x64);
        free(x64);
    }
    if (jwk != NULL && kid != NULL)
        json_object_set_new(jwk, "kid", json_string(kid));
    return jwk;
}

/* Returns new: the base64url JWS signature of input by pkey under a (ECDSA
 * as r || s, RFC 7518 §3.4), or NULL. */
static char *
key_urls_sign(EVP_PKEY *pkey, const struct key_urls_alg *a, const char *input, size_t len)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char *sig = NULL, rs[2 * 66];
    size_t sig_len = 0;
    char *out = NULL;
    bool ok =
        md != NULL && EVP_DigestSignInit_ex(md, &pctx, a->digest, NULL, NULL, pkey, NULL) == 1;

    if (ok && a->kind == 'p')
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
    ok = ok && EVP_DigestSign(md, NULL, &sig_len, (const unsigned char *)input, len) == 1 &&
         (sig = malloc(sig_len)) != NULL &&
         EVP_DigestSign(md, sig, &sig_len, (const unsigned char *)input, len) == 1;
    if (ok && a->kind == 'c') {
        const unsigned char *p = sig;
        ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)sig_len);
        const BIGNUM *r = NULL, *sv = NULL;
        if (es != NULL)
            ECDSA_SIG_get0(es, &r, &sv);
        ok = es != NULL && BN_bn2binpad(r, rs, (int)a->coord) == (int)a->coord &&
             BN_bn2binpad(sv, rs + a->coord, (int)a->coord) == (int)a->coord;
        ECDSA_SIG_free(es);
        if (ok)
            out = cmn_b64url_encode_new(rs, 2 * a->coord);
    } else if (ok) {
        out = cmn_b64url_encode_new(sig, sig_len);
    }
    free(sig);
    EVP_MD_CTX_free(md);
    return out;
}

/* Returns new: {"keys": [jwk]} as compact text (takes jwk), or NULL. */
static char *
key_urls_jwks(json_t *jwk)
{
    json_t *doc;
    char *text;

    if (jwk == NULL)
        return NULL;
    doc = json_pack("{s:[o]}", "keys", jwk);
    if (doc == NULL)
        return NULL;
    text = hx_jwt_json(doc);
    json_decref(doc);
    return text;
}

/* Returns new: a self-signed PEM certificate of pkey (valid from an hour ago
 * for a day), or NULL. */
static char *
key_urls_cert(EVP_PKEY *pkey, const struct key_urls_alg *a)
{
    X509 *x = X509_new();
    X509_NAME *name = NULL;
    BIO *bio = NULL;
    char *data, *out = NULL;
    long n;
    unsigned int serial = 1;
    bool ok = x != NULL && RAND_bytes((unsigned char *)&serial, sizeof serial) == 1;

    ok = ok && X509_set_version(x, 2) == 1 &&
         ASN1_INTEGER_set(X509_get_serialNumber(x), (long)((serial & 0x7fffffffu) | 1u)) == 1 &&
         X509_gmtime_adj(X509_getm_notBefore(x), -3600) != NULL &&
         X509_gmtime_adj(X509_getm_notAfter(x), 86400) != NULL && X509_set_pubkey(x, pkey) == 1;
    if (ok) {
        name = X509_get_subject_name(x);
        ok = X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                        (const unsigned char *)"authconform key-url forgery", -1,
                                        -1, 0) == 1 &&
             X509_set_issuer_name(x, name) == 1 &&
             X509_sign(x, pkey, a->kind == 'e' ? NULL : EVP_sha256()) > 0;
    }
    if (ok && (bio = BIO_new(BIO_s_mem())) != NULL && PEM_write_bio_X509(bio, x) == 1 &&
        (n = BIO_get_mem_data(bio, &data)) > 0 && (out = malloc((size_t)n + 1)) != NULL) {
        memcpy(out, data, (size_t)n);
        out[n] = '\0';
    }
    BIO_free(bio);
    X509_free(x);
    return out;
}

struct key_urls_set {
    struct hx_forgery *out;
    size_t max, n;
    struct hx_forge_doc *docs;
    size_t max_docs, n_docs;
    const char *url_base;
    const char *payload;
    int rc;
};

/* Adds one forgery and its document (takes body; NULL means the build ran
 * out of memory). The header names url_base + "/" + name + ext in
 * url_name; the token is signed with pkey under a or, without pkey, with
 * hmac_key under hmac_alg. */
static void
key_urls_add(struct key_urls_set *s, const char *name, const char *what, const char *url_name,
             const char *ext, const char *content_type, char *body, const struct key_urls_alg *a,
             const char *kid, EVP_PKEY *pkey, const char *hmac_alg, const unsigned char *hmac_key,
             size_t hmac_len)
{
    struct hx_forgery *f;
    struct hx_forge_doc *d;
    char path[64], url[512], *header = NULL, *tok = NULL;

    if (s->rc != 0) {
        free(body);
        return;
    }
    if (body == NULL) {
        s->rc = CMN_E_NOMEM;
        return;
    }
    if (s->n >= s->max || s->n_docs >= s->max_docs) {
        free(body);
        s->rc = CMN_E_TOOBIG;
        return;
    }
    snprintf(path, sizeof path, "/%s%s", name, ext);
    if ((size_t)snprintf(url, sizeof url, "%s%s", s->url_base, path) >= sizeof url) {
        free(body);
        s->rc = CMN_E_TOOBIG;
        return;
    }
    header = hx_forge_header(pkey != NULL ? a->alg : hmac_alg, kid, NULL, url_name, url);
    if (header != NULL && pkey != NULL) {
        /* "h.p." without a signature, then signed as the algorithm wants */
        struct hx_jwt_build b = {
            .header_json = header, .payload_json = s->payload, .sig = HX_JWT_SIG_NONE};
        char *unsigned_tok = hx_jwt_build(&b);
        size_t len = unsigned_tok != NULL ? strlen(unsigned_tok) : 0;
        char *sig = len > 0 ? key_urls_sign(pkey, a, unsigned_tok, len - 1) : NULL;
        if (sig != NULL && (tok = malloc(len + strlen(sig) + 1)) != NULL) {
            memcpy(tok, unsigned_tok, len);
            memcpy(tok + len, sig, strlen(sig) + 1);
        }
        free(sig);
        free(unsigned_tok);
    } else if (header != NULL) {
        struct hx_jwt_build b = {.header_json = header,
                                 .payload_json = s->payload,
                                 .sig = HX_JWT_SIG_HMAC,
                                 .alg_for_mac = hmac_alg,
                                 .key = hmac_key,
                                 .key_len = hmac_len};
        tok = hx_jwt_build(&b);
    }
    free(header);
    if (tok == NULL) {
        free(body);
        s->rc = CMN_E_NOMEM;
        return;
    }
    f = &s->out[s->n++];
    memset(f, 0, sizeof(*f));
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(f->what, sizeof f->what, "%s", what);
    snprintf(f->url_path, sizeof f->url_path, "%s", path);
    f->token = tok;
    f->path = HX_FORGE_PATH_SELF;
    d = &s->docs[s->n_docs++];
    memset(d, 0, sizeof(*d));
    snprintf(d->path, sizeof d->path, "%s", path);
    d->content_type = content_type;
    d->body = body;
}

int
hx_forge_key_urls(const struct hx_forge_in *in, const char *url_base, struct hx_forgery *out,
                  size_t max, size_t *n, struct hx_forge_doc *docs, size_t max_docs, size_t *n_docs)
{
    struct hx_jwt j = {0};
    struct key_urls_set s = {
        .out = out, .max = max, .docs = docs, .max_docs = max_docs, .url_base = url_base};
    EVP_PKEY *mine = NULL;
    const char *alg, *kid, *hmac_alg = NULL;
    const struct key_urls_alg *a;
    char *payload = NULL;
    unsigned char oct[64];

    *n = 0;
    *n_docs = 0;
    if (hx_jwt_parse(in->token, &j, NULL, 0) != 0)
        return CMN_E_INVAL;
    alg = hx_jwt_alg(&j);
    kid = json_string_value(json_object_get(j.header, "kid"));
    /* the target's own algorithm, as a verifier that trusts the URL would
     * still ask for it (EdDSA when it is none of the asymmetric ones); an
     * HMAC token also gets one signed with its HMAC algorithm and a secret
     * that the JWK Set holds as an oct key */
    a = key_urls_alg_for(alg);
    if (alg != NULL &&
        (strcmp(alg, "HS256") == 0 || strcmp(alg, "HS384") == 0 || strcmp(alg, "HS512") == 0))
        hmac_alg = alg;
    payload = hx_jwt_json(j.payload);
    mine = a->kind == 'e'   ? EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")
           : a->kind == 'c' ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", a->crv)
                            : EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    if (payload == NULL || mine == NULL || RAND_bytes(oct, sizeof oct) != 1) {
        s.rc = CMN_E_NOMEM;
        goto out;
    }
    s.payload = payload;
    for (int variant = 0; variant < 2; variant++) {
        /* under the genuine kid (none when the genuine token has none), and
         * under a kid the target has never seen */
        const char *k = variant == 0 ? kid : KEY_URLS_NEW_KID;
        const char *suffix = variant == 0 ? (kid != NULL ? "genuine-kid" : "no-kid") : "new-kid";
        const char *kid_words = variant == 0 ? (kid != NULL ? "under the genuine kid"
                                                            : "without a kid, as the genuine token")
                                             : "under a kid the target never issued";
        const char *sig_alg = a->alg;
        char name[48], what[200];

        snprintf(name, sizeof name, "jku-own-key-%s", suffix);
        snprintf(what, sizeof what,
                 "%s signed with a key of the harness's own, %s; jku names a JWK Set of that key "
                 "on the run's key server",
                 sig_alg, kid_words);
        key_urls_add(&s, name, what, "jku", ".json", "application/jwk-set+json",
                     key_urls_jwks(key_urls_jwk(mine, a, k)), a, k, mine, NULL, NULL, 0);
        if (hmac_alg != NULL) {
            char *k64 = cmn_b64url_encode_new(oct, sizeof oct);
            json_t *jwk =
                k64 != NULL ? json_pack("{s:s, s:s, s:s}", "kty", "oct", "alg", hmac_alg, "k", k64)
                            : NULL;
            if (jwk != NULL && k != NULL)
                json_object_set_new(jwk, "kid", json_string(k));
            free(k64);
            snprintf(name, sizeof name, "jku-hmac-key-%s", suffix);
            snprintf(what, sizeof what,
                     "%s keyed with a secret of the harness's own, %s; jku names a JWK Set "
                     "holding that secret (kty oct) on the run's key server",
                     hmac_alg, kid_words);
            key_urls_add(&s, name, what, "jku", ".json", "application/jwk-set+json",
                         key_urls_jwks(jwk), a, k, NULL, hmac_alg, oct, sizeof oct);
        }
        snprintf(name, sizeof name, "x5u-own-key-%s", suffix);
        snprintf(what, sizeof what,
                 "%s signed with a key of the harness's own, %s; x5u names a self-signed "
                 "certificate of that key on the run's key server",
                 sig_alg, kid_words);
        key_urls_add(&s, name, what, "x5u", ".pem", "application/pem-certificate-chain",
                     key_urls_cert(mine, a), a, k, mine, NULL, NULL, 0);
    }
out:
    OPENSSL_cleanse(oct, sizeof oct);
    EVP_PKEY_free(mine);
    free(payload);
    hx_jwt_cleanup(&j);
    if (s.rc != 0) {
        hx_forge_free(out, s.n);
        hx_forge_docs_free(docs, s.n_docs);
        return s.rc;
    }
    *n = s.n;
    *n_docs = s.n_docs;
    return 0;
}

void
hx_forge_docs_free(struct hx_forge_doc *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(d[i].body);
        d[i].body = NULL;
    }
}
