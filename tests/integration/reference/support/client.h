#ifndef RS_ITEST_CLIENT_H
#define RS_ITEST_CLIENT_H
/* A blocking HTTP client for the integration tests (libcurl). */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct it_resp {
    long status;
    char *body; /* NUL-terminated, new */
    size_t body_len;
    char *headers; /* the raw header block of the last response, new */
    json_t *json;  /* the body parsed, or NULL */
    char tls_version[32];
    double seconds;
};

struct it_req {
    const char *method;
    const char *url;
    const char *const *headers; /* "Name: value", NULL-terminated, may be NULL */
    const char *body;           /* NULL = none */
    size_t body_len;            /* 0 = strlen(body) */
    const char *cacert;         /* for https:// */
    bool tls12_only;            /* offer TLS 1.2 at most */
};

/* Returns 0 (the exchange happened; out filled) or the libcurl code. */
int it_http(const struct it_req *req, struct it_resp *out);
void it_resp_cleanup(struct it_resp *r);

/* Short forms: JSON body with Content-Type application/json; token may be NULL. */
int it_get(const char *url, const char *token, struct it_resp *out);
int it_send(const char *method, const char *url, const char *token, const char *json,
            struct it_resp *out);

/* Borrowed copy in buf: the value of header name (case-insensitive), or NULL. */
const char *it_header(const struct it_resp *r, const char *name, char *buf, size_t size);
/* How many times header name occurs. */
int it_header_count(const struct it_resp *r, const char *name);
/* Borrowed: body["detail"] or NULL. */
const char *it_detail(const struct it_resp *r);

#endif
