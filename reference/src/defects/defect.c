/* Planted defects (test builds only): which one is active. */
#include "rs/defect.h"

#include <string.h>

#include "rs/error.h"

static const struct {
    const char *name;
    const char *what;
} defect_table[] = {
    {"", ""},
#define RS_DEFECT_ITEM(id, name, what) {name, what},
#include "rs/defect_list.h"
#undef RS_DEFECT_ITEM
};

/* The active defects: set once in main before any thread starts, read-only
 * afterwards (the same rule as the log level). */
static bool defect_active[RS_DEFECT_COUNT_];

/* The defect named by the n bytes at name, or RS_DEFECT_NONE_. */
static enum rs_defect
defect_find(const char *name, size_t n)
{
    for (int i = 1; i < RS_DEFECT_COUNT_; i++)
        if (strlen(defect_table[i].name) == n && strncmp(defect_table[i].name, name, n) == 0)
            return (enum rs_defect)i;
    return RS_DEFECT_NONE_;
}

int
rs_defect_select(const char *names)
{
    bool chosen[RS_DEFECT_COUNT_] = {false};

    for (const char *p = names; p != NULL && *p != '\0';) {
        const char *comma = strchr(p, ',');
        size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
        enum rs_defect d = defect_find(p, n);
        if (d == RS_DEFECT_NONE_)
            return RS_E_INVAL;
        chosen[d] = true;
        p = comma != NULL ? comma + 1 : p + n;
    }
    memcpy(defect_active, chosen, sizeof defect_active);
    return 0;
}

bool
rs_defect_active(enum rs_defect d)
{
    return (unsigned)d < RS_DEFECT_COUNT_ && defect_active[d];
}

void
rs_defect_list(FILE *out)
{
    for (int i = 1; i < RS_DEFECT_COUNT_; i++)
        fprintf(out, "%-28s %s\n", defect_table[i].name, defect_table[i].what);
}
