#include "rs/router.h"

#include <stdio.h>
#include <string.h>

#include "rs/api.h"
#include "rs/defect.h"
#include "rs/guard/auth.h"
#include "rs/guard/cors.h"
#include "rs/guard/ratelimit.h"
#include "rs/reply.h"

static const struct rs_route router_routes[] = {
    {"/health", 0, {{"GET", rs_api_health, 0}, {NULL, NULL, 0}}},
    {"/ready", 0, {{"GET", rs_api_ready, 0}, {NULL, NULL, 0}}},
    {"/openapi.json", 0, {{"GET", rs_api_openapi, 0}, {NULL, NULL, 0}}},
    {"/api/auth/signup", 0, {{"POST", rs_api_signup, 0}, {NULL, NULL, 0}}},
    {"/api/auth/signin", 0, {{"POST", rs_api_signin, 0}, {NULL, NULL, 0}}},
    {"/api/auth/signout", 0, {{"POST", rs_api_signout, 0}, {NULL, NULL, 0}}},
    {"/api/users/{user_id}/tasks",
     RS_ROUTE_OWNER,
     {{"GET", rs_api_tasks_list, RS_METHOD_CHECKS_ACCOUNT},
      {"POST", rs_api_tasks_create, 0},
      {NULL, NULL, 0}}},
    {"/api/users/{user_id}/tasks/{task_id}",
     RS_ROUTE_OWNER,
     {{"GET", rs_api_task_get, RS_METHOD_CHECKS_ACCOUNT},
      {"PUT", rs_api_task_replace, 0},
      {"PATCH", rs_api_task_patch, 0},
      {"DELETE", rs_api_task_delete, 0},
      {NULL, NULL, 0}}},
};

const struct rs_route *
rs_router_routes(size_t *n)
{
    *n = sizeof router_routes / sizeof *router_routes;
    return router_routes;
}

/* Copies a path segment into a parameter slot. */
static void
router_param(char *dst, size_t size, bool *too_long, const char *p, size_t n)
{
    *too_long = n >= size;
    if (*too_long)
        n = size - 1;
    memcpy(dst, p, n);
    dst[n] = '\0';
}

/* Whether path (len n, one trailing slash already dropped) fits pattern;
 * fills r's path parameters when it does. */
static bool
router_fits(struct rs_request *r, const char *pattern, const char *path, size_t n)
{
    const char *pp = pattern, *end = path + n;
    const char *sp = path;

    while (*pp != '\0' && sp < end) {
        if (*pp != '/' || *sp != '/')
            return false;
        pp++;
        sp++;
        const char *pe = strchr(pp, '/');
        const char *se = memchr(sp, '/', (size_t)(end - sp));
        size_t pl = pe ? (size_t)(pe - pp) : strlen(pp);
        size_t sl = se ? (size_t)(se - sp) : (size_t)(end - sp);

        if (pp[0] == '{') {
            if (sl == 0)
                return false;
            if (strncmp(pp, "{user_id}", pl) == 0)
                router_param(r->path_user_id, sizeof r->path_user_id, &r->path_user_id_long, sp,
                             sl);
            else
                router_param(r->path_task_id, sizeof r->path_task_id, &r->path_task_id_long, sp,
                             sl);
        } else if (pl != sl || memcmp(pp, sp, pl) != 0) {
            return false;
        }
        pp += pl;
        sp += sl;
    }
    return *pp == '\0' && sp == end;
}

/* Writes "GET, HEAD, POST, OPTIONS" for route into buf. */
static void
router_allow(const struct rs_route *route, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (const struct rs_route_method *m = route->methods; m->method != NULL; m++) {
        int w = snprintf(buf + used, size - used, "%s%s%s", used ? ", " : "", m->method,
                         strcmp(m->method, "GET") == 0 ? ", HEAD" : "");
        if (w < 0 || (size_t)w >= size - used)
            return;
        used += (size_t)w;
    }
    snprintf(buf + used, size - used, "%sOPTIONS", used ? ", " : "");
}

/* Answers a CORS preflight as the policy in guard/cors.c decides: 204 with
 * the allowed methods for a configured origin, 403 without CORS headers for
 * any other. allow: the route's methods. */
static enum MHD_Result
router_preflight(struct rs_request *r, const char *allow)
{
    switch (rs_guard_cors_preflight_check(r, allow)) {
    case RS_CORS_PREFLIGHT_OK:
        break;
    case RS_CORS_PREFLIGHT_BAD_ORIGIN:
        return rs_reply_detail(r, MHD_HTTP_FORBIDDEN, "Origin not allowed");
    case RS_CORS_PREFLIGHT_BAD_METHOD:
    default:
        return rs_reply_detail(r, MHD_HTTP_FORBIDDEN, "Method not allowed by CORS policy");
    }
    rs_reply_header(r, "Access-Control-Allow-Methods", allow);
    rs_reply_header(r, "Access-Control-Allow-Headers", RS_CORS_ALLOW_HEADERS);
    rs_reply_header(r, "Access-Control-Max-Age", RS_CORS_MAX_AGE);
    return rs_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

static bool
router_has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

enum MHD_Result
rs_router_dispatch(struct rs_request *r)
{
    const struct rs_route *route = NULL;
    rs_handler_fn fn = NULL;
    unsigned method_flags = 0;
    enum MHD_Result answered;
    char allow[80];
    size_t n = strlen(r->path);
    const char *method = r->method;
    bool protected;

    if (r->resume != NULL) {
        fn = r->resume;
        r->resume = NULL;
        return fn(r);
    }
    if (RS_DEFECT(SECRET_FILE_EXPOSED) && strcmp(r->path, "/.env") == 0)
        return rs_reply_json(r, MHD_HTTP_OK, rs_defect_env_file(r->ctx->cfg));
    if (n > RS_PATH_MAX)
        return rs_reply_detail(r, MHD_HTTP_URI_TOO_LONG, "URL too long");
    if (r->body_too_big)
        return rs_reply_detail(r, MHD_HTTP_CONTENT_TOO_LARGE, "Request body too large");

    if (n > 1 && r->path[n - 1] == '/')
        n--;
    for (size_t i = 0; i < sizeof router_routes / sizeof *router_routes; i++) {
        if (router_fits(r, router_routes[i].pattern, r->path, n)) {
            route = &router_routes[i];
            break;
        }
    }
    if (route != NULL && RS_DEFECT(TASKS_SLASH_REDIRECT) && strcmp(route->pattern, "/api/users/{user_id}/tasks") == 0 &&
        rs_defect_tasks_slash_redirect(r, &answered))
        return answered;
    if (route != NULL) {
        if (strcmp(method, "HEAD") == 0)
            method = "GET";
        for (const struct rs_route_method *m = route->methods; m->method != NULL; m++)
            if (strcmp(m->method, method) == 0) {
                fn = m->fn;
                method_flags = m->flags;
            }
        router_allow(route, allow, sizeof allow);
    }

    if (strcmp(r->method, "OPTIONS") == 0) {
        if (route == NULL)
            return rs_reply_detail(r, MHD_HTTP_NOT_FOUND, "Not Found");
        if (rs_guard_cors_is_preflight(r))
            return router_preflight(r, allow);
        rs_reply_header(r, "Allow", allow);
        return rs_reply_empty(r, MHD_HTTP_NO_CONTENT);
    }
    /* Every /api/ path outside /api/auth/ needs the token, known or not. */
    protected = router_has_prefix(r->path, "/api/") && !router_has_prefix(r->path, "/api/auth/");
    if (protected && !rs_guard_auth(r, &answered))
        return answered;
    if (route == NULL)
        return rs_reply_detail(r, MHD_HTTP_NOT_FOUND, "Not Found");
    if (fn == NULL) {
        rs_reply_header(r, "Allow", allow);
        return rs_reply_detail(r, MHD_HTTP_METHOD_NOT_ALLOWED, "Method Not Allowed");
    }
    /* Another user's id in the path: 403 before any database work. */
    if ((route->flags & RS_ROUTE_OWNER) && !rs_guard_owner(r, &answered))
        return answered;
    if (protected && !(method_flags & RS_METHOD_CHECKS_ACCOUNT) && !rs_guard_account(r, &answered))
        return answered;
    if (router_has_prefix(r->path, "/api/auth/") && !rs_guard_ratelimit_ip(r, &answered))
        return answered;
    return fn(r);
}
