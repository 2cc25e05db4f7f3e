#include "cmn/error.h"

const char *
cmn_strerror(int rc)
{
    switch (rc) {
    case CMN_OK:
        return "success";
    case CMN_E_NOMEM:
        return "out of memory";
    case CMN_E_TOOBIG:
        return "too large";
    case CMN_E_INVAL:
        return "invalid value";
    case CMN_E_RANGE:
        return "out of range";
    case CMN_E_IO:
        return "input/output error";
    default:
        return "unknown error";
    }
}
