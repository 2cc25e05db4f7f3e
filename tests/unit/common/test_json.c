#include <stdlib.h>
#include <string.h>

#include "cmn/json.h"
#include "unit.h"

static void
test_json_parse_strict_accepts_an_object(void)
{
    const char *s = "{\"email\":\"a@b.c\",\"n\":3}";
    json_t *j = cmn_json_parse_strict(s, strlen(s), 32, NULL, 0);
    long long n = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_STRING_EQUAL(cmn_json_get_str(j, "email"), "a@b.c");
    CU_ASSERT_PTR_NULL(cmn_json_get_str(j, "n"));
    CU_ASSERT(cmn_json_get_int(j, "n", &n) == 0);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT(cmn_json_get_int(j, "email", &n) != 0);
    json_decref(j);
}

static void
test_json_parse_strict_rejects_duplicate_keys(void)
{
    const char *s = "{\"a\":1,\"a\":2}";
    char err[128] = "";
    CU_ASSERT_PTR_NULL(cmn_json_parse_strict(s, strlen(s), 32, err, sizeof err));
    CU_ASSERT(err[0] != '\0');
}

static void
test_json_parse_strict_rejects_nul_and_bad_utf8(void)
{
    char err[128];
    CU_ASSERT_PTR_NULL(cmn_json_parse_strict("{\"a\":\"x\0\"}", 10, 32, err, sizeof err));
    CU_ASSERT(strstr(err, "NUL") != NULL);
    CU_ASSERT_PTR_NULL(cmn_json_parse_strict("{\"a\":\"\xff\"}", 9, 32, err, sizeof err));
    CU_ASSERT(strstr(err, "UTF-8") != NULL);
}

static void
test_json_parse_strict_rejects_deep_nesting_without_recursion(void)
{
    size_t n = 200000;
    char *s = malloc(n);
    char err[128];
    memset(s, '[', n);
    CU_ASSERT_PTR_NULL(cmn_json_parse_strict(s, n, 64, err, sizeof err));
    CU_ASSERT(strstr(err, "deep") != NULL);
    free(s);
}

static void
test_json_parse_strict_ignores_brackets_inside_strings(void)
{
    const char *s = "{\"a\":\"[[[[[[[[[[\\\"[[[[[[\"}";
    json_t *j = cmn_json_parse_strict(s, strlen(s), 2, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL(j);
    json_decref(j);
}

static void
test_json_dump_buf_is_compact(void)
{
    struct cmn_buf b;
    json_t *j = json_pack("{s:s, s:i}", "detail", "x", "n", 1);
    cmn_buf_init(&b, 1024);
    CU_ASSERT(cmn_json_dump_buf(j, &b) == 0);
    CU_ASSERT_STRING_EQUAL(cmn_buf_str(&b), "{\"detail\":\"x\",\"n\":1}");
    cmn_buf_cleanup(&b);
    json_decref(j);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_json_parse_strict_accepts_an_object),
        TU_TEST(test_json_parse_strict_rejects_duplicate_keys),
        TU_TEST(test_json_parse_strict_rejects_nul_and_bad_utf8),
        TU_TEST(test_json_parse_strict_rejects_deep_nesting_without_recursion),
        TU_TEST(test_json_parse_strict_ignores_brackets_inside_strings),
        TU_TEST(test_json_dump_buf_is_compact),
        {NULL, NULL},
    };
    return tu_run_suite("json", tests);
}
