#ifndef RS_CTX_H
#define RS_CTX_H
/*
 * The state of one running server, shared by every HTTP thread (it is MHD's
 * closure pointer). After rs_server_start() the fields are read-only; the
 * objects they point to state their own locking rules.
 */
#include <stdbool.h>

#include "rs/config.h"

struct rs_db;
struct rs_hashpool;

#define RS_HASH_MAX 128

struct rs_ctx {
    const struct rs_config *cfg;  /* borrowed */
    struct rs_db *db;             /* thread-safe pool */
    struct rs_hashpool *hashes;   /* thread-safe queue */
    char dummy_hash[RS_HASH_MAX]; /* verified against when the email is unknown */
    bool tls;                     /* the API listener speaks HTTPS */
    bool cookie_secure;           /* cookies carry Secure */
};

#endif
