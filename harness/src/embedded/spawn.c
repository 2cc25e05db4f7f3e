#include "hx/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmn/b64url.h"
#include "cmn/clock.h"
#include "cmn/env.h"
#include "cmn/log.h"
#include "hx/http.h"
#include "embedded/spawn_int.h"

#define SPAWN_START_TIMEOUT 30.0
#define SPAWN_TWIN_ATTEMPTS 3
/* spawn_authref's outcomes besides 0 and HX_E_SPAWN */
#define SPAWN_TWIN_TAKEN 1
#define SPAWN_INTERRUPTED 2

static void
spawn_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static bool
spawn_executable(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

static int
spawn_find_authref(char *out, size_t out_size)
{
    const char *env = cmn_env_get("AUTHCONFORM_AUTHREF");
    char exe[PATH_MAX], *dir;
    ssize_t n;
    const char *path;

    if (env != NULL) {
        snprintf(out, out_size, "%s", env);
        return spawn_executable(out) ? 0 : HX_E_NOTFOUND;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        dir = dirname(exe);
        if (snprintf(out, out_size, "%s/../reference/authref", dir) < (int)out_size &&
            spawn_executable(out))
            return 0;
        if (snprintf(out, out_size, "%s/authref", dir) < (int)out_size && spawn_executable(out))
            return 0;
    }
    path = getenv("PATH");
    while (path != NULL && *path) {
        const char *colon = strchr(path, ':');
        size_t l = colon ? (size_t)(colon - path) : strlen(path);
        if (l > 0 && snprintf(out, out_size, "%.*s/authref", (int)l, path) < (int)out_size &&
            spawn_executable(out))
            return 0;
        path = colon ? colon + 1 : NULL;
    }
    return HX_E_NOTFOUND;
}

static void
spawn_log_tail(const char *work_dir, char *out, size_t out_size)
{
    char path[PATH_MAX + 16], buf[4096];
    FILE *f;
    size_t n;
    long size;

    out[0] = '\0';
    snprintf(path, sizeof path, "%s/authref.log", work_dir);
    f = fopen(path, "r");
    if (f == NULL)
        return;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, size > (long)sizeof buf - 1 ? size - (long)sizeof buf + 1 : 0, SEEK_SET);
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    /* the last few lines */
    {
        const char *p = buf + n;
        int lines = 0;
        while (p > buf && lines < 6) {
            p--;
            if (*p == '\n' && p != buf + n - 1)
                lines++;
        }
        snprintf(out, out_size, "%s", p + (p > buf));
    }
}

/* A free loopback TCP port: bound to port 0, read back, closed again.
 * Returns it, or -1 (errno set). */
static long
spawn_free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    long port = -1;

    if (fd < 0)
        return -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static bool
spawn_stopped(volatile sig_atomic_t *stop)
{
    return stop != NULL && *stop;
}

/* Starts authref once (HTTPS on a free port, its http twin on
 * sp->http_port) and waits for its port file. Returns 0, SPAWN_TWIN_TAKEN
 * (it exited because the twin's port was taken), SPAWN_INTERRUPTED, or
 * HX_E_SPAWN with err set. */
static int
spawn_authref(struct hx_spawn *sp, const char *port_path, const char *secret_path,
              const char *log_path, volatile sig_atomic_t *stop, struct hx_error *err)
{
    char twin[24], tail[1200], taken[96];
    char *argv[64];
    int argc = 0;
    char *extra = NULL;
    const char *extra_env = cmn_env_get("AUTHCONFORM_AUTHREF_ARGS");
    pid_t parent = getpid();
    double t0 = cmn_clock_now_s();

    snprintf(twin, sizeof twin, "%ld", sp->http_port);
    unlink(port_path);
    argv[argc++] = sp->authref_path;
    argv[argc++] = "--database-url";
    argv[argc++] = sp->database_url;
    argv[argc++] = "--listen";
    argv[argc++] = "127.0.0.1";
    argv[argc++] = "--port";
    argv[argc++] = "0";
    argv[argc++] = "--port-file";
    argv[argc++] = (char *)port_path;
    argv[argc++] = "--secret-file";
    argv[argc++] = (char *)secret_path;
    argv[argc++] = "--tls-cert";
    argv[argc++] = sp->tls.cert;
    argv[argc++] = "--tls-key";
    argv[argc++] = sp->tls.key;
    argv[argc++] = "--http-redirect-port";
    argv[argc++] = twin;
    /* A run sends far more auth requests from one address than a person
     * does. authref keeps its default limits; it takes the client
     * address from X-Forwarded-For, and the harness gives each scenario
     * an address of its own, as separate clients would have. */
    argv[argc++] = "--trust-proxy";
    if (extra_env != NULL && (extra = strdup(extra_env)) != NULL) {
        char *save = NULL;
        for (char *tok = strtok_r(extra, " \t", &save); tok && argc < 62;
             tok = strtok_r(NULL, " \t", &save))
            argv[argc++] = tok;
    }
    argv[argc] = NULL;
    sp->authref_pid = fork();
    if (sp->authref_pid == 0) {
        int logfd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int devnull = open("/dev/null", O_RDONLY);
        setpgid(0, 0);
        /* the server dies with the harness, whatever kills it */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        if (devnull >= 0)
            dup2(devnull, 0);
        if (logfd >= 0) {
            dup2(logfd, 1);
            dup2(logfd, 2);
        }
        unsetenv("BETTER_AUTH_SECRET");
        execv(argv[0], argv);
        _exit(127);
    }
    free(extra);
    if (sp->authref_pid > 0 && hx__spawn_watch_pid(&sp->watch, sp->authref_pid) != 0)
        cmn_log(CMN_LOG_WARN, "spawn: the watchdog of the run is gone");
    if (sp->authref_pid < 0) {
        hx_error_set(err, NULL, 0, "embedded default: cannot start authref: %s", strerror(errno));
        return HX_E_SPAWN;
    }
    /* wait for the port file */
    for (;;) {
        char *port = NULL;
        int status;
        if (waitpid(sp->authref_pid, &status, WNOHANG) == sp->authref_pid) {
            sp->authref_pid = -1;
            hx__spawn_watch_pid(&sp->watch, 0);
            spawn_log_tail(sp->work_dir, tail, sizeof tail);
            snprintf(taken, sizeof taken, "cannot listen on 127.0.0.1 port %ld", sp->http_port);
            if (strstr(tail, taken) != NULL)
                return SPAWN_TWIN_TAKEN;
            hx_error_set(err, NULL, 0, "embedded default: authref exited at start (status %d):\n%s",
                         WIFEXITED(status) ? WEXITSTATUS(status) : -1, tail);
            return HX_E_SPAWN;
        }
        if (cmn_read_file_trimmed(port_path, 32, &port) == 0) {
            long p;
            int ok = cmn_parse_long(port, 1, 65535, &p) == 0;
            free(port);
            if (ok) {
                snprintf(sp->target, sizeof sp->target, "https://127.0.0.1:%ld", p);
                return 0;
            }
        }
        if (spawn_stopped(stop))
            return SPAWN_INTERRUPTED;
        if (cmn_clock_now_s() - t0 > SPAWN_START_TIMEOUT) {
            spawn_log_tail(sp->work_dir, tail, sizeof tail);
            hx_error_set(err, NULL, 0,
                         "embedded default: authref wrote no port file within %.0f s:\n%s",
                         SPAWN_START_TIMEOUT, tail);
            return HX_E_SPAWN;
        }
        spawn_sleep_ms(20);
    }
}

int
hx_spawn_start(struct hx_spawn *sp, const char *datadir, volatile sig_atomic_t *stop,
               struct hx_error *err)
{
    char throwaway[PATH_MAX], out[1024], secret_path[PATH_MAX + 16], port_path[PATH_MAX + 16];
    char log_path[PATH_MAX + 16], tail[1200];
    unsigned char raw[48];
    double t0;
    int fd, rc;

    memset(sp, 0, sizeof *sp);
    sp->authref_pid = -1;
    if (spawn_find_authref(sp->authref_path, sizeof sp->authref_path) != 0) {
        hx_error_set(err, NULL, 0,
                     "embedded default: authref not found (looked at $AUTHCONFORM_AUTHREF, "
                     "../reference/authref and the program's folder, and PATH); give --target "
                     "URL or build authref");
        return HX_E_SPAWN;
    }
    if (snprintf(throwaway, sizeof throwaway, "%s/scripts/pg-throwaway", datadir) >=
            (int)sizeof throwaway ||
        !spawn_executable(throwaway)) {
        hx_error_set(err, NULL, 0, "embedded default: %s is missing; give --target URL", throwaway);
        return HX_E_SPAWN;
    }
    snprintf(sp->work_dir, sizeof sp->work_dir, "%s/authconform-run.XXXXXX",
             cmn_env_get("TMPDIR") ? cmn_env_get("TMPDIR") : "/tmp");
    snprintf(sp->pg_dir, sizeof sp->pg_dir, "%s/authconform-pg.XXXXXX",
             cmn_env_get("TMPDIR") ? cmn_env_get("TMPDIR") : "/tmp");
    if (mkdtemp(sp->work_dir) == NULL || mkdtemp(sp->pg_dir) == NULL) {
        hx_error_set(err, NULL, 0, "embedded default: cannot create a temporary folder: %s",
                     strerror(errno));
        sp->work_dir[0] = sp->pg_dir[0] = '\0';
        goto fail;
    }

    /* PostgreSQL, started by the watchdog that stops it again */
    t0 = cmn_clock_now_s();
    rc = hx__spawn_watch_start(&sp->watch, throwaway, sp->pg_dir, sp->work_dir, stop, out,
                               sizeof out);
    if (rc == 1)
        goto interrupted;
    if (rc != 0) {
        hx_error_set(err, NULL, 0, "embedded default: cannot start the watchdog of the run: %s",
                     strerror(errno));
        goto fail;
    }
    if (strncmp(out, "postgresql://", 13) != 0) {
        hx_error_set(err, NULL, 0,
                     "embedded default: the throwaway PostgreSQL did not start (%s start "
                     "printed no URL)",
                     throwaway);
        goto fail;
    }
    out[strcspn(out, "\r\n")] = '\0';
    snprintf(sp->database_url, sizeof sp->database_url, "%.500s", out);
    sp->pg_seconds = cmn_clock_now_s() - t0;
    if (spawn_stopped(stop))
        goto interrupted;

    /* the secret: 48 random bytes, base64url (64 characters) */
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
        hx_error_set(err, NULL, 0, "embedded default: no random bytes for the secret");
        goto fail;
    }
    cmn_b64url_encode(raw, sizeof raw, sp->secret, sizeof sp->secret);
    explicit_bzero(raw, sizeof raw);
    snprintf(secret_path, sizeof secret_path, "%s/secret", sp->work_dir);
    snprintf(port_path, sizeof port_path, "%s/port", sp->work_dir);
    snprintf(log_path, sizeof log_path, "%s/authref.log", sp->work_dir);
    fd = open(secret_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, sp->secret, strlen(sp->secret)) != (ssize_t)strlen(sp->secret)) {
        hx_error_set(err, NULL, 0, "embedded default: cannot write the secret file: %s",
                     strerror(errno));
        if (fd >= 0)
            close(fd);
        goto fail;
    }
    close(fd);

    /* TLS: a throwaway CA and a certificate for 127.0.0.1 it signs */
    {
        struct hx_error cerr = {0};
        if (hx_certgen_write(sp->work_dir, &sp->tls, &cerr) != 0) {
            hx_error_set(err, NULL, 0, "embedded default: %s", cerr.text);
            goto fail;
        }
    }

    /* authref, its http twin on a port picked here: another program may
     * take that port before authref binds it, so a start that failed on it
     * is tried again with another */
    t0 = cmn_clock_now_s();
    for (int attempt = 1;; attempt++) {
        sp->http_port = spawn_free_port();
        if (sp->http_port < 0) {
            hx_error_set(err, NULL, 0, "embedded default: no free loopback port: %s",
                         strerror(errno));
            goto fail;
        }
        rc = spawn_authref(sp, port_path, secret_path, log_path, stop, err);
        if (rc == SPAWN_TWIN_TAKEN && attempt < SPAWN_TWIN_ATTEMPTS) {
            cmn_log(CMN_LOG_INFO, "spawn: port %ld was taken before authref bound it; again",
                    sp->http_port);
            continue;
        }
        if (rc == SPAWN_INTERRUPTED)
            goto interrupted;
        if (rc != 0)
            goto fail;
        break;
    }
    for (;;) {
        struct hx_http_config cfg = {.timeout_ms = 2000, .max_body = 4096, .cacert = sp->tls.ca};
        struct hx_request req = {.method = "GET"};
        struct hx_response resp;
        char url[128], why[256];
        long status;
        snprintf(url, sizeof url, "%s/ready", sp->target);
        req.url = url;
        hx_response_init(&resp, 4096);
        hx_http_perform(&cfg, &req, &resp);
        status = resp.status;
        snprintf(why, sizeof why, "%s", resp.error_text);
        hx_response_cleanup(&resp);
        if (status == 200)
            break;
        if (spawn_stopped(stop))
            goto interrupted;
        if (cmn_clock_now_s() - t0 > SPAWN_START_TIMEOUT) {
            spawn_log_tail(sp->work_dir, tail, sizeof tail);
            hx_error_set(err, NULL, 0,
                         "embedded default: authref not ready within %.0f s "
                         "(last /ready: %ld%s%s):\n%s",
                         SPAWN_START_TIMEOUT, status, why[0] ? ", " : "", why, tail);
            goto fail;
        }
        spawn_sleep_ms(25);
    }
    /* authref read its key at start: the file has done its work */
    unlink(sp->tls.key);
    unlink(sp->tls.cert);
    sp->authref_seconds = cmn_clock_now_s() - t0;
    return 0;
interrupted:
    hx_error_set(err, NULL, 0, "embedded default: interrupted while starting");
fail:
    hx_spawn_stop(sp);
    return HX_E_SPAWN;
}

static void
spawn_rm_work(const char *dir)
{
    static const char *const files[] = {
        "secret",       "port",          "port.tmp",    "authref.log",
        HX_CERTGEN_KEY, HX_CERTGEN_CERT, HX_CERTGEN_CA, NULL};
    char p[PATH_MAX + 32];

    for (const char *const *f = files; *f; f++) {
        snprintf(p, sizeof p, "%s/%s", dir, *f);
        unlink(p);
    }
    rmdir(dir);
}

void
hx_spawn_stop(struct hx_spawn *sp)
{
    if (sp->authref_pid > 0) {
        int status;
        double t0 = cmn_clock_now_s();
        kill(sp->authref_pid, SIGTERM);
        while (waitpid(sp->authref_pid, &status, WNOHANG) == 0) {
            if (cmn_clock_now_s() - t0 > 5.0) {
                cmn_log(CMN_LOG_WARN, "spawn: authref did not stop in 5 s: killing it");
                kill(sp->authref_pid, SIGKILL);
                waitpid(sp->authref_pid, &status, 0);
                break;
            }
            spawn_sleep_ms(10);
        }
        sp->authref_pid = -1;
        hx__spawn_watch_pid(&sp->watch, 0);
    }
    if (sp->work_dir[0] != '\0')
        spawn_rm_work(sp->work_dir);
    if (sp->watch.running)
        hx__spawn_watch_end(&sp->watch); /* stops PostgreSQL, removes what is left */
    else if (sp->pg_dir[0] != '\0')
        rmdir(sp->pg_dir);
    sp->pg_dir[0] = '\0';
    sp->work_dir[0] = '\0';
    explicit_bzero(sp->secret, sizeof sp->secret);
}
