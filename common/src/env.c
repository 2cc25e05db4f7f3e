#include "cmn/env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmn/buf.h"
#include "cmn/error.h"

int
cmn_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;

    if (s == NULL || *s == '\0')
        return CMN_E_INVAL;
    errno = 0;
    v = strtol(s, &end, 10);
    if (*end != '\0' || end == s)
        return CMN_E_INVAL;
    if (errno == ERANGE || v < min || v > max)
        return CMN_E_RANGE;
    *out = v;
    return 0;
}

int
cmn_parse_duration(const char *s, long min, long max, long *out)
{
    char num[32];
    size_t n;
    long mult = 1, v;
    int rc;

    if (s == NULL || (n = strlen(s)) == 0 || n >= sizeof num)
        return CMN_E_INVAL;
    memcpy(num, s, n + 1);
    switch (num[n - 1]) {
    case 's':
        mult = 1;
        num[n - 1] = '\0';
        break;
    case 'm':
        mult = 60;
        num[n - 1] = '\0';
        break;
    case 'h':
        mult = 3600;
        num[n - 1] = '\0';
        break;
    case 'd':
        mult = 86400;
        num[n - 1] = '\0';
        break;
    default:
        break;
    }
    rc = cmn_parse_long(num, 0, 100L * 365 * 86400, &v);
    if (rc != 0)
        return rc;
    v *= mult;
    if (v < min || v > max)
        return CMN_E_RANGE;
    *out = v;
    return 0;
}

int
cmn_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};

    if (s == NULL)
        return CMN_E_INVAL;
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return CMN_E_INVAL;
}

const char *
cmn_env_get(const char *name)
{
    const char *v = getenv(name);
    return (v != NULL && *v != '\0') ? v : NULL;
}

int
cmn_read_file(const char *path, size_t max, char **out, size_t *out_len)
{
    struct cmn_buf b;
    char chunk[4096];
    size_t n, len;
    FILE *f;
    int rc = 0;

    f = fopen(path, "rb");
    if (f == NULL)
        return CMN_E_IO;
    cmn_buf_init(&b, max);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        rc = cmn_buf_add(&b, chunk, n);
        if (rc != 0)
            break;
    }
    if (rc == 0 && ferror(f))
        rc = CMN_E_IO;
    fclose(f);
    if (rc != 0) {
        cmn_buf_cleanup(&b);
        return rc;
    }
    len = b.len;
    *out = cmn_buf_take(&b);
    if (*out == NULL)
        return CMN_E_NOMEM;
    *out_len = len;
    return 0;
}

int
cmn_read_file_trimmed(const char *path, size_t max, char **out)
{
    char *text;
    size_t len;
    int rc = cmn_read_file(path, max, &text, &len);

    if (rc != 0)
        return rc;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = '\0';
    *out = text;
    return 0;
}
