#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hx/runner.h"
#include "unit.h"

static struct hx_profile *
load_profile(void)
{
    char def[4096];
    struct hx_profile *p = NULL;
    struct hx_errlist errs;

    snprintf(def, sizeof def, "%s/fixtures/profiles/quickstart.json",
             getenv("AUTHCONFORM_DATA_DIR"));
    hx_errlist_init(&errs);
    CU_ASSERT_EQUAL_FATAL(hx_profile_load(def, def, &p, &errs), 0);
    hx_errlist_cleanup(&errs);
    return p;
}

static void
test_runner_skip_reasons_name_what_is_missing(void)
{
    struct hx_config cfg;
    struct hx_profile *p = load_profile();
    struct hx_scenario sc;
    char buf[256];
    char *keys[] = {"paths.nothing"};

    hx_config_init(&cfg);
    memset(&sc, 0, sizeof sc);
    cfg.target = strdup("http://127.0.0.1:1");
    CU_ASSERT_PTR_NULL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf));
    sc.needs = HX_NEED_SECRET;
    CU_ASSERT_STRING_EQUAL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf),
                           "needs the shared secret (--secret-file or --secret-env), or the "
                           "target's token key (--token-key) for RS*, PS*, ES* or EdDSA tokens");
    /* the target's token key stands for it (an EdDSA target) */
    cfg.token_key = (const struct hx_signing_key *)&sc;
    CU_ASSERT_PTR_NULL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf));
    cfg.token_key = NULL;
    cfg.secret = strdup("s");
    CU_ASSERT_PTR_NULL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf));
    sc.needs = HX_NEED_DATABASE;
    CU_ASSERT_STRING_EQUAL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf),
                           "needs the target's database (--database-url)");
    sc.needs = HX_NEED_TLS;
    CU_ASSERT_STRING_EQUAL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf),
                           "needs an https:// target");
    sc.needs = 0;
    sc.task_ops = HX_TASK_CREATE | HX_TASK_UPDATE;
    CU_ASSERT_PTR_NULL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf));
    /* a target without updates: the check is skipped, naming what is missing */
    p->task_ops = HX_TASK_LIST | HX_TASK_CREATE | HX_TASK_READ;
    CU_ASSERT_STRING_EQUAL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf),
                           "needs the tasks API's update, which the quickstart defines and "
                           "profile quickstart says the target does not offer (tasks.operations: "
                           "list, create, read): not judged, and not passed");
    sc.task_ops = HX_TASK_LIST;
    CU_ASSERT_PTR_NULL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf));
    sc.task_ops = 0;
    sc.need_keys = keys;
    sc.n_need_keys = 1;
    CU_ASSERT_STRING_EQUAL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf),
                           "needs paths.nothing in the profile (profile quickstart has none)");
    sc.n_need_keys = 0;
    sc.floods = true;
    CU_ASSERT_PTR_NULL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf));
    cfg.safe = true;
    CU_ASSERT_STRING_EQUAL(hx_run_skip_reason(&cfg, p, &sc, buf, sizeof buf),
                           "floods the target: skipped under --safe");
    hx_profile_free(p);
    hx_config_cleanup(&cfg);
}

static void
test_runner_seed_makes_the_run_id_reproducible(void)
{
    struct hx_config cfg;
    struct hx_profile *p = load_profile();
    struct hx_run *a = NULL, *b = NULL, *c = NULL;

    hx_config_init(&cfg);
    cfg.target = strdup("http://127.0.0.1:1/");
    cfg.has_seed = true;
    cfg.seed = 42;
    CU_ASSERT_EQUAL_FATAL(hx_run_new(&cfg, p, NULL, &a), 0);
    CU_ASSERT_EQUAL_FATAL(hx_run_new(&cfg, p, NULL, &b), 0);
    CU_ASSERT_STRING_EQUAL(hx_run_id(a), hx_run_id(b));
    CU_ASSERT_EQUAL(strlen(hx_run_id(a)), 8);
    cfg.has_seed = false;
    CU_ASSERT_EQUAL_FATAL(hx_run_new(&cfg, p, NULL, &c), 0);
    CU_ASSERT_STRING_NOT_EQUAL(hx_run_id(a), hx_run_id(c));
    hx_run_free(a);
    hx_run_free(b);
    hx_run_free(c);
    hx_profile_free(p);
    hx_config_cleanup(&cfg);
}

static void
test_runner_unreachable_target_makes_every_case_an_error(void)
{
    struct hx_config cfg;
    struct hx_profile *p = load_profile();
    struct hx_run *run = NULL;
    struct hx_result *r = hx_result_new("t", "p", "id");
    struct hx_scenario sc, *list[1] = {&sc};
    struct hx_step step = {.name = "s"};

    hx_config_init(&cfg);
    cfg.target = strdup("http://127.0.0.1:1");
    cfg.timeout_s = 2;
    memset(&sc, 0, sizeof sc);
    sc.id = "X-1";
    sc.title = "t";
    sc.group = "g";
    sc.file = "f";
    sc.steps = &step;
    sc.n_steps = 1;
    CU_ASSERT_EQUAL_FATAL(hx_run_new(&cfg, p, NULL, &run), 0);
    CU_ASSERT_EQUAL(hx_run_execute(run, list, 1, r, NULL), HX_E_UNREACHABLE);
    CU_ASSERT_EQUAL(r->n_cases, 1);
    CU_ASSERT_EQUAL(r->cases[0]->status, HX_STATUS_ERROR);
    CU_ASSERT_STRING_EQUAL(r->cases[0]->failure_type, "transport.unreachable");
    CU_ASSERT_PTR_NOT_NULL(strstr(r->cases[0]->message, "target unreachable"));
    hx_run_free(run);
    hx_result_free(r);
    hx_profile_free(p);
    hx_config_cleanup(&cfg);
}

/* ---- a loopback server that notes when each request arrived and ended ---- */

#define SEEN_MAX 64

struct seen {
    char path[64];
    double t0, t1;
};

struct slow_server {
    int fd;
    unsigned port;
    pthread_mutex_t lock;
    struct seen seen[SEEN_MAX];
    size_t n_seen;
};

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct slow_conn {
    struct slow_server *srv;
    int fd;
};

/* One connection: each request is answered 200 {} after 150 ms ("/slow")
 * or at once, and noted. */
static void *
slow_conn_main(void *arg)
{
    struct slow_conn *c = arg;
    char buf[8192];
    size_t have = 0;

    for (;;) {
        ssize_t got = recv(c->fd, buf + have, sizeof buf - 1 - have, 0);
        char *end, path[64] = "";
        double t0;
        if (got <= 0)
            break;
        have += (size_t)got;
        buf[have] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (end == NULL)
            continue;
        t0 = now_s();
        sscanf(buf, "%*s %63s", path);
        if (strcmp(path, "/slow") == 0)
            usleep(150 * 1000);
        /* noted before the answer leaves: the client cannot see an answer
         * whose request is not in the list yet */
        pthread_mutex_lock(&c->srv->lock);
        if (c->srv->n_seen < SEEN_MAX) {
            struct seen *s = &c->srv->seen[c->srv->n_seen++];
            snprintf(s->path, sizeof s->path, "%s", path);
            s->t0 = t0;
            s->t1 = now_s();
        }
        pthread_mutex_unlock(&c->srv->lock);
        {
            static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                         "Content-Length: 2\r\n\r\n{}";
            if (send(c->fd, answer, sizeof answer - 1, MSG_NOSIGNAL) < 0)
                break;
        }
        /* requests without bodies only: drop what was read */
        have = 0;
    }
    close(c->fd);
    free(c);
    return NULL;
}

static void *
slow_accept_main(void *arg)
{
    struct slow_server *srv = arg;
    for (;;) {
        int fd = accept(srv->fd, NULL, NULL);
        struct slow_conn *c;
        pthread_t t;
        if (fd < 0)
            return NULL;
        c = malloc(sizeof *c);
        c->srv = srv;
        c->fd = fd;
        pthread_create(&t, NULL, slow_conn_main, c);
        pthread_detach(t);
    }
}

static void
slow_server_start(struct slow_server *srv)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    pthread_t t;

    memset(srv, 0, sizeof *srv);
    pthread_mutex_init(&srv->lock, NULL);
    srv->fd = socket(AF_INET, SOCK_STREAM, 0);
    CU_ASSERT_FATAL(srv->fd >= 0);
    CU_ASSERT_FATAL(bind(srv->fd, (struct sockaddr *)&a, sizeof a) == 0);
    CU_ASSERT_FATAL(listen(srv->fd, 64) == 0);
    getsockname(srv->fd, (struct sockaddr *)&a, &len);
    srv->port = ntohs(a.sin_port);
    pthread_create(&t, NULL, slow_accept_main, srv);
    pthread_detach(t);
}

/* A scenario of one GET of path. */
static struct hx_scenario *
one_get(const char *id, const char *path, bool exclusive)
{
    struct hx_scenario *sc = calloc(1, sizeof *sc);
    sc->id = strdup(id);
    sc->title = strdup(id);
    sc->group = strdup("g");
    sc->file = strdup("f");
    sc->exclusive = exclusive;
    sc->doc = json_pack("{s:s,s:s}", "method", "GET", "path", path);
    sc->steps = calloc(1, sizeof *sc->steps);
    sc->steps[0].name = strdup("get");
    sc->steps[0].request = sc->doc;
    sc->n_steps = 1;
    return sc;
}

static void
test_runner_runs_an_exclusive_scenario_alone_before_the_others(void)
{
    struct slow_server srv;
    struct hx_config cfg;
    struct hx_profile *p = load_profile();
    struct hx_run *run = NULL;
    struct hx_result *r = hx_result_new("t", "p", "id");
    struct hx_scenario *list[4];
    char target[64];
    double x0 = 0, x1 = 0;
    size_t n_slow = 0;

    slow_server_start(&srv);
    /* the exclusive one comes last in the list */
    list[0] = one_get("X-SLOW-1", "/slow", false);
    list[1] = one_get("X-SLOW-2", "/slow", false);
    list[2] = one_get("X-SLOW-3", "/slow", false);
    list[3] = one_get("X-ALONE", "/alone", true);
    hx_config_init(&cfg);
    snprintf(target, sizeof target, "http://127.0.0.1:%u", srv.port);
    cfg.target = strdup(target);
    cfg.jobs = 4;
    cfg.timeout_s = 10;
    CU_ASSERT_EQUAL_FATAL(hx_run_new(&cfg, p, NULL, &run), 0);
    CU_ASSERT_EQUAL(hx_run_execute(run, list, 4, r, NULL), 0);
    pthread_mutex_lock(&srv.lock);
    CU_ASSERT_EQUAL(r->n_cases, 4);
    /* the report keeps the order of the list */
    CU_ASSERT_STRING_EQUAL(r->cases[3]->id, "X-ALONE");
    for (size_t i = 0; i < r->n_cases; i++)
        CU_ASSERT_EQUAL(r->cases[i]->status, HX_STATUS_PASS);
    for (size_t i = 0; i < srv.n_seen; i++)
        if (strcmp(srv.seen[i].path, "/alone") == 0) {
            x0 = srv.seen[i].t0;
            x1 = srv.seen[i].t1;
        }
    CU_ASSERT(x0 > 0);
    for (size_t i = 0; i < srv.n_seen; i++) {
        if (strcmp(srv.seen[i].path, "/slow") != 0)
            continue;
        n_slow++;
        /* every other request arrived after the exclusive one ended */
        CU_ASSERT(srv.seen[i].t0 >= x1);
    }
    CU_ASSERT_EQUAL(n_slow, 3);
    /* ... and the others ran side by side, not one after another */
    {
        double last_start = 0, first_end = 1e300;
        for (size_t i = 0; i < srv.n_seen; i++)
            if (strcmp(srv.seen[i].path, "/slow") == 0) {
                if (srv.seen[i].t0 > last_start)
                    last_start = srv.seen[i].t0;
                if (srv.seen[i].t1 < first_end)
                    first_end = srv.seen[i].t1;
            }
        CU_ASSERT(last_start < first_end);
    }
    pthread_mutex_unlock(&srv.lock);
    hx_run_free(run);
    hx_result_free(r);
    hx_profile_free(p);
    hx_config_cleanup(&cfg);
    for (size_t i = 0; i < 4; i++) {
        json_decref(list[i]->doc);
        list[i]->doc = NULL;
        free(list[i]->steps[0].name);
        free(list[i]->steps);
        free(list[i]->id);
        free(list[i]->title);
        free(list[i]->group);
        free(list[i]->file);
        free(list[i]);
    }
    close(srv.fd);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_runner_skip_reasons_name_what_is_missing),
        TU_TEST(test_runner_seed_makes_the_run_id_reproducible),
        TU_TEST(test_runner_unreachable_target_makes_every_case_an_error),
        TU_TEST(test_runner_runs_an_exclusive_scenario_alone_before_the_others),
        {NULL, NULL},
    };
    return tu_run_suite("runner", tests);
}
