#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmn/env.h"
#include "cmn/error.h"
#include "unit.h"

static void
test_parse_long_checks_range_and_junk(void)
{
    long v = 0;
    CU_ASSERT(cmn_parse_long("42", 0, 100, &v) == 0);
    CU_ASSERT_EQUAL(v, 42);
    CU_ASSERT(cmn_parse_long("101", 0, 100, &v) == CMN_E_RANGE);
    CU_ASSERT(cmn_parse_long("4x", 0, 100, &v) == CMN_E_INVAL);
    CU_ASSERT(cmn_parse_long("", 0, 100, &v) == CMN_E_INVAL);
    CU_ASSERT(cmn_parse_long("99999999999999999999999", 0, 100, &v) == CMN_E_RANGE);
    CU_ASSERT_EQUAL(v, 42);
}

static void
test_parse_duration_understands_units(void)
{
    long v = 0;
    CU_ASSERT(cmn_parse_duration("7d", 1, 1000000, &v) == 0);
    CU_ASSERT_EQUAL(v, 604800);
    CU_ASSERT(cmn_parse_duration("90", 1, 1000, &v) == 0);
    CU_ASSERT_EQUAL(v, 90);
    CU_ASSERT(cmn_parse_duration("2h", 1, 10000, &v) == 0);
    CU_ASSERT_EQUAL(v, 7200);
    CU_ASSERT(cmn_parse_duration("5m", 1, 100, &v) == CMN_E_RANGE);
    CU_ASSERT(cmn_parse_duration("d", 1, 100, &v) == CMN_E_INVAL);
    CU_ASSERT(cmn_parse_duration("3w", 1, 100, &v) == CMN_E_INVAL);
}

static void
test_parse_bool_accepts_common_spellings(void)
{
    bool b = false;
    CU_ASSERT(cmn_parse_bool("YES", &b) == 0 && b);
    CU_ASSERT(cmn_parse_bool("off", &b) == 0 && !b);
    CU_ASSERT(cmn_parse_bool("maybe", &b) == CMN_E_INVAL);
}

static void
test_read_file_trimmed_strips_newlines_and_respects_cap(void)
{
    char path[] = "/tmp/test_env_XXXXXX";
    int fd = mkstemp(path);
    char *s = NULL;
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_FATAL(write(fd, "secret-value\r\n\n", 15) == 15);
    close(fd);
    CU_ASSERT(cmn_read_file_trimmed(path, 100, &s) == 0);
    CU_ASSERT_STRING_EQUAL(s, "secret-value");
    free(s);
    CU_ASSERT(cmn_read_file_trimmed(path, 4, &s) == CMN_E_TOOBIG);
    CU_ASSERT(cmn_read_file_trimmed("/nonexistent/file", 100, &s) == CMN_E_IO);
    unlink(path);
}

static void
test_read_file_keeps_every_byte_and_gives_the_length(void)
{
    char path[] = "/tmp/test_env_XXXXXX";
    int fd = mkstemp(path);
    char *s = NULL;
    size_t len = 0;
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_FATAL(write(fd, "{}\0x\n", 5) == 5);
    close(fd);
    CU_ASSERT_FATAL(cmn_read_file(path, 100, &s, &len) == 0);
    CU_ASSERT_EQUAL(len, 5);
    CU_ASSERT(memcmp(s, "{}\0x\n", 6) == 0);
    free(s);
    CU_ASSERT(cmn_read_file(path, 4, &s, &len) == CMN_E_TOOBIG);
    CU_ASSERT(cmn_read_file("/nonexistent/file", 100, &s, &len) == CMN_E_IO);
    unlink(path);
}

static void
test_env_get_treats_empty_as_unset(void)
{
    setenv("CMN_TEST_EMPTY", "", 1);
    setenv("CMN_TEST_SET", "v", 1);
    CU_ASSERT_PTR_NULL(cmn_env_get("CMN_TEST_EMPTY"));
    CU_ASSERT_PTR_NULL(cmn_env_get("CMN_TEST_NEVER_SET_ANYWHERE"));
    CU_ASSERT_STRING_EQUAL(cmn_env_get("CMN_TEST_SET"), "v");
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_parse_long_checks_range_and_junk),
        TU_TEST(test_parse_duration_understands_units),
        TU_TEST(test_parse_bool_accepts_common_spellings),
        TU_TEST(test_read_file_trimmed_strips_newlines_and_respects_cap),
        TU_TEST(test_read_file_keeps_every_byte_and_gives_the_length),
        TU_TEST(test_env_get_treats_empty_as_unset),
        {NULL, NULL},
    };
    return tu_run_suite("env", tests);
}
