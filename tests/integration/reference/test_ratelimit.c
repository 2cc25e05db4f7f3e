/* Rate limits: per address and per account, sliding window, 429 with
 * Retry-After, exact under concurrency, shared by two authref processes. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "fixture.h"
#include "testdb.h"
#include "unit.h"

/* The database of this test program (set up in main). */
static char *db_url;

/* One signin attempt from address ip (X-Forwarded-For; the servers here
 * trust it) for email; returns the status, Retry-After in *retry. */
static long
attempt(const char *base, const char *ip, const char *email, long *retry)
{
    char url[200], xff[96], body[256], ra[32];
    const char *hs[] = {"Content-Type: application/json", xff, NULL};
    struct it_req q = {.method = "POST", .url = url, .headers = hs, .body = body};
    struct it_resp r;
    long st;

    snprintf(url, sizeof url, "%s/api/auth/signin", base);
    snprintf(xff, sizeof xff, "X-Forwarded-For: 198.51.100.77, %s", ip);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"wrong-password\"}", email);
    if (it_http(&q, &r) != 0)
        return -1;
    st = r.status;
    if (retry != NULL)
        *retry = it_header(&r, "Retry-After", ra, sizeof ra) ? atol(ra) : -1;
    if (st == 429) {
        const char *d = it_detail(&r);
        CU_ASSERT(d != NULL && strcmp(d, "Too many requests, retry later") == 0);
    }
    it_resp_cleanup(&r);
    return st;
}

static void
test_address_limit_gives_429_with_retry_after(void)
{
    struct it_server s;
    const char *extra[] = {"--trust-proxy", "--rate-limit-ip", "5/60s", NULL};
    long retry = 0;

    CU_ASSERT_FATAL(it_server_start(&s, db_url, extra) == 0);
    for (int i = 0; i < 5; i++)
        CU_ASSERT(attempt(s.base, "203.0.113.1", "ip-limit@example.com", NULL) == 401);
    CU_ASSERT(attempt(s.base, "203.0.113.1", "other@example.com", &retry) == 429);
    CU_ASSERT(retry >= 1 && retry <= 60);
    /* Another address is not affected. */
    CU_ASSERT(attempt(s.base, "203.0.113.2", "ip-limit@example.com", NULL) == 401);
    it_server_stop(&s);
}

static void
test_account_limit_counts_attempts_per_email(void)
{
    struct it_server s;
    const char *extra[] = {"--trust-proxy", "--rate-limit-account", "3/60s", NULL};
    char ip[32];
    long retry = 0;

    CU_ASSERT_FATAL(it_server_start(&s, db_url, extra) == 0);
    for (int i = 0; i < 3; i++) {
        snprintf(ip, sizeof ip, "203.0.113.%d", 10 + i);
        CU_ASSERT(attempt(s.base, ip, "Victim@Example.com", NULL) == 401);
    }
    /* From a fresh address, in another case: still the same account. */
    CU_ASSERT(attempt(s.base, "203.0.113.50", "victim@example.com", &retry) == 429);
    CU_ASSERT(retry >= 1 && retry <= 60);
    CU_ASSERT(attempt(s.base, "203.0.113.51", "someone-else@example.com", NULL) == 401);
    it_server_stop(&s);
}

static void
test_forwarded_for_is_ignored_unless_trusted(void)
{
    struct it_server s;
    const char *extra[] = {"--rate-limit-ip", "3/60s", NULL};
    char ip[32];
    int refused = 0;

    CU_ASSERT_FATAL(it_server_start(&s, db_url, extra) == 0);
    /* Each attempt claims another address: without --trust-proxy they all
     * count for 127.0.0.1. */
    for (int i = 0; i < 5; i++) {
        snprintf(ip, sizeof ip, "192.0.2.%d", i + 1);
        refused += attempt(s.base, ip, "xff@example.com", NULL) == 429;
    }
    CU_ASSERT(refused == 2);
    it_server_stop(&s);
}

static void
test_window_slides_and_frees_slots(void)
{
    struct it_server s;
    const char *extra[] = {"--trust-proxy", "--rate-limit-ip", "2/2s", NULL};

    CU_ASSERT_FATAL(it_server_start(&s, db_url, extra) == 0);
    CU_ASSERT(attempt(s.base, "203.0.113.80", "slide@example.com", NULL) == 401);
    CU_ASSERT(attempt(s.base, "203.0.113.80", "slide@example.com", NULL) == 401);
    CU_ASSERT(attempt(s.base, "203.0.113.80", "slide@example.com", NULL) == 429);
    sleep(3);
    CU_ASSERT(attempt(s.base, "203.0.113.80", "slide@example.com", NULL) == 401);
    it_server_stop(&s);
}

struct flood {
    const char *base;
    long status;
};

static void *
flood_one(void *p)
{
    struct flood *f = p;
    f->status = attempt(f->base, "203.0.113.90", "flood@example.com", NULL);
    return NULL;
}

static void
test_limit_is_exact_under_concurrent_attempts(void)
{
    enum { N = 24, LIMIT = 10 };
    struct it_server s;
    const char *extra[] = {"--trust-proxy", "--rate-limit-ip", "10/60s", "--workers", "8", NULL};
    pthread_t th[N];
    struct flood f[N];
    int passed = 0, limited = 0;

    CU_ASSERT_FATAL(it_server_start(&s, db_url, extra) == 0);
    for (int i = 0; i < N; i++) {
        f[i].base = s.base;
        pthread_create(&th[i], NULL, flood_one, &f[i]);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        passed += f[i].status == 401;
        limited += f[i].status == 429;
    }
    CU_ASSERT(passed == LIMIT);
    CU_ASSERT(limited == N - LIMIT);
    it_server_stop(&s);
}

/* Two authref processes on one database count the same attempts. */
static void
test_two_instances_share_one_limit(void)
{
    const char *extra[] = {"--trust-proxy",        "--rate-limit-ip", "6/60s",
                           "--rate-limit-account", "1000/60s",        NULL};
    struct it_proc a, b;
    int passed = 0;

    CU_ASSERT_FATAL(it_proc_start(&a, db_url, extra) == 0);
    CU_ASSERT_FATAL(it_proc_start(&b, db_url, extra) == 0);
    for (int i = 0; i < 6; i++)
        passed += attempt(i % 2 ? b.base : a.base, "203.0.113.120", "lb@example.com", NULL) == 401;
    CU_ASSERT(passed == 6);
    CU_ASSERT(attempt(a.base, "203.0.113.120", "lb@example.com", NULL) == 429);
    CU_ASSERT(attempt(b.base, "203.0.113.120", "lb@example.com", NULL) == 429);
    /* And a token issued by one verifies on the other. */
    {
        char email[96], id[40], url[200];
        char *token = NULL;
        struct it_resp r;
        CU_ASSERT_FATAL(it_signup(a.base, it_email(email, sizeof email, "lb"), "password123",
                                  &token, id) == 201);
        snprintf(url, sizeof url, "%s/api/users/%s/tasks", b.base, id);
        CU_ASSERT(it_get(url, token, &r) == 0 && r.status == 200);
        it_resp_cleanup(&r);
        free(token);
    }
    CU_ASSERT(it_proc_stop(&a) == 0);
    CU_ASSERT(it_proc_stop(&b) == 0);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_address_limit_gives_429_with_retry_after),
        TU_TEST(test_account_limit_counts_attempts_per_email),
        TU_TEST(test_forwarded_for_is_ignored_unless_trusted),
        TU_TEST(test_window_slides_and_frees_slots),
        TU_TEST(test_limit_is_exact_under_concurrent_attempts),
        TU_TEST(test_two_instances_share_one_limit),
        {NULL, NULL},
    };
    int rc;

    if (tu_testdb_create("ratelimit", &db_url) != 0)
        return 2;
    rc = tu_run_suite("ratelimit", tests);
    tu_testdb_drop(db_url);
    free(db_url);
    return rc;
}
