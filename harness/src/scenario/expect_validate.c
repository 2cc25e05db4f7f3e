/* Load-time validation of a step's "expect" block: every matcher, type name
 * and regular expression checked, with the file and field at fault (see
 * hx/expect.h). */
#include "hx/expect.h"

#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmn/b64url.h"
#include "cmn/json.h"
#include "cmn/text.h"
#include "hx/jsonpath.h"
#include "hx/jwt.h"

static const char *const matcher_keys[] = {
    "present", "absent",     "equals",     "tolerance", "not_equals",   "one_of",
    "type",    "matches",    "icase",      "contains",  "not_contains", "is",
    "length",  "min_length", "max_length", "min",       "max",          NULL,
};
static const char *const type_names[] = {"string", "number", "integer", "boolean",
                                         "null",   "object", "array",   NULL};
static const char *const is_names[] = {"uuid", "rfc3339", "email", "jwt", "non-empty", NULL};

static bool
expect_in(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

static bool
expect_templated(const json_t *v)
{
    return json_is_string(v) && strstr(json_string_value(v), "${") != NULL;
}

static void
validate_regex(const json_t *v, bool icase, const char *file, const char *where,
               struct hx_errlist *errs)
{
    regex_t re;
    int rc;

    if (expect_templated(v))
        return;
    if (!json_is_string(v)) {
        hx_errlist_add(errs, file, 0, "%s.matches: expected a regular expression string", where);
        return;
    }
    rc = regcomp(&re, json_string_value(v), REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0));
    if (rc != 0) {
        char msg[128];
        regerror(rc, &re, msg, sizeof msg);
        hx_errlist_add(errs, file, 0, "%s.matches: bad regular expression: %s", where, msg);
        return;
    }
    regfree(&re);
}

static void
validate_matcher(const json_t *m, const char *file, const char *where, struct hx_errlist *errs)
{
    const char *key;
    json_t *v;

    if (!json_is_object(m))
        return; /* a plain value means equality */
    if (json_object_size(m) == 0)
        hx_errlist_add(errs, file, 0, "%s: empty matcher", where);
    json_object_foreach((json_t *)m, key, v)
    {
        if (!expect_in(matcher_keys, key)) {
            hx_errlist_add(errs, file, 0,
                           "%s.%s: unknown matcher (use equals for an object value; known: "
                           "present, absent, equals, not_equals, one_of, type, matches, icase, "
                           "contains, not_contains, is, length, min_length, max_length, min, max, "
                           "tolerance)",
                           where, key);
            continue;
        }
        if (expect_templated(v))
            continue;
        if ((strcmp(key, "present") == 0 || strcmp(key, "absent") == 0 ||
             strcmp(key, "icase") == 0) &&
            !json_is_boolean(v))
            hx_errlist_add(errs, file, 0, "%s.%s: expected true or false", where, key);
        else if (strcmp(key, "type") == 0) {
            bool ok = json_is_string(v) && expect_in(type_names, json_string_value(v));
            if (json_is_array(v) && json_array_size(v) > 0) {
                size_t i;
                json_t *t;
                ok = true;
                json_array_foreach(v, i, t) ok =
                    ok && json_is_string(t) && expect_in(type_names, json_string_value(t));
            }
            if (!ok)
                hx_errlist_add(errs, file, 0,
                               "%s.type: expected one of string, number, integer, boolean, null, "
                               "object, array (or a list of them)",
                               where);
        } else if (strcmp(key, "is") == 0) {
            if (!json_is_string(v) || !expect_in(is_names, json_string_value(v)))
                hx_errlist_add(errs, file, 0,
                               "%s.is: expected \"uuid\", \"rfc3339\", \"email\", \"jwt\" or "
                               "\"non-empty\"",
                               where);
        } else if (strcmp(key, "matches") == 0) {
            validate_regex(v, json_is_true(json_object_get(m, "icase")), file, where, errs);
        } else if (strcmp(key, "one_of") == 0 && !json_is_array(v)) {
            hx_errlist_add(errs, file, 0, "%s.one_of: expected a list of values", where);
        } else if ((strcmp(key, "length") == 0 || strcmp(key, "min_length") == 0 ||
                    strcmp(key, "max_length") == 0) &&
                   (!json_is_integer(v) || json_integer_value(v) < 0)) {
            hx_errlist_add(errs, file, 0, "%s.%s: expected a count (an integer >= 0)", where, key);
        } else if ((strcmp(key, "min") == 0 || strcmp(key, "max") == 0 ||
                    strcmp(key, "tolerance") == 0) &&
                   !json_is_number(v)) {
            hx_errlist_add(errs, file, 0, "%s.%s: expected a number", where, key);
        }
    }
    if (json_object_get(m, "present") && json_object_get(m, "absent"))
        hx_errlist_add(errs, file, 0, "%s: present and absent together", where);
}

static void
validate_status_value(const json_t *v, const char *file, const char *where, struct hx_errlist *errs)
{
    if (expect_templated(v))
        return;
    if (json_is_integer(v) && json_integer_value(v) >= 100 && json_integer_value(v) <= 599)
        return;
    if (json_is_array(v) && json_array_size(v) > 0) {
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c) validate_status_value(c, file, where, errs);
        return;
    }
    hx_errlist_add(errs, file, 0, "%s.status: expected an HTTP status (100-599) or a list of them",
                   where);
}

static void
validate_map(const json_t *map, const char *name, bool paths, const char *file, const char *where,
             struct hx_errlist *errs)
{
    const char *key;
    json_t *v;
    char w[512];

    if (!json_is_object(map)) {
        hx_errlist_add(errs, file, 0, "%s.%s: expected an object", where, name);
        return;
    }
    json_object_foreach((json_t *)map, key, v)
    {
        snprintf(w, sizeof w, "%s.%s[\"%s\"]", where, name, key);
        if (paths && strstr(key, "${") == NULL) {
            struct hx_error e;
            if (hx_jsonpath_check(key, &e) != 0)
                hx_errlist_add(errs, file, 0, "%s: %s", w, e.text);
        }
        validate_matcher(v, file, w, errs);
    }
}

void
hx_expect_validate(const json_t *expect, const char *file, const char *where,
                   struct hx_errlist *errs)
{
    const char *key;
    json_t *v;
    char w[512];

    if (!json_is_object(expect)) {
        hx_errlist_add(errs, file, 0, "%s: expected an object", where);
        return;
    }
    json_object_foreach((json_t *)expect, key, v)
    {
        if (strcmp(key, "status") == 0) {
            validate_status_value(v, file, where, errs);
        } else if (strcmp(key, "headers") == 0) {
            validate_map(v, "headers", false, file, where, errs);
        } else if (strcmp(key, "json") == 0) {
            validate_map(v, "json", true, file, where, errs);
        } else if (strcmp(key, "body") == 0) {
            const char *k;
            json_t *x;
            if (!json_is_object(v)) {
                hx_errlist_add(errs, file, 0, "%s.body: expected an object", where);
                continue;
            }
            json_object_foreach(v, k, x)
            {
                snprintf(w, sizeof w, "%s.body", where);
                if (strcmp(k, "matches") == 0)
                    validate_regex(x, false, file, w, errs);
                else if ((strcmp(k, "contains") == 0 || strcmp(k, "not_contains") == 0) &&
                         !json_is_string(x))
                    hx_errlist_add(errs, file, 0, "%s.%s: expected a string", w, k);
                else if (strcmp(k, "is_json") == 0 && !json_is_boolean(x))
                    hx_errlist_add(errs, file, 0, "%s.is_json: expected true or false", w);
                else if (strcmp(k, "max_bytes") == 0 && !json_is_integer(x))
                    hx_errlist_add(errs, file, 0, "%s.max_bytes: expected an integer", w);
                else if (!expect_in((const char *const[]){"matches", "contains", "not_contains",
                                                          "is_json", "max_bytes", NULL},
                                    k))
                    hx_errlist_add(errs, file, 0,
                                   "%s.%s: unknown (contains, not_contains, matches, is_json, "
                                   "max_bytes)",
                                   w, k);
            }
        } else if (strcmp(key, "jwt") == 0) {
            const char *k;
            json_t *x;
            if (!json_is_object(v)) {
                hx_errlist_add(errs, file, 0, "%s.jwt: expected an object", where);
                continue;
            }
            json_object_foreach(v, k, x)
            {
                snprintf(w, sizeof w, "%s.jwt", where);
                if (strcmp(k, "header") == 0 || strcmp(k, "claims") == 0) {
                    validate_map(x, k, false, file, w, errs);
                } else if (strcmp(k, "lifetime") == 0) {
                    snprintf(w, sizeof w, "%s.jwt.lifetime", where);
                    validate_matcher(x, file, w, errs);
                } else if (strcmp(k, "from") == 0) {
                    if (!json_is_string(x))
                        hx_errlist_add(errs, file, 0,
                                       "%s.from: expected \"$.path\", \"header:Name\" or "
                                       "\"cookie:name\"",
                                       w);
                } else if (strcmp(k, "not_expired") == 0) {
                    if (!json_is_boolean(x))
                        hx_errlist_add(errs, file, 0, "%s.not_expired: expected true or false", w);
                } else if (strcmp(k, "segments") == 0) {
                    if (!json_is_integer(x))
                        hx_errlist_add(errs, file, 0, "%s.segments: expected an integer", w);
                } else {
                    hx_errlist_add(errs, file, 0,
                                   "%s.%s: unknown (from, segments, header, claims, lifetime, "
                                   "not_expired)",
                                   w, k);
                }
            }
        } else {
            hx_errlist_add(errs, file, 0,
                           "%s.%s: unknown expectation (status, headers, json, body, jwt)", where,
                           key);
        }
    }
}
