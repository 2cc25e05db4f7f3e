#ifndef HX_PROBES_TLS_H
#define HX_PROBES_TLS_H
/*
 * The judgements of the tls probe (probes/tls.c), pure for unit tests.
 */
#include <stdbool.h>
#include <stddef.h>

/* HSTS: present with max-age >= min_age seconds. */
bool hx_hsts_ok(const char *value, long long min_age, char *why, size_t why_size);

/* The http twin of an https site: a 3xx whose Location is https://. */
bool hx_redirect_to_https(long status, const char *location);

#endif
