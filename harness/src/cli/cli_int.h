#ifndef HX_CLI_INT_H
#define HX_CLI_INT_H
/*
 * The commands of authconform, one file each (cli/run.c, cli/list.c,
 * cli/validate.c; diff is report/diff.c); cli/main.c dispatches. Only for
 * cli/. Each returns the process exit code (hx/result.h: HX_EXIT_*).
 */
#include <stdio.h>

#include "hx/config.h"
#include "hx/result.h"
#include "hx/scenario.h"

int hx__cli_run(int argc, char **argv);
int hx__cli_list(int argc, char **argv);
int hx__cli_validate(int argc, char **argv);
int hx__cli_profile(int argc, char **argv); /* `profile init`: cli/profile_init.c */

/* With --shard I/N (cfg->shard_count > 0): keeps in chosen[0..*n_chosen)
 * the scenarios of shard I, in their order, and writes the run note that
 * says so ("shard 2 of 3: 24 of 73 scenarios") into note. Without --shard,
 * changes nothing and writes "". Returns 0, or HX_EXIT_USAGE with the
 * reason on stderr (an unreadable --shard-durations file). */
int hx__cli_shard_select(const struct hx_config *cfg, struct hx_scenario **chosen,
                         size_t *n_chosen, char *note, size_t note_size);

/* `authconform --version` and `--help` (also after any command). */
void hx__cli_version(FILE *out);
void hx__cli_usage(FILE *out);

#endif
