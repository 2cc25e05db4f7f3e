#ifndef HX_CERTGEN_H
#define HX_CERTGEN_H
/*
 * Throwaway TLS credentials for the embedded default: a CA made for one run
 * and a server certificate it signs for 127.0.0.1 (subjectAltName
 * IP:127.0.0.1 and DNS:localhost), both on EC P-256 keys, valid for one day
 * (from five minutes ago, for clock steps).
 *
 * Three PEM files are written into an existing folder (mode 0600, created
 * exclusively: a file already there is an error): the CA certificate (the
 * run's --cacert), the server certificate and the server's private key. The
 * CA's private key never leaves memory: nothing else can be signed with it
 * once the call returns. On failure no file is left behind.
 */
#include <limits.h>

#include "hx/error.h"

#define HX_CERTGEN_CA "ca.pem"
#define HX_CERTGEN_CERT "tls-cert.pem"
#define HX_CERTGEN_KEY "tls-key.pem"

struct hx_certgen_files {
    char ca[PATH_MAX];   /* <dir>/ca.pem */
    char cert[PATH_MAX]; /* <dir>/tls-cert.pem */
    char key[PATH_MAX];  /* <dir>/tls-key.pem */
};

/* Writes the three files into dir and their paths into *out. Returns 0,
 * HX_E_TOOLONG (dir too long), HX_E_IO (a file could not be written) or
 * HX_E_NOMEM (OpenSSL could not make a key or certificate); err says which
 * step failed, with OpenSSL's reason. */
int hx_certgen_write(const char *dir, struct hx_certgen_files *out, struct hx_error *err);

/* Removes the three files named in f (those that exist); NULL-safe. */
void hx_certgen_remove(const struct hx_certgen_files *f);

#endif
