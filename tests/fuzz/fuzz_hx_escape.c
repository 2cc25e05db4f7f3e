/* Fuzz target: text from a hostile target made safe for the reports: XML
 * text, attributes and CDATA of the JUnit report (report/junit.c), HTML and
 * Markdown text and code spans, and the safe UTF-8 filter (report/shared.c).
 *
 * The input is the text, any bytes. Besides crashes, each output is checked
 * for what its format needs: well-formed UTF-8, no character that could end
 * or open markup where it stands. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/buf.h"
#include "cmn/text.h"
#include "fz_check.h"
#include "hx/report_junit.h"
#include "report_int.h"

#define ESCAPE_MAX ((size_t)1 << 24)

/* b is valid UTF-8 without tab, LF or CR unless allow_breaks, and without
 * the other code points its format forbids: for XML (not strict) C0 controls
 * and U+FFFE/U+FFFF; for the other reports (strict) every one a report shows
 * replaced (controls, DEL, C1, bidi controls, BOM: hx__cp_unsafe). */
static void
escape_check_chars(const struct cmn_buf *b, bool allow_breaks, bool strict)
{
    size_t i = 0;

    FZ_CHECK(cmn_text_is_utf8(b->data ? b->data : "", b->len));
    while (i < b->len) {
        uint32_t cp;
        i += cmn_text_utf8_next(b->data + i, b->len - i, &cp);
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            FZ_CHECK(allow_breaks);
            continue;
        }
        if (strict)
            FZ_CHECK(!hx__cp_unsafe(cp));
        else
            FZ_CHECK(cp >= 0x20 && cp != 0xFFFE && cp != 0xFFFF);
    }
}

/* '&' only opens an entity: "&name;" or "&#digits;". */
static void
escape_check_entities(const char *s)
{
    for (const char *p = strchr(s, '&'); p != NULL; p = strchr(p + 1, '&')) {
        const char *q = p + 1;
        if (*q == '#')
            q++;
        while ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9'))
            q++;
        FZ_CHECK(q > p + 1 && *q == ';');
    }
}

static void
escape_xml(const char *p, size_t n)
{
    struct cmn_buf b;
    const char *s, *end;

    for (int attribute = 0; attribute < 2; attribute++) {
        cmn_buf_init(&b, ESCAPE_MAX);
        FZ_CHECK(hx_xml_escape(&b, p, n, attribute) == 0);
        s = cmn_buf_str(&b);
        escape_check_chars(&b, !attribute, false);
        FZ_CHECK(strchr(s, '<') == NULL && strchr(s, '>') == NULL);
        if (attribute)
            FZ_CHECK(strchr(s, '"') == NULL);
        escape_check_entities(s);
        cmn_buf_cleanup(&b);
    }

    /* CDATA: sections, each closed once, "]]>" never inside one */
    cmn_buf_init(&b, ESCAPE_MAX);
    FZ_CHECK(hx_xml_cdata(&b, p, n) == 0);
    escape_check_chars(&b, true, false);
    s = cmn_buf_str(&b);
    end = s + b.len;
    while (s < end) {
        const char *close;
        FZ_CHECK(strncmp(s, "<![CDATA[", 9) == 0);
        s += 9;
        close = strstr(s, "]]>");
        FZ_CHECK(close != NULL);
        s = close + 3;
    }
    FZ_CHECK(b.len >= 12);
    cmn_buf_cleanup(&b);
}

static void
escape_html(const char *p, size_t n)
{
    struct cmn_buf b;
    const char *s;

    cmn_buf_init(&b, ESCAPE_MAX);
    FZ_CHECK(hx__html_escape(&b, p, n) == 0);
    s = cmn_buf_str(&b);
    escape_check_chars(&b, true, true);
    FZ_CHECK(strpbrk(s, "<>\"'\r") == NULL);
    escape_check_entities(s);
    cmn_buf_cleanup(&b);
}

static void
escape_markdown(const char *p, size_t n, const char *s)
{
    struct cmn_buf b;
    const char *out;

    for (size_t max = 0; max < 20; max += 7) {
        cmn_buf_init(&b, ESCAPE_MAX);
        FZ_CHECK(hx__md_text(&b, s, max) == 0);
        escape_check_chars(&b, false, true);
        out = cmn_buf_str(&b);
        /* every markup character is escaped */
        for (size_t i = 0; i < b.len; i++)
            if (strchr("`*_[]<>&|~!#@", out[i]) != NULL && out[i] != '\0')
                FZ_CHECK(i > 0 && out[i - 1] == '\\');
        cmn_buf_cleanup(&b);

        for (int table = 0; table < 2; table++) {
            cmn_buf_init(&b, ESCAPE_MAX);
            FZ_CHECK(hx__md_code(&b, p, n, max, table) == 0);
            escape_check_chars(&b, false, true);
            out = cmn_buf_str(&b);
            FZ_CHECK(b.len >= 4 && out[0] == '`' && out[b.len - 1] == '`');
            if (table)
                for (size_t i = 0; i < b.len; i++)
                    if (out[i] == '|')
                        FZ_CHECK(i > 0 && out[i - 1] == '\\');
            cmn_buf_cleanup(&b);
        }
    }
}

static void
escape_text_safe(const char *p, size_t n)
{
    struct cmn_buf b;
    size_t replaced = 0;

    for (unsigned flags = 0; flags < 2; flags++) {
        cmn_buf_init(&b, ESCAPE_MAX);
        FZ_CHECK(hx__text_safe(&b, p, n, flags, flags ? 5 : 0, &replaced) == 0);
        escape_check_chars(&b, flags == 0, true);
        cmn_buf_cleanup(&b);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    char *s;

    if (size > 65536)
        return 0;
    s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    escape_xml(p, size);
    escape_html(p, size);
    escape_markdown(p, size, s);
    escape_text_safe(p, size);
    free(s);
    return 0;
}
