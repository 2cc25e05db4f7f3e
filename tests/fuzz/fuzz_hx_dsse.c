/* Fuzz target: DSSE envelopes as `authconform verify` reads them
 * (harness/src/dsse.c), from a bundle anyone may have changed.
 *
 * The input is an envelope's text. What parses must never verify with the
 * target's own key (nobody but this process holds it); and the input's
 * bytes, signed as a payload with that key, must parse back to the same
 * payload and verify, and stop verifying when one byte of it changes. */
#include <string.h>

#include <jansson.h>

#include "fz_check.h"
#include "hx/dsse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct hx_signing_key *key; /* lives for the process */
    struct hx_dsse_envelope env = {0};
    struct hx_error err = {0};
    json_t *signed_env = NULL;
    char *text;
    size_t which = 0;

    if (size > 65536)
        return 0;
    if (key == NULL)
        FZ_CHECK(hx_signing_key_generate(&key, &err) == 0);

    if (hx_dsse_parse((const char *)data, size, "fuzz.json", &env, &err) == 0) {
        FZ_CHECK(env.n_signatures > 0 && env.payload_type != NULL && env.payload != NULL);
        FZ_CHECK(!hx_dsse_verify(&env, key, &which));
        hx_dsse_envelope_cleanup(&env);
    } else {
        FZ_CHECK(err.text[0] != '\0');
    }

    FZ_CHECK(hx_dsse_sign(HX_DSSE_INTOTO_TYPE, data, size, key, &signed_env) == 0);
    text = json_dumps(signed_env, JSON_COMPACT);
    FZ_CHECK(text != NULL);
    FZ_CHECK(hx_dsse_parse(text, strlen(text), "signed.json", &env, &err) == 0);
    FZ_CHECK(env.payload_len == size && memcmp(env.payload, data, size) == 0);
    FZ_CHECK(hx_dsse_verify(&env, key, &which) && which == 0);
    if (size > 0) {
        env.payload[size / 2] ^= 0x01;
        FZ_CHECK(!hx_dsse_verify(&env, key, &which));
    }
    hx_dsse_envelope_cleanup(&env);
    free(text);
    json_decref(signed_env);
    return 0;
}
