#ifndef RS_API_INT_H
#define RS_API_INT_H
/* Shared by the files of src/api only. */
#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "rs/request.h"

/* The body must be Content-Type application/json and one strict JSON object
 * (no duplicate keys, valid UTF-8, no NUL, bounded nesting, numbers that
 * fit). On success *out is new; else a 422 naming the problem was queued. */
bool rs__api_body_object(struct rs_request *r, json_t **out, enum MHD_Result *answered);

/* Characters (code points) of a valid UTF-8 string. */
size_t rs__api_chars(const char *s);

/* Answers a store failure: RS_E_NOTFOUND -> 404 with notfound, database
 * trouble -> 503, anything else -> 500 without detail. */
enum MHD_Result rs__api_store_error(struct rs_request *r, int rc, const char *notfound);

#endif
