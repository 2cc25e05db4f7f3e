#include "hx/pacer.h"
#include "hx/profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmn/env.h"
#include "hx/error_answer.h"
#include "hx/jsonpath.h"
#include "hx/signup_extra.h"

static const char *const profile_sections[] = {
    "name",  "description", "paths",    "fields",   "codes",   "auth",   "messages",
    "token", "tasks",       "database", "identity", "extends", "limits",   "errors", NULL,
};

const char *const hx_task_ops[] = {"list", "create", "read", "update", "delete", NULL};

char *
hx_task_ops_text(unsigned ops, char *out, size_t out_size)
{
    size_t o = 0;

    if (out_size == 0)
        return out;
    out[0] = '\0';
    for (size_t i = 0; hx_task_ops[i] != NULL; i++)
        if ((ops & (1u << i)) && o < out_size)
            o += (size_t)snprintf(out + o, out_size - o, "%s%s", o ? ", " : "", hx_task_ops[i]);
    if (o == 0)
        snprintf(out, out_size, "none");
    return out;
}

/* The HX_TASK_* bits of a tasks.operations array; -1 when it is not one
 * (an unknown or repeated name, or not an array of strings). */
static long
profile_task_ops(const json_t *arr)
{
    size_t i;
    json_t *v;
    long ops = 0;

    if (!json_is_array(arr))
        return -1;
    json_array_foreach((json_t *)arr, i, v)
    {
        long bit = -1;
        for (size_t k = 0; json_is_string(v) && hx_task_ops[k] != NULL; k++)
            if (strcmp(hx_task_ops[k], json_string_value(v)) == 0)
                bit = 1L << k;
        if (bit < 0 || (ops & bit))
            return -1;
        ops |= bit;
    }
    return ops;
}

/* tasks.writes, the older spelling: true is every operation, false the
 * list alone (without writes, no task exists that the harness could read
 * back). In the profile's own text (user, before the merge) it replaces
 * the default's tasks.operations in root; a note says how it was read.
 * Giving both is an error. */
static int
profile_tasks_writes(const char *file, const json_t *user, json_t *root, json_t *notes,
                     struct hx_errlist *errs)
{
    const json_t *tasks = json_object_get(user, "tasks");
    const json_t *w = json_object_get(tasks, "writes");
    json_t *rtasks = json_object_get(root, "tasks");
    json_t *ops;

    if (w == NULL || !json_is_object(rtasks))
        return 0;
    if (!json_is_boolean(w)) {
        hx_errlist_add(errs, file, 0,
                       "tasks.writes: expected true or false (or give tasks.operations)");
        return 0;
    }
    if (json_object_get(tasks, "operations") != NULL) {
        hx_errlist_add(errs, file, 0,
                       "tasks.writes: give tasks.operations or tasks.writes (its older "
                       "spelling), not both");
        return 0;
    }
    ops = json_is_true(w) ? json_pack("[s,s,s,s,s]", "list", "create", "read", "update", "delete")
                          : json_pack("[s]", "list");
    if (ops == NULL || json_object_set_new(rtasks, "operations", ops) != 0 ||
        json_array_append_new(
            notes, json_sprintf("tasks.writes: %s is read as tasks.operations %s",
                                json_is_true(w) ? "true" : "false",
                                json_is_true(w) ? "[\"list\", \"create\", \"read\", "
                                                  "\"update\", \"delete\"]"
                                                : "[\"list\"] (without writes there is no task "
                                                  "the harness could read back)")) != 0)
        return HX_E_NOMEM;
    return 0;
}

static bool
profile_known_section(const char *key)
{
    for (const char *const *s = profile_sections; *s; s++)
        if (strcmp(*s, key) == 0)
            return true;
    return false;
}

/* Largest profile file read. */
#define PROFILE_FILE_MAX ((size_t)1 << 20)

static json_t *
profile_parse(const char *text, size_t len, const char *name, struct hx_errlist *errs, int *rc)
{
    json_error_t jerr;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);

    if (j == NULL) {
        *rc = HX_E_PARSE;
        hx_errlist_add(errs, name, jerr.line > 0 ? jerr.line : 0, "%s", jerr.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        *rc = HX_E_PARSE;
        hx_errlist_add(errs, name, 0, "a profile is a JSON object");
        json_decref(j);
        return NULL;
    }
    return j;
}

/* Returns new: the text of file (*len bytes), or NULL with the problem in errs. */
static char *
profile_read_text(const char *file, size_t *len, struct hx_errlist *errs, int *rc)
{
    char *text = NULL;
    int r = cmn_read_file(file, PROFILE_FILE_MAX, &text, len);

    if (r == 0)
        return text;
    if (r == CMN_E_TOOBIG) {
        *rc = HX_E_PARSE;
        hx_errlist_add(errs, file, 0, "larger than %zu bytes", PROFILE_FILE_MAX);
    } else if (r == CMN_E_NOMEM) {
        *rc = HX_E_NOMEM;
    } else {
        *rc = HX_E_IO;
        hx_errlist_add(errs, file, 0, "cannot read the file: %s", strerror(errno));
    }
    return NULL;
}

static bool
profile_is_code(const json_t *v)
{
    return json_is_integer(v) && json_integer_value(v) >= 100 && json_integer_value(v) <= 599;
}

/* A place a credential is read from: "$.json.path", "header:NAME" or
 * "cookie:NAME". */
static bool
profile_is_location(const json_t *v)
{
    const char *s = json_string_value(v);
    if (s == NULL)
        return false;
    if (s[0] == '$')
        return hx_jsonpath_check(s, NULL) == 0;
    if (strncmp(s, "header:", 7) == 0)
        return s[7] != '\0';
    if (strncmp(s, "cookie:", 7) == 0)
        return s[7] != '\0';
    return false;
}

/* auth.session (where the session credential comes from) and auth.exchange
 * (the request that turns it into the API credential). */
static void
profile_check_credentials(const char *file, const json_t *auth, struct hx_errlist *errs)
{
    const json_t *session = json_object_get(auth, "session");
    const json_t *ex = json_object_get(auth, "exchange");
    const char *key;
    json_t *val;

    if (session != NULL && !json_is_null(session) && !profile_is_location(session))
        hx_errlist_add(errs, file, 0,
                       "auth.session: expected where the session credential is: \"$.json.path\", "
                       "\"header:NAME\" or \"cookie:NAME\"");
    if (ex == NULL || json_is_null(ex))
        return;
    if (!json_is_object(ex)) {
        hx_errlist_add(errs, file, 0,
                       "auth.exchange: expected an object (method, path, send, token)");
        return;
    }
    json_object_foreach((json_t *)ex, key, val)
    {
        if (strcmp(key, "method") == 0) {
            if (!json_is_string(val) || (strcmp(json_string_value(val), "GET") != 0 &&
                                         strcmp(json_string_value(val), "POST") != 0))
                hx_errlist_add(errs, file, 0, "auth.exchange.method: expected \"GET\" or \"POST\"");
        } else if (strcmp(key, "path") == 0) {
            if (!json_is_string(val) || json_string_value(val)[0] != '/')
                hx_errlist_add(errs, file, 0,
                               "auth.exchange.path: expected a path starting with '/'");
        } else if (strcmp(key, "send") == 0) {
            const char *s = json_string_value(val);
            if (s == NULL ||
                (strcmp(s, "bearer") != 0 && !(strncmp(s, "cookie:", 7) == 0 && s[7] != '\0')))
                hx_errlist_add(errs, file, 0,
                               "auth.exchange.send: expected \"bearer\" (Authorization: "
                               "<auth.scheme> <session>) or \"cookie:NAME\"");
        } else if (strcmp(key, "token") == 0) {
            if (!profile_is_location(val))
                hx_errlist_add(errs, file, 0,
                               "auth.exchange.token: expected where the API credential is in "
                               "the answer: \"$.json.path\", \"header:NAME\" or \"cookie:NAME\"");
        } else {
            hx_errlist_add(errs, file, 0, "auth.exchange.%s: unknown (method, path, send, token)",
                           key);
        }
    }
    if (!json_is_string(json_object_get(ex, "path")))
        hx_errlist_add(errs, file, 0, "auth.exchange.path: required");
    if (json_object_get(ex, "token") == NULL)
        hx_errlist_add(errs, file, 0, "auth.exchange.token: required");
}

/* One of errors.message, errors.code, errors.auth.message, errors.auth.code:
 * a JSON path (code: or null). */
static void
profile_check_error_path(const char *file, const char *name, const json_t *v, bool nullable,
                         struct hx_errlist *errs)
{
    struct hx_error e;

    if (v == NULL || (nullable && json_is_null(v)))
        return;
    if (!json_is_string(v))
        hx_errlist_add(errs, file, 0, "%s: expected a JSON path such as \"$.detail\"%s", name,
                       nullable ? " (or null: none)" : "");
    else if (json_string_value(v)[0] != '$')
        hx_errlist_add(errs, file, 0, "%s: expected a JSON path starting with '$'", name);
    else if (hx_jsonpath_check(json_string_value(v), &e) != 0)
        hx_errlist_add(errs, file, 0, "%s: %s", name, e.text);
}

/* errors: where error answers carry their message and code, and the
 * target's codes for the contract's error cases. */
static void
profile_check_errors(const char *file, const json_t *sec, struct hx_errlist *errs)
{
    const char *key;
    json_t *val;

    if (sec == NULL)
        return;
    if (!json_is_object(sec)) {
        hx_errlist_add(errs, file, 0, "errors: expected an object (message, code, auth, codes)");
        return;
    }
    json_object_foreach((json_t *)sec, key, val)
    {
        if (strcmp(key, "message") == 0) {
            profile_check_error_path(file, "errors.message", val, false, errs);
        } else if (strcmp(key, "code") == 0) {
            profile_check_error_path(file, "errors.code", val, true, errs);
        } else if (strcmp(key, "auth") == 0) {
            const char *k;
            json_t *v;
            if (json_is_null(val))
                continue;
            if (!json_is_object(val)) {
                hx_errlist_add(errs, file, 0,
                               "errors.auth: expected an object (message, code): where the auth "
                               "routes' error answers differ from the API's");
                continue;
            }
            json_object_foreach(val, k, v)
            {
                if (strcmp(k, "message") == 0)
                    profile_check_error_path(file, "errors.auth.message", v, false, errs);
                else if (strcmp(k, "code") == 0)
                    profile_check_error_path(file, "errors.auth.code", v, true, errs);
                else
                    hx_errlist_add(errs, file, 0, "errors.auth.%s: unknown (message, code)", k);
            }
        } else if (strcmp(key, "codes") == 0) {
            const char *k;
            json_t *v;
            if (!json_is_object(val)) {
                hx_errlist_add(errs, file, 0,
                               "errors.codes: expected an object: the target's code for each of "
                               "the contract's error cases");
                continue;
            }
            json_object_foreach(val, k, v)
            {
                bool known = false;
                for (const char *const *c = hx_error_cases; *c != NULL; c++)
                    known = known || strcmp(*c, k) == 0;
                if (!known)
                    hx_errlist_add(errs, file, 0,
                                   "errors.codes.%s: unknown error case (duplicate, "
                                   "bad_credentials, unauthenticated, invalid_token, expired, "
                                   "forbidden, invalid, not_found)",
                                   k);
                else if (!json_is_string(v) && !json_is_null(v))
                    hx_errlist_add(errs, file, 0,
                                   "errors.codes.%s: expected the target's code (a string)", k);
            }
        } else {
            hx_errlist_add(errs, file, 0, "errors.%s: unknown (message, code, auth, codes)", key);
        }
    }
}

/* Makes errors.message and errors.auth.message exist in root (the
 * quickstart's $.detail, and the API's for the auth routes), so that
 * scenarios can name both. Returns 0 or HX_E_NOMEM. */
static int
profile_fill_errors(json_t *root)
{
    json_t *errors = json_object_get(root, "errors");
    json_t *auth;

    if (errors == NULL) {
        if (json_object_set_new(root, "errors", json_object()) != 0)
            return HX_E_NOMEM;
        errors = json_object_get(root, "errors");
    }
    if (json_object_get(errors, "message") == NULL &&
        json_object_set_new(errors, "message", json_string("$.detail")) != 0)
        return HX_E_NOMEM;
    auth = json_object_get(errors, "auth");
    if (auth == NULL || json_is_null(auth)) {
        if (json_object_set_new(errors, "auth", json_object()) != 0)
            return HX_E_NOMEM;
        auth = json_object_get(errors, "auth");
    }
    if (json_object_get(auth, "message") == NULL &&
        json_object_set(auth, "message", json_object_get(errors, "message")) != 0)
        return HX_E_NOMEM;
    if (json_object_get(auth, "code") == NULL && json_object_get(errors, "code") != NULL &&
        json_object_set(auth, "code", json_object_get(errors, "code")) != 0)
        return HX_E_NOMEM;
    return 0;
}

/* fields.extra: the members every signup carries besides email, password
 * and username. */
static void
profile_check_extra(const char *file, const json_t *fields, struct hx_errlist *errs)
{
    const json_t *extra = json_object_get(fields, "extra");
    const char *key;
    json_t *val;

    if (extra == NULL || json_is_null(extra))
        return;
    if (!json_is_object(extra)) {
        hx_errlist_add(errs, file, 0,
                       "fields.extra: expected an object: the members every signup carries, "
                       "e.g. {\"name\": \"${identity.username}\", \"acceptedTerms\": true}");
        return;
    }
    json_object_foreach((json_t *)extra, key, val)
    {
        struct hx_error e;
        const char *email = json_string_value(json_object_get(fields, "email"));
        const char *password = json_string_value(json_object_get(fields, "password"));
        if (key[0] == '\0')
            hx_errlist_add(errs, file, 0, "fields.extra: a member without a name");
        else if ((email != NULL && strcmp(key, email) == 0) ||
                 (password != NULL && strcmp(key, password) == 0))
            hx_errlist_add(errs, file, 0,
                           "fields.extra.%s: the %s field is the harness's to send (or leave out, "
                           "in the checks that leave it out), not an extra",
                           key, email != NULL && strcmp(key, email) == 0 ? "email" : "password");
        else if (hx_signup_extra_check(val, &e) != 0)
            hx_errlist_add(errs, file, 0, "fields.extra.%s: %s", key, e.text);
    }
}

static void
profile_check(const char *file, const json_t *root, struct hx_errlist *errs)
{
    const char *key;
    json_t *val, *sec;

    json_object_foreach((json_t *)root, key, val)
    {
        if (!profile_known_section(key))
            hx_errlist_add(errs, file, 0,
                           "%s: unknown member (known: name, description, paths, "
                           "fields, codes, auth, messages, errors, token, tasks, database, identity, "
                           "limits)",
                           key);
    }
    if (!json_is_string(json_object_get(root, "name")))
        hx_errlist_add(errs, file, 0, "name: expected a string");

    sec = json_object_get(root, "paths");
    if (!json_is_object(sec)) {
        hx_errlist_add(errs, file, 0, "paths: expected an object");
    } else {
        json_object_foreach(sec, key, val)
        {
            if (json_is_null(val))
                continue;
            if (!json_is_string(val) || json_string_value(val)[0] != '/')
                hx_errlist_add(errs, file, 0, "paths.%s: expected a path starting with '/'", key);
        }
        if (!json_is_string(json_object_get(sec, "signup")))
            hx_errlist_add(errs, file, 0, "paths.signup: required");
        if (!json_is_string(json_object_get(sec, "signin")))
            hx_errlist_add(errs, file, 0, "paths.signin: required");
    }

    sec = json_object_get(root, "fields");
    if (!json_is_object(sec)) {
        hx_errlist_add(errs, file, 0, "fields: expected an object");
    } else {
        static const char *const names[] = {"email", "password", "username", NULL};
        static const char *const paths[] = {"token", "user_id", NULL};
        for (const char *const *n = names; *n; n++)
            if (!json_is_string(json_object_get(sec, *n)))
                hx_errlist_add(errs, file, 0, "fields.%s: expected a string (a request field name)",
                               *n);
        for (const char *const *n = paths; *n; n++) {
            const json_t *p = json_object_get(sec, *n);
            struct hx_error e;
            if (!json_is_string(p))
                hx_errlist_add(errs, file, 0, "fields.%s: expected a JSON path string", *n);
            else if (hx_jsonpath_check(json_string_value(p), &e) != 0)
                hx_errlist_add(errs, file, 0, "fields.%s: %s", *n, e.text);
        }
        profile_check_extra(file, sec, errs);
    }

    sec = json_object_get(root, "codes");
    if (!json_is_object(sec)) {
        hx_errlist_add(errs, file, 0, "codes: expected an object");
    } else {
        json_object_foreach(sec, key, val)
        {
            bool ok = profile_is_code(val);
            if (json_is_array(val) && json_array_size(val) > 0) {
                size_t i;
                json_t *c;
                ok = true;
                json_array_foreach(val, i, c) ok = ok && profile_is_code(c);
            }
            if (!ok)
                hx_errlist_add(errs, file, 0,
                               "codes.%s: expected an HTTP status (100-599) or a list of them",
                               key);
        }
        if (json_object_get(sec, "signup") == NULL)
            hx_errlist_add(errs, file, 0, "codes.signup: required");
    }

    sec = json_object_get(root, "auth");
    if (!json_is_object(sec)) {
        hx_errlist_add(errs, file, 0, "auth: expected an object");
    } else {
        const char *t = json_string_value(json_object_get(sec, "transport"));
        if (t == NULL ||
            (strcmp(t, "bearer") != 0 && strcmp(t, "cookie") != 0 && strcmp(t, "both") != 0))
            hx_errlist_add(errs, file, 0,
                           "auth.transport: expected \"bearer\", \"cookie\" or \"both\"");
        /* a Bearer-only target need not name a cookie ("cookie": null) */
        if (!json_is_string(json_object_get(sec, "cookie")) &&
            !(t != NULL && strcmp(t, "bearer") == 0 &&
              !json_is_string(json_object_get(sec, "cookie")) &&
              (json_object_get(sec, "cookie") == NULL ||
               json_is_null(json_object_get(sec, "cookie")))))
            hx_errlist_add(errs, file, 0,
                           "auth.cookie: expected the token cookie's name (or null with "
                           "\"transport\": \"bearer\")");
        if (!json_is_string(json_object_get(sec, "scheme")))
            hx_errlist_add(errs, file, 0, "auth.scheme: expected a string such as \"Bearer\"");
        profile_check_credentials(file, sec, errs);
    }

    sec = json_object_get(root, "messages");
    if (sec != NULL && !json_is_object(sec)) {
        hx_errlist_add(errs, file, 0, "messages: expected an object");
    } else if (sec != NULL) {
        json_object_foreach(sec, key, val) if (!json_is_string(val) && !json_is_null(val))
            hx_errlist_add(errs, file, 0, "messages.%s: expected a string or null", key);
    }

    profile_check_errors(file, json_object_get(root, "errors"), errs);

    sec = json_object_get(root, "token");
    if (!json_is_object(sec)) {
        hx_errlist_add(errs, file, 0, "token: expected an object");
    } else {
        const json_t *lt = json_object_get(sec, "lifetime");
        if (!json_is_integer(lt) || json_integer_value(lt) <= 0)
            hx_errlist_add(errs, file, 0, "token.lifetime: expected seconds (a positive integer)");
        lt = json_object_get(sec, "lifetime_tolerance");
        if (lt != NULL && (!json_is_integer(lt) || json_integer_value(lt) < 0))
            hx_errlist_add(errs, file, 0, "token.lifetime_tolerance: expected seconds (>= 0)");
        if (!json_is_string(json_object_get(sec, "alg")))
            hx_errlist_add(errs, file, 0, "token.alg: expected a string such as \"HS256\"");
        if (!json_is_string(json_object_get(sec, "user_id_claim")))
            hx_errlist_add(errs, file, 0, "token.user_id_claim: expected a claim name");
    }

    sec = json_object_get(root, "tasks");
    if (!json_is_object(sec)) {
        hx_errlist_add(errs, file, 0, "tasks: expected an object (operations)");
    } else {
        json_object_foreach(sec, key, val)
        {
            if (strcmp(key, "operations") == 0) {
                if (profile_task_ops(val) < 0)
                    hx_errlist_add(errs, file, 0,
                                   "tasks.operations: expected a list of the operations the "
                                   "target's tasks API offers, each once: \"list\", \"create\", "
                                   "\"read\", \"update\", \"delete\"");
            } else if (strcmp(key, "writes") != 0) { /* writes: see profile_tasks_writes */
                hx_errlist_add(errs, file, 0, "tasks.%s: unknown (operations)", key);
            }
        }
        if (json_object_get(sec, "operations") == NULL)
            hx_errlist_add(errs, file, 0,
                           "tasks.operations: required: the operations the target's tasks API "
                           "offers (\"list\", \"create\", \"read\", \"update\", \"delete\")");
    }

    sec = json_object_get(root, "database");
    if (sec != NULL && !json_is_object(sec)) {
        hx_errlist_add(errs, file, 0, "database: expected an object");
    } else if (sec != NULL) {
        json_object_foreach(sec, key, val) if (!json_is_string(val))
            hx_errlist_add(errs, file, 0, "database.%s: expected a string", key);
        {
            const char *q = json_string_value(json_object_get(sec, "password_query"));
            if (q != NULL &&
                (strncasecmp(q, "SELECT", 6) != 0 || strstr(q, "$1") == NULL || strlen(q) > 1500))
                hx_errlist_add(errs, file, 0,
                               "database.password_query: expected one SELECT whose $1 is the "
                               "account's email and whose one column is the stored hash (at "
                               "most 1500 characters)");
        }
    }

    sec = json_object_get(root, "limits");
    if (sec != NULL && !json_is_object(sec)) {
        hx_errlist_add(errs, file, 0, "limits: expected an object");
    } else if (sec != NULL) {
        json_object_foreach(sec, key, val)
        {
            if (strcmp(key, "account") == 0 || strcmp(key, "address") == 0) {
                if (!json_is_integer(val) || json_integer_value(val) < 1 ||
                    json_integer_value(val) > 500)
                    hx_errlist_add(errs, file, 0,
                                   "limits.%s: expected the failed attempts a burst may get "
                                   "through before a limit (1..500)",
                                   key);
            } else if (strcmp(key, "timing_tolerance_ms") == 0) {
                if (!json_is_integer(val) || json_integer_value(val) < 1 ||
                    json_integer_value(val) > 10000)
                    hx_errlist_add(errs, file, 0,
                                   "limits.timing_tolerance_ms: expected the milliseconds two "
                                   "signins may differ and count as the same time (1..10000)");
            } else if (strcmp(key, "pace") == 0) {
                unsigned slots;
                double window;
                char why[160];
                if (!json_is_string(val))
                    hx_errlist_add(errs, file, 0,
                                   "limits.pace: expected \"N/WINDOW\", the signups and signins "
                                   "the target lets through per window (e.g. \"3/10s\")");
                else if (hx_pace_parse(json_string_value(val), &slots, &window, why, sizeof why) !=
                         0)
                    hx_errlist_add(errs, file, 0, "limits.pace: %s", why);
            } else if (strcmp(key, "lockout_status") == 0) {
                size_t i;
                json_t *v;
                bool ok = json_is_integer(val) || json_is_array(val);
                json_array_foreach(val, i, v) ok = ok && json_is_integer(v);
                if (!ok)
                    hx_errlist_add(errs, file, 0,
                                   "limits.lockout_status: expected a status or a list of "
                                   "them (e.g. [401, 423])");
            } else if (strcmp(key, "lockout_message") == 0 || strcmp(key, "source") == 0 ||
                       strcmp(key, "pace_source") == 0) {
                if (!json_is_string(val) && !json_is_null(val))
                    hx_errlist_add(errs, file, 0, "limits.%s: expected a string", key);
            } else {
                hx_errlist_add(errs, file, 0,
                               "limits.%s: unknown (account, address, lockout_status, "
                               "lockout_message, timing_tolerance_ms, pace, pace_source, source)",
                               key);
            }
        }
    }

    sec = json_object_get(root, "identity");
    if (!json_is_object(sec) || !json_is_string(json_object_get(sec, "email_domain")))
        hx_errlist_add(errs, file, 0, "identity.email_domain: expected a domain name");
    else {
        const json_t *f = json_object_get(sec, "id_format");
        if (f != NULL && !(json_is_string(f) && (strcmp(json_string_value(f), "uuid") == 0 ||
                                                 strcmp(json_string_value(f), "opaque") == 0)))
            hx_errlist_add(errs, file, 0,
                           "identity.id_format: expected \"uuid\" or \"opaque\" (the shape of "
                           "the target's user ids, for the ids the harness makes up)");
    }
}

const json_t *
hx_profile_get(const struct hx_profile *p, const char *dotted)
{
    const json_t *cur = p->root;
    char part[128];
    const char *s = dotted;

    while (cur != NULL && *s != '\0') {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        if (n >= sizeof part)
            return NULL;
        memcpy(part, s, n);
        part[n] = '\0';
        cur = json_is_object(cur) ? json_object_get(cur, part) : NULL;
        s += n;
        if (*s == '.')
            s++;
    }
    return json_is_null(cur) ? NULL : cur;
}

static const char *
profile_str(const struct hx_profile *p, const char *dotted)
{
    return json_string_value(hx_profile_get(p, dotted));
}

/* The members of the contract a profile cannot change: the statuses and
 * messages the quickstart documents, the token's algorithm and lifetime. A
 * section name pins each of its members. */
static const char *const profile_contract_keys[] = {"codes", "messages", "token.alg",
                                                    "token.lifetime", NULL};

/* Notes in deviations where user declares, at section.member, another value
 * than the contract, and puts the contract's value back into merged. */
static int
profile_pin_one(json_t *merged, const json_t *contract, const json_t *user, const char *section,
                const char *member, json_t *deviations)
{
    const json_t *want = json_object_get(json_object_get(contract, section), member);
    const json_t *said = json_object_get(json_object_get(user, section), member);
    json_t *sec = json_object_get(merged, section);
    char key[160];

    if (want == NULL || said == NULL || json_equal((json_t *)want, (json_t *)said) ||
        !json_is_object(sec))
        return 0;
    snprintf(key, sizeof key, "%s.%s", section, member);
    if (json_array_append_new(deviations, json_pack("{s:s, s:O, s:O}", "key", key, "declared", said,
                                                    "contract", want)) != 0 ||
        json_object_set(sec, member, (json_t *)want) != 0)
        return HX_E_NOMEM;
    return 0;
}

static int
profile_pin_contract(json_t *merged, const json_t *contract, const json_t *user, json_t *deviations)
{
    for (const char *const *k = profile_contract_keys; *k != NULL; k++) {
        const char *dot = strchr(*k, '.');
        int rc = 0;
        if (dot != NULL) {
            char section[32];
            snprintf(section, sizeof section, "%.*s", (int)(dot - *k), *k);
            rc = profile_pin_one(merged, contract, user, section, dot + 1, deviations);
        } else {
            const char *member;
            json_t *v;
            json_object_foreach(json_object_get(contract, *k), member, v)
            {
                if ((rc = profile_pin_one(merged, contract, user, *k, member, deviations)) != 0)
                    break;
            }
        }
        if (rc != 0)
            return rc;
    }
    return 0;
}

int
hx_profile_load(const char *file, const char *defaults_file, struct hx_profile **out,
                struct hx_errlist *errs)
{
    json_t *defaults = NULL;
    char *defaults_text = NULL, *text = NULL;
    size_t defaults_len = 0, len = 0;
    int rc = HX_E_PARSE;

    if (defaults_file != NULL && strcmp(defaults_file, file) != 0) {
        defaults_text = profile_read_text(defaults_file, &defaults_len, errs, &rc);
        if (defaults_text == NULL)
            goto cleanup;
        defaults = profile_parse(defaults_text, defaults_len, defaults_file, errs, &rc);
        if (defaults == NULL)
            goto cleanup;
    }
    text = profile_read_text(file, &len, errs, &rc);
    if (text == NULL)
        goto cleanup;
    rc = hx_profile_load_buffer(text, len, file, defaults, out, errs);
cleanup:
    free(defaults_text);
    free(text);
    json_decref(defaults);
    return rc;
}

int
hx_profile_load_buffer(const char *text, size_t len, const char *name, const json_t *defaults,
                       struct hx_profile **out, struct hx_errlist *errs)
{
    json_t *root = NULL, *user = NULL, *contract = NULL, *deviations = json_array();
    json_t *notes = json_array();
    struct hx_profile *p = NULL;
    size_t before = errs ? errs->n : 0;
    int rc = HX_E_PARSE;
    const char *t;

    user = profile_parse(text, len, name, errs, &rc);
    if (user == NULL)
        goto cleanup;
    if (defaults != NULL) {
        const char *key;
        json_t *val;

        root = json_deep_copy(defaults);
        if (root == NULL) {
            rc = HX_E_NOMEM;
            goto cleanup;
        }
        json_object_foreach(user, key, val) if (!profile_known_section(key))
            hx_errlist_add(errs, name, 0, "%s: unknown member", key);
        json_object_del(user, "extends");
        contract = json_deep_copy(root);
        if (contract == NULL || deviations == NULL ||
            json_object_update_recursive(root, user) != 0) {
            rc = HX_E_NOMEM;
            goto cleanup;
        }
    } else {
        root = user;
        user = NULL;
    }
    if (notes == NULL || profile_tasks_writes(name, user != NULL ? user : root, root, notes,
                                              errs) != 0) {
        rc = HX_E_NOMEM;
        goto cleanup;
    }
    rc = HX_E_PARSE;
    profile_check(name, root, errs);
    if (errs != NULL && errs->n > before)
        goto cleanup;
    /* what the profile said is checked above; what passes is the contract's */
    if ((contract != NULL && profile_pin_contract(root, contract, user, deviations) != 0) ||
        profile_fill_errors(root) != 0) {
        rc = HX_E_NOMEM;
        goto cleanup;
    }

    p = calloc(1, sizeof *p);
    if (p == NULL) {
        rc = HX_E_NOMEM;
        goto cleanup;
    }
    p->root = root;
    root = NULL;
    p->deviations = deviations;
    deviations = NULL;
    p->file = strdup(name);
    p->name = strdup(profile_str(p, "name"));
    p->signup_path = profile_str(p, "paths.signup");
    p->signin_path = profile_str(p, "paths.signin");
    p->email_field = profile_str(p, "fields.email");
    p->password_field = profile_str(p, "fields.password");
    p->username_field = profile_str(p, "fields.username");
    p->token_path = profile_str(p, "fields.token");
    p->user_id_path = profile_str(p, "fields.user_id");
    t = profile_str(p, "auth.transport");
    p->transport = strcmp(t, "cookie") == 0 ? HX_TRANSPORT_COOKIE
                   : strcmp(t, "both") == 0 ? HX_TRANSPORT_BOTH
                                            : HX_TRANSPORT_BEARER;
    p->cookie_name = profile_str(p, "auth.cookie");
    p->scheme = profile_str(p, "auth.scheme");
    p->task_ops = (unsigned)profile_task_ops(hx_profile_get(p, "tasks.operations"));
    p->notes = notes;
    notes = NULL;
    if (p->task_ops != HX_TASK_ALL) {
        char offered[64], missing[64];
        if (json_array_append_new(
                p->notes,
                json_sprintf("the profile says the target's tasks API offers %s "
                             "(tasks.operations), not %s, which the quickstart defines: the "
                             "checks that need them are skipped, saying so, never passed",
                             hx_task_ops_text(p->task_ops, offered, sizeof offered),
                             hx_task_ops_text(HX_TASK_ALL & ~p->task_ops, missing,
                                              sizeof missing))) != 0) {
            rc = HX_E_NOMEM;
            goto cleanup;
        }
    }
    p->email_domain = profile_str(p, "identity.email_domain");
    if (p->file == NULL || p->name == NULL) {
        rc = HX_E_NOMEM;
        goto cleanup;
    }
    *out = p;
    p = NULL;
    rc = 0;
cleanup:
    hx_profile_free(p);
    json_decref(root);
    json_decref(user);
    json_decref(contract);
    json_decref(deviations);
    json_decref(notes);
    return rc;
}

void
hx_profile_free(struct hx_profile *p)
{
    if (p == NULL)
        return;
    free(p->file);
    free(p->name);
    json_decref(p->root);
    json_decref(p->deviations);
    json_decref(p->notes);
    free(p);
}

int
hx_path_fill(const char *tmpl, const json_t *params, char *out, size_t out_size,
             struct hx_error *err)
{
    size_t o = 0;

    for (const char *s = tmpl; *s != '\0';) {
        const char *val = NULL;
        size_t vlen;
        if (*s == '{') {
            const char *end = strchr(s, '}');
            char name[64];
            size_t n = end ? (size_t)(end - s - 1) : 0;
            if (end != NULL && n > 0 && n < sizeof name) {
                memcpy(name, s + 1, n);
                name[n] = '\0';
                val = json_string_value(json_object_get(params, name));
                if (val == NULL) {
                    hx_error_set(err, NULL, 0,
                                 "path %s: no value for {%s} (give it in path_params)", tmpl, name);
                    return HX_E_NOTFOUND;
                }
                vlen = strlen(val);
                if (o + vlen >= out_size)
                    goto toolong;
                memcpy(out + o, val, vlen);
                o += vlen;
                s = end + 1;
                continue;
            }
        }
        if (o + 1 >= out_size)
            goto toolong;
        out[o++] = *s++;
    }
    out[o] = '\0';
    return 0;
toolong:
    hx_error_set(err, NULL, 0, "path %s: too long once filled in", tmpl);
    return HX_E_TOOLONG;
}

int
hx_profile_route(const struct hx_profile *p, const char *name, const char *user_id,
                 const char *task_id, char *out, size_t out_size)
{
    const json_t *paths = json_object_get(p->root, "paths");
    const char *tmpl = json_string_value(json_object_get(paths, name));
    json_t *params;
    int rc;

    if (tmpl == NULL)
        return HX_E_NOTFOUND;
    params = json_object();
    if (params == NULL)
        return HX_E_NOMEM;
    if (user_id != NULL)
        json_object_set_new(params, "user_id", json_string(user_id));
    if (task_id != NULL)
        json_object_set_new(params, "task_id", json_string(task_id));
    rc = hx_path_fill(tmpl, params, out, out_size, NULL);
    json_decref(params);
    return rc;
}
