#include "hx/probes/stats.h"
#include "unit.h"

static void
test_stats_median_and_mad_resist_outliers(void)
{
    double x[] = {0.2, 0.21, 0.19, 0.2, 5.0};
    CU_ASSERT_DOUBLE_EQUAL(hx_stats_median(x, 5), 0.2, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(hx_stats_mad(x, 5), 0.01, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(hx_stats_median(x, 4), 0.2, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(hx_stats_median(x, 0), 0, 0);
}

static void
test_timing_compare_finds_clear_difference(void)
{
    double slow[] = {0.201, 0.198, 0.205, 0.199, 0.210, 0.202, 0.197, 0.203};
    double fast[] = {0.002, 0.003, 0.002, 0.004, 0.002, 0.003, 0.002, 0.003};
    struct hx_timing_policy p = {0};
    struct hx_timing_summary s;

    hx_timing_compare(slow, 8, fast, 8, &p, &s);
    CU_ASSERT_EQUAL(s.verdict, HX_TIMING_DIFFERENT);
    CU_ASSERT(s.p < 0.01);
    CU_ASSERT(s.diff > 0.19);
}

static void
test_timing_compare_calls_overlapping_samples_the_same(void)
{
    double a[] = {0.201, 0.198, 0.205, 0.199, 0.210, 0.202, 0.197, 0.203};
    double b[] = {0.200, 0.204, 0.199, 0.206, 0.198, 0.201, 0.209, 0.196};
    struct hx_timing_policy p = {0};
    struct hx_timing_summary s;

    hx_timing_compare(a, 8, b, 8, &p, &s);
    CU_ASSERT_EQUAL(s.verdict, HX_TIMING_SAME);
    CU_ASSERT(s.p > 0.05);
}

static void
test_timing_compare_stays_undecided_on_few_or_noisy_samples(void)
{
    double a[] = {0.2, 0.01, 0.2};
    double b[] = {0.01, 0.2, 0.01};
    double noisy_a[] = {0.10, 0.40, 0.12, 0.38, 0.11, 0.41};
    double noisy_b[] = {0.02, 0.25, 0.03, 0.26, 0.02, 0.24};
    struct hx_timing_policy p = {0};
    struct hx_timing_summary s;

    hx_timing_compare(a, 3, b, 3, &p, &s);
    CU_ASSERT_EQUAL(s.verdict, HX_TIMING_UNDECIDED);
    hx_timing_compare(noisy_a, 6, noisy_b, 6, &p, &s);
    CU_ASSERT_EQUAL(s.verdict, HX_TIMING_UNDECIDED);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_stats_median_and_mad_resist_outliers),
        TU_TEST(test_timing_compare_finds_clear_difference),
        TU_TEST(test_timing_compare_calls_overlapping_samples_the_same),
        TU_TEST(test_timing_compare_stays_undecided_on_few_or_noisy_samples),
        {NULL, NULL},
    };
    return tu_run_suite("probe_stats", tests);
}
