/* The evidence bundle: written from a run's reports, verified offline, and
 * every change to it found and named. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../integration/reports/report_sample.h"
#include "cmn/b64url.h"
#include "cmn/env.h"
#include "hx/dsse.h"
#include "hx/report_bundle.h"
#include "hx/report_verify.h"
#include "unit.h"

/* A scratch folder with a reports/ folder of two reports, and the bundle
 * folder b/ to write into. */
struct scratch {
    char dir[64], reports[96], bundle[96];
};

static void
write_file(const char *dir, const char *name, const char *text)
{
    char path[PATH_MAX];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static void
scratch_init(struct scratch *s)
{
    char cmd[128];

    snprintf(s->dir, sizeof s->dir, "/tmp/test_report_bundle.XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(s->dir));
    snprintf(s->reports, sizeof s->reports, "%s/reports", s->dir);
    snprintf(s->bundle, sizeof s->bundle, "%s/b", s->dir);
    snprintf(cmd, sizeof cmd, "mkdir -p %s", s->reports);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    write_file(s->reports, "junit.xml", "<testsuites/>\n");
    write_file(s->reports, "report.md", "# PASS\n");
}

static void
scratch_cleanup(struct scratch *s)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf %s", s->dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

/* Writes a bundle of the two reports, signed by key_path or a key made for
 * it. */
static int
write_bundle(const struct scratch *s, const char *key_path)
{
    struct hx_bundle b;
    struct hx_error err = {0};
    struct hx_result *r = sample_result(0);
    char path[PATH_MAX];
    int rc;

    CU_ASSERT_FATAL(hx_bundle_init(&b, s->bundle) == 0);
    rc = hx_bundle_set_key(&b, key_path, &err);
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/junit.xml", s->reports);
        hx_bundle_report_written(&b, "junit", path);
        snprintf(path, sizeof path, "%s/report.md", s->reports);
        hx_bundle_report_written(&b, "markdown", path);
        rc = hx_bundle_write(&b, r, 1, NULL, &err);
    }
    if (rc != 0)
        fprintf(stderr, "\nbundle: %s\n", err.text);
    hx_bundle_cleanup(&b);
    hx_result_free(r);
    return rc;
}

/* Verifies the bundle; *text gets what it printed (new). */
static int
verify(const struct scratch *s, const char *key_path, char **text, struct hx_error *err)
{
    size_t len = 0;
    FILE *out = open_memstream(text, &len);
    int rc;

    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    rc = hx_verify_bundle(s->bundle, key_path, out, err);
    fclose(out);
    return rc;
}

static void
expect_in(const char *text, const char *want)
{
    if (strstr(text, want) == NULL) {
        fprintf(stderr, "\nwanted \"%s\" in:\n%s\n", want, text);
        CU_FAIL("the output does not say it");
    }
}

/* The envelope's statement, decoded (new). */
static json_t *
read_statement(const struct scratch *s)
{
    char path[PATH_MAX], *text = NULL;
    size_t n = 0;
    struct hx_dsse_envelope env = {0};
    json_t *st;

    snprintf(path, sizeof path, "%s/%s", s->bundle, HX_BUNDLE_ENVELOPE);
    CU_ASSERT_FATAL(cmn_read_file(path, 1 << 20, &text, &n) == 0);
    CU_ASSERT_FATAL(hx_dsse_parse(text, n, path, &env, NULL) == 0);
    CU_ASSERT_STRING_EQUAL(env.payload_type, HX_DSSE_INTOTO_TYPE);
    st = json_loadb((const char *)env.payload, env.payload_len, 0, NULL);
    hx_dsse_envelope_cleanup(&env);
    free(text);
    return st;
}

static void
test_bundle_statement_names_each_report_with_its_digest(void)
{
    struct scratch s;
    json_t *st, *p;

    scratch_init(&s);
    CU_ASSERT_FATAL(write_bundle(&s, NULL) == 0);
    st = read_statement(&s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(st, "_type")),
                           "https://in-toto.io/Statement/v1");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(st, "predicateType")),
                           HX_BUNDLE_PREDICATE_TYPE);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(st, "subject")), 2);
    /* sha256 of "# PASS\n", worked out with sha256sum */
    CU_ASSERT_STRING_EQUAL(
        json_string_value(json_object_get(
            json_object_get(json_array_get(json_object_get(st, "subject"), 1), "digest"),
            "sha256")),
        "bf2f6f773b3f552fc10c719fc96dacfa560422b8f114bf25bc8d92bd0bf83906");
    p = json_object_get(st, "predicate");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(p, "run"), "id")),
                           "run-0001");
    CU_ASSERT_STRING_EQUAL(
        json_string_value(json_object_get(json_object_get(p, "run"), "started")),
        "2026-11-25T09:46:40Z");
    CU_ASSERT_STRING_EQUAL(
        json_string_value(json_object_get(json_object_get(p, "summary"), "verdict")), "fail");
    CU_ASSERT_EQUAL(
        json_integer_value(json_object_get(json_object_get(p, "summary"), "exit_code")), 1);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(p, "checklist")), 12);
    CU_ASSERT(json_is_true(
        json_object_get(json_object_get(p, "signing_key"), "generated_for_this_run")));
    json_decref(st);
    scratch_cleanup(&s);
}

static void
test_bundle_verifies_with_its_own_key_and_says_what_that_proves(void)
{
    struct scratch s;
    struct hx_error err = {0};
    char *text = NULL;

    scratch_init(&s);
    CU_ASSERT_FATAL(write_bundle(&s, NULL) == 0);
    CU_ASSERT_EQUAL(verify(&s, NULL, &text, &err), 0);
    expect_in(text, "taken from the bundle itself");
    expect_in(text, "not who signed them");
    expect_in(text, "  ok       junit.xml");
    expect_in(text, "  ok       report.md");
    expect_in(text, "VERIFIED");
    free(text);
    scratch_cleanup(&s);
}

static void
test_bundle_verify_names_a_changed_a_missing_and_an_unsigned_file(void)
{
    struct scratch s;
    struct hx_error err = {0};
    char *text = NULL, path[PATH_MAX];

    scratch_init(&s);
    CU_ASSERT_FATAL(write_bundle(&s, NULL) == 0);
    write_file(s.bundle, "report.md", "# PASS!\n");
    CU_ASSERT_EQUAL(verify(&s, NULL, &text, &err), 1);
    expect_in(text, "CHANGED  report.md");
    expect_in(text, "NOT VERIFIED");
    free(text);

    snprintf(path, sizeof path, "%s/junit.xml", s.bundle);
    unlink(path);
    write_file(s.bundle, "extra.txt", "not signed\n");
    CU_ASSERT_EQUAL(verify(&s, NULL, &text, &err), 2);
    expect_in(text, "MISSING  junit.xml");
    expect_in(text, "CHANGED  report.md");
    expect_in(text, "NOT SIGNED extra.txt");
    free(text);
    scratch_cleanup(&s);
}

static void
test_bundle_verify_refuses_another_key(void)
{
    struct scratch s;
    struct hx_error err = {0};
    struct hx_signing_key *other = NULL;
    char *text = NULL, *pem = NULL, path[PATH_MAX];
    size_t n = 0;

    scratch_init(&s);
    CU_ASSERT_FATAL(write_bundle(&s, NULL) == 0);
    CU_ASSERT_FATAL(hx_signing_key_generate(&other, &err) == 0);
    CU_ASSERT_FATAL(hx_signing_key_public_pem(other, &pem, &n) == 0);
    write_file(s.dir, "other.pub.pem", pem);
    snprintf(path, sizeof path, "%s/other.pub.pem", s.dir);
    CU_ASSERT_EQUAL(verify(&s, path, &text, &err), 1);
    expect_in(text, "(given with --key)");
    expect_in(text, "signature: FAILED");
    free(text);
    free(pem);
    hx_signing_key_free(other);
    scratch_cleanup(&s);
}

/* The keyid is outside the signed text: a wrong one fails verification,
 * and the files are still checked against the authentic statement. */
static void
test_bundle_verify_refuses_a_keyid_that_is_not_the_key(void)
{
    struct scratch s;
    struct hx_error err = {0};
    char *text = NULL, path[PATH_MAX], *env = NULL, *at;
    size_t n = 0;
    FILE *f;

    scratch_init(&s);
    CU_ASSERT_FATAL(write_bundle(&s, NULL) == 0);
    snprintf(path, sizeof path, "%s/%s", s.bundle, HX_BUNDLE_ENVELOPE);
    CU_ASSERT_FATAL(cmn_read_file(path, 1 << 20, &env, &n) == 0);
    at = strstr(env, "\"keyid\": \"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    at += 10;
    *at = *at == '0' ? '1' : '0';
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fwrite(env, 1, n, f);
    fclose(f);
    CU_ASSERT_EQUAL(verify(&s, NULL, &text, &err), 1);
    expect_in(text, "signature: valid");
    expect_in(text, "keyid:     FAILED");
    expect_in(text, "  ok       report.md");
    free(text);
    free(env);
    scratch_cleanup(&s);
}

static void
test_bundle_verify_names_the_file_of_a_missing_envelope_or_key(void)
{
    struct scratch s;
    struct hx_error err = {0};
    char *text = NULL, path[PATH_MAX];

    scratch_init(&s);
    CU_ASSERT(verify(&s, NULL, &text, &err) < 0); /* no folder b/ yet */
    expect_in(err.text, "b: not a folder");
    free(text);
    CU_ASSERT_FATAL(write_bundle(&s, NULL) == 0);
    snprintf(path, sizeof path, "%s/%s", s.bundle, HX_BUNDLE_PUBLIC_KEY);
    unlink(path);
    CU_ASSERT_EQUAL(verify(&s, NULL, &text, &err), HX_E_NOTFOUND);
    expect_in(err.text, "signing-key.pub.pem: no such file");
    free(text);
    snprintf(path, sizeof path, "%s/%s", s.bundle, HX_BUNDLE_ENVELOPE);
    unlink(path);
    CU_ASSERT_EQUAL(verify(&s, NULL, &text, &err), HX_E_NOTFOUND);
    expect_in(err.text, "attestation.dsse.json: no such file");
    free(text);
    scratch_cleanup(&s);
}

static void
test_bundle_refuses_a_missing_signing_key_file(void)
{
    struct hx_bundle b;
    struct hx_error err = {0};

    CU_ASSERT_FATAL(hx_bundle_init(&b, "/tmp/never-written") == 0);
    CU_ASSERT_EQUAL(hx_bundle_set_key(&b, "/nonexistent/key.pem", &err), HX_E_NOTFOUND);
    expect_in(err.text, "/nonexistent/key.pem: no such file");
    hx_bundle_cleanup(&b);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_bundle_statement_names_each_report_with_its_digest),
        TU_TEST(test_bundle_verifies_with_its_own_key_and_says_what_that_proves),
        TU_TEST(test_bundle_verify_names_a_changed_a_missing_and_an_unsigned_file),
        TU_TEST(test_bundle_verify_refuses_another_key),
        TU_TEST(test_bundle_verify_refuses_a_keyid_that_is_not_the_key),
        TU_TEST(test_bundle_verify_names_the_file_of_a_missing_envelope_or_key),
        TU_TEST(test_bundle_refuses_a_missing_signing_key_file),
        {NULL, NULL},
    };
    return tu_run_suite("report_bundle", tests);
}
