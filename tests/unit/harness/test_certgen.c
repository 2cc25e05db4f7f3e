/* The throwaway TLS credentials of the embedded default: a CA and a server
 * certificate for 127.0.0.1 and localhost that verifies against it, an EC
 * P-256 key that matches it, files only the owner can read, nothing
 * overwritten and nothing left behind. */
#include "hx/certgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "unit.h"

static X509 *
load_cert(const char *path)
{
    FILE *f = fopen(path, "r");
    X509 *x;
    if (f == NULL)
        return NULL;
    x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    return x;
}

static EVP_PKEY *
load_key(const char *path)
{
    FILE *f = fopen(path, "r");
    EVP_PKEY *k;
    if (f == NULL)
        return NULL;
    k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    return k;
}

/* Verifies cert against ca for the given IP address or host name (one of
 * them NULL); returns X509_V_OK or the verification error. */
static int
verify_for(X509 *ca, X509 *cert, const char *ip, const char *host)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    X509_VERIFY_PARAM *param;
    int rc = -1;

    if (store == NULL || ctx == NULL || X509_STORE_add_cert(store, ca) != 1 ||
        X509_STORE_CTX_init(ctx, store, cert, NULL) != 1)
        goto out;
    param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
    if (ip != NULL)
        X509_VERIFY_PARAM_set1_ip_asc(param, ip);
    if (host != NULL)
        X509_VERIFY_PARAM_set1_host(param, host, 0);
    rc = X509_verify_cert(ctx) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
out:
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return rc;
}

static void
rm_dir(const char *dir)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

static void
test_certgen_write_makes_a_server_certificate_that_verifies_for_loopback(void)
{
    char dir[] = "/tmp/hx-certgen-XXXXXX";
    struct hx_certgen_files f;
    struct hx_error err = {0};
    X509 *ca = NULL, *cert = NULL;
    EVP_PKEY *key = NULL;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    CU_ASSERT_EQUAL_FATAL(hx_certgen_write(dir, &f, &err), 0);
    ca = load_cert(f.ca);
    cert = load_cert(f.cert);
    key = load_key(f.key);
    CU_ASSERT_PTR_NOT_NULL(ca);
    CU_ASSERT_PTR_NOT_NULL(cert);
    CU_ASSERT_PTR_NOT_NULL(key);
    if (ca != NULL && cert != NULL && key != NULL) {
        CU_ASSERT_EQUAL(verify_for(ca, cert, "127.0.0.1", NULL), X509_V_OK);
        CU_ASSERT_EQUAL(verify_for(ca, cert, NULL, "localhost"), X509_V_OK);
        /* and for nothing else */
        CU_ASSERT_EQUAL(verify_for(ca, cert, "127.0.0.2", NULL), X509_V_ERR_IP_ADDRESS_MISMATCH);
        CU_ASSERT_EQUAL(verify_for(ca, cert, NULL, "example.com"), X509_V_ERR_HOSTNAME_MISMATCH);
        CU_ASSERT_EQUAL(X509_check_private_key(cert, key), 1);
        CU_ASSERT_TRUE(EVP_PKEY_is_a(key, "EC"));
        CU_ASSERT_EQUAL(EVP_PKEY_get_bits(key), 256);
        CU_ASSERT_EQUAL(X509_check_ca(ca), 1);
        CU_ASSERT_EQUAL(X509_check_ca(cert), 0);
    }
    X509_free(ca);
    X509_free(cert);
    EVP_PKEY_free(key);
    rm_dir(dir);
}

static void
test_certgen_write_makes_a_new_ca_every_time(void)
{
    char dir1[] = "/tmp/hx-certgen-XXXXXX", dir2[] = "/tmp/hx-certgen-XXXXXX";
    struct hx_certgen_files f1, f2;
    X509 *ca1, *ca2, *cert2;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir1));
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir2));
    CU_ASSERT_EQUAL_FATAL(hx_certgen_write(dir1, &f1, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(hx_certgen_write(dir2, &f2, NULL), 0);
    ca1 = load_cert(f1.ca);
    ca2 = load_cert(f2.ca);
    cert2 = load_cert(f2.cert);
    CU_ASSERT_FATAL(ca1 != NULL && ca2 != NULL && cert2 != NULL);
    /* one run's CA vouches for nothing of another run */
    CU_ASSERT_NOT_EQUAL(verify_for(ca1, cert2, "127.0.0.1", NULL), X509_V_OK);
    CU_ASSERT_NOT_EQUAL(ASN1_INTEGER_cmp(X509_get0_serialNumber(ca1), X509_get0_serialNumber(ca2)),
                        0);
    X509_free(ca1);
    X509_free(ca2);
    X509_free(cert2);
    rm_dir(dir1);
    rm_dir(dir2);
}

static void
test_certgen_write_leaves_files_only_the_owner_can_read(void)
{
    char dir[] = "/tmp/hx-certgen-XXXXXX";
    struct hx_certgen_files f;
    struct stat st;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    CU_ASSERT_EQUAL_FATAL(hx_certgen_write(dir, &f, NULL), 0);
    CU_ASSERT_EQUAL(stat(f.key, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
    CU_ASSERT_EQUAL(stat(f.cert, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
    CU_ASSERT_EQUAL(stat(f.ca, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
    hx_certgen_remove(&f);
    /* the folder is empty again */
    CU_ASSERT_EQUAL(rmdir(dir), 0);
}

static void
test_certgen_write_refuses_to_overwrite_and_keeps_the_files_there(void)
{
    char dir[] = "/tmp/hx-certgen-XXXXXX", path[PATH_MAX], buf[16] = "";
    struct hx_certgen_files f;
    struct hx_error err = {0};
    FILE *fp;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    /* someone else's key file is already there */
    snprintf(path, sizeof path, "%s/%s", dir, HX_CERTGEN_KEY);
    fp = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    fputs("theirs", fp);
    fclose(fp);
    CU_ASSERT_EQUAL(hx_certgen_write(dir, &f, &err), HX_E_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, HX_CERTGEN_KEY));
    /* theirs is untouched and ours are gone */
    fp = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof buf, fp));
    fclose(fp);
    CU_ASSERT_STRING_EQUAL(buf, "theirs");
    snprintf(path, sizeof path, "%s/%s", dir, HX_CERTGEN_CA);
    CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/%s", dir, HX_CERTGEN_CERT);
    CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
    rm_dir(dir);
}

static void
test_certgen_write_fails_on_a_missing_folder(void)
{
    struct hx_certgen_files f;
    struct hx_error err = {0};

    CU_ASSERT_EQUAL(hx_certgen_write("/nonexistent/hx-certgen", &f, &err), HX_E_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "/nonexistent/hx-certgen/"));
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_certgen_write_makes_a_server_certificate_that_verifies_for_loopback),
        TU_TEST(test_certgen_write_makes_a_new_ca_every_time),
        TU_TEST(test_certgen_write_leaves_files_only_the_owner_can_read),
        TU_TEST(test_certgen_write_refuses_to_overwrite_and_keeps_the_files_there),
        TU_TEST(test_certgen_write_fails_on_a_missing_folder),
        {NULL, NULL},
    };
    return tu_run_suite("certgen", tests);
}
