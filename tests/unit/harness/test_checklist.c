/* The checklist table and the fail-closed item verdict. */
#include <string.h>

#include "hx/checklist.h"
#include "unit.h"

static void
test_checklist_table_has_the_twelve_items_in_order(void)
{
    size_t n;
    const struct hx_checklist_item *items = hx_checklist_items(&n);
    char ids[400];

    CU_ASSERT_EQUAL_FATAL(n, 12);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_EQUAL(items[i].number, (int)i + 1);
        CU_ASSERT_PTR_EQUAL(hx_checklist_find(items[i].id), &items[i]);
        CU_ASSERT_EQUAL(strncmp(items[i].asvs, "V", 1), 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(items[i].source, "quickstart"));
    }
    CU_ASSERT_PTR_NULL(hx_checklist_find("hs512"));
    CU_ASSERT_PTR_NULL(hx_checklist_find(NULL));
    hx_checklist_ids(ids, sizeof ids);
    CU_ASSERT_EQUAL(strncmp(ids, "strong-secret, secrets-not-exposed, ", 36), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(ids, ", csp"));
}

/* A case for item "hs256" whose one step ends as `status` (PASS: passed). */
static void
add_case(struct hx_result *r, const char *id, enum hx_status status)
{
    struct hx_case *c = hx_result_add_case(r, id, id, "checklist", "f.json");
    struct hx_step_result *s;

    hx_case_add_checklist(c, "hs256");
    s = hx_case_add_step(c, "s", "probe:x");
    if (status == HX_STATUS_PASS)
        hx_step_pass(s);
    else
        hx_step_set(s, status, "t", "why");
    hx_case_finish(c);
}

static enum hx_status
item_status(const enum hx_status *cases, size_t n)
{
    struct hx_result *r = hx_result_new("t", "p", "id");
    struct hx_item_summary sum;
    char id[32];

    for (size_t i = 0; i < n; i++) {
        snprintf(id, sizeof id, "C-%zu", i);
        add_case(r, id, cases[i]);
    }
    hx_checklist_summarise(r, "hs256", &sum);
    CU_ASSERT_EQUAL(sum.counts.total, n);
    CU_ASSERT_EQUAL(sum.covered, n > 0);
    hx_result_free(r);
    return sum.status;
}

static void
test_checklist_item_passes_only_when_every_check_ran_and_passed(void)
{
    const enum hx_status all_pass[] = {HX_STATUS_PASS, HX_STATUS_PASS};
    const enum hx_status one_skip[] = {HX_STATUS_PASS, HX_STATUS_SKIP, HX_STATUS_PASS};
    const enum hx_status one_error[] = {HX_STATUS_PASS, HX_STATUS_ERROR, HX_STATUS_SKIP};
    const enum hx_status one_fail[] = {HX_STATUS_SKIP, HX_STATUS_ERROR, HX_STATUS_FAIL};

    CU_ASSERT_EQUAL(item_status(all_pass, 2), HX_STATUS_PASS);
    CU_ASSERT_EQUAL(item_status(one_skip, 3), HX_STATUS_SKIP);
    CU_ASSERT_EQUAL(item_status(one_error, 3), HX_STATUS_ERROR);
    CU_ASSERT_EQUAL(item_status(one_fail, 3), HX_STATUS_FAIL);
    CU_ASSERT_EQUAL(item_status(NULL, 0), HX_STATUS_SKIP); /* not covered */
}

static void
test_checklist_item_with_an_undecided_check_is_an_error(void)
{
    struct hx_result *r = hx_result_new("t", "p", "id");
    struct hx_case *c = hx_result_add_case(r, "SEC-X-001", "x", "checklist", "f.json");
    struct hx_item_summary sum;

    add_case(r, "SEC-X-000", HX_STATUS_PASS);
    hx_case_add_checklist(c, "hs256");
    hx_case_add_step(c, "a probe that returned without a verdict", "probe:x");
    hx_case_finish(c);
    hx_checklist_summarise(r, "hs256", &sum);
    CU_ASSERT_EQUAL(c->status, HX_STATUS_ERROR);
    CU_ASSERT_EQUAL(sum.status, HX_STATUS_ERROR);
    CU_ASSERT_EQUAL(sum.counts.passed, 1);
    CU_ASSERT_EQUAL(sum.counts.errors, 1);
    hx_result_free(r);
}

static void
test_checklist_warning_never_decides_an_item(void)
{
    struct hx_result *r = hx_result_new("t", "p", "id");
    struct hx_case *c = hx_result_add_case(r, "SEC-W-001", "w", "checklist", "f.json");
    struct hx_item_summary sum;

    add_case(r, "SEC-X-000", HX_STATUS_PASS);
    c->severity = HX_SEV_WARNING;
    hx_case_add_checklist(c, "hs256");
    hx_step_set(hx_case_add_step(c, "s", "probe:x"), HX_STATUS_FAIL, "t", "beyond the contract");
    hx_case_finish(c);
    hx_checklist_summarise(r, "hs256", &sum);
    CU_ASSERT_EQUAL(c->status, HX_STATUS_WARN);
    CU_ASSERT_EQUAL(sum.status, HX_STATUS_PASS);
    CU_ASSERT_EQUAL(sum.counts.total, 1);
    hx_result_free(r);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_checklist_table_has_the_twelve_items_in_order),
        TU_TEST(test_checklist_item_passes_only_when_every_check_ran_and_passed),
        TU_TEST(test_checklist_item_with_an_undecided_check_is_an_error),
        TU_TEST(test_checklist_warning_never_decides_an_item),
        {NULL, NULL},
    };
    return tu_run_suite("checklist", tests);
}
