/* rs_password: bcrypt hash and verify, the hash pool. */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "rs/error.h"
#include "rs/password.h"
#include "unit.h"

static void
test_password_hash_is_bcrypt_2b_at_the_given_cost(void)
{
    char h[RS_BCRYPT_HASH_MAX];

    CU_ASSERT_FATAL(rs_password_hash("password123", 4, h, sizeof h) == 0);
    CU_ASSERT(strncmp(h, "$2b$04$", 7) == 0);
    CU_ASSERT(strlen(h) == 60);
    CU_ASSERT(rs_password_cost(h) == 4);
    CU_ASSERT(rs_password_verify("password123", h) == 0);
    CU_ASSERT(rs_password_verify("password124", h) == RS_E_MISMATCH);
    CU_ASSERT(rs_password_verify("", h) == RS_E_MISMATCH);
}

static void
test_password_hashes_of_one_password_differ_by_salt(void)
{
    char a[RS_BCRYPT_HASH_MAX], b[RS_BCRYPT_HASH_MAX];
    CU_ASSERT(rs_password_hash("same-password", 4, a, sizeof a) == 0);
    CU_ASSERT(rs_password_hash("same-password", 4, b, sizeof b) == 0);
    CU_ASSERT(strcmp(a, b) != 0);
}

static void
test_password_verify_refuses_non_bcrypt_stored_values(void)
{
    /* libxcrypt would take these as DES salts and "verify" them. */
    CU_ASSERT(rs_password_verify("password123", "ab") == RS_E_INVAL);
    CU_ASSERT(rs_password_verify("password123", "garbage") == RS_E_INVAL);
    CU_ASSERT(rs_password_verify("password123", "password123") == RS_E_INVAL);
    CU_ASSERT(rs_password_verify("password123", "$1$abcdefgh$abcdefghijklmnopqrstuv") ==
              RS_E_INVAL);
    CU_ASSERT(rs_password_verify("password123", "") == RS_E_INVAL);
}

static void
test_password_hash_refuses_over_72_bytes_and_bad_costs(void)
{
    char h[RS_BCRYPT_HASH_MAX], pw[80];

    memset(pw, 'a', 73);
    pw[73] = '\0';
    CU_ASSERT(rs_password_hash(pw, 4, h, sizeof h) == RS_E_INVAL);
    CU_ASSERT(rs_password_hash("password123", 3, h, sizeof h) == RS_E_INVAL);
    CU_ASSERT(rs_password_hash("password123", 32, h, sizeof h) == RS_E_INVAL);
}

struct waiter {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int done;
};

static void
job_done(struct rs_hash_job *job, void *arg)
{
    struct waiter *w = arg;
    (void)job;
    pthread_mutex_lock(&w->lock);
    w->done++;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

static void
test_hashpool_runs_jobs_and_refuses_past_its_queue(void)
{
    enum { N = 8 };
    struct rs_hashpool *pool = NULL;
    static struct rs_hash_job jobs[N];
    struct waiter w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    int queued = 0, refused = 0;

    /* Cost 12: each job takes far longer than the eight submits below. */
    CU_ASSERT_FATAL(rs_hashpool_new(1, 2, 12, &pool) == 0);
    for (int i = 0; i < N; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].kind = RS_HASH_NEW;
        strcpy(jobs[i].password, "password123");
        jobs[i].done = job_done;
        jobs[i].arg = &w;
        if (rs_hashpool_submit(pool, &jobs[i]) == 0)
            queued++;
        else
            refused++;
    }
    /* One running (maybe) and two waiting: the rest are refused. */
    CU_ASSERT(queued >= 2 && queued <= 3);
    CU_ASSERT(refused == N - queued);
    pthread_mutex_lock(&w.lock);
    while (w.done < queued)
        pthread_cond_wait(&w.cond, &w.lock);
    pthread_mutex_unlock(&w.lock);
    for (int i = 0; i < queued; i++) {
        CU_ASSERT(jobs[i].result == 0);
        CU_ASSERT(rs_password_verify("password123", jobs[i].hash) == 0);
        CU_ASSERT(jobs[i].password[0] == '\0'); /* wiped */
    }
    rs_hashpool_free(pool);
}

static void
test_hashpool_stop_cancels_waiting_jobs(void)
{
    enum { N = 4 };
    struct rs_hashpool *pool = NULL;
    static struct rs_hash_job jobs[N];
    struct waiter w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    int cancelled = 0;

    CU_ASSERT_FATAL(rs_hashpool_new(1, N, 12, &pool) == 0);
    for (int i = 0; i < N; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].kind = RS_HASH_NEW;
        strcpy(jobs[i].password, "password123");
        jobs[i].done = job_done;
        jobs[i].arg = &w;
        CU_ASSERT(rs_hashpool_submit(pool, &jobs[i]) == 0);
    }
    rs_hashpool_stop(pool);
    CU_ASSERT(w.done == N); /* every callback ran before stop returned */
    for (int i = 0; i < N; i++)
        cancelled += jobs[i].result == RS_E_CANCELLED;
    CU_ASSERT(cancelled >= N - 1);
    CU_ASSERT(rs_hashpool_submit(pool, &jobs[0]) == RS_E_BUSY);
    rs_hashpool_free(pool);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_password_hash_is_bcrypt_2b_at_the_given_cost),
        TU_TEST(test_password_hashes_of_one_password_differ_by_salt),
        TU_TEST(test_password_verify_refuses_non_bcrypt_stored_values),
        TU_TEST(test_password_hash_refuses_over_72_bytes_and_bad_costs),
        TU_TEST(test_hashpool_runs_jobs_and_refuses_past_its_queue),
        TU_TEST(test_hashpool_stop_cancels_waiting_jobs),
        {NULL, NULL},
    };
    return tu_run_suite("password", tests);
}
