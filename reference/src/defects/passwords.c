/* Planted defects of password storage (defect builds only). */
#include "rs/defect.h"

#include <openssl/crypto.h>
#include <string.h>

#include "rs/error.h"
#include "rs/password.h"

int
rs_defect_password_plaintext(struct rs_hash_job *job)
{
    size_t n = strlen(job->password);

    if (job->kind == RS_HASH_NEW) {
        memcpy(job->hash, job->password, n + 1);
        return 0;
    }
    return strlen(job->hash) == n && CRYPTO_memcmp(job->hash, job->password, n) == 0
               ? 0
               : RS_E_MISMATCH;
}
