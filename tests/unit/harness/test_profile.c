#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/error_answer.h"
#include "hx/profile.h"
#include "unit.h"

static void
default_path(char *out, size_t size)
{
    snprintf(out, size, "%s/fixtures/profiles/quickstart.json", getenv("AUTHCONFORM_DATA_DIR"));
}

static void
test_profile_default_loads_with_the_contract_values(void)
{
    char def[4096], route[256];
    struct hx_profile *p = NULL;
    struct hx_errlist errs;

    default_path(def, sizeof def);
    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL_FATAL(hx_profile_load(def, def, &p, &errs), 0);
    CU_ASSERT_STRING_EQUAL(p->signup_path, "/api/auth/signup");
    CU_ASSERT_STRING_EQUAL(p->token_path, "$.access_token");
    CU_ASSERT_EQUAL(json_integer_value(hx_profile_get(p, "codes.signup")), 201);
    CU_ASSERT_EQUAL(json_integer_value(hx_profile_get(p, "token.lifetime")), 604800);
    CU_ASSERT_EQUAL(p->task_ops, HX_TASK_ALL);
    CU_ASSERT_EQUAL(json_array_size(p->notes), 0);
    CU_ASSERT_EQUAL(hx_profile_route(p, "task", "u1", "t1", route, sizeof route), 0);
    CU_ASSERT_STRING_EQUAL(route, "/api/users/u1/tasks/t1");
    CU_ASSERT_EQUAL(hx_profile_route(p, "task", "u1", NULL, route, sizeof route), HX_E_NOTFOUND);
    CU_ASSERT_EQUAL(hx_profile_route(p, "nothing", NULL, NULL, route, sizeof route), HX_E_NOTFOUND);
    hx_profile_free(p);
    hx_errlist_cleanup(&errs);
}

static void
test_profile_override_merges_over_the_default(void)
{
    char def[4096], path[] = "/tmp/test_profile.XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    struct hx_profile *p = NULL;
    struct hx_errlist errs;

    fputs("{\"name\":\"vendor\",\"paths\":{\"signup\":\"/v1/register\",\"signout\":null},"
          "\"codes\":{\"signup\":200},\"tasks\":{\"writes\":false},\"auth\":{\"transport\":"
          "\"cookie\"}}",
          f);
    fclose(f);
    default_path(def, sizeof def);
    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL_FATAL(hx_profile_load(path, def, &p, &errs), 0);
    CU_ASSERT_STRING_EQUAL(p->name, "vendor");
    CU_ASSERT_STRING_EQUAL(p->signup_path, "/v1/register");
    CU_ASSERT_STRING_EQUAL(p->signin_path, "/api/auth/signin");
    CU_ASSERT_PTR_NULL(hx_profile_get(p, "paths.signout"));
    /* tasks.writes, the older spelling: false is the list alone, and a note says so */
    CU_ASSERT_EQUAL(p->task_ops, HX_TASK_LIST);
    CU_ASSERT_EQUAL_FATAL(json_array_size(p->notes), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_array_get(p->notes, 0)),
                                  "tasks.writes: false is read as tasks.operations [\"list\"]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_array_get(p->notes, 1)),
                                  "offers list (tasks.operations), not create, read, update, "
                                  "delete, which the quickstart defines"));
    CU_ASSERT_EQUAL(p->transport, HX_TRANSPORT_COOKIE);
    /* a status is the contract's: the profile's 200 is a declared deviation */
    CU_ASSERT_EQUAL(json_integer_value(hx_profile_get(p, "codes.signup")), 201);
    CU_ASSERT_EQUAL(json_array_size(p->deviations), 1);
    hx_profile_free(p);
    hx_errlist_cleanup(&errs);
    unlink(path);
}

static void
test_profile_never_changes_what_passes(void)
{
    char def[4096], path[] = "/tmp/test_profile.XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    struct hx_profile *p = NULL;
    struct hx_errlist errs;
    const json_t *d;

    fputs("{\"name\":\"better\",\"codes\":{\"signup\":200,\"duplicate\":422,\"signin\":200},"
          "\"messages\":{\"bad_credentials\":\"Invalid email or password\"},"
          "\"token\":{\"alg\":\"EdDSA\",\"lifetime\":900,\"lifetime_tolerance\":30,"
          "\"user_id_claim\":\"sub\"},\"paths\":{\"signup\":\"/api/auth/sign-up/email\"}}",
          f);
    fclose(f);
    default_path(def, sizeof def);
    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL_FATAL(hx_profile_load(path, def, &p, &errs), 0);
    /* how the target differs is taken */
    CU_ASSERT_STRING_EQUAL(p->signup_path, "/api/auth/sign-up/email");
    CU_ASSERT_STRING_EQUAL(json_string_value(hx_profile_get(p, "token.user_id_claim")), "sub");
    CU_ASSERT_EQUAL(json_integer_value(hx_profile_get(p, "token.lifetime_tolerance")), 30);
    /* what passes is not */
    CU_ASSERT_EQUAL(json_integer_value(hx_profile_get(p, "codes.signup")), 201);
    CU_ASSERT_EQUAL(json_integer_value(hx_profile_get(p, "codes.duplicate")), 400);
    CU_ASSERT_EQUAL(json_integer_value(hx_profile_get(p, "codes.signin")), 200);
    CU_ASSERT_STRING_EQUAL(json_string_value(hx_profile_get(p, "messages.bad_credentials")),
                           "Invalid credentials");
    CU_ASSERT_STRING_EQUAL(json_string_value(hx_profile_get(p, "token.alg")), "HS256");
    CU_ASSERT_EQUAL(json_integer_value(hx_profile_get(p, "token.lifetime")), 604800);
    /* and each difference is declared, with both values (signin 200 is no difference) */
    CU_ASSERT_EQUAL_FATAL(json_array_size(p->deviations), 5);
    d = json_array_get(p->deviations, 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(d, "key")), "codes.signup");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(d, "declared")), 200);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(d, "contract")), 201);
    hx_profile_free(p);
    hx_errlist_cleanup(&errs);
    unlink(path);
}

static void
test_profile_errors_name_every_field(void)
{
    char def[4096], path[] = "/tmp/test_profile.XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    struct hx_profile *p = NULL;
    struct hx_errlist errs;
    bool code = false, transport = false, route = false, unknown = false;

    fputs("{\"paths\":{\"signin\":\"api/signin\"},\"codes\":{\"signup\":99},"
          "\"auth\":{\"transport\":\"pigeon\"},\"fields\":{\"token\":\"$.\"},\"extra\":1}",
          f);
    fclose(f);
    default_path(def, sizeof def);
    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL(hx_profile_load(path, def, &p, &errs), HX_E_PARSE);
    CU_ASSERT_PTR_NULL(p);
    for (size_t i = 0; i < errs.n; i++) {
        code = code || strstr(errs.items[i].text, "codes.signup") != NULL;
        transport = transport || strstr(errs.items[i].text, "auth.transport") != NULL;
        route = route || strstr(errs.items[i].text, "paths.signin") != NULL;
        unknown = unknown || strstr(errs.items[i].text, "extra: unknown") != NULL;
        CU_ASSERT_STRING_EQUAL(errs.items[i].file, path);
    }
    CU_ASSERT(code && transport && route && unknown);
    CU_ASSERT(errs.n >= 5);
    hx_errlist_cleanup(&errs);
    unlink(path);
}

static void
test_profile_load_names_unreadable_and_broken_files(void)
{
    char def[4096], bad[] = "/tmp/test_profile.XXXXXX";
    int fd = mkstemp(bad);
    FILE *f = fdopen(fd, "w");
    struct hx_profile *p = NULL;
    struct hx_errlist errs;

    fputs("{\"name\": ", f);
    fclose(f);
    default_path(def, sizeof def);
    hx_errlist_init(&errs);
    /* the defaults broken, the missing, the profile itself broken */
    CU_ASSERT_EQUAL(hx_profile_load(def, bad, &p, &errs), HX_E_PARSE);
    CU_ASSERT_EQUAL(hx_profile_load("/nonexistent/profile.json", def, &p, &errs), HX_E_IO);
    CU_ASSERT_EQUAL(hx_profile_load(bad, def, &p, &errs), HX_E_PARSE);
    CU_ASSERT_PTR_NULL(p);
    CU_ASSERT_EQUAL_FATAL(errs.n, 3);
    CU_ASSERT_STRING_EQUAL(errs.items[0].file, bad);
    CU_ASSERT_STRING_EQUAL(errs.items[1].file, "/nonexistent/profile.json");
    CU_ASSERT_STRING_EQUAL(errs.items[2].file, bad);
    hx_errlist_cleanup(&errs);
    unlink(bad);
}

static void
test_profile_load_buffer_takes_text_and_parsed_defaults(void)
{
    static const char text[] = "{\"name\": \"other\", \"paths\": {\"signup\": \"/register\"}}";
    char def[4096];
    json_t *defaults;
    struct hx_profile *p = NULL;
    struct hx_errlist errs;

    default_path(def, sizeof def);
    defaults = json_load_file(def, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(defaults);
    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL_FATAL(
        hx_profile_load_buffer(text, sizeof text - 1, "mem.json", defaults, &p, &errs), 0);
    CU_ASSERT_STRING_EQUAL(p->name, "other");
    CU_ASSERT_STRING_EQUAL(p->file, "mem.json");
    CU_ASSERT_STRING_EQUAL(p->signup_path, "/register");
    CU_ASSERT_STRING_EQUAL(p->signin_path, "/api/auth/signin");
    CU_ASSERT_STRING_EQUAL(
        json_string_value(json_object_get(json_object_get(defaults, "paths"), "signup")),
        "/api/auth/signup"); /* the defaults are not changed */
    hx_profile_free(p);
    p = NULL;
    /* without defaults the text alone must be a whole profile */
    CU_ASSERT_EQUAL(hx_profile_load_buffer(text, sizeof text - 1, "mem.json", NULL, &p, &errs),
                    HX_E_PARSE);
    CU_ASSERT_PTR_NULL(p);
    CU_ASSERT(errs.n > 0);
    hx_errlist_cleanup(&errs);
    json_decref(defaults);
}

/* Writes text to a new temporary file whose name goes into path (a
 * "/tmp/...XXXXXX" template). */
static void
write_temp(char *path, const char *text)
{
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
}

static const char *
str_at(const struct hx_profile *p, const char *dotted)
{
    const char *s = json_string_value(hx_profile_get(p, dotted));
    return s != NULL ? s : "(none)";
}

static void
test_profile_error_locations_and_codes(void)
{
    char def[4096], ba[4096], path[] = "/tmp/test_profile.XXXXXX";
    struct hx_profile *p = NULL;
    struct hx_errlist errs;

    default_path(def, sizeof def);
    snprintf(ba, sizeof ba, "%s/fixtures/profiles/better-auth.json",
             getenv("AUTHCONFORM_DATA_DIR"));
    hx_errlist_init(&errs);
    /* the contract's: {"detail": ...} everywhere, no machine code */
    CU_ASSERT_EQUAL_FATAL(hx_profile_load(def, def, &p, &errs), 0);
    CU_ASSERT_STRING_EQUAL(str_at(p, "errors.message"), "$.detail");
    CU_ASSERT_STRING_EQUAL(str_at(p, "errors.auth.message"), "$.detail");
    CU_ASSERT_PTR_NULL(hx_errors_path(p->root, HX_ERRORS_AUTH, "code"));
    CU_ASSERT_PTR_NULL(hx_errors_path(p->root, HX_ERRORS_API, "code"));
    hx_profile_free(p);
    p = NULL;

    /* Better Auth: its auth routes say {"message", "code"}, the API beside it
     * the quickstart's {"detail"}; the texts that pass stay the contract's */
    CU_ASSERT_EQUAL_FATAL(hx_profile_load(ba, def, &p, &errs), 0);
    CU_ASSERT_STRING_EQUAL(hx_errors_path(p->root, HX_ERRORS_AUTH, "message"), "$.message");
    CU_ASSERT_STRING_EQUAL(hx_errors_path(p->root, HX_ERRORS_AUTH, "code"), "$.code");
    CU_ASSERT_STRING_EQUAL(hx_errors_path(p->root, HX_ERRORS_API, "message"), "$.detail");
    CU_ASSERT_PTR_NULL(hx_errors_path(p->root, HX_ERRORS_API, "code"));
    CU_ASSERT_STRING_EQUAL(hx_errors_case(p->root, "INVALID_EMAIL_OR_PASSWORD"),
                           "bad_credentials");
    CU_ASSERT_PTR_NULL(hx_errors_case(p->root, "SOMETHING_ELSE"));
    CU_ASSERT_STRING_EQUAL(str_at(p, "messages.bad_credentials"), "Invalid credentials");
    hx_profile_free(p);
    p = NULL;

    /* one location for every route: the auth routes follow the API's */
    write_temp(path, "{\"name\":\"v\",\"errors\":{\"message\":\"$.error.text\","
                     "\"code\":\"$.error.code\"}}");
    CU_ASSERT_EQUAL_FATAL(hx_profile_load(path, def, &p, &errs), 0);
    CU_ASSERT_STRING_EQUAL(str_at(p, "errors.auth.message"), "$.error.text");
    CU_ASSERT_STRING_EQUAL(str_at(p, "errors.auth.code"), "$.error.code");
    hx_profile_free(p);
    p = NULL;
    unlink(path);
    CU_ASSERT_EQUAL(errs.n, 0);
    hx_errlist_cleanup(&errs);
}

static void
test_profile_error_section_mistakes_are_named(void)
{
    static const char *const want[] = {
        "errors.message: expected a JSON path",
        "errors.code: expected a JSON path starting with '$'",
        "errors.auth.kind: unknown (message, code)",
        "errors.codes.wrong_case: unknown error case",
        "errors.codes.duplicate: expected the target's code",
        "errors.color: unknown (message, code, auth, codes)",
        NULL,
    };
    char def[4096], path[] = "/tmp/test_profile.XXXXXX";
    struct hx_profile *p = NULL;
    struct hx_errlist errs;

    write_temp(path, "{\"name\":\"v\",\"errors\":{\"message\":5,\"code\":\"code\","
                     "\"auth\":{\"kind\":1},\"codes\":{\"wrong_case\":\"X\","
                     "\"duplicate\":7},\"color\":1}}");
    default_path(def, sizeof def);
    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL(hx_profile_load(path, def, &p, &errs), HX_E_PARSE);
    CU_ASSERT_PTR_NULL(p);
    for (const char *const *w = want; *w != NULL; w++) {
        bool found = false;
        for (size_t i = 0; i < errs.n; i++)
            found = found || (strstr(errs.items[i].text, *w) != NULL &&
                              strcmp(errs.items[i].file, path) == 0);
        if (!found)
            fprintf(stderr, "missing error: %s\n", *w);
        CU_ASSERT_TRUE(found);
    }
    CU_ASSERT_EQUAL(errs.n, 6);
    hx_errlist_cleanup(&errs);
    unlink(path);
}

static void
test_profile_task_operations(void)
{
    char def[4096], path[] = "/tmp/test_profile.XXXXXX";
    struct hx_profile *p = NULL;
    struct hx_errlist errs;
    char text[64];

    default_path(def, sizeof def);
    hx_errlist_init(&errs);
    write_temp(path, "{\"name\":\"v\",\"tasks\":{\"operations\":[\"read\",\"list\"]}}");
    CU_ASSERT_EQUAL_FATAL(hx_profile_load(path, def, &p, &errs), 0);
    CU_ASSERT_EQUAL(p->task_ops, HX_TASK_LIST | HX_TASK_READ);
    CU_ASSERT_STRING_EQUAL(hx_task_ops_text(p->task_ops, text, sizeof text), "list, read");
    CU_ASSERT_EQUAL(json_array_size(p->notes), 1);
    hx_profile_free(p);
    p = NULL;
    unlink(path);

    /* writes: true is every operation; no note about missing ones */
    strcpy(path, "/tmp/test_profile.XXXXXX");
    write_temp(path, "{\"name\":\"v\",\"tasks\":{\"writes\":true}}");
    CU_ASSERT_EQUAL_FATAL(hx_profile_load(path, def, &p, &errs), 0);
    CU_ASSERT_EQUAL(p->task_ops, HX_TASK_ALL);
    CU_ASSERT_EQUAL_FATAL(json_array_size(p->notes), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_array_get(p->notes, 0)),
                                  "tasks.writes: true is read as tasks.operations [\"list\", "
                                  "\"create\", \"read\", \"update\", \"delete\"]"));
    hx_profile_free(p);
    p = NULL;
    unlink(path);
    CU_ASSERT_EQUAL(errs.n, 0);

    /* both spellings, an unknown operation, a repeated one, writes not a boolean */
    static const char *const bad[][2] = {
        {"{\"tasks\":{\"writes\":true,\"operations\":[\"list\"]}}",
         "tasks.writes: give tasks.operations or tasks.writes (its older spelling), not both"},
        {"{\"tasks\":{\"operations\":[\"list\",\"search\"]}}",
         "tasks.operations: expected a list of the operations"},
        {"{\"tasks\":{\"operations\":[\"list\",\"list\"]}}",
         "tasks.operations: expected a list of the operations"},
        {"{\"tasks\":{\"writes\":\"yes\"}}", "tasks.writes: expected true or false"},
        {"{\"tasks\":{\"operations\":[\"list\"],\"search\":true}}",
         "tasks.search: unknown (operations)"},
        {"{\"identity\":{\"id_format\":\"ulid\"}}",
         "identity.id_format: expected \"uuid\" or \"opaque\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(path, "/tmp/test_profile.XXXXXX");
        write_temp(path, bad[i][0]);
        CU_ASSERT_EQUAL(hx_profile_load(path, def, &p, &errs), HX_E_PARSE);
        CU_ASSERT_PTR_NULL(p);
        CU_ASSERT_EQUAL_FATAL(errs.n, 1);
        if (strstr(errs.items[0].text, bad[i][1]) == NULL)
            fprintf(stderr, "case %zu: got %s\n", i, errs.items[0].text);
        CU_ASSERT_PTR_NOT_NULL(strstr(errs.items[0].text, bad[i][1]));
        CU_ASSERT_STRING_EQUAL(errs.items[0].file, path);
        hx_errlist_cleanup(&errs);
        hx_errlist_init(&errs);
        unlink(path);
    }
    hx_errlist_cleanup(&errs);
}

static void
test_error_answer_reads_message_and_code(void)
{
    static const char body[] = "{\"code\":\"INVALID_EMAIL_OR_PASSWORD\","
                               "\"message\":\"Invalid email or password\",\"n\":[1]}";
    char out[64];

    CU_ASSERT_TRUE(hx_errors_read(body, sizeof body - 1, "$.code", out, sizeof out));
    CU_ASSERT_STRING_EQUAL(out, "INVALID_EMAIL_OR_PASSWORD");
    CU_ASSERT_TRUE(hx_errors_read(body, sizeof body - 1, "$.n", out, sizeof out));
    CU_ASSERT_STRING_EQUAL(out, "[1]");
    CU_ASSERT_FALSE(hx_errors_read(body, sizeof body - 1, "$.detail", out, sizeof out));
    CU_ASSERT_STRING_EQUAL(out, "");
    CU_ASSERT_FALSE(hx_errors_read("<html>", 6, "$.code", out, sizeof out));
    CU_ASSERT_FALSE(hx_errors_read(NULL, 0, "$.code", out, sizeof out));
    /* a profile loaded without an errors section reads the quickstart's place */
    CU_ASSERT_STRING_EQUAL(hx_errors_path(NULL, HX_ERRORS_API, "message"), "$.detail");
    CU_ASSERT_PTR_NULL(hx_errors_path(NULL, HX_ERRORS_AUTH, "code"));
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_profile_default_loads_with_the_contract_values),
        TU_TEST(test_profile_override_merges_over_the_default),
        TU_TEST(test_profile_never_changes_what_passes),
        TU_TEST(test_profile_errors_name_every_field),
        TU_TEST(test_profile_load_names_unreadable_and_broken_files),
        TU_TEST(test_profile_load_buffer_takes_text_and_parsed_defaults),
        TU_TEST(test_profile_error_locations_and_codes),
        TU_TEST(test_profile_error_section_mistakes_are_named),
        TU_TEST(test_error_answer_reads_message_and_code),
        TU_TEST(test_profile_task_operations),
        {NULL, NULL},
    };
    return tu_run_suite("profile", tests);
}
