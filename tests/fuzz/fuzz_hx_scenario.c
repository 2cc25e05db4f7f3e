/* Fuzz target: the scenario loader (harness/src/scenario/scenario.c and what
 * it checks with: expect_validate.c, the probes' argument tables, vars.c's
 * ${...} references, jsonpath.c) on a scenario file, through
 * hx_scenario_load_buffer(). A scenario that loads is matched against id
 * filters as `authconform run --filter` does. */
#include <stdlib.h>
#include <string.h>

#include "fz_check.h"
#include "hx/scenario.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *const patterns[] = {"QS-", "*-00[1-3]", "sec-*"};
    struct hx_scenario *s = NULL;
    struct hx_errlist errs;
    int rc;

    if (size > 65536)
        return 0;
    hx_errlist_init(&errs);
    rc = hx_scenario_load_buffer((const char *)data, size, "fuzz.json", "fuzz", &s, &errs);
    FZ_CHECK(rc == 0 || rc == HX_E_PARSE || rc == HX_E_NOMEM);
    if (rc == 0) {
        FZ_CHECK(errs.n == 0);
        FZ_CHECK(s->id != NULL && s->title != NULL && s->n_steps > 0);
        for (size_t i = 0; i < s->n_steps; i++)
            FZ_CHECK((s->steps[i].request != NULL) != (s->steps[i].probe != NULL));
        (void)hx_scenario_matches(s, patterns, 3);
        (void)hx_scenario_matches(s, NULL, 0);
        hx_scenario_free(s);
    } else {
        FZ_CHECK(errs.n > 0 || rc == HX_E_NOMEM);
    }
    hx_errlist_cleanup(&errs);
    return 0;
}
