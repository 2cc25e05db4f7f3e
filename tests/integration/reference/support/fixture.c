#include "fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "cmn/b64url.h"
#include "cmn/buf.h"
#include "cmn/log.h"

const char *
it_authref_path(void)
{
    return RS_ITEST_AUTHREF;
}

const char *
it_source_dir(void)
{
    return RS_ITEST_SOURCE_DIR;
}

int
it_server_start(struct it_server *s, const char *db_url, const char *const *extra)
{
    const char *argv[64] = {"authref",    "--database-url",         db_url,       "--port",
                            "0",          "--insecure-bcrypt-cost", "4",          "--rate-limit-ip",
                            "100000/60s", "--rate-limit-account",   "100000/60s", "--workers",
                            "4",          "--hash-workers",         "2",          "--log-level",
                            "warn"};
    int argc = 17;

    memset(s, 0, sizeof *s);
    for (const char *const *e = extra; e != NULL && *e != NULL && argc < 63; e++)
        argv[argc++] = *e;
    argv[argc] = NULL;
    setenv("BETTER_AUTH_SECRET", IT_SECRET, 1);
    unsetenv("CORS_ORIGINS");
    unsetenv("FRONTEND_URL");
    if (rs_config_load(&s->cfg, argc, (char **)argv, stdout, stderr) != RS_CONFIG_RUN)
        return -1;
    cmn_log_set_level(s->cfg.log_level);
    if (rs_server_start(&s->cfg, &s->srv) != 0) {
        rs_config_cleanup(&s->cfg);
        return -1;
    }
    snprintf(s->base, sizeof s->base, "%s://127.0.0.1:%u", s->cfg.tls_cert ? "https" : "http",
             rs_server_port(s->srv));
    return 0;
}

void
it_server_stop(struct it_server *s)
{
    rs_server_stop(s->srv);
    s->srv = NULL;
    rs_config_cleanup(&s->cfg);
}

static int
fixture_read_port(const char *path, unsigned *port)
{
    FILE *f = fopen(path, "r");
    int ok;
    if (f == NULL)
        return -1;
    ok = fscanf(f, "%u", port) == 1;
    fclose(f);
    return ok ? 0 : -1;
}

int
it_proc_start(struct it_proc *p, const char *db_url, const char *const *extra)
{
    if (it_proc_spawn(p, db_url, extra) != 0)
        return -1;
    return it_proc_wait_ready(p);
}

int
it_proc_spawn(struct it_proc *p, const char *db_url, const char *const *extra)
{
    static int seq;
    const char *argv[64] = {
        it_authref_path(), "--database-url",         db_url, "--port", "0", "--port-file",
        p->port_file,      "--insecure-bcrypt-cost", "4"};
    int argc = 9;

    snprintf(p->port_file, sizeof p->port_file, "/tmp/authref-itest-%ld-%d.port", (long)getpid(),
             ++seq);
    snprintf(p->log_file, sizeof p->log_file, "/tmp/authref-itest-%ld-%d.log", (long)getpid(), seq);
    argv[6] = p->port_file;
    unlink(p->port_file);
    for (const char *const *e = extra; e != NULL && *e != NULL && argc < 63; e++)
        argv[argc++] = *e;
    argv[argc] = NULL;
    p->pid = fork();
    if (p->pid < 0)
        return -1;
    if (p->pid == 0) {
        int fd = open(p->log_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0)
            dup2(fd, 2);
        setenv("BETTER_AUTH_SECRET", IT_SECRET, 1);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    return 0;
}

int
it_proc_wait_ready(struct it_proc *p)
{
    struct timespec pause = {0, 50 * 1000 * 1000};

    for (int i = 0; i < 600; i++) {
        int status;
        if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
            p->pid = 0;
            return -1;
        }
        if (fixture_read_port(p->port_file, &p->port) == 0) {
            struct it_resp r;
            char url[160];
            snprintf(p->base, sizeof p->base, "http://127.0.0.1:%u", p->port);
            snprintf(url, sizeof url, "%s/ready", p->base);
            if (it_get(url, NULL, &r) == 0 && r.status == 200) {
                it_resp_cleanup(&r);
                return 0;
            }
            it_resp_cleanup(&r);
        }
        nanosleep(&pause, NULL);
    }
    it_proc_stop(p);
    return -1;
}

int
it_proc_stop(struct it_proc *p)
{
    return it_proc_stop_with_log(p, NULL);
}

int
it_proc_stop_with_log(struct it_proc *p, char **log_out)
{
    int status = -1;

    if (p->pid > 0) {
        kill(p->pid, SIGTERM);
        for (int i = 0; i < 200; i++) {
            if (waitpid(p->pid, &status, WNOHANG) == p->pid)
                break;
            usleep(50 * 1000);
            if (i == 199) {
                kill(p->pid, SIGKILL);
                waitpid(p->pid, &status, 0);
                status = -1;
            }
        }
        p->pid = 0;
    }
    if (log_out != NULL)
        *log_out = it_proc_log(p);
    unlink(p->port_file);
    unlink(p->log_file);
    if (status == -1)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

char *
it_proc_log(const struct it_proc *p)
{
    FILE *f = fopen(p->log_file, "r");
    struct cmn_buf b;
    char chunk[4096];
    size_t n;

    cmn_buf_init(&b, 16u << 20);
    if (f != NULL) {
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            cmn_buf_add(&b, chunk, n);
        fclose(f);
    }
    return cmn_buf_take(&b);
}

char *
it_proc_log_wait(const struct it_proc *p, const char *needle, int timeout_ms)
{
    char *log = it_proc_log(p);

    for (int waited = 0; log != NULL && strstr(log, needle) == NULL && waited < timeout_ms;
         waited += 20) {
        free(log);
        usleep(20 * 1000);
        log = it_proc_log(p);
    }
    return log;
}

int
it_run_authref(const char *const *argv, const char *const *env, int timeout_s, char **err_out)
{
    const char *args[64] = {it_authref_path()};
    int argc = 1, pipefd[2], status = -1;
    pid_t pid;
    struct cmn_buf b;
    char chunk[4096];
    ssize_t n;
    time_t deadline = time(NULL) + timeout_s;

    for (const char *const *a = argv; a != NULL && *a != NULL && argc < 63; a++)
        args[argc++] = *a;
    args[argc] = NULL;
    if (pipe(pipefd) != 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(pipefd[1], 2);
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        execve(args[0], (char *const *)args,
               (char *const *)(env ? env : (const char *const[]){NULL}));
        _exit(127);
    }
    close(pipefd[1]);
    fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
    cmn_buf_init(&b, 1u << 20);
    for (;;) {
        n = read(pipefd[0], chunk, sizeof chunk);
        if (n > 0) {
            cmn_buf_add(&b, chunk, (size_t)n);
            continue;
        }
        if (waitpid(pid, &status, WNOHANG) == pid) {
            while ((n = read(pipefd[0], chunk, sizeof chunk)) > 0)
                cmn_buf_add(&b, chunk, (size_t)n);
            break;
        }
        if (time(NULL) > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            status = -1;
            break;
        }
        usleep(20 * 1000);
    }
    close(pipefd[0]);
    *err_out = cmn_buf_take(&b);
    if (status == -1)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char *
it_email(char *buf, size_t size, const char *tag)
{
    static int n;
    snprintf(buf, size, "%s-%ld-%d@example.com", tag, (long)getpid(), ++n);
    return buf;
}

long
it_signup(const char *base, const char *email, const char *password, char **token, char *user_id)
{
    char url[200], body[512];
    struct it_resp r;
    long status;

    snprintf(url, sizeof url, "%s/api/auth/signup", base);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    if (it_send("POST", url, NULL, body, &r) != 0)
        return -1;
    status = r.status;
    if (token != NULL)
        *token = json_is_string(json_object_get(r.json, "access_token"))
                     ? strdup(json_string_value(json_object_get(r.json, "access_token")))
                     : NULL;
    if (user_id != NULL) {
        const json_t *id = json_object_get(json_object_get(r.json, "user"), "id");
        snprintf(user_id, 40, "%s", json_is_string(id) ? json_string_value(id) : "");
    }
    it_resp_cleanup(&r);
    return status;
}

char *
it_forge(const char *header_json, const char *claims_json, const char *secret)
{
    char *h = cmn_b64url_encode_new(header_json, strlen(header_json));
    char *c = cmn_b64url_encode_new(claims_json, strlen(claims_json));
    char *signing = NULL, *sig = NULL, *out = NULL;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    size_t n;

    if (h == NULL || c == NULL)
        goto done;
    n = strlen(h) + strlen(c) + 2;
    signing = malloc(n);
    if (signing == NULL)
        goto done;
    snprintf(signing, n, "%s.%s", h, c);
    if (secret != NULL) {
        HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)signing,
             strlen(signing), mac, &mac_len);
        sig = cmn_b64url_encode_new(mac, mac_len);
    } else {
        sig = strdup("");
    }
    if (sig == NULL)
        goto done;
    n = strlen(signing) + strlen(sig) + 2;
    out = malloc(n);
    if (out != NULL)
        snprintf(out, n, "%s.%s", signing, sig);
done:
    free(h);
    free(c);
    free(signing);
    free(sig);
    return out;
}

int
it_make_certificates(const char *dir)
{
    char cmd[2048];
    int n = snprintf(
        cmd, sizeof cmd,
        "set -e; cd %s; "
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key "
        "-out ca.crt -days 1 -subj /CN=authref-test-ca 2>/dev/null; "
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key "
        "-out server.csr -subj /CN=127.0.0.1 2>/dev/null; "
        "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > ext.cnf; "
        "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial "
        "-out server.crt -days 1 -extfile ext.cnf 2>/dev/null",
        dir);
    if (n < 0 || (size_t)n >= sizeof cmd)
        return -1;
    return system(cmd) == 0 ? 0 : -1;
}
