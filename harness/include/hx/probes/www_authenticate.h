#ifndef HX_PROBES_WWW_AUTHENTICATE_H
#define HX_PROBES_WWW_AUTHENTICATE_H
/*
 * The judgement of the www_authenticate probe (probes/www_authenticate.c),
 * pure for unit tests.
 */
#include <stdbool.h>
#include <stddef.h>

/* RFC 9110 §11.6.1 and §15.5.2: true when value (the WWW-Authenticate
 * field of a 401, NULL when absent) holds at least one challenge, i.e.
 * starts with an auth-scheme token (1*tchar) followed by the end, a space
 * or a comma. why gets a one-line reason either way. */
bool hx_www_authenticate_ok(const char *value, char *why, size_t why_size);

#endif
