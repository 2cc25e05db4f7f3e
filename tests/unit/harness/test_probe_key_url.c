/* The key-URL forgeries (hx_forge_key_urls: tokens whose header names their
 * key by jku or x5u, and the documents the key server serves for them) and
 * the judgement of the jwt_key_url probe. */
#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "cmn/error.h"
#include "hx/jwt.h"
#include "hx/probes/forge.h"
#include "hx/probes/key_url.h"
#include "unit.h"

#define BASE "http://127.0.0.1:4242"

static char *
make_token(const char *header, const char *payload)
{
    static const char key[] = "0123456789abcdef0123456789abcdef-test";
    struct hx_jwt_build b = {.header_json = header,
                             .payload_json = payload,
                             .sig = HX_JWT_SIG_HMAC,
                             .alg_for_mac = "HS256",
                             .key = key,
                             .key_len = sizeof key - 1};
    return hx_jwt_build(&b);
}

static const struct hx_forgery *
find(const struct hx_forgery *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].name, name) == 0)
            return &f[i];
    return NULL;
}

static const struct hx_forge_doc *
find_doc(const struct hx_forge_doc *d, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(d[i].path, path) == 0)
            return &d[i];
    return NULL;
}

static unsigned char *
member(const json_t *jwk, const char *name, size_t *len)
{
    const char *v = json_string_value(json_object_get(jwk, name));
    unsigned char *out = NULL;
    if (v == NULL || cmn_b64url_decode(v, strlen(v), &out, len) != 0)
        return NULL;
    return out;
}

/* Whether j's signature verifies with pkey (digest NULL for EdDSA; pss for
 * RSA-PSS; an ECDSA signature is r || s, turned into DER here). */
static bool
verifies_as(const struct hx_jwt *j, EVP_PKEY *pkey, const EVP_MD *digest, bool pss)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    const unsigned char *sig = j->sig;
    unsigned char *der = NULL;
    int sig_len = (int)j->sig_len;
    bool ok = md != NULL && EVP_DigestVerifyInit(md, &pctx, digest, NULL, pkey) == 1;

    if (ok && pss)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
    if (ok && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC) {
        ECDSA_SIG *es = ECDSA_SIG_new();
        size_t half = j->sig_len / 2;
        ok = es != NULL &&
             ECDSA_SIG_set0(es, BN_bin2bn(j->sig, (int)half, NULL),
                            BN_bin2bn(j->sig + half, (int)half, NULL)) == 1 &&
             (sig_len = i2d_ECDSA_SIG(es, &der)) > 0;
        sig = der;
        ECDSA_SIG_free(es);
    }
    ok = ok && EVP_DigestVerify(md, sig, (size_t)sig_len, (const unsigned char *)j->signing_input,
                                j->signing_input_len) == 1;
    OPENSSL_free(der);
    EVP_MD_CTX_free(md);
    return ok;
}

static bool
verifies(const struct hx_jwt *j, EVP_PKEY *pkey, const EVP_MD *digest)
{
    return verifies_as(j, pkey, digest, false);
}

/* The public key of a PEM certificate; new. */
static EVP_PKEY *
cert_key(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    X509 *x = bio != NULL ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    EVP_PKEY *k = NULL;
    if (x != NULL && X509_verify(x, X509_get0_pubkey(x)) == 1) /* self-signed */
        k = X509_get_pubkey(x);
    X509_free(x);
    BIO_free(bio);
    return k;
}

/* Checks one forgery: its header names BASE + url_path in url_name, with
 * kid (NULL: none), alg; the payload is the genuine one; a document is
 * served at the path. Returns the parsed token in j (caller cleans up). */
static const struct hx_forge_doc *
check_forgery(const struct hx_forgery *f, const struct hx_forge_doc *docs, size_t n_docs,
              const char *url_name, const char *alg, const char *kid, struct hx_jwt *j)
{
    char url[256];
    const char *other = strcmp(url_name, "jku") == 0 ? "x5u" : "jku";
    const char *k;

    CU_ASSERT_EQUAL_FATAL(hx_jwt_parse(f->token, j, NULL, 0), 0);
    CU_ASSERT_STRING_EQUAL(hx_jwt_alg(j), alg);
    snprintf(url, sizeof url, "%s%s", BASE, f->url_path);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j->header, url_name)), url);
    CU_ASSERT_PTR_NULL(json_object_get(j->header, other));
    CU_ASSERT_PTR_NULL(json_object_get(j->header, "jwk"));
    k = json_string_value(json_object_get(j->header, "kid"));
    if (kid == NULL) {
        CU_ASSERT_PTR_NULL(k);
    } else {
        CU_ASSERT_STRING_EQUAL(k != NULL ? k : "", kid);
    }
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j->payload, "user_id")), "aaaa");
    CU_ASSERT_EQUAL(f->path, HX_FORGE_PATH_SELF);
    CU_ASSERT_STRING_EQUAL(hx_forge_class(f->name), "key-url");
    return find_doc(docs, n_docs, f->url_path);
}

static void
test_forge_key_urls_for_an_hmac_token_signs_eddsa_and_hs256_with_keys_it_serves(void)
{
    char *genuine =
        make_token("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"user_id\":\"aaaa\",\"exp\":9}");
    struct hx_forge_in in = {.token = genuine};
    struct hx_forgery f[HX_FORGE_DOC_MAX];
    struct hx_forge_doc d[HX_FORGE_DOC_MAX];
    size_t n = 0, nd = 0;
    static const char *const names[] = {"jku-own-key-no-kid",   "jku-hmac-key-no-kid",
                                        "x5u-own-key-no-kid",   "jku-own-key-new-kid",
                                        "jku-hmac-key-new-kid", "x5u-own-key-new-kid"};

    CU_ASSERT_EQUAL_FATAL(
        hx_forge_key_urls(&in, BASE, f, HX_FORGE_DOC_MAX, &n, d, HX_FORGE_DOC_MAX, &nd), 0);
    CU_ASSERT_EQUAL(n, 6);
    CU_ASSERT_EQUAL(nd, 6);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct hx_forgery *x = find(f, n, names[i]);
        const bool new_kid = strstr(names[i], "new-kid") != NULL;
        const char *kid = new_kid ? "authconform-key-url" : NULL;
        struct hx_jwt j;
        const struct hx_forge_doc *doc;

        CU_ASSERT_PTR_NOT_NULL_FATAL(x);
        if (strncmp(names[i], "x5u", 3) == 0) {
            EVP_PKEY *k;
            doc = check_forgery(x, d, nd, "x5u", "EdDSA", kid, &j);
            CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
            CU_ASSERT_STRING_EQUAL(doc->content_type, "application/pem-certificate-chain");
            k = cert_key(doc->body);
            CU_ASSERT_PTR_NOT_NULL_FATAL(k);
            CU_ASSERT_TRUE(verifies(&j, k, NULL));
            EVP_PKEY_free(k);
        } else {
            bool hmac = strstr(names[i], "hmac") != NULL;
            json_t *jwks;
            const json_t *jwk;
            unsigned char *raw;
            size_t len = 0;

            doc = check_forgery(x, d, nd, "jku", hmac ? "HS256" : "EdDSA", kid, &j);
            CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
            CU_ASSERT_STRING_EQUAL(doc->content_type, "application/jwk-set+json");
            jwks = json_loads(doc->body, 0, NULL);
            CU_ASSERT_EQUAL_FATAL(json_array_size(json_object_get(jwks, "keys")), 1);
            jwk = json_array_get(json_object_get(jwks, "keys"), 0);
            if (kid != NULL) {
                CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(jwk, "kid")), kid);
            } else {
                CU_ASSERT_PTR_NULL(json_object_get(jwk, "kid"));
            }
            raw = member(jwk, hmac ? "k" : "x", &len);
            CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
            if (hmac) {
                CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(jwk, "kty")), "oct");
                CU_ASSERT_EQUAL(len, 64);
                CU_ASSERT_TRUE(hx_jwt_verify_hmac(&j, "HS256", raw, len));
            } else {
                EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, len);
                CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(jwk, "crv")), "Ed25519");
                CU_ASSERT_TRUE(verifies(&j, k, NULL));
                EVP_PKEY_free(k);
            }
            free(raw);
            json_decref(jwks);
        }
        hx_jwt_cleanup(&j);
    }
    hx_forge_free(f, n);
    hx_forge_docs_free(d, nd);
    free(genuine);
}

static void
test_forge_key_urls_for_an_rs256_token_signs_rs256_under_its_kid(void)
{
    char *genuine =
        make_token("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}", "{\"user_id\":\"aaaa\"}");
    struct hx_forge_in in = {.token = genuine};
    struct hx_forgery f[HX_FORGE_DOC_MAX];
    struct hx_forge_doc d[HX_FORGE_DOC_MAX];
    size_t n = 0, nd = 0;
    const struct hx_forgery *jku, *x5u;
    const struct hx_forge_doc *jdoc, *xdoc;
    struct hx_jwt jj, xj;
    EVP_PKEY *k;
    BIGNUM *bn = NULL;
    unsigned char *nraw = NULL, nbuf[512];
    size_t nlen = 0;
    json_t *jwks;

    CU_ASSERT_EQUAL_FATAL(
        hx_forge_key_urls(&in, BASE, f, HX_FORGE_DOC_MAX, &n, d, HX_FORGE_DOC_MAX, &nd), 0);
    CU_ASSERT_EQUAL(n, 4); /* no HS256 ones: the target's tokens are not HMAC */
    CU_ASSERT_PTR_NULL(find(f, n, "jku-hmac-key-genuine-kid"));
    jku = find(f, n, "jku-own-key-genuine-kid");
    x5u = find(f, n, "x5u-own-key-genuine-kid");
    CU_ASSERT_PTR_NOT_NULL_FATAL(jku);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x5u);
    CU_ASSERT_PTR_NOT_NULL(find(f, n, "x5u-own-key-new-kid"));
    jdoc = check_forgery(jku, d, nd, "jku", "RS256", "k1", &jj);
    xdoc = check_forgery(x5u, d, nd, "x5u", "RS256", "k1", &xj);
    CU_ASSERT_PTR_NOT_NULL_FATAL(jdoc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(xdoc);
    /* one RSA key: the certificate's verifies both, and is the JWK's n */
    k = cert_key(xdoc->body);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    CU_ASSERT_TRUE(verifies(&xj, k, EVP_sha256()));
    CU_ASSERT_TRUE(verifies(&jj, k, EVP_sha256()));
    jwks = json_loads(jdoc->body, 0, NULL);
    nraw = member(json_array_get(json_object_get(jwks, "keys"), 0), "n", &nlen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nraw);
    CU_ASSERT_EQUAL(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &bn), 1);
    CU_ASSERT_EQUAL((size_t)BN_num_bytes(bn), nlen);
    CU_ASSERT_EQUAL(BN_bn2bin(bn, nbuf), (int)nlen);
    CU_ASSERT_EQUAL(memcmp(nbuf, nraw, nlen), 0);
    CU_ASSERT_STRING_EQUAL(
        json_string_value(json_object_get(json_array_get(json_object_get(jwks, "keys"), 0), "alg")),
        "RS256");
    BN_free(bn);
    free(nraw);
    json_decref(jwks);
    EVP_PKEY_free(k);
    hx_jwt_cleanup(&jj);
    hx_jwt_cleanup(&xj);
    hx_forge_free(f, n);
    hx_forge_docs_free(d, nd);
    free(genuine);
}

/* Signs with the genuine token's own algorithm: the certificate's key
 * verifies the x5u and the jku token, the JWK names the algorithm. */
static void
check_own_alg(const char *alg, const EVP_MD *digest, bool pss, size_t sig_len)
{
    char header[128], *genuine;
    struct hx_forge_in in = {0};
    struct hx_forgery f[HX_FORGE_DOC_MAX];
    struct hx_forge_doc d[HX_FORGE_DOC_MAX];
    size_t n = 0, nd = 0;
    const struct hx_forgery *jku, *x5u;
    const struct hx_forge_doc *jdoc, *xdoc;
    struct hx_jwt jj, xj;
    json_t *jwks;
    EVP_PKEY *k;

    snprintf(header, sizeof header, "{\"alg\":\"%s\",\"typ\":\"JWT\",\"kid\":\"k2\"}", alg);
    genuine = make_token(header, "{\"user_id\":\"aaaa\"}");
    in.token = genuine;
    CU_ASSERT_EQUAL_FATAL(
        hx_forge_key_urls(&in, BASE, f, HX_FORGE_DOC_MAX, &n, d, HX_FORGE_DOC_MAX, &nd), 0);
    CU_ASSERT_EQUAL(n, 4);
    jku = find(f, n, "jku-own-key-genuine-kid");
    x5u = find(f, n, "x5u-own-key-new-kid");
    CU_ASSERT_PTR_NOT_NULL_FATAL(jku);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x5u);
    jdoc = check_forgery(jku, d, nd, "jku", alg, "k2", &jj);
    xdoc = check_forgery(x5u, d, nd, "x5u", alg, "authconform-key-url", &xj);
    CU_ASSERT_PTR_NOT_NULL_FATAL(jdoc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(xdoc);
    CU_ASSERT_EQUAL(jj.sig_len, sig_len);
    k = cert_key(xdoc->body);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    CU_ASSERT_TRUE(verifies_as(&xj, k, digest, pss));
    CU_ASSERT_TRUE(verifies_as(&jj, k, digest, pss));
    jwks = json_loads(jdoc->body, 0, NULL);
    CU_ASSERT_STRING_EQUAL(
        json_string_value(json_object_get(json_array_get(json_object_get(jwks, "keys"), 0), "alg")),
        alg);
    json_decref(jwks);
    EVP_PKEY_free(k);
    hx_jwt_cleanup(&jj);
    hx_jwt_cleanup(&xj);
    hx_forge_free(f, n);
    hx_forge_docs_free(d, nd);
    free(genuine);
}

static void
test_forge_key_urls_signs_with_the_genuine_asymmetric_algorithm(void)
{
    check_own_alg("ES256", EVP_sha256(), false, 64);
    check_own_alg("ES384", EVP_sha384(), false, 96);
    check_own_alg("ES512", EVP_sha512(), false, 132);
    check_own_alg("PS256", EVP_sha256(), true, 256);
    check_own_alg("RS512", EVP_sha512(), false, 256);
}

static void
test_forge_key_urls_keys_an_hs512_token_with_hs512(void)
{
    char *genuine = make_token("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", "{\"user_id\":\"aaaa\"}");
    struct hx_forge_in in = {.token = genuine};
    struct hx_forgery f[HX_FORGE_DOC_MAX];
    struct hx_forge_doc d[HX_FORGE_DOC_MAX];
    size_t n = 0, nd = 0;
    const struct hx_forgery *x;
    const struct hx_forge_doc *doc;
    struct hx_jwt j;
    json_t *jwks;
    unsigned char *raw;
    size_t len = 0;

    CU_ASSERT_EQUAL_FATAL(
        hx_forge_key_urls(&in, BASE, f, HX_FORGE_DOC_MAX, &n, d, HX_FORGE_DOC_MAX, &nd), 0);
    CU_ASSERT_EQUAL(n, 6);
    x = find(f, n, "jku-hmac-key-new-kid");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    doc = check_forgery(x, d, nd, "jku", "HS512", "authconform-key-url", &j);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    jwks = json_loads(doc->body, 0, NULL);
    raw = member(json_array_get(json_object_get(jwks, "keys"), 0), "k", &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
    CU_ASSERT_TRUE(hx_jwt_verify_hmac(&j, "HS512", raw, len));
    /* the asymmetric ones: EdDSA */
    hx_jwt_cleanup(&j);
    x = find(f, n, "jku-own-key-no-kid");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_PTR_NOT_NULL(check_forgery(x, d, nd, "jku", "EdDSA", NULL, &j));
    hx_jwt_cleanup(&j);
    free(raw);
    json_decref(jwks);
    hx_forge_free(f, n);
    hx_forge_docs_free(d, nd);
    free(genuine);
}

static void
test_forge_key_urls_refuses_a_token_that_does_not_parse_and_a_full_table(void)
{
    char *genuine =
        make_token("{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"k\"}", "{\"user_id\":\"aaaa\"}");
    struct hx_forge_in bad = {.token = "not.a-token"}, in = {.token = genuine};
    struct hx_forgery f[HX_FORGE_DOC_MAX];
    struct hx_forge_doc d[HX_FORGE_DOC_MAX];
    size_t n = 9, nd = 9;

    CU_ASSERT_EQUAL(
        hx_forge_key_urls(&bad, BASE, f, HX_FORGE_DOC_MAX, &n, d, HX_FORGE_DOC_MAX, &nd),
        CMN_E_INVAL);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(hx_forge_key_urls(&in, BASE, f, 2, &n, d, 2, &nd), CMN_E_TOOBIG);
    CU_ASSERT_EQUAL(n, 0); /* nothing kept */
    CU_ASSERT_EQUAL(nd, 0);
    CU_ASSERT_EQUAL(hx_forge_key_urls(&in, BASE, f, HX_FORGE_DOC_MAX, &n, d, HX_FORGE_DOC_MAX, &nd),
                    0);
    CU_ASSERT_EQUAL(n, 4); /* EdDSA: no HS256 ones */
    CU_ASSERT_PTR_NOT_NULL(find(f, n, "jku-own-key-genuine-kid"));
    hx_forge_free(f, n);
    hx_forge_docs_free(d, nd);
    free(genuine);
}

static enum hx_status
judge(const struct hx_key_url_try *t, size_t n, char *msg, char *note)
{
    const char *type = NULL;
    enum hx_status st = hx_key_url_judge(t, n, 401, &type, msg, 2000, note, 2000);
    CU_ASSERT_PTR_NOT_NULL(type);
    return st;
}

static void
test_key_url_judge_fails_an_accepted_token_and_says_whether_it_was_fetched(void)
{
    struct hx_key_url_try t[] = {
        {"jku-own-key-new-kid", BASE "/jku-own-key-new-kid.json", HX_ANSWER_ACCEPTED, 200, 2},
        {"x5u-own-key-new-kid", BASE "/x5u-own-key-new-kid.pem", HX_ANSWER_ACCEPTED, 200, 0},
        {"jku-hmac-key-new-kid", BASE "/jku-hmac-key-new-kid.json", HX_ANSWER_REFUSED, 401, 1},
    };
    char msg[2000], note[2000];

    CU_ASSERT_EQUAL(judge(t, 3, msg, note), HX_STATUS_FAIL);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "2 of 3"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(msg, "jku-own-key-new-kid (200; the target fetched its jku " BASE));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "x5u-own-key-new-kid (200; its x5u URL was not fetched"));
    /* the refused one that was fetched is the warning */
    CU_ASSERT_EQUAL(strncmp(note, "warning: ", 9), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(note, "jku-hmac-key-new-kid.json (1 request)"));
}

static void
test_key_url_judge_passes_refusals_and_warns_about_a_fetch(void)
{
    struct hx_key_url_try t[] = {
        {"jku-own-key-no-kid", BASE "/jku-own-key-no-kid.json", HX_ANSWER_REFUSED, 401, 0},
        {"x5u-own-key-no-kid", BASE "/x5u-own-key-no-kid.pem", HX_ANSWER_REFUSED, 401, 0},
    };
    char msg[2000], note[2000];

    CU_ASSERT_EQUAL(judge(t, 2, msg, note), HX_STATUS_PASS);
    CU_ASSERT_STRING_EQUAL(msg, "");
    CU_ASSERT_PTR_NOT_NULL(strstr(note, "fetched none of the key URLs"));
    t[1].fetches = 3;
    CU_ASSERT_EQUAL(judge(t, 2, msg, note), HX_STATUS_PASS);
    CU_ASSERT_EQUAL(
        strncmp(note, "warning: the target fetched the key URL of 1 refused token:", 59), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(note, "x5u-own-key-no-kid.pem (3 requests)"));
    CU_ASSERT_PTR_NULL(strstr(note, "jku-own-key-no-kid"));
}

static void
test_key_url_judge_never_passes_what_it_could_not_decide(void)
{
    struct hx_key_url_try t[] = {
        {"jku-own-key-no-kid", BASE "/a.json", HX_ANSWER_REFUSED, 401, 0},
        {"x5u-own-key-no-kid", BASE "/b.pem", HX_ANSWER_REFUSED, 401, 0},
    };
    char msg[2000], note[2000];

    CU_ASSERT_EQUAL(judge(t, 0, msg, note), HX_STATUS_SKIP);
    t[1].answer = HX_ANSWER_WRONG_STATUS;
    t[1].status = 403;
    CU_ASSERT_EQUAL(judge(t, 2, msg, note), HX_STATUS_FAIL);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "x5u-own-key-no-kid (403)"));
    t[1].answer = HX_ANSWER_ERROR;
    t[1].status = 502;
    CU_ASSERT_EQUAL(judge(t, 2, msg, note), HX_STATUS_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "last 502"));
    t[1].answer = HX_ANSWER_LIMITED;
    t[1].status = 429;
    CU_ASSERT_EQUAL(judge(t, 2, msg, note), HX_STATUS_SKIP);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "rate limited"));
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_forge_key_urls_for_an_hmac_token_signs_eddsa_and_hs256_with_keys_it_serves),
        TU_TEST(test_forge_key_urls_for_an_rs256_token_signs_rs256_under_its_kid),
        TU_TEST(test_forge_key_urls_signs_with_the_genuine_asymmetric_algorithm),
        TU_TEST(test_forge_key_urls_keys_an_hs512_token_with_hs512),
        TU_TEST(test_forge_key_urls_refuses_a_token_that_does_not_parse_and_a_full_table),
        TU_TEST(test_key_url_judge_fails_an_accepted_token_and_says_whether_it_was_fetched),
        TU_TEST(test_key_url_judge_passes_refusals_and_warns_about_a_fetch),
        TU_TEST(test_key_url_judge_never_passes_what_it_could_not_decide),
        {NULL, NULL},
    };
    return tu_run_suite("probe_key_url", tests);
}
