#include "rs/config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmn/env.h"
#include "cmn/error.h"
#include "rs/defect.h"
#include "rs/error.h"
#include "rs/version.h"

/* Fragments that mark a sample or placeholder secret (compared ignoring case). */
static const char *const config_placeholders[] = {
    "your-secret-key", "change-in-production", "changeme",    "change-me",  "change_me",
    "replace-me",      "replace_me",           "placeholder", "example",    "your-256-bit-secret",
    "supersecret",     "secret-key-min",       "xxxxxxxx",    "0123456789", "abcdefgh",
};

void
rs_config_usage(FILE *out)
{
    fprintf(out,
            "usage: authref [OPTION]...\n"
            "\n"
            "The reference implementation of the auth contract: signup, signin,\n"
            "Bearer-JWT protected access and per-user task isolation, on PostgreSQL.\n"
            "\n"
            "Environment (flags override):\n"
            "  BETTER_AUTH_SECRET      signing secret, required: at least 32 characters,\n"
            "                          random (openssl rand -base64 48)\n"
            "  DATABASE_URL            libpq connection URL, required\n"
            "  CORS_ORIGINS            comma-separated origins allowed by CORS\n"
            "  FRONTEND_URL            one more allowed origin\n"
            "\n"
            "Options:\n"
            "  --secret-file FILE      read the secret from FILE instead of BETTER_AUTH_SECRET\n"
            "  --database-url URL      instead of DATABASE_URL\n"
            "  --listen ADDR           address to bind (default 127.0.0.1)\n"
            "  --port N                port (default 8000; 0 = any free port)\n"
            "  --port-file FILE        once listening, write the bound port to FILE\n"
            "  --cors-origins A,B      instead of CORS_ORIGINS\n"
            "  --bcrypt-cost N         bcrypt cost, 12..31 (default 12)\n"
            "  --insecure-bcrypt-cost N  cost 4..31 for tests only (logs a warning)\n"
            "  --token-lifetime DUR    token lifetime, e.g. 7d, 12h, 900s (default 7d)\n"
            "  --clock-skew SECONDS    tolerance on exp and iat (default 60)\n"
            "  --rate-limit-ip N/WIN   auth attempts per client address (default 20/60s)\n"
            "  --rate-limit-account N/WIN  signin attempts per email (default 5/60s)\n"
            "  --trust-proxy           take the client address from X-Forwarded-For\n"
            "  --tls-cert FILE         PEM certificate: serve HTTPS, TLS 1.3 only\n"
            "  --tls-key FILE          PEM private key of --tls-cert\n"
            "  --http-redirect-port N  plain HTTP listener that redirects to HTTPS\n"
            "  --cookie-secure         mark cookies Secure without TLS (behind a TLS proxy)\n"
            "  --max-body BYTES        largest request body (default 65536)\n"
            "  --workers N             HTTP threads (default: 4 per CPU, at most 64)\n"
            "  --hash-workers N        bcrypt threads (default: number of CPUs)\n"
            "  --hash-queue N          bcrypt jobs allowed to wait (default 64; full: 503)\n"
            "  --db-pool N             PostgreSQL connections (default: workers + 2)\n"
            "  --log-level LEVEL       error, warn, info or debug (default info)\n"
#ifdef AUTHREF_DEFECTS
            "  --defect NAME[,NAME]    test builds: plant defects (--defect list)\n"
#endif
            "  --help                  this text\n"
            "  --version               version and library versions\n"
            "\n"
            "Exit status: 0 after SIGINT/SIGTERM, 2 usage or configuration error,\n"
            "1 runtime failure.\n");
}

int
rs_config_check_secret(const char *s, size_t n, char *why, size_t why_size)
{
    bool seen[256] = {false};
    unsigned distinct = 0;

    if (n < RS_SECRET_MIN) {
        snprintf(why, why_size, "it has %zu characters, at least %d are required", n,
                 RS_SECRET_MIN);
        return RS_E_INVAL;
    }
    for (size_t i = 0; i < sizeof config_placeholders / sizeof *config_placeholders; i++) {
        const char *frag = config_placeholders[i];
        size_t fl = strlen(frag);
        for (size_t j = 0; j + fl <= n; j++) {
            if (strncasecmp(s + j, frag, fl) == 0) {
                snprintf(why, why_size, "it is a sample or placeholder value (contains \"%s\")",
                         frag);
                return RS_E_INVAL;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!seen[c]) {
            seen[c] = true;
            distinct++;
        }
    }
    if (distinct < 10) {
        snprintf(why, why_size, "it uses only %u distinct characters: not random", distinct);
        return RS_E_INVAL;
    }
    return 0;
}

int
rs_config_parse_rate(const char *s, struct rs_rate *out)
{
    const char *slash = strchr(s, '/');
    char num[24];
    long limit, window;

    if (slash == NULL || (size_t)(slash - s) >= sizeof num || slash == s)
        return RS_E_INVAL;
    memcpy(num, s, (size_t)(slash - s));
    num[slash - s] = '\0';
    if (cmn_parse_long(num, 1, 1000000, &limit) != 0)
        return RS_E_INVAL;
    if (cmn_parse_duration(slash + 1, 1, 86400, &window) != 0)
        return RS_E_INVAL;
    out->limit = limit;
    out->window_s = window;
    return 0;
}

static int
config_set_str(char **dst, const char *v)
{
    char *c = strdup(v);
    if (c == NULL)
        return RS_E_NOMEM;
    free(*dst);
    *dst = c;
    return 0;
}

/* Adds one origin, normalised (no trailing slash). */
static int
config_add_origin(struct rs_config *cfg, const char *p, size_t n, FILE *err, const char *from)
{
    char *o;

    while (n > 0 && isspace((unsigned char)*p)) {
        p++;
        n--;
    }
    while (n > 0 && (isspace((unsigned char)p[n - 1]) || p[n - 1] == '/'))
        n--;
    if (n == 0)
        return 0;
    if (n == 1 && *p == '*') {
        fprintf(err, "authref: %s: \"*\" is not allowed: list the trusted origins\n", from);
        return RS_E_INVAL;
    }
    if (!((n > 7 && strncmp(p, "http://", 7) == 0) || (n > 8 && strncmp(p, "https://", 8) == 0)) ||
        memchr(p + 8, '/', n - 8) != NULL) {
        fprintf(err, "authref: %s: \"%.*s\" is not an origin (scheme://host[:port])\n", from,
                (int)(n > 200 ? 200 : n), p);
        return RS_E_INVAL;
    }
    for (size_t i = 0; i < cfg->n_origins; i++)
        if (strlen(cfg->origins[i]) == n && strncasecmp(cfg->origins[i], p, n) == 0)
            return 0;
    if (cfg->n_origins == RS_MAX_ORIGINS) {
        fprintf(err, "authref: %s: more than %d origins\n", from, RS_MAX_ORIGINS);
        return RS_E_INVAL;
    }
    o = strndup(p, n);
    if (o == NULL)
        return RS_E_NOMEM;
    cfg->origins[cfg->n_origins++] = o;
    return 0;
}

static int
config_add_origins(struct rs_config *cfg, const char *list, FILE *err, const char *from)
{
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        int rc = config_add_origin(cfg, p, n, err, from);
        if (rc != 0)
            return rc;
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

static void
config_defaults(struct rs_config *cfg)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    memset(cfg, 0, sizeof *cfg);
    if (cpus < 1)
        cpus = 1;
    cfg->port = 8000;
    cfg->bcrypt_cost = 12;
    cfg->token_lifetime_s = 7L * 86400;
    cfg->clock_skew_s = 60;
    cfg->rate_ip = (struct rs_rate){20, 60};
    cfg->rate_account = (struct rs_rate){5, 60};
    cfg->http_redirect_port = -1;
    cfg->max_body = 65536;
    /* HTTP threads wait on PostgreSQL round trips: a few per core keep the
     * cores busy (measured: 2 cores, 2 threads 4.0k, 8 threads 6.6k req/s). */
    cfg->workers = cpus * 4 > 64 ? 64 : cpus * 4;
    cfg->hash_workers = cpus;
    cfg->hash_queue = 64;
    cfg->db_pool = 0; /* workers + 2, once workers is known */
    cfg->log_level = CMN_LOG_INFO;
}

enum {
    OPT_SECRET_FILE = 256,
    OPT_DATABASE_URL,
    OPT_LISTEN,
    OPT_PORT,
    OPT_PORT_FILE,
    OPT_CORS,
    OPT_BCRYPT,
    OPT_INSECURE_BCRYPT,
    OPT_LIFETIME,
    OPT_SKEW,
    OPT_RATE_IP,
    OPT_RATE_ACCOUNT,
    OPT_TRUST_PROXY,
    OPT_TLS_CERT,
    OPT_TLS_KEY,
    OPT_REDIRECT,
    OPT_COOKIE_SECURE,
    OPT_MAX_BODY,
    OPT_WORKERS,
    OPT_HASH_WORKERS,
    OPT_HASH_QUEUE,
    OPT_DB_POOL,
    OPT_LOG_LEVEL,
    OPT_DEFECT,
    OPT_HELP,
    OPT_VERSION,
};

/* Parses a number flag; prints the error naming the flag. */
static int
config_long(const char *flag, const char *v, long min, long max, long *out, FILE *err)
{
    int rc = cmn_parse_long(v, min, max, out);
    if (rc != 0)
        fprintf(err, "authref: --%s: \"%s\" is not a number in %ld..%ld\n", flag, v, min, max);
    return rc;
}

enum rs_config_result
rs_config_load(struct rs_config *cfg, int argc, char **argv, FILE *out, FILE *err)
{
    static const struct option options[] = {
        {"secret-file", required_argument, NULL, OPT_SECRET_FILE},
        {"database-url", required_argument, NULL, OPT_DATABASE_URL},
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"port", required_argument, NULL, OPT_PORT},
        {"port-file", required_argument, NULL, OPT_PORT_FILE},
        {"cors-origins", required_argument, NULL, OPT_CORS},
        {"bcrypt-cost", required_argument, NULL, OPT_BCRYPT},
        {"insecure-bcrypt-cost", required_argument, NULL, OPT_INSECURE_BCRYPT},
        {"token-lifetime", required_argument, NULL, OPT_LIFETIME},
        {"clock-skew", required_argument, NULL, OPT_SKEW},
        {"rate-limit-ip", required_argument, NULL, OPT_RATE_IP},
        {"rate-limit-account", required_argument, NULL, OPT_RATE_ACCOUNT},
        {"trust-proxy", no_argument, NULL, OPT_TRUST_PROXY},
        {"tls-cert", required_argument, NULL, OPT_TLS_CERT},
        {"tls-key", required_argument, NULL, OPT_TLS_KEY},
        {"http-redirect-port", required_argument, NULL, OPT_REDIRECT},
        {"cookie-secure", no_argument, NULL, OPT_COOKIE_SECURE},
        {"max-body", required_argument, NULL, OPT_MAX_BODY},
        {"workers", required_argument, NULL, OPT_WORKERS},
        {"hash-workers", required_argument, NULL, OPT_HASH_WORKERS},
        {"hash-queue", required_argument, NULL, OPT_HASH_QUEUE},
        {"db-pool", required_argument, NULL, OPT_DB_POOL},
        {"log-level", required_argument, NULL, OPT_LOG_LEVEL},
#ifdef AUTHREF_DEFECTS
        {"defect", required_argument, NULL, OPT_DEFECT},
#endif
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    const char *secret_file = NULL, *cors_flag = NULL, *v;
    const char *secret_from = "BETTER_AUTH_SECRET";
    char why[160];
    long n;
    int c, rc = 0;
    bool insecure_given = false, cost_given = false;

    config_defaults(cfg);
    optind = 0; /* glibc: 0 restarts the scan completely (tests parse many times) */
    opterr = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case OPT_SECRET_FILE:
            secret_file = optarg;
            break;
        case OPT_DATABASE_URL:
            rc = config_set_str(&cfg->database_url, optarg);
            break;
        case OPT_LISTEN:
            rc = config_set_str(&cfg->listen, optarg);
            break;
        case OPT_PORT:
            rc = config_long("port", optarg, 0, 65535, &cfg->port, err);
            break;
        case OPT_PORT_FILE:
            rc = config_set_str(&cfg->port_file, optarg);
            break;
        case OPT_CORS:
            cors_flag = optarg;
            break;
        case OPT_BCRYPT:
            rc = config_long("bcrypt-cost", optarg, 12, 31, &n, err);
            cfg->bcrypt_cost = (int)n;
            cost_given = true;
            break;
        case OPT_INSECURE_BCRYPT:
            rc = config_long("insecure-bcrypt-cost", optarg, 4, 31, &n, err);
            cfg->bcrypt_cost = (int)n;
            insecure_given = true;
            break;
        case OPT_LIFETIME:
            rc = cmn_parse_duration(optarg, 1, 365L * 86400, &cfg->token_lifetime_s);
            if (rc != 0)
                fprintf(err,
                        "authref: --token-lifetime: \"%s\" is not a duration between 1s "
                        "and 365d (e.g. 7d, 12h, 900s)\n",
                        optarg);
            break;
        case OPT_SKEW:
            rc = config_long("clock-skew", optarg, 0, 3600, &cfg->clock_skew_s, err);
            break;
        case OPT_RATE_IP:
        case OPT_RATE_ACCOUNT:
            rc =
                rs_config_parse_rate(optarg, c == OPT_RATE_IP ? &cfg->rate_ip : &cfg->rate_account);
            if (rc != 0)
                fprintf(err,
                        "authref: --%s: \"%s\" is not N/WINDOW (N 1..1000000, WINDOW 1s..1d, "
                        "e.g. 20/60s)\n",
                        c == OPT_RATE_IP ? "rate-limit-ip" : "rate-limit-account", optarg);
            break;
        case OPT_TRUST_PROXY:
            cfg->trust_proxy = true;
            break;
        case OPT_TLS_CERT:
            rc = config_set_str(&cfg->tls_cert, optarg);
            break;
        case OPT_TLS_KEY:
            rc = config_set_str(&cfg->tls_key, optarg);
            break;
        case OPT_REDIRECT:
            rc = config_long("http-redirect-port", optarg, 0, 65535, &cfg->http_redirect_port, err);
            break;
        case OPT_COOKIE_SECURE:
            cfg->cookie_secure = true;
            break;
        case OPT_MAX_BODY:
            rc = config_long("max-body", optarg, 1024, 16L << 20, &cfg->max_body, err);
            break;
        case OPT_WORKERS:
            rc = config_long("workers", optarg, 1, 256, &cfg->workers, err);
            break;
        case OPT_HASH_WORKERS:
            rc = config_long("hash-workers", optarg, 1, 256, &cfg->hash_workers, err);
            break;
        case OPT_HASH_QUEUE:
            rc = config_long("hash-queue", optarg, 1, 100000, &cfg->hash_queue, err);
            break;
        case OPT_DB_POOL:
            rc = config_long("db-pool", optarg, 1, 1000, &cfg->db_pool, err);
            break;
        case OPT_LOG_LEVEL:
            rc = cmn_log_level_parse(optarg, &cfg->log_level);
            if (rc != 0)
                fprintf(err, "authref: --log-level: \"%s\" is not error, warn, info or debug\n",
                        optarg);
            break;
#ifdef AUTHREF_DEFECTS
        case OPT_DEFECT:
            rc = config_set_str(&cfg->defect, optarg);
            break;
#endif
        case OPT_HELP:
            rs_config_usage(out);
            rs_config_cleanup(cfg);
            return RS_CONFIG_EXIT;
        case OPT_VERSION:
            rs_version_print(out);
            rs_config_cleanup(cfg);
            return RS_CONFIG_EXIT;
        default:
            if (optopt >= OPT_SECRET_FILE)
                fprintf(err, "authref: %s needs a value (see --help)\n", argv[optind - 1]);
            else
                fprintf(err, "authref: unknown option %s (see --help)\n", argv[optind - 1]);
            rc = RS_E_INVAL;
            break;
        }
    }
    if (rc == 0 && optind < argc) {
        fprintf(err, "authref: unexpected argument \"%s\" (see --help)\n", argv[optind]);
        rc = RS_E_INVAL;
    }
    if (rc != 0)
        goto fail;

#ifdef AUTHREF_DEFECTS
    if (cfg->defect != NULL && strcmp(cfg->defect, "list") == 0) {
        rs_defect_list(out);
        rs_config_cleanup(cfg);
        return RS_CONFIG_EXIT;
    }
#endif
    if (insecure_given && cost_given) {
        fprintf(err, "authref: --bcrypt-cost and --insecure-bcrypt-cost exclude each other\n");
        goto fail;
    }
    cfg->insecure_bcrypt_cost = insecure_given && cfg->bcrypt_cost < 12;

    /* The secret: --secret-file, else BETTER_AUTH_SECRET. */
    if (secret_file != NULL) {
        secret_from = "--secret-file";
        if (cmn_read_file_trimmed(secret_file, 4096, &cfg->secret) != 0) {
            fprintf(err, "authref: --secret-file: cannot read %s\n", secret_file);
            goto fail;
        }
    } else if ((v = cmn_env_get("BETTER_AUTH_SECRET")) != NULL) {
        cfg->secret = strdup(v);
        if (cfg->secret == NULL)
            goto fail;
    }
    if (cfg->secret == NULL) {
        fprintf(err,
                "authref: BETTER_AUTH_SECRET is not set. Set it (or pass --secret-file) to a "
                "random secret of at least %d characters; generate one with: "
                "openssl rand -base64 48\n",
                RS_SECRET_MIN);
        goto fail;
    }
    cfg->secret_len = strlen(cfg->secret);
    if (rs_config_check_secret(cfg->secret, cfg->secret_len, why, sizeof why) != 0) {
        fprintf(err,
                "authref: %s is refused: %s. Use a random secret of at least %d "
                "characters; generate one with: openssl rand -base64 48\n",
                secret_from, why, RS_SECRET_MIN);
        goto fail;
    }

    if (cfg->database_url == NULL) {
        v = cmn_env_get("DATABASE_URL");
        if (v == NULL) {
            fprintf(err, "authref: DATABASE_URL is not set (or pass --database-url URL), e.g. "
                         "postgresql://user@127.0.0.1:5432/authref\n");
            goto fail;
        }
        if (config_set_str(&cfg->database_url, v) != 0)
            goto fail;
    }
    if (cfg->listen == NULL && config_set_str(&cfg->listen, "127.0.0.1") != 0)
        goto fail;
    {
        unsigned char addr[sizeof(struct in6_addr)];
        if (inet_pton(AF_INET, cfg->listen, addr) != 1 &&
            inet_pton(AF_INET6, cfg->listen, addr) != 1) {
            fprintf(err,
                    "authref: --listen: \"%s\" is not an IPv4 or IPv6 address (e.g. "
                    "127.0.0.1, 0.0.0.0, ::1)\n",
                    cfg->listen);
            goto fail;
        }
    }

    if (cors_flag != NULL) {
        if (config_add_origins(cfg, cors_flag, err, "--cors-origins") != 0)
            goto fail;
    } else if ((v = cmn_env_get("CORS_ORIGINS")) != NULL) {
        if (config_add_origins(cfg, v, err, "CORS_ORIGINS") != 0)
            goto fail;
    }
    if ((v = cmn_env_get("FRONTEND_URL")) != NULL &&
        config_add_origin(cfg, v, strlen(v), err, "FRONTEND_URL") != 0)
        goto fail;

    if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
        fprintf(err, "authref: --tls-cert and --tls-key go together\n");
        goto fail;
    }
    if (cfg->http_redirect_port >= 0 && cfg->tls_cert == NULL) {
        fprintf(err, "authref: --http-redirect-port needs --tls-cert and --tls-key\n");
        goto fail;
    }
    if (cfg->db_pool == 0)
        cfg->db_pool = cfg->workers + 2;
    return RS_CONFIG_RUN;
fail:
    rs_config_cleanup(cfg);
    return RS_CONFIG_ERROR;
}

void
rs_config_cleanup(struct rs_config *cfg)
{
    if (cfg->secret != NULL)
        explicit_bzero(cfg->secret, cfg->secret_len ? cfg->secret_len : strlen(cfg->secret));
    free(cfg->secret);
    free(cfg->database_url);
    free(cfg->listen);
    free(cfg->port_file);
    for (size_t i = 0; i < cfg->n_origins; i++)
        free(cfg->origins[i]);
    free(cfg->tls_cert);
    free(cfg->tls_key);
#ifdef AUTHREF_DEFECTS
    free(cfg->defect);
#endif
    memset(cfg, 0, sizeof *cfg);
}
