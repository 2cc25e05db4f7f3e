#include <ctype.h>
#include <string.h>

#include "hx/error.h"
#include "hx/probes/fake_id.h"
#include "unit.h"

static void
test_fake_id_uuid_by_default(void)
{
    unsigned char rnd[64];
    char out[64];

    memset(rnd, 0xff, sizeof rnd);
    CU_ASSERT_EQUAL(hx_fake_user_id(NULL, "fVsOMYnx3akiIPyxZcTBjk0iVy6BkNK7", rnd, out, sizeof out),
                    0);
    CU_ASSERT_STRING_EQUAL(out, "ffffffff-ffff-4fff-bfff-ffffffffffff");
    CU_ASSERT_EQUAL(hx_fake_user_id("uuid", "x", rnd, out, sizeof out), 0);
    CU_ASSERT_EQUAL(strlen(out), 36);
    /* opaque without an id to copy the shape of: a UUID still */
    CU_ASSERT_EQUAL(hx_fake_user_id("opaque", "", rnd, out, sizeof out), 0);
    CU_ASSERT_EQUAL(strlen(out), 36);
    CU_ASSERT_EQUAL(hx_fake_user_id("uuid", NULL, rnd, out, 36), HX_E_TOOLONG);
}

static void
test_fake_id_opaque_has_the_real_ids_shape(void)
{
    /* a Better Auth id: 32 letters and digits */
    static const char real[] = "fVsOMYnx3akiIPyxZcTBjk0iVy6BkNK7";
    unsigned char rnd[64];
    char out[64];

    for (size_t i = 0; i < sizeof rnd; i++)
        rnd[i] = (unsigned char)(i * 37 + 11);
    CU_ASSERT_EQUAL(hx_fake_user_id("opaque", real, rnd, out, sizeof out), 0);
    CU_ASSERT_EQUAL(strlen(out), strlen(real));
    CU_ASSERT_STRING_NOT_EQUAL(out, real);
    for (size_t i = 0; out[i] != '\0'; i++)
        CU_ASSERT_TRUE(isalnum((unsigned char)out[i]));
    /* digits only stay digits; separators stay where they are */
    CU_ASSERT_EQUAL(hx_fake_user_id("opaque", "user_4711-9", rnd, out, sizeof out), 0);
    CU_ASSERT_EQUAL(strlen(out), 11);
    CU_ASSERT_EQUAL(out[4], '_');
    CU_ASSERT_EQUAL(out[9], '-');
    CU_ASSERT_TRUE(islower((unsigned char)out[0]) || isdigit((unsigned char)out[0]));
    CU_ASSERT_EQUAL(hx_fake_user_id("opaque", "12345", rnd, out, sizeof out), 0);
    for (size_t i = 0; out[i] != '\0'; i++)
        CU_ASSERT_TRUE(isdigit((unsigned char)out[i]));
    CU_ASSERT_EQUAL(hx_fake_user_id("opaque", real, rnd, out, 10), HX_E_TOOLONG);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_fake_id_uuid_by_default),
        TU_TEST(test_fake_id_opaque_has_the_real_ids_shape),
        {NULL, NULL},
    };
    return tu_run_suite("probe_fake_id", tests);
}
