/* Security header judgements (see hx/probes/headers.h). */
#include "hx/probes/headers.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmn/error.h"

static void hdr_why(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
hdr_why(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    if (why == NULL || size == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
}

/* Finds directive `name` in one policy; copies its source list to out. */
static bool
csp_directive(const char *policy, const char *name, char *out, size_t out_size)
{
    const char *p = policy;
    size_t nlen = strlen(name);

    while (*p != '\0') {
        const char *end = strchr(p, ';');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        const char *d = p;
        while (d < p + len && isspace((unsigned char)*d))
            d++;
        if ((size_t)(p + len - d) >= nlen && strncasecmp(d, name, nlen) == 0 &&
            (d + nlen == p + len || isspace((unsigned char)d[nlen]))) {
            size_t vlen = (size_t)(p + len - (d + nlen));
            if (vlen >= out_size)
                vlen = out_size - 1;
            memcpy(out, d + nlen, vlen);
            out[vlen] = '\0';
            return true;
        }
        if (end == NULL)
            break;
        p = end + 1;
    }
    return false;
}

/* Returns the first permissive source in a source list, or NULL. */
static const char *
csp_permissive(const char *sources)
{
    static const char *const bad[] = {
        "'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:", "'unsafe-hashes'"};
    char buf[2048];
    char *save = NULL;

    snprintf(buf, sizeof(buf), "%s", sources);
    for (char *tok = strtok_r(buf, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save))
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
            if (strcasecmp(tok, bad[i]) == 0)
                return bad[i];
    return NULL;
}

bool
hx_csp_ok(const char *const *policies, size_t policy_count, char *why, size_t why_size)
{
    bool has_default = false;
    char src[2048];

    if (policy_count == 0) {
        hdr_why(why, why_size, "no Content-Security-Policy header");
        return false;
    }
    for (size_t i = 0; i < policy_count; i++) {
        static const char *const names[] = {"default-src", "script-src"};
        for (size_t k = 0; k < 2; k++) {
            if (!csp_directive(policies[i], names[k], src, sizeof(src)))
                continue;
            has_default = true;
            const char *bad = csp_permissive(src);
            if (bad != NULL) {
                if (why != NULL && why_size > 0)
                    snprintf(why, why_size, "%s allows %s", names[k], bad);
                return false;
            }
        }
    }
    if (!has_default) {
        hdr_why(why, why_size, "policy has neither default-src nor script-src");
        return false;
    }
    hdr_why(why, why_size, "policy restricts default-src/script-src");
    return true;
}

int
hx_cookie_parse(const char *set_cookie, struct hx_cookie *out)
{
    const char *eq, *semi, *p;

    memset(out, 0, sizeof(*out));
    out->max_age = -1;
    if (set_cookie == NULL)
        return CMN_E_INVAL;
    while (isspace((unsigned char)*set_cookie))
        set_cookie++;
    eq = strchr(set_cookie, '=');
    semi = strchr(set_cookie, ';');
    if (eq == NULL || (semi != NULL && semi < eq) || eq == set_cookie)
        return CMN_E_INVAL;
    snprintf(out->name, sizeof(out->name), "%.*s", (int)(eq - set_cookie), set_cookie);
    out->value_empty =
        (semi != NULL ? semi : eq + strlen(eq)) == eq + 1 || strncmp(eq + 1, "\"\"", 2) == 0;
    p = semi;
    while (p != NULL && *p == ';') {
        const char *a = p + 1, *end, *aeq;
        size_t len;
        while (isspace((unsigned char)*a))
            a++;
        end = strchr(a, ';');
        len = end != NULL ? (size_t)(end - a) : strlen(a);
        while (len > 0 && isspace((unsigned char)a[len - 1]))
            len--;
        aeq = memchr(a, '=', len);
        size_t klen = aeq != NULL ? (size_t)(aeq - a) : len;
        const char *v = aeq != NULL ? aeq + 1 : "";
        size_t vlen = aeq != NULL ? len - klen - 1 : 0;
        if (klen == 8 && strncasecmp(a, "HttpOnly", 8) == 0)
            out->http_only = true;
        else if (klen == 6 && strncasecmp(a, "Secure", 6) == 0)
            out->secure = true;
        else if (klen == 8 && strncasecmp(a, "SameSite", 8) == 0)
            snprintf(out->same_site, sizeof(out->same_site), "%.*s", (int)vlen, v);
        else if (klen == 7 && strncasecmp(a, "Max-Age", 7) == 0) {
            char num[32];
            snprintf(num, sizeof(num), "%.*s", (int)vlen, v);
            out->max_age = strtoll(num, NULL, 10);
        } else if (klen == 7 && strncasecmp(a, "Expires", 7) == 0)
            out->has_expires = true;
        p = end;
    }
    return 0;
}

bool
hx_cookie_ok(const struct hx_cookie *c, bool https, char *why, size_t why_size)
{
    if (!c->http_only) {
        hdr_why(why, why_size, "cookie %s lacks HttpOnly: scripts can read the token", c->name);
        return false;
    }
    if (c->same_site[0] == '\0') {
        hdr_why(why, why_size, "cookie %s has no SameSite attribute", c->name);
        return false;
    }
    if (strcasecmp(c->same_site, "Lax") != 0 && strcasecmp(c->same_site, "Strict") != 0 &&
        !(strcasecmp(c->same_site, "None") == 0 && c->secure)) {
        hdr_why(why, why_size, "cookie %s has SameSite=%s", c->name, c->same_site);
        return false;
    }
    if (https && !c->secure) {
        hdr_why(why, why_size, "cookie %s is set over https without Secure", c->name);
        return false;
    }
    if (why != NULL && why_size > 0)
        snprintf(why, why_size, "cookie %s: HttpOnly, SameSite=%s%s", c->name, c->same_site,
                 c->secure ? ", Secure" : "");
    return true;
}

bool
hx_cors_ok(const char *origin, bool trusted, const char *acao, const char *acac, char *why,
           size_t why_size)
{
    bool creds = acac != NULL && strcasecmp(acac, "true") == 0;
    bool star = acao != NULL && strcmp(acao, "*") == 0;

    if (star && creds) {
        hdr_why(why, why_size,
                "Access-Control-Allow-Origin: * together with Allow-Credentials: true");
        return false;
    }
    if (trusted) {
        if (acao != NULL && strcmp(acao, origin) == 0) {
            hdr_why(why, why_size, "trusted origin %s allowed", origin);
            return true;
        }
        hdr_why(why, why_size, "trusted origin %s not allowed (Access-Control-Allow-Origin: %s)",
                origin, acao != NULL ? acao : "absent");
        return false;
    }
    if (acao == NULL) {
        hdr_why(why, why_size, "origin %s: no Access-Control-Allow-Origin", origin);
        return true;
    }
    if (star) {
        hdr_why(why, why_size, "origin %s: Access-Control-Allow-Origin: *", origin);
        return false;
    }
    if (strcmp(acao, origin) == 0) {
        hdr_why(why, why_size, "untrusted origin %s is echoed in Access-Control-Allow-Origin",
                origin);
        return false;
    }
    if (strcasecmp(acao, "null") == 0) {
        hdr_why(why, why_size, "origin %s: Access-Control-Allow-Origin: null", origin);
        return false;
    }
    hdr_why(why, why_size, "origin %s not allowed (Access-Control-Allow-Origin names %s)", origin,
            acao);
    return true;
}

bool
hx_hsts_ok(const char *value, long long min_age, char *why, size_t why_size)
{
    const char *p;
    long long age;

    if (value == NULL) {
        hdr_why(why, why_size, "no Strict-Transport-Security header");
        return false;
    }
    for (p = value; *p != '\0'; p++)
        if (strncasecmp(p, "max-age", 7) == 0)
            break;
    if (*p == '\0') {
        hdr_why(why, why_size, "Strict-Transport-Security without max-age: %s", value);
        return false;
    }
    p += 7;
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '=') {
        hdr_why(why, why_size, "Strict-Transport-Security malformed: %s", value);
        return false;
    }
    p++;
    if (*p == '"')
        p++;
    if (!isdigit((unsigned char)*p)) {
        hdr_why(why, why_size, "Strict-Transport-Security malformed: %s", value);
        return false;
    }
    age = strtoll(p, NULL, 10);
    if (age < min_age) {
        hdr_why(why, why_size, "Strict-Transport-Security max-age too short: %s", value);
        return false;
    }
    hdr_why(why, why_size, "Strict-Transport-Security: %s", value);
    return true;
}

bool
hx_banner_found(const char *header_name, const char *value)
{
    if (value == NULL || header_name == NULL)
        return false;
    if (strcasecmp(header_name, "X-Powered-By") == 0 ||
        strcasecmp(header_name, "X-AspNet-Version") == 0 ||
        strcasecmp(header_name, "X-AspNetMvc-Version") == 0)
        return value[0] != '\0';
    /* Server: a version is a digit somewhere after the product name */
    for (const char *p = value; *p != '\0'; p++)
        if (isdigit((unsigned char)*p))
            return true;
    return false;
}

bool
hx_retry_after_ok(const char *value)
{
    struct tm tm;
    const char *p;

    if (value == NULL)
        return false;
    while (isspace((unsigned char)*value))
        value++;
    if (isdigit((unsigned char)*value)) {
        for (p = value; isdigit((unsigned char)*p); p++)
            ;
        while (isspace((unsigned char)*p))
            p++;
        return *p == '\0';
    }
    memset(&tm, 0, sizeof(tm));
    p = strptime(value, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return p != NULL && *p == '\0';
}

bool
hx_redirect_to_https(long status, const char *location)
{
    return status >= 300 && status <= 399 && location != NULL &&
           strncasecmp(location, "https://", 8) == 0;
}
