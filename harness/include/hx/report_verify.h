#ifndef HX_REPORT_VERIFY_H
#define HX_REPORT_VERIFY_H
/*
 * `authconform verify DIR [--key PUB.pem]`: checks offline an evidence
 * bundle that `authconform run --bundle DIR` wrote (hx/report_bundle.h).
 *
 * In order: the envelope's shape (every malformed member named), its
 * Ed25519 signature over the DSSE PAE with the key given (or, without one,
 * the bundle's own signing-key.pub.pem, which proves integrity only: anyone
 * who can change the files can replace that key too), the keyid against
 * the key, the statement's shape, then the SHA-256 of every subject file
 * (each changed or missing one named), and last the files of DIR the
 * statement does not cover (named, not a failure: they are simply not
 * signed). The statement is read only once its signature holds.
 */
#include <stdio.h>

#include "hx/error.h"

/* Verifies the bundle in dir; key_path NULL takes DIR/signing-key.pub.pem.
 * Prints what it checks to out. Returns the number of verification
 * failures (0: verified), or a negative HX_E_* code (HX_E_NOTFOUND, HX_E_IO,
 * HX_E_PARSE, HX_E_NOMEM) with the file, the member and the reason in err
 * (may be NULL). */
int hx_verify_bundle(const char *dir, const char *key_path, FILE *out, struct hx_error *err);

/* The subcommand: argv[0] is "verify". Options --key FILE, --help,
 * --version. Returns the exit status: 0 verified, 1 verification failed
 * (signature, keyid or a file's digest), 2 usage or file error. */
int hx_verify_main(int argc, char **argv);

#endif
