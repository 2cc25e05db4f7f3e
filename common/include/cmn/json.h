#ifndef CMN_JSON_H
#define CMN_JSON_H
/* Small jansson helpers both programs need. */
#include <jansson.h>
#include <stddef.h>

#include "cmn/buf.h"

/* Borrowed: the string member `key` of obj, or NULL when absent or not a string. */
const char *cmn_json_get_str(const json_t *obj, const char *key);

/* Reads the integer member `key` of obj into *out. Returns 0, CMN_E_INVAL
 * when absent or not an integer. */
int cmn_json_get_int(const json_t *obj, const char *key, long long *out);

/* Appends the compact serialisation of j (keys in insertion order) to b. */
int cmn_json_dump_buf(const json_t *j, struct cmn_buf *b);

/* Parses a whole body (p, n) strictly: it must be one JSON value, with
 * no duplicate keys, no NUL bytes, valid UTF-8, nesting at most max_depth.
 * Returns new on success; on failure NULL and, when err is given, a short
 * reason in err (at most err_size bytes). */
json_t *cmn_json_parse_strict(const char *p, size_t n, int max_depth, char *err, size_t err_size);

#endif
