#ifndef HX_REPORT_DIFF_H
#define HX_REPORT_DIFF_H
/*
 * `authconform diff OLD.json NEW.json`: what changed between two runs, read
 * from their report.json files, for people and for CI gates.
 *
 * Cases are matched by id (the n-th case with an id in OLD with the n-th
 * with the same id in NEW). A regression is a case that fails or errors in
 * NEW and did not in OLD (it passed, was skipped, or did not exist). With
 * HX_DIFF_STRICT, a case that ran in OLD and is skipped or missing in NEW is
 * one too: a gate that must not let a check quietly stop running.
 */
#include <stdio.h>

#include "hx/error.h"

enum {
    HX_DIFF_STRICT = 1,
};

/* Compares the reports at old_path and new_path and prints the changes to
 * out. Returns the number of regressions (>= 0), or a negative HX_E_* code
 * (HX_E_IO, HX_E_PARSE, HX_E_NOMEM) with the file, the field and the reason
 * in err (may be NULL). */
int hx_diff_run(const char *old_path, const char *new_path, unsigned flags, FILE *out,
                struct hx_error *err);

/* The subcommand: argv[0] is "diff". Parses its flags with getopt_long
 * (--help, --version, --strict), prints to stdout, errors to stderr.
 * Returns the exit status: 0 nothing regressed, 1 something did, 2 usage or
 * file error. */
int hx_diff_main(int argc, char **argv);

#endif
