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
    const char *length;    /* the first Content-Length */
    const char *encoding;  /* the first Transfer-Encoding */
    const char *value_end; /* the NUL ending the last field's value seen */
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

/* RFC 9110 section 5.5: a field value holds visible characters, spaces and
 * tabs; CR, LF and NUL are dangerous (a recipient must refuse them or
 * replace them), and so are the other controls. libmicrohttpd keeps a CR
 * and cuts a value at a NUL, so that what authref reads would differ from
 * what a proxy in front of it read. */
static bool
framing_value_ok(const char *v)
{
    for (; *v != '\0'; v++) {
        unsigned char c = (unsigned char)*v;
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

/* Whether what lies between the end of one field's value (its NUL) and the
 * next field's name is a line end and nothing else: libmicrohttpd wrote a
 * NUL over the CR and the LF (or over a bare LF). Anything else there is the
 * rest of a value that a raw NUL byte cut short. */
static bool
framing_line_end_between(const char *value_end, const char *next_name)
{
    uintptr_t gap = (uintptr_t)next_name - (uintptr_t)value_end;

    if ((uintptr_t)next_name <= (uintptr_t)value_end)
        return false;
    return gap == 1 || (gap == 2 && value_end[1] == '\0');
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
    if (!framing_value_ok(value) ||
        (s->value_end != NULL && !framing_line_end_between(s->value_end, name))) {
        s->problem = "Malformed header field value";
        return MHD_NO;
    }
    s->value_end = value + strlen(value);
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

/* After the last field: the NULs libmicrohttpd wrote over its line end and
 * over the empty line that ends the header block (2 to 4 bytes), up to the
 * block's end, and nothing else. */
static bool
framing_block_end_ok(const char *value_end, const char *block_end)
{
    if ((uintptr_t)block_end <= (uintptr_t)value_end ||
        (uintptr_t)block_end - (uintptr_t)value_end > 4)
        return false;
    for (const char *p = value_end; p < block_end; p++)
        if (*p != '\0')
            return false;
    return true;
}

const char *
rs_framing_problem(struct MHD_Connection *conn, const char *method, const char *version)
{
    const union MHD_ConnectionInfo *size =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    struct framing_scan s;

    memset(&s, 0, sizeof s);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, framing_field, &s);
    if (s.problem != NULL)
        return s.problem;
    if (s.value_end != NULL && size != NULL &&
        !framing_block_end_ok(s.value_end, method + size->header_size))
        return "Malformed header field value";
    if (s.n_encoding > 0 && s.n_length > 0)
        return "Content-Length and Transfer-Encoding together";
    if (s.n_encoding > 1)
        return "More than one Transfer-Encoding header";
    /* RFC 9112 section 6.1: HTTP/1.0 has no transfer codings; such a
     * request's framing is faulty. */
    if (s.n_encoding == 1 && strcmp(version, MHD_HTTP_VERSION_1_0) == 0)
        return "Transfer-Encoding in an HTTP/1.0 request";
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
