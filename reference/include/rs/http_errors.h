#ifndef RS_HTTP_ERRORS_H
#define RS_HTTP_ERRORS_H
/*
 * libmicrohttpd's own error answers in authref's shape.
 *
 * libmicrohttpd 0.9.75 answers some requests itself, before authref's
 * handler sees them: a request line or header block larger than the
 * connection's memory (414, 431), a line it cannot parse (a field without a
 * colon, a request line without a version: 400), an HTTP version other than
 * 1.x (505), a chunked body whose framing is broken (400) or whose chunk size
 * overflows (413). It has no option to shape those answers: each is a
 * static HTML page without Content-Type or any of authref's headers.
 *
 * It queues them through its own exported MHD_queue_response(), called
 * through the procedure linkage table. http_errors.c defines that function
 * in authref, so the dynamic linker binds those calls (and authref's own) to
 * it: every response passes through unchanged except libmicrohttpd's own
 * errors -- a status of 400 or more on a response without Content-Type, which
 * every error authref builds has -- which are replaced by {"detail": ...}
 * with the security headers and Connection: close. Such a connection is
 * also given a timeout of RS_HTTP_ERRORS_TIMEOUT_S: libmicrohttpd loses its
 * own answer in one case (its memory runs out while it parses the query
 * string of the request line), and the client would otherwise wait for the
 * 30 s idle timeout.
 *
 * This relies on libmicrohttpd being linked dynamically and without
 * -Bsymbolic, as Debian builds it; rs_http_errors_init() checks that the
 * function is bound here and says so in the log when it is not.
 */

#define RS_HTTP_ERRORS_TIMEOUT_S 1

/* Finds libmicrohttpd's MHD_queue_response. Call once before any daemon
 * starts (single-threaded). Returns 0, or RS_E_INVAL when it cannot be
 * found (nothing can be answered then). */
int rs_http_errors_init(void);

#endif
