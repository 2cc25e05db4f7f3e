/* authconform merge: the shards of a run put back together. */
#include "hx/report_merge.h"

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/version.h"
#include "hx/report.h"
#include "hx/report_console.h"
#include "hx/report_json_read.h"
#include "hx/shard.h"

static bool
merge_same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The run fields every part must share. */
struct merge_field {
    const char *path;
    size_t offset;
};

static const struct merge_field merge_fields[] = {
    {"run.target", offsetof(struct hx_result, target)},
    {"run.profile", offsetof(struct hx_result, profile)},
    {"run.harness_version", offsetof(struct hx_result, harness_version)},
};

static const char *
merge_field_value(const struct hx_result *r, const struct merge_field *f)
{
    return *(char *const *)((const char *)r + f->offset);
}

/* True when note is a "shard I of N: ..." note of `run --shard`; then *sh
 * holds I and N. */
static bool
merge_shard_note(const char *note, struct hx_shard *sh)
{
    char tail;

    return sscanf(note, "shard %u of %u%c", &sh->index, &sh->count, &tail) == 3 && tail == ':' &&
           sh->index >= 1 && sh->index <= sh->count && sh->count <= HX_SHARD_MAX;
}

static int
merge_check_fields(struct hx_result *const *parts, const char *const *names, size_t n,
                   struct hx_error *err)
{
    for (size_t i = 1; i < n; i++) {
        for (size_t f = 0; f < sizeof merge_fields / sizeof merge_fields[0]; f++) {
            const char *a = merge_field_value(parts[0], &merge_fields[f]);
            const char *b = merge_field_value(parts[i], &merge_fields[f]);
            if (!merge_same(a, b)) {
                hx_error_set(err, names[i], 0,
                             "%s: %s: \"%.120s\" differs from %s's \"%.120s\": the shards of one "
                             "run share the target, the profile and the harness version",
                             names[i], merge_fields[f].path, b != NULL ? b : "(null)", names[0],
                             a != NULL ? a : "(null)");
                return HX_E_PARSE;
            }
        }
    }
    return 0;
}

static int
merge_check_cases(struct hx_result *const *parts, const char *const *names, size_t n,
                  struct hx_error *err)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < parts[i]->n_cases; c++) {
            const char *id = parts[i]->cases[c]->id;
            for (size_t j = 0; j <= i; j++) {
                size_t end = j == i ? c : parts[j]->n_cases;
                for (size_t d = 0; d < end; d++) {
                    if (id != NULL && parts[j]->cases[d]->id != NULL &&
                        strcmp(id, parts[j]->cases[d]->id) == 0) {
                        hx_error_set(err, names[i], 0,
                                     "%s and %s both ran the case %.120s: each case belongs to "
                                     "one shard (the same shard given twice?)",
                                     names[j], names[i], id);
                        return HX_E_PARSE;
                    }
                }
            }
        }
    }
    return 0;
}

/* Checks the parts' shard notes and writes the merged note into note. */
static int
merge_shards_note(struct hx_result *const *parts, const char *const *names, size_t n,
                  char *note, size_t note_size, struct hx_error *err)
{
    const char *seen[HX_SHARD_MAX + 1] = {NULL};
    const char *count_from = NULL;
    unsigned count = 0;
    size_t used, missing = 0;
    int k;

    for (size_t i = 0; i < n; i++) {
        for (size_t t = 0; t < parts[i]->n_notes; t++) {
            struct hx_shard sh;
            if (!merge_shard_note(parts[i]->notes[t], &sh))
                continue;
            if (count_from != NULL && sh.count != count) {
                hx_error_set(err, names[i], 0,
                             "%s: run.notes: shard %u of %u, where %s is one of %u: the shards of "
                             "one run are of one split",
                             names[i], sh.index, sh.count, count_from, count);
                return HX_E_PARSE;
            }
            if (seen[sh.index] != NULL) {
                hx_error_set(err, names[i], 0, "%s and %s are both shard %u of %u", seen[sh.index],
                             names[i], sh.index, sh.count);
                return HX_E_PARSE;
            }
            seen[sh.index] = names[i];
            count = sh.count;
            count_from = names[i];
        }
    }
    k = snprintf(note, note_size, "merged from %zu %s", n, n == 1 ? "shard" : "shards");
    used = k > 0 && (size_t)k < note_size ? (size_t)k : 0;
    for (unsigned s = 1; s <= count; s++) {
        if (seen[s] != NULL)
            continue;
        k = snprintf(note + used, note_size - used, missing == 0 ? " (missing: shard %u" : ", %u",
                     s);
        if (k < 0 || (size_t)k >= note_size - used)
            break;
        used += (size_t)k;
        missing++;
    }
    if (missing > 0)
        snprintf(note + used, note_size - used, " of %u)", count);
    return 0;
}

static bool
merge_has_note(const struct hx_result *r, const char *note)
{
    for (size_t i = 0; i < r->n_notes; i++)
        if (strcmp(r->notes[i], note) == 0)
            return true;
    return false;
}

static int
merge_nomem(struct hx_error *err)
{
    hx_error_set(err, NULL, 0, "out of memory");
    return HX_E_NOMEM;
}

int
hx_merge_results(struct hx_result *const *parts, const char *const *names, size_t n,
                 struct hx_result **out, struct hx_error *err)
{
    struct hx_result *m;
    char shards_note[512];
    time_t start = 0;
    double end = 0;
    int rc;

    if (n == 0) {
        hx_error_set(err, NULL, 0, "nothing to merge");
        return HX_E_INVAL;
    }
    if ((rc = merge_check_fields(parts, names, n, err)) != 0 ||
        (rc = merge_check_cases(parts, names, n, err)) != 0 ||
        (rc = merge_shards_note(parts, names, n, shards_note, sizeof shards_note, err)) != 0)
        return rc;
    m = hx_result_new(parts[0]->target, parts[0]->profile, parts[0]->run_id);
    if (m == NULL)
        return merge_nomem(err);
    free(m->harness_version);
    free(m->hostname);
    m->harness_version = parts[0]->harness_version ? strdup(parts[0]->harness_version) : NULL;
    m->hostname = parts[0]->hostname ? strdup(parts[0]->hostname) : NULL;

    for (size_t i = 0; i < n; i++) {
        struct hx_result *p = parts[i];
        struct hx_case **grown;

        if (p->started != 0 && (start == 0 || p->started < start))
            start = p->started;
        if (p->started != 0 && (double)p->started + p->seconds > end)
            end = (double)p->started + p->seconds;
        for (size_t t = 0; t < p->n_notes; t++) {
            struct hx_shard sh;
            if (merge_shard_note(p->notes[t], &sh) || merge_has_note(m, p->notes[t]))
                continue;
            if (hx_result_add_note(m, "%s", p->notes[t]) != 0)
                goto nomem;
        }
        grown = realloc(m->cases, (m->n_cases + p->n_cases + 1) * sizeof *grown);
        if (grown == NULL)
            goto nomem;
        m->cases = grown;
        memcpy(m->cases + m->n_cases, p->cases, p->n_cases * sizeof *p->cases);
        m->n_cases += p->n_cases;
        p->n_cases = 0; /* the cases are the merged run's now */
    }
    if (hx_result_add_note(m, "%s", shards_note) != 0)
        goto nomem;
    m->started = start;
    m->seconds = start != 0 ? end - (double)start : 0;
    *out = m;
    return 0;
nomem:
    hx_result_free(m);
    return merge_nomem(err);
}

static void
merge_usage(FILE *out)
{
    fputs("usage: authconform merge [options] A.json B.json ...\n"
          "\n"
          "Puts the report.json files of the shards of one run (authconform run\n"
          "--shard I/N) back together and writes every report as if one run had run\n"
          "all the cases: junit.xml, report.html, report.md, report.json and\n"
          "report.sarif. The files must share the target, the profile and the\n"
          "harness version, and no case may appear in two of them.\n"
          "\n"
          "  --report-dir DIR     folder of the reports (default reports)\n"
          "  --junit FILE         JUnit XML file (default REPORT_DIR/junit.xml)\n"
          "  --sarif FILE         SARIF file (default REPORT_DIR/report.sarif)\n"
          "  --fail-on SEVERITY   exit 1 only for failures at or above it, as for run\n"
          "                       (default info)\n"
          "  --help               print this help and exit\n"
          "  --version            print the version and exit\n"
          "\n"
          "Exit status: 0 all passed (skips allowed), 1 a failure, 2 usage or file\n"
          "error, or files that do not belong together.\n",
          out);
}

int
hx_merge_main(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},          {"version", no_argument, NULL, 'V'},
        {"report-dir", required_argument, NULL, 'd'}, {"junit", required_argument, NULL, 'j'},
        {"sarif", required_argument, NULL, 's'},   {"fail-on", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct hx_report_options ropt = {.dir = "reports"};
    enum hx_severity fail_on = HX_SEV_INFO;
    struct hx_result **parts = NULL, *merged = NULL;
    struct hx_error err = {.text = ""};
    struct hx_console con;
    size_t n = 0;
    int c, exit_code = HX_EXIT_USAGE;

    optind = 0; /* glibc: start afresh, whatever parsed argv before */
    opterr = 0; /* our own message, named after the subcommand */
    while ((c = getopt_long(argc, argv, "hV", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            merge_usage(stdout);
            return 0;
        case 'V':
            printf("authconform merge %s\n", CMN_VERSION);
            return 0;
        case 'd':
            ropt.dir = optarg;
            break;
        case 'j':
            ropt.junit = optarg;
            break;
        case 's':
            ropt.sarif = optarg;
            break;
        case 'f':
            if (hx_severity_parse(optarg, &fail_on) != 0) {
                fprintf(stderr,
                        "authconform merge: --fail-on: expected warning, info, low, medium, high "
                        "or critical, got '%s'\n",
                        optarg);
                return HX_EXIT_USAGE;
            }
            break;
        default:
            if (optopt != 0)
                fprintf(stderr, "authconform merge: option -%c: unknown or missing its value\n",
                        optopt);
            else
                fprintf(stderr, "authconform merge: unknown option %s\n", argv[optind - 1]);
            merge_usage(stderr);
            return HX_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "authconform merge: expected the report.json files of the shards\n");
        merge_usage(stderr);
        return HX_EXIT_USAGE;
    }
    parts = calloc((size_t)(argc - optind) + 1, sizeof *parts);
    if (parts == NULL)
        goto out;
    for (; optind + (int)n < argc; n++) {
        if (hx_report_json_read_file(argv[optind + n], &parts[n], &err) != 0) {
            fprintf(stderr, "authconform merge: %s\n", err.text);
            goto out;
        }
    }
    if (hx_merge_results(parts, (const char *const *)argv + optind, n, &merged, &err) != 0) {
        fprintf(stderr, "authconform merge: %s\n", err.text);
        goto out;
    }
    hx_console_init(&con, stdout, false);
    printf("authconform merge: %zu cases from %zu files\n", merged->n_cases, n);
    hx_console_summary(&con, merged);
    exit_code = hx_result_exit_code(merged, fail_on);
    if (hx_report_write_all(merged, &ropt, stderr) != 0)
        exit_code = HX_EXIT_USAGE;
out:
    for (size_t i = 0; i < n; i++)
        hx_result_free(parts[i]);
    free(parts);
    hx_result_free(merged);
    return exit_code;
}
