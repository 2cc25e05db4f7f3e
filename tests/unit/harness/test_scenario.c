#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/scenario.h"
#include "unit.h"

static char dir[] = "/tmp/test_scenario.XXXXXX";

static char *
write_file(const char *name, const char *text)
{
    char *path;
    FILE *f;
    if (asprintf(&path, "%s/%s", dir, name) < 0)
        return NULL;
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static bool
has_error(const struct hx_errlist *l, const char *needle)
{
    for (size_t i = 0; i < l->n; i++)
        if (strstr(l->items[i].text, needle) != NULL)
            return true;
    return false;
}

static void
test_scenario_load_reads_a_complete_file(void)
{
    char *p =
        write_file("ok.json", "{\"id\":\"QS-X-001\",\"title\":\"t\",\"checklist\":[\"hs256\"],"
                              "\"severity\":\"high\",\"needs\":[\"secret\",\"paths.signout\"],"
                              "\"identities\":[\"alice\"],\"steps\":[{\"name\":\"s\",\"request\":"
                              "{\"method\":\"GET\",\"path\":\"${paths.tasks}\",\"path_params\":"
                              "{\"user_id\":\"${alice.user_id}\"},\"as\":\"alice\"},\"expect\":"
                              "{\"status\":200},\"capture\":{\"x\":\"$.id\"}},{\"name\":\"t\","
                              "\"request\":{\"method\":\"GET\",\"path\":\"/x/${x}\"}}]}");
    struct hx_scenario *s = NULL;
    struct hx_errlist errs;

    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL_FATAL(hx_scenario_load(p, "g", &s, &errs), 0);
    CU_ASSERT_EQUAL(errs.n, 0);
    CU_ASSERT_STRING_EQUAL(s->id, "QS-X-001");
    CU_ASSERT_EQUAL(s->severity, HX_SEV_HIGH);
    CU_ASSERT_EQUAL(s->needs, HX_NEED_SECRET);
    CU_ASSERT_EQUAL(s->n_need_keys, 1);
    CU_ASSERT_EQUAL(s->n_steps, 2);
    CU_ASSERT_EQUAL(s->n_identities, 1);
    hx_scenario_free(s);
    hx_errlist_cleanup(&errs);
    unlink(p);
    free(p);
}

static void
test_scenario_load_reports_every_error_with_its_field(void)
{
    char *p = write_file("bad.json",
                         "{\"id\":\"qs lower\",\"checklist\":[\"speed\"],\"severity\":\"urgent\","
                         "\"needs\":[\"magic\"],\"colour\":1,\"steps\":[{\"request\":{\"method\":"
                         "\"get\",\"path\":\"x\"},\"expect\":{\"status\":\"abc\"}},"
                         "{\"name\":\"u\",\"request\":"
                         "{\"method\":\"GET\",\"path\":\"/${bob.token}\",\"as\":\"carol\"}},"
                         "{\"name\":\"p\",\"probe\":\"nope\"}]}");
    struct hx_scenario *s = NULL;
    struct hx_errlist errs;

    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL(hx_scenario_load(p, "g", &s, &errs), HX_E_PARSE);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT(has_error(&errs, "id: upper-case"));
    CU_ASSERT(has_error(&errs, "title: required"));
    CU_ASSERT(has_error(&errs, "checklist[0]: unknown item \"speed\""));
    CU_ASSERT(has_error(&errs, "severity:"));
    CU_ASSERT(has_error(&errs, "needs[0]: unknown need \"magic\""));
    CU_ASSERT(has_error(&errs, "colour: unknown member"));
    CU_ASSERT(has_error(&errs, "steps[0].name: required"));
    CU_ASSERT(has_error(&errs, "steps[0].request.method: expected upper-case"));
    CU_ASSERT(has_error(&errs, "steps[0].request.path"));
    CU_ASSERT(has_error(&errs, "steps[0].expect.status"));
    CU_ASSERT(has_error(&errs, "steps[2].probe: no probe called \"nope\""));
    CU_ASSERT(has_error(&errs, "steps[1]: ${bob.token} is not defined here"));
    CU_ASSERT(has_error(&errs, "steps[1].request.as: carol has no token yet"));
    for (size_t i = 0; i < errs.n; i++)
        CU_ASSERT_STRING_EQUAL(errs.items[i].file, p);
    hx_errlist_cleanup(&errs);
    unlink(p);
    free(p);
}

static void
test_scenario_load_names_the_line_of_a_json_syntax_error(void)
{
    char *p = write_file("syntax.json", "{\n\"id\": \"A\",\n\"title\": oops\n}");
    struct hx_scenario *s = NULL;
    struct hx_errlist errs;

    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL(hx_scenario_load(p, "g", &s, &errs), HX_E_PARSE);
    CU_ASSERT_EQUAL(errs.n, 1);
    CU_ASSERT_EQUAL(errs.items[0].line, 3);
    hx_errlist_cleanup(&errs);
    unlink(p);
    free(p);
}

static void
test_scenario_set_refuses_duplicate_ids_and_sorts(void)
{
    char *a = write_file("a.json", "{\"id\":\"B-1\",\"title\":\"b\",\"steps\":[{\"name\":\"s\","
                                   "\"request\":{\"method\":\"GET\",\"path\":\"/\"}}]}");
    char *b = write_file("b.json", "{\"id\":\"A-1\",\"title\":\"a\",\"steps\":[{\"name\":\"s\","
                                   "\"request\":{\"method\":\"GET\",\"path\":\"/\"}}]}");
    char *c = write_file("c.json", "{\"id\":\"B-1\",\"title\":\"c\",\"steps\":[{\"name\":\"s\","
                                   "\"request\":{\"method\":\"GET\",\"path\":\"/\"}}]}");
    struct hx_scenario_set set = {0};
    struct hx_errlist errs;
    char *pats[] = {"a-*", "B-1"};

    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL(hx_scenario_set_load(&set, dir, &errs), 0);
    CU_ASSERT_EQUAL(set.n, 3);
    CU_ASSERT_EQUAL(hx_scenario_set_finish(&set, &errs), HX_E_PARSE);
    CU_ASSERT(has_error(&errs, "id: B-1 is also the id of"));
    CU_ASSERT_STRING_EQUAL(set.items[0]->id, "A-1");
    CU_ASSERT_TRUE(hx_scenario_matches(set.items[0], pats, 1));
    CU_ASSERT_FALSE(hx_scenario_matches(set.items[1], pats, 1));
    CU_ASSERT_TRUE(hx_scenario_matches(set.items[1], pats + 1, 1));
    hx_scenario_set_cleanup(&set);
    hx_errlist_cleanup(&errs);
    unlink(a);
    unlink(b);
    unlink(c);
    free(a);
    free(b);
    free(c);
}

static void
test_scenario_shipped_files_are_all_valid(void)
{
    struct hx_scenario_set set = {0};
    struct hx_errlist errs;
    char path[4096];
    const char *dd = getenv("AUTHCONFORM_DATA_DIR");

    CU_ASSERT_PTR_NOT_NULL_FATAL(dd);
    snprintf(path, sizeof path, "%s/scenarios", dd);
    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL(hx_scenario_set_load(&set, path, &errs), 0);
    CU_ASSERT_EQUAL(hx_scenario_set_finish(&set, &errs), 0);
    if (errs.n > 0)
        hx_errlist_print(&errs, stderr);
    CU_ASSERT_EQUAL(errs.n, 0);
    CU_ASSERT(set.n >= 30);
    hx_scenario_set_cleanup(&set);
    hx_errlist_cleanup(&errs);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_scenario_load_reads_a_complete_file),
        TU_TEST(test_scenario_load_reports_every_error_with_its_field),
        TU_TEST(test_scenario_load_names_the_line_of_a_json_syntax_error),
        TU_TEST(test_scenario_set_refuses_duplicate_ids_and_sorts),
        TU_TEST(test_scenario_shipped_files_are_all_valid),
        {NULL, NULL},
    };
    int rc;
    if (mkdtemp(dir) == NULL)
        return 2;
    rc = tu_run_suite("scenario", tests);
    rmdir(dir);
    return rc;
}
