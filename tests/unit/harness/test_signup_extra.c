#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/profile.h"
#include "hx/signup_extra.h"
#include "unit.h"

static void
test_signup_extra_fills_what_the_body_lacks(void)
{
    json_t *prof = json_loads("{\"fields\": {\"extra\": {\"name\": \"${identity.username}\", "
                              "\"acceptedTerms\": true, \"profile\": {\"contact\": "
                              "\"${identity.email}\", \"tags\": [\"${identity.username}-x\", 1]}}}}",
                              0, NULL);
    json_t *body = json_pack("{s:s, s:s}", "email", "a@example.com", "password", "pw");
    json_t *want = json_loads("{\"email\": \"a@example.com\", \"password\": \"pw\", \"name\": "
                              "\"alice_1\", \"acceptedTerms\": true, \"profile\": {\"contact\": "
                              "\"a@example.com\", \"tags\": [\"alice_1-x\", 1]}}",
                              0, NULL);
    struct hx_error err = {0};

    CU_ASSERT_PTR_NOT_NULL_FATAL(prof);
    CU_ASSERT_EQUAL(hx_signup_extra_add(prof, body, "a@example.com", "pw", "alice_1", &err), 0);
    CU_ASSERT_TRUE(json_equal(body, want));
    json_decref(body);
    json_decref(want);

    /* a member the body has already (a check that sends it wrong) stays */
    body = json_pack("{s:i}", "name", 5);
    CU_ASSERT_EQUAL(hx_signup_extra_add(prof, body, "a@example.com", "pw", "alice_1", &err), 0);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(body, "name")), 5);
    CU_ASSERT_TRUE(json_is_true(json_object_get(body, "acceptedTerms")));
    json_decref(body);
    json_decref(prof);

    /* no fields.extra: nothing added */
    prof = json_pack("{s:{s:s}}", "fields", "email", "email");
    body = json_object();
    CU_ASSERT_EQUAL(hx_signup_extra_add(prof, body, "a", "b", "c", &err), 0);
    CU_ASSERT_EQUAL(json_object_size(body), 0);
    json_decref(body);
    json_decref(prof);
}

static void
test_signup_extra_refuses_unknown_references(void)
{
    struct hx_error err = {0};
    json_t *ok = json_loads("[\"${identity.email}\", {\"k\": \"${identity.password}\"}, 3]", 0,
                            NULL);
    json_t *bad = json_loads("{\"k\": [\"x\", \"${alice.email}\"]}", 0, NULL);
    json_t *badkey = json_loads("{\"${run.id}\": 1}", 0, NULL);

    CU_ASSERT_EQUAL(hx_signup_extra_check(ok, &err), 0);
    CU_ASSERT_EQUAL(hx_signup_extra_check(bad, &err), HX_E_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "${alice.email} is not known here"));
    CU_ASSERT_EQUAL(hx_signup_extra_check(badkey, &err), HX_E_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "${run.id}"));
    json_decref(ok);
    json_decref(bad);
    json_decref(badkey);
}

static void
test_profile_names_each_wrong_extra(void)
{
    char def[4096], path[] = "/tmp/test_signup_extra.XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    struct hx_profile *p = NULL;
    struct hx_errlist errs;
    static const char *const want[] = {
        "fields.extra.email: the email field is the harness's to send",
        "fields.extra.password: the password field is the harness's to send",
        "fields.extra.nick: ${identity.nickname} is not known here",
        NULL,
    };

    fputs("{\"name\":\"x\",\"fields\":{\"extra\":{\"email\":\"e\",\"password\":\"p\","
          "\"nick\":\"${identity.nickname}\",\"terms\":true}}}",
          f);
    fclose(f);
    snprintf(def, sizeof def, "%s/fixtures/profiles/quickstart.json",
             getenv("AUTHCONFORM_DATA_DIR"));
    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL(hx_profile_load(path, def, &p, &errs), HX_E_PARSE);
    for (const char *const *w = want; *w != NULL; w++) {
        bool found = false;
        for (size_t i = 0; i < errs.n; i++)
            found = found || (strstr(errs.items[i].text, *w) != NULL &&
                              strcmp(errs.items[i].file, path) == 0);
        if (!found)
            fprintf(stderr, "missing error: %s\n", *w);
        CU_ASSERT_TRUE(found);
    }
    CU_ASSERT_EQUAL(errs.n, 3);
    hx_errlist_cleanup(&errs);
    unlink(path);

    /* not an object */
    fd = mkstemp(strcpy(path, "/tmp/test_signup_extra.XXXXXX"));
    f = fdopen(fd, "w");
    fputs("{\"name\":\"x\",\"fields\":{\"extra\":[\"name\"]}}", f);
    fclose(f);
    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL(hx_profile_load(path, def, &p, &errs), HX_E_PARSE);
    CU_ASSERT_EQUAL_FATAL(errs.n, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(errs.items[0].text, "fields.extra: expected an object"));
    hx_errlist_cleanup(&errs);
    unlink(path);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_signup_extra_fills_what_the_body_lacks),
        TU_TEST(test_signup_extra_refuses_unknown_references),
        TU_TEST(test_profile_names_each_wrong_extra),
        {NULL, NULL},
    };
    return tu_run_suite("signup_extra", tests);
}
