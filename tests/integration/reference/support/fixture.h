#ifndef RS_ITEST_FIXTURE_H
#define RS_ITEST_FIXTURE_H
/*
 * authref for the integration tests: in this process (rs_server_start, so
 * the sanitizers see the server code) or as the real program (command line,
 * signals, several instances on one database).
 */
#include <stdbool.h>
#include <sys/types.h>

#include "rs/config.h"
#include "rs/server.h"

/* The secret every test server signs with (random-looking, >= 32 chars). */
#define IT_SECRET "itest-Q3v9Lr7xWm2KpZ8cTf5Hn1Ys6Bd4Jg0A"

struct it_server {
    struct rs_config cfg;
    struct rs_server *srv;
    char base[128]; /* "http://127.0.0.1:PORT" */
};

/* Starts a server on a free loopback port with --insecure-bcrypt-cost 4 and
 * generous rate limits, then extra flags (NULL-terminated, may be NULL). */
int it_server_start(struct it_server *s, const char *db_url, const char *const *extra);
void it_server_stop(struct it_server *s);

struct it_proc {
    pid_t pid;
    unsigned port;
    char base[128];
    char port_file[128];
    char log_file[128];
};

/* Runs the authref program with --database-url, --port 0, --port-file and
 * the extra flags, BETTER_AUTH_SECRET=IT_SECRET, stderr into a log file;
 * waits until GET /ready answers 200 (at most 30 s). */
int it_proc_start(struct it_proc *p, const char *db_url, const char *const *extra);
/* The two halves of it_proc_start: fork and exec; wait for readiness. */
int it_proc_spawn(struct it_proc *p, const char *db_url, const char *const *extra);
int it_proc_wait_ready(struct it_proc *p);
/* Sends SIGTERM, waits; returns the exit status (or -1), removes the files. */
int it_proc_stop(struct it_proc *p);
/* The same; *log_out new (free()): all the program wrote to stderr, to its
 * exit (reports written at exit, such as a leak sanitizer's, included). */
int it_proc_stop_with_log(struct it_proc *p, char **log_out);
/* Returns new (free()): what the program has written to stderr so far. */
char *it_proc_log(const struct it_proc *p);
/* Returns new (free()): the log once it holds needle, or as it is after
 * timeout_ms (lines such as the access log are written after the response). */
char *it_proc_log_wait(const struct it_proc *p, const char *needle, int timeout_ms);

/* Runs authref with argv (after the program name) and env (NULL-terminated
 * "NAME=value"; the environment is otherwise empty) to completion, at most
 * timeout_s; *err_out new: its stderr. Returns the exit status, -1 on failure. */
int it_run_authref(const char *const *argv, const char *const *env, int timeout_s, char **err_out);

/* Borrowed path of the authref program and of the source tree. */
const char *it_authref_path(void);
const char *it_source_dir(void);

/* A fresh address "<tag>-<pid>-<n>@example.com" in buf. */
const char *it_email(char *buf, size_t size, const char *tag);

/* Signs up email/password; *token new (free()), user_id filled (40 bytes).
 * Returns the HTTP status. */
long it_signup(const char *base, const char *email, const char *password, char **token,
               char *user_id);

/* Makes a throwaway CA and a certificate for 127.0.0.1/localhost in dir
 * with the openssl program: dir/ca.crt, dir/server.crt, dir/server.key. */
int it_make_certificates(const char *dir);

/* Builds an HS256 token with arbitrary claims (JSON object text) and header. */
char *it_forge(const char *header_json, const char *claims_json, const char *secret);

#endif
