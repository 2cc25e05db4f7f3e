/* Response header values: Set-Cookie and Retry-After (see hx/header_values.h). */
#include "hx/header_values.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmn/error.h"

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

/* Non-negative seconds at the start of v (spaces allowed before), or -1. */
static double
retry_seconds(const char *v)
{
    char *end;
    double s;

    if (v == NULL)
        return -1;
    while (isspace((unsigned char)*v))
        v++;
    if (!isdigit((unsigned char)*v))
        return -1;
    s = strtod(v, &end);
    return end == v || s < 0 ? -1 : s;
}

double
hx_retry_wait(const struct hx_response *resp, time_t now, double dflt)
{
    const char *v = hx_response_header(resp, "Retry-After");
    const char *rl;
    double s;

    if (v != NULL && hx_retry_after_ok(v)) {
        struct tm tm;
        if ((s = retry_seconds(v)) >= 0)
            return s;
        memset(&tm, 0, sizeof tm);
        if (strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm) != NULL) {
            time_t at = timegm(&tm);
            return at > now ? (double)(at - now) : 0;
        }
    }
    if ((s = retry_seconds(hx_response_header(resp, "X-Retry-After"))) >= 0)
        return s;
    if ((s = retry_seconds(hx_response_header(resp, "RateLimit-Reset"))) >= 0)
        return s;
    rl = hx_response_header(resp, "RateLimit");
    if (rl != NULL) {
        const char *r = strstr(rl, "reset=");
        const char *t = strstr(rl, ";t=");
        if (r != NULL && (s = retry_seconds(r + 6)) >= 0)
            return s;
        if (t != NULL && (s = retry_seconds(t + 3)) >= 0)
            return s;
    }
    return dflt;
}

char *
hx_response_cookie(const struct hx_response *resp, const char *name)
{
    size_t n = hx_response_header_count(resp, "Set-Cookie"), nl = strlen(name);

    for (size_t i = n; i-- > 0;) { /* the last one set wins */
        const char *v = hx_response_header_nth(resp, "Set-Cookie", i);
        while (*v == ' ')
            v++;
        if (strncmp(v, name, nl) == 0 && v[nl] == '=') {
            const char *s = v + nl + 1, *end = strchr(s, ';');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            return strndup(s, len);
        }
    }
    return NULL;
}
