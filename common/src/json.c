#include "cmn/json.h"

#include <stdio.h>
#include <string.h>

#include "cmn/error.h"
#include "cmn/text.h"

const char *
cmn_json_get_str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int
cmn_json_get_int(const json_t *obj, const char *key, long long *out)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        return CMN_E_INVAL;
    *out = json_integer_value(v);
    return 0;
}

static int
json_dump_cb(const char *p, size_t n, void *data)
{
    return cmn_buf_add(data, p, n) == 0 ? 0 : -1;
}

int
cmn_json_dump_buf(const json_t *j, struct cmn_buf *b)
{
    if (json_dump_callback(j, json_dump_cb, b, JSON_COMPACT | JSON_ENCODE_ANY) != 0)
        return CMN_E_TOOBIG;
    return 0;
}

/* Depth of nesting, scanned on the raw text before jansson sees it, so that
 * a deeply nested bomb is refused without recursion. */
static int
json_depth_exceeds(const char *p, size_t n, int max_depth)
{
    int depth = 0;
    int in_string = 0;

    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth)
                return 1;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return 0;
}

json_t *
cmn_json_parse_strict(const char *p, size_t n, int max_depth, char *err, size_t err_size)
{
    json_error_t jerr;
    json_t *j;
    const char *why = NULL;

    if (memchr(p, '\0', n) != NULL)
        why = "body contains a NUL byte";
    else if (!cmn_text_is_utf8(p, n))
        why = "body is not valid UTF-8";
    else if (json_depth_exceeds(p, n, max_depth))
        why = "JSON nested too deeply";
    if (why != NULL) {
        if (err != NULL && err_size > 0)
            snprintf(err, err_size, "%s", why);
        return NULL;
    }
    j = json_loadb(p, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (j == NULL && err != NULL && err_size > 0)
        snprintf(err, err_size, "invalid JSON at line %d, column %d: %s", jerr.line, jerr.column,
                 jerr.text);
    return j;
}
