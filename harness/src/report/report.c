#include "hx/report.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/report_diff.h"
#include "hx/report_verify.h"
#include "hx/report_html.h"
#include "hx/report_json.h"
#include "hx/report_junit.h"
#include "hx/report_markdown.h"
#include "hx/report_sarif.h"

/* Every format a run writes. One line per format. */
static const struct hx_report_format report_junit = {"junit", "junit.xml", hx_report_junit_write};
static const struct hx_report_format report_html = {"html", "report.html", hx_report_html_write};
static const struct hx_report_format report_markdown = {"markdown", "report.md",
                                                        hx_report_markdown_write};
static const struct hx_report_format report_json = {"json", "report.json", hx_report_json_write};
static const struct hx_report_format report_sarif = {"sarif", "report.sarif",
                                                     hx_report_sarif_write};

static const struct hx_report_format *const report_formats[] = {
    &report_junit, &report_html, &report_markdown, &report_json, &report_sarif, NULL,
};

/* Subcommands that work on reports. */
static const struct hx_report_command report_diff = {
    "diff",
    "diff OLD.json NEW.json          what changed between two runs (exit 1 on a regression)",
    hx_diff_main};

static const struct hx_report_command report_verify = {
    "verify",
    "verify DIR [--key PUB.pem]      check a signed evidence bundle offline (exit 1 if altered)",
    hx_verify_main};

static const struct hx_report_command *const report_commands[] = {
    &report_diff,
    &report_verify,
    NULL,
};

const struct hx_report_format *const *
hx_report_formats(void)
{
    return report_formats;
}

const struct hx_report_command *const *
hx_report_commands(void)
{
    return report_commands;
}

int
hx_report_mkdirs(const char *dir)
{
    char p[PATH_MAX];
    size_t n = strlen(dir);

    if (n == 0 || n >= sizeof p)
        return HX_E_IO;
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] == '/' || p[i] == '\0') {
            char c = p[i];
            p[i] = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST)
                return HX_E_IO;
            p[i] = c;
        }
    }
    return 0;
}

static int
report_dir_of(const char *path, char *out, size_t out_size)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        snprintf(out, out_size, ".");
        return 0;
    }
    if ((size_t)(slash - path) >= out_size)
        return HX_E_TOOLONG;
    memcpy(out, path, (size_t)(slash - path));
    out[slash - path] = '\0';
    if (out[0] == '\0')
        snprintf(out, out_size, "/");
    return 0;
}

int
hx_report_write_all(const struct hx_result *r, const struct hx_report_options *opt, FILE *msgs)
{
    int failed = 0;
    const char *dir = opt->dir ? opt->dir : "reports";

    for (const struct hx_report_format *const *f = report_formats; *f != NULL; f++) {
        char path[PATH_MAX], parent[PATH_MAX];
        struct hx_error err = {0};
        int rc;

        if (strcmp((*f)->name, "junit") == 0 && opt->junit != NULL)
            snprintf(path, sizeof path, "%s", opt->junit);
        else if (strcmp((*f)->name, "sarif") == 0 && opt->sarif != NULL)
            snprintf(path, sizeof path, "%s", opt->sarif);
        else if (snprintf(path, sizeof path, "%s/%s", dir, (*f)->file) >= (int)sizeof path)
            continue;
        if (report_dir_of(path, parent, sizeof parent) != 0 || hx_report_mkdirs(parent) != 0) {
            fprintf(msgs, "report: cannot create the folder of %s: %s\n", path, strerror(errno));
            failed++;
            continue;
        }
        rc = (*f)->write(r, path, &err);
        if (rc != 0) {
            fprintf(msgs, "report: %s not written: %s\n", (*f)->name,
                    err.text[0] ? err.text : hx_strerror(rc));
            failed++;
        } else {
            if (msgs != NULL)
                fprintf(msgs, "report: wrote %s %s\n", (*f)->name, path);
            if (opt->on_written != NULL)
                opt->on_written(opt->on_written_ud, (*f)->name, path);
        }
    }
    return failed;
}
