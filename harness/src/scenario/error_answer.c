#include "hx/error_answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/jsonpath.h"

/* The cases of the quickstart's errors: those of messages.*, and a
 * validation refusal (invalid) and a missing resource (not_found). */
const char *const hx_error_cases[] = {
    "duplicate", "bad_credentials", "unauthenticated", "invalid_token", "expired",
    "forbidden", "invalid",         "not_found",       NULL,
};

const char *
hx_errors_path(const json_t *profile, enum hx_error_side side, const char *what)
{
    const json_t *errors = json_object_get(profile, "errors");
    const json_t *v = NULL;

    if (side == HX_ERRORS_AUTH)
        v = json_object_get(json_object_get(errors, "auth"), what);
    if (v == NULL)
        v = json_object_get(errors, what);
    /* a profile loaded without errors (an old full profile): the quickstart's */
    if (v == NULL && errors == NULL && strcmp(what, "message") == 0)
        return "$.detail";
    return json_string_value(v);
}

bool
hx_errors_read(const char *body, size_t len, const char *path, char *out, size_t out_size)
{
    json_t *doc, *v = NULL;
    bool found = false;

    if (out_size > 0)
        out[0] = '\0';
    if (body == NULL || path == NULL)
        return false;
    doc = json_loadb(body, len, JSON_DECODE_ANY, NULL);
    if (doc != NULL && hx_jsonpath_get(doc, path, &v, NULL) == 0 && v != NULL) {
        if (json_is_string(v)) {
            snprintf(out, out_size, "%s", json_string_value(v));
        } else {
            char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            snprintf(out, out_size, "%s", s != NULL ? s : "");
            free(s);
        }
        found = true;
    }
    json_decref(v);
    json_decref(doc);
    return found;
}

const char *
hx_errors_case(const json_t *profile, const char *code)
{
    const json_t *codes = json_object_get(json_object_get(profile, "errors"), "codes");
    const char *key;
    json_t *val;

    if (code == NULL)
        return NULL;
    json_object_foreach((json_t *)codes, key, val)
    {
        if (json_is_string(val) && strcmp(json_string_value(val), code) == 0)
            return key;
    }
    return NULL;
}
