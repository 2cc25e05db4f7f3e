/* authconform list: every scenario with its checklist item, ASVS references,
 * severity and what it needs. */
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

static const char *
list_needs_text(const struct hx_scenario *s, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    if (s->needs & HX_NEED_SECRET)
        o += (size_t)snprintf(buf + o, size - o, "%ssecret", o ? "," : "");
    if ((s->needs & HX_NEED_DATABASE) && o < size)
        o += (size_t)snprintf(buf + o, size - o, "%sdatabase", o ? "," : "");
    if ((s->needs & HX_NEED_TLS) && o < size)
        o += (size_t)snprintf(buf + o, size - o, "%stls", o ? "," : "");
    for (size_t k = 0; hx_task_ops[k] != NULL && o < size; k++)
        if (s->task_ops & (1u << k))
            o += (size_t)snprintf(buf + o, size - o, "%stask_%s", o ? "," : "", hx_task_ops[k]);
    for (size_t i = 0; i < s->n_need_keys && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "," : "", s->need_keys[i]);
    if (s->floods && o < size)
        o += (size_t)snprintf(buf + o, size - o, "%sfloods", o ? "," : "");
    if (s->exclusive && o < size)
        o += (size_t)snprintf(buf + o, size - o, "%sexclusive", o ? "," : "");
    return o ? buf : "-";
}

int
hx__cli_list(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"scenarios", required_argument, NULL, 's'},
        {"sources", no_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct hx_scenario_set set = {0};
    struct hx_errlist errs;
    char datadir[PATH_MAX - 64], dir[PATH_MAX];
    int c, rc = 0;
    bool any = false, sources = false;

    hx_errlist_init(&errs);
    optind = 1;
    while ((c = getopt_long(argc, argv, "hVS", longopts, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: authconform list [--sources] [--scenarios PATH]...\n"
                   "Every scenario and check: id, checklist items, ASVS, severity, needs, title;\n"
                   "then the built-in probes. --sources: id, severity and where each rule comes\n"
                   "from (the quickstart line, the RFC or the OWASP ASVS requirement).\n");
            return 0;
        }
        if (c == 'V') {
            hx__cli_version(stdout);
            return 0;
        }
        if (c == 'S') {
            sources = true;
            continue;
        }
        if (c != 's')
            return HX_EXIT_USAGE;
        any = true;
        if (hx_scenario_set_load(&set, optarg, &errs) != 0)
            rc = HX_EXIT_USAGE;
    }
    if (!any) {
        if (hx_datadir_find(datadir, sizeof datadir) != 0)
            return HX_EXIT_USAGE;
        snprintf(dir, sizeof dir, "%s/scenarios", datadir);
        if (hx_scenario_set_load(&set, dir, &errs) != 0)
            rc = HX_EXIT_USAGE;
    }
    if (hx_scenario_set_finish(&set, &errs) != 0)
        rc = HX_EXIT_USAGE;
    if (errs.n > 0) {
        hx_errlist_print(&errs, stderr);
        rc = HX_EXIT_USAGE;
    }
    if (sources) {
        printf("%-22s %-9s %s\n", "ID", "SEVERITY", "SOURCE");
        for (size_t i = 0; i < set.n; i++)
            printf("%-22s %-9s %s\n", set.items[i]->id, hx_severity_name(set.items[i]->severity),
                   set.items[i]->source != NULL ? set.items[i]->source : "-");
        hx_scenario_set_cleanup(&set);
        hx_errlist_cleanup(&errs);
        return rc;
    }
    printf("%-22s %-28s %-14s %-9s %-24s %s\n", "ID", "CHECKLIST", "ASVS", "SEVERITY", "NEEDS",
           "TITLE");
    for (size_t i = 0; i < set.n; i++) {
        const struct hx_scenario *s = set.items[i];
        char cl[256] = "", asvs[128] = "", needs[256];
        size_t o = 0;
        for (size_t k = 0; k < s->n_checklist && o < sizeof cl; k++)
            o += (size_t)snprintf(cl + o, sizeof cl - o, "%s%s", k ? "," : "", s->checklist[k]);
        o = 0;
        for (size_t k = 0; k < s->n_asvs && o < sizeof asvs; k++)
            o += (size_t)snprintf(asvs + o, sizeof asvs - o, "%s%s", k ? "," : "", s->asvs[k]);
        printf("%-22s %-28s %-14s %-9s %-24s %s\n", s->id, cl[0] ? cl : "-", asvs[0] ? asvs : "-",
               hx_severity_name(s->severity), list_needs_text(s, needs, sizeof needs), s->title);
    }
    printf("\n%zu scenarios\n\nProbes:\n", set.n);
    for (const struct hx_probe_def *const *p = hx_probe_all(); *p; p++)
        printf("  %-20s %s%s\n", (*p)->name, (*p)->summary, (*p)->floods ? " (floods)" : "");
    hx_scenario_set_cleanup(&set);
    hx_errlist_cleanup(&errs);
    return rc;
}
