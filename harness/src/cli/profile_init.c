/* authconform profile init: looks at a target (GET requests only, no
 * credential) and writes a draft profile for it: a Better Auth server (its
 * /api/auth/ok, and /api/auth/jwks when the jwt plugin is on), an API that
 * serves an OpenAPI document (its auth and task routes), or else the
 * quickstart's own shape. What it found is in the profile's description; the
 * profile is loaded back (as `validate` would) before it is written. */
#include "cli_int.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cmn/version.h"
#include "hx/config.h"
#include "hx/datadir.h"
#include "hx/errlist.h"
#include "hx/http.h"
#include "hx/profile.h"

struct init_opts {
    const char *target, *auth_target, *out, *cacert;
    bool insecure;
    long timeout_ms;
};

/* GETs base+path; returns the parsed JSON of a 200 answer (new), else NULL.
 * *status gets the status (0: no answer). */
static json_t *
init_get_json(const struct init_opts *o, const char *base, const char *path, long *status)
{
    char url[4096], ua[64];
    struct hx_http_config cfg = {0};
    struct hx_request req = {0};
    struct hx_response r;
    json_t *doc = NULL;

    snprintf(ua, sizeof ua, "authconform/%s", CMN_VERSION);
    cfg.cacert = o->cacert;
    cfg.insecure = o->insecure;
    cfg.timeout_ms = o->timeout_ms;
    cfg.max_body = (size_t)4 << 20;
    cfg.user_agent = ua;
    snprintf(url, sizeof url, "%s%s", base, path);
    req.method = "GET";
    req.url = url;
    hx_response_init(&r, cfg.max_body);
    hx_http_perform(&cfg, &req, &r);
    *status = r.status;
    if (r.status == 200 && r.body.data != NULL && !r.truncated)
        doc = json_loadb(r.body.data, r.body.len, 0, NULL);
    hx_response_cleanup(&r);
    return doc;
}

/* The first path of an OpenAPI document's "paths" whose lower-case text holds
 * one of words and, when method is given, that has the method. Borrowed. */
static const char *
init_openapi_path(const json_t *paths, const char *const *words, const char *method,
                  const char *must, const char *must_not)
{
    const char *p;
    json_t *ops;

    json_object_foreach((json_t *)paths, p, ops)
    {
        if (method != NULL && json_object_get(ops, method) == NULL)
            continue;
        if (must != NULL && strstr(p, must) == NULL)
            continue;
        if (must_not != NULL && strstr(p, must_not) != NULL)
            continue;
        for (const char *const *w = words; *w != NULL; w++)
            if (strcasestr(p, *w) != NULL)
                return p;
    }
    return NULL;
}

/* A route template of the document in the profile's form: "{user_id}" and
 * "{task_id}" for the path's own parameter names (the first two). New. */
static char *
init_route(const char *p)
{
    char out[1024];
    size_t o = 0;
    int param = 0;

    while (*p != '\0' && o + 12 < sizeof out) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            if (end == NULL)
                break;
            o += (size_t)snprintf(out + o, sizeof out - o, "%s",
                                  param++ == 0 ? "{user_id}" : "{task_id}");
            p = end + 1;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    /* the profile names the route without its trailing slash */
    if (o > 1 && out[o - 1] == '/')
        out[o - 1] = '\0';
    return strdup(out);
}

/* Fills prof (the draft) from what the target answers; what was found goes
 * into found. */
static void
init_detect(const struct init_opts *o, json_t *prof, char *found, size_t size, bool *answered)
{
    const char *auth = o->auth_target != NULL ? o->auth_target : o->target;
    long st_ok = 0, st_jwks = 0, st_api = 0;
    json_t *ok = init_get_json(o, auth, "/api/auth/ok", &st_ok);
    json_t *doc;

    if (json_is_true(json_object_get(ok, "ok"))) {
        json_t *jwks = init_get_json(o, auth, "/api/auth/jwks", &st_jwks);
        bool jwt = json_is_array(json_object_get(jwks, "keys"));
        json_t *paths = json_pack("{s:s, s:s, s:s, s:n, s:n}", "signup", "/api/auth/sign-up/email",
                                  "signin", "/api/auth/sign-in/email", "signout",
                                  "/api/auth/sign-out", "ready", "openapi");
        json_t *auth_sec = json_pack("{s:s, s:n, s:s, s:s}", "transport", "bearer", "cookie",
                                     "scheme", "Bearer", "session", "$.token");
        json_object_set_new(prof, "name", json_string("better-auth"));
        if (jwt) {
            json_object_set_new(paths, "jwks", json_string("/api/auth/jwks"));
            json_object_set_new(auth_sec, "exchange",
                                json_pack("{s:s, s:s, s:s, s:s}", "method", "GET", "path",
                                          "/api/auth/token", "send", "bearer", "token", "$.token"));
            json_object_set_new(prof, "token", json_pack("{s:s}", "user_id_claim", "sub"));
        }
        /* its user ids: 32 letters and digits, not UUIDs */
        json_object_set_new(prof, "identity", json_pack("{s:s}", "id_format", "opaque"));
        json_object_set_new(prof, "paths", paths);
        json_object_set_new(prof, "fields",
                            json_pack("{s:s, s:{s:s}, s:s, s:s}", "username", "name", "extra",
                                      "name", "${identity.username}", "token", "$.token",
                                      "user_id", "$.user.id"));
        json_object_set_new(prof, "auth", auth_sec);
        /* its auth routes answer {"message", "code"} (its APIError); the
         * API beside it is the deployment's own and keeps the default */
        json_object_set_new(
            prof, "errors",
            json_pack("{s:{s:s, s:s}, s:{s:s, s:s}}", "auth", "message", "$.message", "code",
                      "$.code", "codes", "duplicate", "USER_ALREADY_EXISTS", "bad_credentials",
                      "INVALID_EMAIL_OR_PASSWORD"));
        /* its limiter's default for these routes (rateLimit's special rules),
         * which the harness keeps to; a deployment that set its own edits it */
        json_object_set_new(prof, "limits",
                            json_pack("{s:s, s:s}", "pace", "3/10s", "pace_source",
                                      "Better Auth's default rate limit for /sign-in and /sign-up: "
                                      "3 requests per 10 s per client address"));
        json_object_set_new(
            prof, "database",
            json_pack("{s:s}", "password_query",
                      "SELECT a.password FROM account a JOIN \"user\" u ON u.id = a.\"userId\" "
                      "WHERE lower(u.email) = lower($1) AND a.\"providerId\" = 'credential'"));
        snprintf(found, size,
                 "a Better Auth server at %s (GET /api/auth/ok answered {\"ok\": true}); %s", auth,
                 jwt ? "its jwt plugin is on (GET /api/auth/jwks has keys): the session token of "
                       "a signup is exchanged at GET /api/auth/token for the API's JWT, whose "
                       "user id is in sub"
                     : "no jwt plugin (GET /api/auth/jwks has no keys): the session token is "
                       "the API's credential");
        json_decref(jwks);
        json_decref(ok);
        return;
    }
    json_decref(ok);
    doc = init_get_json(o, o->target, "/openapi.json", &st_api);
    if (json_is_object(json_object_get(doc, "paths"))) {
        static const char *const up[] = {"signup", "sign-up", "register", NULL};
        static const char *const in[] = {"signin", "sign-in", "login", "token", NULL};
        static const char *const outw[] = {"signout", "sign-out", "logout", NULL};
        static const char *const tasks[] = {"tasks", NULL};
        const json_t *p = json_object_get(doc, "paths");
        const char *s_up = init_openapi_path(p, up, "post", NULL, NULL);
        const char *s_in = init_openapi_path(p, in, "post", NULL, NULL);
        const char *s_out = init_openapi_path(p, outw, "post", NULL, NULL);
        const char *s_list = init_openapi_path(p, tasks, "get", "{", "}/tasks/{");
        const char *s_task = init_openapi_path(p, tasks, NULL, "}/tasks/{", NULL);
        json_t *paths = json_object();
        size_t n = 0;

        if (s_up != NULL && ++n)
            json_object_set_new(paths, "signup", json_string(s_up));
        if (s_in != NULL && ++n)
            json_object_set_new(paths, "signin", json_string(s_in));
        if (s_out != NULL && ++n)
            json_object_set_new(paths, "signout", json_string(s_out));
        if (s_list != NULL && ++n) {
            char *r = init_route(s_list);
            json_object_set_new(paths, "tasks", json_string(r != NULL ? r : s_list));
            free(r);
        }
        if (s_task != NULL && ++n) {
            char *r = init_route(s_task);
            json_object_set_new(paths, "task", json_string(r != NULL ? r : s_task));
            free(r);
        }
        json_object_set_new(prof, "name", json_string("openapi-draft"));
        json_object_set_new(prof, "paths", paths);
        snprintf(found, size,
                 "an OpenAPI document at %s/openapi.json: %zu of the contract's routes named "
                 "from its paths (signup, signin, signout, tasks, task); the request fields, "
                 "the token's place and the status codes are the quickstart's: check them",
                 o->target, n);
        json_decref(doc);
        return;
    }
    json_decref(doc);
    *answered = st_ok != 0 || st_api != 0;
    json_object_set_new(prof, "name", json_string("quickstart-draft"));
    snprintf(found, size,
             "nothing recognised at %s (no Better Auth /api/auth/ok: %ld, no /openapi.json: %ld): "
             "the quickstart's own routes and fields, as authref serves them",
             o->target, st_ok, st_api);
}

int
hx__cli_profile(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"target", required_argument, NULL, 't'},
        {"auth-target", required_argument, NULL, 'a'},
        {"out", required_argument, NULL, 'o'},
        {"cacert", required_argument, NULL, 'c'},
        {"insecure", no_argument, NULL, 'k'},
        {"timeout", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct init_opts o = {.timeout_ms = 10000};
    char found[700], datadir[PATH_MAX], def[PATH_MAX + 40], desc[1000], stamp[32];
    json_t *prof;
    char *text;
    int c, rc = HX_EXIT_USAGE;

    if (argc < 2 || strcmp(argv[1], "init") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            printf("usage: authconform profile init --target URL [--auth-target URL] [--out FILE]\n"
                   "                                [--cacert FILE | --insecure] [--timeout S]\n");
            return 0;
        }
        fprintf(stderr, "authconform profile: expected 'init' (authconform profile --help)\n");
        return HX_EXIT_USAGE;
    }
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "hV", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            o.target = optarg;
            break;
        case 'a':
            o.auth_target = optarg;
            break;
        case 'o':
            o.out = optarg;
            break;
        case 'c':
            o.cacert = optarg;
            break;
        case 'k':
            o.insecure = true;
            break;
        case 'T': {
            char *end;
            double s = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || s <= 0 || s > 600) {
                fprintf(stderr,
                        "authconform profile init: --timeout: expected seconds (0-600], "
                        "got '%s'\n",
                        optarg);
                return HX_EXIT_USAGE;
            }
            o.timeout_ms = (long)(s * 1000);
            break;
        }
        case 'h':
            printf("usage: authconform profile init --target URL [--auth-target URL] [--out FILE]\n"
                   "                                [--cacert FILE | --insecure] [--timeout S]\n"
                   "Looks at the target (GET requests only, no credential) and writes a draft\n"
                   "profile: a Better Auth server, an API with an OpenAPI document, or the\n"
                   "quickstart's shape. The profile's description says what was found.\n");
            return 0;
        case 'V':
            hx__cli_version(stdout);
            return 0;
        default:
            return HX_EXIT_USAGE;
        }
    }
    if (o.target == NULL ||
        (strncasecmp(o.target, "http://", 7) != 0 && strncasecmp(o.target, "https://", 8) != 0) ||
        (o.auth_target != NULL && strncasecmp(o.auth_target, "http://", 7) != 0 &&
         strncasecmp(o.auth_target, "https://", 8) != 0)) {
        fprintf(stderr, "authconform profile init: --target (and --auth-target) must be "
                        "http:// or https:// URLs\n");
        return HX_EXIT_USAGE;
    }
    if (hx_datadir_find(datadir, sizeof datadir) != 0) {
        fprintf(stderr, "authconform profile init: cannot find the data folder (scenarios, "
                        "fixtures); set AUTHCONFORM_DATA_DIR\n");
        return HX_EXIT_USAGE;
    }
    /* name and description first, whatever is found */
    prof = json_pack("{s:s, s:s}", "name", "draft", "description", "");
    bool answered = true;
    init_detect(&o, prof, found, sizeof found, &answered);
    if (!answered) {
        fprintf(stderr, "authconform profile init: %s: target unreachable\n", o.target);
        json_decref(prof);
        return HX_EXIT_UNREACHABLE;
    }
    {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(stamp, sizeof stamp, "%Y-%m-%d", &tm);
    }
    snprintf(desc, sizeof desc,
             "Drafted by authconform profile init on %s. Found: %s. A profile says how the target "
             "differs from the quickstart (paths, fields, where its credentials are); what passes "
             "stays the contract's.",
             stamp, found);
    json_object_set_new(prof, "description", json_string(desc));
    text = json_dumps(prof, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(prof);
    if (text == NULL) {
        fprintf(stderr, "authconform profile init: out of memory\n");
        return 1;
    }
    /* loaded back over the default, as a run would, before anyone relies on it */
    snprintf(def, sizeof def, "%s/fixtures/profiles/quickstart.json", datadir);
    {
        char tmp[] = "/tmp/authconform-profile.XXXXXX";
        int fd = mkstemp(tmp);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        struct hx_errlist errs;
        struct hx_profile *p = NULL;
        hx_errlist_init(&errs);
        if (f != NULL) {
            fputs(text, f);
            fputc('\n', f);
            fclose(f);
            if (hx_profile_load(tmp, def, &p, &errs) != 0) {
                hx_errlist_print(&errs, stderr);
                fprintf(stderr, "authconform profile init: the draft does not load\n");
                rc = 1;
            } else {
                rc = 0;
            }
            unlink(tmp);
        } else {
            fprintf(stderr, "authconform profile init: cannot write a temporary file\n");
            rc = 1;
        }
        hx_profile_free(p);
        hx_errlist_cleanup(&errs);
    }
    if (rc == 0) {
        FILE *out = o.out != NULL ? fopen(o.out, "w") : stdout;
        if (out == NULL) {
            fprintf(stderr, "authconform profile init: --out %s: cannot write it\n", o.out);
            rc = HX_EXIT_USAGE;
        } else {
            fputs(text, out);
            fputc('\n', out);
            if (out != stdout && fclose(out) != 0) {
                fprintf(stderr, "authconform profile init: --out %s: write failed\n", o.out);
                rc = 1;
            }
            fprintf(stderr, "authconform profile init: %s\n", found);
        }
    }
    free(text);
    return rc;
}
