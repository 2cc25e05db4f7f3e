/* authconform run --shard I/N [--shard-durations OLD.json]: keeps the
 * selected scenarios of one shard, and says so in a run note. */
#include "cli_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/report_json_read.h"
#include "hx/shard.h"

/* The duration OLD recorded for scenario s (by id), in whole ms. */
static bool
shard_select_duration(const struct hx_result *old, const struct hx_scenario *s,
                      unsigned long long *ms)
{
    for (size_t i = 0; old != NULL && i < old->n_cases; i++) {
        const struct hx_case *c = old->cases[i];
        if (c->id != NULL && strcmp(c->id, s->id) == 0) {
            *ms = (unsigned long long)(c->seconds * 1000.0 + 0.5);
            return true;
        }
    }
    return false;
}

int
hx__cli_shard_select(const struct hx_config *cfg, struct hx_scenario **chosen, size_t *n_chosen,
                     char *note, size_t note_size)
{
    struct hx_result *old = NULL;
    struct hx_shard_item *items = NULL;
    unsigned *shard_of = NULL;
    size_t n = *n_chosen, kept = 0;
    int rc = HX_EXIT_USAGE;

    if (note_size > 0)
        note[0] = '\0';
    if (cfg->shard_count == 0)
        return 0;
    if (cfg->shard_durations != NULL) {
        struct hx_error err = {.text = ""};
        if (hx_report_json_read_file(cfg->shard_durations, &old, &err) != 0) {
            fprintf(stderr, "authconform: --shard-durations: %s\n", err.text);
            goto out;
        }
    }
    items = calloc(n + 1, sizeof *items);
    shard_of = calloc(n + 1, sizeof *shard_of);
    if (items == NULL || shard_of == NULL)
        goto out;
    for (size_t i = 0; i < n; i++) {
        items[i].id = chosen[i]->id;
        items[i].file = chosen[i]->file;
        items[i].has_duration = shard_select_duration(old, chosen[i], &items[i].ms);
    }
    if (hx_shard_assign(items, n, cfg->shard_count, old != NULL, shard_of) != 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (shard_of[i] == cfg->shard_index)
            chosen[kept++] = chosen[i];
    snprintf(note, note_size, "shard %u of %u: %zu of %zu scenarios%s%.300s", cfg->shard_index,
             cfg->shard_count, kept, n, old != NULL ? ", balanced by the durations in " : "",
             old != NULL ? cfg->shard_durations : "");
    *n_chosen = kept;
    rc = 0;
out:
    free(items);
    free(shard_of);
    hx_result_free(old);
    return rc;
}
