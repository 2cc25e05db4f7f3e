#include <math.h>

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

static void
test_signed_rank_p_is_exact_for_small_samples(void)
{
    double up8[] = {0.3, 0.1, 0.5, 0.2, 0.8, 0.4, 0.7, 0.6};
    double up6[] = {0.3, 0.1, 0.5, 0.2, 0.8, 0.4};
    double zeros[] = {0, 0, 0, 0};
    double mixed[] = {0.1, -0.1, 0.2, -0.2, 0.3, -0.3};
    double ties[] = {0.1, 0.1, 0.1, -0.1};
    double many[250];

    /* every sign the same: 2 of 2^n sign patterns are as extreme */
    CU_ASSERT_DOUBLE_EQUAL(hx_stats_signed_rank_p(up8, 8), 2.0 / 256, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(hx_stats_signed_rank_p(up6, 6), 2.0 / 64, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(hx_stats_signed_rank_p(zeros, 4), 1.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(hx_stats_signed_rank_p(mixed, 6), 1.0, 1e-12);
    /* four tied magnitudes (rank 2.5 each), one negative: the positive sum
     * is 7.5, 2.5 from its mean; 10 of the 16 sign patterns are as far */
    CU_ASSERT_DOUBLE_EQUAL(hx_stats_signed_rank_p(ties, 4), 10.0 / 16, 1e-12);
    /* beyond the exact range: the normal approximation */
    for (size_t i = 0; i < 250; i++)
        many[i] = (double)(i + 1) * (i % 4 == 0 ? -1 : 1);
    CU_ASSERT(hx_stats_signed_rank_p(many, 250) < 1e-6);
    for (size_t i = 0; i < 250; i++)
        many[i] = (double)(i + 1) * (i % 2 == 0 ? -1 : 1);
    CU_ASSERT(hx_stats_signed_rank_p(many, 250) > 0.5);
}

static void
test_paired_timing_finds_a_leak_only_with_enough_agreeing_pairs(void)
{
    double known[] = {0.61, 0.58, 0.64, 0.60, 0.66, 0.59, 0.62, 0.63};
    double unknown[] = {0.002, 0.003, 0.002, 0.004, 0.002, 0.003, 0.002, 0.003};
    struct hx_timing_policy p = {.min_samples = 6};
    struct hx_timing_summary s;

    /* six pairs that all agree cannot reach p < 0.01: no verdict yet */
    hx_timing_compare_paired(unknown, known, 6, &p, &s);
    CU_ASSERT_EQUAL(s.verdict, HX_TIMING_UNDECIDED);
    hx_timing_compare_paired(unknown, known, 8, &p, &s);
    CU_ASSERT_EQUAL(s.verdict, HX_TIMING_DIFFERENT);
    CU_ASSERT(s.p < 0.01);
    CU_ASSERT(s.diff < -0.5);
    CU_ASSERT_DOUBLE_EQUAL(s.median_b, 0.615, 1e-9);
}

static void
test_paired_timing_cancels_a_load_that_moves_both_sides(void)
{
    /* the target's load climbs during the sampling; both members of a pair
     * meet the same load and differ by a few milliseconds either way */
    double a[] = {0.30, 0.42, 0.55, 0.71, 0.90, 1.12, 1.30, 1.51};
    double b[] = {0.31, 0.41, 0.56, 0.70, 0.91, 1.10, 1.31, 1.50};
    double noisy_a[] = {0.30, 0.90, 0.31, 0.88, 0.29, 0.91};
    double noisy_b[] = {0.90, 0.30, 0.89, 0.31, 0.91, 0.30};
    struct hx_timing_policy p = {.min_samples = 6};
    struct hx_timing_summary s;

    double outlier[] = {0.30, 0.42, 1.05, 0.71, 0.90, 1.12, 1.30, 1.51};

    hx_timing_compare_paired(a, b, 8, &p, &s);
    CU_ASSERT_EQUAL(s.verdict, HX_TIMING_SAME);
    CU_ASSERT(fabs(s.diff) < 0.01);
    /* one pair hit by a hiccup: at 8 pairs the 90 % interval leaves out
     * the extremes of either side */
    hx_timing_compare_paired(outlier, b, 8, &p, &s);
    CU_ASSERT_EQUAL(s.verdict, HX_TIMING_SAME);
    CU_ASSERT(s.diff_hi < 0.05);
    /* pairs the target served one after the other, either way round: the
     * differences are large and of both signs, so no verdict */
    hx_timing_compare_paired(noisy_a, noisy_b, 6, &p, &s);
    CU_ASSERT_EQUAL(s.verdict, HX_TIMING_UNDECIDED);
    hx_timing_compare_paired(a, b, 0, &p, &s);
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
        TU_TEST(test_signed_rank_p_is_exact_for_small_samples),
        TU_TEST(test_paired_timing_finds_a_leak_only_with_enough_agreeing_pairs),
        TU_TEST(test_paired_timing_cancels_a_load_that_moves_both_sides),
        {NULL, NULL},
    };
    return tu_run_suite("probe_stats", tests);
}
