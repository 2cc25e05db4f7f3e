#ifndef RS_FRAMING_H
#define RS_FRAMING_H
/*
 * Request framing (RFC 9112 sections 2.2, 3.2, 5.1, 5.2, 6.1 and 6.3),
 * checked on the header fields libmicrohttpd has parsed, before any byte of
 * the body is read. libmicrohttpd 0.9.75 frames a request by the first
 * Content-Length or Transfer-Encoding it finds and lets the rest through:
 *
 *  - "Content-Length : 5" (whitespace before the colon) becomes a field
 *    named "Content-Length " that it does not take as the length: the body
 *    is then read as the next request on the connection;
 *  - an obs-fold continuation line is appended to the field's name, not its
 *    value ("Transfer-Encoding: chunked\r\n gzip" becomes a field
 *    "Transfer-Encodinggzip: chunked"), so it hides the field;
 *  - of two Content-Length it reads the first; Transfer-Encoding wins over
 *    Content-Length, also in HTTP/1.0; it asks for no Host;
 *  - a field value is cut at a raw NUL byte and keeps a lone CR.
 *
 * A request refused here must be answered at once, while libmicrohttpd has
 * read nothing of its body: it then closes the connection after the answer,
 * so nothing left in it is taken as another request.
 */
#include <microhttpd.h>

/* Returns NULL when the framing of the request on conn is sound, else why
 * not, in a few words for a 400 body (static). method and version: as
 * libmicrohttpd hands them to the request handler (method is where the
 * request begins in its buffer; version is "HTTP/1.1" or "HTTP/1.0"). */
const char *rs_framing_problem(struct MHD_Connection *conn, const char *method,
                               const char *version);

#endif
