#ifndef HX_SPAWN_H
#define HX_SPAWN_H
/*
 * The embedded default: without --target, a run starts a throwaway
 * PostgreSQL (scripts/pg-throwaway from the data folder) and the reference
 * server authref on free loopback ports, with a random secret that the run
 * also uses as --secret, and stops both on every exit path.
 *
 * authref is found through $AUTHCONFORM_AUTHREF, else next to the program
 * (../reference/authref in the build tree, authref in the same folder when
 * installed), else on PATH. It keeps its default rate limits but runs with
 * --trust-proxy: a run sends far more auth requests from one address than a
 * person does, so the harness gives each scenario a client address of its
 * own (X-Forwarded-For: 127.1.x.y), as separate clients would have.
 * $AUTHCONFORM_AUTHREF_ARGS adds arguments (tests: "--insecure-bcrypt-cost
 * 4"). Children run in a process group of
 * their own, so a Ctrl-C reaches the harness, which then stops them.
 *
 * authref serves HTTPS with TLS 1.3 (--tls-cert, --tls-key) under a
 * certificate for 127.0.0.1 that a CA made for this run signs (see
 * hx/certgen.h), with its plain-HTTP redirect listener (the http twin) on a
 * second free port. The run verifies the certificate against that CA
 * (tls.ca, the run's --cacert). The server's key file is removed as soon as
 * authref has read it (once it answers), the CA's key is never written, and
 * every file of the work folder goes on every exit path.
 *
 * If the harness dies without stopping them (SIGKILL, a crash), authref
 * gets SIGTERM (PR_SET_PDEATHSIG), and a watchdog started with the run
 * stops PostgreSQL and removes both temporary folders.
 */
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "hx/certgen.h"
#include "hx/error.h"

/* The watchdog that stops PostgreSQL and removes the run's folders when
 * the harness stops or dies, however it dies (see spawn_int.h). */
struct hx_spawn_watch {
    bool running;
    pid_t pid;
    int lifeline; /* the harness's end of the socket the watchdog waits on */
};

struct hx_spawn {
    char pg_dir[PATH_MAX];
    struct hx_spawn_watch watch; /* it starts and stops PostgreSQL */
    char work_dir[PATH_MAX];     /* secret file, port file, authref's log, TLS files */
    struct hx_certgen_files tls; /* tls.ca: the run's --cacert */
    pid_t authref_pid;
    char authref_path[PATH_MAX];
    char database_url[512];
    char secret[96];
    char target[64];                    /* https://127.0.0.1:PORT */
    long http_port;                     /* the http twin: redirects to target */
    double pg_seconds, authref_seconds; /* start-up times */
};

/* Starts both. stop (may be NULL) aborts the wait on Ctrl-C. On failure
 * everything started so far is stopped again and err says what failed
 * (with the tail of authref's log). Returns 0 or HX_E_SPAWN. */
int hx_spawn_start(struct hx_spawn *sp, const char *datadir, volatile sig_atomic_t *stop,
                   struct hx_error *err);
/* Stops whatever is running; safe to call twice and on a zeroed struct. */
void hx_spawn_stop(struct hx_spawn *sp);

#endif
