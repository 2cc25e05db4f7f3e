#ifndef HX_REDIRECT_H
#define HX_REDIRECT_H
/*
 * Which redirects the harness follows on its own: only a 307 or 308 (method
 * and body kept, RFC 9110 §15.4.8/§15.4.9) to the same origin and the same
 * route, the path differing only by a trailing slash, as frameworks answer
 * when a route was declared with (or without) one. Such a redirect is a
 * deviation from the quickstart (its curl commands do not follow redirects)
 * that the quickstart's curl scenarios report; every other check judges the
 * answer of the route itself. A redirect to another origin is never followed:
 * the request carries a credential.
 */
#include <stdbool.h>
#include <stddef.h>

#include "hx/http.h"

/* When resp (the answer to a request for url) is such a redirect, returns
 * true and sets *next to the absolute URL to request instead (owned by the
 * caller, free()). Returns false otherwise, with *next NULL; also when
 * memory runs out (the answer is then judged as it is). */
bool hx_redirect_same_route(const char *url, const struct hx_response *resp, char **next);

/* The note a followed redirect leaves on its step, for the report:
 * "followed 307 from <path> to <path> (same origin, ...)" into out. */
void hx_redirect_note(const char *from, const char *to, long status, char *out, size_t size);

#endif
