#ifndef HX_HTTP_H
#define HX_HTTP_H
/*
 * One HTTP request and its response, through libcurl. Used by the runner
 * (on its multi handle) and, blocking, by probes through hx_probe_http().
 *
 * Bounds: a response body is kept up to max_body bytes; past that the
 * transfer is cut and `truncated` set (not an error). Headers are capped in
 * count and size. Redirects are not followed unless the request says so.
 * TLS is verified unless the configuration says --insecure.
 */
#include <stdbool.h>
#include <stddef.h>

#include "cmn/buf.h"
#include "hx/result.h"

/* Run-wide settings every request shares. Strings borrowed from the run. */
struct hx_http_config {
    const char *cacert;     /* --cacert, or NULL for the system store */
    bool insecure;          /* --insecure: no certificate verification */
    long timeout_ms;        /* per request */
    size_t max_body;        /* response body cap */
    const char *user_agent; /* "authconform/<version>" */
};

struct hx_request {
    const char *method;
    const char *url;                 /* absolute */
    const struct hx_header *headers; /* borrowed */
    size_t n_headers;
    const char *body; /* may be NULL; any bytes */
    size_t body_len;
    bool follow_redirects;
    long timeout_ms;      /* 0: the configuration's */
    long tls_max_version; /* 0, or CURL_SSLVERSION_MAX_* for TLS probes */
    long tls_version;     /* 0, or CURL_SSLVERSION_* (minimum) for TLS probes */
    /* Send the URL's path byte for byte: "/./" and "/../" are not squashed
     * (libcurl resolves them otherwise, as a browser would). For probes
     * that test how a target treats dot segments. */
    bool path_as_is;
};

struct hx_response {
    long status; /* 0 when no response */
    char http_version[16];
    struct hx_header *headers; /* owned; in arrival order, names as sent */
    size_t n_headers;
    struct cmn_buf body;
    bool truncated;
    char tls_version[24]; /* "" on plain HTTP, else e.g. "TLSv1.3" */
    double seconds;       /* total time */
    double seconds_to_first_byte;
    int error; /* 0, or HX_E_TRANSPORT / HX_E_UNREACHABLE */
    long curl_code;
    char error_text[256];
};

void hx_response_init(struct hx_response *r, size_t max_body);
void hx_response_cleanup(struct hx_response *r);

/* Borrowed: the first header named `name` (case-insensitive), or NULL. */
const char *hx_response_header(const struct hx_response *r, const char *name);
/* Number of headers named `name`; idx selects one of them. Borrowed. */
size_t hx_response_header_count(const struct hx_response *r, const char *name);
const char *hx_response_header_nth(const struct hx_response *r, const char *name, size_t idx);

/* Blocking: performs req and fills resp (initialised by the caller).
 * Returns 0 when a response arrived (any status), HX_E_TRANSPORT or
 * HX_E_UNREACHABLE when none did (resp->error_text says why). */
int hx_http_perform(const struct hx_http_config *cfg, const struct hx_request *req,
                    struct hx_response *resp);

#endif
