#ifndef RS_VERSION_H
#define RS_VERSION_H
#include <stdio.h>

/* Prints "authref <version>" and the library versions it runs with. */
void rs_version_print(FILE *out);

#endif
