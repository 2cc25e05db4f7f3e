#include "cmn/text.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

size_t
cmn_text_utf8_next(const char *p, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)p;
    uint32_t c = s[0], min;
    size_t len;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        c &= 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        c &= 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (n < len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return len;
}

bool
cmn_text_is_utf8(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        uint32_t cp;
        size_t used = cmn_text_utf8_next(s + i, n - i, &cp);
        /* U+FFFD comes back for a broken sequence (one byte) or as itself (three) */
        if (cp == 0xFFFD && used == 1)
            return false;
        i += used;
    }
    return true;
}

bool
cmn_text_is_uuid(const char *s)
{
    static const int groups[] = {8, 4, 4, 4, 12};

    for (int g = 0; g < 5; g++) {
        for (int k = 0; k < groups[g]; k++, s++)
            if (!isxdigit((unsigned char)*s))
                return false;
        if (g < 4 && *s++ != '-')
            return false;
    }
    return *s == '\0';
}

static bool
text_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool
cmn_text_parse_rfc3339(const char *s, time_t *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int Y, M, D, h, m, sec, oh = 0, om = 0, sign = 0;
    struct tm tm;
    const char *p;
    time_t t;

    if (strlen(s) < 20)
        return false;
    if (!text_digits(s, 4, &Y) || s[4] != '-' || !text_digits(s + 5, 2, &M) || s[7] != '-' ||
        !text_digits(s + 8, 2, &D) || (s[10] != 'T' && s[10] != 't') ||
        !text_digits(s + 11, 2, &h) || s[13] != ':' || !text_digits(s + 14, 2, &m) ||
        s[16] != ':' || !text_digits(s + 17, 2, &sec))
        return false;
    if (M < 1 || M > 12 || D < 1 || D > mdays[M - 1] || h > 23 || m > 59 || sec > 60)
        return false;
    if (M == 2 && D == 29 && !((Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0))
        return false;
    p = s + 19;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '+' ? 1 : -1;
        if (!text_digits(p + 1, 2, &oh) || p[3] != ':' || !text_digits(p + 4, 2, &om) || oh > 23 ||
            om > 59)
            return false;
        p += 6;
    } else {
        return false;
    }
    if (*p != '\0')
        return false;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = Y - 1900;
    tm.tm_mon = M - 1;
    tm.tm_mday = D;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = sec;
    t = timegm(&tm) - sign * (oh * 3600 + om * 60);
    /* an offset may carry the instant outside the years RFC 3339 writes
     * (0000 to 9999), where it could not be written back */
    if (t < CMN_RFC3339_MIN || t > CMN_RFC3339_MAX)
        return false;
    if (out != NULL)
        *out = t;
    return true;
}

void
cmn_text_format_rfc3339(time_t t, char *out, size_t out_size)
{
    struct tm tm;

    if (t < CMN_RFC3339_MIN)
        t = CMN_RFC3339_MIN;
    if (t > CMN_RFC3339_MAX)
        t = CMN_RFC3339_MAX;
    gmtime_r(&t, &tm);
    /* four digits of year always (strftime's %Y writes 26 for the year 26) */
    snprintf(out, out_size, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
