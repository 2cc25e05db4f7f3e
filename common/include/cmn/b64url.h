#ifndef CMN_B64URL_H
#define CMN_B64URL_H
/* base64url (RFC 4648 section 5) without padding, as JWTs use it; and
 * standard base64 (section 4) with padding, as DSSE envelopes use it. */
#include <stddef.h>

/* Bytes needed to encode n bytes, including the terminating NUL. */
size_t cmn_b64url_encoded_size(size_t n);

/* Writes the encoding and a NUL into out (out_size >= cmn_b64url_encoded_size(n)).
 * Returns the encoded length, or CMN_E_TOOBIG when out is too small. */
long cmn_b64url_encode(const void *in, size_t n, char *out, size_t out_size);

/* Returns new (free()): the NUL-terminated encoding, or NULL when out of memory. */
char *cmn_b64url_encode_new(const void *in, size_t n);

/* Decodes n characters. Padding '=' at the end is tolerated; any other
 * character outside the alphabet, or a length of 1 mod 4, is CMN_E_INVAL.
 * On success *out is new (free(), NUL-terminated for convenience) and
 * *out_len its length. */
int cmn_b64url_decode(const char *in, size_t n, unsigned char **out, size_t *out_len);

/* Standard base64 ('+', '/', '=' padding). Bytes needed to encode n bytes,
 * including the terminating NUL. */
size_t cmn_b64_encoded_size(size_t n);

/* Returns new (free()): the NUL-terminated padded encoding, or NULL when out
 * of memory. */
char *cmn_b64_encode_new(const void *in, size_t n);

/* Decodes n characters of standard base64: a multiple of 4 characters, at
 * most two '=' at the end, no stray bits, nothing outside the alphabet
 * (no whitespace); else CMN_E_INVAL. On success *out is new (free(),
 * NUL-terminated for convenience) and *out_len its length. */
int cmn_b64_decode(const char *in, size_t n, unsigned char **out, size_t *out_len);

#endif
