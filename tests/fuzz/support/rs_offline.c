/* authref without a network or a database (see rs_offline.h). */
#include "rs_offline.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fz_check.h"
#include "rs/config.h"
#include "rs/error.h"
#include "rs/framing.h"
#include "rs/password.h"
#include "rs/reply.h"
#include "rs/router.h"
#include "rs/store/db.h"
#include "rs/store/ratelimit.h"
#include "rs/store/tasks.h"
#include "rs/store/users.h"
#include "rs/token.h"

/* A bcrypt hash of nothing in particular: the hash pool never reads it. */
#define OFFLINE_HASH "$2b$04$abcdefghijklmnopqrstuu5N3PqOZ2WFY3rAZJ3zX4yHqQ1P7nC3e"
#define OFFLINE_TASK "0b8f2a4c-5d6e-4f70-8a91-b2c3d4e5f601"

/* The one request in flight and its answers: libFuzzer runs inputs one after
 * another on one thread. */
static struct rs_offline_store offline_store;

struct rs_ctx *
rs_offline_ctx(void)
{
    static char secret[] = RS_OFFLINE_SECRET;
    static char origin[] = RS_OFFLINE_ORIGIN;
    static char listen[] = "127.0.0.1";
    static struct rs_config cfg;
    static struct rs_ctx ctx;

    if (ctx.cfg == NULL) {
        cfg.secret = secret;
        cfg.secret_len = sizeof secret - 1;
        cfg.listen = listen;
        cfg.origins[0] = origin;
        cfg.n_origins = 1;
        cfg.bcrypt_cost = 12;
        cfg.token_lifetime_s = 7 * 86400;
        cfg.clock_skew_s = 60;
        cfg.rate_ip = (struct rs_rate){20, 60};
        cfg.rate_account = (struct rs_rate){5, 60};
        cfg.trust_proxy = true;
        cfg.http_redirect_port = -1;
        cfg.max_body = 65536;
        cfg.log_level = CMN_LOG_ERROR;
        ctx.cfg = &cfg;
        memcpy(ctx.dummy_hash, OFFLINE_HASH, sizeof OFFLINE_HASH);
        /* audit lines would flood the fuzzer's output */
        cmn_log_set_level(CMN_LOG_ERROR);
    }
    return &ctx;
}

void
rs_offline_store_set(const struct rs_offline_store *s)
{
    offline_store = *s;
}

char *
rs_offline_token(void)
{
    const struct rs_config *cfg = rs_offline_ctx()->cfg;
    struct rs_token_key key = {(const unsigned char *)cfg->secret, cfg->secret_len};
    char *tok = NULL;

    if (rs_token_issue(&key, RS_OFFLINE_USER, "fuzz@example.com", time(NULL), 7 * 86400, &tok) != 0)
        return NULL;
    return tok;
}

unsigned
rs_offline_serve(struct MHD_Connection *conn, const char *method, const char *path,
                 const char *version, const char *body, size_t body_len)
{
    struct rs_ctx *ctx = rs_offline_ctx();
    struct rs_request *r;
    const char *problem, *cl;
    unsigned status;

    r = rs_request_new(ctx, conn, method, path, (size_t)ctx->cfg->max_body);
    if (r == NULL)
        return 0;
    problem = rs_framing_problem(conn, method, version); /* no header size offline: the block end is not checked */
    if (problem != NULL) {
        rs_reply_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
        rs_reply_detail(r, MHD_HTTP_BAD_REQUEST, problem);
        goto done;
    }
    cl = rs_request_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl != NULL && strtoll(cl, NULL, 10) > ctx->cfg->max_body) {
        r->body_too_big = true;
        rs_router_dispatch(r);
        goto done;
    }
    if (body_len > 0 && cmn_buf_add(&r->body, body, body_len) != 0)
        r->body_too_big = true;
    rs_router_dispatch(r);
    /* A handler that handed work to the hash pool suspended the connection;
     * the pool answered at once and resumed it: libmicrohttpd's next call. */
    for (int i = 0; i < 4 && conn->queued == 0 && conn->suspended && conn->resumed; i++) {
        conn->suspended = false;
        conn->resumed = false;
        rs_router_dispatch(r);
    }
done:
    /* Every request is answered exactly once. */
    FZ_CHECK(conn->queued == 1);
    status = conn->status;
    rs_request_free(r);
    return status;
}

/* ---- libmicrohttpd's connection, in memory ---- */

bool
rs_offline_field(struct MHD_Connection *c, const char *name, size_t name_len, const char *value,
                 size_t value_len)
{
    size_t ows = 0;
    char *at = c->pool + c->pool_used;

    if (c->n_headers == RS_OFFLINE_MAX_HEADERS || name_len + value_len + 2 > RS_OFFLINE_POOL ||
        c->pool_used > RS_OFFLINE_POOL - (name_len + value_len + 2))
        return false;
    while (ows < value_len && (value[ows] == ' ' || value[ows] == '\t'))
        ows++;
    memcpy(at, name, name_len);
    at[name_len] = '\0';
    memcpy(at + name_len + 1, value, value_len);
    at[name_len + 1 + value_len] = '\0';
    c->names[c->n_headers] = at;
    c->values[c->n_headers] = at + name_len + 1 + ows;
    c->n_headers++;
    c->pool_used += name_len + value_len + 2;
    return true;
}

const char *__wrap_MHD_lookup_connection_value(struct MHD_Connection *c, enum MHD_ValueKind kind,
                                               const char *key);
int __wrap_MHD_get_connection_values(struct MHD_Connection *c, enum MHD_ValueKind kind,
                                     MHD_KeyValueIterator it, void *cls);
const union MHD_ConnectionInfo *
__wrap_MHD_get_connection_info(struct MHD_Connection *c, enum MHD_ConnectionInfoType type, ...);
enum MHD_Result __wrap_MHD_queue_response(struct MHD_Connection *c, unsigned int status,
                                          struct MHD_Response *resp);
void __wrap_MHD_suspend_connection(struct MHD_Connection *c);
void __wrap_MHD_resume_connection(struct MHD_Connection *c);

/* The value of cookie `name` in the request's Cookie fields ("a=1; b=2"),
 * enclosing quotes removed as libmicrohttpd does. Borrowed until the next
 * call. */
static const char *
offline_cookie(const struct MHD_Connection *c, const char *name)
{
    static char value[8192];
    size_t nl = strlen(name);

    for (size_t i = 0; i < c->n_headers; i++) {
        const char *p = c->values[i];
        if (strcasecmp(c->names[i], MHD_HTTP_HEADER_COOKIE) != 0)
            continue;
        while (*p != '\0') {
            const char *end = strchr(p, ';');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            while (len > 0 && (*p == ' ' || *p == '\t')) {
                p++;
                len--;
            }
            if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
                const char *v = p + nl + 1;
                size_t vl = len - nl - 1;
                if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
                    v++;
                    vl -= 2;
                }
                if (vl >= sizeof value)
                    vl = sizeof value - 1;
                memcpy(value, v, vl);
                value[vl] = '\0';
                return value;
            }
            if (end == NULL)
                break;
            p = end + 1;
        }
    }
    return NULL;
}

const char *
__wrap_MHD_lookup_connection_value(struct MHD_Connection *c, enum MHD_ValueKind kind,
                                   const char *key)
{
    if (key == NULL)
        return NULL;
    if (kind == MHD_COOKIE_KIND)
        return offline_cookie(c, key);
    if (kind != MHD_HEADER_KIND)
        return NULL;
    for (size_t i = 0; i < c->n_headers; i++)
        if (strcasecmp(c->names[i], key) == 0)
            return c->values[i];
    return NULL;
}

int
__wrap_MHD_get_connection_values(struct MHD_Connection *c, enum MHD_ValueKind kind,
                                 MHD_KeyValueIterator it, void *cls)
{
    int n = 0;

    if ((kind & MHD_HEADER_KIND) == 0)
        return 0;
    for (size_t i = 0; i < c->n_headers; i++) {
        n++;
        if (it != NULL && it(cls, MHD_HEADER_KIND, c->names[i], c->values[i]) != MHD_YES)
            break;
    }
    return n;
}

const union MHD_ConnectionInfo *
__wrap_MHD_get_connection_info(struct MHD_Connection *c, enum MHD_ConnectionInfoType type, ...)
{
    static struct sockaddr_in peer;
    static union MHD_ConnectionInfo info;
    (void)c;

    if (type != MHD_CONNECTION_INFO_CLIENT_ADDRESS)
        return NULL;
    peer.sin_family = AF_INET;
    peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    info.client_addr = (struct sockaddr *)&peer;
    return &info;
}

enum MHD_Result
__wrap_MHD_queue_response(struct MHD_Connection *c, unsigned int status, struct MHD_Response *resp)
{
    FZ_CHECK(resp != NULL);
    FZ_CHECK(status >= 100 && status <= 599);
    c->queued++;
    c->status = status;
    return MHD_YES;
}

void
__wrap_MHD_suspend_connection(struct MHD_Connection *c)
{
    FZ_CHECK(!c->suspended);
    c->suspended = true;
}

void
__wrap_MHD_resume_connection(struct MHD_Connection *c)
{
    FZ_CHECK(c->suspended);
    c->resumed = true;
}

/* ---- the store and the hash pool, answered from fixed rows ---- */

int __wrap_rs_store_user_insert(struct rs_db *db, const char *email, const char *hashed_password,
                                const char *username, struct rs_user *out);
int __wrap_rs_store_user_by_email(struct rs_db *db, const char *email, struct rs_user *out);
int __wrap_rs_store_user_active(struct rs_db *db, const char *id, bool *active);
int __wrap_rs_store_rate_hit(struct rs_db *db, const char *bucket, long limit, long window_s,
                             long *retry_after_s);
int __wrap_rs_store_task_list(struct rs_db *db, const char *user_id, json_t **out);
int __wrap_rs_store_task_insert(struct rs_db *db, const char *user_id,
                                const struct rs_task_fields *f, json_t **out);
int __wrap_rs_store_task_get(struct rs_db *db, const char *user_id, const char *task_id,
                             json_t **out);
int __wrap_rs_store_task_replace(struct rs_db *db, const char *user_id, const char *task_id,
                                 const struct rs_task_fields *f, json_t **out);
int __wrap_rs_store_task_patch(struct rs_db *db, const char *user_id, const char *task_id,
                               const struct rs_task_fields *f, json_t **out);
int __wrap_rs_store_task_delete(struct rs_db *db, const char *user_id, const char *task_id);
int __wrap_rs_db_ping(struct rs_db *db);
int __wrap_rs_hashpool_submit(struct rs_hashpool *pool, struct rs_hash_job *job);

static void
offline_user(struct rs_user *u, const char *email, const char *username)
{
    memset(u, 0, sizeof *u);
    snprintf(u->id, sizeof u->id, "%s", RS_OFFLINE_USER);
    snprintf(u->email, sizeof u->email, "%s", email);
    if (username != NULL) {
        u->has_username = true;
        snprintf(u->username, sizeof u->username, "%s", username);
    }
    u->is_active = !offline_store.user_inactive;
    snprintf(u->created_at, sizeof u->created_at, "2026-01-10T12:00:00Z");
    snprintf(u->hashed_password, sizeof u->hashed_password, "%s", OFFLINE_HASH);
}

/* The owner check every task statement makes in its own round trip. */
static int
offline_account(const char *user_id)
{
    if (offline_store.db_down)
        return RS_E_DB;
    if (offline_store.user_unknown || strcmp(user_id, RS_OFFLINE_USER) != 0)
        return RS_E_ACCOUNT_UNKNOWN;
    if (offline_store.user_inactive)
        return RS_E_ACCOUNT_INACTIVE;
    return 0;
}

static json_t *
offline_task(const char *user_id, const struct rs_task_fields *f)
{
    return json_pack("{s:s, s:s, s:s, s:o, s:b, s:s, s:s}", "id", OFFLINE_TASK, "user_id", user_id,
                     "title", f != NULL && f->title != NULL ? f->title : "a task", "description",
                     f != NULL && f->description != NULL ? json_string(f->description)
                                                         : json_null(),
                     "completed", f != NULL && f->completed, "created_at", "2026-01-10T12:00:00Z",
                     "updated_at", "2026-01-10T12:00:00Z");
}

static int
offline_task_answer(const char *user_id, const char *task_id, const struct rs_task_fields *f,
                    json_t **out)
{
    int rc = offline_account(user_id);

    if (rc != 0)
        return rc;
    if (offline_store.task_missing || task_id == NULL || strcmp(task_id, OFFLINE_TASK) != 0)
        return RS_E_NOTFOUND;
    if (out != NULL) {
        *out = offline_task(user_id, f);
        if (*out == NULL)
            return RS_E_NOMEM;
    }
    return 0;
}

int
__wrap_rs_store_user_insert(struct rs_db *db, const char *email, const char *hashed_password,
                            const char *username, struct rs_user *out)
{
    (void)db;
    FZ_CHECK(strncmp(hashed_password, "$2b$", 4) == 0);
    if (offline_store.db_down)
        return RS_E_DB;
    if (!offline_store.user_unknown)
        return RS_E_CONFLICT;
    offline_user(out, email, username);
    return 0;
}

int
__wrap_rs_store_user_by_email(struct rs_db *db, const char *email, struct rs_user *out)
{
    (void)db;
    if (offline_store.db_down)
        return RS_E_DB;
    if (offline_store.user_unknown)
        return RS_E_NOTFOUND;
    offline_user(out, email, NULL);
    return 0;
}

int
__wrap_rs_store_user_active(struct rs_db *db, const char *id, bool *active)
{
    (void)db;
    if (offline_store.db_down)
        return RS_E_DB;
    if (offline_store.user_unknown || strcmp(id, RS_OFFLINE_USER) != 0)
        return RS_E_NOTFOUND;
    *active = !offline_store.user_inactive;
    return 0;
}

int
__wrap_rs_store_rate_hit(struct rs_db *db, const char *bucket, long limit, long window_s,
                         long *retry_after_s)
{
    (void)db;
    FZ_CHECK(bucket != NULL && limit > 0 && window_s > 0);
    if (offline_store.db_down)
        return RS_E_DB;
    *retry_after_s = offline_store.rate_limited ? 7 : 0;
    return 0;
}

int
__wrap_rs_store_task_list(struct rs_db *db, const char *user_id, json_t **out)
{
    int rc = offline_account(user_id);
    (void)db;

    if (rc != 0)
        return rc;
    *out = json_pack("[o]", offline_task(user_id, NULL));
    return *out != NULL ? 0 : RS_E_NOMEM;
}

int
__wrap_rs_store_task_insert(struct rs_db *db, const char *user_id, const struct rs_task_fields *f,
                            json_t **out)
{
    int rc = offline_account(user_id);
    (void)db;

    FZ_CHECK(f->has_title && f->title != NULL);
    if (rc != 0)
        return rc;
    *out = offline_task(user_id, f);
    return *out != NULL ? 0 : RS_E_NOMEM;
}

int
__wrap_rs_store_task_get(struct rs_db *db, const char *user_id, const char *task_id, json_t **out)
{
    (void)db;
    return offline_task_answer(user_id, task_id, NULL, out);
}

int
__wrap_rs_store_task_replace(struct rs_db *db, const char *user_id, const char *task_id,
                             const struct rs_task_fields *f, json_t **out)
{
    (void)db;
    FZ_CHECK(f->has_title && f->title != NULL);
    return offline_task_answer(user_id, task_id, f, out);
}

int
__wrap_rs_store_task_patch(struct rs_db *db, const char *user_id, const char *task_id,
                           const struct rs_task_fields *f, json_t **out)
{
    (void)db;
    return offline_task_answer(user_id, task_id, f, out);
}

int
__wrap_rs_store_task_delete(struct rs_db *db, const char *user_id, const char *task_id)
{
    (void)db;
    return offline_task_answer(user_id, task_id, NULL, NULL);
}

int
__wrap_rs_db_ping(struct rs_db *db)
{
    (void)db;
    return offline_store.db_down ? RS_E_DB : 0;
}

/* The work is done at once (no bcrypt: a fuzzer needs thousands of inputs a
 * second) and the done callback runs before submit returns, as it may on a
 * real pool whose worker is quick. */
int
__wrap_rs_hashpool_submit(struct rs_hashpool *pool, struct rs_hash_job *job)
{
    (void)pool;
    FZ_CHECK(memchr(job->password, '\0', sizeof job->password) != NULL);
    if (offline_store.hash_busy)
        return RS_E_BUSY;
    if (job->kind == RS_HASH_NEW) {
        snprintf(job->hash, sizeof job->hash, "%s", OFFLINE_HASH);
        job->result = 0;
    } else {
        FZ_CHECK(strncmp(job->hash, "$2b$", 4) == 0);
        job->result = offline_store.hash_mismatch ? RS_E_MISMATCH : 0;
    }
    explicit_bzero(job->password, sizeof job->password);
    job->done(job, job->arg);
    return 0;
}
