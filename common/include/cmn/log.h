#ifndef CMN_LOG_H
#define CMN_LOG_H
/*
 * One line per event on stderr: "<time> <level> <subsystem>: <text>".
 * Never log passwords, bcrypt hashes, tokens, secrets or Authorization headers.
 */
enum cmn_log_level {
    CMN_LOG_ERROR = 0,
    CMN_LOG_WARN = 1,
    CMN_LOG_INFO = 2,
    CMN_LOG_DEBUG = 3,
};

/* Set once in main before any thread starts (the one allowed global). */
void cmn_log_set_level(enum cmn_log_level level);
enum cmn_log_level cmn_log_get_level(void);

/* Parses "error", "warn", "info" or "debug"; returns 0 or CMN_E_INVAL. */
int cmn_log_level_parse(const char *s, enum cmn_log_level *out);

void cmn_log(enum cmn_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
