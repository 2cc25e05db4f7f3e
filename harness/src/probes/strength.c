/* Secret and password-hash strength (see hx/probes/strength.h). */
#include "hx/probes/strength.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void
hx_secret_estimate(const char *secret, size_t len, struct hx_secret_estimate *out)
{
    size_t counts[256] = {0};
    bool lower = false, upper = false, digit = false, other = false;
    double classes = 0, h = 0;
    /* phrases of unreplaced templates (generic words such as "secret-key"
     * are left to the word list: a long random key may well contain them) */
    static const char *const placeholders[] = {
        "your-secret", "your_secret", "change-in-production", "change-me",   "changeme",
        "change_me",   "replace-me",  "replace_me",           "placeholder", "min-32-chars"};

    memset(out, 0, sizeof(*out));
    out->length = len;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)secret[i];
        counts[c]++;
        if (islower(c))
            lower = true;
        else if (isupper(c))
            upper = true;
        else if (isdigit(c))
            digit = true;
        else
            other = true;
    }
    classes = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 33 : 0);
    /* hexadecimal keys draw from 16 symbols, not 36 */
    if (!upper && !other && digit) {
        bool hex = true;
        for (size_t i = 0; i < len; i++)
            if (!isxdigit((unsigned char)secret[i]))
                hex = false;
        if (hex)
            classes = 16;
    }
    out->charset_bits = classes > 1 ? (double)len * log2(classes) : 0;
    for (size_t c = 0; c < 256; c++)
        if (counts[c] > 0) {
            double p = (double)counts[c] / (double)len;
            h -= p * log2(p);
        }
    out->shannon_bits = h * (double)len;
    out->bits = out->charset_bits < out->shannon_bits ? out->charset_bits : out->shannon_bits;
    for (size_t i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++) {
        size_t pl = strlen(placeholders[i]);
        for (size_t k = 0; k + pl <= len; k++)
            if (strncasecmp(secret + k, placeholders[i], pl) == 0)
                out->placeholder = true;
    }
}

bool
hx_secret_strong(const struct hx_secret_estimate *e, size_t min_len, double min_bits, char *why,
                 size_t why_size)
{
    if (e->placeholder) {
        snprintf(why, why_size, "the secret is a documentation placeholder (%zu characters)",
                 e->length);
        return false;
    }
    if (e->length < min_len) {
        snprintf(why, why_size, "the secret has %zu characters, fewer than %zu", e->length,
                 min_len);
        return false;
    }
    if (e->bits < min_bits) {
        snprintf(why, why_size,
                 "the secret's entropy estimate is %.0f bits (character classes %.0f, Shannon "
                 "%.0f), below %.0f",
                 e->bits, e->charset_bits, e->shannon_bits, min_bits);
        return false;
    }
    snprintf(why, why_size, "%zu characters, entropy estimate %.0f bits", e->length, e->bits);
    return true;
}

bool
hx_password_hash_kind(const char *stored, char *why, size_t why_size)
{
    size_t n = strlen(stored), colon = strcspn(stored, ":");

    if (strncmp(stored, "$argon2", 7) == 0) {
        /* $argon2id$v=19$m=65536,t=3,p=4$salt$hash */
        const char *params = strstr(stored + 1, "$m=");
        snprintf(why, why_size, "%.*s (%.*s), not bcrypt as the contract requires",
                 (int)strcspn(stored + 1, "$"), stored + 1,
                 params != NULL ? (int)strcspn(params + 1, "$") : 0, params != NULL ? params + 1 : "");
        return true;
    }
    if (strncmp(stored, "$scrypt$", 8) == 0 || strncmp(stored, "$7$", 3) == 0) {
        snprintf(why, why_size, "scrypt (%.*s), not bcrypt as the contract requires",
                 (int)strcspn(stored + 1 + strcspn(stored + 1, "$") + 1, "$"),
                 stored + 1 + strcspn(stored + 1, "$") + 1);
        return true;
    }
    if (strncmp(stored, "pbkdf2", 6) == 0 || strncmp(stored, "$pbkdf2", 7) == 0) {
        snprintf(why, why_size, "PBKDF2 (%.40s), not bcrypt as the contract requires", stored);
        return true;
    }
    if (colon < n && colon > 0 && stored[colon + 1] != '\0' &&
        strspn(stored, "0123456789abcdefABCDEF") == colon &&
        strspn(stored + colon + 1, "0123456789abcdefABCDEF") == n - colon - 1) {
        /* salt:key in hex, the shape of Better Auth's default (scrypt N=16384, r=16, p=1,
         * a 64-byte key) */
        snprintf(why, why_size,
                 "salt:key in hex (a %zu-character salt, a %zu-byte key): the shape of Better "
                 "Auth's scrypt, not bcrypt as the contract requires",
                 colon, (n - colon - 1) / 2);
        return true;
    }
    return false;
}

bool
hx_bcrypt_hash_ok(const char *stored, const char *plaintext, int min_cost, int *cost, char *why,
                  size_t why_size)
{
    *cost = -1;
    if (stored == NULL || stored[0] == '\0') {
        snprintf(why, why_size, "no stored hash");
        return false;
    }
    if (plaintext != NULL && strcmp(stored, plaintext) == 0) {
        snprintf(why, why_size, "the password is stored in plain text");
        return false;
    }
    if (hx_password_hash_kind(stored, why, why_size))
        return false; /* another algorithm, named with its parameters */
    if (strlen(stored) != 60 || stored[0] != '$' || stored[1] != '2' ||
        (stored[2] != 'a' && stored[2] != 'b' && stored[2] != 'y') || stored[3] != '$' ||
        !isdigit((unsigned char)stored[4]) || !isdigit((unsigned char)stored[5]) ||
        stored[6] != '$') {
        snprintf(why, why_size, "the stored value is not a bcrypt hash (begins \"%.4s\u2026\")",
                 stored);
        return false;
    }
    *cost = (stored[4] - '0') * 10 + (stored[5] - '0');
    if (*cost < min_cost) {
        snprintf(why, why_size, "bcrypt cost %d, below %d", *cost, min_cost);
        return false;
    }
    snprintf(why, why_size, "bcrypt $2%c$ cost %d", stored[2], *cost);
    return true;
}
