/* Path and origin variants (see hx/probes/variants.h). */
#include "hx/probes/variants.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cmn/error.h"

#define VAR_MARK "{user_id}"

int
hx_variants_path_for(const char *tmpl, const char *id, char *out, size_t out_size)
{
    const char *at = strstr(tmpl, VAR_MARK);
    int n;
    if (at == NULL)
        return CMN_E_INVAL;
    n = snprintf(out, out_size, "%.*s%s%s", (int)(at - tmpl), tmpl, id, at + strlen(VAR_MARK));
    if (n < 0 || (size_t)n >= out_size)
        return CMN_E_TOOBIG;
    return 0;
}

struct var_set {
    struct hx_path_variant *out;
    size_t max, n;
    int rc;
};

static void
var_add(struct var_set *s, const char *name, const char *tmpl, const char *id, const char *suffix,
        bool own)
{
    struct hx_path_variant *v;
    int rc;
    if (s->rc != 0)
        return;
    if (s->n >= s->max) {
        s->rc = CMN_E_TOOBIG;
        return;
    }
    v = &s->out[s->n];
    snprintf(v->name, sizeof(v->name), "%s", name);
    rc = hx_variants_path_for(tmpl, id, v->path, sizeof(v->path));
    if (rc == 0 && suffix != NULL) {
        size_t len = strlen(v->path);
        int k = snprintf(v->path + len, sizeof(v->path) - len, "%s", suffix);
        if (k < 0 || (size_t)k >= sizeof(v->path) - len)
            rc = CMN_E_TOOBIG;
    }
    if (rc != 0) {
        s->rc = rc;
        return;
    }
    v->own_path = own;
    s->n++;
}

int
hx_variants_paths(const char *tmpl, const char *self_id, const char *other_id,
                  struct hx_path_variant *out, size_t max, size_t *n)
{
    struct var_set s = {.out = out, .max = max};
    char id[256], t2[HX_VARIANT_PATH_MAX];
    size_t len = strlen(other_id);
    const char *mark = strstr(tmpl, VAR_MARK);

    *n = 0;
    if (mark == NULL)
        return CMN_E_INVAL;
    if (len * 3 + 1 > sizeof(id))
        return CMN_E_TOOBIG;
    var_add(&s, "other-id", tmpl, other_id, NULL, false);
    for (size_t i = 0; i <= len; i++)
        id[i] = (char)toupper((unsigned char)other_id[i]);
    if (strcmp(id, other_id) != 0)
        var_add(&s, "other-id-uppercase", tmpl, id, NULL, false);
    for (size_t i = 0; i <= len; i++)
        id[i] = (char)tolower((unsigned char)other_id[i]);
    if (strcmp(id, other_id) != 0)
        var_add(&s, "other-id-lowercase", tmpl, id, NULL, false);
    /* first character percent-encoded, then every hyphen */
    snprintf(id, sizeof(id), "%%%02X%s", (unsigned char)other_id[0], other_id + 1);
    var_add(&s, "other-id-percent-encoded", tmpl, id, NULL, false);
    {
        size_t k = 0;
        for (size_t i = 0; i < len && k + 4 < sizeof(id); i++) {
            if (other_id[i] == '-') {
                memcpy(id + k, "%2D", 3);
                k += 3;
            } else {
                id[k++] = other_id[i];
            }
        }
        id[k] = '\0';
        if (strcmp(id, other_id) != 0)
            var_add(&s, "other-id-hyphens-encoded", tmpl, id, NULL, false);
    }
    var_add(&s, "trailing-slash", tmpl, other_id, "/", false);
    snprintf(id, sizeof(id), "/%s", other_id);
    var_add(&s, "double-slash-before-id", tmpl, id, NULL, false);
    snprintf(id, sizeof(id), "%%2e/%s", other_id);
    var_add(&s, "encoded-dot-segment", tmpl, id, NULL, false);
    snprintf(id, sizeof(id), "%s/%%2e%%2e/%s", self_id, other_id);
    var_add(&s, "encoded-dot-dot-from-own", tmpl, id, NULL, false);
    snprintf(id, sizeof(id), "%s;x=1", other_id);
    var_add(&s, "matrix-parameter", tmpl, id, NULL, false);
    snprintf(id, sizeof(id), "%s;user_id=%s", self_id, other_id);
    var_add(&s, "matrix-own-id-then-other", tmpl, id, NULL, true);
    snprintf(id, sizeof(id), "%s%%20", other_id);
    var_add(&s, "encoded-trailing-space", tmpl, id, NULL, false);
    /* the caller's own path, the other id in the query */
    snprintf(t2, sizeof(t2), "?user_id=%s", other_id);
    var_add(&s, "own-path-other-id-in-query", tmpl, self_id, t2, true);
    *n = s.n;
    return s.rc;
}
