/* Planted defects of token verification and signing (defect builds only). */
#include "rs/defect.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <string.h>
#include <strings.h>

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
