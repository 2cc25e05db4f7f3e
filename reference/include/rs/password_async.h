#ifndef RS_PASSWORD_ASYNC_H
#define RS_PASSWORD_ASYNC_H
/*
 * bcrypt work for a request, off the HTTP thread: the connection is
 * suspended (libmicrohttpd suspend/resume) while the hash pool of
 * rs/password.h runs r->job, and resumed when the job is done. The
 * connection's next call reaches rs_router_dispatch(), which runs the
 * continuation given here.
 */
#include "rs/request.h"

/* Suspends r's connection and hands r->job (kind, password and, to verify,
 * hash filled in) to the hash pool; `then` runs when the work is done and
 * reads the outcome in r->job.result. When the queue is full the job is not
 * queued, the password is wiped and the connection is resumed at once: its
 * next call answers 503 + Retry-After: 1. Returns 0 or RS_E_BUSY. Either
 * way the caller returns MHD_YES and answers nothing itself. */
int rs_password_async_submit(struct rs_request *r, rs_handler_fn then);

#endif
