#ifndef FZ_RS_OFFLINE_H
#define FZ_RS_OFFLINE_H
/*
 * authref without a network or a database, for the fuzz targets: a request
 * is handed to the real rs_core code (rs_request_new, rs_framing_problem,
 * rs_router_dispatch and everything they call) on a connection that lives in
 * memory. The link wraps (-Wl,--wrap, tests/fuzz/CMakeLists.txt) answer
 * libmicrohttpd's connection calls from that connection, the store from
 * fixed rows, and the hash pool at once without bcrypt. Response objects are
 * libmicrohttpd's own.
 *
 * One request at a time, on one thread (libFuzzer's).
 */
#include <stdbool.h>
#include <stddef.h>

#include "rs/ctx.h"
#include "rs/request.h"

/* The test secret, the user the store knows and the origin CORS allows. */
#define RS_OFFLINE_SECRET "fuzz-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
#define RS_OFFLINE_USER "6f1c2a9e-3b7d-4c51-9a2e-8d0b4f6e1a37"
#define RS_OFFLINE_ORIGIN "http://localhost:3000"

#define RS_OFFLINE_MAX_HEADERS 64

/* What the store answers (chosen by a fuzz input). */
struct rs_offline_store {
    bool user_unknown;  /* users: no such account */
    bool user_inactive; /* users: the account is inactive */
    bool db_down;       /* every statement: RS_E_DB */
    bool rate_limited;  /* rate limits: over */
    bool task_missing;  /* tasks: RS_E_NOTFOUND */
    bool hash_mismatch; /* hash pool: the password does not verify */
    bool hash_busy;     /* hash pool: queue full */
};

/* The in-memory connection: the request's header fields, laid out as
 * libmicrohttpd 0.9.75 leaves them in its connection memory ("name\0", the
 * whitespace after the colon, then "value\0": rs_framing_problem relies on
 * it), and what was queued on it. Lives in the caller's storage: memset it
 * to 0, then add fields with rs_offline_field(). */
#define RS_OFFLINE_POOL (32 * 1024)
struct MHD_Connection {
    char pool[RS_OFFLINE_POOL];
    size_t pool_used;
    const char *names[RS_OFFLINE_MAX_HEADERS];  /* in pool */
    const char *values[RS_OFFLINE_MAX_HEADERS]; /* in pool */
    size_t n_headers;
    unsigned status; /* of the queued response, 0 when none */
    int queued;      /* responses queued: more than one is a bug */
    bool suspended;
    bool resumed;
};

/* Adds the field "name: value" as libmicrohttpd would have parsed it: the
 * spaces and tabs at the start of value stay between the name and the value.
 * Returns false when the connection has no room left (the field is not
 * added). */
bool rs_offline_field(struct MHD_Connection *c, const char *name, size_t name_len,
                      const char *value, size_t value_len);

/* A server context: configuration (the test secret, one CORS origin,
 * --trust-proxy on) and no database or hash pool behind it. Lives for the
 * process. */
struct rs_ctx *rs_offline_ctx(void);

/* Sets what the store and the hash pool answer from now on. */
void rs_offline_store_set(const struct rs_offline_store *s);

/* Returns new (free()): a token for RS_OFFLINE_USER signed with the test
 * secret, valid now. */
char *rs_offline_token(void);

/* Serves one request as server.c's access handler does: the framing check,
 * the declared length, the body, then the router (again after a
 * suspension, as libmicrohttpd would call it once the hash job resumed the
 * connection). method, path and version are C strings like libmicrohttpd's.
 * Returns the status queued on conn (0 when none). */
unsigned rs_offline_serve(struct MHD_Connection *conn, const char *method, const char *path,
                          const char *version, const char *body, size_t body_len);

#endif
