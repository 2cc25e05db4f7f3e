#ifndef RS_DEFECT_H
#define RS_DEFECT_H
/*
 * Planted defects: test builds only (-DAUTHREF_DEFECTS=ON). A guard point
 * reads `if (RS_DEFECT(ALG_NONE_ACCEPTED)) ...`; in the default build the
 * macro is the constant 0, so the compiler drops the branch and the program
 * contains neither the code nor the --defect flag.
 *
 * A defect whose broken behaviour takes more than a line lives in
 * src/defects/ as a hook, rs_defect_*() below, and the guard point is one
 * line: `if (RS_DEFECT(ID)) x = rs_defect_hook(...)`. The hooks are defined
 * in defect builds only; call them only behind RS_DEFECT(...), which the
 * compiler folds to 0 in the default build (so the calls vanish with it).
 */
#include <jansson.h>
#include <microhttpd.h>
#include <openssl/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef AUTHREF_DEFECTS

enum rs_defect {
    RS_DEFECT_NONE_ = 0,
#define RS_DEFECT_ITEM(id, name, what) RS_DEFECT_##id,
#include "rs/defect_list.h"
#undef RS_DEFECT_ITEM
    RS_DEFECT_COUNT_
};

/* The active defects: set once in main before any thread starts (the same
 * rule as the log level), read-only afterwards. names is one name or
 * several separated by commas ("no-csp,health-requires-token"); they
 * replace those active before. Returns 0, or RS_E_INVAL for an unknown
 * name (nothing changed); NULL selects none (tests, between servers). */
int rs_defect_select(const char *names);
bool rs_defect_active(enum rs_defect d);
/* Prints every name and what it breaks, one a line. */
void rs_defect_list(FILE *out);

#define RS_DEFECT(id) rs_defect_active(RS_DEFECT_##id)

#else

#define RS_DEFECT(id) 0

#endif

struct MHD_Response;
struct rs_config;
struct rs_db;
struct rs_hash_job;
struct rs_request;
struct rs_task_fields;
struct rs_token_key;

/* ---- defects/tokens.c ---- */

/* weak-secret: borrowed, static: the word-list key tokens are signed with. */
const struct rs_token_key *rs_defect_token_weak_key(void);
/* any-hmac-alg-accepted, alg-none-accepted: the digest a header's alg (other
 * than HS256) is verified with, NULL when refused; *unsigned_ok is set for
 * "none" in any case (no signature to check). */
const EVP_MD *rs_defect_token_alg(const char *alg, bool *unsigned_ok);
/* duplicate-claims-accepted: a token segment parsed without refusing a
 * member twice (new, or NULL). */
json_t *rs_defect_token_lenient_json(const char *raw, size_t len);
/* embedded-jwk-accepted: whether token (its signing input ends at dot2, its
 * signature at end) is EdDSA signed by the Ed25519 key in its header's jwk. */
bool rs_defect_token_embedded_jwk(const char *token, const char *dot2, const char *end);
/* jku-honoured: whether token (signing input ends at dot2, signature at
 * end) verifies with a key of the JWK Set its header's jku names: fetched
 * over plain http from a loopback address only (127.0.0.1, [::1],
 * localhost), the key with the header's kid (or the first), EdDSA with an
 * Ed25519 key or HS256 with an oct key. */
bool rs_defect_token_jku(const char *token, const char *dot2, const char *end);
/* extra-segments-accepted: where the third segment of token ends (its third
 * dot, or its end), so that later segments are ignored. */
const char *rs_defect_token_third_end(const char *dot2);

/* ---- defects/access.c ---- */

/* any-auth-scheme: borrowed from h, the token of an Authorization header
 * whatever its scheme (what follows the first space, or all of it). */
const char *rs_defect_auth_any_scheme(const char *h);
/* isolation-*-bypass: whether the active defect lets this request past the
 * ownership check; when it does, r->user_id becomes the path's user. */
bool rs_defect_owner_bypass(struct rs_request *r);

/* forwarded-for-trusted: the first address of an X-Forwarded-For value, as a
 * limiter that believes the client writes it (into out, unchanged when it is
 * no address). */
void rs_defect_forwarded_first(const char *xff, char *out, size_t size);

/* ---- defects/leaks.c ---- */

/* leaky-errors: returns new: a 422 body with a source path and SQL in it. */
json_t *rs_defect_leaky_body(const char *detail);
/* leaky-errors: returns new: a 500 body with the last SQL error. */
json_t *rs_defect_leaky_db_body(void);
/* secret-file-exposed: returns new: the text of a .env with the secret and
 * the database URL, as a JSON string. */
json_t *rs_defect_env_file(const struct rs_config *cfg);
/* version-banner: adds Server: authref/<version> libmicrohttpd/<version>. */
void rs_defect_version_banner(struct MHD_Response *resp);

/* ---- defects/cors.c ---- */

/* cors-wildcard-credentials: adds Access-Control-Allow-Origin: * and
 * Access-Control-Allow-Credentials: true. Returns true (no more CORS headers). */
bool rs_defect_cors_wildcard(struct MHD_Response *resp);

/* ---- defects/passwords.c ---- */

/* plaintext-passwords: runs a hash job without bcrypt (stores and compares
 * the password as it is). Returns the job's result: 0 or RS_E_MISMATCH. */
int rs_defect_password_plaintext(struct rs_hash_job *job);

/* ---- defects/signup.c ---- */

/* duplicate-signup-race: whether email has an account now (checked before
 * hashing, the window a unique index closes). */
bool rs_defect_signup_email_taken(struct rs_db *db, const char *email);
/* duplicate-signup-*: drops the unique index on lower(email). Returns 0 or
 * RS_E_DB. */
int rs_defect_signup_drop_unique_email(struct rs_db *db);

/* ---- defects/tasks.c ---- */

/* task-patch-clears: the fields a PATCH leaves out are reset instead. */
void rs_defect_task_patch_clears(struct rs_task_fields *f);
/* tasks-slash-redirect: answers 307 to r's path with a slash appended when the
 * path names the tasks list without one; returns false (nothing answered)
 * otherwise. */
bool rs_defect_tasks_slash_redirect(struct rs_request *r, enum MHD_Result *answered);

#endif
