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

/* The name reports give a file: path relative to datadir when the file lies
 * inside it ("checklist/070-cors-origins.json" for <datadir>/scenarios/...
 * is "scenarios/checklist/..."), else path as given. Writes a NUL-terminated
 * name into out; returns 0 or CMN_E_TOOBIG. */
int hx_datadir_relative(const char *datadir, const char *path, char *out, size_t out_size);

#endif
