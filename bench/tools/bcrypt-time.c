/* bcrypt-time COST [N]: prints the mean seconds of one bcrypt hash at COST
 * (libxcrypt, "$2b$"), over N hashes (default 3) on one thread. */
#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
main(int argc, char **argv)
{
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    struct crypt_data *data;
    struct timespec t0, t1;
    int cost, n;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bcrypt-time COST [N]\n");
        return 2;
    }
    cost = atoi(argv[1]);
    n = argc == 3 ? atoi(argv[2]) : 3;
    if (cost < 4 || cost > 31 || n < 1) {
        fprintf(stderr, "bcrypt-time: COST 4..31, N >= 1\n");
        return 2;
    }
    data = calloc(1, sizeof *data);
    if (data == NULL)
        return 1;
    if (crypt_gensalt_rn("$2b$", (unsigned long)cost, NULL, 0, setting, sizeof setting) == NULL) {
        fprintf(stderr, "bcrypt-time: crypt_gensalt_rn failed\n");
        free(data);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < n; i++) {
        const char *h = crypt_rn("correct horse battery staple", setting, data, sizeof *data);
        if (h == NULL || strncmp(h, "$2b$", 4) != 0) {
            fprintf(stderr, "bcrypt-time: crypt_rn failed\n");
            free(data);
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%.6f\n", ((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9) / n);
    free(data);
    return 0;
}
