#include "rs/password_async.h"

#include <string.h>

#include "cmn/log.h"
#include "rs/password.h"
#include "rs/reply.h"

/* Runs on a hash worker: the result is in r->job; wake the connection. */
static void
password_async_done(struct rs_hash_job *job, void *arg)
{
    struct rs_request *r = arg;
    (void)job;
    MHD_resume_connection(r->conn);
}

static enum MHD_Result
password_async_busy(struct rs_request *r)
{
    cmn_log(CMN_LOG_WARN, "hash: queue full, refusing %s %s", r->method, r->log_path);
    rs_reply_header(r, "Retry-After", "1");
    return rs_reply_detail(r, MHD_HTTP_SERVICE_UNAVAILABLE, "Server is busy, retry later");
}

int
rs_password_async_submit(struct rs_request *r, rs_handler_fn then)
{
    int rc;

    r->job.done = password_async_done;
    r->job.arg = r;
    r->resume = then;
    MHD_suspend_connection(r->conn);
    rc = rs_hashpool_submit(r->ctx->hashes, &r->job);
    if (rc != 0) {
        /* Not queued: answer 503 on the next call, right after this resume. */
        explicit_bzero(r->job.password, sizeof r->job.password);
        r->resume = password_async_busy;
        MHD_resume_connection(r->conn);
    }
    return rc;
}
