#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/probe.h"
#include "unit.h"

static void
test_registry_lists_unique_complete_probes(void)
{
    const struct hx_probe_def *const *all = hx_probe_all();
    size_t n = 0;

    for (size_t i = 0; all[i] != NULL; i++, n++) {
        CU_ASSERT_PTR_NOT_NULL(all[i]->name);
        CU_ASSERT_PTR_NOT_NULL(all[i]->summary);
        CU_ASSERT_PTR_NOT_NULL(all[i]->run);
        CU_ASSERT_PTR_EQUAL(hx_probe_find(all[i]->name), all[i]);
        for (size_t k = 0; k < i; k++)
            CU_ASSERT_STRING_NOT_EQUAL(all[k]->name, all[i]->name);
    }
    CU_ASSERT(n >= 16);
    CU_ASSERT_PTR_NULL(hx_probe_find("no_such_probe"));
    CU_ASSERT_TRUE(hx_probe_find("rate_limit")->floods);
    CU_ASSERT_TRUE(hx_probe_find("signup_race")->floods);
    CU_ASSERT_FALSE(hx_probe_find("jwt_forge")->floods);
}

static void
test_registry_validators_name_unknown_and_mistyped_arguments(void)
{
    const struct hx_probe_def *const *all = hx_probe_all();
    json_t *unknown = json_pack("{s:i}", "nonsense", 1);
    json_t *not_object = json_pack("[i]", 1);
    struct hx_error err;

    for (size_t i = 0; all[i] != NULL; i++) {
        CU_ASSERT_EQUAL(hx_probe_validate_args(all[i], NULL, &err), 0);
        memset(&err, 0, sizeof(err));
        CU_ASSERT_NOT_EQUAL(hx_probe_validate_args(all[i], unknown, &err), 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "args.nonsense"));
        CU_ASSERT_NOT_EQUAL(hx_probe_validate_args(all[i], not_object, &err), 0);
        CU_ASSERT_PTR_NOT_NULL(all[i]->run);
        CU_ASSERT_PTR_NOT_NULL(all[i]->summary);
    }
    json_decref(unknown);
    json_decref(not_object);
    {
        json_t *bad = json_pack("{s:s}", "short_max", "four");
        CU_ASSERT_NOT_EQUAL(hx_probe_validate_args(hx_probe_find("secret_sweep"), bad, &err), 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "args.short_max: expected an integer"));
        json_decref(bad);
        bad = json_pack("{s:i}", "short_max", 9);
        CU_ASSERT_NOT_EQUAL(hx_probe_validate_args(hx_probe_find("secret_sweep"), bad, &err), 0);
        json_decref(bad);
        bad = json_pack("{s:[s]}", "scopes", "planet");
        CU_ASSERT_NOT_EQUAL(hx_probe_validate_args(hx_probe_find("rate_limit"), bad, &err), 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "scopes[0]"));
        json_decref(bad);
        bad = json_pack("{s:i}", "concurrency", 1);
        CU_ASSERT_NOT_EQUAL(hx_probe_validate_args(hx_probe_find("signup_race"), bad, &err), 0);
        json_decref(bad);
    }
}

static void
test_registry_every_checklist_scenario_calls_known_probes_with_valid_args(void)
{
    const char *data = getenv("AUTHCONFORM_DATA_DIR");
    char dir[1024], path[1400];
    DIR *d;
    struct dirent *e;
    size_t files = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(data);
    snprintf(dir, sizeof(dir), "%s/scenarios/checklist", data);
    d = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    while ((e = readdir(d)) != NULL) {
        json_t *doc, *steps, *st;
        json_error_t jerr;
        size_t i;
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        doc = json_load_file(path, 0, &jerr);
        CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
        files++;
        CU_ASSERT_EQUAL(strncmp(json_string_value(json_object_get(doc, "id")), "SEC-", 4), 0);
        CU_ASSERT_PTR_NOT_NULL(json_string_value(json_object_get(doc, "remediation")));
        /* every check says where its rule comes from */
        CU_ASSERT_PTR_NOT_NULL(json_string_value(json_object_get(doc, "source")));
        CU_ASSERT(json_array_size(json_object_get(doc, "asvs")) >= 1);
        steps = json_object_get(doc, "steps");
        json_array_foreach(steps, i, st)
        {
            const char *name = json_string_value(json_object_get(st, "probe"));
            const struct hx_probe_def *p;
            struct hx_error err;
            if (name == NULL)
                continue;
            p = hx_probe_find(name);
            CU_ASSERT_PTR_NOT_NULL(p);
            if (p != NULL) {
                memset(&err, 0, sizeof(err));
                CU_ASSERT_EQUAL(hx_probe_validate_args(p, json_object_get(st, "args"), &err), 0);
                if (err.text[0] != '\0')
                    fprintf(stderr, "%s: %s\n", e->d_name, err.text);
            }
        }
        json_decref(doc);
    }
    closedir(d);
    CU_ASSERT(files >= 17);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_registry_lists_unique_complete_probes),
        TU_TEST(test_registry_validators_name_unknown_and_mistyped_arguments),
        TU_TEST(test_registry_every_checklist_scenario_calls_known_probes_with_valid_args),
        {NULL, NULL},
    };
    return tu_run_suite("probe_registry", tests);
}
