#ifndef HX_PROBES_VARIANTS_H
#define HX_PROBES_VARIANTS_H
/*
 * The path tricks of the user-isolation check (probes/isolation.c), also
 * used to fill {user_id} in route templates. Pure string building.
 */
#include <stdbool.h>
#include <stddef.h>

#define HX_VARIANT_PATH_MAX 600

struct hx_path_variant {
    char name[48];
    char path[HX_VARIANT_PATH_MAX];
    bool own_path; /* names the caller's own id (a 2xx is fine, a leak is not) */
};

/* Builds the variants of tmpl (a path with "{user_id}" where the id goes)
 * aimed at other_id: plain, upper/lower case, percent-encoded, trailing and
 * double slashes, encoded dot segments, matrix parameters, and the caller's
 * own path with the other id in the query. Returns 0, CMN_E_INVAL when tmpl
 * has no {user_id}, CMN_E_TOOBIG. */
int hx_variants_paths(const char *tmpl, const char *self_id, const char *other_id,
                      struct hx_path_variant *out, size_t max, size_t *n);

/* Substitutes {user_id} in tmpl. Returns 0, CMN_E_INVAL, CMN_E_TOOBIG. */
int hx_variants_path_for(const char *tmpl, const char *id, char *out, size_t out_size);

#endif
