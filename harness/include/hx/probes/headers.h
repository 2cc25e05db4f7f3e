#ifndef HX_PROBES_HEADERS_H
#define HX_PROBES_HEADERS_H
/*
 * Judging security-relevant response headers: Content-Security-Policy,
 * Set-Cookie attributes, CORS answers, HSTS, version banners, Retry-After.
 * Pure: each function reads header values and writes a one-line reason.
 */
#include <stdbool.h>
#include <stddef.h>

/* CSP: true when policy is present and not trivially permissive: it has
 * default-src (or script-src), and neither default-src nor script-src
 * allows 'unsafe-inline', 'unsafe-eval', '*', "data:", "http:" or "https:"
 * wholesale. Several policies (several headers) are all checked: the
 * browser enforces each, so the strictest wins; policy_count may be 0. */
bool hx_csp_ok(const char *const *policies, size_t policy_count, char *why, size_t why_size);

/* A Set-Cookie header, split. */
struct hx_cookie {
    char name[128];
    bool http_only;
    bool secure;
    char same_site[16]; /* "" when absent, else as sent ("Lax") */
    long long max_age;  /* -1 when absent */
    bool has_expires;
    bool value_empty; /* a clearing cookie */
};

/* Returns 0 or CMN_E_INVAL when the header has no name=value. */
int hx_cookie_parse(const char *set_cookie, struct hx_cookie *out);

/* Judges a token cookie: HttpOnly, SameSite (Lax or Strict; None only with
 * Secure), Secure when https. */
bool hx_cookie_ok(const struct hx_cookie *c, bool https, char *why, size_t why_size);

/* CORS: judges the answer to a request that carried Origin: origin.
 * trusted says whether origin should be allowed. acao/acac may be NULL.
 * For an untrusted origin: permissive when ACAO echoes it, is "null" for
 * a null origin, or is "*" (with or without credentials). For any origin:
 * "*" together with Allow-Credentials: true is always wrong. For a trusted
 * origin, ok means it was allowed (ACAO equals it). */
bool hx_cors_ok(const char *origin, bool trusted, const char *acao, const char *acac, char *why,
                size_t why_size);

/* HSTS: present with max-age >= min_age seconds. */
bool hx_hsts_ok(const char *value, long long min_age, char *why, size_t why_size);

/* A version banner: Server or X-Powered-By value naming a version
 * (a digit after a product name, "nginx/1.25", "Express", "PHP/8"...).
 * X-Powered-By is a banner whatever its value. */
bool hx_banner_found(const char *header_name, const char *value);

/* The http twin of an https site: a 3xx whose Location is https://. */
bool hx_redirect_to_https(long status, const char *location);

/* Retry-After: delta-seconds or HTTP-date; true when parseable. */
bool hx_retry_after_ok(const char *value);

#endif
