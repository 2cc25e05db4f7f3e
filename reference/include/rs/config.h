#ifndef RS_CONFIG_H
#define RS_CONFIG_H
/*
 * authref's configuration: environment first (BETTER_AUTH_SECRET,
 * DATABASE_URL, CORS_ORIGINS, FRONTEND_URL), command-line flags override.
 * Parsed once in main before any thread starts; read-only afterwards.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cmn/log.h"

#define RS_SECRET_MIN 32
#define RS_MAX_ORIGINS 32

struct rs_rate {
    long limit;    /* attempts allowed ... */
    long window_s; /* ... in any window of this many seconds */
};

struct rs_config {
    char *secret; /* new; never logged */
    size_t secret_len;
    char *database_url;
    char *listen;    /* address to bind, default 127.0.0.1 */
    long port;       /* 0 = any free port */
    char *port_file; /* NULL or where to write the bound port */
    char *origins[RS_MAX_ORIGINS];
    size_t n_origins;
    int bcrypt_cost;
    bool insecure_bcrypt_cost; /* cost below 12 was asked for explicitly */
    long token_lifetime_s;
    long clock_skew_s;
    struct rs_rate rate_ip;
    struct rs_rate rate_account;
    bool trust_proxy;
    char *tls_cert; /* paths, both or neither */
    char *tls_key;
    long http_redirect_port; /* -1: no redirect listener */
    bool cookie_secure;
    long max_body;
    long workers;
    long hash_workers;
    long hash_queue;
    long db_pool;
    enum cmn_log_level log_level;
#ifdef AUTHREF_DEFECTS
    char *defect; /* --defect NAME, NULL when none */
#endif
};

enum rs_config_result {
    RS_CONFIG_RUN = 0,  /* start the server */
    RS_CONFIG_EXIT = 1, /* --help or --version was printed: exit 0 */
    RS_CONFIG_ERROR = 2 /* a message went to err: exit 2 */
};

/* Fills cfg (which it initialises) from the environment and argv. Messages
 * for the user go to out (help) and err (errors, naming the variable or
 * flag). On RS_CONFIG_ERROR cfg is cleaned up already. */
enum rs_config_result rs_config_load(struct rs_config *cfg, int argc, char **argv, FILE *out,
                                     FILE *err);

void rs_config_cleanup(struct rs_config *cfg);

/* Returns 0 when (s, n) is acceptable as the signing secret, else
 * RS_E_INVAL with the reason in why (why_size bytes). */
int rs_config_check_secret(const char *s, size_t n, char *why, size_t why_size);

/* Parses "N/WINDOW" such as "20/60s". */
int rs_config_parse_rate(const char *s, struct rs_rate *out);

/* Prints the usage text. */
void rs_config_usage(FILE *out);

#endif
