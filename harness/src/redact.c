#include "hx/redact.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "hx/error.h"

#define REDACT_ELLIPSIS "\xe2\x80\xa6"
/* Redacted text is bounded like everything else we keep. */
#define REDACT_MAX ((size_t)64 << 20)

void
hx_redactor_init(struct hx_redactor *r)
{
    pthread_mutex_init(&r->lock, NULL);
    r->literals = NULL;
    r->n_literals = 0;
}

void
hx_redactor_cleanup(struct hx_redactor *r)
{
    for (size_t i = 0; i < r->n_literals; i++)
        free(r->literals[i]);
    free(r->literals);
    r->literals = NULL;
    r->n_literals = 0;
    pthread_mutex_destroy(&r->lock);
}

int
hx_redactor_add(struct hx_redactor *r, const char *secret)
{
    size_t len, pos;
    char *copy, **grown;
    int rc = 0;

    if (secret == NULL || (len = strlen(secret)) < 4)
        return 0;
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < r->n_literals; i++)
        if (strcmp(r->literals[i], secret) == 0)
            goto out;
    copy = strdup(secret);
    grown = copy ? realloc(r->literals, (r->n_literals + 1) * sizeof *grown) : NULL;
    if (grown == NULL) {
        free(copy);
        rc = HX_E_NOMEM;
        goto out;
    }
    r->literals = grown;
    /* Longest first, so that a secret containing another is masked whole. */
    for (pos = 0; pos < r->n_literals && strlen(r->literals[pos]) >= len; pos++)
        ;
    memmove(&r->literals[pos + 1], &r->literals[pos], (r->n_literals - pos) * sizeof *grown);
    r->literals[pos] = copy;
    r->n_literals++;
out:
    pthread_mutex_unlock(&r->lock);
    return rc;
}

static bool
redact_is_b64url(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

int
hx_redact_mask(const char *p, size_t n, struct cmn_buf *out)
{
    size_t keep;
    int rc;

    if (n == 0)
        return 0;
    if (n >= 10 && memcmp(p, "eyJ", 3) == 0)
        keep = 6;
    else if (n >= 12)
        keep = 4;
    else if (n >= 6)
        keep = 2;
    else
        keep = 0;
    while (keep > 0 && keep < n && ((unsigned char)p[keep] & 0xC0) == 0x80)
        keep--; /* back to the start of a character */
    if ((rc = cmn_buf_add(out, p, keep)) != 0)
        return rc;
    return cmn_buf_adds(out, REDACT_ELLIPSIS);
}

/* Length of a JWT-looking token at p (three base64url segments, the last
 * may be empty), or 0. */
static size_t
redact_jwt_len(const char *p, size_t n)
{
    size_t i = 0;
    int dots = 0;
    size_t seg = 0;

    if (n < 10 || memcmp(p, "eyJ", 3) != 0)
        return 0;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (redact_is_b64url(c)) {
            seg++;
        } else if (c == '.' && dots < 2 && seg >= 2) {
            dots++;
            seg = 0;
        } else {
            break;
        }
    }
    return dots == 2 ? i : 0;
}

/* Keys whose value is a secret: any key that mentions a password or a
 * secret, and keys that end in token, authorization, api key, cookie or
 * credential(s) ("access_token", "X-Auth-Token"), but not "token_type". */
static const char *const redact_key_anywhere[] = {"password", "passwd", "secret", "private_key",
                                                  NULL};
static const char *const redact_key_suffix[] = {
    "token",   "authorization", "api_key",     "apikey",     "api-key",
    "cookie",  "credential",    "credentials", "pwd",        "jwt",
    "session", "session_id",    "sessionid",   "session-id", NULL};

static bool
redact_sensitive_key(const char *k, size_t n)
{
    for (const char *const *w = redact_key_anywhere; *w != NULL; w++) {
        size_t wl = strlen(*w);
        for (size_t i = 0; i + wl <= n; i++)
            if (strncasecmp(k + i, *w, wl) == 0)
                return true;
    }
    for (const char *const *w = redact_key_suffix; *w != NULL; w++) {
        size_t wl = strlen(*w);
        if (wl <= n && strncasecmp(k + n - wl, *w, wl) == 0)
            return true;
    }
    return false;
}

static bool
redact_is_key_char(unsigned char c)
{
    return redact_is_b64url(c) || c == '.';
}

/* A registered literal at p: its length, or 0. Caller holds the lock. */
static size_t
redact_literal_at(const struct hx_redactor *r, const char *p, size_t n)
{
    for (size_t i = 0; i < r->n_literals; i++) {
        size_t l;
        if (r->literals[i][0] != p[0])
            continue;
        l = strlen(r->literals[i]);
        if (l <= n && memcmp(p, r->literals[i], l) == 0)
            return l;
    }
    return 0;
}

/* After a JSON key "...": whitespace, ':', whitespace, then a string. On
 * a match, sets *vstart and *vlen to the string's content. */
static bool
redact_json_value(const char *p, size_t n, size_t from, size_t *vstart, size_t *vlen)
{
    size_t i = from;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i >= n || p[i] != ':')
        return false;
    i++;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i >= n || p[i] != '"')
        return false;
    *vstart = ++i;
    while (i < n && p[i] != '"') {
        if (p[i] == '\\' && i + 1 < n)
            i++;
        i++;
    }
    *vlen = i - *vstart; /* an unterminated (truncated) string is masked to the end */
    return true;
}

/* Copies (p, n) with only the registered literals masked: for the parts the
 * patterns keep (a key name, a cookie name), which may still hold a secret.
 * Caller holds the lock. */
static int
redact_literals_only(const struct hx_redactor *r, const char *p, size_t n, struct cmn_buf *out)
{
    size_t i = 0, start = 0, l;
    int rc = 0;

    while (r != NULL && i < n && rc == 0) {
        if ((l = redact_literal_at(r, p + i, n - i)) > 0) {
            rc = cmn_buf_add(out, p + start, i - start);
            if (rc == 0)
                rc = hx_redact_mask(p + i, l, out);
            i += l;
            start = i;
        } else {
            i++;
        }
    }
    return rc != 0 ? rc : cmn_buf_add(out, p + start, n - start);
}

/* Whether a registered literal occurs in (p, n). Caller holds the lock. */
static bool
redact_has_literal(const struct hx_redactor *r, const char *p, size_t n)
{
    for (size_t i = 0; i < r->n_literals; i++)
        if (memmem(p, n, r->literals[i], strlen(r->literals[i])) != NULL)
            return true;
    return false;
}

/* What every output is sure of, whatever the patterns copied as is (the
 * "Bearer " before a token, a key name, an Authorization scheme) or a mask
 * kept (the first characters of a value), and wherever a literal straddles
 * the two: no registered literal is left in b. Each pass masks at least one
 * occurrence, and a mask is shorter than what it hides, so the passes end.
 * Caller holds the lock. */
static int
redact_literals_gone(const struct hx_redactor *r, struct cmn_buf *b)
{
    while (redact_has_literal(r, cmn_buf_str(b), b->len)) {
        struct cmn_buf next;
        int rc;

        cmn_buf_init(&next, REDACT_MAX);
        rc = redact_literals_only(r, cmn_buf_str(b), b->len, &next);
        if (rc != 0) {
            cmn_buf_cleanup(&next);
            return rc;
        }
        cmn_buf_cleanup(b);
        *b = next;
    }
    return 0;
}

static int
redact_text_locked(struct hx_redactor *r, const char *p, size_t n, struct cmn_buf *out)
{
    size_t i = 0;
    int rc = 0;

    while (i < n && rc == 0) {
        unsigned char c = (unsigned char)p[i];
        size_t l;
        bool at_word_start = i == 0 || !redact_is_key_char((unsigned char)p[i - 1]);

        if (r != NULL && (l = redact_literal_at(r, p + i, n - i)) > 0) {
            rc = hx_redact_mask(p + i, l, out);
            i += l;
            continue;
        }
        if (c == 'e' && at_word_start && (l = redact_jwt_len(p + i, n - i)) > 0) {
            rc = hx_redact_mask(p + i, l, out);
            i += l;
            continue;
        }
        if ((c == 'B' || c == 'b') && at_word_start && n - i > 7 &&
            strncasecmp(p + i, "bearer ", 7) == 0) {
            size_t s = i + 7, e;
            while (s < n && p[s] == ' ')
                s++;
            for (e = s; e < n && p[e] != ' ' && p[e] != '"' && p[e] != '\'' && p[e] != ',' &&
                        p[e] != '\r' && p[e] != '\n' && p[e] != '\t' && p[e] != '\\';
                 e++)
                ;
            if (e > s) {
                rc = cmn_buf_add(out, p + i, s - i);
                if (rc == 0)
                    rc = hx_redact_mask(p + s, e - s, out);
                i = e;
                continue;
            }
        }
        if (c == '"') {
            /* "key": "value" with a sensitive key */
            size_t k = i + 1, vs, vl;
            while (k < n && p[k] != '"' && p[k] != '\\' && k - i < 64)
                k++;
            if (k < n && p[k] == '"' && redact_sensitive_key(p + i + 1, k - i - 1) &&
                redact_json_value(p, n, k + 1, &vs, &vl)) {
                rc = redact_literals_only(r, p + i, vs - i, out);
                if (rc == 0)
                    rc = hx_redact_mask(p + vs, vl, out);
                i = vs + vl;
                continue;
            }
        }
        if (redact_is_key_char(c) && at_word_start) {
            /* key=value with a sensitive key (forms, query strings, .env files) */
            size_t k = i;
            while (k < n && redact_is_key_char((unsigned char)p[k]) && k - i < 64)
                k++;
            if (k < n && p[k] == '=' && redact_sensitive_key(p + i, k - i)) {
                size_t vs = k + 1, e = vs;
                bool quoted = vs < n && (p[vs] == '"' || p[vs] == '\'');
                if (quoted)
                    vs = e = vs + 1;
                while (e < n && p[e] != '&' && p[e] != '\r' && p[e] != '\n' &&
                       (quoted ? p[e] != p[k + 1] : (p[e] != ' ' && p[e] != '"' && p[e] != ';')))
                    e++;
                rc = redact_literals_only(r, p + i, vs - i, out);
                if (rc == 0)
                    rc = hx_redact_mask(p + vs, e - vs, out);
                i = e;
                continue;
            }
        }
        rc = cmn_buf_add(out, p + i, 1);
        i++;
    }
    return rc;
}

int
hx_redact_text(struct hx_redactor *r, const char *p, size_t n, struct cmn_buf *out)
{
    struct cmn_buf b;
    int rc;

    if (r == NULL)
        return redact_text_locked(NULL, p, n, out);
    cmn_buf_init(&b, REDACT_MAX);
    pthread_mutex_lock(&r->lock);
    rc = redact_text_locked(r, p, n, &b);
    if (rc == 0)
        rc = redact_literals_gone(r, &b);
    pthread_mutex_unlock(&r->lock);
    if (rc == 0)
        rc = cmn_buf_add(out, cmn_buf_str(&b), b.len);
    cmn_buf_cleanup(&b);
    return rc;
}

char *
hx_redact_text_new(struct hx_redactor *r, const char *p, size_t n)
{
    struct cmn_buf b;

    cmn_buf_init(&b, REDACT_MAX);
    if (hx_redact_text(r, p != NULL ? p : "", p != NULL ? n : 0, &b) != 0) {
        cmn_buf_cleanup(&b);
        return NULL;
    }
    return cmn_buf_take(&b);
}

/* name=value; name=value (Cookie) or name=value; attributes (Set-Cookie). */
static int
redact_cookie_pairs(const struct hx_redactor *r, const char *v, bool all_pairs, struct cmn_buf *out)
{
    const char *p = v;
    bool first = true;
    int rc = 0;

    while (*p != '\0' && rc == 0) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);

        if ((first || all_pairs) && eq != NULL) {
            rc = redact_literals_only(r, p, (size_t)(eq - p) + 1, out);
            if (rc == 0)
                rc = hx_redact_mask(eq + 1, len - (size_t)(eq - p) - 1, out);
        } else {
            rc = redact_literals_only(r, p, len, out);
        }
        first = false;
        if (end == NULL)
            break;
        if (rc == 0)
            rc = cmn_buf_addc(out, ';');
        p = end + 1;
    }
    return rc;
}

char *
hx_redact_header_new(struct hx_redactor *r, const char *name, const char *value)
{
    struct cmn_buf b;
    int rc;

    cmn_buf_init(&b, REDACT_MAX);
    if (strcasecmp(name, "Authorization") == 0 || strcasecmp(name, "Proxy-Authorization") == 0) {
        const char *sp = strchr(value, ' ');
        if (sp != NULL && sp != value) {
            rc = cmn_buf_add(&b, value, (size_t)(sp - value) + 1);
            while (*sp == ' ')
                sp++;
            if (rc == 0)
                rc = hx_redact_mask(sp, strlen(sp), &b);
        } else {
            rc = hx_redact_mask(value, strlen(value), &b);
        }
    } else if (strcasecmp(name, "Cookie") == 0 || strcasecmp(name, "Set-Cookie") == 0) {
        if (r != NULL)
            pthread_mutex_lock(&r->lock);
        rc = redact_cookie_pairs(r, value, strcasecmp(name, "Cookie") == 0, &b);
        if (r != NULL)
            pthread_mutex_unlock(&r->lock);
    } else if (redact_sensitive_key(name, strlen(name))) {
        rc = hx_redact_mask(value, strlen(value), &b);
    } else {
        rc = hx_redact_text(r, value, strlen(value), &b);
    }
    if (rc == 0 && r != NULL) {
        pthread_mutex_lock(&r->lock);
        rc = redact_literals_gone(r, &b);
        pthread_mutex_unlock(&r->lock);
    }
    if (rc != 0) {
        cmn_buf_cleanup(&b);
        return NULL;
    }
    return cmn_buf_take(&b);
}

/* Registers every string under a sensitive key of j, at any depth. */
static int
redact_learn_json(struct hx_redactor *r, const json_t *j, int depth)
{
    const char *k;
    json_t *v;
    size_t i;
    int rc = 0;

    if (depth > 32)
        return 0;
    if (json_is_object(j)) {
        json_object_foreach((json_t *)j, k, v)
        {
            if (json_is_string(v) && redact_sensitive_key(k, strlen(k)))
                rc = hx_redactor_add(r, json_string_value(v));
            else
                rc = redact_learn_json(r, v, depth + 1);
            if (rc != 0)
                return rc;
        }
    } else if (json_is_array(j)) {
        json_array_foreach(j, i, v)
        {
            if ((rc = redact_learn_json(r, v, depth + 1)) != 0)
                return rc;
        }
    }
    return 0;
}

int
hx_redactor_learn_body(struct hx_redactor *r, const char *p, size_t n)
{
    json_t *doc;
    int rc;

    if (p == NULL || n == 0)
        return 0;
    doc = json_loadb(p, n, JSON_DECODE_ANY, NULL);
    if (doc == NULL)
        return 0; /* not JSON: the patterns still apply */
    rc = redact_learn_json(r, doc, 0);
    json_decref(doc);
    return rc;
}

int
hx_redactor_learn_header(struct hx_redactor *r, const char *name, const char *value)
{
    if (name == NULL || value == NULL)
        return 0;
    if (strcasecmp(name, "Set-Cookie") == 0 || strcasecmp(name, "Cookie") == 0) {
        int rc = 0;
        const char *p = value;
        bool set_cookie = strcasecmp(name, "Set-Cookie") == 0;
        while (*p != '\0' && rc == 0) {
            const char *end = strchr(p, ';'), *eq;
            size_t len = end ? (size_t)(end - p) : strlen(p);
            char *v;
            eq = memchr(p, '=', len);
            if (eq != NULL) {
                v = strndup(eq + 1, len - (size_t)(eq - p) - 1);
                if (v == NULL)
                    return HX_E_NOMEM;
                rc = hx_redactor_add(r, v);
                free(v);
            }
            if (set_cookie || end == NULL)
                break; /* Set-Cookie: one cookie, then its attributes */
            p = end + 1;
            while (*p == ' ')
                p++;
        }
        return rc;
    }
    if (strcasecmp(name, "Authorization") == 0 || strcasecmp(name, "Proxy-Authorization") == 0) {
        const char *sp = strchr(value, ' ');
        return hx_redactor_add(r, sp != NULL ? sp + 1 : value);
    }
    if (redact_sensitive_key(name, strlen(name)))
        return hx_redactor_add(r, value);
    return 0;
}
