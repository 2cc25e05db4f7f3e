/* DSSE envelopes and the Ed25519 keys that sign them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cmn/b64url.h"
#include "hx/dsse.h"
#include "hx/signing_key.h"
#include "unit.h"

/* PEM text of a key made with OpenSSL here, as `openssl genpkey` would
 * write it. Returns new. */
static char *
pem_of(EVP_PKEY *pkey, int private_half)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = NULL, *copy;
    long n;

    CU_ASSERT_FATAL(bio != NULL);
    if (private_half) {
        CU_ASSERT_FATAL(PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL) == 1);
    } else {
        CU_ASSERT_FATAL(PEM_write_bio_PUBKEY(bio, pkey) == 1);
    }
    n = BIO_get_mem_data(bio, &data);
    copy = strndup(data, (size_t)n);
    BIO_free(bio);
    return copy;
}

static void
test_dsse_pae_matches_the_encoding_worked_by_hand(void)
{
    struct cmn_buf b;
    /* "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body: the type is 29
     * bytes, the body 11 */
    static const char want[] = "DSSEv1 29 http://example.com/HelloWorld 11 hello world";
    /* an empty body still has its length and the space before it */
    static const char want_empty[] = "DSSEv1 4 text 0 ";
    /* a body with a NUL and non-ASCII bytes counts bytes, not characters:
     * "a\0é" is 1 + 1 + 2 bytes */
    static const char body_bin[] = "a\0\xc3\xa9";
    static const char want_bin[] = "DSSEv1 1 t 4 a\0\xc3\xa9";

    cmn_buf_init(&b, 1024);
    CU_ASSERT_EQUAL(hx_dsse_pae(&b, "http://example.com/HelloWorld", "hello world", 11), 0);
    CU_ASSERT_EQUAL(b.len, strlen(want));
    CU_ASSERT(memcmp(b.data, want, b.len) == 0);
    cmn_buf_reset(&b);
    CU_ASSERT_EQUAL(hx_dsse_pae(&b, "text", "", 0), 0);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b), want_empty);
    cmn_buf_reset(&b);
    CU_ASSERT_EQUAL(hx_dsse_pae(&b, "t", body_bin, sizeof body_bin - 1), 0);
    CU_ASSERT_EQUAL(b.len, sizeof want_bin - 1);
    CU_ASSERT(memcmp(b.data, want_bin, b.len) == 0);
    cmn_buf_cleanup(&b);
}

/* Signs, serialises, parses back and verifies. */
static void
test_dsse_sign_then_verify_round_trips(void)
{
    struct hx_signing_key *key = NULL;
    struct hx_dsse_envelope env = {0};
    struct hx_error err = {0};
    const char body[] = "{\"_type\":\"https://in-toto.io/Statement/v1\"}";
    json_t *j = NULL;
    char *text;
    size_t which = 99;

    CU_ASSERT_FATAL(hx_signing_key_generate(&key, &err) == 0);
    CU_ASSERT_FATAL(hx_dsse_sign(HX_DSSE_INTOTO_TYPE, body, strlen(body), key, &j) == 0);
    /* the envelope's members, standard base64 of the body */
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "payloadType")),
                           HX_DSSE_INTOTO_TYPE);
    {
        char *b64 = cmn_b64_encode_new(body, strlen(body));
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "payload")), b64);
        free(b64);
    }
    CU_ASSERT_STRING_EQUAL(
        json_string_value(json_object_get(json_array_get(json_object_get(j, "signatures"), 0),
                                          "keyid")),
        hx_signing_key_id(key));
    text = json_dumps(j, JSON_INDENT(2));
    CU_ASSERT_FATAL(hx_dsse_parse(text, strlen(text), "env.json", &env, &err) == 0);
    CU_ASSERT_EQUAL(env.payload_len, strlen(body));
    CU_ASSERT(memcmp(env.payload, body, env.payload_len) == 0);
    CU_ASSERT_EQUAL(env.n_signatures, 1);
    CU_ASSERT_EQUAL(env.signatures[0].sig_len, HX_SIGNING_KEY_SIG_LEN);
    CU_ASSERT(hx_dsse_verify(&env, key, &which));
    CU_ASSERT_EQUAL(which, 0);
    hx_dsse_envelope_cleanup(&env);
    free(text);
    json_decref(j);
    hx_signing_key_free(key);
}

/* A changed payload, a changed type, a changed signature and another key
 * are each refused. */
static void
test_dsse_verify_rejects_bad_signatures(void)
{
    struct hx_signing_key *key = NULL, *other = NULL;
    struct hx_dsse_envelope env = {0};
    struct hx_error err = {0};
    json_t *j = NULL;
    char *text;
    size_t which;

    CU_ASSERT_FATAL(hx_signing_key_generate(&key, &err) == 0);
    CU_ASSERT_FATAL(hx_signing_key_generate(&other, &err) == 0);
    CU_ASSERT_STRING_NOT_EQUAL(hx_signing_key_id(key), hx_signing_key_id(other));
    CU_ASSERT_FATAL(hx_dsse_sign("application/x-test", "payload", 7, key, &j) == 0);
    text = json_dumps(j, 0);
    CU_ASSERT_FATAL(hx_dsse_parse(text, strlen(text), "env.json", &env, &err) == 0);
    CU_ASSERT(hx_dsse_verify(&env, key, &which));
    CU_ASSERT(!hx_dsse_verify(&env, other, &which));

    env.payload[0] ^= 1;
    CU_ASSERT(!hx_dsse_verify(&env, key, &which));
    env.payload[0] ^= 1;

    env.payload_type[0] = 'b'; /* the type is signed too */
    CU_ASSERT(!hx_dsse_verify(&env, key, &which));
    env.payload_type[0] = 'a';

    env.signatures[0].sig[10] ^= 0x80;
    CU_ASSERT(!hx_dsse_verify(&env, key, &which));
    env.signatures[0].sig[10] ^= 0x80;

    env.signatures[0].sig_len = 63;
    CU_ASSERT(!hx_dsse_verify(&env, key, &which));
    env.signatures[0].sig_len = 64;
    CU_ASSERT(hx_dsse_verify(&env, key, &which));

    hx_dsse_envelope_cleanup(&env);
    free(text);
    json_decref(j);
    hx_signing_key_free(key);
    hx_signing_key_free(other);
}

/* Parses text and expects a failure whose message contains want. */
static void
expect_parse_error(const char *text, const char *want)
{
    struct hx_dsse_envelope env = {0};
    struct hx_error err = {0};

    CU_ASSERT_EQUAL(hx_dsse_parse(text, strlen(text), "env.json", &env, &err), HX_E_PARSE);
    if (strstr(err.text, want) == NULL) {
        fprintf(stderr, "\nwanted \"%s\" in \"%s\"\n", want, err.text);
        CU_FAIL("the error does not name the member");
    }
    CU_ASSERT_PTR_NULL(env.payload);
}

static void
test_dsse_parse_names_each_malformed_member(void)
{
    expect_parse_error("not json", "env.json: not a JSON envelope");
    expect_parse_error("[]", "not a JSON object");
    expect_parse_error("{\"payload\":\"eA==\",\"signatures\":[{\"sig\":\"eA==\"}]}",
                       "payloadType: missing");
    expect_parse_error("{\"payloadType\":1,\"payload\":\"eA==\",\"signatures\":[]}",
                       "payloadType: not a string");
    expect_parse_error("{\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"eA==\"}]}",
                       "payload: missing");
    expect_parse_error("{\"payloadType\":\"t\",\"payload\":\"e!==\",\"signatures\":[{\"sig\":\"eA==\"}]}",
                       "payload: not base64");
    expect_parse_error("{\"payloadType\":\"t\",\"payload\":\"eA==\"}", "signatures: missing");
    expect_parse_error("{\"payloadType\":\"t\",\"payload\":\"eA==\",\"signatures\":{}}",
                       "signatures: not an array");
    expect_parse_error("{\"payloadType\":\"t\",\"payload\":\"eA==\",\"signatures\":[]}",
                       "signatures: empty");
    expect_parse_error("{\"payloadType\":\"t\",\"payload\":\"eA==\",\"signatures\":[1]}",
                       "signatures[0]: not an object");
    expect_parse_error(
        "{\"payloadType\":\"t\",\"payload\":\"eA==\",\"signatures\":[{\"sig\":\"eA==\"},{}]}",
        "signatures[1].sig: missing");
    expect_parse_error(
        "{\"payloadType\":\"t\",\"payload\":\"eA==\",\"signatures\":[{\"sig\":\"e A\"}]}",
        "signatures[0].sig: not base64");
    expect_parse_error(
        "{\"payloadType\":\"t\",\"payload\":\"eA==\",\"signatures\":[{\"keyid\":7,\"sig\":\"eA==\"}]}",
        "signatures[0].keyid: not a string");
    /* one member twice could make two readers see two envelopes */
    expect_parse_error("{\"payloadType\":\"t\",\"payloadType\":\"u\",\"payload\":\"eA==\","
                       "\"signatures\":[{\"sig\":\"eA==\"}]}",
                       "not a JSON envelope");
}

static void
test_dsse_parse_accepts_url_safe_base64_and_no_keyid(void)
{
    struct hx_dsse_envelope env = {0};
    struct hx_error err = {0};
    /* 0xfb 0xff is "-_8" in base64url, "+/8=" in standard base64 */
    const char text[] = "{\"payloadType\":\"t\",\"payload\":\"-_8\",\"signatures\":[{\"sig\":\"+/8=\"}]}";

    CU_ASSERT_FATAL(hx_dsse_parse(text, strlen(text), "env.json", &env, &err) == 0);
    CU_ASSERT_EQUAL(env.payload_len, 2);
    CU_ASSERT_EQUAL(env.payload[0], 0xfb);
    CU_ASSERT_EQUAL(env.signatures[0].sig_len, 2);
    CU_ASSERT_STRING_EQUAL(env.signatures[0].keyid, "");
    hx_dsse_envelope_cleanup(&env);
}

/* The keyid is the SHA-256 of the DER SubjectPublicKeyInfo, and the
 * public PEM reads back as the same key. */
static void
test_signing_key_id_is_sha256_of_public_key_der(void)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    struct hx_signing_key *k = NULL, *pub = NULL;
    struct hx_error err = {0};
    unsigned char *der = NULL, d[32];
    unsigned int dlen = 0;
    char want[65], *pem = pem_of(pkey, 1), *pub_pem = NULL;
    size_t pub_len = 0;
    int n = i2d_PUBKEY(pkey, &der);

    CU_ASSERT_FATAL(n > 0);
    EVP_Digest(der, (size_t)n, d, &dlen, EVP_sha256(), NULL);
    for (unsigned int i = 0; i < 32; i++)
        snprintf(want + 2 * i, 3, "%02x", d[i]);
    CU_ASSERT_FATAL(hx_signing_key_parse_private(pem, strlen(pem), "k.pem", &k, &err) == 0);
    CU_ASSERT_STRING_EQUAL(hx_signing_key_id(k), want);
    CU_ASSERT(hx_signing_key_can_sign(k));
    CU_ASSERT_FATAL(hx_signing_key_public_pem(k, &pub_pem, &pub_len) == 0);
    CU_ASSERT(strncmp(pub_pem, "-----BEGIN PUBLIC KEY-----", 26) == 0);
    CU_ASSERT(strstr(pub_pem, "PRIVATE") == NULL);
    CU_ASSERT_FATAL(hx_signing_key_parse_public(pub_pem, pub_len, "k.pub", &pub, &err) == 0);
    CU_ASSERT_STRING_EQUAL(hx_signing_key_id(pub), want);
    CU_ASSERT(!hx_signing_key_can_sign(pub));
    {
        unsigned char sig[HX_SIGNING_KEY_SIG_LEN];
        CU_ASSERT_EQUAL(hx_signing_key_sign(pub, "m", 1, sig), HX_E_INVAL);
        CU_ASSERT_EQUAL(hx_signing_key_sign(k, "m", 1, sig), 0);
        CU_ASSERT(hx_signing_key_verify(pub, "m", 1, sig, sizeof sig));
        CU_ASSERT(!hx_signing_key_verify(pub, "n", 1, sig, sizeof sig));
    }
    OPENSSL_free(der);
    free(pem);
    free(pub_pem);
    hx_signing_key_free(k);
    hx_signing_key_free(pub);
    EVP_PKEY_free(pkey);
}

/* Loads a private key from text and expects an error naming the file and
 * saying what is wrong. */
static void
expect_key_error(const char *text, int want_rc, const char *want)
{
    struct hx_signing_key *k = NULL;
    struct hx_error err = {0};

    CU_ASSERT_EQUAL(hx_signing_key_parse_private(text, strlen(text), "key.pem", &k, &err),
                    want_rc);
    CU_ASSERT_PTR_NULL(k);
    if (strncmp(err.text, "key.pem: ", 9) != 0 || strstr(err.text, want) == NULL) {
        fprintf(stderr, "\nwanted \"key.pem: ...%s\" in \"%s\"\n", want, err.text);
        CU_FAIL("the error does not name the file and the problem");
    }
}

static void
test_signing_key_load_names_the_file_and_the_problem(void)
{
    EVP_PKEY *ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    char *ec_pem = pem_of(ec, 1), *ed_pub = pem_of(ed, 0);
    char dir[] = "/tmp/test_dsse.XXXXXX", path[64];
    struct hx_signing_key *k = NULL;
    struct hx_error err = {0};

    expect_key_error("just some text\n", HX_E_PARSE, "not a PEM private key (no PEM block in it)");
    expect_key_error(ec_pem, HX_E_PARSE, "the key is EC P-256, not Ed25519");
    expect_key_error(ed_pub, HX_E_PARSE, "not a PEM private key (it holds a public key)");
    expect_key_error("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE "
                     "KEY-----\n",
                     HX_E_PARSE, "it is encrypted");

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/none.pem", dir);
    CU_ASSERT_EQUAL(hx_signing_key_load_private(path, &k, &err), HX_E_NOTFOUND);
    CU_ASSERT(strstr(err.text, path) != NULL && strstr(err.text, "no such file") != NULL);
    CU_ASSERT_EQUAL(hx_signing_key_load_public(path, &k, &err), HX_E_NOTFOUND);
    CU_ASSERT_PTR_NULL(k);
    rmdir(dir);

    free(ec_pem);
    free(ed_pub);
    EVP_PKEY_free(ec);
    EVP_PKEY_free(ed);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_dsse_pae_matches_the_encoding_worked_by_hand),
        TU_TEST(test_dsse_sign_then_verify_round_trips),
        TU_TEST(test_dsse_verify_rejects_bad_signatures),
        TU_TEST(test_dsse_parse_names_each_malformed_member),
        TU_TEST(test_dsse_parse_accepts_url_safe_base64_and_no_keyid),
        TU_TEST(test_signing_key_id_is_sha256_of_public_key_der),
        TU_TEST(test_signing_key_load_names_the_file_and_the_problem),
        {NULL, NULL},
    };
    return tu_run_suite("dsse", tests);
}
