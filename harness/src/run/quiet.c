/* Quiet moments on the target for a measuring check (hx/quiet.h). */
#include "hx/quiet.h"

#include "cmn/clock.h"

int
hx_quiet_init(struct hx_quiet *q)
{
    *q = (struct hx_quiet){0};
    if (pthread_mutex_init(&q->lock, NULL) != 0)
        return -1;
    if (pthread_cond_init(&q->changed, NULL) != 0) {
        pthread_mutex_destroy(&q->lock);
        return -1;
    }
    return 0;
}

void
hx_quiet_cleanup(struct hx_quiet *q)
{
    pthread_cond_destroy(&q->changed);
    pthread_mutex_destroy(&q->lock);
}

void
hx_quiet_enter(struct hx_quiet *q)
{
    pthread_mutex_lock(&q->lock);
    while (q->held)
        pthread_cond_wait(&q->changed, &q->lock);
    q->on_wire++;
    pthread_mutex_unlock(&q->lock);
}

bool
hx_quiet_try_enter(struct hx_quiet *q)
{
    bool ok;
    pthread_mutex_lock(&q->lock);
    ok = !q->held;
    if (ok)
        q->on_wire++;
    pthread_mutex_unlock(&q->lock);
    return ok;
}

void
hx_quiet_enter_now(struct hx_quiet *q)
{
    pthread_mutex_lock(&q->lock);
    q->on_wire++;
    pthread_mutex_unlock(&q->lock);
}

void
hx_quiet_leave(struct hx_quiet *q)
{
    pthread_mutex_lock(&q->lock);
    if (q->on_wire > 0)
        q->on_wire--;
    if (q->on_wire == 0)
        pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
}

void
hx_quiet_hold(struct hx_quiet *q)
{
    double start;

    pthread_mutex_lock(&q->lock);
    while (q->held)
        pthread_cond_wait(&q->changed, &q->lock);
    q->held = true;
    start = cmn_clock_now_s();
    while (q->on_wire > 0)
        pthread_cond_wait(&q->changed, &q->lock);
    q->holds++;
    q->waited += cmn_clock_now_s() - start;
    pthread_mutex_unlock(&q->lock);
}

void
hx_quiet_release(struct hx_quiet *q)
{
    pthread_mutex_lock(&q->lock);
    q->held = false;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
}
