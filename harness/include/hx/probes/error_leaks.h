#ifndef HX_PROBES_ERROR_LEAKS_H
#define HX_PROBES_ERROR_LEAKS_H
/*
 * The banner judgement of the error_leaks probe (probes/error_leaks.c), pure
 * for unit tests.
 */
#include <stdbool.h>
#include <stddef.h>

/* A version banner: Server or X-Powered-By value naming a version
 * (a digit after a product name, "nginx/1.25", "Express", "PHP/8"...).
 * X-Powered-By is a banner whatever its value. */
bool hx_banner_found(const char *header_name, const char *value);

#endif
