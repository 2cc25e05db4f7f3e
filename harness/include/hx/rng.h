#ifndef HX_RNG_H
#define HX_RNG_H
/*
 * The run's random generator: xoshiro256** seeded from the system's random
 * source, or from --seed so that a run can be reproduced (identities,
 * passwords, the run id and every probe's random bytes).
 *
 * Shared by the runner and probe threads: every call takes the generator's
 * lock. Not a source of key material: the values it makes are test data.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hx_rng {
    uint64_t s[4];
    pthread_mutex_t lock;
};

/* Lives in the caller's storage. With has_seed false, seeds from getrandom(). */
void hx_rng_init(struct hx_rng *g, bool has_seed, uint64_t seed);
void hx_rng_cleanup(struct hx_rng *g);

uint64_t hx_rng_u64(struct hx_rng *g);
void hx_rng_bytes(struct hx_rng *g, void *buf, size_t n);
/* Fills out with n characters from alphabet and a NUL (out has n + 1 bytes). */
void hx_rng_string(struct hx_rng *g, const char *alphabet, char *out, size_t n);

#endif
