/* Robust timing statistics (see hx/probes/stats.h). */
#include "hx/probes/stats.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int
stats_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double
stats_median_sorted(const double *s, size_t n)
{
    if (n == 0)
        return 0;
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

double
hx_stats_median(const double *x, size_t n)
{
    double *s, m;
    if (n == 0)
        return 0;
    s = malloc(n * sizeof(*s));
    if (s == NULL)
        return 0;
    memcpy(s, x, n * sizeof(*s));
    qsort(s, n, sizeof(*s), stats_cmp);
    m = stats_median_sorted(s, n);
    free(s);
    return m;
}

double
hx_stats_mad(const double *x, size_t n)
{
    double med = hx_stats_median(x, n), m;
    double *d;
    if (n == 0)
        return 0;
    d = malloc(n * sizeof(*d));
    if (d == NULL)
        return 0;
    for (size_t i = 0; i < n; i++)
        d[i] = fabs(x[i] - med);
    m = hx_stats_median(d, n);
    free(d);
    return m;
}

struct ranked {
    double v;
    int side;
};

static int
ranked_cmp(const void *a, const void *b)
{
    return stats_cmp(&((const struct ranked *)a)->v, &((const struct ranked *)b)->v);
}

double
hx_stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
    size_t n = na + nb;
    struct ranked *r;
    double rank_a = 0, ties = 0, u, mu, sigma2, z;

    if (na == 0 || nb == 0)
        return 1.0;
    r = malloc(n * sizeof(*r));
    if (r == NULL)
        return 1.0;
    for (size_t i = 0; i < na; i++)
        r[i] = (struct ranked){a[i], 0};
    for (size_t i = 0; i < nb; i++)
        r[na + i] = (struct ranked){b[i], 1};
    qsort(r, n, sizeof(*r), ranked_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && r[j + 1].v == r[i].v)
            j++;
        double avg = ((double)i + (double)j) / 2.0 + 1.0;
        double t = (double)(j - i + 1);
        ties += t * t * t - t;
        for (size_t k = i; k <= j; k++)
            if (r[k].side == 0)
                rank_a += avg;
        i = j + 1;
    }
    free(r);
    u = rank_a - (double)na * ((double)na + 1) / 2.0;
    mu = (double)na * (double)nb / 2.0;
    sigma2 =
        (double)na * (double)nb / 12.0 * (((double)n + 1) - ties / ((double)n * ((double)n - 1)));
    if (sigma2 <= 0)
        return 1.0;
    z = (fabs(u - mu) - 0.5) / sqrt(sigma2);
    if (z < 0)
        z = 0;
    return erfc(z / sqrt(2.0));
}

#define SIGNED_RANK_EXACT_MAX 200

double
hx_stats_signed_rank_p(const double *d, size_t n)
{
    struct ranked *r;
    size_t m = 0;
    long long w2 = 0, total2 = 0; /* sums of doubled ranks: average ranks are halves */
    long long *rank2;
    double p;

    r = malloc((n > 0 ? n : 1) * sizeof(*r));
    rank2 = malloc((n > 0 ? n : 1) * sizeof(*rank2));
    if (r == NULL || rank2 == NULL) {
        free(r);
        free(rank2);
        return 1.0;
    }
    for (size_t i = 0; i < n; i++)
        if (d[i] != 0)
            r[m++] = (struct ranked){fabs(d[i]), d[i] > 0};
    if (m == 0) {
        free(r);
        free(rank2);
        return 1.0;
    }
    qsort(r, m, sizeof(*r), ranked_cmp);
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j + 1 < m && r[j + 1].v == r[i].v)
            j++;
        for (size_t k = i; k <= j; k++) {
            rank2[k] = (long long)(i + j + 2); /* 2 x the average of ranks i+1..j+1 */
            total2 += rank2[k];
            if (r[k].side)
                w2 += rank2[k];
        }
        i = j + 1;
    }
    if (m <= SIGNED_RANK_EXACT_MAX) {
        /* the distribution of the positive sum when every sign is a coin */
        double *dist = calloc((size_t)total2 + 1, sizeof(*dist));
        double dev = fabs((double)w2 - (double)total2 / 2.0), tail = 0;
        long long top = 0;
        if (dist == NULL) {
            free(r);
            free(rank2);
            return 1.0;
        }
        dist[0] = 1.0;
        for (size_t k = 0; k < m; k++) {
            for (long long t = top; t >= 0; t--)
                if (dist[t] != 0) {
                    dist[t + rank2[k]] += dist[t] / 2.0;
                    dist[t] /= 2.0;
                }
            top += rank2[k];
        }
        for (long long t = 0; t <= total2; t++)
            if (fabs((double)t - (double)total2 / 2.0) >= dev - 1e-9)
                tail += dist[t];
        free(dist);
        p = tail > 1.0 ? 1.0 : tail;
    } else {
        /* the positive sum of ranks R: mean sum(R)/2, variance sum(R^2)/4 */
        double var = 0, z;
        for (size_t k = 0; k < m; k++)
            var += (double)rank2[k] * (double)rank2[k] / 16.0;
        z = (fabs((double)w2 - (double)total2 / 2.0) / 2.0 - 0.5) / sqrt(var);
        if (z < 0)
            z = 0;
        p = erfc(z / sqrt(2.0));
    }
    free(r);
    free(rank2);
    return p;
}

void
hx_timing_policy_defaults(struct hx_timing_policy *p)
{
    if (p->min_samples == 0)
        p->min_samples = 5;
    if (p->tolerance_s <= 0)
        p->tolerance_s = 0.025;
    if (p->tolerance_rel <= 0)
        p->tolerance_rel = 0.25;
    if (p->p_different <= 0)
        p->p_different = 0.01;
    if (p->p_same <= 0)
        p->p_same = 0.05;
}

void
hx_timing_compare(const double *a, size_t na, const double *b, size_t nb,
                  const struct hx_timing_policy *pol, struct hx_timing_summary *out)
{
    struct hx_timing_policy p = *pol;
    double tol, big;

    hx_timing_policy_defaults(&p);
    memset(out, 0, sizeof(*out));
    out->na = na;
    out->nb = nb;
    out->median_a = hx_stats_median(a, na);
    out->median_b = hx_stats_median(b, nb);
    out->mad_a = hx_stats_mad(a, na);
    out->mad_b = hx_stats_mad(b, nb);
    out->diff = out->median_a - out->median_b;
    out->p = hx_stats_mann_whitney_p(a, na, b, nb);
    out->verdict = HX_TIMING_UNDECIDED;
    if (na < p.min_samples || nb < p.min_samples)
        return;
    big = out->median_a > out->median_b ? out->median_a : out->median_b;
    tol = p.tolerance_s > p.tolerance_rel * big ? p.tolerance_s : p.tolerance_rel * big;
    if (fabs(out->diff) > tol && out->p < p.p_different)
        out->verdict = HX_TIMING_DIFFERENT;
    else if (fabs(out->diff) <= tol && out->p > p.p_same)
        out->verdict = HX_TIMING_SAME;
    else if (fabs(out->diff) <= tol / 2)
        /* significant but tiny (a steady sub-tolerance offset): not a leak */
        out->verdict = HX_TIMING_SAME;
}

/* The distribution-free confidence interval of a median from the sorted
 * sample s: [s[k-1], s[n-k]] with the largest k whose two tails of
 * Binomial(n, 1/2) below k add up to at most alpha; false when even the
 * whole range does not reach that confidence. */
static bool
stats_median_interval(const double *s, size_t n, double alpha, double *lo, double *hi)
{
    double tail = 0, term = 1;
    size_t k = 0;

    /* term = C(n, j) / 2^n, built up without overflow */
    for (size_t i = 0; i < n; i++)
        term /= 2;
    for (size_t j = 0; j < n / 2; j++) {
        tail += term;
        if (2 * tail > alpha)
            break;
        k = j + 1;
        term = term * (double)(n - j) / (double)(j + 1);
    }
    if (k == 0)
        return false;
    *lo = s[k - 1];
    *hi = s[n - k];
    return true;
}

void
hx_timing_compare_paired(const double *a, const double *b, size_t n,
                         const struct hx_timing_policy *pol, struct hx_timing_summary *out)
{
    struct hx_timing_policy p = *pol;
    double *d, tol, big, lo = 0, hi = 0;
    bool interval;

    hx_timing_policy_defaults(&p);
    memset(out, 0, sizeof(*out));
    out->na = out->nb = n;
    out->median_a = hx_stats_median(a, n);
    out->median_b = hx_stats_median(b, n);
    out->mad_a = hx_stats_mad(a, n);
    out->mad_b = hx_stats_mad(b, n);
    out->p = 1.0;
    out->verdict = HX_TIMING_UNDECIDED;
    if (n == 0)
        return;
    d = malloc(n * sizeof(*d));
    if (d == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        d[i] = a[i] - b[i];
    out->p = hx_stats_signed_rank_p(d, n);
    qsort(d, n, sizeof(*d), stats_cmp);
    out->diff = stats_median_sorted(d, n);
    /* two one-sided tests at p_same each: the interval of level 1 - 2 p_same */
    interval = stats_median_interval(d, n, 2 * p.p_same, &lo, &hi);
    free(d);
    out->diff_lo = interval ? lo : NAN;
    out->diff_hi = interval ? hi : NAN;
    if (n < p.min_samples)
        return;
    big = out->median_a > out->median_b ? out->median_a : out->median_b;
    tol = p.tolerance_s > p.tolerance_rel * big ? p.tolerance_s : p.tolerance_rel * big;
    if (fabs(out->diff) > tol && out->p < p.p_different)
        out->verdict = HX_TIMING_DIFFERENT;
    else if (interval && lo >= -tol && hi <= tol)
        /* equivalence: the median difference is within the tolerance (two
         * one-sided tests at p_same); pairs served one after the other
         * (large differences of both signs) never get here */
        out->verdict = HX_TIMING_SAME;
}
