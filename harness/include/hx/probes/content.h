#ifndef HX_PROBES_CONTENT_H
#define HX_PROBES_CONTENT_H
/*
 * What response bodies give away: stack traces, SQL, file paths and
 * versions in error bodies (no-info-leak); secret-looking content served
 * at /.env and friends (secrets-not-exposed); committed secrets in a
 * repository's files (the --repo scan). Pure text scans.
 */
#include <stdbool.h>
#include <stddef.h>

/* Finds the first sign of an internal detail in an error body: a stack
 * trace, an SQL fragment or database error, a server file path, an
 * exception class or a framework version. Returns true and describes it. */
bool hx_content_leak(const char *body, size_t len, char *what, size_t what_size);

/* Finds secret-looking content: NAME=value lines with a secret-ish name and
 * a non-empty value, JSON members likewise, private keys, database URLs with
 * a password, git config. Returns true and describes it (name only, never
 * the value). */
bool hx_content_secret(const char *body, size_t len, char *what, size_t what_size);

/* True when a repository path is an environment file that must not be
 * committed (".env", "config/.env.production"...), false for templates
 * (".env.example", ".env.sample", ".env.template", ".env.dist"). */
bool hx_content_env_path(const char *path);

/* Judges one committed line ("BETTER_AUTH_SECRET=..."): true when it assigns
 * a real-looking value to BETTER_AUTH_SECRET (not empty, not ${VAR}, <...>,
 * or an obvious placeholder). */
bool hx_content_secret_assignment(const char *line, size_t len);

#endif
