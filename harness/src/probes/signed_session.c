/* The session value a signin hands out signed with the target's secret
 * (signed_session.h). */
#include "signed_session.h"

#include <stdio.h>
#include <stdlib.h>

#include "hx/header_values.h"
#include "probe_int.h"

bool
hx__signed_session_find(struct hx_probe_ctx *ctx, const struct hx_identity *a,
                        struct hx_sweep_target *t, char *where, size_t where_size)
{
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    char *body = hx__signin_body(ctx, a->email, a->password);
    struct hx_response r;
    bool found = false;

    if (body == NULL)
        return false;
    if (hx__probe_send(ctx, &(struct hx__send){.method = "POST", .path = signin, .json = body},
                       &r) == 0 &&
        r.status >= 200 && r.status < 300) {
        const char *h = hx_response_header(&r, "set-auth-token");
        if (h != NULL && hx_sweep_prepare_signed_value(h, t) == 0) {
            snprintf(where, where_size, "the set-auth-token header of a signin");
            found = true;
        }
        for (size_t i = 0; !found && i < hx_response_header_count(&r, "Set-Cookie"); i++) {
            struct hx_cookie c;
            const char *sc = hx_response_header_nth(&r, "Set-Cookie", i);
            char *value;
            if (hx_cookie_parse(sc, &c) != 0 || (value = hx_response_cookie(&r, c.name)) == NULL)
                continue;
            if (hx_sweep_prepare_signed_value(value, t) == 0) {
                snprintf(where, where_size, "the session cookie %.60s of a signin", c.name);
                found = true;
            }
            free(value);
        }
    }
    hx_response_cleanup(&r);
    free(body);
    return found;
}
