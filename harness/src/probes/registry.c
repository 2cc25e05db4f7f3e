/* The table of built-in probes that scenario steps may call by name. */
#include <stddef.h>
#include <string.h>

#include "hx/probe.h"
#include "probe_int.h"

static const struct hx_probe_def *const probe_table[] = {
    &hx__probe_secret_sweep,       /* strong-secret */
    &hx__probe_secret_strength,    /* strong-secret, with --secret-file */
    &hx__probe_secret_exposure,    /* secrets-not-exposed */
    &hx__probe_bcrypt_cost,        /* bcrypt-cost */
    &hx__probe_jwt_forge,          /* hs256 */
    &hx__probe_token_expiry,       /* token-expiry */
    &hx__probe_signin_enumeration, /* no-info-leak */
    &hx__probe_signin_timing,      /* no-info-leak */
    &hx__probe_error_leaks,        /* no-info-leak */
    &hx__probe_isolation,          /* user-isolation */
    &hx__probe_cors,               /* cors */
    &hx__probe_tls,                /* https-tls13 */
    &hx__probe_rate_limit,         /* rate-limiting */
    &hx__probe_token_cookie,       /* httponly-cookies */
    &hx__probe_csp,                /* csp */
    &hx__probe_signup_race,        /* concurrent signups */
    NULL,
};

const struct hx_probe_def *const *
hx_probe_all(void)
{
    return probe_table;
}

const struct hx_probe_def *
hx_probe_find(const char *name)
{
    for (const struct hx_probe_def *const *p = probe_table; *p != NULL; p++)
        if (strcmp((*p)->name, name) == 0)
            return *p;
    return NULL;
}
