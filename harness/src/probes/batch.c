/* A probe's requests sent several at a time (see batch.h). */
#include "batch.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "hx/error.h"

struct batch {
    struct hx_probe_ctx *ctx; /* hx_probe_http_quiet only reads the run */
    const struct hx__batch_item *items;
    size_t n, next;
    hx__batch_done_fn done;
    void *user;
    size_t max_body;
    bool stop, open;
    pthread_mutex_t lock;
    pthread_cond_t gate;
};

/* Sends item i and reports its answer. */
static void
batch_one(struct batch *b, size_t i)
{
    const struct hx__batch_item *it = &b->items[i];
    struct hx_header h[3] = {{"Content-Type", "application/json"}};
    size_t nh = it->json != NULL ? 1 : 0;
    char url[4096];
    struct hx_request req = {0};
    struct hx_response r;
    int rc;

    /* the URLs were checked to fit before anything was sent */
    snprintf(url, sizeof(url), "%s%s", hx_probe_base(b->ctx, it->path), it->path);
    req.method = it->method != NULL ? it->method : "POST";
    req.url = url;
    if (it->forwarded_for != NULL) {
        h[nh++] = (struct hx_header){"X-Forwarded-For", (char *)it->forwarded_for};
        h[nh++] = (struct hx_header){"X-Real-IP", (char *)it->forwarded_for};
    }
    req.headers = nh > 0 ? h : NULL;
    req.n_headers = nh;
    req.body = it->json;
    req.body_len = it->json != NULL ? strlen(it->json) : 0;
    hx_response_init(&r, b->max_body);
    rc = hx_probe_http_quiet(b->ctx, &req, &r);
    pthread_mutex_lock(&b->lock);
    if (it->evidence)
        hx_probe_record(b->ctx, &req, &r);
    if (b->done(b->user, i, rc, &req, &r))
        b->stop = true;
    pthread_mutex_unlock(&b->lock);
    hx_response_cleanup(&r);
}

/* The next item to send, or false when none is left or the batch stops. */
static bool
batch_take(struct batch *b, size_t *i)
{
    bool ok;
    pthread_mutex_lock(&b->lock);
    if (hx_probe_stopping(b->ctx))
        b->stop = true;
    ok = !b->stop && b->next < b->n;
    if (ok)
        *i = b->next++;
    pthread_mutex_unlock(&b->lock);
    return ok;
}

static void *
batch_worker(void *arg)
{
    struct batch *b = arg;
    size_t i;

    pthread_mutex_lock(&b->lock);
    while (!b->open)
        pthread_cond_wait(&b->gate, &b->lock);
    pthread_mutex_unlock(&b->lock);
    while (batch_take(b, &i))
        batch_one(b, i);
    return NULL;
}

int
hx__batch_send(struct hx_probe_ctx *ctx, const struct hx__batch_item *items, size_t n,
               size_t inflight, hx__batch_done_fn done, void *user, size_t *sent)
{
    const struct hx_http_config *cfg = hx_probe_http_config(ctx);
    struct batch b = {
        .ctx = ctx,
        .items = items,
        .n = n,
        .done = done,
        .user = user,
        .max_body = cfg != NULL && cfg->max_body > 0 ? cfg->max_body : 1 << 20,
    };
    pthread_t th[HX__BATCH_MAX_INFLIGHT];
    size_t started = 0, i;

    if (sent != NULL)
        *sent = 0;
    for (i = 0; i < n; i++) {
        char url[4096];
        int k = snprintf(url, sizeof(url), "%s%s", hx_probe_base(ctx, items[i].path), items[i].path);
        if (k < 0 || (size_t)k >= sizeof(url))
            return HX_E_TOOLONG;
    }
    pthread_mutex_init(&b.lock, NULL);
    pthread_cond_init(&b.gate, NULL);
    if (inflight > HX__BATCH_MAX_INFLIGHT)
        inflight = HX__BATCH_MAX_INFLIGHT;
    if (inflight > n)
        inflight = n;
    if (inflight > 1)
        for (started = 0; started < inflight; started++)
            if (pthread_create(&th[started], NULL, batch_worker, &b) != 0)
                break;
    pthread_mutex_lock(&b.lock);
    b.open = true;
    pthread_cond_broadcast(&b.gate);
    pthread_mutex_unlock(&b.lock);
    if (started == 0) /* one at a time, here */
        while (batch_take(&b, &i))
            batch_one(&b, i);
    for (i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_cond_destroy(&b.gate);
    pthread_mutex_destroy(&b.lock);
    if (sent != NULL)
        *sent = b.next;
    return 0;
}
