/* Fuzz target: redaction (harness/src/redact.c), what every output of the
 * harness passes through. The input is
 *
 *   SECRET LF HEADER-NAME LF HEADER-VALUE LF BODY LF TEXT...
 *
 * SECRET is registered (hx_redactor_add), the header and the body are what a
 * target sent (hx_redactor_learn_header, hx_redactor_learn_body), then TEXT
 * (the rest, any bytes) is redacted, as text and as the value of the header.
 * The property: no secret the redactor holds, registered or learnt, survives
 * in the output. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/buf.h"
#include "fz_check.h"
#include "hx/redact.h"

#define REDACT_FIELDS 4

/* Whether (hay, n) contains the C string needle. */
static bool
redact_contains(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);

    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

static void
redact_check(const struct hx_redactor *r, const char *out, size_t n, const char *what)
{
    for (size_t i = 0; i < r->n_literals; i++)
        if (redact_contains(out, n, r->literals[i])) {
            fprintf(stderr, "fuzz_hx_redact: secret \"%s\" survives in the %s: \"%.*s\"\n",
                    r->literals[i], what, (int)n, out);
            abort();
        }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy, *field[REDACT_FIELDS], *p, *end, *text, *out;
    size_t text_len;
    struct hx_redactor red;
    struct cmn_buf b;

    if (size > 65536)
        return 0;
    copy = malloc(size + 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    p = copy;
    end = copy + size;
    for (int i = 0; i < REDACT_FIELDS; i++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        field[i] = p;
        if (nl == NULL) {
            p = end;
        } else {
            *nl = '\0';
            p = nl + 1;
        }
    }
    text = p;
    text_len = (size_t)(end - p);

    hx_redactor_init(&red);
    FZ_CHECK(hx_redactor_add(&red, field[0]) == 0);
    FZ_CHECK(hx_redactor_learn_header(&red, field[1], field[2]) == 0);
    FZ_CHECK(hx_redactor_learn_body(&red, field[3], strlen(field[3])) == 0);

    cmn_buf_init(&b, (size_t)1 << 26);
    FZ_CHECK(hx_redact_text(&red, text, text_len, &b) == 0);
    redact_check(&red, b.data ? b.data : "", b.len, "text");
    cmn_buf_cleanup(&b);

    out = hx_redact_text_new(&red, text, text_len);
    FZ_CHECK(out != NULL);
    redact_check(&red, out, strlen(out), "text");
    free(out);

    /* the text as the value of the header the target sent, and of others */
    out = hx_redact_header_new(&red, field[1], text);
    FZ_CHECK(out != NULL);
    redact_check(&red, out, strlen(out), "header value");
    free(out);
    out = hx_redact_header_new(&red, "Set-Cookie", text);
    FZ_CHECK(out != NULL);
    redact_check(&red, out, strlen(out), "Set-Cookie value");
    free(out);

    hx_redactor_cleanup(&red);
    free(copy);
    return 0;
}
