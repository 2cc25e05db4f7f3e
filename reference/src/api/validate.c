#include "rs/validate.h"

#include <ctype.h>
#include <string.h>

#include "rs/error.h"
#include "rs/password.h"
#include "rs/store/users.h"

int
rs_validate_email(const char *in, char *out, size_t out_size, const char **why)
{
    const char *end = in + strlen(in);
    const char *at = NULL, *dot;
    size_t n;

    while (in < end && isspace((unsigned char)*in))
        in++;
    while (end > in && isspace((unsigned char)end[-1]))
        end--;
    n = (size_t)(end - in);
    if (n == 0) {
        *why = "email: must not be empty";
        return RS_E_INVAL;
    }
    if (n > RS_EMAIL_MAX || n >= out_size) {
        *why = "email: must be at most 254 characters";
        return RS_E_INVAL;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' ||
            c == ';' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\') {
            *why = "email: not a valid email address";
            return RS_E_INVAL;
        }
        if (c == '@') {
            if (at != NULL) {
                *why = "email: not a valid email address";
                return RS_E_INVAL;
            }
            at = in + i;
        }
        out[i] = (char)tolower(c);
    }
    out[n] = '\0';
    if (at == NULL || at == in || at - in > 64 || at + 1 == end) {
        *why = "email: not a valid email address";
        return RS_E_INVAL;
    }
    /* The domain: dot-separated non-empty labels, at least two. */
    dot = memchr(at + 1, '.', (size_t)(end - at - 1));
    if (dot == NULL || at[1] == '.' || end[-1] == '.' || strstr(out, "..") != NULL ||
        at[1] == '-') {
        *why = "email: not a valid email address";
        return RS_E_INVAL;
    }
    return 0;
}

int
rs_validate_password(const char *pw, const char **why)
{
    size_t chars = 0, bytes = strlen(pw);

    for (const char *p = pw; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            chars++;
    if (chars < RS_PASSWORD_MIN_CHARS) {
        *why = "password: must be at least 8 characters";
        return RS_E_INVAL;
    }
    if (bytes > RS_PASSWORD_MAX_BYTES) {
        *why = "password: must be at most 72 bytes";
        return RS_E_INVAL;
    }
    return 0;
}
