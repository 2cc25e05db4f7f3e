#ifndef HX_REPORT_H
#define HX_REPORT_H
/*
 * Report writers: every configured format, written from the same result.
 * A writer never talks to the network and reads nothing but the result.
 *
 * The table of formats lives in src/report/report.c; a new format is one
 * line there (name, default file name, write function). Subcommands that
 * work on reports (e.g. `authconform diff`) are listed in the same file.
 */
#include <stdio.h>

#include "hx/error.h"
#include "hx/result.h"

struct hx_report_format {
    const char *name; /* "junit" */
    const char *file; /* default file name inside the report folder, "junit.xml" */
    /* Writes r to path (the folder exists). Returns 0 or a negative code
     * with err saying why. */
    int (*write)(const struct hx_result *r, const char *path, struct hx_error *err);
};

struct hx_report_command {
    const char *name;                   /* "diff" */
    const char *usage;                  /* one line for `authconform --help` */
    int (*main)(int argc, char **argv); /* argv[0] is the subcommand; returns the exit code */
};

/* Borrowed (static), NULL-terminated. */
const struct hx_report_format *const *hx_report_formats(void);
const struct hx_report_command *const *hx_report_commands(void);

struct hx_report_options {
    const char *dir;   /* the report folder ("reports") */
    const char *junit; /* the JUnit file; NULL: <dir>/junit.xml */
    const char *sarif; /* the SARIF file; NULL: <dir>/report.sarif */
    /* When not NULL, called with on_written_ud after each file written whole
     * (format name, path); e.g. the evidence bundle's hx_bundle_report_written. */
    void (*on_written)(void *ud, const char *format, const char *path);
    void *on_written_ud;
};

/* Writes every format. Progress and problems go to msgs ("report: wrote
 * junit reports/junit.xml"). Returns the number of formats that failed. */
int hx_report_write_all(const struct hx_result *r, const struct hx_report_options *opt, FILE *msgs);

/* Creates dir and its parents (mode 0755). Returns 0 or HX_E_IO. */
int hx_report_mkdirs(const char *dir);

#endif
