/* The planted defects: RS_DEFECT_ITEM(ID, "name", "what it breaks").
 * Included by rs/defect.h in defect builds only; no include guard on purpose. */
RS_DEFECT_ITEM(ISOLATION_READ_BYPASS, "isolation-read-bypass",
               "GET of another user's tasks is served instead of 403")
RS_DEFECT_ITEM(ISOLATION_WRITE_BYPASS, "isolation-write-bypass",
               "POST/PUT/PATCH/DELETE on another user's tasks is performed instead of 403")
RS_DEFECT_ITEM(ISOLATION_CASE_BYPASS, "isolation-case-bypass",
               "a path user id in upper case or percent-encoded skips the ownership check "
               "and is used, decoded, as the owner")
RS_DEFECT_ITEM(ALG_NONE_ACCEPTED, "alg-none-accepted",
               "tokens with alg none (any case) and no signature are accepted")
RS_DEFECT_ITEM(ANY_HMAC_ALG_ACCEPTED, "any-hmac-alg-accepted",
               "tokens signed HS384 or HS512 with the secret are accepted")
RS_DEFECT_ITEM(SIGNATURE_NOT_CHECKED, "signature-not-checked",
               "token signatures are not verified at all")
RS_DEFECT_ITEM(EXP_NOT_CHECKED, "exp-not-checked", "expired tokens are accepted")
RS_DEFECT_ITEM(LIFETIME_30_DAYS, "lifetime-30-days", "tokens expire after 30 days, not 7")
RS_DEFECT_ITEM(WEAK_SECRET, "weak-secret",
               "tokens are signed with a word-list secret (your-256-bit-secret)")
RS_DEFECT_ITEM(PLAINTEXT_PASSWORDS, "plaintext-passwords",
               "passwords are stored as they are, not bcrypt-hashed")
RS_DEFECT_ITEM(BCRYPT_COST_10, "bcrypt-cost-10", "new passwords are hashed at bcrypt cost 10")
RS_DEFECT_ITEM(USER_ENUMERATION, "user-enumeration",
               "signin with an unknown email says so in a different body")
RS_DEFECT_ITEM(SLOW_UNKNOWN_EMAIL, "slow-unknown-email",
               "no dummy hash: an unknown email is answered at once, a known one after bcrypt")
RS_DEFECT_ITEM(LEAKY_ERRORS, "leaky-errors",
               "422 answers carry a debug member with a source path and SQL; database errors "
               "answer 500 with the SQL text (e.g. a task id that is not a UUID)")
RS_DEFECT_ITEM(VERSION_BANNER, "version-banner",
               "every response carries Server: authref/<version> libmicrohttpd/<version>")
RS_DEFECT_ITEM(CORS_REFLECT_ANY_ORIGIN, "cors-reflect-any-origin",
               "any Origin is echoed in Access-Control-Allow-Origin with credentials")
RS_DEFECT_ITEM(CORS_WILDCARD_CREDENTIALS, "cors-wildcard-credentials",
               "Access-Control-Allow-Origin: * together with Allow-Credentials: true")
RS_DEFECT_ITEM(NO_RATE_LIMIT, "no-rate-limit", "no rate limit on /api/auth/*")
RS_DEFECT_ITEM(COOKIE_NOT_HTTPONLY, "cookie-not-httponly",
               "the access_token cookie lacks HttpOnly")
RS_DEFECT_ITEM(NO_CSP, "no-csp", "no Content-Security-Policy header")
RS_DEFECT_ITEM(DUPLICATE_SIGNUP_RACE, "duplicate-signup-race",
               "signup checks then inserts without a unique index: concurrent signups with "
               "one email make several accounts")
RS_DEFECT_ITEM(DUPLICATE_SIGNUP_ALLOWED, "duplicate-signup-allowed",
               "a second signup with a taken email creates another account (201)")
RS_DEFECT_ITEM(SIGNUP_RETURNS_200, "signup-returns-200", "signup answers 200 instead of 201")
RS_DEFECT_ITEM(SIGNIN_WRONG_STATUS, "signin-wrong-status",
               "failed signins answer 400 instead of 401")
RS_DEFECT_ITEM(MISSING_WWW_AUTHENTICATE, "missing-www-authenticate",
               "401 answers lack WWW-Authenticate: Bearer")
RS_DEFECT_ITEM(TOKEN_IN_BODY_ONLY, "token-in-body-only",
               "signup and signin set no cookie")
RS_DEFECT_ITEM(NO_HSTS, "no-hsts", "no Strict-Transport-Security over TLS")
RS_DEFECT_ITEM(TLS12_ALLOWED, "tls12-allowed", "TLS 1.2 is accepted besides 1.3")
RS_DEFECT_ITEM(SECRET_FILE_EXPOSED, "secret-file-exposed",
               "GET /.env serves the secret and the database URL")
