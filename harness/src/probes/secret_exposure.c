/* Probe secret_exposure (checklist item 2, secrets-not-exposed): .env and
 * config files served by the target, and secrets committed to a repository. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hx/datadir.h"
#include "hx/probes/content.h"
#include "hx/probes/diag.h"
#include "hx/jwt.h"
#include "hx/probes/strength.h"
#include "hx/probes/sweep.h"
#include "probe_int.h"

static const char *const exposure_default_paths[] = {
    "/.env",
    "/.env.local",
    "/.env.production",
    "/.env.development",
    "/backend/.env",
    "/api/.env",
    "/.git/config",
    "/config.json",
    "/config.js",
    "/secrets.json",
    "/settings.json",
    "/.aws/credentials",
    "/docker-compose.yml",
    "/.npmrc",
    NULL,
};

static const struct hx_probe_arg exposure_args[] = {
    HX_ARG_LIST("paths"),
    HX_ARG_STR("repo"),
    HX_ARG_END,
};

/* Runs git with argv (no shell) and calls fn for each output line. Returns
 * git's exit status, or -1 when it could not run. */
static int
exposure_git(char *const argv[], void (*fn)(const char *line, size_t len, void *arg), void *arg)
{
    int fds[2], status = 0;
    pid_t pid;
    FILE *f;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;

    if (pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        dup2(fds[1], 1);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 2);
        }
        close(fds[0]);
        close(fds[1]);
        execvp("git", argv);
        _exit(127);
    }
    close(fds[1]);
    f = fdopen(fds[0], "r");
    if (f == NULL) {
        close(fds[0]);
        waitpid(pid, &status, 0);
        return -1;
    }
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        fn(line, (size_t)len, arg);
    }
    free(line);
    fclose(f);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct repo_scan {
    char found[1000];
    size_t n;
    char commit[48];
};

static void
repo_add(struct repo_scan *s, const char *what)
{
    size_t len = strlen(s->found);
    s->n++;
    if (len + strlen(what) + 4 < sizeof(s->found))
        snprintf(s->found + len, sizeof(s->found) - len, "%s%s", len > 0 ? "; " : "", what);
}

static void
repo_env_line(const char *line, size_t len, void *arg)
{
    struct repo_scan *s = arg;
    char what[300];
    if (len == 0 || !hx_content_env_path(line))
        return;
    snprintf(what, sizeof(what), "%s committed", line);
    if (strstr(s->found, what) == NULL)
        repo_add(s, what);
}

static void
repo_diff_line(const char *line, size_t len, void *arg)
{
    struct repo_scan *s = arg;
    char what[200];
    if (strncmp(line, "commit:", 7) == 0) {
        snprintf(s->commit, sizeof(s->commit), "%.12s", line + 7);
        return;
    }
    if (len < 2 || line[0] != '+' || line[1] == '+')
        return;
    if (hx_content_secret_assignment(line + 1, len - 1)) {
        snprintf(what, sizeof(what), "a BETTER_AUTH_SECRET value added in commit %s", s->commit);
        if (strstr(s->found, what) == NULL)
            repo_add(s, what);
    }
}

static int
exposure_repo(struct hx_step_result *step, const char *repo, struct repo_scan *s)
{
    char *files[] = {"git",       "-C",          (char *)repo,       "log", "--all",
                     "--format=", "--name-only", "--diff-filter=AM", NULL};
    char *diffs[] = {"git",
                     "-C",
                     (char *)repo,
                     "log",
                     "--all",
                     "-p",
                     "--format=commit:%H",
                     "-G",
                     "BETTER_AUTH_SECRET",
                     NULL};
    int rc = exposure_git(files, repo_env_line, s);
    if (rc != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.repo",
                    "cannot read the git history of %s (git exited %d)", repo, rc);
        return -1;
    }
    rc = exposure_git(diffs, repo_diff_line, s);
    if (rc != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.repo",
                    "cannot read the git history of %s (git exited %d)", repo, rc);
        return -1;
    }
    hx_step_add_note(
        step, "repository %s: history scanned for .env files and BETTER_AUTH_SECRET values", repo);
    return 0;
}

static void
exposure_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    const json_t *list = args != NULL ? json_object_get(args, "paths") : NULL;
    size_t n = list != NULL ? json_array_size(list) : 0, errors = 0, served = 0, n_found = 0;
    char found[1200] = "", what[200];
    const char *repo = hx__arg_str(args, "repo", NULL);
    struct repo_scan scan;

    if (list == NULL)
        for (n = 0; exposure_default_paths[n] != NULL; n++)
            ;
    for (size_t i = 0; i < n; i++) {
        const char *path =
            list != NULL ? json_string_value(json_array_get(list, i)) : exposure_default_paths[i];
        struct hx_response r;
        int rc = hx__probe_send(ctx, &(struct hx__send){.path = path, .quiet = true}, &r);
        if (rc != 0 || r.status == 0 || r.status >= 500) {
            errors++;
        } else if (r.status >= 200 && r.status < 300) {
            served++;
            if (hx_content_secret(r.body.data != NULL ? r.body.data : "", r.body.len, what,
                                  sizeof(what))) {
                size_t len = strlen(found);
                n_found++;
                /* keep this one as evidence */
                hx_response_cleanup(&r);
                hx__probe_send(ctx, &(struct hx__send){.path = path}, &r);
                int k = snprintf(found + len, sizeof(found) - len, "%s%s serves %s",
                                 len > 0 ? "; " : "", path, what);
                if (k < 0 || (size_t)k >= sizeof(found) - len)
                    found[len] = '\0'; /* no room: the first ones tell enough */
            }
        }
        hx_response_cleanup(&r);
    }
    hx_step_add_note(step, "%zu paths requested: %zu answered 2xx, %zu errors", n, served, errors);
    if (n_found > 0) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.secret-exposed",
                    "%zu paths serve secret-looking content: %s", n_found, found);
        return;
    }
    if (repo == NULL || repo[0] == '\0')
        repo = hx_probe_var(ctx, "repo");
    if (repo != NULL && repo[0] != '\0') {
        memset(&scan, 0, sizeof(scan));
        if (exposure_repo(step, repo, &scan) != 0)
            return;
        if (scan.n > 0) {
            hx_step_set(step, HX_STATUS_FAIL, "probe.secret-committed",
                        "the repository history holds secrets: %s", scan.found);
            return;
        }
    } else {
        hx_step_add_note(step, "no repository given (--repo PATH): git history not scanned");
    }
    if (errors > 0)
        hx_step_set(step, HX_STATUS_ERROR, "probe.server-error",
                    "%zu of %zu paths got a server error or no answer; no verdict", errors, n);
    else
        hx_step_pass(step);
}

const struct hx_probe_def hx__probe_secret_exposure = {
    .name = "secret_exposure",
    .summary = "/.env, /.git/config and similar serve no secrets; optional git history scan",
    .floods = false,
    .args = exposure_args,
    .run = exposure_run,
};
