/* Robust timing statistics (see hx/probes/stats.h). */
#include "hx/probes/stats.h"

#include <math.h>
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
