#include "hx/probes/fake_id.h"

#include <stdio.h>
#include <string.h>

#include "hx/error.h"

static int
fake_is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int
hx_fake_user_id(const char *format, const char *real_id, const unsigned char *rnd, char *out,
                size_t out_size)
{
    static const char digits[] = "0123456789", lower[] = "abcdefghijklmnopqrstuvwxyz",
                      upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    char alphabet[64] = "";
    size_t n, na;

    if (format == NULL || strcmp(format, "opaque") != 0 || real_id == NULL ||
        real_id[0] == '\0') {
        if (out_size < 37)
            return HX_E_TOOLONG;
        snprintf(out, out_size,
                 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", rnd[0],
                 rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], (rnd[6] & 0x0f) | 0x40, rnd[7],
                 (rnd[8] & 0x3f) | 0x80, rnd[9], rnd[10], rnd[11], rnd[12], rnd[13], rnd[14],
                 rnd[15]);
        return 0;
    }
    n = strlen(real_id);
    if (n + 1 > out_size)
        return HX_E_TOOLONG;
    if (strpbrk(real_id, digits) != NULL)
        strcat(alphabet, digits);
    if (strpbrk(real_id, lower) != NULL)
        strcat(alphabet, lower);
    if (strpbrk(real_id, upper) != NULL)
        strcat(alphabet, upper);
    na = strlen(alphabet);
    for (size_t i = 0; i < n; i++)
        out[i] = fake_is_alnum(real_id[i]) ? alphabet[rnd[i] % na] : real_id[i];
    out[n] = '\0';
    return 0;
}
