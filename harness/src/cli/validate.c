/* authconform validate: scenario and profile files checked without running
 * anything; every problem with its file and field. */
#include "cli_int.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cmn/clock.h"
#include "cmn/env.h"
#include "cmn/log.h"
#include "cmn/version.h"
#include "hx/config.h"
#include "hx/datadir.h"
#include "hx/errlist.h"
#include "hx/probe.h"
#include "hx/profile.h"
#include "hx/report.h"
#include "hx/report_console.h"
#include "hx/runner.h"
#include "hx/scenario.h"
#include "hx/spawn.h"

/* A file is a profile when it lives under a profiles folder or says so by
 * its shape (a "paths" member and no "steps"). */
static bool
validate_looks_like_profile(const char *path)
{
    json_t *j;
    bool yes;

    if (strstr(path, "/profiles/") != NULL || strncmp(path, "profiles/", 9) == 0)
        return true;
    j = json_load_file(path, 0, NULL);
    yes = json_is_object(j) && json_object_get(j, "paths") != NULL &&
          json_object_get(j, "steps") == NULL;
    json_decref(j);
    return yes;
}

int
hx__cli_validate(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct hx_scenario_set set = {0};
    struct hx_errlist errs;
    char datadir[PATH_MAX - 64], def[PATH_MAX];
    size_t profiles = 0;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: authconform validate PATH...\n"
                   "Checks scenario files, folders of them, and profiles, without running\n"
                   "anything; reports every problem with its file and field. Exit 0 when all\n"
                   "are valid, 2 otherwise.\n");
            return 0;
        }
        if (c == 'V') {
            hx__cli_version(stdout);
            return 0;
        }
        return HX_EXIT_USAGE;
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: authconform validate PATH...\n");
        return HX_EXIT_USAGE;
    }
    hx_errlist_init(&errs);
    if (hx_datadir_find(datadir, sizeof datadir) != 0)
        datadir[0] = '\0';
    snprintf(def, sizeof def, "%s/fixtures/profiles/quickstart.json", datadir);
    for (int i = optind; i < argc; i++) {
        struct stat st;
        size_t l = strlen(argv[i]);
        if (stat(argv[i], &st) == 0 && S_ISREG(st.st_mode) && l > 5 &&
            strcmp(argv[i] + l - 5, ".json") == 0 && validate_looks_like_profile(argv[i])) {
            struct hx_profile *p = NULL;
            if (hx_profile_load(argv[i], access(def, R_OK) == 0 ? def : NULL, &p, &errs) == 0)
                profiles++;
            hx_profile_free(p);
            continue;
        }
        hx_scenario_set_load(&set, argv[i], &errs);
    }
    hx_scenario_set_finish(&set, &errs);
    if (errs.n > 0 || errs.dropped > 0) {
        hx_errlist_print(&errs, stderr);
        fprintf(stderr, "validate: %zu problems\n", errs.n + errs.dropped);
        hx_errlist_cleanup(&errs);
        hx_scenario_set_cleanup(&set);
        return HX_EXIT_USAGE;
    }
    printf("validate: ok (%zu scenarios, %zu profiles)\n", set.n, profiles);
    hx_errlist_cleanup(&errs);
    hx_scenario_set_cleanup(&set);
    return 0;
}
