/* Fuzz target: the shared text helpers both programs run on what a peer sent
 * (common/): base64url, UTF-8, UUIDs, RFC 3339 dates, the strict JSON body
 * parser, and the number, duration and boolean parsers of configuration.
 * Besides crashes it checks that encodings round-trip. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "cmn/buf.h"
#include "cmn/env.h"
#include "cmn/json.h"
#include "cmn/text.h"
#include "fz_check.h"

/* decode(s) succeeds only for the canonical form, so encoding what it gives
 * yields s again (without its '=' padding). */
static void
common_b64url(const char *p, size_t n)
{
    unsigned char *raw = NULL;
    size_t raw_len = 0, stripped = n;
    char *again;

    while (stripped > 0 && p[stripped - 1] == '=')
        stripped--;
    if (cmn_b64url_decode(p, n, &raw, &raw_len) == 0) {
        again = cmn_b64url_encode_new(raw, raw_len);
        FZ_CHECK(again != NULL);
        FZ_CHECK(strlen(again) == stripped && memcmp(again, p, stripped) == 0);
        free(again);
        free(raw);
    }
    /* and any bytes encode to text that decodes to them */
    again = cmn_b64url_encode_new(p, n);
    FZ_CHECK(again != NULL);
    FZ_CHECK(cmn_b64url_decode(again, strlen(again), &raw, &raw_len) == 0);
    FZ_CHECK(raw_len == n && memcmp(raw, p, n) == 0);
    free(raw);
    free(again);
}

/* The validator and the decoder agree: valid UTF-8 decodes without a
 * one-byte replacement. */
static void
common_utf8(const char *p, size_t n)
{
    bool valid = cmn_text_is_utf8(p, n);
    bool clean = true;
    size_t i = 0;

    while (i < n) {
        uint32_t cp;
        size_t used = cmn_text_utf8_next(p + i, n - i, &cp);
        FZ_CHECK(used >= 1 && used <= 4 && used <= n - i);
        FZ_CHECK(cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
        if (cp == 0xFFFD && used == 1)
            clean = false;
        i += used;
    }
    FZ_CHECK(valid == clean);
}

/* A date that parses formats to text that parses to the same instant. */
static void
common_dates(const char *s)
{
    time_t t = 0, t2 = 0;
    char text[64];

    (void)cmn_text_is_uuid(s);
    if (!cmn_text_parse_rfc3339(s, &t) || t < 0 || t > (time_t)253402300799) /* 9999-12-31 */
        return;
    cmn_text_format_rfc3339(t, text, sizeof text);
    FZ_CHECK(cmn_text_parse_rfc3339(text, &t2));
    FZ_CHECK(t2 == t);
}

/* What the strict parser accepts serialises to JSON it accepts again. */
static void
common_json(const char *p, size_t n)
{
    char err[160];
    json_t *j = cmn_json_parse_strict(p, n, 16, err, sizeof err);
    struct cmn_buf b;
    json_t *again;

    if (j == NULL)
        return;
    cmn_buf_init(&b, (size_t)1 << 24);
    FZ_CHECK(cmn_json_dump_buf(j, &b) == 0);
    again = cmn_json_parse_strict(b.data, b.len, 17, err, sizeof err);
    FZ_CHECK(again != NULL);
    FZ_CHECK(json_equal(j, again));
    json_decref(again);
    json_decref(j);
    cmn_buf_cleanup(&b);
}

static void
common_config_values(const char *s)
{
    long v;
    bool b;

    if (cmn_parse_long(s, -1000, 1000, &v) == 0)
        FZ_CHECK(v >= -1000 && v <= 1000);
    if (cmn_parse_duration(s, 1, 86400L * 3650, &v) == 0)
        FZ_CHECK(v >= 1 && v <= 86400L * 3650);
    (void)cmn_parse_bool(s, &b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    char *s = malloc(size + 1);

    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    common_b64url(p, size);
    common_utf8(p, size);
    common_dates(s);
    common_json(p, size);
    common_config_values(s);
    free(s);
    return 0;
}
