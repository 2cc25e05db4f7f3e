/* JWT parsing and hand-building for the probes (see hx/jwt.h). */
#include "hx/jwt.h"
#include "hx/jws.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "cmn/error.h"
#include "cmn/json.h"

static void
jwt_why(char *why, size_t why_size, const char *text)
{
    if (why != NULL && why_size > 0)
        snprintf(why, why_size, "%s", text);
}

/* Decodes one segment into a JSON object, strictly (no duplicate keys,
 * valid UTF-8, nesting at most 16). what: "header" or "payload". */
static json_t *
jwt_decode_object(const char *seg, size_t n, const char *what, char *why, size_t why_size)
{
    unsigned char *raw = NULL;
    size_t raw_len = 0;
    json_t *obj;
    char err[64] = "", text[160]; /* err is written only when the JSON does not parse */

    if (cmn_b64url_decode(seg, n, &raw, &raw_len) != 0) {
        snprintf(text, sizeof text, "its %s is not base64url", what);
        jwt_why(why, why_size, text);
        return NULL;
    }
    obj = cmn_json_parse_strict((const char *)raw, raw_len, 16, err, sizeof err);
    free(raw);
    if (!json_is_object(obj)) {
        json_decref(obj);
        snprintf(text, sizeof text, "its %s is not a JSON object%s%s%s", what,
                 err[0] != '\0' ? " (" : "", err, err[0] != '\0' ? ")" : "");
        jwt_why(why, why_size, text);
        return NULL;
    }
    return obj;
}

int
hx_jwt_parse(const char *token, struct hx_jwt *out, char *why, size_t why_size)
{
    const char *dot1, *dot2;
    size_t len;
    struct hx_jwt j = {0};

    if (token == NULL) {
        jwt_why(why, why_size, "no token");
        return CMN_E_INVAL;
    }
    len = strlen(token);
    if (len == 0 || len > HX_JWT_MAX) {
        jwt_why(why, why_size, "token empty or too long");
        return CMN_E_INVAL;
    }
    dot1 = strchr(token, '.');
    dot2 = dot1 != NULL ? strchr(dot1 + 1, '.') : NULL;
    if (dot1 == NULL || dot2 == NULL || strchr(dot2 + 1, '.') != NULL) {
        jwt_why(why, why_size, "it does not have three dot-separated parts");
        return CMN_E_INVAL;
    }
    j.header = jwt_decode_object(token, (size_t)(dot1 - token), "header", why, why_size);
    if (j.header == NULL)
        goto fail;
    j.payload = jwt_decode_object(dot1 + 1, (size_t)(dot2 - dot1 - 1), "payload", why, why_size);
    if (j.payload == NULL)
        goto fail;
    if (cmn_b64url_decode(dot2 + 1, strlen(dot2 + 1), &j.sig, &j.sig_len) != 0) {
        jwt_why(why, why_size, "its signature is not base64url");
        goto fail;
    }
    j.signing_input_len = (size_t)(dot2 - token);
    j.signing_input = strndup(token, j.signing_input_len);
    j.sig_b64 = strdup(dot2 + 1);
    if (j.signing_input == NULL || j.sig_b64 == NULL) {
        jwt_why(why, why_size, "out of memory");
        hx_jwt_cleanup(&j);
        return CMN_E_NOMEM;
    }
    *out = j;
    return 0;
fail:
    hx_jwt_cleanup(&j);
    return CMN_E_INVAL;
}

void
hx_jwt_cleanup(struct hx_jwt *j)
{
    if (j == NULL)
        return;
    json_decref(j->header);
    json_decref(j->payload);
    free(j->signing_input);
    free(j->sig);
    free(j->sig_b64);
    memset(j, 0, sizeof(*j));
}

const char *
hx_jwt_alg(const struct hx_jwt *j)
{
    json_t *a = json_object_get(j->header, "alg");
    return json_is_string(a) ? json_string_value(a) : NULL;
}

int
hx_jwt_claim_int(const struct hx_jwt *j, const char *claim, long long *out)
{
    json_t *v = json_object_get(j->payload, claim);
    if (!json_is_integer(v))
        return CMN_E_INVAL;
    *out = json_integer_value(v);
    return 0;
}

static const EVP_MD *
jwt_md(const char *alg)
{
    if (alg == NULL)
        return NULL;
    if (strcmp(alg, "HS256") == 0)
        return EVP_sha256();
    if (strcmp(alg, "HS384") == 0)
        return EVP_sha384();
    if (strcmp(alg, "HS512") == 0)
        return EVP_sha512();
    return NULL;
}

int
hx_jwt_hmac(const char *alg, const void *key, size_t key_len, const void *msg, size_t n,
            unsigned char *mac, size_t *mac_len)
{
    const EVP_MD *md = jwt_md(alg);
    unsigned int len = 0;
    static const unsigned char empty_key[1] = {0};

    if (md == NULL || key_len > (size_t)0x7fffffff)
        return CMN_E_INVAL;
    /* HMAC() treats a NULL key as "reuse": give it a real pointer even when
     * the key is empty (an empty key is a forgery the probes need). */
    if (HMAC(md, key_len > 0 ? key : empty_key, (int)key_len, msg, n, mac, &len) == NULL)
        return CMN_E_INVAL;
    *mac_len = len;
    return 0;
}

bool
hx_jwt_verify_hmac(const struct hx_jwt *j, const char *alg, const void *key, size_t key_len)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t mac_len = 0;

    if (hx_jwt_hmac(alg, key, key_len, j->signing_input, j->signing_input_len, mac, &mac_len) != 0)
        return false;
    return mac_len == j->sig_len && CRYPTO_memcmp(mac, j->sig, mac_len) == 0;
}

char *
hx_jwt_build(const struct hx_jwt_build *b)
{
    char *h = NULL, *p = NULL, *s = NULL, *out = NULL;
    size_t hn, pn, sn, total;

    if (b->header_json == NULL || b->payload_json == NULL)
        return NULL;
    h = cmn_b64url_encode_new(b->header_json, strlen(b->header_json));
    p = cmn_b64url_encode_new(b->payload_json, strlen(b->payload_json));
    if (h == NULL || p == NULL)
        goto done;
    hn = strlen(h);
    pn = strlen(p);
    switch (b->sig) {
    case HX_JWT_SIG_NONE:
        s = strdup("");
        break;
    case HX_JWT_SIG_RAW:
        s = strdup(b->raw_sig != NULL ? b->raw_sig : "");
        break;
    case HX_JWT_SIG_PKEY: {
        unsigned char sig[HX_JWS_SIG_MAX];
        size_t sig_len = 0;
        char *input = malloc(hn + pn + 2);
        int rc;
        if (input == NULL)
            goto done;
        memcpy(input, h, hn);
        input[hn] = '.';
        memcpy(input + hn + 1, p, pn + 1);
        rc = hx_jws_sign(b->pkey, b->alg_for_pkey != NULL ? b->alg_for_pkey : "EdDSA", input,
                         hn + 1 + pn, sig, sizeof sig, &sig_len);
        free(input);
        if (rc != 0)
            goto done;
        s = cmn_b64url_encode_new(sig, sig_len);
        break;
    }
    case HX_JWT_SIG_HMAC: {
        unsigned char mac[EVP_MAX_MD_SIZE];
        size_t mac_len = 0;
        char *input = malloc(hn + pn + 2);
        int rc;
        if (input == NULL)
            goto done;
        memcpy(input, h, hn);
        input[hn] = '.';
        memcpy(input + hn + 1, p, pn + 1);
        rc = hx_jwt_hmac(b->alg_for_mac, b->key, b->key_len, input, hn + 1 + pn, mac, &mac_len);
        free(input);
        if (rc != 0)
            goto done;
        s = cmn_b64url_encode_new(mac, mac_len);
        break;
    }
    }
    if (s == NULL)
        goto done;
    sn = strlen(s);
    total = hn + 1 + pn + (b->omit_sig_dot ? 0 : 1 + sn) + 1;
    out = malloc(total);
    if (out == NULL)
        goto done;
    if (b->omit_sig_dot)
        snprintf(out, total, "%s.%s", h, p);
    else
        snprintf(out, total, "%s.%s.%s", h, p, s);
done:
    free(h);
    free(p);
    free(s);
    return out;
}

char *
hx_jwt_json(const json_t *obj)
{
    return json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
}
