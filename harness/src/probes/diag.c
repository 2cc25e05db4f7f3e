/* Diagnoses of the quickstart's common issues (see hx/probes/diag.h). */
#include "hx/probes/diag.h"

#include <stdio.h>
#include <string.h>

int
hx_diag_http_date(const char *value, time_t *out)
{
    struct tm tm;
    const char *end;

    if (value == NULL)
        return -1;
    memset(&tm, 0, sizeof(tm));
    end = strptime(value, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (end == NULL || *end != '\0')
        return -1;
    *out = timegm(&tm);
    return 0;
}

void
hx_diag_text(enum hx_diag_kind kind, long long skew, const char *detail, char *out, size_t out_size)
{
    switch (kind) {
    case HX_DIAG_SECRET_MISMATCH:
        snprintf(out, out_size,
                 "Secret mismatch (quickstart issue 2, \"Invalid token signature\"): the "
                 "target's token does not verify with the secret given to the harness. The "
                 "services use different BETTER_AUTH_SECRET values: set the same secret in "
                 "both .env files and restart both services.");
        return;
    case HX_DIAG_GENUINE_401:
        snprintf(out, out_size,
                 "A fresh, well-formed token is refused with 401%s%s%s (quickstart issue 2): "
                 "check the header format is exactly \"Authorization: Bearer <token>\", that the "
                 "JWT middleware runs before the routes and reads that header, and that both "
                 "services share BETTER_AUTH_SECRET.",
                 detail != NULL ? " (\"" : "", detail != NULL ? detail : "",
                 detail != NULL ? "\")" : "");
        return;
    case HX_DIAG_OWN_403:
        snprintf(out, out_size,
                 "403 on the user's own resources (quickstart issue 3): the user_id claim of "
                 "the token does not match the user_id in the URL. Check the claim name, that "
                 "it is the UUID string (same case, no braces), and that the route compares it "
                 "with the path parameter of the authenticated user.");
        return;
    case HX_DIAG_FRESH_EXPIRED:
        if (skew != 0)
            snprintf(out, out_size,
                     "\"Token has expired\" on a token issued seconds ago (quickstart issue 4): "
                     "the target's clock differs from the harness's by %lld s (from its Date "
                     "header). Synchronise the clocks (NTP) or check that exp is computed in "
                     "UTC (datetime.utcnow vs local time).",
                     skew);
        else
            snprintf(out, out_size,
                     "\"Token has expired\" on a token issued seconds ago (quickstart issue 4): "
                     "check that iat/exp are computed in UTC seconds (not milliseconds, not "
                     "local time) and the server clocks are synchronised.");
        return;
    }
    out[0] = '\0';
}
