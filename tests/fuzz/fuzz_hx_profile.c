/* Fuzz target: the target-profile loader (harness/src/scenario/profile.c)
 * on a profile file a third party wrote: hx_profile_load_buffer() alone and
 * merged over the default profile (fixtures/profiles/quickstart.json), then
 * the lookups a run makes on a profile that loaded (routes filled in,
 * dotted members). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_check.h"
#include "hx/profile.h"

static const json_t *
profile_defaults(void)
{
    static json_t *defaults;
    char path[4096];
    const char *dir = getenv("AUTHCONFORM_DATA_DIR");

    if (defaults == NULL) {
        snprintf(path, sizeof path, "%s/fixtures/profiles/quickstart.json",
                 dir != NULL ? dir : ".");
        defaults = json_load_file(path, JSON_REJECT_DUPLICATES, NULL); /* lives for the process */
        if (defaults == NULL) {
            fprintf(stderr,
                    "fuzz_hx_profile: cannot read %s (set AUTHCONFORM_DATA_DIR to the "
                    "source tree)\n",
                    path);
            abort();
        }
    }
    return defaults;
}

static void
profile_use(const struct hx_profile *p)
{
    static const char *const routes[] = {"signup", "signin", "signout", "tasks",
                                         "task",   "me",     NULL};
    char out[256];

    FZ_CHECK(p->name != NULL && p->signup_path != NULL && p->signin_path != NULL);
    FZ_CHECK(p->scheme != NULL && p->email_domain != NULL);
    for (const char *const *r = routes; *r != NULL; r++) {
        int rc = hx_profile_route(p, *r, "6f1c2a9e-3b7d-4c51-9a2e-8d0b4f6e1a37",
                                  "0b8f2a4c-5d6e-4f70-8a91-b2c3d4e5f601", out, sizeof out);
        FZ_CHECK(rc == 0 || rc == HX_E_NOTFOUND || rc == HX_E_TOOLONG || rc == HX_E_NOMEM);
        if (rc == 0)
            FZ_CHECK(memchr(out, '\0', sizeof out) != NULL);
    }
    (void)hx_profile_get(p, "codes.signup");
    (void)hx_profile_get(p, "token.lifetime");
    (void)hx_profile_get(p, "limits.lockout_status");
    (void)hx_profile_get(p, "a.b.c.d.e.f");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hx_profile *p = NULL;
    struct hx_errlist errs;
    int rc;

    if (size > 65536)
        return 0;
    for (int merge = 0; merge < 2; merge++) {
        hx_errlist_init(&errs);
        rc = hx_profile_load_buffer((const char *)data, size, "fuzz.json",
                                    merge ? profile_defaults() : NULL, &p, &errs);
        FZ_CHECK(rc == 0 || rc == HX_E_PARSE || rc == HX_E_NOMEM);
        FZ_CHECK((rc == 0) == (errs.n == 0 && errs.dropped == 0));
        if (rc == 0) {
            profile_use(p);
            hx_profile_free(p);
            p = NULL;
        }
        hx_errlist_cleanup(&errs);
    }
    return 0;
}
