/* authconform run: the options of a run, the embedded target when none is
 * given, the run itself, the exit code and the reports. */
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
#include "hx/key_server.h"
#include "hx/signing_key.h"
#include "hx/pacer.h"
#include "hx/config.h"
#include "hx/datadir.h"
#include "hx/baseline.h"
#include "hx/errlist.h"
#include "hx/probe.h"
#include "hx/profile.h"
#include "hx/report.h"
#include "hx/report_bundle.h"
#include "hx/report_console.h"
#include "hx/runner.h"
#include "hx/scenario.h"
#include "hx/shard.h"
#include "hx/spawn.h"
#include "hx/waivers.h"

/* Allowed global (CONVENTIONS 5): the Ctrl-C flag the signal handler sets. */
static volatile sig_atomic_t run_stop;

static void
run_on_signal(int sig)
{
    (void)sig;
    run_stop = 1;
}

static void
run_run_usage(FILE *out)
{
    fprintf(
        out,
        "usage: authconform run [options]\n"
        "\n"
        "Without --target, starts a throwaway PostgreSQL and the reference server\n"
        "authref on free loopback ports, runs against it and stops both.\n"
        "\n"
        "  --target URL          base URL of the implementation to judge      AUTHCONFORM_TARGET\n"
        "  --auth-target URL     base URL of the auth routes (signup, signin, signout, the\n"
        "                        token exchange, the JWKS) when they are served on another\n"
        "                        origin than the API                           "
        "AUTHCONFORM_AUTH_TARGET\n"
        "  --profile FILE        target profile (default fixtures/profiles/quickstart.json)\n"
        "                                                                     AUTHCONFORM_PROFILE\n"
        "  --scenarios PATH      scenario file or folder, repeatable (default scenarios/)\n"
        "                                                AUTHCONFORM_SCENARIOS (':'-separated)\n"
        "  --filter PATTERN      run only matching ids or groups (glob or prefix), repeatable\n"
        "                                                   AUTHCONFORM_FILTER (','-separated)\n"
        "  --secret-file FILE    the target's shared secret, for checks that need it\n"
        "                                                                 AUTHCONFORM_SECRET_FILE\n"
        "  --secret-env VAR      the same, from an environment variable    AUTHCONFORM_SECRET_ENV\n"
        "  --database-url URL    the target's database (read-only checks) "
        "AUTHCONFORM_DATABASE_URL\n"
        "  --origin URL          a trusted front-end origin (CORS checks)     AUTHCONFORM_ORIGIN\n"
        "  --repo PATH           a git checkout of the target: committed .env files and\n"
        "                        secrets in its history (exposure check)        AUTHCONFORM_REPO\n"
        "  --junit FILE          JUnit XML file (default REPORT_DIR/junit.xml)  AUTHCONFORM_JUNIT\n"
        "  --sarif FILE          SARIF 2.1.0 findings (default REPORT_DIR/report.sarif)\n"
        "                                                                      AUTHCONFORM_SARIF\n"
        "  --report-dir DIR      folder of the reports (default reports)  AUTHCONFORM_REPORT_DIR\n"
        "  --jobs N              scenarios run in parallel (default %d)         AUTHCONFORM_JOBS\n"
        "  --timeout SECONDS     per request (default %d)                    AUTHCONFORM_TIMEOUT\n"
        "  --cacert FILE         CA certificates for an https target          AUTHCONFORM_CACERT\n"
        "  --insecure            do not verify the target's certificate     AUTHCONFORM_INSECURE\n"
        "  --safe                skip every check that floods the target       AUTHCONFORM_SAFE\n"
        "  --seed N              reproducible identities and random data       AUTHCONFORM_SEED\n"
        "  --verbose             transcripts of failures on the console     AUTHCONFORM_VERBOSE\n"
        "  --allow-http          a local run: plain HTTP is not a failure AUTHCONFORM_ALLOW_HTTP\n"
        "  --fail-on SEVERITY    exit 1 only for failures at or above it (info..critical;\n"
        "                        warning also counts warnings)\n"
        "                                                                    AUTHCONFORM_FAIL_ON\n"
        "  --retry N             retry transport errors N times (default 0)     AUTHCONFORM_RETRY\n"
        "  --token-key FILE      the target's own token signing key (RSA, EC P-256/P-384/\n"
        "                        P-521 or Ed25519; PEM, or a private JWK as Better Auth's\n"
        "                        jwt plugin stores it), to sign expired and other invalid\n"
        "                        RS*, PS*, ES* and EdDSA tokens as the target would\n"
        "                                                              AUTHCONFORM_TOKEN_KEY\n"
        "  --callback-address HOST[:PORT]  where the key server of the jku/x5u forgeries\n"
        "                        listens, and the address their URLs give the target: an\n"
        "                        address of this machine the target can reach (default\n"
        "                        127.0.0.1 on a free port)          AUTHCONFORM_CALLBACK_ADDRESS\n"
        "  --pace N/WINDOW       keep the signup and signin routes within N requests per\n"
        "                        WINDOW (10s, 1m), as the target limits them (default: the\n"
        "                        profile's limits.pace; a 429 holds its route for as long\n"
        "                        as it asks either way)                      AUTHCONFORM_PACE\n"
        "  --shard I/N           after --filter, run only part I of N (1 <= I <= N <= 64) of a\n"
        "                        split that is the same on every machine; merge the parts'\n"
        "                        report.json files with `authconform merge`   AUTHCONFORM_SHARD\n"
        "  --shard-durations FILE  balance the parts by the durations a report.json of an\n"
        "                        earlier run recorded (default: by count)\n"
        "                                                       AUTHCONFORM_SHARD_DURATIONS\n"
        "  --bundle DIR          after the reports, a signed evidence bundle in DIR: a copy of\n"
        "                        each report and attestation.dsse.json (an in-toto statement\n"
        "                        in a DSSE envelope); check it with `authconform verify DIR`\n"
        "                                                                    AUTHCONFORM_BUNDLE\n"
        "  --signing-key FILE    the bundle's Ed25519 private key (PEM, PKCS#8); without it a\n"
        "                        key is made for the run, its public half written as\n"
        "                        DIR/signing-key.pub.pem, its private half never written\n"
        "                                                               AUTHCONFORM_SIGNING_KEY\n"
        "  --waivers FILE        accepted failures, each until a date (JSON, see\n"
        "                        reports/schema/waivers-v1.schema.json): a failure a live\n"
        "                        waiver matches is WAIVED and passes the gate; an expired\n"
        "                        waiver, or one that matches no check, fails it\n"
        "                                                                  AUTHCONFORM_WAIVERS\n"
        "  --baseline FILE       the report.json of an accepted run: only failures that\n"
        "                        did not fail (nor were waived) there fail the gate; the\n"
        "                        reports mark failures new or still failing, and list the\n"
        "                        checks fixed since                       AUTHCONFORM_BASELINE\n"
        "\n"
        "Exit: 0 all passed (skips allowed), 1 a failure (one not waived; with --baseline,\n"
        "a new one) or an expired or unused waiver, 2 usage or file error (a bad waivers\n"
        "or baseline file included: nothing runs), 3 target unreachable, 130 interrupted.\n",
        HX_DEFAULT_JOBS, HX_DEFAULT_TIMEOUT_S);
}

enum {
    OPT_TARGET = 1000,
    OPT_PROFILE,
    OPT_SCENARIOS,
    OPT_FILTER,
    OPT_SECRET_FILE,
    OPT_SECRET_ENV,
    OPT_DATABASE_URL,
    OPT_ORIGIN,
    OPT_REPO,
    OPT_JUNIT,
    OPT_REPORT_DIR,
    OPT_JOBS,
    OPT_TIMEOUT,
    OPT_CACERT,
    OPT_INSECURE,
    OPT_SAFE,
    OPT_SEED,
    OPT_ALLOW_HTTP,
    OPT_FAIL_ON,
    OPT_RETRY,
    OPT_AUTH_TARGET,
    OPT_SARIF,
    OPT_SHARD,
    OPT_SHARD_DURATIONS,
    OPT_BUNDLE,
    OPT_SIGNING_KEY,
    OPT_WAIVERS,
    OPT_BASELINE,
    OPT_PACE,
    OPT_TOKEN_KEY,
    OPT_CALLBACK_ADDRESS,
};

struct run_opt {
    int id;
    const char *flag;
    const char *env;
};

static const struct run_opt run_opts[] = {
    {OPT_TARGET, "target", "AUTHCONFORM_TARGET"},
    {OPT_AUTH_TARGET, "auth-target", "AUTHCONFORM_AUTH_TARGET"},
    {OPT_PROFILE, "profile", "AUTHCONFORM_PROFILE"},
    {OPT_SCENARIOS, "scenarios", "AUTHCONFORM_SCENARIOS"},
    {OPT_FILTER, "filter", "AUTHCONFORM_FILTER"},
    {OPT_SECRET_FILE, "secret-file", "AUTHCONFORM_SECRET_FILE"},
    {OPT_SECRET_ENV, "secret-env", "AUTHCONFORM_SECRET_ENV"},
    {OPT_DATABASE_URL, "database-url", "AUTHCONFORM_DATABASE_URL"},
    {OPT_ORIGIN, "origin", "AUTHCONFORM_ORIGIN"},
    {OPT_REPO, "repo", "AUTHCONFORM_REPO"},
    {OPT_JUNIT, "junit", "AUTHCONFORM_JUNIT"},
    {OPT_SARIF, "sarif", "AUTHCONFORM_SARIF"},
    {OPT_REPORT_DIR, "report-dir", "AUTHCONFORM_REPORT_DIR"},
    {OPT_JOBS, "jobs", "AUTHCONFORM_JOBS"},
    {OPT_TIMEOUT, "timeout", "AUTHCONFORM_TIMEOUT"},
    {OPT_CACERT, "cacert", "AUTHCONFORM_CACERT"},
    {OPT_INSECURE, "insecure", "AUTHCONFORM_INSECURE"},
    {OPT_SAFE, "safe", "AUTHCONFORM_SAFE"},
    {OPT_SEED, "seed", "AUTHCONFORM_SEED"},
    {'v', "verbose", "AUTHCONFORM_VERBOSE"},
    {OPT_ALLOW_HTTP, "allow-http", "AUTHCONFORM_ALLOW_HTTP"},
    {OPT_FAIL_ON, "fail-on", "AUTHCONFORM_FAIL_ON"},
    {OPT_RETRY, "retry", "AUTHCONFORM_RETRY"},
    {OPT_SHARD, "shard", "AUTHCONFORM_SHARD"},
    {OPT_SHARD_DURATIONS, "shard-durations", "AUTHCONFORM_SHARD_DURATIONS"},
    {OPT_BUNDLE, "bundle", "AUTHCONFORM_BUNDLE"},
    {OPT_SIGNING_KEY, "signing-key", "AUTHCONFORM_SIGNING_KEY"},
    {OPT_WAIVERS, "waivers", "AUTHCONFORM_WAIVERS"},
    {OPT_BASELINE, "baseline", "AUTHCONFORM_BASELINE"},
    {OPT_PACE, "pace", "AUTHCONFORM_PACE"},
    {OPT_TOKEN_KEY, "token-key", "AUTHCONFORM_TOKEN_KEY"},
    {OPT_CALLBACK_ADDRESS, "callback-address", "AUTHCONFORM_CALLBACK_ADDRESS"},
    {0, NULL, NULL},
};

static bool
run_is_flag_only(int id)
{
    return id == OPT_INSECURE || id == OPT_SAFE || id == 'v' || id == OPT_ALLOW_HTTP;
}

/* Applies one setting; from says where it came from ("--jobs" or
 * "AUTHCONFORM_JOBS") for the error message. Returns 0 or HX_EXIT_USAGE. */
static int
run_apply(struct hx_config *cfg, int id, const char *value, const char *from, bool from_env)
{
    long n;
    bool b = true;

    if (run_is_flag_only(id) && from_env && cmn_parse_bool(value, &b) != 0) {
        fprintf(stderr, "authconform: %s: expected true or false, got '%s'\n", from, value);
        return HX_EXIT_USAGE;
    }
    switch (id) {
    case OPT_TARGET:
    case OPT_AUTH_TARGET:
        if (strncasecmp(value, "http://", 7) != 0 && strncasecmp(value, "https://", 8) != 0) {
            fprintf(stderr, "authconform: %s: expected an http:// or https:// URL, got '%s'\n",
                    from, value);
            return HX_EXIT_USAGE;
        }
        return hx_config_set(id == OPT_TARGET ? &cfg->target : &cfg->auth_target, value) == 0
                   ? 0
                   : HX_EXIT_USAGE;
    case OPT_PROFILE:
        return hx_config_set(&cfg->profile, value) == 0 ? 0 : HX_EXIT_USAGE;
    case OPT_SCENARIOS:
    case OPT_FILTER: {
        char *copy = strdup(value), *save = NULL;
        const char *sep = id == OPT_SCENARIOS ? ":" : ",";
        if (copy == NULL)
            return HX_EXIT_USAGE;
        /* a list from the environment; one value per flag */
        for (char *tok = from_env ? strtok_r(copy, sep, &save) : copy; tok;
             tok = from_env ? strtok_r(NULL, sep, &save) : NULL) {
            if (id == OPT_SCENARIOS)
                hx_config_add(&cfg->scenarios, &cfg->n_scenarios, tok);
            else
                hx_config_add(&cfg->filters, &cfg->n_filters, tok);
        }
        free(copy);
        return 0;
    }
    case OPT_SECRET_FILE: {
        char *s = NULL;
        int rc = cmn_read_file_trimmed(value, 4096, &s);
        if (rc != 0) {
            fprintf(stderr, "authconform: %s: cannot read %s: %s\n", from, value,
                    rc == CMN_E_TOOBIG ? "larger than 4096 bytes" : "no such readable file");
            return HX_EXIT_USAGE;
        }
        if (s[0] == '\0') {
            fprintf(stderr, "authconform: %s: %s is empty\n", from, value);
            free(s);
            return HX_EXIT_USAGE;
        }
        free(cfg->secret);
        cfg->secret = s;
        return hx_config_set(&cfg->secret_from, value) == 0 ? 0 : HX_EXIT_USAGE;
    }
    case OPT_SECRET_ENV: {
        const char *s = cmn_env_get(value);
        if (s == NULL) {
            fprintf(stderr, "authconform: %s: the variable %s is not set\n", from, value);
            return HX_EXIT_USAGE;
        }
        if (hx_config_set(&cfg->secret, s) != 0)
            return HX_EXIT_USAGE;
        return hx_config_set(&cfg->secret_from, value) == 0 ? 0 : HX_EXIT_USAGE;
    }
    case OPT_DATABASE_URL:
        return hx_config_set(&cfg->database_url, value) == 0 ? 0 : HX_EXIT_USAGE;
    case OPT_ORIGIN:
        return hx_config_set(&cfg->origin, value) == 0 ? 0 : HX_EXIT_USAGE;
    case OPT_REPO: {
        struct stat st;
        if (stat(value, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "authconform: %s: '%s' is not a folder\n", from, value);
            return HX_EXIT_USAGE;
        }
        return hx_config_set(&cfg->repo, value) == 0 ? 0 : HX_EXIT_USAGE;
    }
    case OPT_JUNIT:
        return hx_config_set(&cfg->junit, value) == 0 ? 0 : HX_EXIT_USAGE;
    case OPT_SARIF:
        return hx_config_set(&cfg->sarif, value) == 0 ? 0 : HX_EXIT_USAGE;
    case OPT_WAIVERS:
        return hx_config_set(&cfg->waivers, value) == 0 ? 0 : HX_EXIT_USAGE;
    case OPT_BASELINE:
        return hx_config_set(&cfg->baseline, value) == 0 ? 0 : HX_EXIT_USAGE;
    case OPT_REPORT_DIR:
        return hx_config_set(&cfg->report_dir, value) == 0 ? 0 : HX_EXIT_USAGE;
    case OPT_BUNDLE:
        return hx_config_set(&cfg->bundle, value) == 0 ? 0 : HX_EXIT_USAGE;
    case OPT_SIGNING_KEY:
        return hx_config_set(&cfg->signing_key, value) == 0 ? 0 : HX_EXIT_USAGE;
    case OPT_TOKEN_KEY:
        return hx_config_set(&cfg->token_key_file, value) == 0 ? 0 : HX_EXIT_USAGE;
    case OPT_CALLBACK_ADDRESS: {
        struct hx_key_server_addr a;
        struct hx_error err;
        if (hx_key_server_addr_parse(value, &a, &err) != 0) {
            fprintf(stderr, "authconform: %s: %s\n", from, err.text);
            return HX_EXIT_USAGE;
        }
        return hx_config_set(&cfg->callback_address, value) == 0 ? 0 : HX_EXIT_USAGE;
    }
    case OPT_JOBS:
        if (cmn_parse_long(value, 1, 256, &n) != 0) {
            fprintf(stderr, "authconform: %s: expected an integer from 1 to 256, got '%s'\n", from,
                    value);
            return HX_EXIT_USAGE;
        }
        cfg->jobs = n;
        return 0;
    case OPT_TIMEOUT:
        if (cmn_parse_duration(value, 1, 3600, &n) != 0) {
            fprintf(stderr, "authconform: %s: expected seconds from 1 to 3600, got '%s'\n", from,
                    value);
            return HX_EXIT_USAGE;
        }
        cfg->timeout_s = n;
        return 0;
    case OPT_CACERT:
        if (access(value, R_OK) != 0) {
            fprintf(stderr, "authconform: %s: cannot read %s\n", from, value);
            return HX_EXIT_USAGE;
        }
        return hx_config_set(&cfg->cacert, value) == 0 ? 0 : HX_EXIT_USAGE;
    case OPT_INSECURE:
        cfg->insecure = b;
        return 0;
    case OPT_SAFE:
        cfg->safe = b;
        return 0;
    case 'v':
        cfg->verbose = b;
        return 0;
    case OPT_ALLOW_HTTP:
        cfg->allow_http = b;
        return 0;
    case OPT_SEED: {
        char *end;
        unsigned long long s = strtoull(value, &end, 0);
        if (*value == '\0' || *end != '\0' || *value == '-') {
            fprintf(stderr, "authconform: %s: expected a non-negative integer, got '%s'\n", from,
                    value);
            return HX_EXIT_USAGE;
        }
        cfg->has_seed = true;
        cfg->seed = s;
        return 0;
    }
    case OPT_FAIL_ON:
        if (hx_severity_parse(value, &cfg->fail_on) != 0) {
            fprintf(stderr,
                    "authconform: %s: expected warning, info, low, medium, high or critical, got "
                    "'%s'\n",
                    from, value);
            return HX_EXIT_USAGE;
        }
        return 0;
    case OPT_RETRY:
        if (cmn_parse_long(value, 0, 10, &n) != 0) {
            fprintf(stderr, "authconform: %s: expected an integer from 0 to 10, got '%s'\n", from,
                    value);
            return HX_EXIT_USAGE;
        }
        cfg->retry = n;
        return 0;
    case OPT_PACE: {
        char why[160];
        if (hx_pace_parse(value, &cfg->pace_slots, &cfg->pace_window, why, sizeof why) != 0) {
            fprintf(stderr, "authconform: %s: %s\n", from, why);
            return HX_EXIT_USAGE;
        }
        return 0;
    }
    case OPT_SHARD: {
        struct hx_shard sh;
        char why[160];
        if (hx_shard_parse(value, &sh, why, sizeof why) != 0) {
            fprintf(stderr, "authconform: %s: %s\n", from, why);
            return HX_EXIT_USAGE;
        }
        cfg->shard_index = sh.index;
        cfg->shard_count = sh.count;
        return 0;
    }
    case OPT_SHARD_DURATIONS:
        if (access(value, R_OK) != 0) {
            fprintf(stderr, "authconform: %s: cannot read %s\n", from, value);
            return HX_EXIT_USAGE;
        }
        return hx_config_set(&cfg->shard_durations, value) == 0 ? 0 : HX_EXIT_USAGE;
    }
    return HX_EXIT_USAGE;
}

static void
run_clear_list(char ***l, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free((*l)[i]);
    free(*l);
    *l = NULL;
    *n = 0;
}

static int
run_parse_run(int argc, char **argv, struct hx_config *cfg, bool *help, bool *version)
{
    /* every option of the table (its end row included), --help and --version */
    struct option longopts[sizeof run_opts / sizeof run_opts[0] + 2];
    size_t k = 0;
    int c, rc;
    bool flag_scen = false, flag_filter = false, flag_secret = false;

    for (const struct run_opt *o = run_opts; o->flag; o++, k++) {
        longopts[k].name = o->flag;
        longopts[k].has_arg = run_is_flag_only(o->id) ? no_argument : required_argument;
        longopts[k].flag = NULL;
        longopts[k].val = o->id;
    }
    longopts[k++] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[k++] = (struct option){"version", no_argument, NULL, 'V'};
    longopts[k] = (struct option){NULL, 0, NULL, 0};

    /* the environment first; flags override it */
    for (const struct run_opt *o = run_opts; o->flag; o++) {
        const char *v = cmn_env_get(o->env);
        if (v != NULL && (rc = run_apply(cfg, o->id, v, o->env, true)) != 0)
            return rc;
    }
    if (cmn_env_get("AUTHCONFORM_SECRET_FILE") && cmn_env_get("AUTHCONFORM_SECRET_ENV")) {
        fprintf(stderr, "authconform: AUTHCONFORM_SECRET_FILE and AUTHCONFORM_SECRET_ENV: give "
                        "one of them\n");
        return HX_EXIT_USAGE;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "hVv", longopts, NULL)) != -1) {
        char from[64];
        if (c == 'h') {
            *help = true;
            return 0;
        }
        if (c == 'V') {
            *version = true;
            return 0;
        }
        if (c == '?')
            return HX_EXIT_USAGE;
        for (const struct run_opt *o = run_opts; o->flag; o++)
            if (o->id == c)
                snprintf(from, sizeof from, "--%s", o->flag);
        /* a list flag given on the command line replaces the environment's list */
        if (c == OPT_SCENARIOS && !flag_scen) {
            run_clear_list(&cfg->scenarios, &cfg->n_scenarios);
            flag_scen = true;
        }
        if (c == OPT_FILTER && !flag_filter) {
            run_clear_list(&cfg->filters, &cfg->n_filters);
            flag_filter = true;
        }
        if (c == OPT_SECRET_FILE || c == OPT_SECRET_ENV) {
            if (flag_secret) {
                fprintf(stderr, "authconform: --secret-file and --secret-env: give one of them\n");
                return HX_EXIT_USAGE;
            }
            flag_secret = true;
        }
        if ((rc = run_apply(cfg, c, optarg ? optarg : "1", from, false)) != 0)
            return rc;
    }
    if (optind < argc) {
        fprintf(stderr, "authconform run: unexpected argument '%s'\n", argv[optind]);
        return HX_EXIT_USAGE;
    }
    if (cfg->shard_durations != NULL && cfg->shard_count == 0) {
        fprintf(stderr, "authconform: --shard-durations needs --shard I/N\n");
        return HX_EXIT_USAGE;
    }
    if (cfg->insecure && cfg->cacert) {
        fprintf(stderr, "authconform: --cacert and --insecure: give one of them\n");
        return HX_EXIT_USAGE;
    }
    if (cfg->signing_key && !cfg->bundle) {
        fprintf(stderr, "authconform: --signing-key signs a bundle: give --bundle DIR too\n");
        return HX_EXIT_USAGE;
    }
    return 0;
}

/* Loads the profile and the scenarios the configuration names. */
static int
run_load(const struct hx_config *cfg, const char *datadir, struct hx_profile **profile,
         struct hx_scenario_set *set)
{
    char def[PATH_MAX], dir[PATH_MAX];
    struct hx_errlist errs;
    int rc = 0;

    hx_errlist_init(&errs);
    snprintf(def, sizeof def, "%s/fixtures/profiles/quickstart.json", datadir);
    if (hx_profile_load(cfg->profile ? cfg->profile : def, def, profile, &errs) != 0) {
        hx_errlist_print(&errs, stderr);
        hx_errlist_cleanup(&errs);
        return HX_EXIT_USAGE;
    }
    if (cfg->n_scenarios == 0) {
        snprintf(dir, sizeof dir, "%s/scenarios", datadir);
        rc = hx_scenario_set_load(set, dir, &errs);
    }
    for (size_t i = 0; i < cfg->n_scenarios; i++) {
        int r = hx_scenario_set_load(set, cfg->scenarios[i], &errs);
        if (r != 0 && rc == 0)
            rc = r;
    }
    if (rc == 0)
        rc = hx_scenario_set_finish(set, &errs);
    if (rc != 0 || errs.n > 0) {
        hx_errlist_print(&errs, stderr);
        hx_errlist_cleanup(&errs);
        return HX_EXIT_USAGE;
    }
    hx_errlist_cleanup(&errs);
    return 0;
}

/* The scenario's file as reports show it: relative to the data folder. */
static void
run_relative_files(struct hx_scenario_set *set, const char *datadir)
{
    char rel[PATH_MAX];

    for (size_t i = 0; i < set->n; i++) {
        struct hx_scenario *s = set->items[i];
        char *copy;
        if (hx_datadir_relative(datadir, s->file, rel, sizeof rel) == 0 &&
            strcmp(rel, s->file) != 0 && (copy = strdup(rel)) != NULL) {
            free(s->file);
            s->file = copy;
        }
    }
}

/* A run-level note, and a line on stderr at the start, for each value the
 * profile declares against the contract: the run judges the contract's. */
static int
run_note_deviations(const struct hx_profile *profile, struct hx_result *result)
{
    size_t i;
    json_t *d;

    json_array_foreach(profile->deviations, i, d)
    {
        char *declared = json_dumps(json_object_get(d, "declared"), JSON_ENCODE_ANY | JSON_COMPACT);
        char *contract = json_dumps(json_object_get(d, "contract"), JSON_ENCODE_ANY | JSON_COMPACT);
        int rc = declared == NULL || contract == NULL
                     ? HX_E_NOMEM
                     : hx_result_add_note(
                           result,
                           "the profile declares %s = %.200s where the quickstart says %.200s: "
                           "the checks judge the quickstart's value, and a target that answers "
                           "the declared one fails them (a deviation from the contract)",
                           json_string_value(json_object_get(d, "key")), declared, contract);
        if (rc == 0)
            fprintf(stderr, "authconform: note: %s\n", result->notes[result->n_notes - 1]);
        free(declared);
        free(contract);
        if (rc != 0)
            return rc;
    }
    /* how the profile was read, and what of the contract it says the target lacks */
    json_array_foreach(profile->notes, i, d)
    {
        if (hx_result_add_note(result, "%s", json_string_value(d)) != 0)
            return HX_E_NOMEM;
        fprintf(stderr, "authconform: note: %s\n", result->notes[result->n_notes - 1]);
    }
    return 0;
}

/* --bundle: the key first, so that a bad key file stops the run before it
 * starts (exit 2, naming the file and what is wrong). */
static int
run_bundle_start(const struct hx_config *cfg, struct hx_bundle *b)
{
    struct hx_error err = {0};

    if (hx_bundle_init(b, cfg->bundle) != 0 || hx_bundle_set_key(b, cfg->signing_key, &err) != 0) {
        fprintf(stderr, "authconform: --signing-key: %s\n",
                err.text[0] ? err.text : "out of memory");
        return HX_EXIT_USAGE;
    }
    return 0;
}

static int
run_bundle_inputs(struct hx_bundle *b, const char *datadir, const struct hx_profile *profile,
                  struct hx_scenario *const *chosen, size_t n)
{
    struct hx_error err = {0};

    if (hx_bundle_note_inputs(b, datadir, profile->file, chosen, n, &err) != 0) {
        fprintf(stderr, "authconform: --bundle: %s\n", err.text[0] ? err.text : "out of memory");
        return HX_EXIT_USAGE;
    }
    return 0;
}

static int
run_bundle_write(struct hx_bundle *b, const struct hx_result *result, int exit_code)
{
    struct hx_error err = {0};

    if (hx_bundle_write(b, result, exit_code, stderr, &err) != 0) {
        fprintf(stderr, "bundle: not written: %s\n", err.text[0] ? err.text : "out of memory");
        return HX_EXIT_USAGE;
    }
    return 0;
}

/* What the gate reads besides the run: the waivers and the baseline,
 * loaded before anything runs so that a bad file costs no run. */
struct run_gate {
    struct hx_waiver *waivers;
    size_t n_waivers;
    struct hx_report_doc baseline;
    bool has_baseline;
};

static int
run_gate_load(const struct hx_config *cfg, struct run_gate *g)
{
    struct hx_error err = {0};

    if (cfg->waivers != NULL &&
        hx_waivers_load(cfg->waivers, &g->waivers, &g->n_waivers, &err) != 0) {
        fprintf(stderr, "authconform: --waivers: %s\n", err.text);
        return HX_EXIT_USAGE;
    }
    if (cfg->baseline != NULL) {
        g->has_baseline = true;
        if (hx_report_doc_read(cfg->baseline, &g->baseline, &err) != 0) {
            fprintf(stderr, "authconform: --baseline: %s\n", err.text);
            return HX_EXIT_USAGE;
        }
    }
    return 0;
}

static void
run_gate_cleanup(struct run_gate *g)
{
    hx_waivers_free(g->waivers, g->n_waivers);
    if (g->has_baseline)
        hx_report_doc_cleanup(&g->baseline);
    memset(g, 0, sizeof *g);
}

/* The console's per-case hook, with the waivers applied first so that the
 * line shows a waived case as such. */
struct run_case_hook {
    struct hx_console *con;
    struct hx_result *result;
};

static void
run_case_done(void *ud, const struct hx_case *c, size_t running, size_t done, size_t total)
{
    struct run_case_hook *h = ud;

    for (size_t i = 0; i < h->result->n_cases; i++)
        if (h->result->cases[i] == c)
            hx_waivers_waive_case(h->result, h->result->cases[i]);
    hx_console_case_done(h->con, c, running, done, total);
}

static void
run_progress(void *ud, size_t running, size_t done, size_t total)
{
    hx_console_progress(((struct run_case_hook *)ud)->con, running, done, total);
}

/* After the run: every waiver's state, the baseline's marks, and a note
 * for each waiver that fails the gate. */
static int
run_gate_settle(struct run_gate *g, struct hx_result *result)
{
    int rc = hx_waivers_settle(result);

    for (size_t i = 0; rc == 0 && i < result->n_waivers; i++) {
        const struct hx_waiver *w = &result->waivers[i];
        if (w->state == HX_WAIVER_EXPIRED)
            rc = hx_result_add_note(result,
                                    "waiver %zu (%s) expired on %s: it waives nothing and fails "
                                    "the gate; renew it with a reason or remove it",
                                    i, w->check, w->expires);
        else if (w->state == HX_WAIVER_UNUSED)
            rc = hx_result_add_note(result,
                                    "waiver %zu (%s) matched no check of this run: it fails the "
                                    "gate until it is removed",
                                    i, w->check);
    }
    if (rc == 0 && g->has_baseline)
        rc = hx_baseline_apply(result, &g->baseline);
    return rc;
}

int
hx__cli_run(int argc, char **argv)
{
    struct run_gate gate;
    struct run_case_hook case_hook;
    struct hx_config cfg;
    struct hx_profile *profile = NULL;
    struct hx_scenario_set set = {0};
    struct hx_scenario **chosen = NULL;
    struct hx_spawn sp;
    struct hx_run *run = NULL;
    struct hx_result *result = NULL;
    struct hx_console con;
    struct hx_runner_hooks hooks;
    struct hx_report_options ropt = {0};
    struct hx_bundle bundle = {0};
    struct hx_signing_key *token_key = NULL;
    char datadir[PATH_MAX - 64], shard_note[512];
    bool help = false, version = false, spawned = false;
    size_t n_chosen = 0;
    int rc, exit_code = HX_EXIT_USAGE;
    double t0;
    struct sigaction sa;

    memset(&sp, 0, sizeof sp);
    memset(&gate, 0, sizeof gate);
    sp.authref_pid = -1;
    hx_config_init(&cfg);
    rc = run_parse_run(argc, argv, &cfg, &help, &version);
    if (rc != 0 || help || version) {
        if (help)
            run_run_usage(stdout);
        else if (version)
            hx__cli_version(stdout);
        else
            fprintf(stderr, "Try 'authconform run --help'.\n");
        hx_config_cleanup(&cfg);
        return rc != 0 ? HX_EXIT_USAGE : 0;
    }
    if (cfg.bundle != NULL && run_bundle_start(&cfg, &bundle) != 0)
        goto out;
    if (cfg.token_key_file != NULL) {
        struct hx_error kerr = {0};
        if (hx_signing_key_load_token_key(cfg.token_key_file, &token_key, &kerr) != 0) {
            fprintf(stderr, "authconform: --token-key: %s\n",
                    kerr.text[0] ? kerr.text : "out of memory");
            goto out;
        }
        cfg.token_key = token_key;
    }
    if (hx_datadir_find(datadir, sizeof datadir) != 0) {
        fprintf(stderr, "authconform: cannot find the data folder (set AUTHCONFORM_DATA_DIR)\n");
        goto out;
    }
    if (run_load(&cfg, datadir, &profile, &set) != 0)
        goto out;
    chosen = calloc(set.n + 1, sizeof *chosen);
    if (chosen == NULL)
        goto out;
    for (size_t i = 0; i < set.n; i++)
        if (hx_scenario_matches(set.items[i], cfg.filters, cfg.n_filters))
            chosen[n_chosen++] = set.items[i];
    if (n_chosen == 0) {
        fprintf(stderr, "authconform: no scenario matches the filters\n");
        goto out;
    }
    if (hx__cli_shard_select(&cfg, chosen, &n_chosen, shard_note, sizeof shard_note) != 0)
        goto out;
    /* the bundle hashes the files as loaded, before reports rename them */
    if (cfg.bundle != NULL && run_bundle_inputs(&bundle, datadir, profile, chosen, n_chosen) != 0)
        goto out;
    run_relative_files(&set, datadir);
    if (run_gate_load(&cfg, &gate) != 0)
        goto out;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = run_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (cfg.target == NULL) {
        struct hx_error err = {0};
        fprintf(stderr, "authconform: no --target: starting a throwaway PostgreSQL and authref\n");
        if (hx_spawn_start(&sp, datadir, &run_stop, &err) != 0) {
            fprintf(stderr, "authconform: %s\n", err.text);
            exit_code = run_stop ? 130 : HX_EXIT_USAGE;
            goto out;
        }
        spawned = true;
        fprintf(stderr,
                "authconform: authref %s at %s (PostgreSQL %.1f s, authref %.1f s to ready)\n",
                sp.authref_path, sp.target, sp.pg_seconds, sp.authref_seconds);
        hx_config_set(&cfg.target, sp.target);
        /* its certificate is signed by the CA made for this run, and only by it */
        if (!cfg.insecure)
            hx_config_set(&cfg.cacert, sp.tls.ca);
        cfg.http_port = sp.http_port;
        if (cfg.secret == NULL) {
            hx_config_set(&cfg.secret, sp.secret);
            hx_config_set(&cfg.secret_from, "the embedded authref");
        }
        if (cfg.database_url == NULL)
            hx_config_set(&cfg.database_url, sp.database_url);
        cfg.embedded = true;
    }

    if (hx_run_new(&cfg, profile, &run_stop, &run) != 0)
        goto out;
    result = hx_result_new(cfg.target, profile->name, hx_run_id(run));
    if (result == NULL || run_note_deviations(profile, result) != 0 ||
        (shard_note[0] != '\0' && hx_result_add_note(result, "%s", shard_note) != 0))
        goto out;
    /* the result owns the waivers from here; they expire by the run's day */
    result->waivers = gate.waivers;
    result->n_waivers = gate.n_waivers;
    gate.waivers = NULL;
    gate.n_waivers = 0;
    {
        char today[11];
        hx_waivers_day(result->started, today);
        hx_waivers_expire(result->waivers, result->n_waivers, today);
    }
    if (shard_note[0] != '\0')
        fprintf(stderr, "authconform: %s\n", shard_note);
    hx_console_init(&con, stdout, cfg.verbose);
    case_hook.con = &con;
    case_hook.result = result;
    hooks.ud = &case_hook;
    hooks.case_done = run_case_done;
    hooks.progress = run_progress;
    printf("authconform %s: %zu scenarios against %s (profile %s, run %s)\n", CMN_VERSION, n_chosen,
           cfg.target, profile->name, hx_run_id(run));
    fflush(stdout);
    t0 = cmn_clock_now_s();
    rc = hx_run_execute(run, chosen, n_chosen, result, &hooks);
    result->seconds = cmn_clock_now_s() - t0;
    if (rc != 0 && rc != HX_E_UNREACHABLE) {
        fprintf(stderr, "authconform: the run failed: %s\n", hx_strerror(rc));
        exit_code = HX_EXIT_USAGE;
        goto out;
    }
    if (run_gate_settle(&gate, result) != 0) {
        fprintf(stderr, "authconform: out of memory\n");
        exit_code = HX_EXIT_USAGE;
        goto out;
    }
    hx_console_summary(&con, result);

    /* the verdict does not depend on the reports being written */
    if (rc == HX_E_UNREACHABLE) {
        fprintf(stderr, "authconform: %s\n",
                result->n_cases && result->cases[0]->message ? result->cases[0]->message
                                                             : "target unreachable");
        exit_code = HX_EXIT_UNREACHABLE;
    } else {
        exit_code = hx_result_exit_code(result, cfg.fail_on);
    }
    if (run_stop)
        exit_code = 130;
    ropt.dir = cfg.report_dir ? cfg.report_dir : "reports";
    ropt.junit = cfg.junit;
    ropt.sarif = cfg.sarif;
    if (cfg.bundle != NULL) {
        ropt.on_written = hx_bundle_report_written;
        ropt.on_written_ud = &bundle;
    }
    hx_report_write_all(result, &ropt, stderr);
    if (cfg.bundle != NULL && run_bundle_write(&bundle, result, exit_code) != 0 && exit_code != 130)
        exit_code = HX_EXIT_USAGE;

out:
    if (spawned)
        hx_spawn_stop(&sp);
    hx_result_free(result);
    hx_run_free(run);
    free(chosen);
    hx_scenario_set_cleanup(&set);
    run_gate_cleanup(&gate);
    hx_profile_free(profile);
    hx_bundle_cleanup(&bundle);
    hx_signing_key_free(token_key);
    hx_config_cleanup(&cfg);
    return exit_code;
}
