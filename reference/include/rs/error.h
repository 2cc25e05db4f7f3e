#ifndef RS_ERROR_H
#define RS_ERROR_H
/* Error codes of the server: 0 is success, failures are negative. */
enum {
    RS_OK = 0,
    RS_E_NOMEM = -1,
    RS_E_INVAL = -2, /* bad input or configuration */
    RS_E_DB = -3,    /* database unreachable or a statement failed */
    RS_E_BUSY = -4,  /* a bounded queue or pool is full */
    RS_E_NOTFOUND = -5,
    RS_E_CONFLICT = -6, /* unique constraint: the row already exists */
    RS_E_MISMATCH = -7, /* password does not verify */
    RS_E_EXPIRED = -8,  /* token expired */
    RS_E_TOKEN = -9,    /* token invalid for any other reason */
    RS_E_IO = -10,
    RS_E_CANCELLED = -11, /* work dropped at shutdown */
    RS_E_TOOBIG = -12,
    RS_E_HTTP = -13, /* the HTTP daemon could not start */
    RS_E_ACCOUNT_UNKNOWN = -14,  /* the token's account does not exist */
    RS_E_ACCOUNT_INACTIVE = -15, /* the token's account is deactivated */
};

/* Static text for an RS_E_* code. */
const char *rs_strerror(int rc);

#endif
