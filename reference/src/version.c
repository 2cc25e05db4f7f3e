#include "rs/version.h"

#include <jansson.h>
#include <microhttpd.h>
#include <openssl/crypto.h>

#include "cmn/version.h"

void
rs_version_print(FILE *out)
{
    fprintf(out, "authref %s\n", CMN_VERSION);
    fprintf(out, "  libmicrohttpd %s, jansson %s, %s\n", MHD_get_version(), JANSSON_VERSION,
            OpenSSL_version(OPENSSL_VERSION));
}
