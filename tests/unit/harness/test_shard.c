#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/error.h"
#include "hx/shard.h"
#include "unit.h"

#define N_ITEMS 23

/* Items with ids S-000 .. S-022 (owned by the test's static storage). */
static char item_ids[N_ITEMS][24];

static void
items_make(struct hx_shard_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(item_ids[i], sizeof item_ids[i], "S-%03zu", i);
        items[i] = (struct hx_shard_item){.id = item_ids[i], .file = "f.json"};
    }
}

static void
test_shard_parse_accepts_i_of_n(void)
{
    struct hx_shard s = {0};
    char why[160];

    CU_ASSERT_EQUAL(hx_shard_parse("2/3", &s, why, sizeof why), 0);
    CU_ASSERT_EQUAL(s.index, 2);
    CU_ASSERT_EQUAL(s.count, 3);
    CU_ASSERT_EQUAL(hx_shard_parse("1/1", &s, why, sizeof why), 0);
    CU_ASSERT_EQUAL(hx_shard_parse("64/64", &s, why, sizeof why), 0);
    CU_ASSERT_EQUAL(s.index, 64);
}

static void
test_shard_parse_rejects_bad_values_with_a_reason(void)
{
    static const char *const bad[] = {"0/3", "3/2", "x", "", "1/", "/3", "1/0", "1/65", "+1/3",
                                       "1/3x", " 1/3", "-1/3", "1//3", "99999/3"};
    struct hx_shard s = {.index = 7, .count = 9};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char why[160] = "";
        CU_ASSERT_EQUAL(hx_shard_parse(bad[i], &s, why, sizeof why), HX_E_INVAL);
        CU_ASSERT(why[0] != '\0');
    }
    CU_ASSERT_EQUAL(s.index, 7); /* unchanged on failure */
    {
        char why[160] = "";
        hx_shard_parse("3/2", &s, why, sizeof why);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, "shard 3 of 2"));
        hx_shard_parse("x", &s, why, sizeof why);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, "expected I/N"));
    }
}

/* Every item lands in exactly one shard, and the sizes differ by at most
 * one, for every N from 1 to 30. */
static void
test_shard_assign_puts_every_item_in_one_shard(void)
{
    struct hx_shard_item items[N_ITEMS];
    unsigned of[N_ITEMS];

    items_make(items, N_ITEMS);
    for (unsigned count = 1; count <= 30; count++) {
        size_t size[HX_SHARD_MAX + 1] = {0}, lo = N_ITEMS, hi = 0;
        memset(of, 0, sizeof of);
        CU_ASSERT_EQUAL_FATAL(hx_shard_assign(items, N_ITEMS, count, false, of), 0);
        for (size_t i = 0; i < N_ITEMS; i++) {
            CU_ASSERT(of[i] >= 1 && of[i] <= count);
            if (of[i] >= 1 && of[i] <= count)
                size[of[i]]++;
        }
        for (unsigned s = 1; s <= count; s++) {
            lo = size[s] < lo ? size[s] : lo;
            hi = size[s] > hi ? size[s] : hi;
        }
        CU_ASSERT(hi - lo <= 1);
    }
}

/* The split of a shuffled list is the split of the sorted one, item by
 * item, with and without durations. */
static void
test_shard_assign_is_independent_of_input_order(void)
{
    struct hx_shard_item items[N_ITEMS], shuffled[N_ITEMS];
    unsigned of[N_ITEMS], of_shuffled[N_ITEMS];
    size_t perm[N_ITEMS];

    items_make(items, N_ITEMS);
    for (size_t i = 0; i < N_ITEMS; i++) {
        items[i].has_duration = i % 4 != 0;
        items[i].ms = (i * 37) % 11 * 100;
        perm[i] = (i * 7 + 3) % N_ITEMS; /* 7 is prime to 23: a permutation */
    }
    for (size_t i = 0; i < N_ITEMS; i++)
        shuffled[i] = items[perm[i]];
    for (int by_duration = 0; by_duration <= 1; by_duration++) {
        CU_ASSERT_EQUAL(hx_shard_assign(items, N_ITEMS, 4, by_duration, of), 0);
        CU_ASSERT_EQUAL(hx_shard_assign(shuffled, N_ITEMS, 4, by_duration, of_shuffled), 0);
        for (size_t i = 0; i < N_ITEMS; i++)
            CU_ASSERT_EQUAL(of_shuffled[i], of[perm[i]]);
    }
}

/* Round-robin over the list sorted by id, then file: S-000 to shard 1,
 * S-001 to shard 2 ... whatever order they came in. */
static void
test_shard_assign_by_count_deals_sorted_ids_round_robin(void)
{
    struct hx_shard_item items[4] = {
        {.id = "B", .file = "b.json"},
        {.id = "A", .file = "z.json"},
        {.id = "C", .file = "c.json"},
        {.id = "A", .file = "a.json"},
    };
    unsigned of[4];

    CU_ASSERT_EQUAL(hx_shard_assign(items, 4, 3, false, of), 0);
    CU_ASSERT_EQUAL(of[3], 1); /* A a.json */
    CU_ASSERT_EQUAL(of[1], 2); /* A z.json */
    CU_ASSERT_EQUAL(of[0], 3); /* B */
    CU_ASSERT_EQUAL(of[2], 1); /* C */
}

/* Longest first into the least-loaded shard, worked out by hand: 10, 9, 8,
 * 2, 2 and 1 s into two shards give {10, 2, 2, 1} and {9, 8}. */
static void
test_shard_assign_by_duration_balances_longest_first(void)
{
    struct hx_shard_item items[6] = {
        {.id = "E", .has_duration = true, .ms = 2000},
        {.id = "A", .has_duration = true, .ms = 10000},
        {.id = "D", .has_duration = true, .ms = 2000},
        {.id = "B", .has_duration = true, .ms = 9000},
        {.id = "F", .has_duration = true, .ms = 1000},
        {.id = "C", .has_duration = true, .ms = 8000},
    };
    unsigned of[6];

    /* A 10 -> 1 (0,0: lowest); B 9 -> 2; C 8 -> 2 (10 vs 9); D 2 -> 1 (10 vs 17);
     * E 2 -> 1 (12 vs 17; D before E by id); F 1 -> 1 (14 vs 17). */
    CU_ASSERT_EQUAL(hx_shard_assign(items, 6, 2, true, of), 0);
    CU_ASSERT_EQUAL(of[1], 1); /* A */
    CU_ASSERT_EQUAL(of[3], 2); /* B */
    CU_ASSERT_EQUAL(of[5], 2); /* C */
    CU_ASSERT_EQUAL(of[2], 1); /* D */
    CU_ASSERT_EQUAL(of[0], 1); /* E */
    CU_ASSERT_EQUAL(of[4], 1); /* F */

    /* by count, the same items are dealt A B C D E F -> 1 2 1 2 1 2 */
    CU_ASSERT_EQUAL(hx_shard_assign(items, 6, 2, false, of), 0);
    CU_ASSERT_EQUAL(of[1], 1);
    CU_ASSERT_EQUAL(of[3], 2);
    CU_ASSERT_EQUAL(of[4], 2);
}

/* An item without a recorded duration counts as the mean of the recorded
 * ones. Were C counted as 0, it would go last and land in shard 1. */
static void
test_shard_assign_gives_missing_durations_the_mean(void)
{
    struct hx_shard_item items[4] = {
        {.id = "A", .has_duration = true, .ms = 9000},
        {.id = "B", .has_duration = true, .ms = 3000},
        {.id = "C"},
        {.id = "D", .has_duration = true, .ms = 6000},
    };
    unsigned of[4];

    /* mean of 9, 3, 6 = 6: order A 9, C 6, D 6, B 3 -> A:1, C:2, D:2 (9 vs 6), B:1 (9 vs 12) */
    CU_ASSERT_EQUAL(hx_shard_assign(items, 4, 2, true, of), 0);
    CU_ASSERT_EQUAL(of[0], 1);
    CU_ASSERT_EQUAL(of[2], 2);
    CU_ASSERT_EQUAL(of[3], 2);
    CU_ASSERT_EQUAL(of[1], 1);
}

static void
test_shard_assign_rejects_bad_counts(void)
{
    struct hx_shard_item items[1] = {{.id = "A"}};
    unsigned of[1];

    CU_ASSERT_EQUAL(hx_shard_assign(items, 1, 0, false, of), HX_E_INVAL);
    CU_ASSERT_EQUAL(hx_shard_assign(items, 1, HX_SHARD_MAX + 1, false, of), HX_E_INVAL);
    CU_ASSERT_EQUAL(hx_shard_assign(items, 0, 3, true, of), 0);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_shard_parse_accepts_i_of_n),
        TU_TEST(test_shard_parse_rejects_bad_values_with_a_reason),
        TU_TEST(test_shard_assign_puts_every_item_in_one_shard),
        TU_TEST(test_shard_assign_is_independent_of_input_order),
        TU_TEST(test_shard_assign_by_count_deals_sorted_ids_round_robin),
        TU_TEST(test_shard_assign_by_duration_balances_longest_first),
        TU_TEST(test_shard_assign_gives_missing_durations_the_mean),
        TU_TEST(test_shard_assign_rejects_bad_counts),
        {NULL, NULL},
    };
    return tu_run_suite("shard", tests);
}
