#ifndef HX_PROBES_CORS_H
#define HX_PROBES_CORS_H
/*
 * The judgement and the origins of the cors probe (probes/cors.c), pure for
 * unit tests.
 */
#include <stdbool.h>
#include <stddef.h>

/* CORS: judges the answer to a request that carried Origin: origin.
 * trusted says whether origin should be allowed. acao/acac may be NULL.
 * For an untrusted origin: permissive when ACAO echoes it, is "null" for
 * a null origin, or is "*" (with or without credentials). For any origin:
 * "*" together with Allow-Credentials: true is always wrong. For a trusted
 * origin, ok means it was allowed (ACAO equals it). */
bool hx_cors_ok(const char *origin, bool trusted, const char *acao, const char *acac, char *why,
                size_t why_size);

#define HX_ORIGIN_MAX 300

struct hx_origin_variant {
    char name[48];
    char origin[HX_ORIGIN_MAX];
};

/* Untrusted origins: a foreign one, "null", and lookalikes of trusted
 * (suffix and prefix tricks, another scheme). Returns the count. */
size_t hx_cors_origins(const char *trusted, struct hx_origin_variant *out, size_t max);

#endif
