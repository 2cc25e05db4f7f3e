#ifndef RS_VALIDATE_H
#define RS_VALIDATE_H
/* Field rules of the API, as pure functions (unit-tested on their own). */
#include <stdbool.h>
#include <stddef.h>

/* Normalises an email (trims surrounding white space, lowercases) into out
 * and checks its shape: local@domain.tld, printable ASCII, no spaces, at most
 * 254 characters. Returns 0, or RS_E_INVAL with *why set (static text). */
int rs_validate_email(const char *in, char *out, size_t out_size, const char **why);

/* Password rules: at least 8 characters, at most 72 bytes (bcrypt's limit). */
int rs_validate_password(const char *pw, const char **why);

#endif
