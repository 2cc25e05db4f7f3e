#ifndef HX_JSONPATH_H
#define HX_JSONPATH_H
/*
 * The small path language of expectations and captures:
 *
 *   $                 the whole document
 *   $.user.id         object members
 *   $['odd key']      members whose names are not identifiers ("..." also works)
 *   $[0], $[-1]       array elements, negative from the end
 *   $.items.length()  the number of elements of an array, members of an
 *                     object, or characters of a string (as an integer)
 *
 * A path without the leading "$" is read as "$." + path ("user.id").
 */
#include <jansson.h>

#include "hx/error.h"

/* Checks the syntax only. Returns 0 or HX_E_PARSE with err->text saying
 * where the path goes wrong. */
int hx_jsonpath_check(const char *path, struct hx_error *err);

/* Looks path up in root. Returns 0 with *out new (json_decref) or NULL when
 * the path leads nowhere; HX_E_PARSE for a malformed path. */
int hx_jsonpath_get(const json_t *root, const char *path, json_t **out, struct hx_error *err);

#endif
