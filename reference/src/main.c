/* authref: the reference server of the auth contract. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "rs/version.h"

static void
usage(FILE *out)
{
    fprintf(out, "usage: authref [--help] [--version]\n"
                 "\n"
                 "The reference implementation of the auth contract: signup, signin,\n"
                 "Bearer-JWT protected access and per-user task isolation, on PostgreSQL.\n");
}

int
main(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c;

    while ((c = getopt_long(argc, argv, "hV", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            rs_version_print(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    usage(stderr);
    return 2;
}
