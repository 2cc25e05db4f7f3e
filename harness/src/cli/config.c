#include "hx/config.h"

#include <stdlib.h>
#include <string.h>

#include "hx/error.h"

void
hx_config_init(struct hx_config *c)
{
    memset(c, 0, sizeof *c);
    c->jobs = HX_DEFAULT_JOBS;
    c->timeout_s = HX_DEFAULT_TIMEOUT_S;
    c->fail_on = HX_SEV_INFO;
}

static void
config_free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

void
hx_config_cleanup(struct hx_config *c)
{
    free(c->target);
    free(c->auth_target);
    free(c->profile);
    config_free_list(c->scenarios, c->n_scenarios);
    config_free_list(c->filters, c->n_filters);
    if (c->secret != NULL) {
        explicit_bzero(c->secret, strlen(c->secret));
        free(c->secret);
    }
    free(c->secret_from);
    free(c->database_url);
    free(c->origin);
    free(c->repo);
    free(c->junit);
    free(c->sarif);
    free(c->waivers);
    free(c->baseline);
    free(c->report_dir);
    free(c->cacert);
    free(c->shard_durations);
    free(c->bundle);
    free(c->signing_key);
    free(c->token_key_file);
    free(c->callback_address);
    memset(c, 0, sizeof *c);
}

int
hx_config_add(char ***list, size_t *n, const char *s)
{
    char *copy = strdup(s);
    char **p = copy ? realloc(*list, (*n + 1) * sizeof *p) : NULL;
    if (p == NULL) {
        free(copy);
        return HX_E_NOMEM;
    }
    *list = p;
    p[(*n)++] = copy;
    return 0;
}

int
hx_config_set(char **field, const char *s)
{
    char *copy = s ? strdup(s) : NULL;
    if (s != NULL && copy == NULL)
        return HX_E_NOMEM;
    free(*field);
    *field = copy;
    return 0;
}
