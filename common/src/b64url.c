#include "cmn/b64url.h"

#include <stdlib.h>

#include "cmn/error.h"

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t
cmn_b64url_encoded_size(size_t n)
{
    return (n / 3) * 4 + ((n % 3) ? (n % 3) + 1 : 0) + 1;
}

/* The encoder of both alphabets; pad appends '=' to a multiple of 4. The
 * caller checked the size of out. */
static long
b64_encode_with(const char *alphabet, int pad, const void *in, size_t n, char *out)
{
    const unsigned char *p = in;
    size_t i, o = 0;

    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        out[o++] = alphabet[v & 63];
    }
    if (n - i == 1) {
        unsigned v = (unsigned)p[i] << 16;
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        if (pad) {
            out[o++] = '=';
            out[o++] = '=';
        }
    } else if (n - i == 2) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        if (pad)
            out[o++] = '=';
    }
    out[o] = '\0';
    return (long)o;
}

long
cmn_b64url_encode(const void *in, size_t n, char *out, size_t out_size)
{
    if (out_size < cmn_b64url_encoded_size(n))
        return CMN_E_TOOBIG;
    return b64_encode_with(b64url_alphabet, 0, in, n, out);
}

char *
cmn_b64url_encode_new(const void *in, size_t n)
{
    size_t size = cmn_b64url_encoded_size(n);
    char *out = malloc(size);

    if (out != NULL)
        cmn_b64url_encode(in, n, out, size);
    return out;
}

static int
b64url_value(unsigned char c, int standard)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == (standard ? '+' : '-'))
        return 62;
    if (c == (standard ? '/' : '_'))
        return 63;
    return -1;
}

/* The decoder of both alphabets. standard: '+' and '/', and the padding
 * must be complete (a multiple of 4 characters); else '-' and '_', padding
 * tolerated. */
static int
b64_decode_with(int standard, const char *in, size_t n, unsigned char **out, size_t *out_len)
{
    unsigned char *buf;
    size_t i, o = 0, padded = n;
    unsigned acc = 0;
    int bits = 0;

    while (n > 0 && in[n - 1] == '=' && (!standard || padded - n < 2))
        n--;
    if (n % 4 == 1 || (standard && padded % 4 != 0))
        return CMN_E_INVAL;
    buf = malloc(n / 4 * 3 + 3);
    if (buf == NULL)
        return CMN_E_NOMEM;
    for (i = 0; i < n; i++) {
        int v = b64url_value((unsigned char)in[i], standard);
        if (v < 0) {
            free(buf);
            return CMN_E_INVAL;
        }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[o++] = (unsigned char)((acc >> bits) & 0xff);
        }
    }
    /* Leftover bits must be zero: a canonical encoding has no stray bits. */
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
        free(buf);
        return CMN_E_INVAL;
    }
    buf[o] = '\0';
    *out = buf;
    *out_len = o;
    return 0;
}

int
cmn_b64url_decode(const char *in, size_t n, unsigned char **out, size_t *out_len)
{
    return b64_decode_with(0, in, n, out, out_len);
}

size_t
cmn_b64_encoded_size(size_t n)
{
    return (n + 2) / 3 * 4 + 1;
}

char *
cmn_b64_encode_new(const void *in, size_t n)
{
    char *out = malloc(cmn_b64_encoded_size(n));

    if (out != NULL)
        b64_encode_with(b64_alphabet, 1, in, n, out);
    return out;
}

int
cmn_b64_decode(const char *in, size_t n, unsigned char **out, size_t *out_len)
{
    return b64_decode_with(1, in, n, out, out_len);
}
