#ifndef HX_REPORT_BUNDLE_INT_H
#define HX_REPORT_BUNDLE_INT_H
/* What the bundle writer (bundle.c) and its verifier (verify.c) share: the
 * SHA-256 of bytes and of files. Only for report/bundle*.c and verify.c. */
#include <stddef.h>

#include "hx/error.h"
#include "hx/report_bundle.h"

/* Largest file a bundle holds: the largest report a writer builds. */
#define HX__BUNDLE_FILE_MAX ((size_t)256 << 20)

/* Writes the lowercase hex SHA-256 of (p, n) into out. */
void hx__bundle_sha256_hex(const void *p, size_t n, char out[HX_BUNDLE_SHA256_HEX]);

/* Reads the file at path whole (at most HX__BUNDLE_FILE_MAX bytes). Returns
 * 0 with *out new (free()) and *out_len; HX_E_NOTFOUND when there is no such
 * file, HX_E_IO or HX_E_TOOBIG otherwise, with the path and reason in err. */
int hx__bundle_read(const char *path, char **out, size_t *out_len, struct hx_error *err);

#endif
