#ifndef RS_TOKEN_H
#define RS_TOKEN_H
/*
 * Access tokens: JWTs signed with HS256 (issued with libjwt), claims
 * user_id, email, iat, exp. Verification is this module's own and does not
 * consult libjwt's decoder, which allows more than the contract (other
 * algorithms, no exp): it accepts HS256 only, refuses a header with crit
 * (RFC 7515 section 4.1.11: no extension is understood here), requires
 * integer exp and a UUID user_id, compares the signature in constant time
 * and allows clock skew.
 * Pure functions of their arguments: safe on any thread.
 */
#include <stddef.h>
#include <time.h>

#define RS_TOKEN_MAX 4096

struct rs_token_key {
    const unsigned char *secret; /* borrowed, at least 32 bytes */
    size_t secret_len;
};

struct rs_token_claims {
    char user_id[40];
    char email[256];
    long long iat;
    long long exp;
};

/* Returns 0 and *out new (free()): a token for user_id/email issued at now
 * and valid for lifetime_s seconds; RS_E_INVAL when now + lifetime_s does
 * not fit in a long. */
int rs_token_issue(const struct rs_token_key *key, const char *user_id, const char *email,
                   time_t now, long lifetime_s, char **out);

/* Returns 0 (claims filled), RS_E_EXPIRED (valid signature, exp + skew has
 * passed) or RS_E_TOKEN (anything else: malformed, other algorithm, bad
 * signature, missing claims, iat before the epoch or in the future). exp
 * and iat may be any int64: exp + skew past 2^63 - 1 counts as never. */
int rs_token_verify(const struct rs_token_key *key, const char *token, time_t now, long skew_s,
                    struct rs_token_claims *out);

#endif
