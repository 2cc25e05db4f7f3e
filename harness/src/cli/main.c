/* authconform: judges a deployment of the auth contract on the wire.
 * This file dispatches to the command (cli/<command>.c); nothing else. */
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

void
hx__cli_version(FILE *out)
{
    char dir[4096];
    fprintf(out, "authconform %s\n  %s\n", CMN_VERSION, curl_version());
    if (hx_datadir_find(dir, sizeof dir) == 0)
        fprintf(out, "  data: %s\n", dir);
}

void
hx__cli_usage(FILE *out)
{
    fprintf(out, "usage: authconform run [options]        replay the scenarios against a target\n"
                 "       authconform list [--scenarios PATH]...   every scenario and check\n"
                 "       authconform validate PATH...     check scenario and profile files\n"
                 "       authconform profile init --target URL   draft a profile for a target\n");
    for (const struct hx_report_command *const *c = hx_report_commands(); *c; c++)
        fprintf(out, "       authconform %s\n", (*c)->usage);
    fprintf(out, "       authconform --help | --version   (also after any subcommand)\n"
                 "\n"
                 "Checks that a deployment of the auth contract does what the contract\n"
                 "and its security checklist promise, and writes JUnit XML for CI.\n"
                 "`authconform run --help` lists the options of a run.\n");
}

int
main(int argc, char **argv)
{
    enum cmn_log_level level;
    int rc;

    /* Allowed global state (CONVENTIONS 5): library init and the log level. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "authconform: cannot initialise libcurl\n");
        return HX_EXIT_USAGE;
    }
    if (cmn_env_get("AUTHCONFORM_LOG_LEVEL") &&
        cmn_log_level_parse(cmn_env_get("AUTHCONFORM_LOG_LEVEL"), &level) == 0)
        cmn_log_set_level(level);

    if (argc < 2) {
        hx__cli_usage(stderr);
        rc = HX_EXIT_USAGE;
    } else if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
               strcmp(argv[1], "help") == 0) {
        hx__cli_usage(stdout);
        rc = 0;
    } else if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        hx__cli_version(stdout);
        rc = 0;
    } else if (strcmp(argv[1], "run") == 0) {
        rc = hx__cli_run(argc - 1, argv + 1);
    } else if (strcmp(argv[1], "list") == 0) {
        rc = hx__cli_list(argc - 1, argv + 1);
    } else if (strcmp(argv[1], "validate") == 0) {
        rc = hx__cli_validate(argc - 1, argv + 1);
    } else if (strcmp(argv[1], "profile") == 0) {
        rc = hx__cli_profile(argc - 1, argv + 1);
    } else {
        const struct hx_report_command *const *c = hx_report_commands();
        for (; *c != NULL; c++)
            if (strcmp((*c)->name, argv[1]) == 0)
                break;
        if (*c != NULL) {
            rc = (*c)->main(argc - 1, argv + 1);
        } else {
            fprintf(stderr, "authconform: unknown command '%s'%s\n", argv[1],
                    strcmp(argv[1], "diff") == 0 ? " (not part of this build)" : "");
            hx__cli_usage(stderr);
            rc = HX_EXIT_USAGE;
        }
    }
    curl_global_cleanup();
    return rc;
}
