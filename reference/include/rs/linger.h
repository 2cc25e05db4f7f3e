#ifndef RS_LINGER_H
#define RS_LINGER_H
/*
 * Lingering close, as nginx does it: a connection that the server closes
 * while its client may still be sending (a body refused before it was read,
 * a request refused for its framing) is not closed at once. Closed, the
 * kernel would answer the client's next bytes with a reset, and a reset
 * destroys what the client has not read yet: the answer that explains the
 * refusal. Its socket, shut down for writing (the client sees the end of the
 * answer), is kept open and what the client sends is read and dropped, until
 * the client closes its side, RS_LINGER_QUIET_MS pass without a byte,
 * RS_LINGER_TOTAL_MS pass or RS_LINGER_MAX_BYTES were dropped; then it is
 * closed. Bounded: at most max_sockets at a time (more are closed at once).
 *
 * One thread waits on every lingering socket. rs_linger_take() may be called
 * from any thread; rs_linger_free() once, after the last take.
 */

#define RS_LINGER_QUIET_MS 1000
#define RS_LINGER_TOTAL_MS 5000
#define RS_LINGER_MAX_BYTES (16u << 20)

struct rs_linger;

/* *out new: free with rs_linger_free(). Returns 0, RS_E_NOMEM or RS_E_IO. */
int rs_linger_new(unsigned max_sockets, struct rs_linger **out);

/* Takes fd, a socket nobody else reads or writes any more: lingers on it,
 * or closes it at once when max_sockets already linger. */
void rs_linger_take(struct rs_linger *l, int fd);

/* Stops the thread and closes every socket still lingering. NULL-safe. */
void rs_linger_free(struct rs_linger *l);

#endif
