#ifndef HX_DATADIR_H
#define HX_DATADIR_H
#include <stddef.h>

/*
 * The folder that holds scenarios/ and fixtures/: $AUTHCONFORM_DATA_DIR when
 * set; else the installed data directory when the program runs installed
 * (<prefix>/bin/authconform next to <prefix>/share/authconform); else the
 * source tree the program was built from.
 * Writes a NUL-terminated path into out; returns 0 or CMN_E_TOOBIG.
 */
int hx_datadir_find(char *out, size_t out_size);

#endif
