/* sweep-bench TOKEN-FILE WORDLIST THREADS [rules]: runs the harness's own
 * secret sweep (hx_sweep_run, the code behind the strong-secret check) over
 * the list, words as they are (or with its mangling rules), and prints one
 * JSON line: candidates, seconds, candidates/s, threads, found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/probes/sweep.h"

int
main(int argc, char **argv)
{
    struct hx_sweep_target t;
    struct hx_wordlist wl;
    struct hx_sweep_result r;
    struct hx_sweep_opts o = {0};
    char token[8192];
    FILE *f;
    int rc = 1;

    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: sweep-bench TOKEN-FILE WORDLIST THREADS [rules]\n");
        return 2;
    }
    f = fopen(argv[1], "r");
    if (f == NULL || fgets(token, sizeof token, f) == NULL) {
        fprintf(stderr, "sweep-bench: cannot read %s\n", argv[1]);
        if (f != NULL)
            fclose(f);
        return 2;
    }
    fclose(f);
    token[strcspn(token, "\r\n")] = '\0';
    o.threads = (unsigned)atoi(argv[3]);
    o.rules = argc == 5 && strcmp(argv[4], "rules") == 0;
    if (hx_sweep_prepare(token, &t) != 0) {
        fprintf(stderr, "sweep-bench: %s: not an HS256 token\n", argv[1]);
        return 2;
    }
    if (hx_wordlist_load(argv[2], &wl) != 0) {
        fprintf(stderr, "sweep-bench: cannot load %s\n", argv[2]);
        hx_sweep_target_cleanup(&t);
        return 2;
    }
    memset(&r, 0, sizeof r);
    if (hx_sweep_run(&t, &wl, &o, &r) == 0) {
        printf("{\"words\":%zu,\"rules\":%s,\"candidates\":%llu,\"seconds\":%.6f,"
               "\"candidates_per_s\":%.1f,\"threads\":%u,\"found\":%s}\n",
               wl.n, o.rules ? "true" : "false", (unsigned long long)r.candidates, r.seconds,
               r.per_second, r.threads, r.found ? "true" : "false");
        rc = 0;
    } else {
        fprintf(stderr, "sweep-bench: the sweep failed\n");
    }
    hx_wordlist_cleanup(&wl);
    hx_sweep_target_cleanup(&t);
    return rc;
}
