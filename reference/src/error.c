#include "rs/error.h"

const char *
rs_strerror(int rc)
{
    switch (rc) {
    case RS_OK:
        return "success";
    case RS_E_NOMEM:
        return "out of memory";
    case RS_E_INVAL:
        return "invalid input";
    case RS_E_DB:
        return "database unavailable";
    case RS_E_BUSY:
        return "busy";
    case RS_E_NOTFOUND:
        return "not found";
    case RS_E_CONFLICT:
        return "already exists";
    case RS_E_MISMATCH:
        return "password mismatch";
    case RS_E_EXPIRED:
        return "token expired";
    case RS_E_TOKEN:
        return "invalid token";
    case RS_E_IO:
        return "input/output error";
    case RS_E_CANCELLED:
        return "cancelled";
    case RS_E_TOOBIG:
        return "too big";
    case RS_E_HTTP:
        return "HTTP daemon failure";
    case RS_E_ACCOUNT_UNKNOWN:
        return "no such account";
    case RS_E_ACCOUNT_INACTIVE:
        return "account deactivated";
    default:
        return "unknown error";
    }
}
