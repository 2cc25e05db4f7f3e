/* Quiet moments on the target: a holder waits for the wire to empty, and
 * no other request leaves while it holds. */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "hx/quiet.h"
#include "unit.h"

static void
nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

struct sender {
    struct hx_quiet *q;
    atomic_bool sent;  /* entered the wire */
    atomic_bool leave; /* told to end its request */
};

static void *
sender_main(void *arg)
{
    struct sender *s = arg;
    hx_quiet_enter(s->q);
    atomic_store(&s->sent, true);
    while (!atomic_load(&s->leave))
        nap_ms(1);
    hx_quiet_leave(s->q);
    return NULL;
}

struct holder {
    struct hx_quiet *q;
    atomic_bool holding;
};

static void *
holder_main(void *arg)
{
    struct holder *h = arg;
    hx_quiet_hold(h->q);
    atomic_store(&h->holding, true);
    return NULL;
}

static void
test_quiet_counts_requests_and_refuses_the_loop_while_held(void)
{
    struct hx_quiet q;

    CU_ASSERT_EQUAL_FATAL(hx_quiet_init(&q), 0);
    CU_ASSERT_TRUE(hx_quiet_try_enter(&q));
    hx_quiet_enter(&q);
    CU_ASSERT_EQUAL(q.on_wire, 2);
    hx_quiet_leave(&q);
    hx_quiet_leave(&q);
    CU_ASSERT_EQUAL(q.on_wire, 0);
    hx_quiet_leave(&q); /* an extra leave never underflows */
    CU_ASSERT_EQUAL(q.on_wire, 0);

    hx_quiet_hold(&q); /* nothing on the wire: at once */
    CU_ASSERT_FALSE(hx_quiet_try_enter(&q));
    CU_ASSERT_EQUAL(q.on_wire, 0);
    hx_quiet_enter_now(&q); /* the loop's blocking send goes whatever the hold */
    CU_ASSERT_EQUAL(q.on_wire, 1);
    hx_quiet_leave(&q);
    hx_quiet_release(&q);
    CU_ASSERT_TRUE(hx_quiet_try_enter(&q));
    hx_quiet_leave(&q);
    CU_ASSERT_EQUAL(q.holds, 1);
    hx_quiet_cleanup(&q);
}

static void
test_quiet_hold_waits_for_the_wire_to_empty(void)
{
    struct hx_quiet q;
    struct sender s = {.q = &q};
    struct holder h = {.q = &q};
    pthread_t ts, th;

    CU_ASSERT_EQUAL_FATAL(hx_quiet_init(&q), 0);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&ts, NULL, sender_main, &s), 0);
    while (!atomic_load(&s.sent))
        nap_ms(1);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, holder_main, &h), 0);
    nap_ms(50);
    /* the sender's request is still on the wire: no hold yet, and the
     * loop may no longer send (the hold is asked for) */
    CU_ASSERT_FALSE(atomic_load(&h.holding));
    CU_ASSERT_FALSE(hx_quiet_try_enter(&q));
    atomic_store(&s.leave, true);
    pthread_join(ts, NULL);
    pthread_join(th, NULL);
    CU_ASSERT_TRUE(atomic_load(&h.holding));
    CU_ASSERT_EQUAL(q.on_wire, 0);
    hx_quiet_release(&q);
    hx_quiet_cleanup(&q);
}

static void
test_quiet_holds_other_requests_back_until_released(void)
{
    struct hx_quiet q;
    struct sender s = {.q = &q};
    struct holder second = {.q = &q};
    pthread_t ts, th;

    CU_ASSERT_EQUAL_FATAL(hx_quiet_init(&q), 0);
    hx_quiet_hold(&q);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&ts, NULL, sender_main, &s), 0);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, holder_main, &second), 0);
    nap_ms(50);
    CU_ASSERT_FALSE(atomic_load(&s.sent));          /* held back */
    CU_ASSERT_FALSE(atomic_load(&second.holding)); /* one holder at a time */
    hx_quiet_release(&q);
    /* either the sender goes first (and the second holder waits for it to
     * end) or the second holder does (and the sender waits for its release) */
    while (!atomic_load(&s.sent) && !atomic_load(&second.holding))
        nap_ms(1);
    if (atomic_load(&second.holding)) {
        CU_ASSERT_FALSE(atomic_load(&s.sent));
        hx_quiet_release(&q);
        while (!atomic_load(&s.sent))
            nap_ms(1);
        atomic_store(&s.leave, true);
        pthread_join(ts, NULL);
        pthread_join(th, NULL);
    } else {
        nap_ms(20);
        CU_ASSERT_FALSE(atomic_load(&second.holding));
        atomic_store(&s.leave, true);
        pthread_join(ts, NULL);
        pthread_join(th, NULL);
        CU_ASSERT_TRUE(atomic_load(&second.holding));
        hx_quiet_release(&q);
    }
    CU_ASSERT_EQUAL(q.on_wire, 0);
    hx_quiet_cleanup(&q);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_quiet_counts_requests_and_refuses_the_loop_while_held),
        TU_TEST(test_quiet_hold_waits_for_the_wire_to_empty),
        TU_TEST(test_quiet_holds_other_requests_back_until_released),
        {NULL, NULL},
    };
    return tu_run_suite("quiet", tests);
}
