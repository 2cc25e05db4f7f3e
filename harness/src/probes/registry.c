/* The table of built-in probes (probe_list.h) and the checking of their
 * arguments against each definition. */
#include <stddef.h>
#include <string.h>

#include "hx/probe.h"
#include "probe_int.h"

#define HX_PROBE(name) extern const struct hx_probe_def hx__probe_##name;
#include "probe_list.h"
#undef HX_PROBE

static const struct hx_probe_def *const probe_table[] = {
#define HX_PROBE(name) &hx__probe_##name,
#include "probe_list.h"
#undef HX_PROBE
    NULL,
};

const struct hx_probe_def *const *
hx_probe_all(void)
{
    return probe_table;
}

const struct hx_probe_def *
hx_probe_find(const char *name)
{
    for (const struct hx_probe_def *const *p = probe_table; *p != NULL; p++)
        if (strcmp((*p)->name, name) == 0)
            return *p;
    return NULL;
}

static bool
registry_in(const char *const *choices, const char *s)
{
    for (; *choices != NULL; choices++)
        if (strcmp(*choices, s) == 0)
            return true;
    return false;
}

/* Judges one value against its declaration; sets err on a mismatch. */
static int
registry_check_value(const struct hx_probe_arg *a, const json_t *v, struct hx_error *err)
{
    static const char *const type_names[] = {
        ['s'] = "a string",      ['i'] = "an integer",          ['n'] = "a number",
        ['b'] = "true or false", ['a'] = "an array of strings",
    };
    bool ok = false;

    switch (a->type) {
    case 's':
        ok = json_is_string(v) &&
             (a->choices == NULL || registry_in(a->choices, json_string_value(v)));
        break;
    case 'i':
        ok = json_is_integer(v) && (a->min >= a->max || (json_integer_value(v) >= a->min &&
                                                         json_integer_value(v) <= a->max));
        break;
    case 'n':
        ok = json_is_number(v);
        break;
    case 'b':
        ok = json_is_boolean(v);
        break;
    case 'a': {
        size_t i;
        json_t *e;
        ok = json_is_array(v);
        json_array_foreach(v, i, e)
        {
            if (!json_is_string(e)) {
                ok = false;
                break;
            }
            if (a->choices != NULL && !registry_in(a->choices, json_string_value(e))) {
                hx_error_set(err, NULL, 0, "args.%s[%zu]: \"%s\" is not one of the allowed values",
                             a->key, i, json_string_value(e));
                return HX_E_PARSE;
            }
        }
        break;
    }
    default:
        break;
    }
    if (ok)
        return 0;
    if (a->type == 'i' && json_is_integer(v))
        hx_error_set(err, NULL, 0, "args.%s: expected %lld..%lld", a->key, a->min, a->max);
    else if (a->choices != NULL && json_is_string(v))
        hx_error_set(err, NULL, 0, "args.%s: \"%s\" is not one of the allowed values", a->key,
                     json_string_value(v));
    else
        hx_error_set(err, NULL, 0, "args.%s: expected %s", a->key,
                     (unsigned char)a->type < sizeof type_names / sizeof type_names[0] &&
                             type_names[(unsigned char)a->type] != NULL
                         ? type_names[(unsigned char)a->type]
                         : "a value");
    return HX_E_PARSE;
}

int
hx_probe_validate_args(const struct hx_probe_def *def, const json_t *args, struct hx_error *err)
{
    const char *key;
    json_t *v;

    if (args == NULL)
        return 0;
    if (!json_is_object(args)) {
        hx_error_set(err, NULL, 0, "args: expected an object");
        return HX_E_PARSE;
    }
    json_object_foreach((json_t *)args, key, v)
    {
        const struct hx_probe_arg *a = def->args;
        while (a != NULL && a->key != NULL && strcmp(a->key, key) != 0)
            a++;
        if (a == NULL || a->key == NULL) {
            hx_error_set(err, NULL, 0, "args.%s: unknown argument of probe %s", key, def->name);
            return HX_E_PARSE;
        }
        if (registry_check_value(a, v, err) != 0)
            return HX_E_PARSE;
    }
    return def->check_args != NULL ? def->check_args(args, err) : 0;
}
