#ifndef FZ_CHECK_H
#define FZ_CHECK_H
/* What every fuzz target shares: the libFuzzer entry point, and a check that
 * holds in any build type (assert() is compiled out with NDEBUG, which
 * RelWithDebInfo sets). A failed check aborts, which libFuzzer reports as a
 * crash with the input that caused it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(cond)                                                                             \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
