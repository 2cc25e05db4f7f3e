#include <string.h>

#include "cmn/error.h"
#include "hx/probes/tally.h"
#include "hx/probes/cors.h"
#include "hx/probes/variants.h"
#include "unit.h"

static const char *const A = "11111111-2222-4333-8444-555555555555";
static const char *const B = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

static const struct hx_path_variant *
find(const struct hx_path_variant *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

static void
test_variants_paths_build_the_tricks(void)
{
    struct hx_path_variant v[32];
    size_t n = 0;
    const struct hx_path_variant *x;

    CU_ASSERT_EQUAL_FATAL(hx_variants_paths("/api/users/{user_id}/tasks", A, B, v, 32, &n), 0);
    CU_ASSERT(n >= 12);
    CU_ASSERT_STRING_EQUAL(find(v, n, "other-id")->path, "/api/users/"
                                                         "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
                                                         "/tasks");
    CU_ASSERT_STRING_EQUAL(find(v, n, "other-id-uppercase")->path,
                           "/api/users/AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE/tasks");
    CU_ASSERT_PTR_NULL(find(v, n, "other-id-lowercase")); /* already lower case */
    CU_ASSERT_STRING_EQUAL(find(v, n, "other-id-percent-encoded")->path,
                           "/api/users/%61aaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/tasks");
    CU_ASSERT_STRING_EQUAL(find(v, n, "trailing-slash")->path,
                           "/api/users/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/tasks/");
    x = find(v, n, "encoded-dot-dot-from-own");
    CU_ASSERT_STRING_EQUAL(x->path, "/api/users/11111111-2222-4333-8444-555555555555/%2e%2e/"
                                    "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/tasks");
    x = find(v, n, "own-path-other-id-in-query");
    CU_ASSERT_TRUE(x->own_path);
    CU_ASSERT_PTR_NOT_NULL(strstr(x->path, "?user_id=aaaaaaaa"));
    CU_ASSERT_EQUAL(hx_variants_paths("/api/tasks", A, B, v, 32, &n), CMN_E_INVAL);
    CU_ASSERT_EQUAL(hx_variants_paths("/api/users/{user_id}/tasks", A, B, v, 3, &n), CMN_E_TOOBIG);
}

static void
test_variants_origins_make_lookalikes_of_the_trusted_one(void)
{
    struct hx_origin_variant o[8];
    size_t n = hx_cors_origins("https://trusted.example", o, 8);
    bool suffix = false, prefix = false, null = false;

    for (size_t i = 0; i < n; i++) {
        suffix |= strcmp(o[i].origin, "https://trusted.example.evil.example") == 0;
        prefix |= strcmp(o[i].origin, "https://eviltrusted.example") == 0;
        null |= strcmp(o[i].origin, "null") == 0;
        CU_ASSERT_STRING_NOT_EQUAL(o[i].origin, "https://trusted.example");
    }
    CU_ASSERT_TRUE(suffix && prefix && null);
    CU_ASSERT_EQUAL(hx_cors_origins(NULL, o, 8), 2);
}

static void
test_race_judge_wants_exactly_one_account(void)
{
    struct hx_race_tally t = {0};
    char why[200];

    hx_race_add(&t, 201, 201, 400);
    for (int i = 0; i < 7; i++)
        hx_race_add(&t, 400, 201, 400);
    CU_ASSERT_EQUAL(hx_race_judge(&t, 8, why, sizeof(why)), HX_TALLY_PASS);
    hx_race_add(&t, 201, 201, 400);
    CU_ASSERT_EQUAL(hx_race_judge(&t, 9, why, sizeof(why)), HX_TALLY_FAIL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "2 of 9"));
    memset(&t, 0, sizeof(t));
    hx_race_add(&t, 201, 201, 400);
    hx_race_add(&t, 500, 201, 400);
    CU_ASSERT_EQUAL(hx_race_judge(&t, 2, why, sizeof(why)), HX_TALLY_UNDECIDED);
    memset(&t, 0, sizeof(t));
    /* any refusal refuses the second account (the duplicate's status is
     * QS-SIGNUP-005's to judge) */
    hx_race_add(&t, 201, 201, 400);
    hx_race_add(&t, 409, 201, 400);
    CU_ASSERT_EQUAL(hx_race_judge(&t, 2, why, sizeof(why)), HX_TALLY_PASS);
    /* a target answering 200 and 422 (Better Auth): one account is a pass,
     * two are a fail */
    memset(&t, 0, sizeof(t));
    hx_race_add(&t, 200, 201, 400);
    for (int i = 0; i < 7; i++)
        hx_race_add(&t, 422, 201, 400);
    CU_ASSERT_EQUAL(hx_race_judge(&t, 8, why, sizeof(why)), HX_TALLY_PASS);
    hx_race_add(&t, 200, 201, 400);
    CU_ASSERT_EQUAL(hx_race_judge(&t, 9, why, sizeof(why)), HX_TALLY_FAIL);
    /* nothing accepted: the race never ran */
    memset(&t, 0, sizeof(t));
    for (int i = 0; i < 8; i++)
        hx_race_add(&t, 307, 201, 400);
    CU_ASSERT_EQUAL(hx_race_judge(&t, 8, why, sizeof(why)), HX_TALLY_UNDECIDED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "none of 8"));
    /* undecided for two reasons the probe reports apart: a server error
     * (an error) and 429s (a skip) */
    memset(&t, 0, sizeof(t));
    hx_race_add(&t, 201, 201, 400);
    hx_race_add(&t, 503, 201, 400);
    hx_race_add(&t, 429, 201, 400);
    CU_ASSERT_EQUAL(hx_race_judge(&t, 3, why, sizeof(why)), HX_TALLY_UNDECIDED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "server error"));
    memset(&t, 0, sizeof(t));
    hx_race_add(&t, 201, 201, 400);
    hx_race_add(&t, 429, 201, 400);
    CU_ASSERT_EQUAL(hx_race_judge(&t, 2, why, sizeof(why)), HX_TALLY_UNDECIDED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "could not decide"));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "rate limited"));
}

static void
test_burst_counts_every_attempt_let_through_in_any_order(void)
{
    struct hx_burst b = {0};
    char why[200];

    /* four in flight: five got through, the sixth met 429, and one more
     * that was already in flight got through after it */
    for (int i = 0; i < 5; i++)
        CU_ASSERT_FALSE(hx_burst_add(&b, 401, NULL, false));
    CU_ASSERT_TRUE(hx_burst_add(&b, 429, "60", false));
    CU_ASSERT_EQUAL(b.limited_at, 6);
    CU_ASSERT_FALSE(hx_burst_add(&b, 401, NULL, false));
    CU_ASSERT_TRUE(hx_burst_add(&b, 429, NULL, false));
    CU_ASSERT_EQUAL(b.through, 6);
    CU_ASSERT_EQUAL(b.limited, 2);
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 10, why, sizeof(why)), HX_TALLY_PASS);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "attempt 7"));
    /* the straggler counts: 6 let through is one too many for a bound of 6 */
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 6, why, sizeof(why)), HX_TALLY_FAIL);
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 7, why, sizeof(why)), HX_TALLY_PASS);
    /* the Retry-After of the first 429 is the one reported; it is a MAY */
    memset(&b, 0, sizeof(b));
    hx_burst_add(&b, 429, NULL, false);
    hx_burst_add(&b, 429, "60", false);
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 10, why, sizeof(why)), HX_TALLY_PASS);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "no Retry-After (RFC 6585"));
}

static void
test_burst_counts_no_answer_as_neither_through_nor_limited(void)
{
    struct hx_burst b = {0};
    char why[300];

    /* budget 5: six sent, one cut: five let through is not more than the
     * budget, so no limit seen decides nothing */
    for (int i = 0; i < 5; i++)
        CU_ASSERT_FALSE(hx_burst_add(&b, 401, NULL, false));
    CU_ASSERT_FALSE(hx_burst_add(&b, 0, NULL, false));
    CU_ASSERT_EQUAL(b.dropped, 1);
    CU_ASSERT_EQUAL(b.through, 5);
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 5, why, sizeof(why)), HX_TALLY_UNDECIDED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "1 got no answer"));
    /* one more let through decides: six through a budget of five */
    CU_ASSERT_FALSE(hx_burst_add(&b, 401, NULL, false));
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 5, why, sizeof(why)), HX_TALLY_FAIL);
    /* a 429 after a cut still decides */
    memset(&b, 0, sizeof(b));
    CU_ASSERT_FALSE(hx_burst_add(&b, 0, NULL, false));
    CU_ASSERT_TRUE(hx_burst_add(&b, 429, "10", false));
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 5, why, sizeof(why)), HX_TALLY_PASS);
    /* more than HX_BURST_DROPS_MAX cuts stop the burst undecided */
    memset(&b, 0, sizeof(b));
    for (int i = 0; i < HX_BURST_DROPS_MAX; i++)
        CU_ASSERT_FALSE(hx_burst_add(&b, 0, NULL, false));
    CU_ASSERT_TRUE(hx_burst_add(&b, 0, NULL, false));
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 5, why, sizeof(why)), HX_TALLY_UNDECIDED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "got no answer"));
}

static void
test_burst_stops_at_first_429_or_lockout_within_the_budget(void)
{
    struct hx_burst b = {0};
    char why[200];

    for (int i = 0; i < 5; i++)
        CU_ASSERT_FALSE(hx_burst_add(&b, 401, NULL, false));
    CU_ASSERT_TRUE(hx_burst_add(&b, 429, "30", false));
    CU_ASSERT_EQUAL(b.limited_at, 6);
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 10, why, sizeof(why)), HX_TALLY_PASS);
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 5, why, sizeof(why)), HX_TALLY_FAIL);
    memset(&b, 0, sizeof(b));
    hx_burst_add(&b, 429, NULL, false);
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 10, why, sizeof(why)), HX_TALLY_PASS);
    /* a lockout the profile describes (a 423, a 401 with its message)
     * limits like a 429: ten failures, the eleventh locked */
    memset(&b, 0, sizeof(b));
    for (int i = 0; i < 10; i++)
        CU_ASSERT_FALSE(hx_burst_add(&b, 401, NULL, false));
    CU_ASSERT_TRUE(hx_burst_add(&b, 401, NULL, true));
    CU_ASSERT_EQUAL(b.lockouts, 1);
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 100, why, sizeof(why)), HX_TALLY_PASS);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "lockout answer at attempt 11"));
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 10, why, sizeof(why)), HX_TALLY_FAIL);
    /* no limit: ten let through is within a budget of ten (undecided), the
     * eleventh is one too many */
    memset(&b, 0, sizeof(b));
    for (int i = 0; i < 10; i++)
        hx_burst_add(&b, 401, NULL, false);
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 10, why, sizeof(why)), HX_TALLY_UNDECIDED);
    hx_burst_add(&b, 401, NULL, false);
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 10, why, sizeof(why)), HX_TALLY_FAIL);
    memset(&b, 0, sizeof(b));
    CU_ASSERT_TRUE(hx_burst_add(&b, 503, NULL, false));
    CU_ASSERT_EQUAL(hx_burst_judge(&b, 10, why, sizeof(why)), HX_TALLY_UNDECIDED);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_variants_paths_build_the_tricks),
        TU_TEST(test_variants_origins_make_lookalikes_of_the_trusted_one),
        TU_TEST(test_race_judge_wants_exactly_one_account),
        TU_TEST(test_burst_counts_no_answer_as_neither_through_nor_limited),
        TU_TEST(test_burst_stops_at_first_429_or_lockout_within_the_budget),
        TU_TEST(test_burst_counts_every_attempt_let_through_in_any_order),
        {NULL, NULL},
    };
    return tu_run_suite("probe_variants", tests);
}
