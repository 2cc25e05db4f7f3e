/* Planted defects of token verification and signing (defect builds only). */
#include "rs/defect.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmn/b64url.h"
#include "rs/token.h"

/* weak-secret: a word-list secret used instead of the configured one. */
static const struct rs_token_key tokens_weak_key = {(const unsigned char *)"your-256-bit-secret",
                                                    19};

const struct rs_token_key *
rs_defect_token_weak_key(void)
{
    return &tokens_weak_key;
}

const EVP_MD *
rs_defect_token_alg(const char *alg, bool *unsigned_ok)
{
    if (RS_DEFECT(ANY_HMAC_ALG_ACCEPTED) && strcmp(alg, "HS384") == 0)
        return EVP_sha384();
    if ((RS_DEFECT(ANY_HMAC_ALG_ACCEPTED) || RS_DEFECT(ISSUES_HS512)) && strcmp(alg, "HS512") == 0)
        return EVP_sha512();
    if (RS_DEFECT(ALG_NONE_ACCEPTED) && strcasecmp(alg, "none") == 0) {
        *unsigned_ok = true;
        return EVP_sha256();
    }
    return NULL;
}

json_t *
rs_defect_token_lenient_json(const char *raw, size_t len)
{
    json_t *j = json_loadb(raw, len, 0, NULL); /* the last duplicate wins */
    if (j != NULL && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

const char *
rs_defect_token_third_end(const char *dot2)
{
    const char *dot3 = strchr(dot2 + 1, '.');
    return dot3 != NULL ? dot3 : dot2 + strlen(dot2);
}

bool
rs_defect_token_embedded_jwk(const char *token, const char *dot2, const char *end)
{
    const char *dot1 = strchr(token, '.');
    unsigned char *hraw = NULL, *x = NULL, *sig = NULL;
    size_t hn = 0, xn = 0, sn = 0;
    json_t *h = NULL;
    EVP_PKEY *pkey = NULL;
    EVP_MD_CTX *md = NULL;
    bool ok = false;

    if (dot1 == NULL || cmn_b64url_decode(token, (size_t)(dot1 - token), &hraw, &hn) != 0)
        return false;
    h = json_loadb((const char *)hraw, hn, 0, NULL);
    const json_t *jwk = json_object_get(h, "jwk");
    const char *alg = json_string_value(json_object_get(h, "alg"));
    const char *xs = json_string_value(json_object_get(jwk, "x"));
    if (alg != NULL && strcmp(alg, "EdDSA") == 0 && xs != NULL &&
        cmn_b64url_decode(xs, strlen(xs), &x, &xn) == 0 &&
        cmn_b64url_decode(dot2 + 1, (size_t)(end - dot2 - 1), &sig, &sn) == 0 &&
        (pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x, xn)) != NULL &&
        (md = EVP_MD_CTX_new()) != NULL)
        ok = EVP_DigestVerifyInit(md, NULL, NULL, NULL, pkey) == 1 &&
             EVP_DigestVerify(md, sig, sn, (const unsigned char *)token, (size_t)(dot2 - token)) == 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    json_decref(h);
    free(hraw);
    free(x);
    free(sig);
    return ok;
}
