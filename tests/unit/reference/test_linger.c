/* rs_linger: sockets closed under a sending client are drained, then closed
 * when the client closes, falls quiet, or the table is full. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "rs/linger.h"
#include "unit.h"

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds until the peer of client sees the end of the stream (at most
 * timeout_s; -1 when it does not). */
static double
seconds_to_eof(int client, double timeout_s)
{
    double t0 = now_s();
    char buf[256];

    while (now_s() - t0 < timeout_s) {
        struct pollfd p = {.fd = client, .events = POLLIN};
        ssize_t n;
        if (poll(&p, 1, 50) <= 0)
            continue;
        n = recv(client, buf, sizeof buf, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN))
            return now_s() - t0;
    }
    return -1;
}

/* Whether the client side sees the server side fully closed (POLLHUP; a
 * shutdown for writing alone gives only POLLRDHUP). Sends nothing, which
 * would count as the client still sending. */
static bool
peer_gone(int client)
{
    struct pollfd p = {.fd = client, .events = 0};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLHUP);
}

static void
test_linger_drains_what_the_client_still_sends(void)
{
    struct rs_linger *l = NULL;
    int sv[2];
    char block[65536];

    CU_ASSERT_FATAL(rs_linger_new(4, &l) == 0);
    CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
    rs_linger_take(l, sv[0]);
    memset(block, 'a', sizeof block);
    /* 1 MiB: more than the socket buffers hold, so it is read on the other side. */
    for (int i = 0; i < 16; i++) {
        size_t sent = 0;
        double t0 = now_s();
        while (sent < sizeof block && now_s() - t0 < 2) {
            ssize_t n = send(sv[1], block + sent, sizeof block - sent, MSG_NOSIGNAL);
            if (n > 0)
                sent += (size_t)n;
            else
                CU_ASSERT_FATAL(errno == EAGAIN);
        }
        CU_ASSERT_FATAL(sent == sizeof block);
    }
    close(sv[1]);
    rs_linger_free(l);
}

static void
test_linger_closes_a_quiet_socket_after_the_quiet_time(void)
{
    struct rs_linger *l = NULL;
    int sv[2];
    double t;

    CU_ASSERT_FATAL(rs_linger_new(4, &l) == 0);
    CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
    rs_linger_take(l, sv[0]);
    /* The client sees the end of the answer at once (shut down for writing)... */
    CU_ASSERT(seconds_to_eof(sv[1], 0.5) >= 0);
    /* ...and the socket goes away after RS_LINGER_QUIET_MS without a byte. */
    t = now_s();
    while (!peer_gone(sv[1]) && now_s() - t < 3)
        usleep(20 * 1000);
    t = now_s() - t;
    CU_ASSERT(t >= RS_LINGER_QUIET_MS / 1000.0 - 0.2);
    CU_ASSERT(t < RS_LINGER_QUIET_MS / 1000.0 + 0.5);
    close(sv[1]);
    rs_linger_free(l);
}

static void
test_linger_closes_at_once_when_the_client_closes(void)
{
    struct rs_linger *l = NULL;
    int sv[2];

    CU_ASSERT_FATAL(rs_linger_new(4, &l) == 0);
    CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
    rs_linger_take(l, sv[0]);
    CU_ASSERT(send(sv[1], "tail", 4, MSG_NOSIGNAL) == 4);
    shutdown(sv[1], SHUT_WR);
    {
        double t0 = now_s();
        while (!peer_gone(sv[1]) && now_s() - t0 < 3)
            usleep(10 * 1000);
        CU_ASSERT(now_s() - t0 < 0.5);
    }
    close(sv[1]);
    rs_linger_free(l);
}

static void
test_linger_closes_at_once_when_full(void)
{
    struct rs_linger *l = NULL;
    int a[2], b[2];

    CU_ASSERT_FATAL(rs_linger_new(1, &l) == 0);
    CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, a) == 0);
    CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, b) == 0);
    rs_linger_take(l, a[0]);
    rs_linger_take(l, b[0]); /* no room: closed */
    CU_ASSERT(peer_gone(b[1]));
    CU_ASSERT(!peer_gone(a[1]));
    close(a[1]);
    close(b[1]);
    rs_linger_free(l);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_linger_drains_what_the_client_still_sends),
        TU_TEST(test_linger_closes_a_quiet_socket_after_the_quiet_time),
        TU_TEST(test_linger_closes_at_once_when_the_client_closes),
        TU_TEST(test_linger_closes_at_once_when_full),
        {NULL, NULL},
    };
    return tu_run_suite("linger", tests);
}
