#include "hx/jsonpath.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSONPATH_KEY_MAX 256

enum jsonpath_tok { JP_END, JP_KEY, JP_INDEX, JP_LENGTH, JP_ERROR };

struct jsonpath_lex {
    const char *path;
    const char *p;
    char key[JSONPATH_KEY_MAX];
    long index;
    struct hx_error *err;
};

static enum jsonpath_tok
jsonpath_fail(struct jsonpath_lex *lx, const char *what)
{
    hx_error_set(lx->err, NULL, 0, "path %s: %s at offset %d", lx->path, what,
                 (int)(lx->p - lx->path));
    return JP_ERROR;
}

static enum jsonpath_tok
jsonpath_next(struct jsonpath_lex *lx)
{
    const char *p = lx->p;

    if (*p == '\0')
        return JP_END;
    if (*p == '.') {
        size_t n = 0;
        p++;
        while (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '-' || p[n] == '$' ||
               p[n] == '@')
            n++;
        if (n == 0) {
            lx->p = p;
            return jsonpath_fail(lx, "expected a member name after '.'");
        }
        if (n >= sizeof lx->key)
            return jsonpath_fail(lx, "member name too long");
        if (n == 6 && strncmp(p, "length", 6) == 0 && p[6] == '(' && p[7] == ')') {
            lx->p = p + 8;
            if (*lx->p != '\0')
                return jsonpath_fail(lx, "length() must end the path");
            return JP_LENGTH;
        }
        memcpy(lx->key, p, n);
        lx->key[n] = '\0';
        lx->p = p + n;
        return JP_KEY;
    }
    if (*p == '[') {
        p++;
        if (*p == '\'' || *p == '"') {
            char q = *p++;
            size_t n = 0;
            while (*p != '\0' && *p != q) {
                if (*p == '\\' && p[1] != '\0')
                    p++;
                if (n + 1 >= sizeof lx->key)
                    return jsonpath_fail(lx, "member name too long");
                lx->key[n++] = *p++;
            }
            lx->key[n] = '\0';
            if (*p != q || p[1] != ']') {
                lx->p = p;
                return jsonpath_fail(lx, "unterminated quoted member name");
            }
            lx->p = p + 2;
            return JP_KEY;
        }
        if (*p == '-' || isdigit((unsigned char)*p)) {
            char *end;
            errno = 0;
            lx->index = strtol(p, &end, 10);
            if (errno != 0 || end == p || *end != ']') {
                lx->p = p;
                return jsonpath_fail(lx, "expected an index or a quoted name in [...]");
            }
            lx->p = end + 1;
            return JP_INDEX;
        }
        lx->p = p;
        return jsonpath_fail(lx, "expected an index or a quoted name in [...]");
    }
    return jsonpath_fail(lx, "expected '.' or '['");
}

static void
jsonpath_start(struct jsonpath_lex *lx, const char *path, struct hx_error *err, char *tmp,
               size_t tmp_size)
{
    lx->path = path;
    lx->err = err;
    if (path[0] == '$') {
        lx->p = path + 1;
    } else {
        /* "user.id" reads as "$.user.id" */
        snprintf(tmp, tmp_size, ".%s", path);
        lx->p = tmp;
    }
}

int
hx_jsonpath_check(const char *path, struct hx_error *err)
{
    json_t *dummy = json_null();
    json_t *out = NULL;
    int rc = hx_jsonpath_get(dummy, path, &out, err);
    json_decref(out);
    json_decref(dummy);
    return rc;
}

int
hx_jsonpath_get(const json_t *root, const char *path, json_t **out, struct hx_error *err)
{
    struct jsonpath_lex lx;
    char tmp[1024];
    const json_t *cur = root;
    bool lost = false;
    enum jsonpath_tok t;

    if (strlen(path) + 2 > sizeof tmp) {
        hx_error_set(err, NULL, 0, "path too long (%zu characters)", strlen(path));
        return HX_E_PARSE;
    }
    if (path[0] == '\0') {
        hx_error_set(err, NULL, 0, "empty path");
        return HX_E_PARSE;
    }
    jsonpath_start(&lx, path, err, tmp, sizeof tmp);
    while ((t = jsonpath_next(&lx)) != JP_END) {
        if (t == JP_ERROR)
            return HX_E_PARSE;
        if (lost)
            continue; /* keep checking the syntax */
        switch (t) {
        case JP_KEY:
            cur = json_is_object(cur) ? json_object_get(cur, lx.key) : NULL;
            break;
        case JP_INDEX:
            if (json_is_array(cur)) {
                long n = (long)json_array_size(cur);
                long i = lx.index < 0 ? n + lx.index : lx.index;
                cur = (i >= 0 && i < n) ? json_array_get(cur, (size_t)i) : NULL;
            } else {
                cur = NULL;
            }
            break;
        case JP_LENGTH: {
            json_int_t len = -1;
            if (json_is_array(cur))
                len = (json_int_t)json_array_size(cur);
            else if (json_is_object(cur))
                len = (json_int_t)json_object_size(cur);
            else if (json_is_string(cur))
                len = (json_int_t)json_string_length(cur);
            if (len < 0) {
                *out = NULL;
                return 0;
            }
            *out = json_integer(len);
            return 0;
        }
        default:
            break;
        }
        if (cur == NULL)
            lost = true;
    }
    *out = lost ? NULL : json_incref((json_t *)cur);
    return 0;
}
