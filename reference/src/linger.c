#include "rs/linger.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cmn/log.h"
#include "rs/error.h"

struct linger_socket {
    int fd; /* -1: a free slot */
    int64_t started_ms;
    int64_t last_read_ms;
    size_t dropped;
};

/* The table is shared by the takers and the thread: mutex. The epoll and
 * event descriptors are set before the thread starts. */
struct rs_linger {
    pthread_mutex_t mutex;
    struct linger_socket *sockets;
    unsigned max_sockets;
    unsigned lingering;
    bool stop;
    int epoll_fd;
    int wake_fd; /* eventfd: a socket was added (new deadlines), or stop */
    pthread_t thread;
    bool thread_started;
};

static int64_t
linger_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Closes slot s. Called with the mutex held. */
static void
linger_close(struct rs_linger *l, struct linger_socket *s)
{
    epoll_ctl(l->epoll_fd, EPOLL_CTL_DEL, s->fd, NULL);
    close(s->fd);
    s->fd = -1;
    l->lingering--;
}

/* Reads and drops what the client sent; closes the slot at its end. Called
 * with the mutex held. */
static void
linger_drain(struct rs_linger *l, struct linger_socket *s, int64_t now)
{
    char sink[16384];

    for (;;) {
        ssize_t n = recv(s->fd, sink, sizeof sink, MSG_DONTWAIT);
        if (n > 0) {
            s->dropped += (size_t)n;
            s->last_read_ms = now;
            if (s->dropped >= RS_LINGER_MAX_BYTES)
                break;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n < 0 && errno == EINTR)
            continue;
        break; /* the client closed its side, or the connection failed */
    }
    linger_close(l, s);
}

/* Closes the slots past their time; returns how long until the next one is
 * due (ms), -1 when none lingers. Called with the mutex held. */
static int
linger_expire(struct rs_linger *l, int64_t now)
{
    int64_t next = -1;

    for (unsigned i = 0; i < l->max_sockets; i++) {
        struct linger_socket *s = &l->sockets[i];
        int64_t due;
        if (s->fd < 0)
            continue;
        due = s->last_read_ms + RS_LINGER_QUIET_MS;
        if (due > s->started_ms + RS_LINGER_TOTAL_MS)
            due = s->started_ms + RS_LINGER_TOTAL_MS;
        if (due <= now) {
            linger_close(l, s);
            continue;
        }
        if (next < 0 || due - now < next)
            next = due - now;
    }
    return (int)next;
}

static void *
linger_run(void *arg)
{
    struct rs_linger *l = arg;
    struct epoll_event ev[32];
    int wait_ms = -1;

    for (;;) {
        int n = epoll_wait(l->epoll_fd, ev, 32, wait_ms);
        int64_t now = linger_now_ms();

        pthread_mutex_lock(&l->mutex);
        if (l->stop) {
            pthread_mutex_unlock(&l->mutex);
            return NULL;
        }
        for (int i = 0; i < n; i++) {
            uint32_t slot = ev[i].data.u32; /* UINT32_MAX: the wake event */
            uint64_t count;
            if (slot == UINT32_MAX) {
                if (read(l->wake_fd, &count, sizeof count) < 0 && errno != EAGAIN)
                    cmn_log(CMN_LOG_WARN, "linger: cannot read the wake event");
            } else if (slot < l->max_sockets && l->sockets[slot].fd >= 0) {
                linger_drain(l, &l->sockets[slot], now);
            }
        }
        wait_ms = linger_expire(l, now);
        pthread_mutex_unlock(&l->mutex);
    }
}

int
rs_linger_new(unsigned max_sockets, struct rs_linger **out)
{
    struct rs_linger *l = calloc(1, sizeof *l);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = UINT32_MAX};
    int rc = RS_E_IO;

    if (l == NULL)
        return RS_E_NOMEM;
    pthread_mutex_init(&l->mutex, NULL);
    l->epoll_fd = -1;
    l->wake_fd = -1;
    l->max_sockets = max_sockets;
    l->sockets = calloc(max_sockets, sizeof *l->sockets);
    if (l->sockets == NULL) {
        rc = RS_E_NOMEM;
        goto fail;
    }
    for (unsigned i = 0; i < max_sockets; i++)
        l->sockets[i].fd = -1;
    l->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    l->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (l->epoll_fd < 0 || l->wake_fd < 0 ||
        epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, l->wake_fd, &ev) != 0)
        goto fail;
    if (pthread_create(&l->thread, NULL, linger_run, l) != 0)
        goto fail;
    l->thread_started = true;
    *out = l;
    return 0;
fail:
    cmn_log(CMN_LOG_ERROR, "linger: cannot start");
    rs_linger_free(l);
    return rc;
}

static void
linger_wake(struct rs_linger *l)
{
    uint64_t one = 1;
    if (write(l->wake_fd, &one, sizeof one) != (ssize_t)sizeof one)
        cmn_log(CMN_LOG_WARN, "linger: cannot wake the thread");
}

void
rs_linger_take(struct rs_linger *l, int fd)
{
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP};
    int64_t now = linger_now_ms();

    shutdown(fd, SHUT_WR);
    pthread_mutex_lock(&l->mutex);
    if (!l->stop && l->lingering < l->max_sockets) {
        for (unsigned i = 0; i < l->max_sockets; i++) {
            struct linger_socket *s = &l->sockets[i];
            if (s->fd >= 0)
                continue;
            ev.data.u32 = i;
            if (epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0)
                break;
            *s = (struct linger_socket){.fd = fd, .started_ms = now, .last_read_ms = now};
            l->lingering++;
            pthread_mutex_unlock(&l->mutex);
            linger_wake(l); /* its deadline may come before the thread's next one */
            return;
        }
    }
    pthread_mutex_unlock(&l->mutex);
    close(fd);
}

void
rs_linger_free(struct rs_linger *l)
{
    if (l == NULL)
        return;
    if (l->thread_started) {
        pthread_mutex_lock(&l->mutex);
        l->stop = true;
        pthread_mutex_unlock(&l->mutex);
        linger_wake(l);
        pthread_join(l->thread, NULL);
    }
    for (unsigned i = 0; l->sockets != NULL && i < l->max_sockets; i++)
        if (l->sockets[i].fd >= 0)
            linger_close(l, &l->sockets[i]);
    if (l->epoll_fd >= 0)
        close(l->epoll_fd);
    if (l->wake_fd >= 0)
        close(l->wake_fd);
    pthread_mutex_destroy(&l->mutex);
    free(l->sockets);
    free(l);
}
