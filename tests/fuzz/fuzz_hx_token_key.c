/* Fuzz target: the target's token key as `authconform run --token-key`
 * reads it (harness/src/signing_key.c, signing_key_jwk.c): a PEM private
 * key or a private JWK (kty RSA, EC, OKP) or a JWK Set, from a file an
 * operator copied out of someone else's system.
 *
 * The input is the file's text. What fails says so, naming the file; a key
 * that loads has an id of 64 hex digits, fits at least one alg, and for
 * every alg it fits (hx_jws) signs a message that its own public half
 * verifies and a changed message does not. */
#include <string.h>

#include "fz_check.h"
#include "hx/jws.h"
#include "hx/signing_key.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const algs[] = {"RS256", "RS384", "RS512", "PS256", "PS384",
                                       "PS512", "ES256", "ES384", "ES512", "EdDSA"};
    static const char msg[] = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJmdXp6In0";
    struct hx_signing_key *k = NULL;
    struct hx_error err = {0};
    unsigned char sig[HX_JWS_SIG_MAX];
    size_t fits = 0, len;

    if (size > HX_SIGNING_KEY_FILE_MAX)
        return 0;
    if (hx_signing_key_parse_token_key((const char *)data, size, "fuzz.key", &k, &err) != 0) {
        FZ_CHECK(k == NULL);
        FZ_CHECK(strncmp(err.text, "fuzz.key", 8) == 0);
        return 0;
    }
    FZ_CHECK(strlen(hx_signing_key_id(k)) == HX_SIGNING_KEY_ID_LEN);
    FZ_CHECK(strspn(hx_signing_key_id(k), "0123456789abcdef") == HX_SIGNING_KEY_ID_LEN);
    for (size_t i = 0; i < sizeof algs / sizeof *algs; i++) {
        if (!hx_jws_key_fits(hx_signing_key_evp(k), algs[i], NULL, 0))
            continue;
        fits++;
        len = 0;
        FZ_CHECK(hx_jws_sign(hx_signing_key_evp(k), algs[i], msg, sizeof msg - 1, sig, sizeof sig,
                             &len) == 0);
        FZ_CHECK(hx_jws_verify(hx_signing_key_evp(k), algs[i], msg, sizeof msg - 1, sig, len));
        FZ_CHECK(!hx_jws_verify(hx_signing_key_evp(k), algs[i], msg, sizeof msg - 2, sig, len));
    }
    FZ_CHECK(fits > 0);
    hx_signing_key_free(k);
    return 0;
}
