#include "hx/certgen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define CERTGEN_DAYS 1
#define CERTGEN_BACKDATE_S 300

/* Fills err with what failed and OpenSSL's first queued reason. */
static void
certgen_ssl_error(struct hx_error *err, const char *what)
{
    char reason[256] = "no reason given";
    unsigned long e = ERR_get_error();

    if (e != 0)
        ERR_error_string_n(e, reason, sizeof reason);
    ERR_clear_error();
    hx_error_set(err, NULL, 0, "tls: %s: %s", what, reason);
}

static int
certgen_add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX v3;
    X509_EXTENSION *ext;
    int ok;

    X509V3_set_ctx(&v3, issuer, cert, NULL, NULL, 0);
    ext = X509V3_EXT_nconf_nid(NULL, &v3, nid, value);
    if (ext == NULL)
        return -1;
    ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok == 1 ? 0 : -1;
}

/* A 128-bit random serial number. */
static int
certgen_serial(X509 *cert)
{
    BIGNUM *bn = BN_new();
    int ok = bn != NULL && BN_rand(bn, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
             BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
    BN_free(bn);
    return ok ? 0 : -1;
}

/* A certificate for key, named cn, signed by issuer_key (issuer NULL: self-
 * signed). ext lists nid/value pairs, ending with 0. Returns new, or NULL. */
static X509 *
certgen_make(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, const int *nids,
             const char *const *values)
{
    X509 *cert = X509_new();
    X509_NAME *name;
    bool ok;

    if (cert == NULL)
        return NULL;
    name = X509_get_subject_name(cert);
    ok = X509_set_version(cert, X509_VERSION_3) == 1 && certgen_serial(cert) == 0 &&
         X509_gmtime_adj(X509_getm_notBefore(cert), -CERTGEN_BACKDATE_S) != NULL &&
         X509_gmtime_adj(X509_getm_notAfter(cert), 86400L * CERTGEN_DAYS) != NULL &&
         X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                    (const unsigned char *)"authconform embedded run", -1, -1,
                                    0) == 1 &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1,
                                    0) == 1 &&
         X509_set_issuer_name(cert, issuer != NULL ? X509_get_subject_name(issuer) : name) == 1 &&
         X509_set_pubkey(cert, key) == 1;
    for (size_t i = 0; ok && nids[i] != 0; i++)
        ok = certgen_add_ext(cert, issuer != NULL ? issuer : cert, nids[i], values[i]) == 0;
    if (ok)
        ok = X509_sign(cert, issuer_key, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

/* Opens path for writing: created here (O_EXCL), mode 0600. */
static FILE *
certgen_open(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f;

    if (fd < 0)
        return NULL;
    f = fdopen(fd, "w");
    if (f == NULL)
        close(fd);
    return f;
}

/* Writes one PEM file: the certificate cert, or else the private key key. */
static int
certgen_write_pem(const char *path, X509 *cert, EVP_PKEY *key, struct hx_error *err)
{
    FILE *f = certgen_open(path);
    int ok;

    if (f == NULL) {
        hx_error_set(err, NULL, 0, "tls: cannot create %s: %s", path, strerror(errno));
        return HX_E_IO;
    }
    ok = cert != NULL ? PEM_write_X509(f, cert) == 1
                      : PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1;
    if (fclose(f) != 0)
        ok = 0;
    if (!ok) {
        unlink(path);
        hx_error_set(err, NULL, 0, "tls: cannot write %s", path);
        return HX_E_IO;
    }
    return 0;
}

static int
certgen_path(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= size ? HX_E_TOOLONG : 0;
}

int
hx_certgen_write(const char *dir, struct hx_certgen_files *out, struct hx_error *err)
{
    static const int ca_nids[] = {NID_basic_constraints, NID_key_usage, NID_subject_key_identifier,
                                  0};
    static const char *const ca_values[] = {"critical,CA:TRUE,pathlen:0",
                                            "critical,keyCertSign,cRLSign", "hash", NULL};
    static const int srv_nids[] = {NID_basic_constraints,
                                   NID_key_usage,
                                   NID_ext_key_usage,
                                   NID_subject_alt_name,
                                   NID_subject_key_identifier,
                                   NID_authority_key_identifier,
                                   0};
    static const char *const srv_values[] = {"critical,CA:FALSE",
                                             "critical,digitalSignature",
                                             "serverAuth",
                                             "IP:127.0.0.1,DNS:localhost",
                                             "hash",
                                             "keyid:always",
                                             NULL};
    struct hx_certgen_files f;
    EVP_PKEY *ca_key = NULL, *srv_key = NULL;
    X509 *ca = NULL, *srv = NULL;
    int rc;

    if (certgen_path(f.ca, sizeof f.ca, dir, HX_CERTGEN_CA) != 0 ||
        certgen_path(f.cert, sizeof f.cert, dir, HX_CERTGEN_CERT) != 0 ||
        certgen_path(f.key, sizeof f.key, dir, HX_CERTGEN_KEY) != 0) {
        hx_error_set(err, NULL, 0, "tls: folder name too long: %s", dir);
        return HX_E_TOOLONG;
    }
    rc = HX_E_NOMEM;
    ca_key = EVP_EC_gen("P-256");
    srv_key = EVP_EC_gen("P-256");
    if (ca_key == NULL || srv_key == NULL) {
        certgen_ssl_error(err, "cannot make an EC P-256 key");
        goto cleanup;
    }
    ca = certgen_make(ca_key, "authconform throwaway CA", NULL, ca_key, ca_nids, ca_values);
    if (ca == NULL) {
        certgen_ssl_error(err, "cannot make the CA certificate");
        goto cleanup;
    }
    srv = certgen_make(srv_key, "127.0.0.1", ca, ca_key, srv_nids, srv_values);
    if (srv == NULL) {
        certgen_ssl_error(err, "cannot make the server certificate");
        goto cleanup;
    }
    /* on failure, remove only what this call created (O_EXCL: a file that
     * was already there is not ours) */
    rc = certgen_write_pem(f.ca, ca, NULL, err);
    if (rc != 0)
        goto cleanup;
    rc = certgen_write_pem(f.cert, srv, NULL, err);
    if (rc != 0) {
        unlink(f.ca);
        goto cleanup;
    }
    rc = certgen_write_pem(f.key, NULL, srv_key, err);
    if (rc != 0) {
        unlink(f.cert);
        unlink(f.ca);
        goto cleanup;
    }
    *out = f;
cleanup:
    X509_free(srv);
    X509_free(ca);
    EVP_PKEY_free(srv_key);
    EVP_PKEY_free(ca_key);
    return rc;
}

void
hx_certgen_remove(const struct hx_certgen_files *f)
{
    if (f == NULL)
        return;
    if (f->key[0] != '\0')
        unlink(f->key);
    if (f->cert[0] != '\0')
        unlink(f->cert);
    if (f->ca[0] != '\0')
        unlink(f->ca);
}
