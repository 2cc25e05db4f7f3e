#include <unistd.h>

#include "cmn/clock.h"
#include "unit.h"

static void
test_clock_never_goes_back_and_counts_a_sleep(void)
{
    double a = cmn_clock_now_s(), b;

    CU_ASSERT(cmn_clock_now_s() >= a);
    usleep(20 * 1000);
    b = cmn_clock_now_s();
    CU_ASSERT(b - a >= 0.019);
    CU_ASSERT(b - a < 60.0);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_clock_never_goes_back_and_counts_a_sleep),
        {NULL, NULL},
    };
    return tu_run_suite("clock", tests);
}
