#include "hx/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/ssl.h>

#include "net/http_int.h"
#include "hx/error.h"

/* CURLOPT_PATH_AS_IS (hx_request.path_as_is) arrived in libcurl 7.42.0. */
#if LIBCURL_VERSION_NUM < 0x072a00
#error "libcurl 7.42.0 or newer is needed (CURLOPT_PATH_AS_IS)"
#endif

#define HTTP_MAX_HEADERS 200
#define HTTP_MAX_HEADER_BYTES (256 * 1024)
#define HTTP_MAX_REDIRECTS 5

struct hx__http_transfer {
    CURL *easy;
    struct curl_slist *hdrs;
    struct hx_response *resp;
    size_t header_bytes;
    int header_overflow;
    char errbuf[CURL_ERROR_SIZE];
};

void
hx_response_init(struct hx_response *r, size_t max_body)
{
    memset(r, 0, sizeof *r);
    cmn_buf_init(&r->body, max_body);
}

static void
http_headers_clear(struct hx_response *r)
{
    for (size_t i = 0; i < r->n_headers; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
    r->headers = NULL;
    r->n_headers = 0;
}

void
hx_response_cleanup(struct hx_response *r)
{
    http_headers_clear(r);
    cmn_buf_cleanup(&r->body);
    memset(r, 0, sizeof *r);
}

const char *
hx_response_header(const struct hx_response *r, const char *name)
{
    return hx_response_header_nth(r, name, 0);
}

size_t
hx_response_header_count(const struct hx_response *r, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_headers; i++)
        n += strcasecmp(r->headers[i].name, name) == 0;
    return n;
}

const char *
hx_response_header_nth(const struct hx_response *r, const char *name, size_t idx)
{
    for (size_t i = 0; i < r->n_headers; i++)
        if (strcasecmp(r->headers[i].name, name) == 0 && idx-- == 0)
            return r->headers[i].value;
    return NULL;
}

static void
http_note_tls(struct hx__http_transfer *t)
{
    const struct curl_tlssessioninfo *info = NULL;

    if (t->resp->tls_version[0] != '\0')
        return;
    if (curl_easy_getinfo(t->easy, CURLINFO_TLS_SSL_PTR, &info) == CURLE_OK && info != NULL &&
        info->backend == CURLSSLBACKEND_OPENSSL && info->internals != NULL) {
        const char *v = SSL_get_version((SSL *)info->internals);
        if (v != NULL)
            snprintf(t->resp->tls_version, sizeof t->resp->tls_version, "%s", v);
    }
}

static size_t
http_on_header(char *p, size_t size, size_t n, void *ud)
{
    struct hx__http_transfer *t = ud;
    struct hx_response *r = t->resp;
    size_t len = size * n, l = len;
    const char *colon;

    http_note_tls(t);
    while (l > 0 && (p[l - 1] == '\r' || p[l - 1] == '\n'))
        l--;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        /* a new response (after a redirect or a 100 Continue): start over */
        const char *sp = memchr(p, ' ', l);
        size_t vl = sp ? (size_t)(sp - p) : l;
        http_headers_clear(r);
        t->header_bytes = 0;
        snprintf(r->http_version, sizeof r->http_version, "%.*s", (int)vl, p);
        return len;
    }
    if (l == 0)
        return len;
    t->header_bytes += len;
    if (t->header_bytes > HTTP_MAX_HEADER_BYTES || r->n_headers >= HTTP_MAX_HEADERS) {
        t->header_overflow = 1;
        return len; /* keep the transfer going, drop the excess */
    }
    if ((p[0] == ' ' || p[0] == '\t') && r->n_headers > 0) {
        /* obsolete line folding: continues the previous value */
        struct hx_header *h = &r->headers[r->n_headers - 1];
        char *joined;
        if (asprintf(&joined, "%s %.*s", h->value, (int)l - 1, p + 1) >= 0) {
            free(h->value);
            h->value = joined;
        }
        return len;
    }
    colon = memchr(p, ':', l);
    {
        struct hx_header *grown = realloc(r->headers, (r->n_headers + 1) * sizeof *grown);
        size_t nl = colon ? (size_t)(colon - p) : l;
        const char *v = colon ? colon + 1 : p + l;
        size_t vlen = (size_t)(p + l - v);
        if (grown == NULL)
            return 0;
        r->headers = grown;
        while (vlen > 0 && (*v == ' ' || *v == '\t')) {
            v++;
            vlen--;
        }
        while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
            vlen--;
        grown[r->n_headers].name = strndup(p, nl);
        grown[r->n_headers].value = strndup(v, vlen);
        if (grown[r->n_headers].name == NULL || grown[r->n_headers].value == NULL) {
            free(grown[r->n_headers].name);
            free(grown[r->n_headers].value);
            return 0;
        }
        /* A NUL inside a header would hide the rest: stop the strings there. */
        r->n_headers++;
    }
    return len;
}

static size_t
http_on_body(char *p, size_t size, size_t n, void *ud)
{
    struct hx__http_transfer *t = ud;
    struct hx_response *r = t->resp;
    size_t len = size * n, room = r->body.max - r->body.len;

    http_note_tls(t);
    if (len > room) {
        cmn_buf_add(&r->body, p, room);
        r->truncated = true;
        return 0; /* stop reading: the cap is reached */
    }
    if (cmn_buf_add(&r->body, p, len) != 0)
        return 0;
    return len;
}

int
hx__http_transfer_new(const struct hx_http_config *cfg, const struct hx_request *req,
                      struct hx_response *resp, struct hx__http_transfer **out)
{
    struct hx__http_transfer *t = calloc(1, sizeof *t);
    long timeout = req->timeout_ms > 0 ? req->timeout_ms : cfg->timeout_ms;
    CURL *e;

    if (t == NULL)
        return HX_E_NOMEM;
    t->resp = resp;
    t->easy = e = curl_easy_init();
    if (e == NULL) {
        free(t);
        return HX_E_NOMEM;
    }
    curl_easy_setopt(e, CURLOPT_URL, req->url);
    if (req->path_as_is)
        curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    if (timeout > 0) {
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout);
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout);
    }
    if (cfg->user_agent != NULL)
        curl_easy_setopt(e, CURLOPT_USERAGENT, cfg->user_agent);
    if (req->follow_redirects) {
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)HTTP_MAX_REDIRECTS);
    }
    if (cfg->insecure) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (cfg->cacert != NULL) {
        curl_easy_setopt(e, CURLOPT_CAINFO, cfg->cacert);
    }
    if (req->tls_version != 0 || req->tls_max_version != 0)
        curl_easy_setopt(e, CURLOPT_SSLVERSION, req->tls_version | req->tls_max_version);

    if (strcmp(req->method, "HEAD") == 0) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (strcmp(req->method, "GET") != 0 || req->body != NULL) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
    }
    if (req->body != NULL) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body);
    } else if (strcmp(req->method, "POST") == 0 || strcmp(req->method, "PUT") == 0 ||
               strcmp(req->method, "PATCH") == 0) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
    }
    /* No "Expect: 100-continue" pause; no form content type unless asked. */
    t->hdrs = curl_slist_append(NULL, "Expect:");
    {
        bool has_ct = false;
        for (size_t i = 0; i < req->n_headers; i++) {
            char *line;
            struct curl_slist *l;
            if (strcasecmp(req->headers[i].name, "Content-Type") == 0)
                has_ct = true;
            /* "Name;" sends a header with an empty value; "Name:" would remove it */
            if (req->headers[i].value[0] == '\0') {
                if (asprintf(&line, "%s;", req->headers[i].name) < 0)
                    line = NULL;
            } else if (asprintf(&line, "%s: %s", req->headers[i].name, req->headers[i].value) < 0) {
                line = NULL;
            }
            l = line ? curl_slist_append(t->hdrs, line) : NULL;
            free(line);
            if (l == NULL)
                goto nomem;
            t->hdrs = l;
        }
        if (!has_ct && req->body != NULL) {
            struct curl_slist *l = curl_slist_append(t->hdrs, "Content-Type:");
            if (l == NULL)
                goto nomem;
            t->hdrs = l;
        }
    }
    if (t->hdrs == NULL)
        goto nomem;
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->hdrs);
    *out = t;
    return 0;
nomem:
    hx__http_transfer_free(t);
    return HX_E_NOMEM;
}

CURL *
hx__http_transfer_easy(struct hx__http_transfer *t)
{
    return t->easy;
}

int
hx__http_transfer_done(struct hx__http_transfer *t, CURLcode code)
{
    struct hx_response *r = t->resp;
    double total = 0, ttfb = 0;

    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME, &total);
    curl_easy_getinfo(t->easy, CURLINFO_STARTTRANSFER_TIME, &ttfb);
    r->seconds = total;
    r->seconds_to_first_byte = ttfb;
    r->curl_code = (long)code;
    if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && r->truncated)) {
        if (r->status == 0) {
            r->error = HX_E_TRANSPORT;
            snprintf(r->error_text, sizeof r->error_text, "no HTTP response");
            return r->error;
        }
        return 0;
    }
    r->error = (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST)
                   ? HX_E_UNREACHABLE
                   : HX_E_TRANSPORT;
    if (code == CURLE_OPERATION_TIMEDOUT)
        snprintf(r->error_text, sizeof r->error_text, "timeout: %.200s",
                 t->errbuf[0] ? t->errbuf : curl_easy_strerror(code));
    else if (code == CURLE_OUT_OF_MEMORY)
        /* libcurl 7.88 answers a header line over CURL_MAX_HTTP_HEADER (100 KB)
         * this way; the process itself is rarely out of memory */
        snprintf(r->error_text, sizeof r->error_text,
                 "the answer was refused by libcurl as too large to hold (%.100s): a header "
                 "line over its 100 KB limit, unless this machine is out of memory",
                 t->errbuf[0] ? t->errbuf : curl_easy_strerror(code));
    else
        snprintf(r->error_text, sizeof r->error_text, "%s",
                 t->errbuf[0] ? t->errbuf : curl_easy_strerror(code));
    return r->error;
}

void
hx__http_transfer_free(struct hx__http_transfer *t)
{
    if (t == NULL)
        return;
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->hdrs);
    free(t);
}

int
hx_http_perform(const struct hx_http_config *cfg, const struct hx_request *req,
                struct hx_response *resp)
{
    struct hx__http_transfer *t = NULL;
    int rc = hx__http_transfer_new(cfg, req, resp, &t);

    if (rc != 0) {
        resp->error = HX_E_TRANSPORT;
        snprintf(resp->error_text, sizeof resp->error_text, "cannot build the request: %s",
                 hx_strerror(rc));
        return HX_E_TRANSPORT;
    }
    rc = hx__http_transfer_done(t, curl_easy_perform(t->easy));
    hx__http_transfer_free(t);
    return rc;
}
