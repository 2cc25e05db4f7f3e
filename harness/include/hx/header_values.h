#ifndef HX_HEADER_VALUES_H
#define HX_HEADER_VALUES_H
/*
 * Response header values the harness reads: Set-Cookie (attributes, and the
 * value of a named cookie) and Retry-After. The one cookie parser of the
 * harness; each probe's own judgement lives in its file (probes/<name>.c).
 */
#include <stdbool.h>
#include <time.h>
#include <stddef.h>

#include "hx/http.h"

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

/* How long a rate-limited answer asks to wait, in seconds, from the first
 * of: Retry-After (delta-seconds, or an HTTP-date against now), X-Retry-After
 * (seconds; Better Auth's limiter), RateLimit-Reset (seconds), the reset of
 * a RateLimit header ("reset=N" or ";t=N"). Returns dflt when none says. */
double hx_retry_wait(const struct hx_response *resp, time_t now, double dflt);

/* Returns new (free()): the value of the cookie `name` set by resp
 * (Set-Cookie), or NULL. */
char *hx_response_cookie(const struct hx_response *resp, const char *name);

#endif
