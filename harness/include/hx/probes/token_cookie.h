#ifndef HX_PROBES_TOKEN_COOKIE_H
#define HX_PROBES_TOKEN_COOKIE_H
/*
 * The judgement of the token_cookie probe (probes/token_cookie.c), pure for
 * unit tests.
 */
#include <stdbool.h>
#include <stddef.h>

#include "hx/header_values.h"

/* Judges a token cookie: HttpOnly, SameSite (Lax or Strict; None only with
 * Secure), Secure when https. */
bool hx_cookie_ok(const struct hx_cookie *c, bool https, char *why, size_t why_size);

#endif
