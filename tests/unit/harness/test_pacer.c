/* Pacing of requests to rate-limited routes: the pace's slots, its window,
 * and the hold a 429 puts on a route. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hx/pacer.h"
#include "unit.h"

static void
test_pace_parse_reads_slots_and_window_and_names_what_is_wrong(void)
{
    unsigned n = 0;
    double w = 0;
    char why[160];

    CU_ASSERT_EQUAL(hx_pace_parse("3/10s", &n, &w, why, sizeof why), 0);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_DOUBLE_EQUAL(w, 10.0, 1e-9);
    CU_ASSERT_EQUAL(hx_pace_parse("100/1m", &n, &w, why, sizeof why), 0);
    CU_ASSERT_EQUAL(n, 100);
    CU_ASSERT_DOUBLE_EQUAL(w, 60.0, 1e-9);
    CU_ASSERT_EQUAL(hx_pace_parse("5/1h", &n, &w, why, sizeof why), 0);
    CU_ASSERT_DOUBLE_EQUAL(w, 3600.0, 1e-9);
    CU_ASSERT_EQUAL(hx_pace_parse("2/0.5", &n, &w, why, sizeof why), 0);
    CU_ASSERT_DOUBLE_EQUAL(w, 0.5, 1e-9);

    static const struct {
        const char *text, *says;
    } bad[] = {
        {"", "N/WINDOW"},       {"3", "N from 1 to 10000"},     {"0/10s", "N from 1 to 10000"},
        {"3/", "not a number"}, {"3/10x", "unit is s, m or h"}, {"3/0s", "0.1 s to 1 day"},
        {"3/2000m", "1 day"},   {"x/10s", "N from 1 to 10000"}, {"3/nan", "not a number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        why[0] = '\0';
        CU_ASSERT_EQUAL(hx_pace_parse(bad[i].text, &n, &w, why, sizeof why), -1);
        if (strstr(why, bad[i].says) == NULL)
            fprintf(stderr, "pace \"%s\": \"%s\" lacks \"%s\"\n", bad[i].text, why, bad[i].says);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, bad[i].says));
    }
}

static void
test_pacer_lets_slots_through_per_window_and_says_how_long_to_wait(void)
{
    struct hx_pacer p;
    const char *k = "https://a.example/api/auth/sign-in/email";

    CU_ASSERT_EQUAL_FATAL(hx_pacer_init(&p, 3, 10.0), 0);
    CU_ASSERT_EQUAL(hx_pacer_try(&p, k, 1, 100.0), 0);
    CU_ASSERT_EQUAL(hx_pacer_try(&p, k, 1, 101.0), 0);
    CU_ASSERT_EQUAL(hx_pacer_try(&p, k, 1, 102.0), 0);
    /* the fourth waits a window after the last of the three (and a little) */
    CU_ASSERT_DOUBLE_EQUAL(hx_pacer_try(&p, k, 1, 103.0), 9.05, 1e-9);
    /* asking again counts nothing */
    CU_ASSERT_DOUBLE_EQUAL(hx_pacer_try(&p, k, 1, 105.0), 7.05, 1e-9);
    /* a window after the first is not enough: the last one counts */
    CU_ASSERT_DOUBLE_EQUAL(hx_pacer_try(&p, k, 1, 110.5), 1.55, 1e-9);
    CU_ASSERT_EQUAL(hx_pacer_try(&p, k, 1, 112.1), 0);
    /* two together fit beside the one */
    CU_ASSERT_EQUAL(hx_pacer_try(&p, k, 2, 112.2), 0);
    CU_ASSERT_DOUBLE_EQUAL(hx_pacer_try(&p, k, 1, 113.0), 9.25, 1e-9);
    /* another route has a window of its own */
    CU_ASSERT_EQUAL(hx_pacer_try(&p, "https://a.example/api/auth/sign-up/email", 3, 112.0), 0);
    /* more than the slots at once: the slots */
    CU_ASSERT_EQUAL(hx_pacer_try(&p, "https://b.example/x", 9, 0.0), 0);
    CU_ASSERT_DOUBLE_EQUAL(hx_pacer_try(&p, "https://b.example/x", 1, 1.0), 9.05, 1e-9);
    /* n 0: not counted, only a hold applies */
    CU_ASSERT_EQUAL(hx_pacer_try(&p, "https://b.example/x", 0, 1.0), 0);
    hx_pacer_cleanup(&p);
}

static void
test_pacer_counts_the_pause_from_the_last_answer(void)
{
    struct hx_pacer p;
    const char *k = "https://a.example/api/auth/sign-up/email";

    CU_ASSERT_EQUAL_FATAL(hx_pacer_init(&p, 3, 10.0), 0);
    CU_ASSERT_EQUAL(hx_pacer_try(&p, k, 3, 0.0), 0);
    /* the target answered the last of them at 4 s (it read them late) */
    hx_pacer_done(&p, k, 4.0);
    CU_ASSERT_DOUBLE_EQUAL(hx_pacer_try(&p, k, 1, 10.5), 3.55, 1e-9);
    /* an earlier answer never moves it back */
    hx_pacer_done(&p, k, 2.0);
    CU_ASSERT_DOUBLE_EQUAL(hx_pacer_try(&p, k, 1, 10.5), 3.55, 1e-9);
    CU_ASSERT_EQUAL(hx_pacer_try(&p, k, 1, 14.1), 0);
    /* a route with no send of its own learns nothing from an answer */
    hx_pacer_done(&p, "https://a.example/other", 100.0);
    CU_ASSERT_EQUAL(hx_pacer_try(&p, "https://a.example/other", 1, 100.5), 0);
    hx_pacer_cleanup(&p);
}

static void
test_pacer_holds_a_route_after_a_429_with_or_without_a_pace(void)
{
    struct hx_pacer p;
    const char *k = "https://a.example/api/auth/token";

    CU_ASSERT_EQUAL_FATAL(hx_pacer_init(&p, 0, 0), 0);
    CU_ASSERT_EQUAL(hx_pacer_try(&p, k, 1, 50.0), 0);
    CU_ASSERT_EQUAL(hx_pacer_try(&p, k, 1, 50.1), 0); /* no pace: no limit */
    hx_pacer_limited(&p, k, 51.0, 8.0);
    CU_ASSERT_DOUBLE_EQUAL(hx_pacer_try(&p, k, 1, 52.0), 7.0, 1e-9);
    /* a shorter hold never shortens a longer one */
    hx_pacer_limited(&p, k, 52.0, 1.0);
    CU_ASSERT_DOUBLE_EQUAL(hx_pacer_try(&p, k, 0, 53.0), 6.0, 1e-9);
    CU_ASSERT_EQUAL(hx_pacer_try(&p, k, 1, 59.0), 0);
    /* another route is not held */
    CU_ASSERT_EQUAL(hx_pacer_try(&p, "https://a.example/api/auth/jwks", 1, 52.0), 0);
    hx_pacer_count_wait(&p, 2.5);
    hx_pacer_count_wait(&p, 0.5);
    CU_ASSERT_EQUAL(p.held, 2);
    CU_ASSERT_DOUBLE_EQUAL(p.waited, 3.0, 1e-9);
    hx_pacer_cleanup(&p);
}

static void
test_pacer_leaves_routes_beyond_its_table_unpaced(void)
{
    struct hx_pacer p;
    char key[64];

    CU_ASSERT_EQUAL_FATAL(hx_pacer_init(&p, 1, 60.0), 0);
    for (int i = 0; i < HX_PACER_ROUTES; i++) {
        snprintf(key, sizeof key, "https://a.example/r%d", i);
        CU_ASSERT_EQUAL(hx_pacer_try(&p, key, 1, 0.0), 0);
        CU_ASSERT(hx_pacer_try(&p, key, 1, 1.0) > 0);
    }
    CU_ASSERT_EQUAL(hx_pacer_try(&p, "https://a.example/one-more", 1, 1.0), 0);
    CU_ASSERT_EQUAL(hx_pacer_try(&p, "https://a.example/one-more", 1, 1.0), 0);
    hx_pacer_cleanup(&p);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_pace_parse_reads_slots_and_window_and_names_what_is_wrong),
        TU_TEST(test_pacer_lets_slots_through_per_window_and_says_how_long_to_wait),
        TU_TEST(test_pacer_counts_the_pause_from_the_last_answer),
        TU_TEST(test_pacer_holds_a_route_after_a_429_with_or_without_a_pace),
        TU_TEST(test_pacer_leaves_routes_beyond_its_table_unpaced),
        {NULL, NULL},
    };
    return tu_run_suite("pacer", tests);
}
