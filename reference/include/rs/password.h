#ifndef RS_PASSWORD_H
#define RS_PASSWORD_H
/*
 * bcrypt ($2b$) hashing and verification, and a bounded pool of worker
 * threads that runs them away from the HTTP threads.
 *
 * Locking: rs_hashpool_submit() may be called from any thread; the pool
 * keeps its own mutex. A job belongs to the pool from submit until its done
 * callback returns; the submitter must not touch it in between.
 */
#include <stddef.h>

#define RS_PASSWORD_MAX_BYTES 72
#define RS_PASSWORD_MIN_CHARS 8
#define RS_BCRYPT_HASH_MAX 128

/* Writes a new bcrypt hash of password at cost into out. Returns 0,
 * RS_E_INVAL (password too long, bad cost) or RS_E_NOMEM. */
int rs_password_hash(const char *password, int cost, char *out, size_t out_size);

/* Returns 0 when password matches stored, RS_E_MISMATCH when it does not,
 * RS_E_INVAL when stored is not a bcrypt hash (never verified as anything
 * else: libxcrypt would fall back to DES). The time taken does not depend on
 * where the first difference lies. */
int rs_password_verify(const char *password, const char *stored);

/* Returns the cost of a $2b$ hash, or -1. */
int rs_password_cost(const char *stored);

enum rs_hash_kind { RS_HASH_NEW, RS_HASH_VERIFY };

struct rs_hash_job {
    enum rs_hash_kind kind;
    char password[RS_PASSWORD_MAX_BYTES + 1]; /* wiped when the job is done */
    char hash[RS_BCRYPT_HASH_MAX];            /* VERIFY: in (stored); NEW: out */
    int result;                               /* 0, RS_E_MISMATCH, RS_E_CANCELLED, ... */
    void (*done)(struct rs_hash_job *job, void *arg);
    void *arg;
    struct rs_hash_job *next; /* the pool's queue link */
};

struct rs_hashpool;

/* Returns new (rs_hashpool_free()): workers threads, at most queue_max jobs
 * waiting, hashing at cost. */
int rs_hashpool_new(unsigned workers, unsigned queue_max, int cost, struct rs_hashpool **out);

/* Queues job. Returns 0, or RS_E_BUSY when queue_max jobs wait already
 * (then done is not called). */
int rs_hashpool_submit(struct rs_hashpool *pool, struct rs_hash_job *job);

/* Jobs waiting now (for tests and logs). */
unsigned rs_hashpool_pending(struct rs_hashpool *pool);

/* Stops the workers: running jobs finish, waiting jobs complete with
 * RS_E_CANCELLED; every done callback has returned when this returns.
 * Later submits fail with RS_E_BUSY. Idempotent. */
void rs_hashpool_stop(struct rs_hashpool *pool);

/* Stops (if needed) and frees. NULL-safe. */
void rs_hashpool_free(struct rs_hashpool *pool);

#endif
