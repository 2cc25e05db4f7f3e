/* The signed evidence bundle of a run: report copies, the in-toto
 * Statement in a DSSE envelope, the public key of a key made for the run. */
#include "hx/report_bundle.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "bundle_int.h"
#include "cmn/env.h"
#include "cmn/text.h"
#include "cmn/version.h"
#include "hx/checklist.h"
#include "hx/datadir.h"
#include "hx/dsse.h"
#include "hx/report.h"
#include "report_int.h"

void
hx__bundle_sha256_hex(const void *p, size_t n, char out[HX_BUNDLE_SHA256_HEX])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int len = 0;

    out[0] = '\0';
    if (EVP_Digest(p, n, d, &len, EVP_sha256(), NULL) != 1 || len != 32)
        return;
    for (unsigned int i = 0; i < len; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

int
hx__bundle_read(const char *path, char **out, size_t *out_len, struct hx_error *err)
{
    int rc = cmn_read_file(path, HX__BUNDLE_FILE_MAX, out, out_len);

    if (rc == 0)
        return 0;
    if (rc == CMN_E_TOOBIG) {
        hx_error_set(err, path, 0, "%s: larger than %zu bytes", path, HX__BUNDLE_FILE_MAX);
        return HX_E_TOOBIG;
    }
    if (rc == CMN_E_NOMEM) {
        hx_error_set(err, path, 0, "%s: out of memory", path);
        return HX_E_NOMEM;
    }
    hx_error_set(err, path, 0, "%s: %s", path, errno == ENOENT ? "no such file" : strerror(errno));
    return errno == ENOENT ? HX_E_NOTFOUND : HX_E_IO;
}

static void
bundle_file_cleanup(struct hx_bundle_file *f)
{
    free(f->name);
    free(f->source);
    free(f->format);
    free(f->id);
    memset(f, 0, sizeof *f);
}

int
hx_bundle_init(struct hx_bundle *b, const char *dir)
{
    memset(b, 0, sizeof *b);
    b->dir = strdup(dir);
    return b->dir != NULL ? 0 : HX_E_NOMEM;
}

void
hx_bundle_cleanup(struct hx_bundle *b)
{
    for (size_t i = 0; i < b->n_scenarios; i++)
        bundle_file_cleanup(&b->scenarios[i]);
    for (size_t i = 0; i < b->n_reports; i++)
        bundle_file_cleanup(&b->reports[i]);
    bundle_file_cleanup(&b->profile);
    free(b->scenarios);
    free(b->reports);
    hx_signing_key_free(b->key);
    free(b->dir);
    memset(b, 0, sizeof *b);
}

int
hx_bundle_set_key(struct hx_bundle *b, const char *key_path, struct hx_error *err)
{
    struct hx_signing_key *k = NULL;
    int rc = key_path != NULL ? hx_signing_key_load_private(key_path, &k, err)
                              : hx_signing_key_generate(&k, err);

    if (rc != 0)
        return rc;
    hx_signing_key_free(b->key);
    b->key = k;
    b->key_generated = key_path == NULL;
    return 0;
}

/* Fills f with a file's name (relative to datadir when inside it) and the
 * SHA-256 of its bytes. */
static int
bundle_hash_input(const char *datadir, const char *path, const char *id, struct hx_bundle_file *f,
                  struct hx_error *err)
{
    char name[PATH_MAX], *bytes = NULL;
    size_t n = 0;
    int rc = hx__bundle_read(path, &bytes, &n, err);

    if (rc != 0)
        return rc;
    hx__bundle_sha256_hex(bytes, n, f->sha256);
    free(bytes);
    if (hx_datadir_relative(datadir, path, name, sizeof name) != 0) {
        hx_error_set(err, path, 0, "%s: path too long", path);
        return HX_E_TOOLONG;
    }
    f->name = strdup(name);
    f->id = id != NULL ? strdup(id) : NULL;
    if (f->name == NULL || (id != NULL && f->id == NULL)) {
        hx_error_set(err, path, 0, "%s: out of memory", path);
        return HX_E_NOMEM;
    }
    return 0;
}

int
hx_bundle_note_inputs(struct hx_bundle *b, const char *datadir, const char *profile_file,
                      struct hx_scenario *const *scenarios, size_t n, struct hx_error *err)
{
    int rc;

    bundle_file_cleanup(&b->profile);
    rc = bundle_hash_input(datadir, profile_file, NULL, &b->profile, err);
    if (rc != 0)
        return rc;
    b->scenarios = calloc(n + 1, sizeof *b->scenarios);
    if (b->scenarios == NULL)
        return HX_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        b->n_scenarios = i + 1;
        rc = bundle_hash_input(datadir, scenarios[i]->file, scenarios[i]->id, &b->scenarios[i],
                               err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

void
hx_bundle_report_written(void *ud, const char *format, const char *path)
{
    struct hx_bundle *b = ud;
    struct hx_bundle_file *grown, *f;
    const char *slash = strrchr(path, '/');

    if (b->rc != 0)
        return;
    grown = realloc(b->reports, (b->n_reports + 1) * sizeof *grown);
    if (grown == NULL) {
        b->rc = HX_E_NOMEM;
        return;
    }
    b->reports = grown;
    f = &b->reports[b->n_reports++];
    memset(f, 0, sizeof *f);
    f->name = strdup(slash != NULL ? slash + 1 : path);
    f->source = strdup(path);
    f->format = strdup(format);
    if (f->name == NULL || f->source == NULL || f->format == NULL)
        b->rc = HX_E_NOMEM;
}

/* A JSON string of text that may come from outside (a URL, a path): made
 * safe UTF-8. */
static json_t *
bundle_text(const char *s)
{
    return hx__json_text(s != NULL ? s : "", s != NULL ? strlen(s) : 0, NULL);
}

static json_t *
bundle_digest(const char *sha256)
{
    return json_pack("{s:s}", "sha256", sha256);
}

static json_t *
bundle_predicate_run(const struct hx_result *r)
{
    char started[32], finished[32];

    hx__time_rfc3339(r->started, started, sizeof started);
    hx__time_rfc3339(r->started + (time_t)(r->seconds + 0.5), finished, sizeof finished);
    return json_pack("{s:o, s:o, s:s, s:s, s:I}", "id", bundle_text(r->run_id), "target",
                     bundle_text(r->target), "started", started, "finished", finished,
                     "duration_ms", (json_int_t)(r->seconds * 1000.0 + 0.5));
}

static json_t *
bundle_predicate_profile(const struct hx_bundle *b, const struct hx_result *r)
{
    if (b->profile.name == NULL)
        return json_null();
    return json_pack("{s:o, s:o, s:o}", "name", bundle_text(r->profile), "path",
                     bundle_text(b->profile.name), "digest", bundle_digest(b->profile.sha256));
}

static json_t *
bundle_predicate_scenarios(const struct hx_bundle *b)
{
    json_t *list = json_array();

    for (size_t i = 0; list != NULL && i < b->n_scenarios; i++) {
        const struct hx_bundle_file *f = &b->scenarios[i];
        if (json_array_append_new(list, json_pack("{s:o, s:o, s:o}", "id", bundle_text(f->id),
                                                  "path", bundle_text(f->name), "digest",
                                                  bundle_digest(f->sha256))) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

static json_t *
bundle_predicate_summary(const struct hx_result *r, int exit_code)
{
    struct hx_counts n;

    hx_result_count(r, &n);
    return json_pack("{s:s, s:i, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}}", "verdict",
                     hx__verdict_name(hx__verdict(&n)), "exit_code", exit_code, "counts", "total",
                     (json_int_t)n.total, "passed", (json_int_t)n.passed, "failed",
                     (json_int_t)n.failed, "errors", (json_int_t)n.errors, "skipped",
                     (json_int_t)n.skipped, "warnings", (json_int_t)n.warnings, "waived",
                     (json_int_t)n.waived);
}

static json_t *
bundle_predicate_checklist(const struct hx_result *r)
{
    size_t n = 0;
    const struct hx_checklist_item *items = hx_checklist_items(&n);
    json_t *list = json_array();

    for (size_t i = 0; list != NULL && i < n; i++) {
        struct hx_item_summary sum;
        hx_checklist_summarise(r, items[i].id, &sum);
        if (json_array_append_new(list, json_pack("{s:i, s:s, s:s, s:b}", "number",
                                                  items[i].number, "id", items[i].id, "status",
                                                  hx_status_name(sum.status), "covered",
                                                  sum.covered)) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

json_t *
hx_bundle_statement(const struct hx_bundle *b, const struct hx_result *r, int exit_code)
{
    json_t *subjects = json_array(), *reports = json_array(), *predicate;

    for (size_t i = 0; subjects != NULL && reports != NULL && i < b->n_reports; i++) {
        const struct hx_bundle_file *f = &b->reports[i];
        if (json_array_append_new(subjects, json_pack("{s:o, s:o}", "name", bundle_text(f->name),
                                                      "digest", bundle_digest(f->sha256))) != 0 ||
            json_array_append_new(reports, json_pack("{s:s, s:o}", "format", f->format, "name",
                                                     bundle_text(f->name))) != 0) {
            json_decref(subjects);
            subjects = NULL;
        }
    }
    /* json_pack's "o" takes each value, also when packing fails; a NULL
     * value (out of memory) fails the pack */
    predicate = json_pack("{s:{s:s, s:s}, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:s, s:b}}", "tool",
                          "name", "authconform", "version", CMN_VERSION, "run",
                          bundle_predicate_run(r), "profile", bundle_predicate_profile(b, r),
                          "scenarios", bundle_predicate_scenarios(b), "reports", reports,
                          "summary", bundle_predicate_summary(r, exit_code), "checklist",
                          bundle_predicate_checklist(r), "signing_key", "keyid",
                          b->key != NULL ? hx_signing_key_id(b->key) : "",
                          "generated_for_this_run", b->key_generated);
    return json_pack("{s:s, s:o, s:s, s:o}", "_type", HX_BUNDLE_STATEMENT_TYPE, "subject",
                     subjects, "predicateType", HX_BUNDLE_PREDICATE_TYPE, "predicate", predicate);
}

/* True when a and b name the same existing file. */
static bool
bundle_same_file(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];

    return realpath(a, ra) != NULL && realpath(b, rb) != NULL && strcmp(ra, rb) == 0;
}

static int
bundle_join(const struct hx_bundle *b, const char *name, char *out, size_t size,
            struct hx_error *err)
{
    int n = snprintf(out, size, "%s/%s", b->dir, name);

    if (n < 0 || (size_t)n >= size) {
        hx_error_set(err, b->dir, 0, "%s/%s: path too long", b->dir, name);
        return HX_E_TOOLONG;
    }
    return 0;
}

/* Checks the reports' names: plain, UTF-8, distinct, none of the bundle's
 * own files. */
static int
bundle_check_names(const struct hx_bundle *b, struct hx_error *err)
{
    for (size_t i = 0; i < b->n_reports; i++) {
        const char *name = b->reports[i].name;
        if (name[0] == '\0' || name[0] == '.' || !cmn_text_is_utf8(name, strlen(name)) ||
            strcmp(name, HX_BUNDLE_ENVELOPE) == 0 || strcmp(name, HX_BUNDLE_PUBLIC_KEY) == 0) {
            hx_error_set(err, b->reports[i].source, 0,
                         "%s: a report of this name cannot go into a bundle", name);
            return HX_E_INVAL;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(name, b->reports[j].name) == 0) {
                hx_error_set(err, b->reports[i].source, 0,
                             "%s and %s: two reports named %s in one bundle",
                             b->reports[j].source, b->reports[i].source, name);
                return HX_E_INVAL;
            }
        }
    }
    return 0;
}

/* Copies each report into the bundle and fills its digest from the bytes
 * copied. */
static int
bundle_copy_reports(struct hx_bundle *b, FILE *msgs, struct hx_error *err)
{
    for (size_t i = 0; i < b->n_reports; i++) {
        struct hx_bundle_file *f = &b->reports[i];
        char dest[PATH_MAX], *bytes = NULL;
        size_t n = 0;
        int rc = bundle_join(b, f->name, dest, sizeof dest, err);

        if (rc == 0)
            rc = hx__bundle_read(f->source, &bytes, &n, err);
        if (rc != 0)
            return rc;
        hx__bundle_sha256_hex(bytes, n, f->sha256);
        if (!bundle_same_file(f->source, dest))
            rc = hx__report_write_file(dest, bytes, n, err);
        free(bytes);
        if (rc != 0)
            return rc;
        if (msgs != NULL)
            fprintf(msgs, "bundle: %s sha256 %s\n", dest, f->sha256);
    }
    return 0;
}

/* The public key beside the envelope when the key was made for the run;
 * with a key of the caller's, a public key left there by an earlier bundle
 * goes (it would verify nothing of this one). */
static int
bundle_write_public_key(const struct hx_bundle *b, FILE *msgs, struct hx_error *err)
{
    char path[PATH_MAX], *pem = NULL;
    size_t n = 0;
    int rc = bundle_join(b, HX_BUNDLE_PUBLIC_KEY, path, sizeof path, err);

    if (rc != 0)
        return rc;
    if (!b->key_generated) {
        if (unlink(path) == 0 && msgs != NULL)
            fprintf(msgs, "bundle: removed %s of an earlier bundle\n", path);
        return 0;
    }
    rc = hx_signing_key_public_pem(b->key, &pem, &n);
    if (rc != 0) {
        hx_error_set(err, path, 0, "%s: out of memory", path);
        return rc;
    }
    rc = hx__report_write_file(path, pem, n, err);
    free(pem);
    if (rc == 0 && msgs != NULL)
        fprintf(msgs, "bundle: wrote %s (the key was made for this run; its private half was "
                      "not kept)\n", path);
    return rc;
}

int
hx_bundle_write(struct hx_bundle *b, const struct hx_result *r, int exit_code, FILE *msgs,
                struct hx_error *err)
{
    char path[PATH_MAX], *payload = NULL, *text = NULL;
    json_t *statement = NULL, *envelope = NULL;
    int rc = b->rc;

    if (rc != 0 || b->key == NULL) {
        hx_error_set(err, b->dir, 0, "%s: %s", b->dir,
                     rc != 0 ? hx_strerror(rc) : "no signing key");
        return rc != 0 ? rc : HX_E_INVAL;
    }
    if ((rc = bundle_check_names(b, err)) != 0 ||
        (rc = bundle_join(b, HX_BUNDLE_ENVELOPE, path, sizeof path, err)) != 0)
        return rc;
    if (hx_report_mkdirs(b->dir) != 0) {
        hx_error_set(err, b->dir, 0, "%s: cannot create the folder: %s", b->dir, strerror(errno));
        return HX_E_IO;
    }
    if ((rc = bundle_copy_reports(b, msgs, err)) != 0 ||
        (rc = bundle_write_public_key(b, msgs, err)) != 0)
        return rc;
    rc = HX_E_NOMEM;
    statement = hx_bundle_statement(b, r, exit_code);
    payload = statement != NULL ? json_dumps(statement, JSON_COMPACT) : NULL;
    if (payload == NULL ||
        hx_dsse_sign(HX_DSSE_INTOTO_TYPE, payload, strlen(payload), b->key, &envelope) != 0 ||
        (text = json_dumps(envelope, JSON_INDENT(2))) == NULL) {
        hx_error_set(err, path, 0, "%s: out of memory", path);
        goto cleanup;
    }
    rc = hx__report_write_file(path, text, strlen(text), err);
    if (rc == 0 && msgs != NULL)
        fprintf(msgs, "bundle: wrote %s: %zu files signed by key %s\n", path, b->n_reports,
                hx_signing_key_id(b->key));
cleanup:
    free(text);
    free(payload);
    json_decref(envelope);
    json_decref(statement);
    return rc;
}
