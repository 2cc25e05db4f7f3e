#ifndef HX_PROBES_STRENGTH_H
#define HX_PROBES_STRENGTH_H
/*
 * Strength of what protects the accounts: the signing secret (length,
 * entropy estimate, known placeholders) and stored password hashes (bcrypt
 * prefix and cost, never the plaintext).
 */
#include <stdbool.h>
#include <stddef.h>

struct hx_secret_estimate {
    size_t length;
    double charset_bits; /* length x log2(size of the character classes used) */
    double shannon_bits; /* length x Shannon entropy of its characters */
    double bits;         /* the smaller of the two */
    bool placeholder;    /* looks like a documentation placeholder */
};

void hx_secret_estimate(const char *secret, size_t len, struct hx_secret_estimate *out);

/* Strong: at least min_len characters, estimate at least min_bits, not a
 * placeholder. why says which rule failed (or the figures when strong). */
bool hx_secret_strong(const struct hx_secret_estimate *e, size_t min_len, double min_bits,
                      char *why, size_t why_size);

/* When stored is a password hash of another algorithm than bcrypt (argon2,
 * scrypt in its $scrypt$ / $7$ or hex salt:key shapes, PBKDF2), says which,
 * with its parameters, into why and returns true. */
bool hx_password_hash_kind(const char *stored, char *why, size_t why_size);

/* Judges a stored hash: "$2a$", "$2b$" or "$2y$" with cost >= min_cost, and
 * never equal to the plaintext password (when given). *cost gets the
 * parsed cost or -1. */
bool hx_bcrypt_hash_ok(const char *stored, const char *plaintext, int min_cost, int *cost,
                       char *why, size_t why_size);

#endif
