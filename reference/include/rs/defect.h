#ifndef RS_DEFECT_H
#define RS_DEFECT_H
/*
 * Planted defects: test builds only (-DAUTHREF_DEFECTS=ON). A guard point
 * reads `if (RS_DEFECT(ALG_NONE_ACCEPTED)) ...`; in the default build the
 * macro is the constant 0, so the compiler drops the branch and the program
 * contains neither the code nor the --defect flag.
 */
#include <stdbool.h>
#include <stdio.h>

#ifdef AUTHREF_DEFECTS

enum rs_defect {
    RS_DEFECT_NONE_ = 0,
#define RS_DEFECT_ITEM(id, name, what) RS_DEFECT_##id,
#include "rs/defect_list.h"
#undef RS_DEFECT_ITEM
    RS_DEFECT_COUNT_
};

/* The active defect: set once in main before any thread starts (the same
 * rule as the log level), read-only afterwards. Returns 0 or RS_E_INVAL for
 * an unknown name; NULL selects none (tests, between servers). */
int rs_defect_select(const char *name);
bool rs_defect_active(enum rs_defect d);
/* Prints every name and what it breaks, one a line. */
void rs_defect_list(FILE *out);

#define RS_DEFECT(id) rs_defect_active(RS_DEFECT_##id)

#else

#define RS_DEFECT(id) 0

#endif

#endif
