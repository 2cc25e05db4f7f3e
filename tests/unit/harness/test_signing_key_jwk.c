/* The target's token key given as a private JWK (RFC 8037): read, checked
 * field by field, and signing as the target would. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "hx/jwt.h"
#include "hx/signing_key.h"
#include "unit.h"

/* RFC 8037 appendix A.1 and A.4 */
#define RFC8037_D "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
#define RFC8037_X "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
#define RFC8037_INPUT "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
#define RFC8037_SIG                                                                                \
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

static int
parse(const char *text, struct hx_signing_key **k, struct hx_error *err)
{
    memset(err, 0, sizeof *err);
    return hx_signing_key_parse_private(text, strlen(text), "key.jwk", k, err);
}

static void
test_private_jwk_signs_as_rfc_8037_says(void)
{
    static const char jwk[] = "\n {\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" RFC8037_D
                              "\",\"x\":\"" RFC8037_X "\",\"kid\":\"k1\"}\n";
    struct hx_signing_key *k = NULL;
    struct hx_error err;
    unsigned char sig[HX_SIGNING_KEY_SIG_LEN];
    char *b64;

    CU_ASSERT_EQUAL_FATAL(parse(jwk, &k, &err), 0);
    CU_ASSERT_TRUE(hx_signing_key_can_sign(k));
    CU_ASSERT_EQUAL(hx_signing_key_sign(k, RFC8037_INPUT, strlen(RFC8037_INPUT), sig), 0);
    b64 = cmn_b64url_encode_new(sig, sizeof sig);
    CU_ASSERT_STRING_EQUAL(b64, RFC8037_SIG);
    free(b64);
    CU_ASSERT_TRUE(hx_signing_key_verify(k, RFC8037_INPUT, strlen(RFC8037_INPUT), sig, sizeof sig));
    /* the same through hx_jwt_build, as the forged tokens are made */
    {
        struct hx_jwt_build b = {.header_json = "{\"alg\":\"EdDSA\"}",
                                 .payload_json = "Example of Ed25519 signing",
                                 .sig = HX_JWT_SIG_PKEY,
                                 .pkey = (void *)hx_signing_key_evp(k)};
        char *tok = hx_jwt_build(&b);
        CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
        CU_ASSERT_STRING_EQUAL(strrchr(tok, '.') + 1, RFC8037_SIG);
        free(tok);
    }
    hx_signing_key_free(k);
    /* without x it is read as well */
    k = NULL;
    CU_ASSERT_EQUAL(
        parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" RFC8037_D "\"}", &k, &err), 0);
    hx_signing_key_free(k);
}

static void
test_private_jwk_mistakes_are_named_by_field(void)
{
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "\"}",
         "d: the JWK has no private part"},
        {"{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"d\":\"AQAB\"}",
         "kty/crv: the JWK is RSA/(none)"},
        {"{\"kty\":\"OKP\",\"crv\":\"X25519\",\"d\":\"" RFC8037_D "\"}", "not OKP/Ed25519"},
        {"{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"AAAA\"}", "d: expected 32 bytes"},
        {"{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" RFC8037_D
         "\",\"x\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
         "x: not the public half of d"},
        {"{\"kty\":\"OKP\",", "not a JWK"},
        {"[1, 2]", "not a PEM private key"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct hx_signing_key *k = NULL;
        struct hx_error err;
        CU_ASSERT_EQUAL(parse(bad[i].text, &k, &err), HX_E_PARSE);
        CU_ASSERT_PTR_NULL(k);
        if (strstr(err.text, bad[i].says) == NULL)
            fprintf(stderr, "jwk %zu: \"%s\" lacks \"%s\"\n", i, err.text, bad[i].says);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.text, bad[i].says));
        CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "key.jwk"));
        /* never the private part in a message */
        CU_ASSERT_PTR_NULL(strstr(err.text, RFC8037_D));
    }
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_private_jwk_signs_as_rfc_8037_says),
        TU_TEST(test_private_jwk_mistakes_are_named_by_field),
        {NULL, NULL},
    };
    return tu_run_suite("signing_key_jwk", tests);
}
