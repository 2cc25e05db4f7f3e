#include "cmn/b64url.h"

#include <stdlib.h>

#include "cmn/error.h"

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t
cmn_b64url_encoded_size(size_t n)
{
    return (n / 3) * 4 + ((n % 3) ? (n % 3) + 1 : 0) + 1;
}

long
cmn_b64url_encode(const void *in, size_t n, char *out, size_t out_size)
{
    const unsigned char *p = in;
    size_t i, o = 0;

    if (out_size < cmn_b64url_encoded_size(n))
        return CMN_E_TOOBIG;
    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        out[o++] = b64url_alphabet[(v >> 18) & 63];
        out[o++] = b64url_alphabet[(v >> 12) & 63];
        out[o++] = b64url_alphabet[(v >> 6) & 63];
        out[o++] = b64url_alphabet[v & 63];
    }
    if (n - i == 1) {
        unsigned v = (unsigned)p[i] << 16;
        out[o++] = b64url_alphabet[(v >> 18) & 63];
        out[o++] = b64url_alphabet[(v >> 12) & 63];
    } else if (n - i == 2) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
        out[o++] = b64url_alphabet[(v >> 18) & 63];
        out[o++] = b64url_alphabet[(v >> 12) & 63];
        out[o++] = b64url_alphabet[(v >> 6) & 63];
    }
    out[o] = '\0';
    return (long)o;
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
b64url_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

int
cmn_b64url_decode(const char *in, size_t n, unsigned char **out, size_t *out_len)
{
    unsigned char *buf;
    size_t i, o = 0;
    unsigned acc = 0;
    int bits = 0;

    while (n > 0 && in[n - 1] == '=')
        n--;
    if (n % 4 == 1)
        return CMN_E_INVAL;
    buf = malloc(n / 4 * 3 + 3);
    if (buf == NULL)
        return CMN_E_NOMEM;
    for (i = 0; i < n; i++) {
        int v = b64url_value((unsigned char)in[i]);
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
