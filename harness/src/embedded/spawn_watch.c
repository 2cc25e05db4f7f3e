/* The watchdog of an embedded run (see spawn_int.h). */
#include "embedded/spawn_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmn/clock.h"
#include "cmn/log.h"
#include "hx/error.h"

/* How long the harness waits for the watchdog to stop the cluster and
 * remove the folders on a normal stop; past that it leaves it working. */
#define WATCH_END_SECONDS 60.0

/*
 * $0: scripts/pg-throwaway, $1: the cluster's folder, $2: the run's work
 * folder. fd 0: the lifeline; fd 3: where the cluster's URL goes; fd 4: the
 * harness's stderr. The start gets neither the lifeline nor fds 3 and 4, so
 * the PostgreSQL it leaves running holds none of them.
 *
 * Messages on the lifeline, one a line: "pid N" (authref's pid), "pid -"
 * (forget it). At end of file: authref gets SIGTERM, then SIGKILL after
 * 5 s if it still runs; then the cluster is stopped and both folders go.
 */
static const char watch_script[] =
    "\"$0\" start \"$1\" </dev/null >&3 2>&4 3>&- 4>&-\n"
    "exec 3>&- 4>&-\n"
    "pid=\n"
    "while read -r word arg; do\n"
    "  case $word:$arg in\n"
    "    pid:*[!0-9]*|pid:) pid= ;;\n"
    "    pid:*) pid=$arg ;;\n"
    "  esac\n"
    "done\n"
    "exec </dev/null\n"
    "if [ -n \"$pid\" ] && kill -TERM \"$pid\" 2>/dev/null; then\n"
    "  i=0\n"
    "  while kill -0 \"$pid\" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done\n"
    "  kill -KILL \"$pid\" 2>/dev/null\n"
    "fi\n"
    "\"$0\" stop \"$1\"\n"
    "case $2 in */authconform-run.?*) rm -rf -- \"$2\" ;; esac\n";

/* In the child, between fork and exec: only async-signal-safe calls. */
static void
watch_child(int life, int url, const char *throwaway, const char *pg_dir, const char *work_dir)
{
    struct sigaction sa;
    sigset_t none;
    int nul = open("/dev/null", O_RDWR);
    int hi_life = fcntl(life, F_DUPFD, 10);
    int hi_url = fcntl(url, F_DUPFD, 10);
    int hi_err = fcntl(2, F_DUPFD, 10);
    int hi_nul = nul >= 0 ? fcntl(nul, F_DUPFD, 10) : -1;

    /* a group of its own: Ctrl-C at the terminal is the harness's to handle */
    setpgid(0, 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (hi_life < 0 || hi_url < 0 || hi_err < 0 || hi_nul < 0 || dup2(hi_life, 0) < 0 ||
        dup2(hi_nul, 1) < 0 || dup2(hi_nul, 2) < 0 || dup2(hi_url, 3) < 0 || dup2(hi_err, 4) < 0)
        _exit(127);
    /* nothing else of the harness's: no listening socket, no pipe */
    close_range(5, ~0U, 0);
    execl("/bin/sh", "sh", "-c", watch_script, throwaway, pg_dir, work_dir, (char *)NULL);
    _exit(127);
}

int
hx__spawn_watch_start(struct hx_spawn_watch *w, const char *throwaway, const char *pg_dir,
                      const char *work_dir, volatile sig_atomic_t *stop, char *url, size_t url_size)
{
    int life[2], pipe_url[2];
    size_t got = 0;

    w->pid = -1;
    w->lifeline = -1;
    url[0] = '\0';
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, life) != 0)
        return HX_E_SPAWN;
    if (pipe2(pipe_url, O_CLOEXEC) != 0) {
        close(life[0]);
        close(life[1]);
        return HX_E_SPAWN;
    }
    w->pid = fork();
    if (w->pid == 0)
        watch_child(life[1], pipe_url[1], throwaway, pg_dir, work_dir);
    close(life[1]);
    close(pipe_url[1]);
    if (w->pid < 0) {
        close(life[0]);
        close(pipe_url[0]);
        return HX_E_SPAWN;
    }
    w->lifeline = life[0];
    w->running = true;
    /* the URL, until the start closes its end */
    for (;;) {
        struct pollfd p = {.fd = pipe_url[0], .events = POLLIN};
        ssize_t r;
        if (stop != NULL && *stop) {
            close(pipe_url[0]);
            return 1;
        }
        if (poll(&p, 1, 100) <= 0)
            continue; /* a timeout, or EINTR: look at stop again */
        r = read(pipe_url[0], url + got, url_size - 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
        if (got >= url_size - 1)
            break;
    }
    url[got] = '\0';
    close(pipe_url[0]);
    return 0;
}

int
hx__spawn_watch_pid(struct hx_spawn_watch *w, pid_t authref)
{
    char line[32];
    int n;

    if (!w->running || w->lifeline < 0)
        return HX_E_SPAWN;
    if (authref > 0)
        n = snprintf(line, sizeof line, "pid %ld\n", (long)authref);
    else
        n = snprintf(line, sizeof line, "pid -\n");
    if (n < 0 || (size_t)n >= sizeof line)
        return HX_E_SPAWN;
    for (ssize_t off = 0; off < n;) {
        ssize_t k = send(w->lifeline, line + off, (size_t)(n - off), MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return HX_E_SPAWN;
        off += k;
    }
    return 0;
}

void
hx__spawn_watch_end(struct hx_spawn_watch *w)
{
    double t0 = cmn_clock_now_s();
    int status;

    if (!w->running)
        return;
    w->running = false;
    if (w->lifeline >= 0) {
        close(w->lifeline);
        w->lifeline = -1;
    }
    if (w->pid <= 0)
        return;
    for (;;) {
        pid_t r = waitpid(w->pid, &status, WNOHANG);
        if (r == w->pid || (r < 0 && errno != EINTR))
            break;
        if (cmn_clock_now_s() - t0 > WATCH_END_SECONDS) {
            cmn_log(CMN_LOG_WARN,
                    "spawn: the throwaway PostgreSQL is still being stopped after %.0f s; "
                    "leaving that to its watchdog (pid %ld)",
                    WATCH_END_SECONDS, (long)w->pid);
            break;
        }
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    w->pid = -1;
}
