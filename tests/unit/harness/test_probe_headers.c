#include <string.h>

#include "hx/probes/cors.h"
#include "hx/probes/csp.h"
#include "hx/probes/error_leaks.h"
#include "hx/header_values.h"
#include "hx/probes/tls.h"
#include "hx/probes/www_authenticate.h"
#include "hx/probes/token_cookie.h"
#include "unit.h"

static void
test_csp_accepts_strict_policy_and_refuses_permissive_ones(void)
{
    const char *strict[] = {"default-src 'none'; frame-ancestors 'none'"};
    const char *inl[] = {"default-src 'self' 'unsafe-inline'"};
    const char *star[] = {"default-src *"};
    const char *script_eval[] = {"default-src 'self'; script-src 'self' 'unsafe-eval'"};
    const char *no_default[] = {"frame-ancestors 'none'"};
    const char *two[] = {"frame-ancestors 'none'", "default-src 'self'"};
    char why[200];

    CU_ASSERT_TRUE(hx_csp_ok(strict, 1, why, sizeof(why)));
    CU_ASSERT_FALSE(hx_csp_ok(inl, 1, why, sizeof(why)));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "unsafe-inline"));
    CU_ASSERT_FALSE(hx_csp_ok(star, 1, why, sizeof(why)));
    CU_ASSERT_FALSE(hx_csp_ok(script_eval, 1, why, sizeof(why)));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "script-src"));
    CU_ASSERT_FALSE(hx_csp_ok(no_default, 1, why, sizeof(why)));
    CU_ASSERT_TRUE(hx_csp_ok(two, 2, why, sizeof(why)));
    CU_ASSERT_FALSE(hx_csp_ok(NULL, 0, why, sizeof(why)));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "no Content-Security-Policy"));
}

static void
test_cookie_parse_reads_attributes_in_any_case(void)
{
    struct hx_cookie c;
    CU_ASSERT_EQUAL(hx_cookie_parse("access_token=abc.def; HttpOnly; samesite=Lax; Path=/; "
                                    "Max-Age=604800; secure",
                                    &c),
                    0);
    CU_ASSERT_STRING_EQUAL(c.name, "access_token");
    CU_ASSERT_TRUE(c.http_only);
    CU_ASSERT_TRUE(c.secure);
    CU_ASSERT_STRING_EQUAL(c.same_site, "Lax");
    CU_ASSERT_EQUAL(c.max_age, 604800);
    CU_ASSERT_FALSE(c.value_empty);
    CU_ASSERT_EQUAL(hx_cookie_parse("access_token=; Max-Age=0", &c), 0);
    CU_ASSERT_TRUE(c.value_empty);
    CU_ASSERT_NOT_EQUAL(hx_cookie_parse("novalue; HttpOnly", &c), 0);
}

static void
test_cookie_ok_requires_httponly_samesite_and_secure_on_https(void)
{
    struct hx_cookie c;
    char why[200];

    hx_cookie_parse("access_token=x; HttpOnly; SameSite=Lax; Path=/", &c);
    CU_ASSERT_TRUE(hx_cookie_ok(&c, false, why, sizeof(why)));
    CU_ASSERT_FALSE(hx_cookie_ok(&c, true, why, sizeof(why)));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "Secure"));
    hx_cookie_parse("access_token=x; SameSite=Strict; Secure", &c);
    CU_ASSERT_FALSE(hx_cookie_ok(&c, true, why, sizeof(why)));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "HttpOnly"));
    hx_cookie_parse("access_token=x; HttpOnly", &c);
    CU_ASSERT_FALSE(hx_cookie_ok(&c, false, why, sizeof(why)));
    hx_cookie_parse("access_token=x; HttpOnly; SameSite=None", &c);
    CU_ASSERT_FALSE(hx_cookie_ok(&c, false, why, sizeof(why)));
}

static void
test_cors_refuses_echo_star_null_and_star_with_credentials(void)
{
    char why[200];
    CU_ASSERT_TRUE(hx_cors_ok("https://evil.example", false, NULL, NULL, why, sizeof(why)));
    CU_ASSERT_FALSE(hx_cors_ok("https://evil.example", false, "https://evil.example", "true", why,
                               sizeof(why)));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "echoed"));
    CU_ASSERT_FALSE(hx_cors_ok("https://evil.example", false, "*", NULL, why, sizeof(why)));
    CU_ASSERT_FALSE(hx_cors_ok("null", false, "null", NULL, why, sizeof(why)));
    CU_ASSERT_TRUE(hx_cors_ok("https://evil.example", false, "http://localhost:3000", "true", why,
                              sizeof(why)));
    CU_ASSERT_TRUE(hx_cors_ok("http://localhost:3000", true, "http://localhost:3000", "true", why,
                              sizeof(why)));
    CU_ASSERT_FALSE(hx_cors_ok("http://localhost:3000", true, NULL, NULL, why, sizeof(why)));
    CU_ASSERT_FALSE(hx_cors_ok("http://localhost:3000", true, "*", "true", why, sizeof(why)));
}

static void
test_hsts_banner_and_retry_after_judgements(void)
{
    char why[200];
    CU_ASSERT_TRUE(hx_hsts_ok("max-age=31536000; includeSubDomains", 86400, why, sizeof(why)));
    CU_ASSERT_FALSE(hx_hsts_ok("max-age=60", 86400, why, sizeof(why)));
    CU_ASSERT_FALSE(hx_hsts_ok("includeSubDomains", 86400, why, sizeof(why)));
    CU_ASSERT_FALSE(hx_hsts_ok(NULL, 86400, why, sizeof(why)));
    CU_ASSERT_TRUE(hx_banner_found("Server", "nginx/1.25.3"));
    CU_ASSERT_TRUE(hx_banner_found("Server", "uvicorn 0.29"));
    CU_ASSERT_FALSE(hx_banner_found("Server", "nginx"));
    CU_ASSERT_TRUE(hx_banner_found("X-Powered-By", "Express"));
    CU_ASSERT_TRUE(hx_redirect_to_https(308, "https://api.example/health"));
    CU_ASSERT_TRUE(hx_redirect_to_https(301, "HTTPS://api.example/"));
    CU_ASSERT_FALSE(hx_redirect_to_https(302, "http://api.example/"));
    CU_ASSERT_FALSE(hx_redirect_to_https(200, "https://api.example/"));
    CU_ASSERT_FALSE(hx_redirect_to_https(301, NULL));
    CU_ASSERT_TRUE(hx_retry_after_ok("60"));
    CU_ASSERT_TRUE(hx_retry_after_ok("Wed, 21 Oct 2015 07:28:00 GMT"));
    CU_ASSERT_FALSE(hx_retry_after_ok("soon"));
    CU_ASSERT_FALSE(hx_retry_after_ok(NULL));
}

/* The wait a 429 asks for, whichever header says it. */
static double
wait_of(const char *name, const char *value, time_t now)
{
    struct hx_header h = {(char *)name, (char *)value};
    struct hx_response r;
    memset(&r, 0, sizeof r);
    r.status = 429;
    r.headers = &h;
    r.n_headers = 1;
    return hx_retry_wait(&r, now, -1);
}

static void
test_retry_wait_reads_every_rate_limit_header(void)
{
    CU_ASSERT_DOUBLE_EQUAL(wait_of("Retry-After", "7", 0), 7, 1e-9);
    /* an HTTP-date: from now; in the past: at once */
    CU_ASSERT_DOUBLE_EQUAL(wait_of("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT", 1445412470),
                           10, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(wait_of("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT", 1445412490),
                           0, 1e-9);
    /* Better Auth's limiter */
    CU_ASSERT_DOUBLE_EQUAL(wait_of("X-Retry-After", "9", 0), 9, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(wait_of("RateLimit-Reset", "30", 0), 30, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(wait_of("RateLimit", "limit=10, remaining=0, reset=12", 0), 12, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(wait_of("RateLimit", "\"default\";r=0;t=5", 0), 5, 1e-9);
    /* nothing usable: the default */
    CU_ASSERT_DOUBLE_EQUAL(wait_of("Retry-After", "soon", 0), -1, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(wait_of("X-Retry-After", "-3", 0), -1, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(wait_of("Content-Type", "text/plain", 0), -1, 1e-9);
}

static void
test_www_authenticate_needs_a_challenge(void)
{
    char why[160];

    CU_ASSERT_TRUE(hx_www_authenticate_ok("Bearer", why, sizeof why));
    CU_ASSERT_TRUE(hx_www_authenticate_ok("Bearer realm=\"api\", error=\"invalid_token\"", why,
                                          sizeof why));
    CU_ASSERT_TRUE(hx_www_authenticate_ok(", Basic realm=\"x\"", why, sizeof why));
    CU_ASSERT_TRUE(hx_www_authenticate_ok("Newauth", why, sizeof why));
    CU_ASSERT_FALSE(hx_www_authenticate_ok(NULL, why, sizeof why));
    CU_ASSERT_STRING_EQUAL(why, "no WWW-Authenticate header");
    CU_ASSERT_FALSE(hx_www_authenticate_ok("", why, sizeof why));
    CU_ASSERT_FALSE(hx_www_authenticate_ok("realm=\"api\"", why, sizeof why));
    CU_ASSERT_FALSE(hx_www_authenticate_ok("\"Bearer\"", why, sizeof why));
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_csp_accepts_strict_policy_and_refuses_permissive_ones),
        TU_TEST(test_cookie_parse_reads_attributes_in_any_case),
        TU_TEST(test_cookie_ok_requires_httponly_samesite_and_secure_on_https),
        TU_TEST(test_cors_refuses_echo_star_null_and_star_with_credentials),
        TU_TEST(test_hsts_banner_and_retry_after_judgements),
        TU_TEST(test_retry_wait_reads_every_rate_limit_header),
        TU_TEST(test_www_authenticate_needs_a_challenge),
        {NULL, NULL},
    };
    return tu_run_suite("probe_headers", tests);
}
