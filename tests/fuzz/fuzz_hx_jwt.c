/* Fuzz target: the harness's JWT module (harness/src/jwt.c) on a token a
 * target issued, the "jwt" expectation of scenario files judging it
 * (scenario/expect.c: header and claim matchers, exp - iat, not expired),
 * and the forged tokens the hs256 and token-expiry checks build from it
 * (probes/forge.c: claims moved in time from the target's exp and iat).
 *
 * The input is the token. A token that parses is checked further: its alg,
 * its integer claims, HMAC verification with every HS alg, and a rebuild
 * from its decoded header and payload that must parse to the same JSON. */
#include <jansson.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/error.h"
#include "fz_check.h"
#include "hx/expect.h"
#include "hx/http.h"
#include "hx/jwt.h"
#include "hx/probes/forge.h"
#include "hx/redact.h"

#define JWT_KEY "fuzz-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

static const char jwt_expect_text[] =
    "{\"jwt\": {\"from\": \"$.access_token\", \"segments\": 3,"
    " \"header\": {\"alg\": \"HS256\", \"typ\": {\"one_of\": [\"JWT\", null]}},"
    " \"claims\": {\"exp\": {\"type\": \"integer\"}, \"iat\": {\"min\": 0},"
    "  \"user_id\": {\"is\": \"uuid\"}, \"email\": {\"is\": \"email\"}},"
    " \"lifetime\": {\"equals\": 604800, \"tolerance\": 5}, \"not_expired\": true}}";

static void
jwt_rebuild(const struct hx_jwt *j)
{
    char *h = hx_jwt_json(j->header), *p = hx_jwt_json(j->payload), *tok;
    struct hx_jwt again = {0};

    FZ_CHECK(h != NULL && p != NULL);
    tok = hx_jwt_build(&(struct hx_jwt_build){.header_json = h,
                                              .payload_json = p,
                                              .sig = HX_JWT_SIG_HMAC,
                                              .alg_for_mac = "HS256",
                                              .key = JWT_KEY,
                                              .key_len = sizeof JWT_KEY - 1});
    FZ_CHECK(tok != NULL);
    if (strlen(tok) <= HX_JWT_MAX) {
        FZ_CHECK(hx_jwt_parse(tok, &again, NULL, 0) == 0);
        FZ_CHECK(json_equal(again.header, j->header) && json_equal(again.payload, j->payload));
        FZ_CHECK(hx_jwt_verify_hmac(&again, "HS256", JWT_KEY, sizeof JWT_KEY - 1));
        hx_jwt_cleanup(&again);
    }
    free(tok);
    free(h);
    free(p);
}

/* The token as the access_token of a signup answer, judged by a scenario's
 * expectation. */
static void
jwt_expect(const char *token)
{
    static json_t *expect;
    struct hx_response resp;
    struct hx_expect_outcome out = {0};
    struct hx_redactor red;
    json_t *body = json_pack("{s:s}", "access_token", token);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;

    if (expect == NULL) {
        expect = json_loads(jwt_expect_text, 0, NULL); /* lives for the process */
        FZ_CHECK(expect != NULL);
    }
    json_decref(body);
    if (text == NULL)
        return; /* not UTF-8: jansson refuses it, and so would a JSON body */
    hx_response_init(&resp, (size_t)1 << 20);
    resp.status = 201;
    FZ_CHECK(cmn_buf_adds(&resp.body, text) == 0);
    hx_redactor_init(&red);
    FZ_CHECK(hx_expect_check(expect, &resp, &red, &out) == 0);
    FZ_CHECK((out.mismatches == 0) == (out.message == NULL));
    hx_expect_outcome_cleanup(&out);
    hx_redactor_cleanup(&red);
    hx_response_cleanup(&resp);
    free(text);
}

/* The token as identity A's (and B's) genuine token of a run that knows the
 * secret. */
static void
jwt_forge(const char *token)
{
    struct hx_forgery f[HX_FORGE_MAX];
    struct hx_forge_in in = {.token = token,
                             .other_token = token,
                             .other_user_id = "0d6b3f7a-9c1e-4b2d-8f5a-3e7c9b1d2a46",
                             .fake_user_id = "5e0c1d2b-7a8f-4e3d-9b6c-1f2a3b4c5d6e",
                             .user_claim = "user_id",
                             .secret = JWT_KEY,
                             .secret_len = sizeof JWT_KEY - 1,
                             .now = (time_t)1800000000,
                             .lifetime = 604800};
    char missing[256];
    size_t n = 0;
    int rc;

    /* a token that parsed gives its forgeries; out of memory does not
     * happen under libFuzzer (its malloc limit aborts instead) */
    rc = hx_forge_hs256(&in, f, HX_FORGE_MAX, &n, missing, sizeof missing);
    FZ_CHECK(rc == 0);
    if (rc == 0) {
        FZ_CHECK(n <= HX_FORGE_MAX);
        for (size_t i = 0; i < n; i++) {
            FZ_CHECK(f[i].token != NULL && memchr(f[i].name, '\0', sizeof f[i].name) != NULL);
            FZ_CHECK(strcmp(hx_forge_class(f[i].name), "other") != 0);
        }
        hx_forge_free(f, n);
    }
    n = 0;
    rc = hx_forge_expiry(&in, f, HX_FORGE_MAX, &n);
    FZ_CHECK(rc == 0);
    if (rc == 0) {
        FZ_CHECK(n <= HX_FORGE_MAX);
        for (size_t i = 0; i < n; i++)
            FZ_CHECK(f[i].token != NULL);
        hx_forge_free(f, n);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hx_jwt j = {0};
    char why[160];
    char *token;
    long long v;

    if (size > HX_JWT_MAX + 16)
        return 0;
    token = malloc(size + 1);
    if (token == NULL)
        return 0;
    memcpy(token, data, size);
    token[size] = '\0';
    if (hx_jwt_parse(token, &j, why, sizeof why) == 0) {
        FZ_CHECK(json_is_object(j.header) && json_is_object(j.payload));
        (void)hx_jwt_alg(&j);
        (void)hx_jwt_claim_int(&j, "exp", &v);
        (void)hx_jwt_claim_int(&j, "iat", &v);
        (void)hx_jwt_verify_hmac(&j, "HS256", JWT_KEY, sizeof JWT_KEY - 1);
        (void)hx_jwt_verify_hmac(&j, "HS384", "", 0);
        (void)hx_jwt_verify_hmac(&j, hx_jwt_alg(&j), JWT_KEY, sizeof JWT_KEY - 1);
        jwt_rebuild(&j);
        hx_jwt_cleanup(&j);
        jwt_forge(token);
    } else {
        FZ_CHECK(memchr(why, '\0', sizeof why) != NULL && why[0] != '\0');
    }
    jwt_expect(token);
    free(token);
    return 0;
}
