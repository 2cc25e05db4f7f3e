#include <stdlib.h>
#include <string.h>

#include "hx/vars.h"
#include "unit.h"

static struct hx_vars *
profile_vars(void)
{
    struct hx_vars *v = hx_vars_new(NULL);
    json_t *p = json_loads("{\"paths\":{\"signup\":\"/api/auth/signup\"},"
                           "\"codes\":{\"signup\":201,\"signout\":[200,204]},"
                           "\"tasks\":{\"writes\":true},\"gone\":null}",
                           0, NULL);
    hx_vars_load_json_tree(v, "", p);
    json_decref(p);
    return v;
}

static void
test_vars_expand_profile_values_and_captures(void)
{
    struct hx_vars *run = profile_vars();
    struct hx_vars *sc = hx_vars_new(run);
    struct hx_error err;
    char *s;

    hx_vars_set(sc, "alice.token", "tok");
    s = hx_vars_expand(sc,
                       "POST ${paths.signup} -> ${codes.signup} ${codes.signout} "
                       "${tasks.writes} [${alice.token}]",
                       &err);
    CU_ASSERT_STRING_EQUAL(s, "POST /api/auth/signup -> 201 [200,204] true [tok]");
    free(s);
    CU_ASSERT_FALSE(hx_vars_has(run, "gone"));
    hx_vars_free(sc);
    hx_vars_free(run);
}

static void
test_vars_expand_reports_unknown_and_malformed_references(void)
{
    struct hx_vars *v = profile_vars();
    struct hx_error err;

    CU_ASSERT_PTR_NULL(hx_vars_expand(v, "x ${bob.token} y", &err));
    CU_ASSERT_STRING_EQUAL(err.text, "unknown variable ${bob.token}");
    CU_ASSERT_PTR_NULL(hx_vars_expand(v, "x ${paths.signup", &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "unterminated"));
    CU_ASSERT_PTR_NULL(hx_vars_expand(v, "${a b}", &err));
    CU_ASSERT_PTR_NULL(hx_vars_expand(v, "${paths.signup|shout}", &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "unknown filter"));
    hx_vars_free(v);
}

static void
test_vars_filters_and_escape(void)
{
    struct hx_vars *v = hx_vars_new(NULL);
    struct hx_error err;
    char *s;

    hx_vars_set(v, "e", "Alice@Example.com");
    s = hx_vars_expand(v, "${e|upper} ${e|lower} ${e|urlencode} $${e} $5", &err);
    CU_ASSERT_STRING_EQUAL(s, "ALICE@EXAMPLE.COM alice@example.com Alice%40Example.com ${e} $5");
    free(s);
    hx_vars_free(v);
}

static int
gen(void *ud, struct hx_vars *v, const char *name)
{
    int *calls = ud;
    if (strcmp(name, "carol.email") != 0)
        return HX_E_NOTFOUND;
    (*calls)++;
    return hx_vars_set(v, name, "carol@example.com");
}

static void
test_vars_generator_creates_a_value_once(void)
{
    struct hx_vars *v = hx_vars_new(NULL);
    struct hx_error err;
    int calls = 0;
    char *s;

    hx_vars_set_generator(v, gen, &calls);
    s = hx_vars_expand(v, "${carol.email} ${carol.email}", &err);
    CU_ASSERT_STRING_EQUAL(s, "carol@example.com carol@example.com");
    CU_ASSERT_EQUAL(calls, 1);
    free(s);
    CU_ASSERT_PTR_NULL(hx_vars_get(v, "dave.email"));
    hx_vars_free(v);
}

static void
test_vars_expand_json_keeps_types_of_whole_references(void)
{
    struct hx_vars *v = profile_vars();
    struct hx_error err;
    json_t *in =
        json_loads("{\"status\":\"${codes.signup}\",\"set\":\"${codes.signout}\","
                   "\"text\":\"code ${codes.signup}\",\"${paths.signup}\":[\"${tasks.writes}\"]}",
                   0, NULL);
    json_t *out = hx_vars_expand_json(v, in, &err);

    CU_ASSERT_FATAL(out != NULL);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(out, "status")), 201);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(out, "set")), 2);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(out, "text")), "code 201");
    CU_ASSERT_TRUE(json_is_true(json_array_get(json_object_get(out, "/api/auth/signup"), 0)));
    json_decref(out);
    json_decref(in);

    in = json_loads("{\"steps\":[{\"x\":\"${nope}\"}]}", 0, NULL);
    CU_ASSERT_PTR_NULL(hx_vars_expand_json(v, in, &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "steps[0].x"));
    json_decref(in);
    hx_vars_free(v);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_vars_expand_profile_values_and_captures),
        TU_TEST(test_vars_expand_reports_unknown_and_malformed_references),
        TU_TEST(test_vars_filters_and_escape),
        TU_TEST(test_vars_generator_creates_a_value_once),
        TU_TEST(test_vars_expand_json_keeps_types_of_whole_references),
        {NULL, NULL},
    };
    return tu_run_suite("vars", tests);
}
