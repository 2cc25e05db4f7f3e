#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../integration/reports/report_sample.h"
#include "cmn/buf.h"
#include "hx/report_json.h"
#include "hx/report_json_read.h"
#include "hx/report_merge.h"
#include "unit.h"

#define RENDER_MAX ((size_t)16 << 20)

/* Returns new: the sample run 0 as a JSON document. */
static json_t *
sample_doc(void)
{
    struct hx_result *r = sample_result(0);
    json_t *doc = hx_report_json_build(r);

    hx_result_free(r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    return doc;
}

/* Returns new: shard `index` of `count` of the sample, cut by hand (case i
 * goes to shard i % count + 1), with its shard note, started `offset`
 * seconds after the sample and lasting `seconds`. */
static struct hx_result *
sample_part(unsigned index, unsigned count, long offset, double seconds)
{
    json_t *doc = sample_doc(), *cases = json_object_get(doc, "cases"), *kept = json_array();
    json_t *run = json_object_get(doc, "run");
    struct hx_result *r = NULL;
    struct hx_error err = {.text = ""};
    size_t i;
    json_t *c;
    char note[64];

    json_array_foreach(cases, i, c) if (i % count + 1 == index) json_array_append(kept, c);
    snprintf(note, sizeof note, "shard %u of %u: %zu of %zu scenarios", index, count,
             json_array_size(kept), json_array_size(cases));
    json_object_set_new(doc, "cases", kept); /* frees cases */
    json_array_append_new(json_object_get(run, "notes"), json_string("a note every shard has"));
    json_array_append_new(json_object_get(run, "notes"), json_string(note));
    CU_ASSERT_EQUAL(hx_report_json_to_result(doc, "part.json", &r, &err), 0);
    json_decref(doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    r->started += offset;
    r->seconds = seconds;
    return r;
}

static char *
render(const struct hx_result *r)
{
    struct cmn_buf b;
    char *text;

    cmn_buf_init(&b, RENDER_MAX);
    CU_ASSERT_EQUAL(hx_report_json_render(r, &b), 0);
    text = strdup(cmn_buf_str(&b));
    cmn_buf_cleanup(&b);
    return text;
}

static const char *const names3[] = {"a.json", "b.json", "c.json"};

/* Three shards merged are the whole run: every case, the notes once each
 * with one merge note, the earliest start and the latest end. */
static void
test_merge_of_three_shards_is_the_whole_run(void)
{
    struct hx_result *parts[3] = {sample_part(2, 3, 10, 5.0), sample_part(1, 3, 0, 30.0),
                                  sample_part(3, 3, 20, 15.5)};
    struct hx_result *whole = sample_result(0), *m = NULL;
    struct hx_error err = {.text = ""};
    char *want, *got;

    CU_ASSERT_EQUAL_FATAL(hx_merge_results(parts, names3, 3, &m, &err), 0);
    CU_ASSERT_EQUAL(m->n_cases, whole->n_cases);
    CU_ASSERT_EQUAL(m->started, whole->started);
    CU_ASSERT_DOUBLE_EQUAL(m->seconds, 35.5, 1e-9); /* c ends at +35.5 */
    CU_ASSERT_EQUAL_FATAL(m->n_notes, 2);
    CU_ASSERT_STRING_EQUAL(m->notes[0], "a note every shard has");
    CU_ASSERT_STRING_EQUAL(m->notes[1], "merged from 3 shards");
    /* the rest of the report is the whole run's, byte for byte */
    hx_result_add_note(whole, "a note every shard has");
    hx_result_add_note(whole, "merged from 3 shards");
    whole->seconds = 35.5;
    free(whole->run_id);
    whole->run_id = strdup(parts[0]->run_id);
    want = render(whole);
    got = render(m);
    CU_ASSERT_STRING_EQUAL(got, want);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(parts[i]->n_cases, 0); /* moved to m */
    free(want);
    free(got);
    hx_result_free(m);
    hx_result_free(whole);
    for (int i = 0; i < 3; i++)
        hx_result_free(parts[i]);
}

static void
check_merge_fails(struct hx_result **parts, size_t n, const char *want)
{
    struct hx_result *m = NULL;
    struct hx_error err = {.text = ""};

    CU_ASSERT_EQUAL(hx_merge_results(parts, names3, n, &m, &err), HX_E_PARSE);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, want));
    if (strstr(err.text, want) == NULL)
        fprintf(stderr, "\ngot \"%s\", wanted \"%s\"\n", err.text, want);
    for (size_t i = 0; i < n; i++)
        hx_result_free(parts[i]);
}

static void
test_merge_refuses_parts_that_do_not_belong_together(void)
{
    struct hx_result *p[3];

    p[0] = sample_part(1, 2, 0, 1);
    p[1] = sample_part(1, 2, 0, 1);
    check_merge_fails(p, 2, "a.json and b.json both ran the case QS-SIGNIN-002");

    p[0] = sample_part(1, 2, 0, 1);
    p[1] = sample_part(2, 2, 0, 1);
    free(p[1]->target);
    p[1]->target = strdup("https://other.example");
    check_merge_fails(p, 2, "b.json: run.target: \"https://other.example\" differs from a.json's");

    p[0] = sample_part(1, 2, 0, 1);
    p[1] = sample_part(2, 2, 0, 1);
    free(p[1]->profile);
    p[1]->profile = strdup("vendor");
    check_merge_fails(p, 2, "b.json: run.profile:");

    p[0] = sample_part(1, 2, 0, 1);
    p[1] = sample_part(2, 2, 0, 1);
    free(p[0]->harness_version);
    p[0]->harness_version = strdup("0.0.1");
    check_merge_fails(p, 2, "b.json: run.harness_version:");

    p[0] = sample_part(1, 2, 0, 1);
    p[1] = hx_result_new(p[0]->target, p[0]->profile, "run-0002");
    hx_result_add_note(p[1], "shard 3 of 3: 0 of 8 scenarios");
    check_merge_fails(p, 2, "b.json: run.notes: shard 3 of 3, where a.json is one of 2");

    /* the same shard twice, with no case in common: an empty shard */
    p[0] = sample_part(1, 3, 0, 1);
    p[1] = hx_result_new(p[0]->target, p[0]->profile, "run-0002");
    hx_result_add_note(p[1], "shard 1 of 3: 0 of 8 scenarios");
    check_merge_fails(p, 2, "a.json and b.json are both shard 1 of 3");
}

static void
test_merge_says_which_shards_are_missing(void)
{
    struct hx_result *parts[2] = {sample_part(1, 4, 0, 1), sample_part(3, 4, 0, 1)};
    struct hx_result *m = NULL;

    CU_ASSERT_EQUAL_FATAL(hx_merge_results(parts, names3, 2, &m, NULL), 0);
    CU_ASSERT_STRING_EQUAL(m->notes[m->n_notes - 1], "merged from 2 shards (missing: shard 2, 4 of 4)");
    hx_result_free(m);
    hx_result_free(parts[0]);
    hx_result_free(parts[1]);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_merge_of_three_shards_is_the_whole_run),
        TU_TEST(test_merge_refuses_parts_that_do_not_belong_together),
        TU_TEST(test_merge_says_which_shards_are_missing),
        {NULL, NULL},
    };
    return tu_run_suite("report_merge", tests);
}
