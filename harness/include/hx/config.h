#ifndef HX_CONFIG_H
#define HX_CONFIG_H
/*
 * The configuration of one `authconform run`: flags and environment
 * (AUTHCONFORM_*), flags winning. main.c fills it; everything else reads it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hx/result.h"

struct hx_signing_key;

#define HX_DEFAULT_JOBS 8
#define HX_DEFAULT_TIMEOUT_S 30
#define HX_BODY_MAX ((size_t)1 << 20)    /* response bodies are cut here */
#define HX_EVIDENCE_BODY_MAX (16 * 1024) /* bodies kept as evidence */

struct hx_config {
    char *target;      /* base URL without trailing '/'; NULL: the embedded default */
    char *auth_target; /* base URL of the auth routes when they live on another origin
                        * (--auth-target); NULL: the target's */
    char *profile;     /* profile file; NULL: the default profile */
    char **scenarios;  /* files or folders; none: <data dir>/scenarios */
    size_t n_scenarios;
    char **filters;
    size_t n_filters;
    char *secret;      /* the shared secret's value (--secret-file / --secret-env) */
    char *secret_from; /* where it came from, for messages */
    char *database_url;
    char *origin;
    char *repo;       /* a git checkout of the target to scan (variable repo); NULL: none */
    char *junit;      /* NULL: <report_dir>/junit.xml */
    char *sarif;      /* NULL: <report_dir>/report.sarif */
    char *waivers;    /* --waivers: a waivers file (hx/waivers.h), or NULL */
    char *baseline;   /* --baseline: an accepted run's report.json (hx/baseline.h), or NULL */
    char *report_dir; /* "reports" unless given */
    long jobs;
    long timeout_s;
    char *cacert;
    bool insecure;
    bool safe;
    bool has_seed;
    uint64_t seed;
    bool verbose;
    bool allow_http;
    enum hx_severity fail_on;
    long retry;
    /* --pace N/WINDOW: the signup and signin routes' rate limit, kept by the
     * harness (hx/pacer.h); 0 slots: none given (the profile's limits.pace
     * then, else only 429s hold a route) */
    unsigned pace_slots;
    double pace_window;
    bool embedded;  /* the target is the throwaway authref this run started */
    long http_port; /* the https target's plain-http twin (variable http_port); 0: unknown */
    unsigned shard_index, shard_count; /* --shard I/N; count 0: the whole selection */
    char *shard_durations;             /* --shard-durations: a report.json; NULL: by count */
    char *token_key_file; /* --token-key: the target's own token signing key (a file) */
    /* that key, loaded before the run (borrowed: the command that loaded it
     * frees it); NULL: none */
    const struct hx_signing_key *token_key;
    /* --callback-address HOST[:PORT]: where the key server of the key-URL
     * forgeries listens and how the tokens name it (hx/key_server.h);
     * NULL: 127.0.0.1 on a free port */
    char *callback_address;
    char *bundle;      /* --bundle: the evidence bundle's folder; NULL: none */
    char *signing_key; /* --signing-key: its Ed25519 private key; NULL: one made for the run */
};

void hx_config_init(struct hx_config *c);
void hx_config_cleanup(struct hx_config *c);
/* Appends a copy of s to a string list. */
int hx_config_add(char ***list, size_t *n, const char *s);
/* Replaces *field with a copy of s (NULL clears it). */
int hx_config_set(char **field, const char *s);

#endif
