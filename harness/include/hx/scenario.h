#ifndef HX_SCENARIO_H
#define HX_SCENARIO_H
/*
 * Scenario files: one JSON file per scenario under scenarios/<group>/,
 * loaded into plain structs and checked, every problem reported with the
 * file and the field ("steps[2].expect.status: ..."). The format is
 * documented in scenarios/README.md.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "hx/errlist.h"
#include "hx/result.h"

/* What a scenario needs from the run; without it, it is skipped. */
enum {
    HX_NEED_SECRET = 1 << 0,      /* --secret-file / --secret-env */
    HX_NEED_DATABASE = 1 << 1,    /* --database-url */
    HX_NEED_TLS = 1 << 2,         /* an https:// target */
};

struct hx_step {
    char *name;
    /* A request step: */
    const json_t *request; /* borrowed from the scenario's document */
    const json_t *expect;  /* may be NULL */
    const json_t *capture; /* may be NULL: {"var": "$.path" | "header:Name" | "cookie:name"} */
    /* Or a probe step: */
    char *probe;
    const json_t *args; /* may be NULL */
};

struct hx_scenario {
    char *id, *title, *description;
    char *group; /* the folder the file lives in */
    char *file;  /* as given on the command line or found in the tree */
    char **checklist;
    size_t n_checklist;
    char **asvs;
    size_t n_asvs;
    enum hx_severity severity;
    char *remediation;
    char *source; /* where the rule comes from: quickstart line, RFC, ASVS; NULL if not said */
    unsigned needs;
    unsigned task_ops; /* HX_TASK_* (hx/profile.h) of the tasks API it needs */
    char **need_keys; /* profile members the scenario needs ("paths.signout") */
    size_t n_need_keys;
    bool floods;
    bool exclusive;    /* runs alone, before the others: no other traffic while it measures */
    char **identities; /* signed up before the first step */
    size_t n_identities;
    struct hx_step *steps;
    size_t n_steps;
    json_t *doc; /* the whole file; owns what steps borrow */
};

/* Loads and checks one file; group is the name of the folder it lives in.
 * Every problem goes into errs. Returns 0 with *out new (hx_scenario_free),
 * HX_E_PARSE or HX_E_IO. */
int hx_scenario_load(const char *file, const char *group, struct hx_scenario **out,
                     struct hx_errlist *errs);
/* The same from a scenario's text in memory (len bytes, any bytes); file
 * names it in errors and in s->file. hx_scenario_load() reads the file and
 * calls this. */
int hx_scenario_load_buffer(const char *text, size_t len, const char *file, const char *group,
                            struct hx_scenario **out, struct hx_errlist *errs);
void hx_scenario_free(struct hx_scenario *s);

/* A set of scenarios, sorted by id. */
struct hx_scenario_set {
    struct hx_scenario **items;
    size_t n;
};

/* Loads every *.json under path (a file or a folder, recursively; README
 * and dot files skipped). Ids must be unique across the set. Returns 0, or
 * HX_E_PARSE / HX_E_IO with every problem in errs. */
int hx_scenario_set_load(struct hx_scenario_set *set, const char *path, struct hx_errlist *errs);
void hx_scenario_set_cleanup(struct hx_scenario_set *set);
/* Checks that ids are unique, then sorts by id. */
int hx_scenario_set_finish(struct hx_scenario_set *set, struct hx_errlist *errs);

/* True when id matches one of patterns (fnmatch globs, case-insensitive;
 * a pattern without glob characters matches as a prefix). n == 0 matches all. */
bool hx_scenario_matches(const struct hx_scenario *s, char *const *patterns, size_t n);

#endif
