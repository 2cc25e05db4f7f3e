/* authconform: judges a deployment of the auth contract on the wire. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <curl/curl.h>

#include "cmn/version.h"
#include "hx/datadir.h"

static void
usage(FILE *out)
{
    fprintf(out, "usage: authconform [--help] [--version]\n"
                 "\n"
                 "Checks that a deployment of the auth contract does what the contract\n"
                 "and its security checklist promise, and writes JUnit XML for CI.\n");
}

static void
version(FILE *out)
{
    char dir[4096];
    fprintf(out, "authconform %s\n  %s\n", CMN_VERSION, curl_version());
    if (hx_datadir_find(dir, sizeof dir) == 0)
        fprintf(out, "  data: %s\n", dir);
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
            version(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    usage(stderr);
    return 2;
}
