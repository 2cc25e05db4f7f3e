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
RS_DEFECT_ITEM(ISSUES_HS512, "issues-hs512",
               "tokens are signed HS512, not the contract's HS256 (and HS512 is accepted)")
RS_DEFECT_ITEM(EXP_OPTIONAL, "exp-optional", "a token without exp is accepted and never expires")
RS_DEFECT_ITEM(FUTURE_IAT_ACCEPTED, "future-iat-accepted",
               "a token whose iat lies in the future is accepted")
RS_DEFECT_ITEM(DUPLICATE_CLAIMS_ACCEPTED, "duplicate-claims-accepted",
               "token header and claims are parsed leniently: a member twice, the last wins")
RS_DEFECT_ITEM(EXTRA_SEGMENTS_ACCEPTED, "extra-segments-accepted",
               "a token with more than three segments is verified on its first three")
RS_DEFECT_ITEM(UNKNOWN_USER_ACCEPTED, "unknown-user-accepted",
               "a valid token for a user id no account has is served as an empty account")
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
RS_DEFECT_ITEM(MISSING_TOKEN_403, "missing-token-403",
               "a request without a token is answered 403 \"Not authenticated\" instead of 401")
RS_DEFECT_ITEM(INVALID_TOKEN_403, "invalid-token-403",
               "an invalid token is answered 403 \"Could not validate credentials\" instead of 401")
RS_DEFECT_ITEM(ANY_AUTH_SCHEME, "any-auth-scheme",
               "an Authorization header without the Bearer scheme is taken as a token")
RS_DEFECT_ITEM(VALIDATION_400, "validation-400",
               "invalid request bodies and fields are answered 400 instead of 422")
RS_DEFECT_ITEM(SIGNIN_EMAIL_CASE_SENSITIVE, "signin-email-case-sensitive",
               "signin looks the email up as typed: another case finds no account")
RS_DEFECT_ITEM(SIGNIN_RETURNS_201, "signin-returns-201", "signin answers 201 instead of 200")
RS_DEFECT_ITEM(SIGNOUT_KEEPS_COOKIE, "signout-keeps-cookie",
               "signout does not clear the access_token cookie")
RS_DEFECT_ITEM(HEALTH_REQUIRES_TOKEN, "health-requires-token", "GET /health answers 401")
RS_DEFECT_ITEM(TASKS_LIST_WRAPPED, "tasks-list-wrapped",
               "the tasks list is an object {\"tasks\": [...]} instead of an array")
RS_DEFECT_ITEM(TASK_CREATE_RETURNS_200, "task-create-returns-200",
               "creating a task answers 200 instead of 201")
RS_DEFECT_ITEM(TASK_GET_RETURNS_LIST, "task-get-returns-list",
               "GET of one task answers the whole list")
RS_DEFECT_ITEM(TASK_REPLACE_IGNORED, "task-replace-ignored",
               "PUT of a task answers 200 with the task unchanged")
RS_DEFECT_ITEM(TASK_PATCH_CLEARS, "task-patch-clears",
               "PATCH of a task resets the fields it does not send")
RS_DEFECT_ITEM(TASK_DELETE_NO_OP, "task-delete-no-op",
               "DELETE of a task answers 204 and deletes nothing")
RS_DEFECT_ITEM(NON_UUID_USER_404, "non-uuid-user-404",
               "another user's id that is not a UUID is answered 404 instead of 403")
RS_DEFECT_ITEM(SECRET_FILE_EXPOSED, "secret-file-exposed",
               "GET /.env serves the secret and the database URL")
RS_DEFECT_ITEM(TASKS_SLASH_REDIRECT, "tasks-slash-redirect",
               "the tasks list answers 307 to the same path with a trailing slash, as a "
               "framework does for a route declared with one")
RS_DEFECT_ITEM(EMBEDDED_JWK_ACCEPTED, "embedded-jwk-accepted",
               "a token signed EdDSA with the key its own header carries (jwk) is accepted")
RS_DEFECT_ITEM(JKU_HONOURED, "jku-honoured",
               "a token whose header names a JWK Set by URL (jku, loopback only) is verified with "
               "the key fetched from there: EdDSA with an Ed25519 key, HS256 with an oct key")
RS_DEFECT_ITEM(FORWARDED_FOR_TRUSTED, "forwarded-for-trusted",
               "the client address is the first X-Forwarded-For value whoever sent it, and "
               "failed signins are counted per address only (no per-account limit)")
