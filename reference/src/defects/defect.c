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

/* The active defect: set once in main before any thread starts, read-only
 * afterwards (the same rule as the log level). */
static enum rs_defect defect_active = RS_DEFECT_NONE_;

int
rs_defect_select(const char *name)
{
    if (name == NULL) {
        defect_active = RS_DEFECT_NONE_;
        return 0;
    }
    for (int i = 1; i < RS_DEFECT_COUNT_; i++) {
        if (strcmp(defect_table[i].name, name) == 0) {
            defect_active = (enum rs_defect)i;
            return 0;
        }
    }
    return RS_E_INVAL;
}

bool
rs_defect_active(enum rs_defect d)
{
    return defect_active == d;
}

void
rs_defect_list(FILE *out)
{
    for (int i = 1; i < RS_DEFECT_COUNT_; i++)
        fprintf(out, "%-28s %s\n", defect_table[i].name, defect_table[i].what);
}
