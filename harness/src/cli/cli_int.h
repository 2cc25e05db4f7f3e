#ifndef HX_CLI_INT_H
#define HX_CLI_INT_H
/*
 * The commands of authconform, one file each (cli/run.c, cli/list.c,
 * cli/validate.c; diff is report/diff.c); cli/main.c dispatches. Only for
 * cli/. Each returns the process exit code (hx/result.h: HX_EXIT_*).
 */
#include <stdio.h>

#include "hx/result.h"

int hx__cli_run(int argc, char **argv);
int hx__cli_list(int argc, char **argv);
int hx__cli_validate(int argc, char **argv);
int hx__cli_profile(int argc, char **argv); /* `profile init`: cli/profile_init.c */

/* `authconform --version` and `--help` (also after any command). */
void hx__cli_version(FILE *out);
void hx__cli_usage(FILE *out);

#endif
