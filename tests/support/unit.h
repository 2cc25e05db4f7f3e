#ifndef TU_UNIT_H
#define TU_UNIT_H
/* A main() for CUnit test programs: one suite per program, the exit code is
 * the number of failed assertions (CUnit's runner itself always returns 0). */
#include <CUnit/CUnit.h>

struct tu_test {
    const char *name;
    void (*fn)(void);
};

/* Runs tests[] (terminated by a {NULL, NULL} entry) as the suite `suite`;
 * returns the process exit status: 0 when every test passed. */
int tu_run_suite(const char *suite, const struct tu_test *tests);

#define TU_TEST(fn) {#fn, fn}

#endif
