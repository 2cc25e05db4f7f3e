#include "rs/framing.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Whitespace allowed between a field's colon and its value: as much as a
 * header block may hold (server.c refuses more than 16 KiB of fields). */
#define FRAMING_MAX_OWS (16 * 1024)

struct framing_scan {
    const char *problem;
    unsigned n_host, n_length, n_encoding;
    const char *length;   /* the first Content-Length */
    const char *encoding; /* the first Transfer-Encoding */
};

/* RFC 9110 section 5.6.2: a field name is a token. */
static bool
framing_is_token(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("!#$%&'*+-.^_`|~", c) != NULL))
            return false;
    }
    return true;
}

/* libmicrohttpd 0.9.75 leaves a field line where it read it, cut in place:
 * "name\0", the whitespace after the colon, then the value. Only a folded
 * line (obs-fold) makes it move the name elsewhere in the connection's
 * memory, which this detects. Both pointers lie in that one memory pool, so
 * the bytes between them may be read. */
static bool
framing_line_in_place(const char *name, const char *value)
{
    uintptr_t start = (uintptr_t)name + strlen(name) + 1, v = (uintptr_t)value;

    if (value == NULL || v < start || v - start > FRAMING_MAX_OWS)
        return false;
    for (const char *p = name + strlen(name) + 1; p < value; p++)
        if (*p != ' ' && *p != '\t')
            return false;
    return true;
}

/* RFC 9110 section 7.2: Host is uri-host [":" port]; nothing else. */
static bool
framing_host_ok(const char *v)
{
    for (; *v != '\0'; v++) {
        unsigned char c = (unsigned char)*v;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("-._~!$&'()*+,;=:[]%", c) != NULL))
            return false;
    }
    return true;
}

static enum MHD_Result
framing_field(void *cls, enum MHD_ValueKind kind, const char *name, const char *value)
{
    struct framing_scan *s = cls;
    (void)kind;

    if (!framing_is_token(name)) {
        s->problem = "Malformed header field name";
        return MHD_NO;
    }
    if (!framing_line_in_place(name, value)) {
        s->problem = "Folded header field line";
        return MHD_NO;
    }
    if (strcasecmp(name, MHD_HTTP_HEADER_HOST) == 0) {
        s->n_host++;
        if (!framing_host_ok(value)) {
            s->problem = "Malformed Host header";
            return MHD_NO;
        }
    } else if (strcasecmp(name, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        /* The same length twice may stand (RFC 9112 section 6.3); two
         * lengths may not. */
        if (s->n_length++ == 0)
            s->length = value;
        else if (strcmp(s->length, value) != 0) {
            s->problem = "Conflicting Content-Length headers";
            return MHD_NO;
        }
    } else if (strcasecmp(name, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        if (s->n_encoding++ == 0)
            s->encoding = value;
    }
    return MHD_YES;
}

const char *
rs_framing_problem(struct MHD_Connection *conn, const char *version)
{
    struct framing_scan s;

    memset(&s, 0, sizeof s);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, framing_field, &s);
    if (s.problem != NULL)
        return s.problem;
    if (s.n_encoding > 0 && s.n_length > 0)
        return "Content-Length and Transfer-Encoding together";
    if (s.n_encoding > 1)
        return "More than one Transfer-Encoding header";
    /* libmicrohttpd decodes chunked alone; anything else would be read up
     * to the end of the connection (RFC 9112 section 6.3: 400). */
    if (s.n_encoding == 1 && strcasecmp(s.encoding, "chunked") != 0)
        return "Unsupported Transfer-Encoding";
    if (s.n_host > 1)
        return "More than one Host header";
    if (s.n_host == 0 && strcmp(version, MHD_HTTP_VERSION_1_0) != 0)
        return "Missing Host header";
    return NULL;
}
