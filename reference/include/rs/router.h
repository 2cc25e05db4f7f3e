#ifndef RS_ROUTER_H
#define RS_ROUTER_H
/*
 * Method + path -> handler. The table in router.c is the one list of the
 * API's routes (the OpenAPI test reads it). Paths are matched raw, without
 * percent-decoding: a path parameter is compared byte for byte.
 */
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "rs/request.h"

#define RS_PATH_MAX 2048

enum rs_route_flag {
    RS_ROUTE_OWNER = 1, /* {user_id} must be the token's user */
};

enum rs_method_flag {
    /* The handler checks the token's account in its own database round
     * trip (see rs_guard_account); the router does not. */
    RS_METHOD_CHECKS_ACCOUNT = 1,
};

struct rs_route_method {
    const char *method;
    rs_handler_fn fn;
    unsigned flags;
};

struct rs_route {
    const char *pattern; /* "/api/users/{user_id}/tasks", placeholders {user_id} {task_id} */
    unsigned flags;
    struct rs_route_method methods[6]; /* ends with {NULL, NULL} */
};

/* Borrowed: the route table, *n entries. */
const struct rs_route *rs_router_routes(size_t *n);

/* The whole path of a request after its body has arrived: guards, routing,
 * handler. Also the re-entry point after a suspension. */
enum MHD_Result rs_router_dispatch(struct rs_request *r);

#endif
