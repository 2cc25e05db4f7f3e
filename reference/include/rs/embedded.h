#ifndef RS_EMBEDDED_H
#define RS_EMBEDDED_H
/* Files compiled into the program (see reference/cmake/embed.cmake). */

struct rs_embedded {
    const char *name; /* file name without directory, NULL at the end */
    const char *text; /* whole contents, NUL-terminated */
};

/* db/NNN_*.sql in name order, terminated by {NULL, NULL}. */
extern const struct rs_embedded rs_migrations[];
/* openapi/openapi.json. */
extern const struct rs_embedded rs_openapi_files[];

#endif
