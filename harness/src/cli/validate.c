/* authconform validate: scenario and profile files checked without running
 * anything; every problem with its file and field. */
#include "cli_int.h"

#include <dirent.h>
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
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
#include "hx/waivers.h"

/* A file is a profile when it says so by its content: an object with no
 * "steps" and no "id" (what every scenario has) and at least one member a
 * profile has. A partial profile (only "paths") is still a profile. */
static bool
validate_looks_like_profile(const char *path)
{
    static const char *const profile_keys[] = {
        "name",  "extends",  "paths",    "fields", "codes",  "auth", "messages",
        "token", "tasks",    "database", "identity", "errors", "limits", NULL};
    json_t *j = json_load_file(path, 0, NULL);
    bool yes = false;

    if (json_is_object(j) && json_object_get(j, "steps") == NULL &&
        json_object_get(j, "id") == NULL)
        for (const char *const *k = profile_keys; *k != NULL && !yes; k++)
            yes = json_object_get(j, *k) != NULL;
    json_decref(j);
    return yes;
}

/* A file is a waivers file (run --waivers) when it is an object with a
 * "waivers" member and none of a scenario's. */
static bool
validate_looks_like_waivers(const char *path)
{
    json_t *j = json_load_file(path, 0, NULL);
    bool yes = json_is_object(j) && json_object_get(j, "waivers") != NULL &&
               json_object_get(j, "steps") == NULL && json_object_get(j, "id") == NULL;
    json_decref(j);
    return yes;
}

/* A waivers file that loaded, kept to compare its checks with the
 * scenarios validated beside it. */
struct validate_waivers {
    char *path; /* owned */
    struct hx_waiver *w;
    size_t n;
};

/* What validate is checking, for the walk of a folder. */
struct validate_walk {
    struct hx_scenario_set *set;
    struct hx_errlist *errs;
    const char *def; /* the default profile a profile extends, or NULL */
    size_t profiles;
    struct validate_waivers *waivers; /* owned */
    size_t n_waivers;
};

/* Loads a waivers file; its problem, with the file, the waiver and the
 * field, goes to the list. */
static void
validate_waivers_file(struct validate_walk *w, const char *path)
{
    struct hx_error err = {.text = ""};
    struct validate_waivers v = {0};
    struct validate_waivers *grown;
    size_t plen = strlen(path);

    if (hx_waivers_load(path, &v.w, &v.n, &err) != 0) {
        /* the text starts with the file's name, which the list prints */
        const char *text = err.text;
        if (strncmp(text, path, plen) == 0 && strncmp(text + plen, ": ", 2) == 0)
            text += plen + 2;
        hx_errlist_add(w->errs, path, 0, "%s", text);
        return;
    }
    grown = realloc(w->waivers, (w->n_waivers + 1) * sizeof *grown);
    v.path = strdup(path);
    if (grown == NULL || v.path == NULL) {
        if (grown != NULL)
            w->waivers = grown;
        free(v.path);
        hx_waivers_free(v.w, v.n);
        hx_errlist_add(w->errs, path, 0, "out of memory");
        return;
    }
    w->waivers = grown;
    w->waivers[w->n_waivers++] = v;
}

/* With scenarios validated beside them: each waiver whose check names
 * none of them is noted (it would be unused in a run of those scenarios,
 * which fails the gate). A note, not a problem: the scenarios given may be
 * a part of those a run would have. */
static void
validate_waivers_note(const struct validate_walk *w)
{
    for (size_t f = 0; f < w->n_waivers && w->set->n > 0; f++)
        for (size_t i = 0; i < w->waivers[f].n; i++) {
            const char *check = w->waivers[f].w[i].check;
            bool named = false;
            for (size_t k = 0; k < w->set->n && !named; k++)
                named = fnmatch(check, w->set->items[k]->id, 0) == 0;
            if (!named)
                printf("validate: note: %s: waivers[%zu].check: \"%s\" names none of the %zu "
                       "scenarios validated (a run of them would find the waiver unused, which "
                       "fails the gate)\n",
                       w->waivers[f].path, i, check, w->set->n);
        }
}

/* Checks one file: a profile or a waivers file by its content, else a
 * scenario. */
static void
validate_file(struct validate_walk *w, const char *path)
{
    if (validate_looks_like_waivers(path)) {
        validate_waivers_file(w, path);
        return;
    }
    if (validate_looks_like_profile(path)) {
        struct hx_profile *p = NULL;
        if (hx_profile_load(path, w->def, &p, w->errs) == 0) {
            size_t i;
            json_t *n;
            w->profiles++;
            json_array_foreach(p->notes, i, n) printf("validate: note: %s: %s\n", path,
                                                      json_string_value(n));
        }
        hx_profile_free(p);
        return;
    }
    hx_scenario_set_load(w->set, path, w->errs);
}

static bool
validate_is_json(const char *path)
{
    const char *base = strrchr(path, '/');
    size_t l = strlen(path);
    base = base != NULL ? base + 1 : path;
    return l > 5 && strcmp(path + l - 5, ".json") == 0 && base[0] != '.';
}

/* Walks a folder in name order (the order a scenario set loads in). */
static void
validate_dir(struct validate_walk *w, const char *dir, int depth)
{
    struct dirent **names = NULL;
    int n = depth > 16 ? -1 : scandir(dir, &names, NULL, alphasort);

    if (n < 0) {
        hx_errlist_add(w->errs, dir, 0, "cannot read this folder");
        return;
    }
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX];
        struct stat st;
        if (names[i]->d_name[0] != '.' &&
            snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name) < (int)sizeof path &&
            stat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                validate_dir(w, path, depth + 1);
            else if (S_ISREG(st.st_mode) && validate_is_json(path))
                validate_file(w, path);
        }
        free(names[i]);
    }
    free(names);
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
    struct validate_walk w = {.set = &set, .errs = &errs};
    int c, rc = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: authconform validate PATH...\n"
                   "Checks scenario files, folders of them, profiles and waivers files\n"
                   "(run --waivers), without running anything; reports every problem with\n"
                   "its file and field. Exit 0 when all are valid, 2 otherwise.\n");
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
    w.def = access(def, R_OK) == 0 ? def : NULL;
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            validate_dir(&w, argv[i], 0);
        else if (stat(argv[i], &st) == 0 && S_ISREG(st.st_mode) && validate_is_json(argv[i]))
            validate_file(&w, argv[i]);
        else
            hx_scenario_set_load(&set, argv[i], &errs); /* names the problem */
    }
    hx_scenario_set_finish(&set, &errs);
    validate_waivers_note(&w);
    if (errs.n > 0 || errs.dropped > 0) {
        hx_errlist_print(&errs, stderr);
        fprintf(stderr, "validate: %zu problems\n", errs.n + errs.dropped);
        rc = HX_EXIT_USAGE;
    } else {
        printf("validate: ok (%zu scenarios, %zu profiles, %zu waivers files)\n", set.n,
               w.profiles, w.n_waivers);
    }
    for (size_t i = 0; i < w.n_waivers; i++) {
        free(w.waivers[i].path);
        hx_waivers_free(w.waivers[i].w, w.waivers[i].n);
    }
    free(w.waivers);
    hx_errlist_cleanup(&errs);
    hx_scenario_set_cleanup(&set);
    return rc;
}
