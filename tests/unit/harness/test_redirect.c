/* hx_redirect_same_route: which redirects the harness follows on its own. */
#include <stdlib.h>
#include <string.h>

#include "hx/http.h"
#include "hx/redirect.h"
#include "unit.h"

/* Whether url answered with `status` and Location `location` is followed;
 * when it is, the URL requested next is copied into next (else ""). */
static bool
follows(const char *url, long status, const char *location, char *next, size_t size)
{
    struct hx_header h = {(char *)"Location", (char *)location};
    struct hx_response r;
    char *to = NULL;
    bool yes;

    memset(&r, 0, sizeof r);
    r.status = status;
    r.headers = location != NULL ? &h : NULL;
    r.n_headers = location != NULL ? 1 : 0;
    yes = hx_redirect_same_route(url, &r, &to);
    snprintf(next, size, "%s", to != NULL ? to : "");
    free(to);
    return yes;
}

static void
test_a_trailing_slash_on_the_same_origin_is_followed(void)
{
    char next[512];
    CU_ASSERT_TRUE(follows("http://127.0.0.1:8000/api/users/7/tasks", 307,
                           "http://127.0.0.1:8000/api/users/7/tasks/", next, sizeof next));
    CU_ASSERT_STRING_EQUAL(next, "http://127.0.0.1:8000/api/users/7/tasks/");
    /* relative Location, and the other direction, and 308 */
    CU_ASSERT_TRUE(follows("http://127.0.0.1:8000/api/users/7/tasks", 307, "/api/users/7/tasks/",
                           next, sizeof next));
    CU_ASSERT_STRING_EQUAL(next, "http://127.0.0.1:8000/api/users/7/tasks/");
    CU_ASSERT_TRUE(follows("http://127.0.0.1:8000/api/users/7/tasks/", 308, "/api/users/7/tasks",
                           next, sizeof next));
    CU_ASSERT_STRING_EQUAL(next, "http://127.0.0.1:8000/api/users/7/tasks");
    /* the default port written out is the same origin */
    CU_ASSERT_TRUE(follows("http://example.test/a", 307, "http://EXAMPLE.test:80/a/", next,
                           sizeof next));
    /* the query goes along */
    CU_ASSERT_TRUE(follows("http://h.test/a?x=1", 307, "/a/?x=1", next, sizeof next));
    CU_ASSERT_STRING_EQUAL(next, "http://h.test/a/?x=1");
}

static void
test_another_origin_is_never_followed(void)
{
    char next[512];
    CU_ASSERT_FALSE(follows("http://127.0.0.1:8000/a", 307, "http://localhost:8000/a/", next,
                            sizeof next));
    CU_ASSERT_STRING_EQUAL(next, "");
    CU_ASSERT_FALSE(follows("http://127.0.0.1:8000/a", 307, "http://127.0.0.1:8001/a/", next,
                            sizeof next));
    CU_ASSERT_FALSE(
        follows("http://127.0.0.1:8000/a", 307, "https://127.0.0.1:8000/a/", next, sizeof next));
    CU_ASSERT_FALSE(
        follows("http://127.0.0.1:8000/a", 307, "//evil.test/a/", next, sizeof next));
    /* nor a Location that brings credentials of its own */
    CU_ASSERT_FALSE(follows("http://127.0.0.1:8000/a", 307, "http://user:pw@127.0.0.1:8000/a/",
                            next, sizeof next));
}

static void
test_another_route_or_status_is_not_followed(void)
{
    char next[512];
    CU_ASSERT_FALSE(follows("http://h.test/api/tasks", 307, "/login", next, sizeof next));
    CU_ASSERT_FALSE(follows("http://h.test/api/tasks", 307, "/api/tasks//", next, sizeof next));
    CU_ASSERT_FALSE(follows("http://h.test/api/tasks", 307, "/api/tasks/x", next, sizeof next));
    CU_ASSERT_FALSE(follows("http://h.test/api/tasks", 307, "/api/tasks/?page=2", next, sizeof next));
    CU_ASSERT_FALSE(follows("http://h.test/", 307, "/", next, sizeof next));
    /* 301/302/303 may turn a POST into a GET: not the same request */
    CU_ASSERT_FALSE(follows("http://h.test/api/tasks", 301, "/api/tasks/", next, sizeof next));
    CU_ASSERT_FALSE(follows("http://h.test/api/tasks", 302, "/api/tasks/", next, sizeof next));
    CU_ASSERT_FALSE(follows("http://h.test/api/tasks", 303, "/api/tasks/", next, sizeof next));
    CU_ASSERT_FALSE(follows("http://h.test/api/tasks", 200, "/api/tasks/", next, sizeof next));
    CU_ASSERT_FALSE(follows("http://h.test/api/tasks", 307, NULL, next, sizeof next));
    CU_ASSERT_FALSE(follows("http://h.test/api/tasks", 307, "", next, sizeof next));
    CU_ASSERT_FALSE(follows("http://h.test/api/tasks", 307, "http://[::1", next, sizeof next));
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_a_trailing_slash_on_the_same_origin_is_followed),
        TU_TEST(test_another_origin_is_never_followed),
        TU_TEST(test_another_route_or_status_is_not_followed),
        {NULL, NULL},
    };
    return tu_run_suite("redirect", tests);
}
