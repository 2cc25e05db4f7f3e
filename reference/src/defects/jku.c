/* Planted defect jku-honoured (defect builds only): the key a token's
 * header names by URL is fetched and trusted, as a verifier that follows
 * jku does. Only loopback URLs are fetched, so that a test server never
 * sends a request off the machine. */
#include "rs/defect.h"

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"

#define JKU_BODY_MAX (64 * 1024)
#define JKU_TIMEOUT_MS 2000L

struct jku_body {
    char *data;
    size_t len;
    bool too_big;
};

static size_t
jku_write(char *p, size_t size, size_t n, void *arg)
{
    struct jku_body *b = arg;
    size_t add = size * n;
    char *grown;

    if (b->len + add > JKU_BODY_MAX) {
        b->too_big = true;
        return 0; /* ends the transfer */
    }
    grown = realloc(b->data, b->len + add + 1);
    if (grown == NULL)
        return 0;
    b->data = grown;
    memcpy(b->data + b->len, p, add);
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

/* Only http://127.0.0.1, http://localhost and http://[::1], with a port or
 * a path after the host. */
static bool
jku_loopback(const char *url)
{
    static const char *const hosts[] = {"http://127.0.0.1", "http://localhost", "http://[::1]"};
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
        size_t n = strlen(hosts[i]);
        if (strncmp(url, hosts[i], n) == 0 && (url[n] == ':' || url[n] == '/'))
            return true;
    }
    return false;
}

/* Returns new: the JWK Set at url, or NULL. */
static json_t *
jku_fetch(const char *url)
{
    CURL *c = curl_easy_init();
    struct jku_body b = {0};
    long status = 0;
    json_t *doc = NULL;

    if (c == NULL)
        return NULL;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, JKU_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, JKU_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, jku_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    if (curl_easy_perform(c) == CURLE_OK &&
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200 &&
        b.data != NULL && !b.too_big)
        doc = json_loadb(b.data, b.len, 0, NULL);
    curl_easy_cleanup(c);
    free(b.data);
    return doc;
}

/* The key with kid (any key when kid is NULL), borrowed from jwks. */
static const json_t *
jku_pick(const json_t *jwks, const char *kid)
{
    size_t i;
    json_t *k;

    json_array_foreach(json_object_get(jwks, "keys"), i, k)
    {
        const char *id = json_string_value(json_object_get(k, "kid"));
        if (kid == NULL || (id != NULL && strcmp(id, kid) == 0))
            return k;
    }
    return NULL;
}

static unsigned char *
jku_member(const json_t *jwk, const char *name, size_t *len)
{
    const char *v = json_string_value(json_object_get(jwk, name));
    unsigned char *out = NULL;
    if (v == NULL || cmn_b64url_decode(v, strlen(v), &out, len) != 0)
        return NULL;
    return out;
}

static bool
jku_verify(const json_t *jwk, const char *alg, const unsigned char *msg, size_t msg_len,
           const unsigned char *sig, size_t sig_len)
{
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    unsigned char *key = NULL;
    size_t key_len = 0;
    bool ok = false;

    if (kty == NULL)
        return false;
    if (strcmp(kty, "OKP") == 0 && strcmp(alg, "EdDSA") == 0 &&
        (key = jku_member(jwk, "x", &key_len)) != NULL) {
        EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, key_len);
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        ok = pkey != NULL && md != NULL && EVP_DigestVerifyInit(md, NULL, NULL, NULL, pkey) == 1 &&
             EVP_DigestVerify(md, sig, sig_len, msg, msg_len) == 1;
        EVP_MD_CTX_free(md);
        EVP_PKEY_free(pkey);
    } else if (strcmp(kty, "oct") == 0 && strcmp(alg, "HS256") == 0 &&
               (key = jku_member(jwk, "k", &key_len)) != NULL && key_len > 0) {
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int mac_len = 0;
        ok = HMAC(EVP_sha256(), key, (int)key_len, msg, msg_len, mac, &mac_len) != NULL &&
             mac_len == sig_len && CRYPTO_memcmp(mac, sig, sig_len) == 0;
    }
    free(key);
    return ok;
}

bool
rs_defect_token_jku(const char *token, const char *dot2, const char *end)
{
    const char *dot1 = strchr(token, '.');
    unsigned char *hraw = NULL, *sig = NULL;
    size_t hn = 0, sn = 0;
    json_t *h = NULL, *jwks = NULL;
    const char *alg, *jku;
    bool ok = false;

    if (dot1 == NULL || dot1 > dot2 ||
        cmn_b64url_decode(token, (size_t)(dot1 - token), &hraw, &hn) != 0)
        return false;
    h = json_loadb((const char *)hraw, hn, 0, NULL);
    alg = json_string_value(json_object_get(h, "alg"));
    jku = json_string_value(json_object_get(h, "jku"));
    if (alg != NULL && jku != NULL && jku_loopback(jku) &&
        cmn_b64url_decode(dot2 + 1, (size_t)(end - dot2 - 1), &sig, &sn) == 0 &&
        (jwks = jku_fetch(jku)) != NULL) {
        const json_t *jwk = jku_pick(jwks, json_string_value(json_object_get(h, "kid")));
        ok = jwk != NULL &&
             jku_verify(jwk, alg, (const unsigned char *)token, (size_t)(dot2 - token), sig, sn);
    }
    json_decref(jwks);
    json_decref(h);
    free(hraw);
    free(sig);
    return ok;
}
