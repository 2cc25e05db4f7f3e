#include <stdlib.h>
#include <string.h>

#include "cmn/buf.h"
#include "unit.h"

static void
test_buf_add_appends_and_terminates(void)
{
    struct cmn_buf b;
    cmn_buf_init(&b, 100);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b), "");
    CU_ASSERT(cmn_buf_adds(&b, "abc") == 0);
    CU_ASSERT(cmn_buf_addc(&b, 'd') == 0);
    CU_ASSERT(cmn_buf_addf(&b, "-%d-%s", 42, "x") == 0);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b), "abcd-42-x");
    CU_ASSERT_EQUAL(b.len, 9);
    cmn_buf_cleanup(&b);
}

static void
test_buf_add_fails_past_the_cap_and_keeps_contents(void)
{
    struct cmn_buf b;
    cmn_buf_init(&b, 8);
    CU_ASSERT(cmn_buf_adds(&b, "12345678") == 0);
    CU_ASSERT(cmn_buf_addc(&b, '9') == CMN_E_TOOBIG);
    CU_ASSERT(cmn_buf_addf(&b, "%s", "x") == CMN_E_TOOBIG);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b), "12345678");
    CU_ASSERT(b.cap_alloc <= 9);
    cmn_buf_cleanup(&b);
}

static void
test_buf_grows_across_many_appends(void)
{
    struct cmn_buf b;
    cmn_buf_init(&b, 1 << 20);
    for (int i = 0; i < 10000; i++)
        CU_ASSERT_FATAL(cmn_buf_add(&b, "0123456789", 10) == 0);
    CU_ASSERT_EQUAL(b.len, 100000);
    CU_ASSERT_EQUAL(b.data[b.len], '\0');
    CU_ASSERT(memcmp(b.data + 99990, "0123456789", 10) == 0);
    cmn_buf_cleanup(&b);
}

static void
test_buf_take_leaves_buffer_empty_and_reusable(void)
{
    struct cmn_buf b;
    char *s;
    cmn_buf_init(&b, 100);
    s = cmn_buf_take(&b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s, "");
    free(s);
    cmn_buf_adds(&b, "hello");
    s = cmn_buf_take(&b);
    CU_ASSERT_STRING_EQUAL(s, "hello");
    CU_ASSERT_EQUAL(b.len, 0);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b), "");
    CU_ASSERT(cmn_buf_adds(&b, "again") == 0);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b), "again");
    free(s);
    cmn_buf_cleanup(&b);
}

static void
test_buf_keeps_embedded_nul_bytes(void)
{
    struct cmn_buf b;
    cmn_buf_init(&b, 100);
    CU_ASSERT(cmn_buf_add(&b, "a\0b", 3) == 0);
    CU_ASSERT_EQUAL(b.len, 3);
    CU_ASSERT(memcmp(b.data, "a\0b", 3) == 0);
    cmn_buf_reset(&b);
    CU_ASSERT_EQUAL(b.len, 0);
    cmn_buf_cleanup(&b);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_buf_add_appends_and_terminates),
        TU_TEST(test_buf_add_fails_past_the_cap_and_keeps_contents),
        TU_TEST(test_buf_grows_across_many_appends),
        TU_TEST(test_buf_take_leaves_buffer_empty_and_reusable),
        TU_TEST(test_buf_keeps_embedded_nul_bytes),
        {NULL, NULL},
    };
    return tu_run_suite("buf", tests);
}
