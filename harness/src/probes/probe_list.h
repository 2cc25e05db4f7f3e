/*
 * Every built-in probe, one line each: HX_PROBE(name) registers the
 * definition hx__probe_<name> in probes/<name>.c, which scenario steps call
 * as "probe": "<name>". Include with HX_PROBE defined; the checklist item
 * each serves is in its scenario file.
 */
HX_PROBE(secret_sweep)       /* 1 strong-secret */
HX_PROBE(secret_strength)    /* 1 strong-secret, with --secret-file */
HX_PROBE(secret_exposure)    /* 2 secrets-not-exposed */
HX_PROBE(bcrypt_cost)        /* 3 bcrypt-cost */
HX_PROBE(jwt_forge)          /* 4 hs256 */
HX_PROBE(jwt_key_url)        /* 4 hs256: jku and x5u on a key server of the run */
HX_PROBE(token_expiry)       /* 5 token-expiry */
HX_PROBE(signin_enumeration) /* 6 no-info-leak */
HX_PROBE(signin_timing)      /* 6 no-info-leak */
HX_PROBE(error_leaks)        /* 6 no-info-leak */
HX_PROBE(isolation)          /* 7 user-isolation */
HX_PROBE(cors)               /* 8 cors */
HX_PROBE(tls)                /* 9 https-tls13 */
HX_PROBE(rate_limit)         /* 10 rate-limiting */
HX_PROBE(token_cookie)       /* 11 httponly-cookies */
HX_PROBE(csp)                /* 12 csp */
HX_PROBE(signup_race)        /* concurrent signups */
HX_PROBE(www_authenticate)   /* RFC 9110 §15.5.2, outside the checklist */
