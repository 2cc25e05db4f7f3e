#include "rs/token.h"

#include <errno.h>
#include <jansson.h>
#include <jwt.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "cmn/json.h"
#include "cmn/text.h"
#include "rs/defect.h"
#include "rs/error.h"

int
rs_token_issue(const struct rs_token_key *key, const char *user_id, const char *email, time_t now,
               long lifetime_s, char **out)
{
    jwt_t *jwt = NULL;
    char *s = NULL;
    long exp;
    int rc = RS_E_NOMEM;

    if (key->secret == NULL || key->secret_len == 0)
        return RS_E_INVAL;
    if (__builtin_add_overflow((long)now, lifetime_s, &exp))
        return RS_E_INVAL;
    if (RS_DEFECT(WEAK_SECRET))
        key = rs_defect_token_weak_key();
    if (jwt_new(&jwt) != 0)
        return RS_E_NOMEM;
    if (jwt_add_grant(jwt, "user_id", user_id) != 0 || jwt_add_grant(jwt, "email", email) != 0 ||
        jwt_add_grant_int(jwt, "iat", (long)now) != 0 || jwt_add_grant_int(jwt, "exp", exp) != 0 ||
        jwt_set_alg(jwt, RS_DEFECT(ISSUES_HS512) ? JWT_ALG_HS512 : JWT_ALG_HS256, key->secret,
                    (int)key->secret_len) != 0)
        goto cleanup;
    s = jwt_encode_str(jwt);
    if (s == NULL)
        goto cleanup;
    *out = s;
    rc = 0;
cleanup:
    jwt_free(jwt);
    return rc;
}

/* base64url of {"alg":"HS256","typ":"JWT"}, the header libjwt writes for
 * the tokens this server issues (a unit test holds the two together). */
#define TOKEN_ISSUED_HEADER "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"

/* Returns new: the JSON object a base64url segment encodes, or NULL. */
static json_t *
token_segment_json(const char *p, size_t n)
{
    unsigned char *raw = NULL;
    size_t len;
    json_t *j;

    if (cmn_b64url_decode(p, n, &raw, &len) != 0)
        return NULL;
    j = cmn_json_parse_strict((const char *)raw, len, 4, NULL, 0);
    if (j == NULL && RS_DEFECT(DUPLICATE_CLAIMS_ACCEPTED))
        j = rs_defect_token_lenient_json((const char *)raw, len);
    free(raw);
    if (j != NULL && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

/* The header must name HS256, exactly; typ, when present, must be "JWT";
 * crit must be absent: it lists extensions the recipient has to understand
 * or else reject the token (RFC 7515 section 4.1.11), and this server
 * understands none, so any crit, even an empty or malformed one, refuses
 * the token. Returns the digest of the signature, or NULL when the header is refused;
 * *unsigned_ok is set when no signature is to be checked (defects only). */
static const EVP_MD *
token_header_md(const char *p, size_t n, bool *unsigned_ok)
{
    json_t *h;
    const json_t *alg, *typ;
    const char *a;
    const EVP_MD *md = NULL;

    *unsigned_ok = false;
    /* The header rs_token_issue() writes, byte for byte: no need to parse. */
    if (n == sizeof TOKEN_ISSUED_HEADER - 1 && memcmp(p, TOKEN_ISSUED_HEADER, n) == 0)
        return EVP_sha256();
    h = token_segment_json(p, n);
    if (h == NULL)
        return NULL;
    alg = json_object_get(h, "alg");
    typ = json_object_get(h, "typ");
    a = json_is_string(alg) ? json_string_value(alg) : "";
    if (json_object_get(h, "crit") != NULL)
        a = "";
    if (typ != NULL && !(json_is_string(typ) && strcmp(json_string_value(typ), "JWT") == 0))
        a = "";
    if (strcmp(a, "HS256") == 0)
        md = EVP_sha256();
    else if (RS_DEFECT(ANY_HMAC_ALG_ACCEPTED) || RS_DEFECT(ALG_NONE_ACCEPTED) ||
             RS_DEFECT(ISSUES_HS512))
        md = rs_defect_token_alg(a, unsigned_ok);
    json_decref(h);
    return md;
}

/* HMAC-SHA256 over "header.payload", compared in constant time. */
static bool
token_signature_ok(const struct rs_token_key *key, const EVP_MD *md, const char *token,
                   size_t signed_len, const char *sig, size_t sig_len)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    unsigned char *given = NULL;
    size_t given_len = 0;
    bool ok;

    if (HMAC(md, key->secret, (int)key->secret_len, (const unsigned char *)token, signed_len, mac,
             &mac_len) == NULL)
        return false;
    if (cmn_b64url_decode(sig, sig_len, &given, &given_len) != 0)
        return false;
    ok = given_len == mac_len && CRYPTO_memcmp(given, mac, mac_len) == 0;
    free(given);
    return ok;
}

/* t + d, held at the ends of the range instead of overflowing: an exp near
 * 2^63 plus the skew means "never", not a time before 1970. */
static long long
token_add_saturated(long long t, long long d)
{
    long long sum;

    if (__builtin_add_overflow(t, d, &sum))
        return d > 0 ? LLONG_MAX : LLONG_MIN;
    return sum;
}

/* The claims of a verified token. exp and iat are NumericDates (RFC 7519
 * section 2): JSON integers, anything an int64 holds, so every comparison
 * with the clock is made without arithmetic that can overflow. An iat
 * before the epoch or after now (beyond the skew) is no time this server
 * issues tokens at. */
static int
token_claims(const char *p, size_t n, time_t now, long skew_s, struct rs_token_claims *out)
{
    json_t *c = token_segment_json(p, n);
    const json_t *uid, *exp, *iat, *email;
    struct rs_token_claims cl;
    int rc = RS_E_TOKEN;

    if (c == NULL)
        return RS_E_TOKEN;
    memset(&cl, 0, sizeof cl);
    uid = json_object_get(c, "user_id");
    exp = json_object_get(c, "exp");
    iat = json_object_get(c, "iat");
    email = json_object_get(c, "email");
    if (!json_is_string(uid) || !cmn_text_is_uuid(json_string_value(uid)) ||
        strlen(json_string_value(uid)) >= sizeof cl.user_id)
        goto cleanup;
    if (!json_is_integer(exp) && !(exp == NULL && RS_DEFECT(EXP_OPTIONAL)))
        goto cleanup;
    if (iat != NULL && !json_is_integer(iat))
        goto cleanup;
    if (email != NULL &&
        (!json_is_string(email) || strlen(json_string_value(email)) >= sizeof cl.email))
        goto cleanup;
    memcpy(cl.user_id, json_string_value(uid), strlen(json_string_value(uid)) + 1);
    if (email != NULL)
        memcpy(cl.email, json_string_value(email), strlen(json_string_value(email)) + 1);
    cl.exp = exp != NULL ? json_integer_value(exp) : LLONG_MAX; /* no exp: only a defect */
    cl.iat = iat != NULL ? json_integer_value(iat) : 0;
    if (iat != NULL && (cl.iat < 0 || cl.iat > token_add_saturated(now, skew_s)) &&
        !RS_DEFECT(FUTURE_IAT_ACCEPTED))
        goto cleanup;
    if ((long long)now > token_add_saturated(cl.exp, skew_s) && !RS_DEFECT(EXP_NOT_CHECKED)) {
        rc = RS_E_EXPIRED;
        goto cleanup;
    }
    *out = cl;
    rc = 0;
cleanup:
    json_decref(c);
    return rc;
}

int
rs_token_verify(const struct rs_token_key *key, const char *token, time_t now, long skew_s,
                struct rs_token_claims *out)
{
    const char *dot1, *dot2, *dot3, *end;
    const EVP_MD *md;
    bool unsigned_ok, signed_ok;
    size_t n;

    if (key->secret == NULL || key->secret_len == 0 || token == NULL)
        return RS_E_TOKEN;
    n = strlen(token);
    if (n == 0 || n > RS_TOKEN_MAX)
        return RS_E_TOKEN;
    for (size_t i = 0; i < n; i++) {
        char ch = token[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_' || ch == '.'))
            return RS_E_TOKEN;
    }
    dot1 = strchr(token, '.');
    dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (dot1 == NULL || dot2 == NULL || dot1 == token || dot2 == dot1 + 1)
        return RS_E_TOKEN;
    /* exactly three segments: the signature runs to the end */
    dot3 = strchr(dot2 + 1, '.');
    end = dot2 + strlen(dot2);
    if (RS_DEFECT(EXTRA_SEGMENTS_ACCEPTED))
        end = rs_defect_token_third_end(dot2);
    if (dot3 != NULL && dot3 < end)
        return RS_E_TOKEN;
    if (RS_DEFECT(EMBEDDED_JWK_ACCEPTED) && rs_defect_token_embedded_jwk(token, dot2, end))
        return token_claims(dot1 + 1, (size_t)(dot2 - dot1 - 1), now, skew_s, out);
    if (RS_DEFECT(JKU_HONOURED) && rs_defect_token_jku(token, dot2, end))
        return token_claims(dot1 + 1, (size_t)(dot2 - dot1 - 1), now, skew_s, out);
    md = token_header_md(token, (size_t)(dot1 - token), &unsigned_ok);
    if (md == NULL)
        return RS_E_TOKEN;
    if (!unsigned_ok && !RS_DEFECT(SIGNATURE_NOT_CHECKED)) {
        if (end == dot2 + 1)
            return RS_E_TOKEN;
        signed_ok = token_signature_ok(key, md, token, (size_t)(dot2 - token), dot2 + 1,
                                       (size_t)(end - dot2 - 1));
        if (!signed_ok && RS_DEFECT(WEAK_SECRET))
            signed_ok =
                token_signature_ok(rs_defect_token_weak_key(), md, token, (size_t)(dot2 - token),
                                   dot2 + 1, (size_t)(end - dot2 - 1));
        if (!signed_ok)
            return RS_E_TOKEN;
    }
    return token_claims(dot1 + 1, (size_t)(dot2 - dot1 - 1), now, skew_s, out);
}
