/* Waivers: loading a waivers file, and what its waivers do to a run. */
#include "hx/waivers.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cmn/env.h"
#include "cmn/json.h"

#define WAIVERS_MAX_DEPTH 16
#define WAIVERS_MAX_TEXT 2000

static const char *const waivers_members[] = {"check", "target", "reason", "owner", "expires"};
#define WAIVERS_N_MEMBERS (sizeof waivers_members / sizeof waivers_members[0])

void
hx_waivers_free(struct hx_waiver *w, size_t n)
{
    for (size_t i = 0; w != NULL && i < n; i++)
        hx_waiver_cleanup(&w[i]);
    free(w);
}

/* True for a real calendar day written YYYY-MM-DD. */
static bool
waivers_is_date(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, max;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    if (y < 1970 || m < 1 || m > 12 || d < 1)
        return false;
    max = days[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d <= max;
}

/* The string member key of waiver i, copied into *out: NULL when absent
 * and optional. Returns 0 or HX_E_PARSE/HX_E_NOMEM with the field in err. */
static int
waivers_text(const json_t *o, size_t i, const char *key, bool required, const char *path,
             char **out, struct hx_error *err)
{
    const json_t *v = json_object_get(o, key);
    const char *s;

    *out = NULL;
    if (v == NULL && !required)
        return 0;
    if (v == NULL) {
        hx_error_set(err, path, 0, "%s: waivers[%zu].%s: missing (every waiver has one)", path, i,
                     key);
        return HX_E_PARSE;
    }
    s = json_string_value(v);
    if (s == NULL || s[0] == '\0' || strlen(s) > WAIVERS_MAX_TEXT) {
        hx_error_set(err, path, 0, "%s: waivers[%zu].%s: expected a non-empty string (at most %d bytes)",
                     path, i, key, WAIVERS_MAX_TEXT);
        return HX_E_PARSE;
    }
    *out = strdup(s);
    return *out != NULL ? 0 : HX_E_NOMEM;
}

static int
waivers_one(const json_t *o, size_t i, const char *path, struct hx_waiver *w, struct hx_error *err)
{
    const char *key;
    const json_t *v;
    char *expires = NULL;
    int rc;

    if (!json_is_object(o)) {
        hx_error_set(err, path, 0, "%s: waivers[%zu]: expected an object", path, i);
        return HX_E_PARSE;
    }
    json_object_foreach((json_t *)o, key, v)
    {
        bool known = false;
        for (size_t k = 0; k < WAIVERS_N_MEMBERS; k++)
            known = known || strcmp(key, waivers_members[k]) == 0;
        if (!known) {
            hx_error_set(err, path, 0,
                         "%s: waivers[%zu].%.60s: unknown member (check, target, reason, owner, "
                         "expires)",
                         path, i, key);
            return HX_E_PARSE;
        }
    }
    if ((rc = waivers_text(o, i, "check", true, path, &w->check, err)) != 0 ||
        (rc = waivers_text(o, i, "target", false, path, &w->target, err)) != 0 ||
        (rc = waivers_text(o, i, "reason", true, path, &w->reason, err)) != 0 ||
        (rc = waivers_text(o, i, "owner", true, path, &w->owner, err)) != 0 ||
        (rc = waivers_text(o, i, "expires", true, path, &expires, err)) != 0)
        return rc;
    if (!waivers_is_date(expires)) {
        hx_error_set(err, path, 0,
                     "%s: waivers[%zu].expires: expected a date YYYY-MM-DD, got \"%.40s\"", path, i,
                     expires);
        free(expires);
        return HX_E_PARSE;
    }
    memcpy(w->expires, expires, sizeof w->expires);
    free(expires);
    if (w->target != NULL && strncasecmp(w->target, "http://", 7) != 0 &&
        strncasecmp(w->target, "https://", 8) != 0) {
        hx_error_set(err, path, 0,
                     "%s: waivers[%zu].target: expected an http:// or https:// URL, got \"%.80s\"",
                     path, i, w->target);
        return HX_E_PARSE;
    }
    w->state = HX_WAIVER_UNUSED;
    return 0;
}

int
hx_waivers_parse(const char *p, size_t n, const char *path, struct hx_waiver **out,
                 size_t *n_out, struct hx_error *err)
{
    char reason[160] = "";
    json_t *root = cmn_json_parse_strict(p, n, WAIVERS_MAX_DEPTH, reason, sizeof reason);
    const json_t *list, *version;
    struct hx_waiver *ws = NULL;
    size_t count = 0;
    const char *key;
    json_t *v;
    int rc = HX_E_PARSE;

    if (root == NULL) {
        hx_error_set(err, path, 0, "%s: not JSON: %s", path, reason);
        return HX_E_PARSE;
    }
    if (!json_is_object(root)) {
        hx_error_set(err, path, 0, "%s: expected an object {\"version\": 1, \"waivers\": [...]}",
                     path);
        goto cleanup;
    }
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "version") != 0 && strcmp(key, "waivers") != 0 &&
            strcmp(key, "$schema") != 0) {
            hx_error_set(err, path, 0, "%s: %.60s: unknown member (version, waivers, $schema)",
                         path, key);
            goto cleanup;
        }
    }
    version = json_object_get(root, "version");
    if (version != NULL && (!json_is_integer(version) || json_integer_value(version) != 1)) {
        hx_error_set(err, path, 0, "%s: version: expected 1", path);
        goto cleanup;
    }
    list = json_object_get(root, "waivers");
    if (!json_is_array(list)) {
        hx_error_set(err, path, 0, "%s: waivers: expected an array of waivers", path);
        goto cleanup;
    }
    ws = calloc(json_array_size(list) + 1, sizeof *ws);
    if (ws == NULL) {
        rc = HX_E_NOMEM;
        goto cleanup;
    }
    for (count = 0; count < json_array_size(list); count++) {
        rc = waivers_one(json_array_get(list, count), count, path, &ws[count], err);
        if (rc != 0) {
            count++; /* its partly filled fields are freed too */
            goto cleanup;
        }
    }
    *out = ws;
    *n_out = count;
    ws = NULL;
    rc = 0;
cleanup:
    hx_waivers_free(ws, count);
    json_decref(root);
    return rc;
}

int
hx_waivers_load(const char *path, struct hx_waiver **out, size_t *n_out, struct hx_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = cmn_read_file(path, HX_WAIVERS_MAX_BYTES, &text, &len);

    if (rc != 0) {
        hx_error_set(err, path, 0, "%s: cannot read: %s", path,
                     rc == CMN_E_IO ? strerror(errno) : hx_strerror(rc));
        return rc == CMN_E_NOMEM ? HX_E_NOMEM : HX_E_IO;
    }
    rc = hx_waivers_parse(text, len, path, out, n_out, err);
    free(text);
    return rc;
}

void
hx_waivers_day(time_t t, char out[11])
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void
hx_waivers_expire(struct hx_waiver *w, size_t n, const char *today)
{
    /* YYYY-MM-DD compares as text */
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i].expires, today) < 0)
            w[i].state = HX_WAIVER_EXPIRED;
}

/* The length of url without its trailing slashes. */
static size_t
waivers_trimmed_len(const char *url)
{
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/')
        n--;
    return n;
}

bool
hx_waiver_matches(const struct hx_waiver *w, const char *case_id, const char *target)
{
    size_t wn;

    if (case_id == NULL || fnmatch(w->check, case_id, 0) != 0)
        return false;
    if (w->target == NULL)
        return true;
    if (target == NULL)
        return false;
    /* the target itself, or a URL under it: the prefix ends at a '/' */
    wn = waivers_trimmed_len(w->target);
    if (waivers_trimmed_len(target) < wn || strncasecmp(target, w->target, wn) != 0)
        return false;
    return target[wn] == '\0' || target[wn] == '/';
}

void
hx_waivers_waive_case(const struct hx_result *r, struct hx_case *c)
{
    if (c->status != HX_STATUS_FAIL && c->status != HX_STATUS_ERROR)
        return;
    for (size_t i = 0; i < r->n_waivers; i++) {
        const struct hx_waiver *w = &r->waivers[i];
        if (w->state == HX_WAIVER_EXPIRED || !hx_waiver_matches(w, c->id, r->target))
            continue;
        c->waived_status = c->status;
        c->status = HX_STATUS_WAIVED;
        c->waiver = w;
        return;
    }
}

static int
waivers_add_case(struct hx_waiver *w, const char *id)
{
    char **grown = realloc(w->cases, (w->n_cases + 1) * sizeof *grown);

    if (grown == NULL)
        return HX_E_NOMEM;
    w->cases = grown;
    w->cases[w->n_cases] = strdup(id);
    if (w->cases[w->n_cases] == NULL)
        return HX_E_NOMEM;
    w->n_cases++;
    return 0;
}

int
hx_waivers_settle(struct hx_result *r)
{
    for (size_t i = 0; i < r->n_cases; i++)
        hx_waivers_waive_case(r, r->cases[i]);
    for (size_t k = 0; k < r->n_waivers; k++) {
        struct hx_waiver *w = &r->waivers[k];
        for (size_t i = 0; i < w->n_cases; i++)
            free(w->cases[i]);
        free(w->cases);
        w->cases = NULL;
        w->n_cases = 0;
        if (w->state != HX_WAIVER_EXPIRED)
            w->state = HX_WAIVER_UNUSED;
        for (size_t i = 0; i < r->n_cases; i++) {
            const struct hx_case *c = r->cases[i];
            if (!hx_waiver_matches(w, c->id, r->target))
                continue;
            if (waivers_add_case(w, c->id) != 0)
                return HX_E_NOMEM;
            if (w->state == HX_WAIVER_EXPIRED)
                continue;
            if (c->waiver == w)
                w->state = HX_WAIVER_APPLIED;
            else if (w->state == HX_WAIVER_UNUSED)
                w->state = HX_WAIVER_UNNEEDED;
        }
    }
    return 0;
}
