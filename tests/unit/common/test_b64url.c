#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "cmn/error.h"
#include "unit.h"

static void
test_b64url_encode_matches_rfc4648_vectors_without_padding(void)
{
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const out[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        char *e = cmn_b64url_encode_new(in[i], strlen(in[i]));
        CU_ASSERT_STRING_EQUAL(e, out[i]);
        free(e);
    }
}

static void
test_b64url_encode_uses_url_alphabet(void)
{
    const unsigned char bytes[] = {0xfb, 0xff, 0xbf};
    char *e = cmn_b64url_encode_new(bytes, 3);
    CU_ASSERT_STRING_EQUAL(e, "-_-_");
    free(e);
}

/* Encodes and decodes every byte value, at lengths of every remainder mod 3. */
static void
round_trip_all_byte_values(char *(*encode)(const void *, size_t),
                           int (*decode)(const char *, size_t, unsigned char **, size_t *))
{
    unsigned char all[256];
    unsigned char *back = NULL;
    size_t n = 0;
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    for (size_t len = 0; len <= 256; len += 37) {
        char *e = encode(all, len);
        CU_ASSERT_FATAL(decode(e, strlen(e), &back, &n) == 0);
        CU_ASSERT_EQUAL(n, len);
        CU_ASSERT(memcmp(back, all, len) == 0);
        free(back);
        free(e);
    }
}

static void
test_b64url_decode_round_trips_all_byte_values(void)
{
    round_trip_all_byte_values(cmn_b64url_encode_new, cmn_b64url_decode);
}

static void
test_b64url_decode_rejects_bad_input(void)
{
    unsigned char *out = NULL;
    size_t n;
    CU_ASSERT(cmn_b64url_decode("Zm9v+", 5, &out, &n) == CMN_E_INVAL);
    CU_ASSERT(cmn_b64url_decode("Zm9v/", 5, &out, &n) == CMN_E_INVAL);
    CU_ASSERT(cmn_b64url_decode("Z", 1, &out, &n) == CMN_E_INVAL);
    CU_ASSERT(cmn_b64url_decode("Zm.v", 4, &out, &n) == CMN_E_INVAL);
    /* "Zh" leaves non-zero stray bits: not a canonical encoding of "f". */
    CU_ASSERT(cmn_b64url_decode("Zh", 2, &out, &n) == CMN_E_INVAL);
    CU_ASSERT_PTR_NULL(out);
}

static void
test_b64url_decode_tolerates_trailing_padding(void)
{
    unsigned char *out = NULL;
    size_t n;
    CU_ASSERT_FATAL(cmn_b64url_decode("Zg==", 4, &out, &n) == 0);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(out[0], 'f');
    free(out);
}

static void
test_b64_encode_matches_rfc4648_vectors_with_padding(void)
{
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
                                      "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        char *e = cmn_b64_encode_new(in[i], strlen(in[i]));
        CU_ASSERT_STRING_EQUAL(e, out[i]);
        CU_ASSERT_EQUAL(strlen(e) + 1, cmn_b64_encoded_size(strlen(in[i])));
        free(e);
    }
}

static void
test_b64_encode_uses_standard_alphabet(void)
{
    const unsigned char bytes[] = {0xfb, 0xff, 0xbf};
    char *e = cmn_b64_encode_new(bytes, 3);
    CU_ASSERT_STRING_EQUAL(e, "+/+/");
    free(e);
}

static void
test_b64_decode_round_trips_all_byte_values(void)
{
    round_trip_all_byte_values(cmn_b64_encode_new, cmn_b64_decode);
}

static void
test_b64_decode_rejects_bad_input(void)
{
    unsigned char *out = NULL;
    size_t n;
    CU_ASSERT(cmn_b64_decode("Zm9v-_-_", 8, &out, &n) == CMN_E_INVAL); /* url alphabet */
    CU_ASSERT(cmn_b64_decode("Zg", 2, &out, &n) == CMN_E_INVAL);       /* padding missing */
    CU_ASSERT(cmn_b64_decode("Zg=", 3, &out, &n) == CMN_E_INVAL);
    CU_ASSERT(cmn_b64_decode("Z===", 4, &out, &n) == CMN_E_INVAL);
    CU_ASSERT(cmn_b64_decode("Zh==", 4, &out, &n) == CMN_E_INVAL); /* stray bits */
    CU_ASSERT(cmn_b64_decode("Zm 9v", 5, &out, &n) == CMN_E_INVAL);
    CU_ASSERT(cmn_b64_decode("Zm9v\n", 5, &out, &n) == CMN_E_INVAL);
    CU_ASSERT_PTR_NULL(out);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_b64url_encode_matches_rfc4648_vectors_without_padding),
        TU_TEST(test_b64url_encode_uses_url_alphabet),
        TU_TEST(test_b64url_decode_round_trips_all_byte_values),
        TU_TEST(test_b64url_decode_rejects_bad_input),
        TU_TEST(test_b64url_decode_tolerates_trailing_padding),
        TU_TEST(test_b64_encode_matches_rfc4648_vectors_with_padding),
        TU_TEST(test_b64_encode_uses_standard_alphabet),
        TU_TEST(test_b64_decode_round_trips_all_byte_values),
        TU_TEST(test_b64_decode_rejects_bad_input),
        {NULL, NULL},
    };
    return tu_run_suite("b64url", tests);
}
