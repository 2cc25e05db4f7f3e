/* The redirects the harness follows on its own (see hx/redirect.h). */
#include "hx/redirect.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The parts of a URL that decide "same origin, same route". Owned strings,
 * released by url_parts_free. */
struct url_parts {
    char *scheme, *host, *port, *path, *query;
};

static void
url_parts_free(struct url_parts *p)
{
    curl_free(p->scheme);
    curl_free(p->host);
    curl_free(p->port);
    curl_free(p->path);
    curl_free(p->query);
    memset(p, 0, sizeof *p);
}

static int
url_parts_get(CURLU *u, struct url_parts *p)
{
    memset(p, 0, sizeof *p);
    if (curl_url_get(u, CURLUPART_SCHEME, &p->scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &p->host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &p->port, CURLU_DEFAULT_PORT) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PATH, &p->path, 0) != CURLUE_OK) {
        url_parts_free(p);
        return -1;
    }
    if (curl_url_get(u, CURLUPART_QUERY, &p->query, 0) != CURLUE_OK)
        p->query = NULL; /* no query */
    return 0;
}

static bool
same_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

/* a is b with one trailing slash more. */
static bool
one_slash_more(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    return na == nb + 1 && a[na - 1] == '/' && strncmp(a, b, nb) == 0 && nb > 0 &&
           b[nb - 1] != '/';
}

bool
hx_redirect_same_route(const char *url, const struct hx_response *resp, char **next)
{
    const char *location;
    CURLU *from = NULL, *to = NULL;
    struct url_parts a = {0}, b = {0};
    bool same = false;

    *next = NULL;
    if (resp->status != 307 && resp->status != 308)
        return false;
    location = hx_response_header(resp, "Location");
    if (location == NULL || location[0] == '\0' || url == NULL)
        return false;
    from = curl_url();
    to = curl_url();
    if (from == NULL || to == NULL)
        goto out;
    /* the Location resolved against the request's URL (RFC 9110 §10.2.2) */
    if (curl_url_set(from, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_set(to, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_set(to, CURLUPART_URL, location, 0) != CURLUE_OK)
        goto out;
    if (url_parts_get(from, &a) != 0 || url_parts_get(to, &b) != 0)
        goto out;
    {
        /* a Location that brings credentials of its own is not the same request */
        char *user = NULL;
        CURLUcode uc = curl_url_get(to, CURLUPART_USER, &user, 0);
        curl_free(user);
        if (uc == CURLUE_OK)
            goto out;
    }
    same = strcasecmp(a.scheme, b.scheme) == 0 && strcasecmp(a.host, b.host) == 0 &&
           strcmp(a.port, b.port) == 0 && same_text(a.query, b.query) &&
           (one_slash_more(a.path, b.path) || one_slash_more(b.path, a.path));
    if (same) {
        char *s = NULL;
        if (curl_url_get(to, CURLUPART_URL, &s, 0) == CURLUE_OK && s != NULL) {
            *next = strdup(s);
            curl_free(s);
        }
        same = *next != NULL;
    }
out:
    url_parts_free(&a);
    url_parts_free(&b);
    curl_url_cleanup(from);
    curl_url_cleanup(to);
    return same;
}

/* The path (and query) of an absolute URL, for a short note. */
static const char *
url_path(const char *url)
{
    const char *p = strstr(url, "://");
    if (p == NULL)
        return url;
    p = strchr(p + 3, '/');
    return p != NULL ? p : "/";
}

void
hx_redirect_note(const char *from, const char *to, long status, char *out, size_t size)
{
    snprintf(out, size,
             "answered %ld from %.300s to %.300s (same origin, a trailing slash): followed "
             "with the credential kept and the final answer judged; the quickstart's curl "
             "does not follow it (a deviation the quickstart curl checks report)",
             status, url_path(from), url_path(to));
}
