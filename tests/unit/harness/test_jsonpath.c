#include <stdlib.h>
#include <string.h>

#include "hx/jsonpath.h"
#include "unit.h"

static json_t *
get(const json_t *doc, const char *path)
{
    json_t *out = NULL;
    CU_ASSERT_EQUAL_FATAL(hx_jsonpath_get(doc, path, &out, NULL), 0);
    return out;
}

static void
test_jsonpath_reads_members_indexes_and_quoted_names(void)
{
    json_t *doc = json_loads("{\"user\":{\"id\":\"u1\",\"odd key\":7},\"list\":[1,2,3]}", 0, NULL);
    json_t *v;

    v = get(doc, "$.user.id");
    CU_ASSERT_STRING_EQUAL(json_string_value(v), "u1");
    json_decref(v);
    v = get(doc, "user.id");
    CU_ASSERT_STRING_EQUAL(json_string_value(v), "u1");
    json_decref(v);
    v = get(doc, "$.user['odd key']");
    CU_ASSERT_EQUAL(json_integer_value(v), 7);
    json_decref(v);
    v = get(doc, "$[\"list\"][1]");
    CU_ASSERT_EQUAL(json_integer_value(v), 2);
    json_decref(v);
    v = get(doc, "$.list[-1]");
    CU_ASSERT_EQUAL(json_integer_value(v), 3);
    json_decref(v);
    v = get(doc, "$");
    CU_ASSERT_PTR_EQUAL(v, doc);
    json_decref(v);
    json_decref(doc);
}

static void
test_jsonpath_missing_paths_give_null_not_an_error(void)
{
    json_t *doc = json_loads("{\"a\":[1],\"s\":\"x\"}", 0, NULL);
    CU_ASSERT_PTR_NULL(get(doc, "$.b"));
    CU_ASSERT_PTR_NULL(get(doc, "$.a[5]"));
    CU_ASSERT_PTR_NULL(get(doc, "$.a.b"));
    CU_ASSERT_PTR_NULL(get(doc, "$.s[0]"));
    CU_ASSERT_PTR_NULL(get(doc, "$.b.c.d"));
    json_decref(doc);
}

static void
test_jsonpath_length_counts_arrays_objects_and_characters(void)
{
    json_t *doc = json_loads("{\"a\":[1,2],\"o\":{\"x\":1},\"s\":\"h\\u00e9\"}", 0, NULL);
    json_t *v = get(doc, "$.a.length()");
    CU_ASSERT_EQUAL(json_integer_value(v), 2);
    json_decref(v);
    v = get(doc, "$.o.length()");
    CU_ASSERT_EQUAL(json_integer_value(v), 1);
    json_decref(v);
    v = get(doc, "$.s.length()");
    CU_ASSERT_EQUAL(json_integer_value(v), 3); /* json_string_length: bytes of UTF-8 */
    json_decref(v);
    json_decref(doc);
}

static void
test_jsonpath_rejects_malformed_paths_with_the_offset(void)
{
    struct hx_error err;
    CU_ASSERT_EQUAL(hx_jsonpath_check("$.", &err), HX_E_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "offset"));
    CU_ASSERT_EQUAL(hx_jsonpath_check("$[abc]", &err), HX_E_PARSE);
    CU_ASSERT_EQUAL(hx_jsonpath_check("$['open", &err), HX_E_PARSE);
    CU_ASSERT_EQUAL(hx_jsonpath_check("$.a.length().b", &err), HX_E_PARSE);
    CU_ASSERT_EQUAL(hx_jsonpath_check("$x", &err), HX_E_PARSE);
    CU_ASSERT_EQUAL(hx_jsonpath_check("", &err), HX_E_PARSE);
    CU_ASSERT_EQUAL(hx_jsonpath_check("$.user.id", &err), 0);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_jsonpath_reads_members_indexes_and_quoted_names),
        TU_TEST(test_jsonpath_missing_paths_give_null_not_an_error),
        TU_TEST(test_jsonpath_length_counts_arrays_objects_and_characters),
        TU_TEST(test_jsonpath_rejects_malformed_paths_with_the_offset),
        {NULL, NULL},
    };
    return tu_run_suite("jsonpath", tests);
}
