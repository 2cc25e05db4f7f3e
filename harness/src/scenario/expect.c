/* Judging a response against a step's "expect" block: status, headers, JSON
 * paths, body and JWT, with one message per mismatch (see hx/expect.h);
 * validation at load time is expect_validate.c. */
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
#include "hx/header_values.h"
#include "hx/jsonpath.h"
#include "hx/jwt.h"

#define EXPECT_MSG_MAX 8192
#define EXPECT_SHOW 96 /* characters of a value quoted in a message */
#define EXPECT_JSON_DEPTH 64

struct expect_ctx {
    struct cmn_buf msg;
    int mismatches;
    const char *type;
    int scenario_error;
    struct hx_redactor *red;
    int silent; /* counting only (trying several header instances) */
    bool said_not_json;
};

static void expect_fail(struct expect_ctx *e, const char *type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
expect_fail(struct expect_ctx *e, const char *type, const char *fmt, ...)
{
    va_list ap;
    char line[1024];

    e->mismatches++;
    if (e->silent)
        return;
    if (e->type == NULL)
        e->type = type;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (e->msg.len > 0)
        cmn_buf_adds(&e->msg, "; ");
    /* A message may quote anything the target sent: redact it. */
    hx_redact_text(e->red, line, strlen(line), &e->msg);
}

/* A short display form of a JSON value: strings quoted, long ones cut. */
static void
expect_show(const json_t *v, char *out, size_t out_size)
{
    char *s;
    size_t n;

    if (v == NULL) {
        snprintf(out, out_size, "nothing");
        return;
    }
    s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (s == NULL) {
        snprintf(out, out_size, "(unprintable)");
        return;
    }
    n = strlen(s);
    if (n > EXPECT_SHOW)
        snprintf(out, out_size, "%.*s… (%zu bytes)", EXPECT_SHOW, s, n);
    else
        snprintf(out, out_size, "%s", s);
    free(s);
}

static const char *
expect_type_of(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "?";
}

static bool
expect_has_type(const json_t *v, const char *t)
{
    if (strcmp(t, "string") == 0)
        return json_is_string(v);
    if (strcmp(t, "number") == 0)
        return json_is_number(v);
    if (strcmp(t, "integer") == 0)
        return json_is_integer(v) ||
               (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)));
    if (strcmp(t, "boolean") == 0)
        return json_is_boolean(v);
    if (strcmp(t, "null") == 0)
        return json_is_null(v);
    if (strcmp(t, "object") == 0)
        return json_is_object(v);
    if (strcmp(t, "array") == 0)
        return json_is_array(v);
    return false;
}

static bool
expect_equal(const json_t *a, const json_t *b, double tol, bool icase)
{
    if (a == NULL || b == NULL)
        return false;
    if (json_is_number(a) && json_is_number(b))
        return fabs(json_number_value(a) - json_number_value(b)) <= tol;
    if (icase && json_is_string(a) && json_is_string(b))
        return strcasecmp(json_string_value(a), json_string_value(b)) == 0;
    return json_equal((json_t *)a, (json_t *)b);
}

static bool
expect_regex(struct expect_ctx *e, const char *subject, const char *re_text, bool icase,
             const char *s, bool *matched)
{
    regex_t re;
    int rc = regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0));
    if (rc != 0) {
        e->scenario_error = 1;
        expect_fail(e, "scenario", "%s: bad regular expression /%s/", subject, re_text);
        return false;
    }
    *matched = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return true;
}

static bool
expect_is_email(const char *s)
{
    const char *at = strchr(s, '@');
    return at != NULL && at != s && strchr(at + 1, '@') == NULL && strchr(at + 1, '.') != NULL &&
           at[1] != '.' && s[strlen(s) - 1] != '.' && strpbrk(s, " \t\r\n") == NULL;
}

static bool
expect_is_jwt(const char *s)
{
    struct hx_jwt j = {0};
    bool ok = hx_jwt_parse(s, &j, NULL, 0) == 0;
    hx_jwt_cleanup(&j);
    return ok;
}

static long long
expect_size_of(const json_t *v)
{
    if (json_is_array(v))
        return (long long)json_array_size(v);
    if (json_is_object(v))
        return (long long)json_object_size(v);
    if (json_is_string(v)) {
        /* characters, not bytes */
        long long n = 0;
        for (const unsigned char *p = (const unsigned char *)json_string_value(v); *p; p++)
            if ((*p & 0xC0) != 0x80)
                n++;
        return n;
    }
    return -1;
}

/* Judges one value (NULL: absent) against spec (a plain value or a matcher). */
static void
expect_value(struct expect_ctx *e, const char *type, const char *subject, const json_t *actual,
             const json_t *spec)
{
    char got[EXPECT_SHOW + 64], want[EXPECT_SHOW + 64];
    const char *key;
    json_t *v;
    bool icase;
    double tol = 0;

    expect_show(actual, got, sizeof got);
    if (!json_is_object(spec)) {
        if (actual == NULL) {
            expect_show(spec, want, sizeof want);
            expect_fail(e, type, "%s: expected %s, but it is missing", subject, want);
        } else if (!expect_equal(actual, spec, 0, false)) {
            expect_show(spec, want, sizeof want);
            expect_fail(e, type, "%s: expected %s, got %s", subject, want, got);
        }
        return;
    }
    icase = json_is_true(json_object_get(spec, "icase"));
    if (json_is_number(json_object_get(spec, "tolerance")))
        tol = json_number_value(json_object_get(spec, "tolerance"));

    if (json_is_false(json_object_get(spec, "present")) ||
        json_is_true(json_object_get(spec, "absent"))) {
        if (actual != NULL)
            expect_fail(e, type, "%s: expected to be absent, got %s", subject, got);
        return;
    }
    if (actual == NULL) {
        expect_fail(e, type, "%s: expected to be present, but it is missing", subject);
        return;
    }
    json_object_foreach((json_t *)spec, key, v)
    {
        expect_show(v, want, sizeof want);
        if (strcmp(key, "equals") == 0) {
            if (!expect_equal(actual, v, tol, icase)) {
                if (tol > 0)
                    expect_fail(e, type, "%s: expected %s (±%g), got %s", subject, want, tol, got);
                else
                    expect_fail(e, type, "%s: expected %s, got %s", subject, want, got);
            }
        } else if (strcmp(key, "not_equals") == 0) {
            if (expect_equal(actual, v, tol, icase))
                expect_fail(e, type, "%s: expected anything but %s", subject, want);
        } else if (strcmp(key, "one_of") == 0) {
            size_t i;
            json_t *c;
            bool any = false;
            json_array_foreach(v, i, c) any = any || expect_equal(actual, c, tol, icase);
            if (!any)
                expect_fail(e, type, "%s: expected one of %s, got %s", subject, want, got);
        } else if (strcmp(key, "type") == 0) {
            bool ok = false;
            if (json_is_string(v)) {
                ok = expect_has_type(actual, json_string_value(v));
            } else {
                size_t i;
                json_t *t;
                json_array_foreach(v, i, t) ok =
                    ok || expect_has_type(actual, json_string_value(t));
            }
            if (!ok) {
                if (json_is_string(v))
                    expect_fail(e, type, "%s: expected %s %s, got %s %s", subject,
                                strchr("aeiou", json_string_value(v)[0]) ? "an" : "a",
                                json_string_value(v), expect_type_of(actual), got);
                else
                    expect_fail(e, type, "%s: expected a value of type %s, got %s %s", subject,
                                want, expect_type_of(actual), got);
            }
        } else if (strcmp(key, "matches") == 0) {
            bool m = false;
            if (!json_is_string(actual))
                expect_fail(e, type, "%s: expected a string matching /%s/, got %s %s", subject,
                            json_string_value(v), expect_type_of(actual), got);
            else if (expect_regex(e, subject, json_string_value(v), icase,
                                  json_string_value(actual), &m) &&
                     !m)
                expect_fail(e, type, "%s: expected to match /%s/, got %s", subject,
                            json_string_value(v), got);
        } else if (strcmp(key, "contains") == 0 || strcmp(key, "not_contains") == 0) {
            bool want_in = strcmp(key, "contains") == 0, in = false;
            if (json_is_string(actual) && json_is_string(v)) {
                in = icase ? strcasestr(json_string_value(actual), json_string_value(v)) != NULL
                           : strstr(json_string_value(actual), json_string_value(v)) != NULL;
            } else if (json_is_array(actual)) {
                size_t i;
                json_t *c;
                json_array_foreach(actual, i, c) in = in || expect_equal(c, v, tol, icase);
            } else {
                expect_fail(e, type, "%s: expected a string or an array (to %s %s), got %s %s",
                            subject, want_in ? "contain" : "not contain", want,
                            expect_type_of(actual), got);
                continue;
            }
            if (in != want_in)
                expect_fail(e, type, "%s: expected %s %s, got %s", subject,
                            want_in ? "to contain" : "not to contain", want, got);
        } else if (strcmp(key, "is") == 0) {
            const char *what = json_string_value(v);
            const char *s = json_string_value(actual);
            bool ok;
            if (strcmp(what, "uuid") == 0)
                ok = s && cmn_text_is_uuid(s);
            else if (strcmp(what, "rfc3339") == 0)
                ok = s && cmn_text_parse_rfc3339(s, NULL);
            else if (strcmp(what, "email") == 0)
                ok = s && expect_is_email(s);
            else if (strcmp(what, "jwt") == 0)
                ok = s && expect_is_jwt(s);
            else
                ok = expect_size_of(actual) > 0;
            if (!ok) {
                const char *label = strcmp(what, "uuid") == 0      ? "a UUID"
                                    : strcmp(what, "rfc3339") == 0 ? "an RFC 3339 timestamp"
                                    : strcmp(what, "email") == 0   ? "an email address"
                                    : strcmp(what, "jwt") == 0     ? "a JWT"
                                                                   : "a non-empty value";
                expect_fail(e, type, "%s: expected %s, got %s", subject, label, got);
            }
        } else if (strcmp(key, "length") == 0 || strcmp(key, "min_length") == 0 ||
                   strcmp(key, "max_length") == 0) {
            long long n = expect_size_of(actual), w = json_integer_value(v);
            const char *unit = json_is_string(actual) ? "characters" : "elements";
            if (n < 0)
                expect_fail(e, type, "%s: expected an array, object or string (for %s), got %s %s",
                            subject, key, expect_type_of(actual), got);
            else if (strcmp(key, "length") == 0 && n != w)
                expect_fail(e, type, "%s: expected %lld %s, got %lld", subject, w, unit, n);
            else if (strcmp(key, "min_length") == 0 && n < w)
                expect_fail(e, type, "%s: expected at least %lld %s, got %lld", subject, w, unit,
                            n);
            else if (strcmp(key, "max_length") == 0 && n > w)
                expect_fail(e, type, "%s: expected at most %lld %s, got %lld", subject, w, unit, n);
        } else if (strcmp(key, "min") == 0 || strcmp(key, "max") == 0) {
            bool is_min = strcmp(key, "min") == 0;
            if (!json_is_number(actual))
                expect_fail(e, type, "%s: expected a number (%s %s), got %s %s", subject,
                            is_min ? ">=" : "<=", want, expect_type_of(actual), got);
            else if (is_min ? json_number_value(actual) < json_number_value(v)
                            : json_number_value(actual) > json_number_value(v))
                expect_fail(e, type, "%s: expected %s %s, got %s", subject,
                            is_min ? ">=" : "<=", want, got);
        }
        /* present, absent, icase, tolerance: handled above */
    }
}

static void
expect_status(struct expect_ctx *e, const json_t *spec, const struct hx_response *r)
{
    char want[256] = "";
    bool ok = false;
    char body[200];

    if (json_is_integer(spec)) {
        ok = json_integer_value(spec) == r->status;
        snprintf(want, sizeof want, "%lld", (long long)json_integer_value(spec));
    } else if (json_is_array(spec)) {
        size_t i, o = 0;
        json_t *c;
        o += (size_t)snprintf(want, sizeof want, "one of ");
        json_array_foreach(spec, i, c)
        {
            if (!json_is_integer(c))
                goto bad;
            ok = ok || json_integer_value(c) == r->status;
            if (o < sizeof want)
                o += (size_t)snprintf(want + o, sizeof want - o, "%s%lld", i ? ", " : "",
                                      (long long)json_integer_value(c));
        }
    } else {
        goto bad;
    }
    if (ok)
        return;
    /* A redirect says where the route is; otherwise the start of the body
     * usually says why. */
    hx_expect_body_preview(r, body, sizeof body);
    if (r->status >= 300 && r->status < 400 && hx_response_header(r, "Location") != NULL)
        expect_fail(e, "expect.status",
                    "status: expected %s, got %ld, a redirect to %.300s: a client that does "
                    "not follow redirects (the quickstart's curl commands) stops here; serve "
                    "the route at this path without a redirect",
                    want, r->status, hx_response_header(r, "Location"));
    else if (body[0] != '\0')
        expect_fail(e, "expect.status", "status: expected %s, got %ld (body: %s)", want, r->status,
                    body);
    else
        expect_fail(e, "expect.status", "status: expected %s, got %ld", want, r->status);
    return;
bad:
    e->scenario_error = 1;
    expect_fail(e, "scenario", "status: the expectation is not a status or a list of them");
}

static void
expect_headers(struct expect_ctx *e, const json_t *map, const struct hx_response *r)
{
    const char *name;
    json_t *spec;
    char subject[300];

    json_object_foreach((json_t *)map, name, spec)
    {
        size_t count = hx_response_header_count(r, name);
        snprintf(subject, sizeof subject, "header %s", name);
        if (count <= 1) {
            const char *v = hx_response_header(r, name);
            json_t *actual = v ? json_string(v) : NULL;
            if (v != NULL && actual == NULL)
                actual = json_string("(not valid UTF-8)");
            expect_value(e, "expect.header", subject, actual, spec);
            json_decref(actual);
            continue;
        }
        /* Several instances (Set-Cookie): the expectation holds when one does. */
        {
            bool any = false;
            for (size_t i = 0; i < count && !any; i++) {
                const char *v = hx_response_header_nth(r, name, i);
                json_t *actual = json_string(v);
                int before = e->mismatches;
                e->silent++;
                expect_value(e, "expect.header", subject, actual, spec);
                e->silent--;
                any = e->mismatches == before;
                e->mismatches = before;
                json_decref(actual);
            }
            if (!any) {
                const char *v = hx_response_header_nth(r, name, 0);
                json_t *actual = json_string(v);
                if (json_is_true(json_object_get(spec, "absent")) ||
                    json_is_false(json_object_get(spec, "present")))
                    expect_fail(e, "expect.header", "%s: expected to be absent, got %zu of them",
                                subject, count);
                else
                    expect_value(e, "expect.header", subject, actual, spec);
                json_decref(actual);
            }
        }
    }
}

static void
expect_json(struct expect_ctx *e, const json_t *map, const json_t *doc, const char *why)
{
    const char *path;
    json_t *spec;
    char subject[300];

    if (doc == NULL) {
        if (!e->said_not_json)
            expect_fail(e, "expect.json", "body: expected JSON, but %s", why);
        e->said_not_json = true;
        return;
    }
    json_object_foreach((json_t *)map, path, spec)
    {
        json_t *actual = NULL;
        struct hx_error err;
        snprintf(subject, sizeof subject, "json %s", path);
        if (hx_jsonpath_get(doc, path, &actual, &err) != 0) {
            e->scenario_error = 1;
            expect_fail(e, "scenario", "%s", err.text);
            continue;
        }
        expect_value(e, "expect.json", subject, actual, spec);
        json_decref(actual);
    }
}

static void
expect_body(struct expect_ctx *e, const json_t *spec, const struct hx_response *r,
            const json_t *doc, const char *why)
{
    const char *k;
    json_t *v;
    /* A body with a NUL in it is searched up to the NUL only. */
    const char *text = cmn_buf_str(&r->body);

    json_object_foreach((json_t *)spec, k, v)
    {
        if (strcmp(k, "contains") == 0 && strstr(text, json_string_value(v)) == NULL)
            expect_fail(e, "expect.body", "body: expected to contain \"%.80s\"",
                        json_string_value(v));
        else if (strcmp(k, "not_contains") == 0 && strstr(text, json_string_value(v)) != NULL)
            expect_fail(e, "expect.body", "body: expected not to contain \"%.80s\"",
                        json_string_value(v));
        else if (strcmp(k, "matches") == 0) {
            bool m = false;
            if (expect_regex(e, "body", json_string_value(v), false, text, &m) && !m)
                expect_fail(e, "expect.body", "body: expected to match /%s/", json_string_value(v));
        } else if (strcmp(k, "is_json") == 0) {
            if (json_is_true(v) && doc == NULL && !e->said_not_json) {
                expect_fail(e, "expect.body", "body: expected JSON, but %s", why);
                e->said_not_json = true;
            } else if (json_is_false(v) && doc != NULL)
                expect_fail(e, "expect.body", "body: expected something other than JSON");
        } else if (strcmp(k, "max_bytes") == 0 && (json_int_t)r->body.len > json_integer_value(v)) {
            expect_fail(e, "expect.body", "body: expected at most %lld bytes, got %zu",
                        (long long)json_integer_value(v), r->body.len);
        }
    }
}

static void
expect_jwt(struct expect_ctx *e, const json_t *spec, const struct hx_response *r, const json_t *doc)
{
    const char *from = json_string_value(json_object_get(spec, "from"));
    char *token = NULL;
    char why[160] = "";
    struct hx_jwt jwt = {0};
    const json_t *hdr, *pay;
    json_t *v;
    const char *k;
    char subject[300];

    if (from == NULL)
        from = "$.access_token";
    if (strncmp(from, "header:", 7) == 0) {
        const char *h = hx_response_header(r, from + 7);
        if (h != NULL) {
            const char *sp = strchr(h, ' ');
            token = strdup(sp && strncasecmp(h, "bearer ", 7) == 0 ? sp + 1 : h);
        }
    } else if (strncmp(from, "cookie:", 7) == 0) {
        token = hx_response_cookie(r, from + 7);
    } else if (doc != NULL) {
        json_t *t = NULL;
        struct hx_error err;
        if (hx_jsonpath_get(doc, from, &t, &err) == 0 && json_is_string(t))
            token = strdup(json_string_value(t));
        json_decref(t);
    }
    if (token == NULL) {
        expect_fail(e, "expect.jwt", "jwt: no token found at %s", from);
        return;
    }
    if (json_is_integer(json_object_get(spec, "segments"))) {
        json_int_t want = json_integer_value(json_object_get(spec, "segments")), got = 1;
        for (const char *p = token; *p; p++)
            got += *p == '.';
        if (got != want)
            expect_fail(e, "expect.jwt", "jwt: expected %lld segments, got %lld", (long long)want,
                        (long long)got);
    }
    if (hx_jwt_parse(token, &jwt, why, sizeof why) != 0) {
        expect_fail(e, "expect.jwt", "jwt at %s: not a JWT: %s", from, why);
        goto out;
    }
    hdr = jwt.header;
    pay = jwt.payload;
    json_object_foreach(json_object_get(spec, "header"), k, v)
    {
        snprintf(subject, sizeof subject, "jwt header %s", k);
        expect_value(e, "expect.jwt", subject, json_object_get(hdr, k), v);
    }
    json_object_foreach(json_object_get(spec, "claims"), k, v)
    {
        snprintf(subject, sizeof subject, "jwt claim %s", k);
        expect_value(e, "expect.jwt", subject, json_object_get(pay, k), v);
    }
    v = json_object_get(spec, "lifetime");
    if (v != NULL) {
        const json_t *exp = json_object_get(pay, "exp"), *iat = json_object_get(pay, "iat");
        if (!json_is_number(exp) || !json_is_number(iat)) {
            expect_fail(e, "expect.jwt",
                        "jwt exp - iat: the token needs numeric exp and iat, got "
                        "exp %s and iat %s",
                        exp ? expect_type_of(exp) : "missing",
                        iat ? expect_type_of(iat) : "missing");
        } else {
            double life = json_number_value(exp) - json_number_value(iat);
            json_t *lj = json_integer((json_int_t)llround(life));
            int before = e->mismatches;
            expect_value(e, "expect.jwt", "jwt exp - iat (seconds)", lj, v);
            if (e->mismatches > before && !e->silent) {
                char extra[64];
                snprintf(extra, sizeof extra, " (%.1f days)", life / 86400.0);
                cmn_buf_adds(&e->msg, extra);
            }
            json_decref(lj);
        }
    }
    if (json_is_true(json_object_get(spec, "not_expired"))) {
        const json_t *exp = json_object_get(pay, "exp");
        if (!json_is_number(exp))
            expect_fail(e, "expect.jwt", "jwt claim exp: expected a number, got %s",
                        exp ? expect_type_of(exp) : "nothing");
        else if (json_number_value(exp) <= (double)time(NULL))
            expect_fail(e, "expect.jwt",
                        "jwt claim exp: the token is already expired (exp %.0f, "
                        "now %lld)",
                        json_number_value(exp), (long long)time(NULL));
    }
out:
    free(token);
    hx_jwt_cleanup(&jwt);
}

void
hx_expect_body_preview(const struct hx_response *r, char *out, size_t out_size)
{
    size_t n = r->body.len < 120 ? r->body.len : 120;
    char head[121];

    memcpy(head, r->body.data ? r->body.data : "", n);
    head[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)head[i] < 0x20)
            head[i] = ' ';
    snprintf(out, out_size, "%s%s%s", head, r->body.len > n ? "…" : "",
             r->truncated ? "; the body was cut at the size cap" : "");
}

int
hx_expect_check(const json_t *expect, const struct hx_response *resp, struct hx_redactor *red,
                struct hx_expect_outcome *out)
{
    struct expect_ctx e;
    json_t *doc = NULL, *v;
    char why[192] = "the body is empty";

    memset(out, 0, sizeof *out);
    memset(&e, 0, sizeof e);
    cmn_buf_init(&e.msg, EXPECT_MSG_MAX);
    e.red = red;
    if (resp->body.len > 0) {
        char perr[96];
        doc = cmn_json_parse_strict(resp->body.data, resp->body.len, EXPECT_JSON_DEPTH, perr,
                                    sizeof perr);
        if (doc == NULL)
            snprintf(why, sizeof why, "it is not (%s)%s", perr,
                     resp->truncated ? "; the body was cut at the size cap" : "");
    }
    if ((v = json_object_get(expect, "status")) != NULL)
        expect_status(&e, v, resp);
    if (e.mismatches > 0)
        goto done; /* a wrong status says it all: the rest would be noise */
    if ((v = json_object_get(expect, "headers")) != NULL)
        expect_headers(&e, v, resp);
    if ((v = json_object_get(expect, "json")) != NULL)
        expect_json(&e, v, doc, why);
    if ((v = json_object_get(expect, "body")) != NULL)
        expect_body(&e, v, resp, doc, why);
    if ((v = json_object_get(expect, "jwt")) != NULL)
        expect_jwt(&e, v, resp, doc);
done:
    json_decref(doc);

    out->mismatches = e.mismatches;
    out->scenario_error = e.scenario_error;
    out->type = e.type;
    if (e.mismatches > 0) {
        out->message = cmn_buf_take(&e.msg);
        if (out->message == NULL)
            return HX_E_NOMEM;
    }
    cmn_buf_cleanup(&e.msg);
    return 0;
}

void
hx_expect_outcome_cleanup(struct hx_expect_outcome *o)
{
    free(o->message);
    memset(o, 0, sizeof *o);
}
