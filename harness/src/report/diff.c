/* authconform diff: the changes between two report.json files. */
#include "hx/report_diff.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmn/version.h"
#include "hx/report_json.h"
#include "hx/report_read.h"
#include "report_int.h"

#define DIFF_MESSAGE_MAX 200

static bool
diff_bad(enum hx_status s)
{
    return s == HX_STATUS_FAIL || s == HX_STATUS_ERROR;
}

/* A case of OLD that failed, errored or was waived: a failure all the same. */
static bool
diff_bad_before(enum hx_status s)
{
    return diff_bad(s) || s == HX_STATUS_WAIVED;
}

enum diff_kind {
    DIFF_NEW_FAILURE,
    DIFF_STILL_FAILING,
    DIFF_FIXED,
    DIFF_WAIVED,
    DIFF_NEWLY_SKIPPED,
    DIFF_NOW_RUN,
    DIFF_ADDED,
    DIFF_REMOVED,
    DIFF_N_KINDS,
};

static const char *const diff_titles[DIFF_N_KINDS] = {
    "New failures",
    "Still failing",
    "Fixed",
    "Waived (failing, accepted by a waiver)",
    "Newly skipped",
    "Now run (skipped before)",
    "New checks",
    "Removed checks",
};

/* The kind of change of a case of NEW (old may be NULL), or -1 for none. */
static int
diff_kind_of(const struct hx_report_case *old, const struct hx_report_case *now)
{
    if (now->status == HX_STATUS_WAIVED) /* accepted: never a regression */
        return old != NULL && old->status == HX_STATUS_WAIVED ? -1 : DIFF_WAIVED;
    if (old == NULL)
        return diff_bad(now->status) ? DIFF_NEW_FAILURE : DIFF_ADDED;
    if (diff_bad(now->status))
        return diff_bad_before(old->status) ? DIFF_STILL_FAILING : DIFF_NEW_FAILURE;
    if (diff_bad_before(old->status))
        return now->status == HX_STATUS_PASS ? DIFF_FIXED : DIFF_NEWLY_SKIPPED;
    if (now->status == HX_STATUS_SKIP && old->status == HX_STATUS_PASS)
        return DIFF_NEWLY_SKIPPED;
    if (now->status == HX_STATUS_PASS && old->status == HX_STATUS_SKIP)
        return DIFF_NOW_RUN;
    return -1;
}

/* Prints s on one line with what a terminal could act on replaced. */
static void
diff_print_safe(FILE *out, const char *s, size_t max_cps)
{
    struct cmn_buf b;

    if (s == NULL)
        return;
    cmn_buf_init(&b, 64 * 1024);
    if (hx__text_safe(&b, s, strlen(s), HX__TEXT_ONELINE, max_cps, NULL) == 0 || b.len > 0)
        fputs(cmn_buf_str(&b), out);
    cmn_buf_cleanup(&b);
}

static void
diff_print_case(FILE *out, const struct hx_report_case *old, const struct hx_report_case *now)
{
    const struct hx_report_case *c = now != NULL ? now : old;

    fprintf(out, "  %s ", hx__status_symbol(c->status));
    diff_print_safe(out, c->id, 100);
    fprintf(out, "  %s -> %s", old != NULL ? hx_status_name(old->status) : "(absent)",
            now != NULL ? hx_status_name(now->status) : "(absent)");
    if (c->title != NULL) {
        fputs("  ", out);
        diff_print_safe(out, c->title, 120);
    }
    fputc('\n', out);
    if (now != NULL && now->status != HX_STATUS_PASS && now->message != NULL) {
        fputs("      ", out);
        diff_print_safe(out, now->message, DIFF_MESSAGE_MAX);
        fputc('\n', out);
    }
}

int
hx_diff_run(const char *old_path, const char *new_path, unsigned flags, FILE *out,
            struct hx_error *err)
{
    struct hx_report_doc old, now;
    size_t counts[DIFF_N_KINDS] = {0};
    int rc, regressions;

    rc = hx_report_doc_read(old_path, &old, err);
    if (rc == 0)
        rc = hx_report_doc_read(new_path, &now, err);
    else
        memset(&now, 0, sizeof now);
    if (rc != 0)
        goto cleanup;
    hx_report_doc_match(&old, &now);

    fputs("authconform diff\n  old: ", out);
    diff_print_safe(out, old_path, 200);
    fputs(" (run ", out);
    diff_print_safe(out, old.run_id, 80);
    fputs(", ", out);
    diff_print_safe(out, old.started, 40);
    fputs(")\n  new: ", out);
    diff_print_safe(out, new_path, 200);
    fputs(" (run ", out);
    diff_print_safe(out, now.run_id, 80);
    fputs(", ", out);
    diff_print_safe(out, now.started, 40);
    fputs(")\n", out);
    if (strcmp(old.target, now.target) != 0 || strcmp(old.profile, now.profile) != 0) {
        fputs("  note: the runs differ in target or profile: ", out);
        diff_print_safe(out, old.target, 120);
        fputs(" (", out);
        diff_print_safe(out, old.profile, 80);
        fputs(") vs ", out);
        diff_print_safe(out, now.target, 120);
        fputs(" (", out);
        diff_print_safe(out, now.profile, 80);
        fputs(")\n", out);
    }

    for (size_t i = 0; i < now.n; i++) {
        int k = diff_kind_of(now.cases[i].peer, &now.cases[i]);
        if (k >= 0)
            counts[k]++;
    }
    for (size_t i = 0; i < old.n; i++)
        if (old.cases[i].peer == NULL)
            counts[DIFF_REMOVED]++;

    for (int kind = 0; kind < DIFF_N_KINDS; kind++) {
        if (counts[kind] == 0)
            continue;
        fprintf(out, "\n%s (%zu):\n", diff_titles[kind], counts[kind]);
        if (kind == DIFF_REMOVED) {
            for (size_t i = 0; i < old.n; i++)
                if (old.cases[i].peer == NULL)
                    diff_print_case(out, &old.cases[i], NULL);
            continue;
        }
        for (size_t i = 0; i < now.n; i++)
            if (diff_kind_of(now.cases[i].peer, &now.cases[i]) == kind)
                diff_print_case(out, now.cases[i].peer, &now.cases[i]);
    }

    regressions = (int)counts[DIFF_NEW_FAILURE];
    if (flags & HX_DIFF_STRICT) {
        /* A check that ran before and no longer does hides what it found. */
        for (size_t i = 0; i < now.n; i++) {
            const struct hx_report_case *o = now.cases[i].peer;
            if (o != NULL && o->status != HX_STATUS_SKIP && now.cases[i].status == HX_STATUS_SKIP)
                regressions++;
        }
        for (size_t i = 0; i < old.n; i++)
            if (old.cases[i].peer == NULL && old.cases[i].status != HX_STATUS_SKIP)
                regressions++;
    }
    fprintf(out,
            "\n%zu new failures, %zu still failing, %zu fixed, %zu newly waived, %zu newly "
            "skipped, %zu now run, %zu new checks, %zu removed\n",
            counts[DIFF_NEW_FAILURE], counts[DIFF_STILL_FAILING], counts[DIFF_FIXED],
            counts[DIFF_WAIVED], counts[DIFF_NEWLY_SKIPPED], counts[DIFF_NOW_RUN], counts[DIFF_ADDED],
            counts[DIFF_REMOVED]);
    if (regressions > 0)
        fprintf(out, "REGRESSED: %d %s\n", regressions,
                regressions == 1 ? "check got worse" : "checks got worse");
    else
        fputs("No regression.\n", out);
    rc = regressions;
cleanup:
    hx_report_doc_cleanup(&old);
    hx_report_doc_cleanup(&now);
    return rc;
}

static void
diff_usage(FILE *out)
{
    fputs("usage: authconform diff [--strict] OLD.json NEW.json\n"
          "\n"
          "Compares two report.json files of authconform runs and prints what changed:\n"
          "new failures, checks still failing, fixed, waived, newly skipped, now run,\n"
          "new and removed checks. Cases are matched by id. A waived case (status\n"
          "waived: it failed and a waiver accepted it) is not a regression.\n"
          "\n"
          "  --strict    also count as a regression a check that ran in OLD and is\n"
          "              skipped or missing in NEW\n"
          "  --help      print this help and exit\n"
          "  --version   print the version and exit\n"
          "\n"
          "Exit status: 0 nothing regressed, 1 something regressed (a check fails or\n"
          "errors in NEW that did not in OLD), 2 usage or file error.\n",
          out);
}

int
hx_diff_main(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"strict", no_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    struct hx_error err = {.text = ""};
    unsigned flags = 0;
    int c, rc;

    optind = 0; /* glibc: start afresh, whatever parsed argv before */
    opterr = 0; /* our own message, named after the subcommand */
    while ((c = getopt_long(argc, argv, "hVs", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            diff_usage(stdout);
            return 0;
        case 'V':
            printf("authconform diff %s\n", CMN_VERSION);
            return 0;
        case 's':
            flags |= HX_DIFF_STRICT;
            break;
        default:
            if (optopt != 0)
                fprintf(stderr, "authconform diff: unknown option -%c\n", optopt);
            else
                fprintf(stderr, "authconform diff: unknown option %s\n", argv[optind - 1]);
            diff_usage(stderr);
            return 2;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "authconform diff: expected two files, OLD.json and NEW.json (got %d)\n",
                argc - optind);
        diff_usage(stderr);
        return 2;
    }
    rc = hx_diff_run(argv[optind], argv[optind + 1], flags, stdout, &err);
    fflush(stdout);
    if (rc < 0) {
        fprintf(stderr, "authconform diff: %s\n", err.text[0] != '\0' ? err.text : hx_strerror(rc));
        return 2;
    }
    return rc > 0 ? 1 : 0;
}
