/* rs_config: environment and flags, and the refusals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs/config.h"
#include "rs/error.h"
#include "unit.h"

#define GOOD_SECRET "Zq3LwX9vR2mT7kP4nB8cY1dF6gH0jS5a"

static enum rs_config_result
load(struct rs_config *cfg, const char *const *args, char *err, size_t err_size)
{
    const char *argv[40] = {"authref"};
    int argc = 1;
    FILE *out = fopen("/dev/null", "w");
    FILE *e = fmemopen(err, err_size, "w");
    enum rs_config_result rc;

    for (; args != NULL && *args != NULL; args++)
        argv[argc++] = *args;
    argv[argc] = NULL;
    memset(err, 0, err_size);
    rc = rs_config_load(cfg, argc, (char **)argv, out, e);
    fclose(e);
    fclose(out);
    return rc;
}

static void
setup_env(const char *secret)
{
    if (secret)
        setenv("BETTER_AUTH_SECRET", secret, 1);
    else
        unsetenv("BETTER_AUTH_SECRET");
    setenv("DATABASE_URL", "postgresql://u@127.0.0.1:1/db", 1);
    unsetenv("CORS_ORIGINS");
    unsetenv("FRONTEND_URL");
}

static void
test_config_defaults_follow_the_contract(void)
{
    struct rs_config cfg;
    char err[512];

    setup_env(GOOD_SECRET);
    CU_ASSERT_FATAL(load(&cfg, NULL, err, sizeof err) == RS_CONFIG_RUN);
    CU_ASSERT_STRING_EQUAL(cfg.listen, "127.0.0.1");
    CU_ASSERT(cfg.port == 8000);
    CU_ASSERT(cfg.bcrypt_cost == 12);
    CU_ASSERT(!cfg.insecure_bcrypt_cost);
    CU_ASSERT(cfg.token_lifetime_s == 7 * 86400);
    CU_ASSERT(cfg.clock_skew_s == 60);
    CU_ASSERT(cfg.rate_ip.limit == 20 && cfg.rate_ip.window_s == 60);
    CU_ASSERT(cfg.rate_account.limit == 5 && cfg.rate_account.window_s == 60);
    CU_ASSERT(cfg.max_body == 65536);
    CU_ASSERT(cfg.http_redirect_port == -1);
    CU_ASSERT(!cfg.trust_proxy && !cfg.cookie_secure);
    CU_ASSERT(cfg.n_origins == 0);
    CU_ASSERT_STRING_EQUAL(cfg.database_url, "postgresql://u@127.0.0.1:1/db");
    rs_config_cleanup(&cfg);
}

static void
test_config_flags_override_the_environment(void)
{
    struct rs_config cfg;
    char err[512];
    const char *args[] = {"--database-url",
                          "postgresql://x@127.0.0.1:2/y",
                          "--port",
                          "0",
                          "--insecure-bcrypt-cost",
                          "4",
                          "--token-lifetime",
                          "12h",
                          "--rate-limit-ip",
                          "7/30s",
                          "--cors-origins",
                          "http://a.example, https://b.example/",
                          NULL};

    setup_env(GOOD_SECRET);
    setenv("CORS_ORIGINS", "http://ignored.example", 1);
    setenv("FRONTEND_URL", "http://front.example", 1);
    CU_ASSERT_FATAL(load(&cfg, args, err, sizeof err) == RS_CONFIG_RUN);
    CU_ASSERT_STRING_EQUAL(cfg.database_url, "postgresql://x@127.0.0.1:2/y");
    CU_ASSERT(cfg.port == 0);
    CU_ASSERT(cfg.bcrypt_cost == 4 && cfg.insecure_bcrypt_cost);
    CU_ASSERT(cfg.token_lifetime_s == 12 * 3600);
    CU_ASSERT(cfg.rate_ip.limit == 7 && cfg.rate_ip.window_s == 30);
    CU_ASSERT_FATAL(cfg.n_origins == 3);
    CU_ASSERT_STRING_EQUAL(cfg.origins[0], "http://a.example");
    CU_ASSERT_STRING_EQUAL(cfg.origins[1], "https://b.example");
    CU_ASSERT_STRING_EQUAL(cfg.origins[2], "http://front.example");
    rs_config_cleanup(&cfg);
}

static void
test_config_refuses_weak_secrets_naming_the_variable(void)
{
    static const char *const weak[] = {
        NULL,
        "",
        "short",
        "your-secret-key-min-32-chars-change-in-production",
        "abababababababababababababababababab",
        "my-example-secret-for-the-docs-0123",
    };
    struct rs_config cfg;
    char err[512];

    for (size_t i = 0; i < sizeof weak / sizeof *weak; i++) {
        setup_env(weak[i]);
        CU_ASSERT(load(&cfg, NULL, err, sizeof err) == RS_CONFIG_ERROR);
        CU_ASSERT(strstr(err, "BETTER_AUTH_SECRET") != NULL);
        CU_ASSERT(strstr(err, "openssl rand -base64 48") != NULL);
    }
}

static void
test_config_check_secret_accepts_random_text(void)
{
    char why[160];
    CU_ASSERT(rs_config_check_secret(GOOD_SECRET, strlen(GOOD_SECRET), why, sizeof why) == 0);
    CU_ASSERT(rs_config_check_secret(GOOD_SECRET, 31, why, sizeof why) == RS_E_INVAL);
}

static void
test_config_parse_rate_reads_n_per_window(void)
{
    struct rs_rate r;
    CU_ASSERT(rs_config_parse_rate("20/60s", &r) == 0 && r.limit == 20 && r.window_s == 60);
    CU_ASSERT(rs_config_parse_rate("5/1m", &r) == 0 && r.limit == 5 && r.window_s == 60);
    CU_ASSERT(rs_config_parse_rate("100/1h", &r) == 0 && r.window_s == 3600);
    CU_ASSERT(rs_config_parse_rate("0/60s", &r) == RS_E_INVAL);
    CU_ASSERT(rs_config_parse_rate("5/0s", &r) == RS_E_INVAL);
    CU_ASSERT(rs_config_parse_rate("5/2d", &r) == RS_E_INVAL);
    CU_ASSERT(rs_config_parse_rate("5", &r) == RS_E_INVAL);
    CU_ASSERT(rs_config_parse_rate("/60s", &r) == RS_E_INVAL);
}

static void
test_config_refuses_inconsistent_flags(void)
{
    static const char *const cases[][4] = {
        {"--tls-cert", "c.pem", NULL, NULL},
        {"--bcrypt-cost", "12", "--insecure-bcrypt-cost", "4"},
        {"--cors-origins", "example.com", NULL, NULL},
        {"--workers", "0", NULL, NULL},
        {"--max-body", "10", NULL, NULL},
        {"stray", NULL, NULL, NULL},
    };
    struct rs_config cfg;
    char err[512];

    setup_env(GOOD_SECRET);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CU_ASSERT(load(&cfg, cases[i], err, sizeof err) == RS_CONFIG_ERROR);
        CU_ASSERT(err[0] != '\0');
    }
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_config_defaults_follow_the_contract),
        TU_TEST(test_config_flags_override_the_environment),
        TU_TEST(test_config_refuses_weak_secrets_naming_the_variable),
        TU_TEST(test_config_check_secret_accepts_random_text),
        TU_TEST(test_config_parse_rate_reads_n_per_window),
        TU_TEST(test_config_refuses_inconsistent_flags),
        {NULL, NULL},
    };
    return tu_run_suite("config", tests);
}
