#include "rs/password.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/log.h"
#include "rs/defect.h"
#include "rs/error.h"

int
rs_password_hash(const char *password, int cost, char *out, size_t out_size)
{
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    struct crypt_data *data;
    const char *h;
    size_t n;
    int rc = RS_E_INVAL;

    if (strlen(password) > RS_PASSWORD_MAX_BYTES || cost < 4 || cost > 31)
        return RS_E_INVAL;
    if (crypt_gensalt_rn("$2b$", (unsigned long)cost, NULL, 0, setting, sizeof setting) == NULL)
        return RS_E_INVAL;
    data = calloc(1, sizeof *data); /* 32 KiB: not on a thread's stack */
    if (data == NULL)
        return RS_E_NOMEM;
    h = crypt_rn(password, setting, data, sizeof *data);
    if (h != NULL && h[0] == '$' && (n = strlen(h)) < out_size) {
        memcpy(out, h, n + 1);
        rc = 0;
    }
    explicit_bzero(data, sizeof *data);
    free(data);
    return rc;
}

int
rs_password_cost(const char *stored)
{
    if (strncmp(stored, "$2b$", 4) != 0 || stored[4] < '0' || stored[4] > '9' || stored[5] < '0' ||
        stored[5] > '9' || stored[6] != '$')
        return -1;
    return (stored[4] - '0') * 10 + (stored[5] - '0');
}

int
rs_password_verify(const char *password, const char *stored)
{
    struct crypt_data *data;
    const char *h;
    size_t n = strlen(stored);
    int rc = RS_E_MISMATCH;

    if (rs_password_cost(stored) < 0 || n != 60 || crypt_checksalt(stored) != CRYPT_SALT_OK)
        return RS_E_INVAL;
    if (strlen(password) > RS_PASSWORD_MAX_BYTES)
        return RS_E_MISMATCH;
    data = calloc(1, sizeof *data);
    if (data == NULL)
        return RS_E_NOMEM;
    h = crypt_rn(password, stored, data, sizeof *data);
    if (h != NULL && strlen(h) == n && CRYPTO_memcmp(h, stored, n) == 0)
        rc = 0;
    explicit_bzero(data, sizeof *data);
    free(data);
    return rc;
}

/* ---- the worker pool ---- */

struct rs_hashpool {
    pthread_mutex_t lock;
    pthread_cond_t work;
    struct rs_hash_job *head, *tail; /* guarded by lock */
    unsigned pending;                /* guarded by lock */
    unsigned queue_max;
    bool stopping; /* guarded by lock */
    int cost;
    unsigned n_threads;
    pthread_t *threads;
};

static void
hashpool_finish(struct rs_hash_job *job, int result)
{
    job->result = result;
    explicit_bzero(job->password, sizeof job->password);
    job->done(job, job->arg);
}

static void
hashpool_run(const struct rs_hashpool *pool, struct rs_hash_job *job)
{
    int rc;

    if (RS_DEFECT(PLAINTEXT_PASSWORDS))
        rc = rs_defect_password_plaintext(job);
    else if (job->kind == RS_HASH_NEW)
        rc = rs_password_hash(job->password, RS_DEFECT(BCRYPT_COST_10) ? 10 : pool->cost, job->hash,
                              sizeof job->hash);
    else
        rc = rs_password_verify(job->password, job->hash);
    hashpool_finish(job, rc);
}

static void *
hashpool_main(void *arg)
{
    struct rs_hashpool *pool = arg;
    struct rs_hash_job *job;

    for (;;) {
        pthread_mutex_lock(&pool->lock);
        while (pool->head == NULL && !pool->stopping)
            pthread_cond_wait(&pool->work, &pool->lock);
        if (pool->stopping) {
            pthread_mutex_unlock(&pool->lock);
            return NULL;
        }
        job = pool->head;
        pool->head = job->next;
        if (pool->head == NULL)
            pool->tail = NULL;
        pool->pending--;
        pthread_mutex_unlock(&pool->lock);
        job->next = NULL;
        hashpool_run(pool, job);
    }
}

int
rs_hashpool_new(unsigned workers, unsigned queue_max, int cost, struct rs_hashpool **out)
{
    struct rs_hashpool *pool = calloc(1, sizeof *pool);
    pthread_attr_t attr;

    if (pool == NULL)
        return RS_E_NOMEM;
    pool->queue_max = queue_max;
    pool->cost = cost;
    pool->threads = calloc(workers ? workers : 1, sizeof *pool->threads);
    if (pool->threads == NULL) {
        free(pool);
        return RS_E_NOMEM;
    }
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->work, NULL);
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (unsigned i = 0; i < (workers ? workers : 1); i++) {
        if (pthread_create(&pool->threads[i], &attr, hashpool_main, pool) != 0)
            break;
        pool->n_threads++;
    }
    pthread_attr_destroy(&attr);
    if (pool->n_threads == 0) {
        rs_hashpool_free(pool);
        return RS_E_NOMEM;
    }
    *out = pool;
    return 0;
}

int
rs_hashpool_submit(struct rs_hashpool *pool, struct rs_hash_job *job)
{
    int rc = 0;

    job->next = NULL;
    pthread_mutex_lock(&pool->lock);
    if (pool->stopping || pool->pending >= pool->queue_max) {
        rc = RS_E_BUSY;
    } else {
        if (pool->tail != NULL)
            pool->tail->next = job;
        else
            pool->head = job;
        pool->tail = job;
        pool->pending++;
        pthread_cond_signal(&pool->work);
    }
    pthread_mutex_unlock(&pool->lock);
    return rc;
}

unsigned
rs_hashpool_pending(struct rs_hashpool *pool)
{
    unsigned n;
    pthread_mutex_lock(&pool->lock);
    n = pool->pending;
    pthread_mutex_unlock(&pool->lock);
    return n;
}

void
rs_hashpool_stop(struct rs_hashpool *pool)
{
    struct rs_hash_job *job;
    unsigned n_threads;

    pthread_mutex_lock(&pool->lock);
    pool->stopping = true;
    job = pool->head;
    pool->head = pool->tail = NULL;
    pool->pending = 0;
    n_threads = pool->n_threads;
    pool->n_threads = 0;
    pthread_cond_broadcast(&pool->work);
    pthread_mutex_unlock(&pool->lock);
    for (unsigned i = 0; i < n_threads; i++)
        pthread_join(pool->threads[i], NULL);
    while (job != NULL) {
        struct rs_hash_job *next = job->next;
        hashpool_finish(job, RS_E_CANCELLED);
        job = next;
    }
}

void
rs_hashpool_free(struct rs_hashpool *pool)
{
    if (pool == NULL)
        return;
    rs_hashpool_stop(pool);
    pthread_cond_destroy(&pool->work);
    pthread_mutex_destroy(&pool->lock);
    free(pool->threads);
    free(pool);
}
