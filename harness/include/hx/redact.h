#ifndef HX_REDACT_H
#define HX_REDACT_H
/*
 * The one place that decides what a secret looks like in output. Everything
 * the harness prints or writes (console, evidence in results, reports)
 * passes through here first.
 *
 * A secret keeps a short prefix, then "…" (U+2026):
 *   JWT-looking strings ("eyJ….….…")          -> first 6 characters
 *   values of 12 characters or more           -> first 4
 *   values of 6 to 11 characters              -> first 2
 *   shorter values                            -> nothing but "…"
 *   an empty value stays empty (a cleared cookie is worth seeing)
 * The prefix never splits a multi-byte character.
 *
 * What counts as a secret:
 *   - every literal registered with hx_redactor_add() (the run's generated
 *     passwords, captured tokens, the shared secret) or learnt from what the
 *     target sent (hx_redactor_learn_*: cookie values, sensitive headers,
 *     JSON strings under sensitive keys), wherever it appears, key names
 *     and cookie names included;
 *   - JWT-looking strings; the value after "Bearer ";
 *   - JSON string values whose key names a password, token, secret, cookie,
 *     session, JWT, authorization or API key ("access_token": "…");
 *   - key=value pairs with such a key (forms, .env files);
 *   - header values of Authorization, Proxy-Authorization, Cookie (each
 *     value), Set-Cookie (the value, attributes kept), and headers whose
 *     name says token, secret or api-key.
 */
#include <pthread.h>
#include <stddef.h>

#include "cmn/buf.h"

struct hx_redactor {
    pthread_mutex_t lock; /* guards literals: probe threads add tokens */
    char **literals;      /* owned, longest first */
    size_t n_literals;
};

void hx_redactor_init(struct hx_redactor *r);
void hx_redactor_cleanup(struct hx_redactor *r);
/* Registers a secret value (copied). Values shorter than 4 bytes are
 * ignored: masking them would garble unrelated text. */
int hx_redactor_add(struct hx_redactor *r, const char *secret);

/* Learns the credentials a response carries so that they are masked
 * wherever they appear later, whatever their shape (an opaque session
 * token quoted in a message): the value of every Set-Cookie and Cookie, of
 * Authorization, of headers whose name says token, jwt, session, secret or
 * api key; every JSON string under such a key, at any depth. A body that is
 * not JSON teaches nothing. Returns 0 or HX_E_NOMEM. */
int hx_redactor_learn_header(struct hx_redactor *r, const char *name, const char *value);
int hx_redactor_learn_body(struct hx_redactor *r, const char *p, size_t n);

/* Appends the masked form of one secret value (p, n) to out. */
int hx_redact_mask(const char *p, size_t n, struct cmn_buf *out);
/* Appends the redacted form of text (p, n) to out. r may be NULL (patterns only). */
int hx_redact_text(struct hx_redactor *r, const char *p, size_t n, struct cmn_buf *out);
/* Returns new (free()): the redacted, NUL-terminated form of (p, n); NULL when out of memory. */
char *hx_redact_text_new(struct hx_redactor *r, const char *p, size_t n);
/* Returns new (free()): the redacted value of a header called name. */
char *hx_redact_header_new(struct hx_redactor *r, const char *name, const char *value);

#endif
