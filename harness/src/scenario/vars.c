#include "hx/vars.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/buf.h"

#define VARS_NAME_MAX 128
#define VARS_EXPAND_MAX ((size_t)4 << 20)

struct vars_entry {
    char *name;
    char *text;
    json_t *json; /* NULL for plain strings */
};

struct hx_vars {
    struct hx_vars *parent;
    struct vars_entry *items;
    size_t n, cap;
    hx_vars_generate_fn gen;
    void *gen_ud;
};

struct hx_vars *
hx_vars_new(struct hx_vars *parent)
{
    struct hx_vars *v = calloc(1, sizeof *v);
    if (v != NULL)
        v->parent = parent;
    return v;
}

void
hx_vars_free(struct hx_vars *v)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < v->n; i++) {
        free(v->items[i].name);
        free(v->items[i].text);
        json_decref(v->items[i].json);
    }
    free(v->items);
    free(v);
}

void
hx_vars_set_generator(struct hx_vars *v, hx_vars_generate_fn fn, void *ud)
{
    v->gen = fn;
    v->gen_ud = ud;
}

static struct vars_entry *
vars_find_local(const struct hx_vars *v, const char *name)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->items[i].name, name) == 0)
            return &v->items[i];
    return NULL;
}

static struct vars_entry *
vars_find(const struct hx_vars *v, const char *name)
{
    for (; v != NULL; v = v->parent) {
        struct vars_entry *e = vars_find_local(v, name);
        if (e != NULL)
            return e;
    }
    return NULL;
}

static int
vars_put(struct hx_vars *v, const char *name, char *text, json_t *json)
{
    struct vars_entry *e = vars_find_local(v, name);

    if (e == NULL) {
        if (v->n == v->cap) {
            size_t cap = v->cap ? v->cap * 2 : 16;
            struct vars_entry *p = realloc(v->items, cap * sizeof *p);
            if (p == NULL)
                goto nomem;
            v->items = p;
            v->cap = cap;
        }
        e = &v->items[v->n];
        e->name = strdup(name);
        if (e->name == NULL)
            goto nomem;
        e->text = NULL;
        e->json = NULL;
        v->n++;
    }
    free(e->text);
    json_decref(e->json);
    e->text = text;
    e->json = json;
    return 0;
nomem:
    free(text);
    json_decref(json);
    return HX_E_NOMEM;
}

int
hx_vars_set(struct hx_vars *v, const char *name, const char *value)
{
    char *t = strdup(value);
    if (t == NULL)
        return HX_E_NOMEM;
    return vars_put(v, name, t, NULL);
}

int
hx_vars_set_json(struct hx_vars *v, const char *name, const json_t *value)
{
    char *t;
    json_t *copy;

    if (json_is_string(value))
        t = strdup(json_string_value(value));
    else
        t = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    copy = json_deep_copy(value);
    if (t == NULL || copy == NULL) {
        free(t);
        json_decref(copy);
        return HX_E_NOMEM;
    }
    return vars_put(v, name, t, copy);
}

int
hx_vars_load_json_tree(struct hx_vars *v, const char *prefix, const json_t *tree)
{
    const char *key;
    json_t *val;
    char name[VARS_NAME_MAX];
    int rc;

    json_object_foreach((json_t *)tree, key, val)
    {
        int n = prefix && *prefix ? snprintf(name, sizeof name, "%s.%s", prefix, key)
                                  : snprintf(name, sizeof name, "%s", key);
        if (n < 0 || (size_t)n >= sizeof name)
            return HX_E_TOOLONG;
        if (json_is_null(val))
            continue;
        if (json_is_object(val))
            rc = hx_vars_load_json_tree(v, name, val);
        else
            rc = hx_vars_set_json(v, name, val);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static struct vars_entry *
vars_lookup(struct hx_vars *v, const char *name)
{
    struct vars_entry *e = vars_find(v, name);
    if (e == NULL && v->gen != NULL && v->gen(v->gen_ud, v, name) == 0)
        e = vars_find(v, name);
    return e;
}

const char *
hx_vars_get(struct hx_vars *v, const char *name)
{
    struct vars_entry *e = vars_lookup(v, name);
    return e ? e->text : NULL;
}

const json_t *
hx_vars_get_json(struct hx_vars *v, const char *name)
{
    struct vars_entry *e = vars_lookup(v, name);
    return e ? e->json : NULL;
}

bool
hx_vars_has(const struct hx_vars *v, const char *name)
{
    return vars_find(v, name) != NULL;
}

/* Parses "${name|filter}" at s (s points at '$'). On success fills name and
 * filter and returns the length of the reference; 0 with err on a malformed one. */
static size_t
vars_parse_ref(const char *s, char *name, char *filter, struct hx_error *err)
{
    const char *p = s + 2, *start = p;
    size_t n;

    while (*p != '\0' && *p != '}' && *p != '|')
        p++;
    n = (size_t)(p - start);
    if (*p == '\0') {
        hx_error_set(err, NULL, 0, "unterminated variable reference \"%.40s\"", s);
        return 0;
    }
    if (n == 0 || n >= VARS_NAME_MAX) {
        hx_error_set(err, NULL, 0, "bad variable name in \"%.40s\"", s);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)start[i];
        if (!isalnum(c) && c != '_' && c != '.' && c != '-') {
            hx_error_set(err, NULL, 0, "bad character '%c' in variable name \"%.*s\"", c, (int)n,
                         start);
            return 0;
        }
    }
    memcpy(name, start, n);
    name[n] = '\0';
    filter[0] = '\0';
    if (*p == '|') {
        const char *f = ++p;
        while (*p != '\0' && *p != '}')
            p++;
        if (*p != '}' || p - f == 0 || p - f >= 16) {
            hx_error_set(err, NULL, 0, "bad filter in variable reference \"%.40s\"", s);
            return 0;
        }
        memcpy(filter, f, (size_t)(p - f));
        filter[p - f] = '\0';
        if (strcmp(filter, "upper") != 0 && strcmp(filter, "lower") != 0 &&
            strcmp(filter, "urlencode") != 0) {
            hx_error_set(err, NULL, 0, "unknown filter \"%s\" (upper, lower, urlencode)", filter);
            return 0;
        }
    }
    return (size_t)(p - s) + 1;
}

static int
vars_apply(struct cmn_buf *b, const char *value, const char *filter)
{
    int rc = 0;

    if (filter[0] == '\0')
        return cmn_buf_adds(b, value);
    for (const unsigned char *p = (const unsigned char *)value; *p && rc == 0; p++) {
        if (strcmp(filter, "upper") == 0)
            rc = cmn_buf_addc(b, (char)toupper(*p));
        else if (strcmp(filter, "lower") == 0)
            rc = cmn_buf_addc(b, (char)tolower(*p));
        else if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
            rc = cmn_buf_addc(b, (char)*p);
        else
            rc = cmn_buf_addf(b, "%%%02X", *p);
    }
    return rc;
}

int
hx_vars_scan(const char *s, int (*fn)(void *ud, const char *name), void *ud, struct hx_error *err)
{
    char name[VARS_NAME_MAX], filter[16];

    for (const char *p = s; *p != '\0'; p++) {
        size_t len;
        int rc;
        if (p[0] != '$')
            continue;
        if (p[1] == '$' && p[2] == '{') {
            p += 2;
            continue;
        }
        if (p[1] != '{')
            continue;
        len = vars_parse_ref(p, name, filter, err);
        if (len == 0)
            return HX_E_PARSE;
        if ((rc = fn(ud, name)) != 0)
            return rc;
        p += len - 1;
    }
    return 0;
}

char *
hx_vars_expand(struct hx_vars *v, const char *s, struct hx_error *err)
{
    struct cmn_buf b;
    char name[VARS_NAME_MAX], filter[16];
    int rc = 0;

    cmn_buf_init(&b, VARS_EXPAND_MAX);
    for (const char *p = s; *p != '\0' && rc == 0;) {
        const char *value;
        size_t len;

        if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
            rc = cmn_buf_adds(&b, "${");
            p += 3;
            continue;
        }
        if (p[0] != '$' || p[1] != '{') {
            rc = cmn_buf_addc(&b, *p++);
            continue;
        }
        len = vars_parse_ref(p, name, filter, err);
        if (len == 0)
            goto fail;
        value = hx_vars_get(v, name);
        if (value == NULL) {
            hx_error_set(err, NULL, 0, "unknown variable ${%s}", name);
            goto fail;
        }
        rc = vars_apply(&b, value, filter);
        p += len;
    }
    if (rc != 0) {
        hx_error_set(err, NULL, 0, "expanding \"%.40s\": %s", s, hx_strerror(rc));
        goto fail;
    }
    return cmn_buf_take(&b);
fail:
    cmn_buf_cleanup(&b);
    return NULL;
}

static json_t *
vars_expand_node(struct hx_vars *v, const json_t *in, char *where, size_t where_size,
                 struct hx_error *err)
{
    size_t wl = strlen(where);

    if (json_is_string(in)) {
        const char *s = json_string_value(in);
        char name[VARS_NAME_MAX], filter[16];
        char *out;
        json_t *j;
        size_t len;

        if (s[0] == '$' && s[1] == '{') {
            struct hx_error e2;
            len = vars_parse_ref(s, name, filter, &e2);
            if (len > 0 && s[len] == '\0' && filter[0] == '\0') {
                const json_t *typed = hx_vars_get_json(v, name);
                if (typed != NULL)
                    return json_deep_copy(typed);
            }
        }
        out = hx_vars_expand(v, s, err);
        if (out == NULL) {
            char text[sizeof err->text];
            snprintf(text, sizeof text, "%s", err ? err->text : "");
            hx_error_set(err, NULL, 0, "%s: %s", where[0] ? where : "(top)", text);
            return NULL;
        }
        j = json_string(out);
        if (j == NULL) /* not UTF-8 after expansion */
            hx_error_set(err, NULL, 0, "%s: the expanded text is not valid UTF-8", where);
        free(out);
        return j;
    }
    if (json_is_object(in)) {
        json_t *o = json_object();
        const char *key;
        json_t *val;
        if (o == NULL)
            return NULL;
        json_object_foreach((json_t *)in, key, val)
        {
            char *k = hx_vars_expand(v, key, err);
            json_t *x;
            if (k == NULL) {
                char text[sizeof err->text];
                snprintf(text, sizeof text, "%s", err ? err->text : "");
                hx_error_set(err, NULL, 0, "%s: key %s: %s", where[0] ? where : "(top)", key, text);
                json_decref(o);
                return NULL;
            }
            snprintf(where + wl, where_size - wl, "%s%s", wl ? "." : "", key);
            x = vars_expand_node(v, val, where, where_size, err);
            where[wl] = '\0';
            if (x == NULL || json_object_set_new(o, k, x) != 0) {
                free(k);
                json_decref(o);
                return NULL;
            }
            free(k);
        }
        return o;
    }
    if (json_is_array(in)) {
        json_t *a = json_array();
        size_t i;
        json_t *val;
        if (a == NULL)
            return NULL;
        json_array_foreach((json_t *)in, i, val)
        {
            json_t *x;
            snprintf(where + wl, where_size - wl, "[%zu]", i);
            x = vars_expand_node(v, val, where, where_size, err);
            where[wl] = '\0';
            if (x == NULL || json_array_append_new(a, x) != 0) {
                json_decref(a);
                return NULL;
            }
        }
        return a;
    }
    return json_deep_copy(in);
}

json_t *
hx_vars_expand_json(struct hx_vars *v, const json_t *in, struct hx_error *err)
{
    char where[512] = "";
    return vars_expand_node(v, in, where, sizeof where, err);
}
