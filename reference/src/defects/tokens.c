/* Planted defects of token verification and signing (defect builds only). */
#include "rs/defect.h"

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
    if (RS_DEFECT(ANY_HMAC_ALG_ACCEPTED) && strcmp(alg, "HS512") == 0)
        return EVP_sha512();
    if (RS_DEFECT(ALG_NONE_ACCEPTED) && strcasecmp(alg, "none") == 0) {
        *unsigned_ok = true;
        return EVP_sha256();
    }
    return NULL;
}
