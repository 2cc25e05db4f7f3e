#ifndef RS_REQUEST_H
#define RS_REQUEST_H
/*
 * One HTTP request on its way through the server: created when its headers
 * arrive, freed when libmicrohttpd reports the request completed. Only the
 * thread serving the connection touches it, except the hash job, which a
 * hash worker fills while the connection is suspended.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <time.h>

#include "cmn/buf.h"
#include "rs/ctx.h"
#include "rs/password.h"

#define RS_MAX_EXTRA_HEADERS 6
#define RS_ID_MAX 40

struct rs_request;

/* A handler answers (queues a response) or suspends; it returns MHD_YES,
 * or MHD_NO to drop the connection. */
typedef enum MHD_Result (*rs_handler_fn)(struct rs_request *r);

struct rs_header {
    char name[32];
    char value[1024];
};

struct rs_request {
    struct rs_ctx *ctx;          /* borrowed */
    struct MHD_Connection *conn; /* borrowed */
    const char *method;          /* borrowed from MHD, valid until completion */
    const char *path;            /* borrowed, raw (not percent-decoded), no query */
    char log_path[208];          /* path made safe for a log line (printable, capped) */
    struct cmn_buf body;
    bool body_too_big;
    unsigned status; /* of the queued response, 0 before */
    struct timespec started;
    char client_ip[INET6_ADDRSTRLEN];
    char user_id[RS_ID_MAX]; /* the authenticated user, "" when none */
    /* Path parameters, copied; *_long when the segment did not fit. */
    char path_user_id[RS_ID_MAX];
    bool path_user_id_long;
    char path_task_id[RS_ID_MAX];
    bool path_task_id_long;
    struct rs_header extra[RS_MAX_EXTRA_HEADERS];
    unsigned n_extra;
    /* Asynchronous work (rs/password_async.h): a handler that suspends sets
     * resume; the next call for this connection goes there. */
    rs_handler_fn resume;
    struct rs_hash_job job;
    json_t *state; /* owned: what a handler keeps across a suspension */
};

/* Returns new: free with rs_request_free(). */
struct rs_request *rs_request_new(struct rs_ctx *ctx, struct MHD_Connection *conn,
                                  const char *method, const char *path, size_t max_body);
void rs_request_free(struct rs_request *r);

/* Borrowed: a request header (case-insensitive name), NULL when absent. */
const char *rs_request_header(const struct rs_request *r, const char *name);

#endif
