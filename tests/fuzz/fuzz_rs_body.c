/* Fuzz target: authref's JSON request bodies (reference/src/api/body.c: one
 * strict JSON object; validate.c: email and password rules; the field checks
 * of api/auth.c and api/tasks.c), through the real handlers on a store that
 * answers from fixed rows (support/rs_offline.h).
 *
 * The first byte chooses the request and what the store answers:
 *   bits 0-2  the endpoint: signup, signin, task create, replace, patch,
 *             signup again, signin again, create again (8 values)
 *   bit  3    Content-Type "application/json; charset=utf-8" instead of
 *             "application/json"
 *   bits 4-7  the store: no such user / inactive user / password mismatch /
 *             database down (one bit each)
 * The rest is the body. Every request must be answered exactly once, and a
 * body never earns a 500 (README: nothing answers 500 for bad input). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_check.h"
#include "rs_offline.h"

#define BODY_TASKS "/api/users/" RS_OFFLINE_USER "/tasks"
#define BODY_TASK BODY_TASKS "/0b8f2a4c-5d6e-4f70-8a91-b2c3d4e5f601"

static const struct {
    const char *method;
    const char *path;
} body_routes[8] = {
    {"POST", "/api/auth/signup"}, {"POST", "/api/auth/signin"}, {"POST", BODY_TASKS},
    {"PUT", BODY_TASK},           {"PATCH", BODY_TASK},         {"POST", "/api/auth/signup"},
    {"POST", "/api/auth/signin"}, {"POST", BODY_TASKS},
};

static bool
body_field(struct MHD_Connection *c, const char *name, const char *value)
{
    return rs_offline_field(c, name, strlen(name), value, strlen(value));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *bearer;
    struct rs_offline_store store = {0};
    static struct MHD_Connection conn; /* 32 KiB: not on the stack */
    unsigned route, status;
    char length[24];

    if (size == 0 || size > 70000)
        return 0;
    if (bearer == NULL) {
        char *token = rs_offline_token();
        FZ_CHECK(token != NULL);
        bearer = malloc(strlen(token) + 8);
        FZ_CHECK(bearer != NULL);
        memcpy(bearer, "Bearer ", 7);
        memcpy(bearer + 7, token, strlen(token) + 1);
        free(token); /* bearer lives for the process */
    }
    route = data[0] & 7;
    store.user_unknown = (data[0] & 0x10) != 0;
    store.user_inactive = (data[0] & 0x20) != 0;
    store.hash_mismatch = (data[0] & 0x40) != 0;
    store.db_down = (data[0] & 0x80) != 0;
    rs_offline_store_set(&store);

    memset(&conn, 0, sizeof conn);
    snprintf(length, sizeof length, "%zu", size - 1);
    FZ_CHECK(body_field(&conn, "Host", "127.0.0.1:8000") &&
             body_field(&conn, "Content-Type",
                        (data[0] & 8) ? "application/json; charset=utf-8" : "application/json") &&
             body_field(&conn, "Authorization", bearer) &&
             body_field(&conn, "Content-Length", length));

    status = rs_offline_serve(&conn, body_routes[route].method, body_routes[route].path, "HTTP/1.1",
                              (const char *)data + 1, size - 1);
    FZ_CHECK(status != 0 && status != 500);
    return 0;
}
