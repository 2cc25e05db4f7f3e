#ifndef HX_PROBES_CSP_H
#define HX_PROBES_CSP_H
/*
 * The judgement of the csp probe (probes/csp.c), pure for unit tests.
 */
#include <stdbool.h>
#include <stddef.h>

/* CSP: true when policy is present and not trivially permissive: it has
 * default-src (or script-src), and neither default-src nor script-src
 * allows 'unsafe-inline', 'unsafe-eval', '*', "data:", "http:" or "https:"
 * wholesale. Several policies (several headers) are all checked: the
 * browser enforces each, so the strictest wins; policy_count may be 0. */
bool hx_csp_ok(const char *const *policies, size_t policy_count, char *why, size_t why_size);

#endif
