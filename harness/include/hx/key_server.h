#ifndef HX_KEY_SERVER_H
#define HX_KEY_SERVER_H
/*
 * The key server: a small HTTP/1.1 server the harness starts for a check
 * that names it in a forged token (jku, x5u). It serves the documents it is
 * given (a JWK Set, a certificate) at fixed paths, 404 for anything else,
 * and records every request it gets: method, path, time, peer. Whether the
 * target fetched a URL is then a question for the record.
 *
 * Invariants: the documents and the record are behind one mutex, so the
 * caller may add documents and read the record while the server runs; the
 * record keeps the first HX_KEY_SERVER_LOG_MAX requests and counts the
 * rest. A hostile client meets limits, never a crash or a hang: a
 * connection idle for HX_KEY_SERVER_IDLE_S seconds is closed, at most
 * HX_KEY_SERVER_CONN_MAX connections are open at once, a request's headers
 * may take HX_KEY_SERVER_MEM bytes, and a request body is never read
 * (answered 405: only GET and HEAD are served).
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "hx/error.h"

#define HX_KEY_SERVER_LOG_MAX 256
#define HX_KEY_SERVER_DOC_MAX 16
#define HX_KEY_SERVER_IDLE_S 5
#define HX_KEY_SERVER_CONN_MAX 64
#define HX_KEY_SERVER_MEM (32 * 1024)

struct hx_key_server;

/* One request the server got. */
struct hx_key_server_hit {
    /* as sent, cut to fit, every byte outside printable ASCII as '?' */
    char method[16];
    char path[256];
    char peer[64];      /* the client's address */
    struct timespec at; /* CLOCK_REALTIME */
    bool served;        /* a document was sent (not a 404 or 405) */
};

/* Where the server listens and how the target names it. */
struct hx_key_server_addr {
    char host[256]; /* as the URLs name it: an IP address or a host name */
    unsigned port;  /* 0: a free port (the default) */
};

/* The default: 127.0.0.1 on a free port. */
void hx_key_server_addr_default(struct hx_key_server_addr *a);

/* Parses "HOST[:PORT]", "[IPv6]:PORT" or "[IPv6]" into a (written only on
 * success). A bare IPv6 address without brackets is taken whole, without a
 * port. Returns 0 or HX_E_INVAL with the reason in err (NULL-safe). */
int hx_key_server_addr_parse(const char *text, struct hx_key_server_addr *a, struct hx_error *err);

/* Binds addr (its host resolved to an address of this machine) and starts
 * serving on a thread of its own. Returns 0 and *out (new: stop with
 * hx_key_server_stop), or HX_E_IO with the reason (bind, resolve) in err,
 * HX_E_NOMEM. */
int hx_key_server_start(const struct hx_key_server_addr *addr, struct hx_key_server **out,
                        struct hx_error *err);

/* Stops the server (open connections are closed) and frees it; NULL-safe. */
void hx_key_server_stop(struct hx_key_server *ks);

/* The port it listens on (the one bound when 0 was asked). */
unsigned hx_key_server_port(const struct hx_key_server *ks);

/* Writes "http://HOST:PORT" + path into out (IPv6 hosts in brackets).
 * Returns 0 or HX_E_TOOLONG. */
int hx_key_server_url(const struct hx_key_server *ks, const char *path, char *out, size_t out_size);

/* Serves body (copied: len bytes) at path (which starts with '/') with the
 * Content-Type given. Replaces a document at the same path. Returns 0,
 * HX_E_INVAL (a path without '/'), HX_E_TOOBIG (HX_KEY_SERVER_DOC_MAX
 * documents already), HX_E_NOMEM. */
int hx_key_server_put(struct hx_key_server *ks, const char *path, const char *content_type,
                      const char *body, size_t len);

/* Copies the record into out[max] (oldest first); returns how many
 * requests the server got in all (more than max, or than were kept, when
 * it got more). */
size_t hx_key_server_hits(struct hx_key_server *ks, struct hx_key_server_hit *out, size_t max);

/* How many requests asked for path (query string ignored), among those
 * recorded. */
size_t hx_key_server_count(struct hx_key_server *ks, const char *path);

/* How many connections were accepted in all (a client that connected and
 * sent nothing parseable counts here and not in the record). */
size_t hx_key_server_connections(struct hx_key_server *ks);

#endif
