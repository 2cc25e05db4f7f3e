/* Probes of strong-secret (secret_sweep, secret_strength) and
 * secrets-not-exposed (secret_exposure). */
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
#include "hx/probes/jwt.h"
#include "hx/probes/strength.h"
#include "hx/probes/sweep.h"
#include "probe_int.h"

static const struct hx__arg_spec sweep_args[] = {
    {"wordlist", 's'}, /* relative to the data directory, or absolute */
    {"short_max", 'i'}, {"threads", 'i'}, {"rules", 'b'}, {NULL, 0},
};

static int
sweep_validate(const json_t *args, struct hx_error *err)
{
    long long sm;
    int rc = hx__probe_validate(args, sweep_args, err);
    if (rc != 0)
        return rc;
    sm = hx__arg_int(args, "short_max", 4);
    if (sm < 0 || sm > 6) {
        hx_error_set(err, NULL, 0, "args.short_max: expected 0..6");
        return HX_E_PARSE;
    }
    if (hx__arg_int(args, "threads", 0) < 0 || hx__arg_int(args, "threads", 0) > 64) {
        hx_error_set(err, NULL, 0, "args.threads: expected 0..64 (0: every core)");
        return HX_E_PARSE;
    }
    return 0;
}

static int
sweep_load_words(const json_t *args, struct hx_wordlist *wl, char *path, size_t path_size)
{
    const char *rel = hx__arg_str(args, "wordlist", "fixtures/wordlists/secrets.txt");
    char dir[1024];
    int n;

    if (rel[0] == '/') {
        n = snprintf(path, path_size, "%s", rel);
    } else {
        if (hx_datadir_find(dir, sizeof(dir)) != 0)
            return HX_E_NOTFOUND;
        n = snprintf(path, path_size, "%s/%s", dir, rel);
    }
    if (n < 0 || (size_t)n >= path_size)
        return HX_E_TOOLONG;
    return hx_wordlist_load(path, wl);
}

static void
sweep_run_probe(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a;
    struct hx_sweep_target t;
    struct hx_wordlist wl;
    struct hx_sweep_opts o = {
        .threads = (unsigned)hx__arg_int(args, "threads", 0),
        .short_max = (unsigned)hx__arg_int(args, "short_max", 4),
        .rules = hx__arg_bool(args, "rules", true),
    };
    struct hx_sweep_result r;
    struct hx_jwt j = {0};
    char path[1200], text[400];
    int rc;

    if (hx_probe_identity(ctx, "alice", &a) != 0)
        return;
    if (a.token == NULL || hx_jwt_parse(a.token, &j, NULL, 0) != 0) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.token-format",
                    "cannot decide: the target issued no compact JWS to sweep");
        return;
    }
    if (hx_jwt_alg(&j) == NULL || strcmp(hx_jwt_alg(&j), "HS256") != 0) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.token-alg",
                    "cannot decide: the issued token is not HS256 (alg \"%s\"); the sweep "
                    "recovers HMAC-SHA256 secrets",
                    hx_jwt_alg(&j) != NULL ? hx_jwt_alg(&j) : "");
        hx_jwt_cleanup(&j);
        return;
    }
    if (hx_probe_secret(ctx) != NULL &&
        !hx_jwt_verify_hmac(&j, "HS256", hx_probe_secret(ctx), strlen(hx_probe_secret(ctx)))) {
        char diag[600];
        hx_diag_text(HX_DIAG_SECRET_MISMATCH, 0, NULL, diag, sizeof(diag));
        hx__diagnose(ctx, step, diag);
    }
    hx_jwt_cleanup(&j);
    rc = sweep_load_words(args, &wl, path, sizeof(path));
    if (rc != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.wordlist", "cannot read the word list %s: %s",
                    path, hx_strerror(rc));
        return;
    }
    if (hx_sweep_prepare(a.token, &t) != 0) {
        hx_wordlist_cleanup(&wl);
        hx_step_set(step, HX_STATUS_SKIP, "probe.token-format",
                    "cannot decide: the token's signature is not 32 bytes");
        return;
    }
    rc = hx_sweep_run(&t, &wl, &o, &r);
    hx_sweep_target_cleanup(&t);
    if (rc != 0) {
        hx_wordlist_cleanup(&wl);
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "sweep failed: %s", hx_strerror(rc));
        return;
    }
    hx_step_add_note(step,
                     "sweep: %llu candidates (%zu words x %zu rules, short keys up to %u "
                     "characters) in %.2f s: %.0f candidates/s on %u threads",
                     (unsigned long long)r.candidates, wl.n, o.rules ? hx_sweep_rule_count() : 1,
                     o.short_max, r.seconds, r.per_second, r.threads);
    if (r.found) {
        hx_sweep_describe(&r, &wl, text, sizeof(text));
        hx_step_set(step, HX_STATUS_FAIL, "probe.secret-recovered",
                    "the token signing secret was recovered from a real token: %s", text);
    }
    memset(&r, 0, sizeof(r));
    hx_wordlist_cleanup(&wl);
}

const struct hx_probe_def hx__probe_secret_sweep = {
    .name = "secret_sweep",
    .summary = "recovers the HS256 secret from a real token by word list, rules and short keys",
    .floods = false,
    .validate = sweep_validate,
    .run = sweep_run_probe,
};

/* ---- the given secret ---- */

static const struct hx__arg_spec strength_args[] = {
    {"min_length", 'i'},
    {"min_bits", 'n'},
    {"wordlist", 's'},
    {NULL, 0},
};

static int
strength_validate(const json_t *args, struct hx_error *err)
{
    return hx__probe_validate(args, strength_args, err);
}

static void
strength_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    const char *secret = hx_probe_secret(ctx);
    struct hx_secret_estimate e;
    struct hx_identity a;
    struct hx_jwt j = {0};
    char why[300];
    size_t min_len = (size_t)hx__arg_int(args, "min_length", 32);
    double min_bits = hx__arg_num(args, "min_bits", 90);

    if (secret == NULL) {
        hx_step_set(step, HX_STATUS_SKIP, "probe.needs-secret",
                    "needs --secret-file or --secret-env");
        return;
    }
    if (hx_probe_identity(ctx, "alice", &a) != 0)
        return;
    if (a.token != NULL && hx_jwt_parse(a.token, &j, NULL, 0) == 0 &&
        !hx_jwt_verify_hmac(&j, "HS256", secret, strlen(secret))) {
        char diag[600];
        hx_jwt_cleanup(&j);
        hx_diag_text(HX_DIAG_SECRET_MISMATCH, 0, NULL, diag, sizeof(diag));
        hx__diagnose(ctx, step, diag);
        hx_step_set(step, HX_STATUS_SKIP, "probe.secret-mismatch",
                    "cannot decide: the given secret does not verify the target's token");
        return;
    }
    hx_jwt_cleanup(&j);
    hx_secret_estimate(secret, strlen(secret), &e);
    if (!hx_secret_strong(&e, min_len, min_bits, why, sizeof(why))) {
        hx_step_set(step, HX_STATUS_FAIL, "probe.secret-weak", "%s", why);
        return;
    }
    hx_step_add_note(step, "given secret: %s", why);
    /* A long, varied secret can still be a listed phrase: sweep it. */
    {
        struct hx_jwt_build b = {.header_json = "{\"alg\":\"HS256\"}",
                                 .payload_json = "{}",
                                 .sig = HX_JWT_SIG_HMAC,
                                 .alg_for_mac = "HS256",
                                 .key = secret,
                                 .key_len = strlen(secret)};
        char *tok = hx_jwt_build(&b), path[1200], text[400];
        struct hx_sweep_target t;
        struct hx_wordlist wl;
        struct hx_sweep_opts o = {.short_max = 0, .rules = true};
        struct hx_sweep_result r;

        if (tok == NULL || hx_sweep_prepare(tok, &t) != 0) {
            free(tok);
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "out of memory");
            return;
        }
        free(tok);
        if (sweep_load_words(args, &wl, path, sizeof(path)) != 0) {
            hx_sweep_target_cleanup(&t);
            hx_step_set(step, HX_STATUS_ERROR, "probe.wordlist", "cannot read the word list %s",
                        path);
            return;
        }
        if (hx_sweep_run(&t, &wl, &o, &r) == 0 && r.found) {
            hx_sweep_describe(&r, &wl, text, sizeof(text));
            hx_step_set(step, HX_STATUS_FAIL, "probe.secret-listed",
                        "the given secret is a listed weak secret: %s", text);
        }
        memset(&r, 0, sizeof(r));
        hx_sweep_target_cleanup(&t);
        hx_wordlist_cleanup(&wl);
    }
}

const struct hx_probe_def hx__probe_secret_strength = {
    .name = "secret_strength",
    .summary =
        "the given secret: 32+ characters, entropy estimate, not a listed or placeholder value",
    .floods = false,
    .validate = strength_validate,
    .run = strength_run,
};

/* ---- secrets not exposed ---- */

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

static const struct hx__arg_spec exposure_args[] = {
    {"paths", 'a'},
    {"repo", 's'},
    {NULL, 0},
};

static int
exposure_validate(const json_t *args, struct hx_error *err)
{
    return hx__probe_validate(args, exposure_args, err);
}

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

static void
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
        return;
    }
    rc = exposure_git(diffs, repo_diff_line, s);
    if (rc != 0)
        hx_step_set(step, HX_STATUS_ERROR, "probe.repo",
                    "cannot read the git history of %s (git exited %d)", repo, rc);
    else
        hx_step_add_note(step,
                         "repository %s: history scanned for .env files and "
                         "BETTER_AUTH_SECRET values",
                         repo);
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
        exposure_repo(step, repo, &scan);
        if (step->status == HX_STATUS_ERROR)
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
}

const struct hx_probe_def hx__probe_secret_exposure = {
    .name = "secret_exposure",
    .summary = "/.env, /.git/config and similar serve no secrets; optional git history scan",
    .floods = false,
    .validate = exposure_validate,
    .run = exposure_run,
};
