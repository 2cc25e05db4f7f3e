/* Pacing of requests to rate-limited routes (hx/pacer.h). */
#include "hx/pacer.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
hx_pace_parse(const char *text, unsigned *slots, double *window, char *why, size_t why_size)
{
    char *end;
    long n;
    double w, unit = 1.0;

    if (text == NULL || *text == '\0') {
        snprintf(why, why_size, "expected N/WINDOW, e.g. 3/10s");
        return -1;
    }
    errno = 0;
    n = strtol(text, &end, 10);
    if (end == text || *end != '/' || errno != 0 || n < 1 || n > 10000) {
        snprintf(why, why_size, "\"%.40s\": expected N/WINDOW with N from 1 to 10000, e.g. 3/10s",
                 text);
        return -1;
    }
    text = end + 1;
    errno = 0;
    w = strtod(text, &end);
    if (end == text || errno != 0 || !isfinite(w)) {
        snprintf(why, why_size, "\"%.40s\": the window is not a number (10s, 1m, 1h)", text);
        return -1;
    }
    if (strcmp(end, "m") == 0)
        unit = 60.0;
    else if (strcmp(end, "h") == 0)
        unit = 3600.0;
    else if (strcmp(end, "s") != 0 && *end != '\0') {
        snprintf(why, why_size, "\"%.40s\": the window's unit is s, m or h", text);
        return -1;
    }
    w *= unit;
    if (w < 0.1 || w > 86400.0) {
        snprintf(why, why_size, "the window must be 0.1 s to 1 day, not %g s", w);
        return -1;
    }
    *slots = (unsigned)n;
    *window = w;
    return 0;
}

int
hx_pacer_init(struct hx_pacer *p, unsigned slots, double window)
{
    memset(p, 0, sizeof *p);
    p->slots = slots;
    p->window = window;
    return pthread_mutex_init(&p->lock, NULL) == 0 ? 0 : -1;
}

void
hx_pacer_cleanup(struct hx_pacer *p)
{
    pthread_mutex_destroy(&p->lock);
    memset(p, 0, sizeof *p);
}

/* The route of key, made when new; NULL when the table is full or out of
 * memory. Under the lock. */
static struct hx_pacer_route *
pacer_route(struct hx_pacer *p, const char *key)
{
    struct hx_pacer_route *r;

    for (size_t i = 0; i < p->n_routes; i++)
        if (strcmp(p->routes[i].key, key) == 0)
            return &p->routes[i];
    if (p->n_routes >= HX_PACER_ROUTES || strlen(key) >= sizeof r->key)
        return NULL;
    r = &p->routes[p->n_routes];
    memset(r, 0, sizeof *r);
    r->last = -1e300; /* no send yet */
    snprintf(r->key, sizeof r->key, "%s", key);
    p->n_routes++;
    return r;
}

double
hx_pacer_try(struct hx_pacer *p, const char *key, size_t n, double now)
{
    struct hx_pacer_route *r;
    double wait = 0;

    pthread_mutex_lock(&p->lock);
    r = pacer_route(p, key);
    if (r == NULL)
        goto out;
    if (now < r->closed_until) {
        wait = r->closed_until - now;
        goto out;
    }
    if (p->slots == 0 || n == 0)
        goto out; /* no pace, or a route the pace does not count */
    if (n > p->slots)
        n = p->slots;
    /* a run of sends ends when the window passes without one; within a
     * run, at most slots leave, and the next run starts a window after the
     * run's last send. That is how a limiter that counts since the last
     * request (Better Auth's) sees it, and it never exceeds a sliding or a
     * fixed window of the same size either */
    if (now - r->last > p->window)
        r->count = 0;
    if (r->count + n > p->slots) {
        wait = r->last + p->window - now + 0.05; /* just past the window's end */
        if (wait < 0.001)
            wait = 0.001;
        goto out;
    }
    r->count += n;
    r->last = now;
out:
    pthread_mutex_unlock(&p->lock);
    return wait;
}

void
hx_pacer_done(struct hx_pacer *p, const char *key, double now)
{
    struct hx_pacer_route *r;

    if (p->slots == 0)
        return;
    pthread_mutex_lock(&p->lock);
    r = pacer_route(p, key);
    if (r != NULL && r->count > 0 && now > r->last)
        r->last = now;
    pthread_mutex_unlock(&p->lock);
}

void
hx_pacer_limited(struct hx_pacer *p, const char *key, double now, double wait)
{
    struct hx_pacer_route *r;

    pthread_mutex_lock(&p->lock);
    r = pacer_route(p, key);
    if (r != NULL && now + wait > r->closed_until)
        r->closed_until = now + wait;
    pthread_mutex_unlock(&p->lock);
}

void
hx_pacer_count_wait(struct hx_pacer *p, double wait)
{
    pthread_mutex_lock(&p->lock);
    p->waited += wait;
    p->held++;
    pthread_mutex_unlock(&p->lock);
}
