/* Helpers of the probes' run functions (see probe_int.h). */
#include "probe_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmn/json.h"
#include "hx/datadir.h"
#include "hx/error_answer.h"
#include "hx/jsonpath.h"
#include "hx/probes/diag.h"
#include "hx/probes/fake_id.h"
#include "hx/probes/sweep.h"
#include "hx/probes/variants.h"

void
hx__list_add(char *list, size_t size, const char *text)
{
    size_t len = strlen(list);
    int k = snprintf(list + len, size - len, "%s%s", len > 0 ? "; " : "", text);
    if (k < 0 || (size_t)k >= size - len)
        list[len] = '\0';
}

void
hx__random_word(struct hx_probe_ctx *ctx, char *out, size_t n)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char rnd[48];

    if (n == 0)
        return;
    if (n > sizeof rnd + 1)
        n = sizeof rnd + 1;
    hx_probe_random(ctx, rnd, n - 1);
    for (size_t i = 0; i + 1 < n; i++)
        out[i] = alphabet[rnd[i] % (sizeof alphabet - 1)];
    out[n - 1] = '\0';
}

bool
hx__arg_list_has(const json_t *args, const char *key, const char *value)
{
    const json_t *list = args != NULL ? json_object_get(args, key) : NULL;
    size_t i;
    json_t *v;

    if (list == NULL)
        return true;
    json_array_foreach(list, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), value) == 0)
            return true;
    }
    return false;
}

const char *
hx__arg_str(const json_t *args, const char *key, const char *dflt)
{
    const json_t *v = args != NULL ? json_object_get(args, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : dflt;
}

long long
hx__arg_int(const json_t *args, const char *key, long long dflt)
{
    const json_t *v = args != NULL ? json_object_get(args, key) : NULL;
    return json_is_integer(v) ? json_integer_value(v) : dflt;
}

double
hx__arg_num(const json_t *args, const char *key, double dflt)
{
    const json_t *v = args != NULL ? json_object_get(args, key) : NULL;
    return json_is_number(v) ? json_number_value(v) : dflt;
}

bool
hx__arg_bool(const json_t *args, const char *key, bool dflt)
{
    const json_t *v = args != NULL ? json_object_get(args, key) : NULL;
    return json_is_boolean(v) ? json_is_true(v) : dflt;
}

static const json_t *
prof_get(const struct hx_probe_ctx *ctx, const char *dotted)
{
    const json_t *cur = hx_probe_profile(ctx);
    char part[64];
    const char *p = dotted;

    while (cur != NULL && *p != '\0') {
        const char *dot = strchr(p, '.');
        size_t len = dot != NULL ? (size_t)(dot - p) : strlen(p);
        if (len >= sizeof(part))
            return NULL;
        memcpy(part, p, len);
        part[len] = '\0';
        cur = json_object_get(cur, part);
        p += len + (dot != NULL ? 1 : 0);
    }
    return cur;
}

const json_t *
hx__prof_json(const struct hx_probe_ctx *ctx, const char *dotted)
{
    return prof_get(ctx, dotted);
}

const char *
hx__prof_str(const struct hx_probe_ctx *ctx, const char *dotted, const char *dflt)
{
    const json_t *v = prof_get(ctx, dotted);
    return json_is_string(v) ? json_string_value(v) : dflt;
}

long long
hx__prof_int(const struct hx_probe_ctx *ctx, const char *dotted, long long dflt)
{
    const json_t *v = prof_get(ctx, dotted);
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_array(v) && json_is_integer(json_array_get(v, 0)))
        return json_integer_value(json_array_get(v, 0));
    return dflt;
}

int
hx__fake_user_id(struct hx_probe_ctx *ctx, const char *real_id, char *out, size_t out_size)
{
    unsigned char rnd[HX_FAKE_ID_RANDOM(256)];

    if (out_size > 256)
        out_size = 256;
    hx_probe_random(ctx, rnd, HX_FAKE_ID_RANDOM(out_size));
    return hx_fake_user_id(hx__prof_str(ctx, "identity.id_format", "uuid"), real_id, rnd, out,
                           out_size);
}

bool
hx__prof_task_op(const struct hx_probe_ctx *ctx, const char *op)
{
    const json_t *ops = prof_get(ctx, "tasks.operations");
    size_t i;
    json_t *v;

    json_array_foreach((json_t *)ops, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), op) == 0)
            return true;
    }
    return false;
}

bool
hx__prof_bool(const struct hx_probe_ctx *ctx, const char *dotted, bool dflt)
{
    const json_t *v = prof_get(ctx, dotted);
    return json_is_boolean(v) ? json_is_true(v) : dflt;
}

bool
hx__prof_code_is(const struct hx_probe_ctx *ctx, const char *dotted, long dflt, long status)
{
    const json_t *v = prof_get(ctx, dotted);
    size_t i;
    json_t *e;
    if (json_is_integer(v))
        return json_integer_value(v) == status;
    if (json_is_array(v)) {
        json_array_foreach(v, i, e) if (json_is_integer(e) &&
                                        json_integer_value(e) == status) return true;
        return false;
    }
    return status == dflt;
}

int
hx__probe_send(struct hx_probe_ctx *ctx, const struct hx__send *s, struct hx_response *resp)
{
    const struct hx_http_config *cfg = hx_probe_http_config(ctx);
    struct hx_header h[16];
    size_t nh = 0;
    char url[4096], *auth = NULL;
    struct hx_request req = {0};
    int rc;

    hx_response_init(resp, cfg != NULL && cfg->max_body > 0 ? cfg->max_body : 1 << 20);
    if (strncmp(s->path, "http://", 7) == 0 || strncmp(s->path, "https://", 8) == 0) {
        int n = snprintf(url, sizeof(url), "%s", s->path);
        if (n < 0 || (size_t)n >= sizeof(url))
            return HX_E_TOOLONG;
    } else {
        /* the path is already built: do not let ${...} or {..} be touched */
        int n = snprintf(url, sizeof(url), "%s%s", hx_probe_base(ctx, s->path), s->path);
        if (n < 0 || (size_t)n >= sizeof(url))
            return HX_E_TOOLONG;
    }
    if (s->raw_auth != NULL || s->token != NULL) {
        const char *scheme = hx__prof_str(ctx, "auth.scheme", "Bearer");
        size_t len =
            (s->raw_auth != NULL ? strlen(s->raw_auth) : strlen(scheme) + 1 + strlen(s->token)) + 1;
        auth = malloc(len);
        if (auth == NULL)
            return HX_E_NOMEM;
        if (s->raw_auth != NULL)
            snprintf(auth, len, "%s", s->raw_auth);
        else
            snprintf(auth, len, "%s %s", scheme, s->token);
        h[nh++] = (struct hx_header){"Authorization", auth};
    }
    if (s->json != NULL)
        h[nh++] = (struct hx_header){"Content-Type", "application/json"};
    if (s->origin != NULL)
        h[nh++] = (struct hx_header){"Origin", (char *)s->origin};
    for (size_t i = 0; i < s->n_extra && nh < sizeof(h) / sizeof(h[0]); i++)
        h[nh++] = s->extra[i];
    req.method = s->method != NULL ? s->method : "GET";
    req.url = url;
    req.headers = h;
    req.n_headers = nh;
    req.body = s->json;
    req.body_len = s->json != NULL ? strlen(s->json) : 0;
    req.follow_redirects = s->follow_redirects;
    req.path_as_is = s->path_as_is;
    req.tls_version = s->tls_version;
    req.tls_max_version = s->tls_max_version;
    rc = s->quiet ? hx_probe_http_quiet(ctx, &req, resp) : hx_probe_http(ctx, &req, resp);
    free(auth);
    return rc;
}

int
hx__tasks_path(const struct hx_probe_ctx *ctx, const json_t *args, const char *user_id, char *out,
               size_t out_size)
{
    const char *tmpl = hx__arg_str(args, "tasks_path",
                                   hx__prof_str(ctx, "paths.tasks", "/api/users/{user_id}/tasks"));
    return hx_variants_path_for(tmpl, user_id, out, out_size);
}

const char *
hx__body(const struct hx_response *r)
{
    return cmn_buf_str(&r->body);
}

void
hx__detail(const json_t *profile, const struct hx_response *r, char *out, size_t out_size)
{
    const char *at = hx_errors_path(profile, HX_ERRORS_API, "message");
    json_t *j = json_loadb(r->body.data != NULL ? r->body.data : "", r->body.len, 0, NULL);
    json_t *d = NULL;

    if (j != NULL && at != NULL && hx_jsonpath_get(j, at, &d, NULL) == 0 && json_is_string(d))
        snprintf(out, out_size, "%s", json_string_value(d));
    else if (out_size > 0)
        out[0] = '\0';
    json_decref(d);
    json_decref(j);
}

void
hx__diagnose(struct hx_probe_ctx *ctx, struct hx_step_result *step, const char *text)
{
    (void)ctx;
    hx_step_add_note(step, "diagnosis: %s", text);
}

long long
hx__clock_skew(const struct hx_response *r)
{
    time_t t;
    if (hx_diag_http_date(hx_response_header(r, "Date"), &t) != 0)
        return 0;
    return (long long)t - (long long)time(NULL);
}

bool
hx__error_if_broken(struct hx_step_result *step, int rc, const struct hx_response *r,
                    const char *what)
{
    if (rc != 0 || r->status == 0) {
        hx_step_set(step, HX_STATUS_ERROR, "transport", "%s: no answer (%s)", what,
                    r->error_text[0] != '\0' ? r->error_text : hx_strerror(rc));
        return true;
    }
    if (r->status >= 500) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                    "%s: the target answered %ld; no verdict on a server error", what, r->status);
        return true;
    }
    return false;
}

bool
hx__skip_if_limited(struct hx_step_result *step, const struct hx_response *r, const char *what)
{
    if (r->status != 429)
        return false;
    hx_step_set(step, HX_STATUS_SKIP, "probe.rate-limited",
                "could not decide: rate limited (429) during %s%s%s", what,
                hx_response_header(r, "Retry-After") != NULL ? ", Retry-After " : "",
                hx_response_header(r, "Retry-After") != NULL ? hx_response_header(r, "Retry-After")
                                                             : "");
    return true;
}

bool
hx__calibrate(struct hx_probe_ctx *ctx, const json_t *args, const struct hx_identity *id,
              struct hx_step_result *step)
{
    char path[1024], detail[256], diag[700];
    struct hx_response r;
    long unauth = (long)hx__prof_int(ctx, "codes.unauthenticated", 401);
    int rc;

    if (hx__tasks_path(ctx, args, id->user_id, path, sizeof(path)) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.profile",
                    "the profile's tasks route has no {user_id}");
        return false;
    }
    rc = hx__probe_send(ctx, &(struct hx__send){.path = path, .token = id->token}, &r);
    if (hx__error_if_broken(step, rc, &r, "calibration with the genuine token") ||
        hx__skip_if_limited(step, &r, "calibration")) {
        hx_response_cleanup(&r);
        return false;
    }
    if (r.status < 200 || r.status > 299) {
        hx__detail(hx_probe_profile(ctx), &r, detail, sizeof(detail));
        hx_step_set(step, HX_STATUS_SKIP, "probe.calibration",
                    "cannot decide: the genuine token was refused (%ld%s%s) on %s", r.status,
                    detail[0] ? " " : "", detail, path);
        if (r.status == 403)
            hx_diag_text(HX_DIAG_OWN_403, 0, NULL, diag, sizeof(diag));
        else if (r.status == 401 && strcasecmp(detail, hx__prof_str(ctx, "messages.expired",
                                                                    "Token has expired")) == 0)
            hx_diag_text(HX_DIAG_FRESH_EXPIRED, hx__clock_skew(&r), NULL, diag, sizeof(diag));
        else if (r.status == 401)
            hx_diag_text(HX_DIAG_GENUINE_401, 0, detail[0] ? detail : NULL, diag, sizeof(diag));
        else
            diag[0] = '\0';
        if (diag[0] != '\0')
            hx__diagnose(ctx, step, diag);
        hx_response_cleanup(&r);
        return false;
    }
    hx_response_cleanup(&r);
    rc = hx__probe_send(ctx, &(struct hx__send){.path = path, .token = "not-a-token"}, &r);
    if (hx__error_if_broken(step, rc, &r, "calibration with a broken token") ||
        hx__skip_if_limited(step, &r, "calibration")) {
        hx_response_cleanup(&r);
        return false;
    }
    if (r.status != unauth) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.calibration",
                    "cannot decide: a plainly broken token got %ld, not %ld, on %s", r.status,
                    unauth, path);
        hx_response_cleanup(&r);
        return false;
    }
    hx_response_cleanup(&r);
    hx_step_add_note(step, "calibrated: genuine token accepted, broken token refused with %ld",
                     unauth);
    return true;
}

char *
hx__signin_body(const struct hx_probe_ctx *ctx, const char *email, const char *password)
{
    json_t *body = json_object();
    char *text;

    if (body == NULL)
        return NULL;
    json_object_set_new(body, hx__prof_str(ctx, "fields.email", "email"), json_string(email));
    json_object_set_new(body, hx__prof_str(ctx, "fields.password", "password"),
                        json_string(password));
    text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    return text;
}

int
hx__wordlist_from_args(const json_t *args, struct hx_wordlist *wl, char *path, size_t path_size)
{
    const char *rel = hx__arg_str(args, "wordlist", "fixtures/wordlists/secrets.txt");
    char dir[1024];
    int n;

    if (rel[0] == '/') {
        n = snprintf(path, path_size, "%s", rel);
    } else {
        if (hx_datadir_find(dir, sizeof(dir)) != 0)
            return HX_E_NOTFOUND;
        n = snprintf(path, path_size, "%s/%s", dir, rel);
    }
    if (n < 0 || (size_t)n >= path_size)
        return HX_E_TOOLONG;
    return hx_wordlist_load(path, wl);
}

void
hx__whyf(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;

    if (why == NULL || size == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
}
