#ifndef HX_PROBES_STATS_H
#define HX_PROBES_STATS_H
/*
 * Robust statistics for timing comparisons (no-info-leak): medians, median
 * absolute deviation, and a Mann-Whitney U test. A verdict is given only
 * when the evidence is clear; otherwise "undecided".
 */
#include <stddef.h>

double hx_stats_median(const double *x, size_t n); /* 0 for n == 0; x not modified */
double hx_stats_mad(const double *x, size_t n);    /* median absolute deviation */
/* Two-sided p-value of the Mann-Whitney U test (normal approximation with
 * tie correction); 1.0 when either sample is empty. */
double hx_stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);

enum hx_timing_verdict {
    HX_TIMING_UNDECIDED = 0, /* not enough samples or not clear either way */
    HX_TIMING_SAME,          /* no difference beyond the tolerance */
    HX_TIMING_DIFFERENT,     /* a clear, significant difference */
};

struct hx_timing_policy {
    size_t min_samples;   /* per side before any verdict (default 5) */
    double tolerance_s;   /* absolute difference of medians allowed (default 0.025) */
    double tolerance_rel; /* relative to the larger median (default 0.25) */
    double p_different;   /* p below this and beyond tolerance: different (default 0.01) */
    double p_same;        /* p above this and within tolerance: same (default 0.05) */
};

struct hx_timing_summary {
    double median_a, median_b, mad_a, mad_b, diff, p;
    double diff_lo, diff_hi; /* paired: the median difference's interval (NAN: none yet) */
    size_t na, nb;
    enum hx_timing_verdict verdict;
};

/* Two-sided p-value of the Wilcoxon signed-rank test of paired differences
 * d (zeros dropped, tied magnitudes get their average rank): exact (the
 * permutation distribution given the ranks) up to 200 non-zero differences,
 * the normal approximation beyond; 1.0 when every difference is zero. */
double hx_stats_signed_rank_p(const double *d, size_t n);

/* Fills defaults for zero fields of p. */
void hx_timing_policy_defaults(struct hx_timing_policy *p);
/* Compares samples a and b (seconds). */
void hx_timing_compare(const double *a, size_t na, const double *b, size_t nb,
                       const struct hx_timing_policy *p, struct hx_timing_summary *out);

/* Compares n pairs (a[i], b[i]) measured together, under the same load:
 * diff is the median of the differences a[i] - b[i], p the signed-rank
 * test's; medians and MADs are those of each side. Different: diff beyond
 * the tolerance and p below p_different. Same: the distribution-free
 * confidence interval (level 1 - 2 p_same: two one-sided tests) of the
 * median difference lies within the tolerance; so large differences of both signs (a target that
 * served the pair one after the other) stay undecided. min_samples counts
 * pairs. */
void hx_timing_compare_paired(const double *a, const double *b, size_t n,
                              const struct hx_timing_policy *p, struct hx_timing_summary *out);

#endif
