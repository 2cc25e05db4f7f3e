#include "unit.h"

#include <CUnit/Basic.h>
#include <stdio.h>

int
tu_run_suite(const char *suite_name, const struct tu_test *tests)
{
    CU_pSuite suite;
    unsigned failures;

    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "unit: cannot initialise CUnit: %s\n", CU_get_error_msg());
        return 2;
    }
    suite = CU_add_suite(suite_name, NULL, NULL);
    if (suite == NULL)
        goto fail;
    for (const struct tu_test *t = tests; t->name != NULL; t++)
        if (CU_add_test(suite, t->name, t->fn) == NULL)
            goto fail;
    CU_basic_set_mode(CU_BRM_VERBOSE);
    if (CU_basic_run_tests() != CUE_SUCCESS)
        goto fail;
    /* Read before CU_cleanup_registry(), which resets the counts. */
    failures = CU_get_number_of_failures();
    if (CU_get_number_of_tests_run() == 0)
        failures = 1;
    CU_cleanup_registry();
    return failures == 0 ? 0 : 1;
fail:
    fprintf(stderr, "unit: CUnit error: %s\n", CU_get_error_msg());
    CU_cleanup_registry();
    return 2;
}
