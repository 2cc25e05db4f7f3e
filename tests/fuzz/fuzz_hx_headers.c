/* Fuzz target: the response header values the harness reads and judges:
 * Set-Cookie (net/header_values.c: attributes, and the value of the token
 * cookie among several), Retry-After, Content-Security-Policy (probes/csp.c)
 * and Strict-Transport-Security (probes/tls.c), and the Location of the
 * http twin's redirect.
 *
 * The input is header values, one per line (LF, CR before it dropped): each
 * line is judged as every kind of value; all of them together are the
 * Set-Cookie fields of one response and the CSP fields of one answer. */
#include <stdlib.h>
#include <string.h>

#include "fz_check.h"
#include "hx/header_values.h"
#include "hx/http.h"
#include "hx/probes/csp.h"
#include "hx/probes/tls.h"

#define HEADERS_MAX_LINES 32

static void
headers_one(const char *v)
{
    struct hx_cookie c;
    char why[256];

    if (hx_cookie_parse(v, &c) == 0) {
        FZ_CHECK(c.name[0] != '\0' && memchr(c.name, '\0', sizeof c.name) != NULL);
        FZ_CHECK(memchr(c.same_site, '\0', sizeof c.same_site) != NULL);
    }
    (void)hx_retry_after_ok(v);
    why[0] = '\0';
    if (!hx_hsts_ok(v, 31536000, why, sizeof why))
        FZ_CHECK(why[0] != '\0' && memchr(why, '\0', sizeof why) != NULL);
    (void)hx_hsts_ok(v, 0, NULL, 0);
    (void)hx_redirect_to_https(308, v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy, *p, *end;
    const char *lines[HEADERS_MAX_LINES];
    size_t n = 0;
    struct hx_response resp;
    char why[256], *cookie;

    if (size > 65536)
        return 0;
    copy = malloc(size + 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    for (p = copy, end = copy + size; p <= end && n < HEADERS_MAX_LINES;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            nl = end;
        *nl = '\0';
        if (nl > p && nl[-1] == '\r')
            nl[-1] = '\0';
        lines[n++] = p;
        p = nl + 1;
    }

    hx_response_init(&resp, 1024);
    resp.headers = calloc(n, sizeof *resp.headers);
    FZ_CHECK(resp.headers != NULL || n == 0);
    for (size_t i = 0; i < n; i++) {
        headers_one(lines[i]);
        resp.headers[i].name = strdup("Set-Cookie");
        resp.headers[i].value = strdup(lines[i]);
        FZ_CHECK(resp.headers[i].name != NULL && resp.headers[i].value != NULL);
        resp.n_headers++;
    }
    cookie = hx_response_cookie(&resp, "access_token");
    free(cookie);
    why[0] = '\0';
    if (!hx_csp_ok(lines, n, why, sizeof why))
        FZ_CHECK(why[0] != '\0' && memchr(why, '\0', sizeof why) != NULL);
    (void)hx_csp_ok(lines, n, NULL, 0);
    hx_response_cleanup(&resp);
    free(copy);
    return 0;
}
