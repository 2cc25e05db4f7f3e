/* Fuzz target: authref's token verification (reference/src/token.c).
 *
 * The first byte chooses how the rest is used:
 *   'R' (and any other byte): the rest is a token as a client sends it;
 *   'S': "HEADER\nCLAIMS": two JSON texts that this target signs itself with
 *        the test secret (HS256), so that every token gets past the signature
 *        and the header and claim checks are what is fuzzed;
 *   'I': "USER_ID\nEMAIL\nNOW LIFETIME": a token issued by rs_token_issue(),
 *        which must verify at the time it was issued.
 * Each token is verified at a fixed clock and at the ends of time_t. */
#include <limits.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "cmn/buf.h"
#include "cmn/text.h"
#include "fz_check.h"
#include "rs/error.h"
#include "rs/token.h"

/* The secret of the unit tests and of this corpus's self-signed seeds. */
#define TOKEN_SECRET "fuzz-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
#define TOKEN_NOW ((time_t)1800000000)
#define TOKEN_SKEW 60

static const struct rs_token_key token_key = {(const unsigned char *)TOKEN_SECRET,
                                              sizeof TOKEN_SECRET - 1};

static void
token_check_verdict(const char *token, time_t now)
{
    struct rs_token_claims c;
    int rc = rs_token_verify(&token_key, token, now, TOKEN_SKEW, &c);

    FZ_CHECK(rc == 0 || rc == RS_E_TOKEN || rc == RS_E_EXPIRED);
    if (rc == 0) {
        /* what the guards rely on */
        FZ_CHECK(cmn_text_is_uuid(c.user_id));
        FZ_CHECK(memchr(c.email, '\0', sizeof c.email) != NULL);
        FZ_CHECK(c.iat >= 0);
    }
}

static void
token_verify_all(const char *token)
{
    token_check_verdict(token, TOKEN_NOW);
    token_check_verdict(token, 0);
    token_check_verdict(token, (time_t)LLONG_MAX);
}

/* Appends base64url of (p, n) to b. */
static bool
token_add_b64(struct cmn_buf *b, const void *p, size_t n)
{
    char *s = cmn_b64url_encode_new(p, n);
    bool ok = s != NULL && cmn_buf_adds(b, s) == 0;

    free(s);
    return ok;
}

static void
token_self_signed(const char *p, size_t n)
{
    const char *nl = memchr(p, '\n', n);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    struct cmn_buf b;

    if (nl == NULL)
        return;
    cmn_buf_init(&b, RS_TOKEN_MAX * 2);
    if (token_add_b64(&b, p, (size_t)(nl - p)) && cmn_buf_addc(&b, '.') == 0 &&
        token_add_b64(&b, nl + 1, n - (size_t)(nl + 1 - p)) &&
        HMAC(EVP_sha256(), TOKEN_SECRET, (int)(sizeof TOKEN_SECRET - 1),
             (const unsigned char *)b.data, b.len, mac, &mac_len) != NULL &&
        cmn_buf_addc(&b, '.') == 0 && token_add_b64(&b, mac, mac_len))
        token_verify_all(cmn_buf_str(&b));
    cmn_buf_cleanup(&b);
}

static void
token_issued(char *s)
{
    char *uid = s, *email, *times, *end;
    long long now;
    long life;
    char *tok = NULL;
    struct rs_token_claims c;

    email = strchr(uid, '\n');
    if (email == NULL)
        return;
    *email++ = '\0';
    times = strchr(email, '\n');
    if (times == NULL)
        return;
    *times++ = '\0';
    now = strtoll(times, &end, 10);
    life = strtol(end, NULL, 10);
    if (rs_token_issue(&token_key, uid, email, (time_t)now, life, &tok) != 0)
        return;
    token_verify_all(tok);
    /* A token issued now for a user id and email the server would hold is
     * valid now, however long it lives. */
    if (cmn_text_is_uuid(uid) && strlen(email) < sizeof c.email && now >= 0 && life >= 0 &&
        strlen(tok) <= RS_TOKEN_MAX) {
        int rc = rs_token_verify(&token_key, tok, (time_t)now, TOKEN_SKEW, &c);
        FZ_CHECK(rc == 0);
        FZ_CHECK(strcmp(c.user_id, uid) == 0 && strcmp(c.email, email) == 0);
        FZ_CHECK(c.iat == now);
    }
    free(tok);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s;

    if (size == 0 || size > 3 * RS_TOKEN_MAX)
        return 0;
    s = malloc(size);
    if (s == NULL)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    if (data[0] == 'S')
        token_self_signed((const char *)data + 1, size - 1);
    else if (data[0] == 'I')
        token_issued(s);
    else
        token_verify_all(s);
    free(s);
    return 0;
}
