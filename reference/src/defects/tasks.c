/* Planted defects of the task endpoints (defect builds only). */
#include "rs/defect.h"

#include "rs/store/tasks.h"

void
rs_defect_task_patch_clears(struct rs_task_fields *f)
{
    if (!f->has_description) {
        f->has_description = true;
        f->description = NULL;
    }
    if (!f->has_completed) {
        f->has_completed = true;
        f->completed = false;
    }
}
