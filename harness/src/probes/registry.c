/* The table of built-in probes that scenario steps may call by name. */
#include <stddef.h>
#include <string.h>

#include "hx/probe.h"

static const struct hx_probe_def *const probe_table[] = {
    NULL,
};

const struct hx_probe_def *const *
hx_probe_all(void)
{
    return probe_table;
}

const struct hx_probe_def *
hx_probe_find(const char *name)
{
    for (const struct hx_probe_def *const *p = probe_table; *p != NULL; p++)
        if (strcmp((*p)->name, name) == 0)
            return *p;
    return NULL;
}
