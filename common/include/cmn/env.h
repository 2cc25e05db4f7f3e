#ifndef CMN_ENV_H
#define CMN_ENV_H
/*
 * Configuration values from the environment or from flags, parsed the same
 * way everywhere, with errors that name where the value came from.
 */
#include <stdbool.h>
#include <stddef.h>

/* Parses a decimal integer in [min, max]. Returns 0, CMN_E_INVAL (not a
 * number, trailing junk) or CMN_E_RANGE. */
int cmn_parse_long(const char *s, long min, long max, long *out);

/* Parses a duration: a number with an optional unit s, m, h or d ("7d",
 * "90s", "60"), as seconds in [min, max]. */
int cmn_parse_duration(const char *s, long min, long max, long *out);

/* Parses 1/0, true/false, yes/no, on/off (any case). */
int cmn_parse_bool(const char *s, bool *out);

/* Borrowed: the variable's value, or NULL when unset or empty. */
const char *cmn_env_get(const char *name);

/* Reads the file at path whole (at most max bytes). *out is new (free()),
 * NUL-terminated, and *out_len its length (it may hold NUL bytes itself).
 * Returns 0, CMN_E_IO (errno kept), CMN_E_TOOBIG or CMN_E_NOMEM. */
int cmn_read_file(const char *path, size_t max, char **out, size_t *out_len);

/* Reads the file at path whole (at most max bytes) with trailing newlines
 * and carriage returns removed. *out is new (free()). Returns 0, CMN_E_IO
 * (errno kept) or CMN_E_TOOBIG. */
int cmn_read_file_trimmed(const char *path, size_t max, char **out);

#endif
