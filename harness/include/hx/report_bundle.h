#ifndef HX_REPORT_BUNDLE_H
#define HX_REPORT_BUNDLE_H
/*
 * The signed evidence bundle of a run (`authconform run --bundle DIR`): a
 * folder an auditor can check offline with `authconform verify DIR`.
 *
 *   DIR/junit.xml, report.html, ...  a copy of each report the run wrote
 *   DIR/attestation.dsse.json        a DSSE envelope (hx/dsse.h) around an
 *                                    in-toto Statement v1 whose subjects are
 *                                    those files with their SHA-256, and whose
 *                                    predicate (HX_BUNDLE_PREDICATE_TYPE) says
 *                                    what ran: tool, target, profile and
 *                                    scenario digests, times, verdicts
 *   DIR/signing-key.pub.pem          the public key, when the key was made
 *                                    for the run (its private half is never
 *                                    written anywhere)
 *
 * The life of a bundle in a run: hx_bundle_init, hx_bundle_set_key (before
 * the run: a bad key file stops it), hx_bundle_note_inputs (the profile and
 * scenario files, hashed as loaded), hx_bundle_report_written as each
 * report is written (a struct hx_report_options callback), hx_bundle_write
 * after the last, hx_bundle_cleanup.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "hx/error.h"
#include "hx/result.h"
#include "hx/scenario.h"
#include "hx/signing_key.h"

#define HX_BUNDLE_ENVELOPE "attestation.dsse.json"
#define HX_BUNDLE_PUBLIC_KEY "signing-key.pub.pem"
#define HX_BUNDLE_STATEMENT_TYPE "https://in-toto.io/Statement/v1"
#define HX_BUNDLE_PREDICATE_TYPE "https://authconform.dev/attestation/run/v1"
#define HX_BUNDLE_SHA256_HEX 65 /* 64 hex digits and a NUL */

/* A file the statement names, with the SHA-256 of its bytes. */
struct hx_bundle_file {
    char *name;   /* as the statement gives it */
    char *source; /* where it was read from; NULL for a subject once written */
    char *format; /* the report format ("junit"), or NULL for an input file */
    char *id;     /* a scenario's id, or NULL */
    char sha256[HX_BUNDLE_SHA256_HEX];
};

struct hx_bundle {
    char *dir;
    struct hx_signing_key *key; /* owned */
    bool key_generated;
    struct hx_bundle_file profile;    /* name NULL until noted */
    struct hx_bundle_file *scenarios; /* the scenario files of the run */
    size_t n_scenarios;
    struct hx_bundle_file *reports; /* the reports written, source = their path */
    size_t n_reports;
    int rc; /* the first error of hx_bundle_report_written, reported by hx_bundle_write */
};

/* Lives in the caller's storage; dir is copied. Returns 0 or HX_E_NOMEM. */
int hx_bundle_init(struct hx_bundle *b, const char *dir);
/* Safe on a zeroed or initialised bundle, in any state. */
void hx_bundle_cleanup(struct hx_bundle *b);

/* Reads the Ed25519 private key at key_path, or makes one when key_path is
 * NULL. Returns 0, or an hx_signing_key_load_private() error with the file
 * and what is wrong in err. */
int hx_bundle_set_key(struct hx_bundle *b, const char *key_path, struct hx_error *err);

/* Hashes the profile file and each scenario file; their names in the
 * statement are relative to datadir when inside it. Call before the
 * scenarios' file names are rewritten for reports. Returns 0, or HX_E_IO /
 * HX_E_NOMEM with the file in err. */
int hx_bundle_note_inputs(struct hx_bundle *b, const char *datadir, const char *profile_file,
                          struct hx_scenario *const *scenarios, size_t n, struct hx_error *err);

/* Records a report the run wrote (format "junit", its path). Fits
 * struct hx_report_options' on_written, with ud the bundle. */
void hx_bundle_report_written(void *ud, const char *format, const char *path);

/* Returns new (json_decref()): the in-toto Statement of the bundle's
 * subjects (its reports, with their digests filled) and the run; NULL when
 * out of memory. */
json_t *hx_bundle_statement(const struct hx_bundle *b, const struct hx_result *r, int exit_code);

/* Copies each report into the bundle's folder (made if needed), then writes
 * the public key (a generated key) and the signed envelope. Progress goes to
 * msgs (may be NULL). Returns 0, or a negative HX_E_* code with the file and
 * the reason in err. */
int hx_bundle_write(struct hx_bundle *b, const struct hx_result *r, int exit_code, FILE *msgs,
                    struct hx_error *err);

#endif
