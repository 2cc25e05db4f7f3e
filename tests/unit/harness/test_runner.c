#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/runner.h"
#include "unit.h"

static struct hx_profile *
load_profile(void)
{
    char def[4096];
    struct hx_profile *p = NULL;
    struct hx_errlist errs;

    snprintf(def, sizeof def, "%s/fixtures/profiles/quickstart.json",
             getenv("AUTHCONFORM_DATA_DIR"));
    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL_FATAL(hx_profile_load(def, def, &p, &errs), 0);
    hx_errlist_cleanup(&errs);
    return p;
}

static void
test_runner_skip_reasons_name_what_is_missing(void)
{
    struct hx_config cfg;
    struct hx_profile *p = load_profile();
    struct hx_scenario sc;
    char buf[256];
    char *keys[] = {"paths.nothing"};

    hx_config_init(&cfg);
    memset(&sc, 0, sizeof sc);
    cfg.target = strdup("http://127.0.0.1:1");
    CU_ASSERT_PTR_NULL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf));
    sc.needs = HX_NEED_SECRET;
    CU_ASSERT_STRING_EQUAL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf),
                           "needs the shared secret (--secret-file or --secret-env)");
    cfg.secret = strdup("s");
    CU_ASSERT_PTR_NULL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf));
    sc.needs = HX_NEED_DATABASE;
    CU_ASSERT_STRING_EQUAL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf),
                           "needs the target's database (--database-url)");
    sc.needs = HX_NEED_TLS;
    CU_ASSERT_STRING_EQUAL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf),
                           "needs an https:// target");
    sc.needs = HX_NEED_TASK_WRITES;
    CU_ASSERT_PTR_NULL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf));
    p->task_writes = false;
    CU_ASSERT_PTR_NOT_NULL(strstr(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf),
                                  "needs a target with task writes"));
    sc.needs = 0;
    sc.need_keys = keys;
    sc.n_need_keys = 1;
    CU_ASSERT_STRING_EQUAL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf),
                           "needs paths.nothing in the profile (profile quickstart has none)");
    sc.n_need_keys = 0;
    sc.floods = true;
    CU_ASSERT_PTR_NULL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf));
    cfg.safe = true;
    CU_ASSERT_STRING_EQUAL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf),
                           "floods the target: skipped under --safe");
    hx_profile_free(p);
    hx_config_cleanup(&cfg);
}

static void
test_runner_seed_makes_the_run_id_reproducible(void)
{
    struct hx_config cfg;
    struct hx_profile *p = load_profile();
    struct hx_run *a = NULL, *b = NULL, *c = NULL;

    hx_config_init(&cfg);
    cfg.target = strdup("http://127.0.0.1:1/");
    cfg.has_seed = true;
    cfg.seed = 42;
    CU_ASSERT_EQUAL_FATAL(hx_run_new(&cfg, p, NULL, &a), 0);
    CU_ASSERT_EQUAL_FATAL(hx_run_new(&cfg, p, NULL, &b), 0);
    CU_ASSERT_STRING_EQUAL(hx_run_id(a), hx_run_id(b));
    CU_ASSERT_EQUAL(strlen(hx_run_id(a)), 8);
    cfg.has_seed = false;
    CU_ASSERT_EQUAL_FATAL(hx_run_new(&cfg, p, NULL, &c), 0);
    CU_ASSERT_STRING_NOT_EQUAL(hx_run_id(a), hx_run_id(c));
    hx_run_free(a);
    hx_run_free(b);
    hx_run_free(c);
    hx_profile_free(p);
    hx_config_cleanup(&cfg);
}

static void
test_runner_unreachable_target_makes_every_case_an_error(void)
{
    struct hx_config cfg;
    struct hx_profile *p = load_profile();
    struct hx_run *run = NULL;
    struct hx_result *r = hx_result_new("t", "p", "id");
    struct hx_scenario sc, *list[1] = {&sc};
    struct hx_step step = {.name = "s"};

    hx_config_init(&cfg);
    cfg.target = strdup("http://127.0.0.1:1");
    cfg.timeout_s = 2;
    memset(&sc, 0, sizeof sc);
    sc.id = "X-1";
    sc.title = "t";
    sc.group = "g";
    sc.file = "f";
    sc.steps = &step;
    sc.n_steps = 1;
    CU_ASSERT_EQUAL_FATAL(hx_run_new(&cfg, p, NULL, &run), 0);
    CU_ASSERT_EQUAL(hx_run_execute(run, list, 1, r, NULL), HX_E_UNREACHABLE);
    CU_ASSERT_EQUAL(r->n_cases, 1);
    CU_ASSERT_EQUAL(r->cases[0]->status, HX_STATUS_ERROR);
    CU_ASSERT_STRING_EQUAL(r->cases[0]->failure_type, "transport.unreachable");
    CU_ASSERT_PTR_NOT_NULL(strstr(r->cases[0]->message, "target unreachable"));
    hx_run_free(run);
    hx_result_free(r);
    hx_profile_free(p);
    hx_config_cleanup(&cfg);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_runner_skip_reasons_name_what_is_missing),
        TU_TEST(test_runner_seed_makes_the_run_id_reproducible),
        TU_TEST(test_runner_unreachable_target_makes_every_case_an_error),
        {NULL, NULL},
    };
    return tu_run_suite("runner", tests);
}
