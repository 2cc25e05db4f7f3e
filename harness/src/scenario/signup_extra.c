#include "hx/signup_extra.h"

#include <string.h>

#include "hx/vars.h"

const char *const hx_signup_extra_refs[] = {"identity.email", "identity.password",
                                            "identity.username", NULL};

static int
extra_ref_ok(void *ud, const char *name)
{
    struct hx_error *err = ud;

    for (const char *const *r = hx_signup_extra_refs; *r != NULL; r++)
        if (strcmp(*r, name) == 0)
            return 0;
    hx_error_set(err, NULL, 0,
                 "${%s} is not known here (identity.email, identity.password, identity.username: "
                 "the account being signed up)",
                 name);
    return HX_E_PARSE;
}

int
hx_signup_extra_check(const json_t *value, struct hx_error *err)
{
    const char *k;
    json_t *v;
    size_t i;
    int rc;

    if (json_is_string(value)) {
        rc = hx_vars_scan(json_string_value(value), extra_ref_ok, err, err);
        return rc != 0 ? HX_E_PARSE : 0;
    }
    json_object_foreach((json_t *)value, k, v)
    {
        if ((rc = hx_vars_scan(k, extra_ref_ok, err, err)) != 0 ||
            (rc = hx_signup_extra_check(v, err)) != 0)
            return HX_E_PARSE;
    }
    json_array_foreach((json_t *)value, i, v)
    {
        if ((rc = hx_signup_extra_check(v, err)) != 0)
            return rc;
    }
    return 0;
}

int
hx_signup_extra_add(const json_t *profile, json_t *body, const char *email, const char *password,
                    const char *username, struct hx_error *err)
{
    const json_t *extra = json_object_get(json_object_get(profile, "fields"), "extra");
    struct hx_vars *v;
    const char *k;
    json_t *val;
    int rc = 0;

    if (!json_is_object(extra) || json_object_size(extra) == 0)
        return 0;
    v = hx_vars_new(NULL);
    if (v == NULL || hx_vars_set(v, "identity.email", email ? email : "") != 0 ||
        hx_vars_set(v, "identity.password", password ? password : "") != 0 ||
        hx_vars_set(v, "identity.username", username ? username : "") != 0) {
        hx_vars_free(v);
        return HX_E_NOMEM;
    }
    json_object_foreach((json_t *)extra, k, val)
    {
        json_t *filled;
        if (json_object_get(body, k) != NULL)
            continue;
        filled = hx_vars_expand_json(v, val, err);
        if (filled == NULL) {
            rc = HX_E_PARSE;
            break;
        }
        if (json_object_set_new(body, k, filled) != 0) {
            rc = HX_E_NOMEM;
            break;
        }
    }
    hx_vars_free(v);
    return rc;
}
