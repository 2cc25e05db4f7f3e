#ifndef CMN_ERROR_H
#define CMN_ERROR_H
/* Error codes of the shared code: 0 is success, failures are negative. */
enum {
    CMN_OK = 0,
    CMN_E_NOMEM = -1,
    CMN_E_TOOBIG = -2,
    CMN_E_INVAL = -3,
    CMN_E_RANGE = -4,
    CMN_E_IO = -5,
};

/* Static text for a CMN_E_* code. */
const char *cmn_strerror(int rc);

#endif
