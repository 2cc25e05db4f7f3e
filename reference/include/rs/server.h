#ifndef RS_SERVER_H
#define RS_SERVER_H
/*
 * A running authref: database pool (schema migrated), bcrypt pool, the HTTP
 * (or HTTPS) daemon and the optional redirect listener.
 */
#include "rs/config.h"

struct rs_server;

/* Starts everything cfg describes (cfg is borrowed and must outlive the
 * server). Waits up to 30 s for the database. Returns 0 and *out new
 * (rs_server_stop()), or RS_E_DB, RS_E_HTTP, RS_E_IO, RS_E_NOMEM. */
int rs_server_start(const struct rs_config *cfg, struct rs_server **out);

/* The bound port of the API listener, and of the redirect listener (0 when none). */
unsigned rs_server_port(const struct rs_server *s);
unsigned rs_server_redirect_port(const struct rs_server *s);

/* Stops accepting, cancels queued bcrypt work, closes every connection and
 * frees everything. NULL-safe. */
void rs_server_stop(struct rs_server *s);

/* Writes port and a newline to path atomically (path.tmp, then rename). */
int rs_server_write_port_file(const char *path, unsigned port);

#endif
