#include "hx/rng.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>

static uint64_t
rng_splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void
hx_rng_init(struct hx_rng *g, bool has_seed, uint64_t seed)
{
    uint64_t x = seed;

    if (!has_seed) {
        if (getrandom(&x, sizeof x, 0) != (ssize_t)sizeof x) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            x = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec;
        }
    }
    for (int i = 0; i < 4; i++)
        g->s[i] = rng_splitmix(&x);
    pthread_mutex_init(&g->lock, NULL);
}

void
hx_rng_cleanup(struct hx_rng *g)
{
    pthread_mutex_destroy(&g->lock);
}

static uint64_t
rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(struct hx_rng *g)
{
    uint64_t *s = g->s;
    uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return result;
}

uint64_t
hx_rng_u64(struct hx_rng *g)
{
    uint64_t v;
    pthread_mutex_lock(&g->lock);
    v = rng_next(g);
    pthread_mutex_unlock(&g->lock);
    return v;
}

void
hx_rng_bytes(struct hx_rng *g, void *buf, size_t n)
{
    unsigned char *p = buf;

    pthread_mutex_lock(&g->lock);
    while (n > 0) {
        uint64_t v = rng_next(g);
        size_t k = n < sizeof v ? n : sizeof v;
        memcpy(p, &v, k);
        p += k;
        n -= k;
    }
    pthread_mutex_unlock(&g->lock);
}

void
hx_rng_string(struct hx_rng *g, const char *alphabet, char *out, size_t n)
{
    size_t a = strlen(alphabet);

    pthread_mutex_lock(&g->lock);
    for (size_t i = 0; i < n; i++) {
        /* Rejection sampling keeps every character equally likely. */
        uint64_t limit = UINT64_MAX - UINT64_MAX % a, v;
        do
            v = rng_next(g);
        while (v >= limit);
        out[i] = alphabet[v % a];
    }
    out[n] = '\0';
    pthread_mutex_unlock(&g->lock);
}
