#ifndef CMN_TEXT_H
#define CMN_TEXT_H
/* Validators for the text formats of the contract. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Decodes the code point at p (n > 0 bytes left) into *cp and returns the
 * bytes it takes; a byte that does not start a well-formed sequence (overlong,
 * surrogate, beyond U+10FFFF, cut short) gives U+FFFD and 1. The one UTF-8
 * decoder of both programs. */
size_t cmn_text_utf8_next(const char *p, size_t n, uint32_t *cp);

/* True when (p, n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool cmn_text_is_utf8(const char *p, size_t n);

/* True for the canonical 8-4-4-4-12 hexadecimal UUID form (either case). */
bool cmn_text_is_uuid(const char *s);

/* The times RFC 3339 can write: 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
#define CMN_RFC3339_MIN ((time_t)-62167219200LL)
#define CMN_RFC3339_MAX ((time_t)253402300799LL)

/* True for an RFC 3339 date-time ("2026-01-10T12:00:00Z", fractions and
 * offsets allowed) whose instant lies within those years. When out is
 * given, stores the instant as UTC seconds. */
bool cmn_text_parse_rfc3339(const char *s, time_t *out);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes); a t
 * outside CMN_RFC3339_MIN..MAX is written as the nearer of the two. */
void cmn_text_format_rfc3339(time_t t, char *out, size_t out_size);

#endif
