#include "client.h"

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmn/buf.h"

struct client_state {
    struct cmn_buf body;
    struct cmn_buf headers;
    CURL *curl;
    char tls_version[32];
};

static void
client_tls_version(struct client_state *st)
{
    const struct curl_tlssessioninfo *info = NULL;
    if (st->tls_version[0] != '\0')
        return;
    if (curl_easy_getinfo(st->curl, CURLINFO_TLS_SSL_PTR, &info) == CURLE_OK && info != NULL &&
        info->backend == CURLSSLBACKEND_OPENSSL && info->internals != NULL)
        snprintf(st->tls_version, sizeof st->tls_version, "%s",
                 SSL_get_version((SSL *)info->internals));
}

static size_t
client_body(char *p, size_t size, size_t n, void *data)
{
    struct client_state *st = data;
    client_tls_version(st);
    return cmn_buf_add(&st->body, p, size * n) == 0 ? size * n : 0;
}

static size_t
client_header(char *p, size_t size, size_t n, void *data)
{
    struct client_state *st = data;
    client_tls_version(st);
    /* A new status line starts a new header block (after 100 Continue). */
    if (size * n > 5 && strncmp(p, "HTTP/", 5) == 0)
        cmn_buf_reset(&st->headers);
    return cmn_buf_add(&st->headers, p, size * n) == 0 ? size * n : 0;
}

int
it_http(const struct it_req *req, struct it_resp *out)
{
    struct client_state st;
    struct curl_slist *hl = NULL;
    CURLcode rc;

    memset(out, 0, sizeof *out);
    memset(&st, 0, sizeof st);
    cmn_buf_init(&st.body, 64u << 20);
    cmn_buf_init(&st.headers, 1u << 20);
    st.curl = curl_easy_init();
    if (st.curl == NULL)
        return CURLE_FAILED_INIT;
    curl_easy_setopt(st.curl, CURLOPT_URL, req->url);
    curl_easy_setopt(st.curl, CURLOPT_CUSTOMREQUEST, req->method);
    if (strcmp(req->method, "HEAD") == 0)
        curl_easy_setopt(st.curl, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(st.curl, CURLOPT_WRITEFUNCTION, client_body);
    curl_easy_setopt(st.curl, CURLOPT_WRITEDATA, &st);
    curl_easy_setopt(st.curl, CURLOPT_HEADERFUNCTION, client_header);
    curl_easy_setopt(st.curl, CURLOPT_HEADERDATA, &st);
    curl_easy_setopt(st.curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(st.curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(st.curl, CURLOPT_PATH_AS_IS, 1L);
    if (req->cacert != NULL)
        curl_easy_setopt(st.curl, CURLOPT_CAINFO, req->cacert);
    if (req->tls12_only)
        curl_easy_setopt(st.curl, CURLOPT_SSLVERSION,
                         (long)(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2));
    if (req->body != NULL) {
        curl_easy_setopt(st.curl, CURLOPT_POSTFIELDS, req->body);
        curl_easy_setopt(st.curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(req->body_len ? req->body_len : strlen(req->body)));
    }
    hl = curl_slist_append(hl, "Expect:");
    for (const char *const *h = req->headers; h != NULL && *h != NULL; h++)
        hl = curl_slist_append(hl, *h);
    curl_easy_setopt(st.curl, CURLOPT_HTTPHEADER, hl);
    rc = curl_easy_perform(st.curl);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(st.curl, CURLINFO_RESPONSE_CODE, &out->status);
        curl_easy_getinfo(st.curl, CURLINFO_TOTAL_TIME, &out->seconds);
        out->body_len = st.body.len;
        out->body = cmn_buf_take(&st.body);
        out->headers = cmn_buf_take(&st.headers);
        out->json = json_loadb(out->body, out->body_len, JSON_DECODE_ANY, NULL);
        memcpy(out->tls_version, st.tls_version, sizeof out->tls_version);
    }
    curl_slist_free_all(hl);
    curl_easy_cleanup(st.curl);
    cmn_buf_cleanup(&st.body);
    cmn_buf_cleanup(&st.headers);
    return (int)rc;
}

void
it_resp_cleanup(struct it_resp *r)
{
    free(r->body);
    free(r->headers);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

int
it_get(const char *url, const char *token, struct it_resp *out)
{
    char auth[4200];
    const char *hs[] = {auth, NULL};
    struct it_req req = {.method = "GET", .url = url, .headers = token ? hs : NULL};

    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token ? token : "");
    return it_http(&req, out);
}

int
it_send(const char *method, const char *url, const char *token, const char *json,
        struct it_resp *out)
{
    char auth[4200];
    const char *hs[] = {"Content-Type: application/json", token ? auth : NULL, NULL};
    struct it_req req = {.method = method, .url = url, .headers = hs, .body = json};

    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token ? token : "");
    return it_http(&req, out);
}

const char *
it_header(const struct it_resp *r, const char *name, char *buf, size_t size)
{
    size_t nl = strlen(name);
    const char *p = r->headers;

    while (p != NULL && *p) {
        const char *eol = strstr(p, "\r\n");
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            snprintf(buf, size, "%.*s", (int)(len - (size_t)(v - p)), v);
            return buf;
        }
        p = eol ? eol + 2 : NULL;
    }
    return NULL;
}

int
it_header_count(const struct it_resp *r, const char *name)
{
    size_t nl = strlen(name);
    const char *p = r->headers;
    int n = 0;

    while (p != NULL && *p) {
        const char *eol = strstr(p, "\r\n");
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':')
            n++;
        p = eol ? eol + 2 : NULL;
    }
    return n;
}

const char *
it_detail(const struct it_resp *r)
{
    const json_t *d = json_object_get(r->json, "detail");
    return json_is_string(d) ? json_string_value(d) : NULL;
}
