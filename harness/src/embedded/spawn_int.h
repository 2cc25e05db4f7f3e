#ifndef HX_SPAWN_INT_H
#define HX_SPAWN_INT_H
/*
 * For spawn*.c: the watchdog of an embedded run. PostgreSQL started by
 * pg_ctl leaves its parent (it daemonises), so it cannot die with the
 * harness the way authref does (PR_SET_PDEATHSIG). Instead a small process
 * of its own starts the throwaway cluster and then waits on a lifeline, a
 * socket whose other end only the harness holds (close-on-exec, so no child
 * inherits it). When the lifeline closes, on a normal stop or because the
 * harness died however it died (SIGKILL included), the watchdog stops
 * authref if it was told its pid, stops the cluster, and removes the
 * cluster's folder and the run's work folder.
 *
 * The watchdog is /bin/sh running a fixed script, in a process group of its
 * own (Ctrl-C at the terminal reaches the harness, which then stops
 * everything itself), with SIGINT and SIGHUP ignored.
 */
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "hx/spawn.h"

/* Starts the watchdog (w->running from then on), which starts the cluster with `throwaway start
 * pg_dir` (its errors go to the harness's stderr), and waits for the
 * cluster's URL: url (NUL-terminated) is what the start printed, "" when it
 * failed. stop (may be NULL) aborts the wait. Returns 0 when the watchdog
 * runs (whatever the start did: hx__spawn_watch_end then cleans up),
 * HX_E_SPAWN when it could not be started (nothing to clean up), or 1 when
 * the wait was interrupted (the watchdog runs). */
int hx__spawn_watch_start(struct hx_spawn_watch *w, const char *throwaway, const char *pg_dir,
                          const char *work_dir, volatile sig_atomic_t *stop, char *url,
                          size_t url_size);

/* Tells the watchdog authref's pid (0: authref is stopped and reaped, do
 * not touch that pid). Returns 0, or HX_E_SPAWN when the watchdog is gone. */
int hx__spawn_watch_pid(struct hx_spawn_watch *w, pid_t authref);

/* Closes the lifeline and waits (bounded) until the watchdog has stopped
 * the cluster and removed the folders. */
void hx__spawn_watch_end(struct hx_spawn_watch *w);

#endif
