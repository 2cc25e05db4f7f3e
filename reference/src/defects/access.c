/* Planted defects of authentication and ownership (defect builds only). */
#include "rs/defect.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cmn/text.h"
#include "rs/request.h"

const char *
rs_defect_auth_any_scheme(const char *h)
{
    const char *sp = strchr(h, ' ');
    return sp != NULL ? sp + 1 : h;
}

bool
rs_defect_owner_bypass(struct rs_request *r)
{
    bool read = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
    char decoded[RS_ID_MAX];
    size_t n = 0;

    if (((RS_DEFECT(ISOLATION_READ_BYPASS) && read) ||
         (RS_DEFECT(ISOLATION_WRITE_BYPASS) && !read)) &&
        cmn_text_is_uuid(r->path_user_id)) {
        /* Acts as the user the path names. */
        memcpy(r->user_id, r->path_user_id, sizeof r->user_id);
        return true;
    }
    if (!RS_DEFECT(ISOLATION_CASE_BYPASS))
        return false;
    /* Only the canonical form is compared; an id in another case or
     * percent-encoded skips the check and is used, decoded, as the owner. */
    for (const char *p = r->path_user_id; *p && n + 1 < sizeof decoded; p++) {
        unsigned v;
        if (p[0] == '%' && p[1] && p[2] && sscanf(p + 1, "%2x", &v) == 1) {
            decoded[n++] = (char)v;
            p += 2;
        } else {
            decoded[n++] = (char)tolower((unsigned char)*p);
        }
    }
    decoded[n] = '\0';
    if (strcmp(decoded, r->path_user_id) == 0 || !cmn_text_is_uuid(decoded))
        return false;
    memcpy(r->user_id, decoded, sizeof r->user_id);
    return true;
}

void
rs_defect_forwarded_first(const char *xff, char *out, size_t size)
{
    char addr[64];
    unsigned char bin[16];
    size_t n;

    while (*xff == ' ' || *xff == '\t')
        xff++;
    n = strcspn(xff, ", \t");
    if (n == 0 || n >= sizeof addr)
        return;
    memcpy(addr, xff, n);
    addr[n] = '\0';
    if (inet_pton(AF_INET, addr, bin) == 1 || inet_pton(AF_INET6, addr, bin) == 1)
        snprintf(out, size, "%s", addr);
}
