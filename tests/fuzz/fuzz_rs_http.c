/* Fuzz target: one HTTP request through authref's request path as far as it
 * goes without a live server (support/rs_offline.h): rs_request_new (client
 * address, X-Forwarded-For with --trust-proxy), rs_framing_problem (the
 * header fields' framing), rs_router_dispatch (routes, path parameters,
 * CORS preflights, Allow), guard/auth.c (the token from Authorization:
 * Bearer or the access_token cookie, ownership of {user_id}), the rate
 * limits and the handlers, on a store that answers from fixed rows.
 *
 * The input is a request as text, the way libmicrohttpd hands it over:
 *
 *   METHOD SP PATH SP VERSION LF
 *   Name: value LF          (any number, up to 64; CR before LF dropped)
 *   LF
 *   body
 *
 * The path is cut at '?' (server.c cuts the query off); "@TOKEN@" in a
 * field value becomes a valid token of the store's user, so that the
 * fuzzer gets past authentication without forging HMACs.
 * Every request must be answered exactly once, with a status that is not
 * 500 (README: nothing answers 500 for bad input). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fz_check.h"
#include "rs/token.h"
#include "rs_offline.h"

#define HTTP_TOKEN_MARK "@TOKEN@"

/* Splits the next line off *p (end excluded); NULL at the end of the input. */
static char *
http_line(char **p, char *end)
{
    char *line = *p, *nl;

    if (line >= end)
        return NULL;
    nl = memchr(line, '\n', (size_t)(end - line));
    if (nl == NULL)
        nl = end;
    *nl = '\0';
    if (nl > line && nl[-1] == '\r')
        nl[-1] = '\0';
    *p = nl + 1;
    return line;
}

/* Returns new (free()): value with every HTTP_TOKEN_MARK replaced by token. */
static char *
http_with_token(const char *value, const char *token)
{
    size_t n = 0, ml = strlen(HTTP_TOKEN_MARK), tl = strlen(token);
    const char *p;
    char *out, *o;

    for (p = value; (p = strstr(p, HTTP_TOKEN_MARK)) != NULL; p += ml)
        n++;
    out = malloc(strlen(value) + n * tl + 1);
    if (out == NULL)
        return NULL;
    for (o = out, p = value;;) {
        const char *m = strstr(p, HTTP_TOKEN_MARK);
        size_t k = m ? (size_t)(m - p) : strlen(p);
        memcpy(o, p, k);
        o += k;
        if (m == NULL)
            break;
        memcpy(o, token, tl);
        o += tl;
        p = m + ml;
    }
    *o = '\0';
    return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *token;
    static const struct rs_offline_store store = {0};
    static struct MHD_Connection conn; /* 32 KiB: not on the stack */
    char *copy, *p, *end, *line, *method, *path, *version, *q;
    unsigned status;

    if (size > 70000)
        return 0;
    if (token == NULL) {
        token = rs_offline_token(); /* lives for the process */
        FZ_CHECK(token != NULL);
    }
    rs_offline_store_set(&store);
    copy = malloc(size + 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    p = copy;
    end = copy + size;
    memset(&conn, 0, sizeof conn);

    line = http_line(&p, end);
    if (line == NULL)
        goto out;
    method = line;
    path = strchr(method, ' ');
    if (path == NULL)
        goto out;
    *path++ = '\0';
    version = strchr(path, ' ');
    if (version == NULL)
        goto out;
    *version++ = '\0';
    q = strchr(path, '?');
    if (q != NULL)
        *q = '\0';
    if (*method == '\0' || *path == '\0')
        goto out;

    while ((line = http_line(&p, end)) != NULL && *line != '\0') {
        char *colon = strchr(line, ':'), *value, *with_token = NULL;
        bool added;
        if (colon == NULL || colon == line)
            continue;
        value = colon + 1;
        if (strstr(value, HTTP_TOKEN_MARK) != NULL) {
            with_token = http_with_token(value, token);
            if (with_token == NULL)
                break;
            value = with_token;
        }
        added = rs_offline_field(&conn, line, (size_t)(colon - line), value, strlen(value));
        free(with_token);
        if (!added)
            break;
    }
    if (p > end)
        p = end;

    status = rs_offline_serve(&conn, method, path, version, p, (size_t)(end - p));
    FZ_CHECK(status != 0 && status != 500);
out:
    free(copy);
    return 0;
}
