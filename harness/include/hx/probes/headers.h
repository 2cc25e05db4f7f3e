#ifndef HX_PROBES_HEADERS_H
#define HX_PROBES_HEADERS_H
/*
 * Header values several probes parse: Set-Cookie and Retry-After. Each
 * probe's own judgement lives in its file (probes/<name>.c). Pure.
 */
#include <stdbool.h>
#include <stddef.h>

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

/* Retry-After: delta-seconds or HTTP-date; true when parseable. */
bool hx_retry_after_ok(const char *value);

#endif
