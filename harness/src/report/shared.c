/* Helpers the report writers share: safe text, the checklist, the verdict,
 * case order and whole-file writes. */
#include "report_int.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmn/text.h"

int
hx__utf8_put(struct cmn_buf *out, uint32_t cp)
{
    char b[4];
    size_t n;

    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return cmn_buf_add(out, b, n);
}

bool
hx__cp_unsafe(uint32_t cp)
{
    if (cp < 0x20)
        return cp != '\t' && cp != '\n' && cp != '\r';
    if (cp >= 0x7F && cp <= 0x9F)
        return true;
    if (cp >= 0x202A && cp <= 0x202E) /* embeddings and overrides */
        return true;
    if (cp >= 0x2066 && cp <= 0x2069) /* isolates */
        return true;
    if (cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0xFEFF)
        return true;
    return false;
}

/* The next code point of (p, n) as a report shows it. */
static size_t
shared_next_safe(const char *p, size_t n, unsigned flags, uint32_t *cp, bool *replaced)
{
    size_t used = cmn_text_utf8_next(p, n, cp);

    *replaced = false;
    if (*cp == 0xFFFD && !(used == 3 && memcmp(p, "\xEF\xBF\xBD", 3) == 0))
        *replaced = true;
    else if (hx__cp_unsafe(*cp)) {
        *cp = 0xFFFD;
        *replaced = true;
    }
    if ((flags & HX__TEXT_ONELINE) && (*cp == '\n' || *cp == '\r' || *cp == '\t'))
        *cp = ' ';
    return used;
}

int
hx__text_safe(struct cmn_buf *out, const char *p, size_t n, unsigned flags, size_t max_cps,
              size_t *replaced)
{
    size_t count = 0, i = 0;
    int rc;

    while (i < n) {
        uint32_t cp;
        bool repl;

        if (max_cps > 0 && count == max_cps)
            return cmn_buf_adds(out, "…");
        i += shared_next_safe(p + i, n - i, flags, &cp, &repl);
        if (repl && replaced != NULL)
            (*replaced)++;
        rc = hx__utf8_put(out, cp);
        if (rc != 0)
            return rc;
        count++;
    }
    return 0;
}

int
hx__html_escape(struct cmn_buf *out, const char *p, size_t n)
{
    size_t i = 0;
    int rc = 0;

    while (i < n && rc == 0) {
        uint32_t cp;
        bool repl;

        i += shared_next_safe(p + i, n - i, 0, &cp, &repl);
        switch (cp) {
        case '&':
            rc = cmn_buf_adds(out, "&amp;");
            break;
        case '<':
            rc = cmn_buf_adds(out, "&lt;");
            break;
        case '>':
            rc = cmn_buf_adds(out, "&gt;");
            break;
        case '"':
            rc = cmn_buf_adds(out, "&quot;");
            break;
        case '\'':
            rc = cmn_buf_adds(out, "&#39;");
            break;
        case '\r': /* keep it visible in a transcript, not a line break */
            rc = cmn_buf_adds(out, "\\r");
            break;
        default:
            rc = hx__utf8_put(out, cp);
        }
    }
    return rc;
}

int
hx__html_str(struct cmn_buf *out, const char *s)
{
    return s != NULL ? hx__html_escape(out, s, strlen(s)) : 0;
}

int
hx__md_text(struct cmn_buf *out, const char *s, size_t max_cps)
{
    size_t n, i = 0, count = 0;
    int rc = 0;

    if (s == NULL)
        return 0;
    n = strlen(s);
    while (i < n && rc == 0) {
        uint32_t cp;
        bool repl;

        if (max_cps > 0 && count == max_cps)
            return cmn_buf_adds(out, "…");
        i += shared_next_safe(s + i, n - i, HX__TEXT_ONELINE, &cp, &repl);
        if (cp < 0x80 && strchr("\\`*_[]<>&|~!#@", (int)cp) != NULL && cp != 0)
            rc = cmn_buf_addc(out, '\\');
        if (rc == 0)
            rc = hx__utf8_put(out, cp);
        count++;
    }
    return rc;
}

int
hx__md_code(struct cmn_buf *out, const char *p, size_t n, size_t max_cps, bool in_table)
{
    struct cmn_buf safe;
    size_t run = 0, longest = 0, fence;
    const char *s;
    int rc;

    cmn_buf_init(&safe, HX__REPORT_MAX);
    rc = hx__text_safe(&safe, p, n, HX__TEXT_ONELINE, max_cps, NULL);
    if (rc != 0)
        goto cleanup;
    s = cmn_buf_str(&safe);
    for (size_t i = 0; i < safe.len; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    fence = longest + 1;
    /* The span is padded with one space on each side, which CommonMark
     * strips again, so content starting or ending with a backtick or a
     * space keeps its shape. */
    for (size_t i = 0; i < fence && rc == 0; i++)
        rc = cmn_buf_addc(out, '`');
    if (rc == 0)
        rc = cmn_buf_addc(out, ' ');
    for (size_t i = 0; i < safe.len && rc == 0; i++) {
        if (in_table && s[i] == '|')
            rc = cmn_buf_addc(out, '\\');
        if (rc == 0)
            rc = cmn_buf_addc(out, s[i]);
    }
    if (rc == 0)
        rc = cmn_buf_addc(out, ' ');
    for (size_t i = 0; i < fence && rc == 0; i++)
        rc = cmn_buf_addc(out, '`');
cleanup:
    cmn_buf_cleanup(&safe);
    return rc;
}

enum hx__verdict
hx__verdict(const struct hx_counts *n)
{
    if (n->failed > 0)
        return HX__VERDICT_FAIL;
    if (n->errors > 0)
        return HX__VERDICT_INCOMPLETE;
    if (n->passed == 0)
        return HX__VERDICT_EMPTY;
    return HX__VERDICT_PASS;
}

const char *
hx__verdict_name(enum hx__verdict v)
{
    switch (v) {
    case HX__VERDICT_PASS:
        return "pass";
    case HX__VERDICT_FAIL:
        return "fail";
    case HX__VERDICT_INCOMPLETE:
        return "incomplete";
    case HX__VERDICT_EMPTY:
        return "empty";
    }
    return "unknown";
}

const char *
hx__verdict_headline(enum hx__verdict v)
{
    switch (v) {
    case HX__VERDICT_PASS:
        return "PASS: every check that ran passed";
    case HX__VERDICT_FAIL:
        return "FAIL: the target does not conform";
    case HX__VERDICT_INCOMPLETE:
        return "INCOMPLETE: some checks could not run";
    case HX__VERDICT_EMPTY:
        return "NO VERDICT: no check ran";
    }
    return "unknown";
}

const char *
hx__status_symbol(enum hx_status s)
{
    switch (s) {
    case HX_STATUS_PASS:
        return "✓";
    case HX_STATUS_FAIL:
        return "✗";
    case HX_STATUS_ERROR:
        return "!";
    case HX_STATUS_SKIP:
        return "–";
    case HX_STATUS_WARN:
        return "⚠";
    case HX_STATUS_WAIVED:
        return "≈";
    }
    return "?";
}

const char *
hx__status_word(enum hx_status s)
{
    switch (s) {
    case HX_STATUS_PASS:
        return "PASS";
    case HX_STATUS_FAIL:
        return "FAIL";
    case HX_STATUS_ERROR:
        return "ERROR";
    case HX_STATUS_SKIP:
        return "SKIP";
    case HX_STATUS_WARN:
        return "WARN";
    case HX_STATUS_WAIVED:
        return "WAIVED";
    }
    return "UNKNOWN";
}

const char *
hx__baseline_words(enum hx_baseline_mark m)
{
    switch (m) {
    case HX_BASELINE_NONE:
        return NULL;
    case HX_BASELINE_NEW:
        return "new since the baseline";
    case HX_BASELINE_STILL_FAILING:
        return "still failing (in the baseline too)";
    case HX_BASELINE_FIXED:
        return "fixed since the baseline";
    }
    return NULL;
}

void
hx__waived_lead(const struct hx_case *c, char *out, size_t size)
{
    const struct hx_waiver *w = c->waiver;

    snprintf(out, size, "WAIVED until %s (owner: %.200s; reason: %.600s); the check found (%s): ",
             w != NULL ? w->expires : "?", w != NULL && w->owner ? w->owner : "?",
             w != NULL && w->reason ? w->reason : "?", hx_status_name(c->waived_status));
}

void
hx__waiver_line(const struct hx_result *r, size_t index, char *out, size_t size)
{
    const struct hx_waiver *w = &r->waivers[index];
    const char *what = "";

    switch (w->state) {
    case HX_WAIVER_UNUSED:
        what = "matched no check of this run: a stale waiver, it fails the gate until removed";
        break;
    case HX_WAIVER_UNNEEDED:
        what = "matched only checks that did not fail: it waives nothing now";
        break;
    case HX_WAIVER_APPLIED:
        what = "waives the failures it matched";
        break;
    case HX_WAIVER_EXPIRED:
        what = "has expired: it waives nothing and fails the gate";
        break;
    }
    snprintf(out, size, "waiver %zu (check %.100s%s%.200s, owner %.100s, until %s) %s", index,
             w->check ? w->check : "?", w->target ? ", target " : "", w->target ? w->target : "",
             w->owner ? w->owner : "?", w->expires, what);
}

struct shared_sort_entry {
    const struct hx_case *c;
    size_t index;
};

static int
shared_strcmp_null(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int
shared_case_cmp(const void *pa, const void *pb)
{
    const struct shared_sort_entry *a = pa, *b = pb;
    int d = shared_strcmp_null(a->c->id, b->c->id);

    if (d == 0)
        d = shared_strcmp_null(a->c->group, b->c->group);
    if (d == 0)
        d = shared_strcmp_null(a->c->file, b->c->file);
    if (d == 0)
        d = (a->index > b->index) - (a->index < b->index);
    return d;
}

const struct hx_case **
hx__cases_sorted(const struct hx_result *r)
{
    struct shared_sort_entry *e = calloc(r->n_cases + 1, sizeof *e);
    const struct hx_case **out = calloc(r->n_cases + 1, sizeof *out);

    if (e == NULL || out == NULL) {
        free(e);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < r->n_cases; i++) {
        e[i].c = r->cases[i];
        e[i].index = i;
    }
    qsort(e, r->n_cases, sizeof *e, shared_case_cmp);
    for (size_t i = 0; i < r->n_cases; i++)
        out[i] = e[i].c;
    free(e);
    return out;
}

int
hx__report_write_file(const char *path, const char *p, size_t n, struct hx_error *err)
{
    char tmp[4096];
    int fd = -1, rc = HX_E_IO, k;
    size_t done = 0;

    k = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    if (k < 0 || (size_t)k >= sizeof tmp) {
        hx_error_set(err, path, 0, "%s: path too long", path);
        return HX_E_TOOLONG;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        hx_error_set(err, path, 0, "%s: cannot create: %s", tmp, strerror(errno));
        return HX_E_IO;
    }
    while (done < n) {
        ssize_t w = write(fd, p + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            hx_error_set(err, path, 0, "%s: cannot write: %s", tmp, strerror(errno));
            goto cleanup;
        }
        done += (size_t)w;
    }
    if (close(fd) != 0) {
        fd = -1;
        hx_error_set(err, path, 0, "%s: cannot write: %s", tmp, strerror(errno));
        goto cleanup;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        hx_error_set(err, path, 0, "%s: cannot rename into place: %s", path, strerror(errno));
        goto cleanup;
    }
    rc = 0;
cleanup:
    if (fd >= 0)
        close(fd);
    if (rc != 0)
        unlink(tmp);
    return rc;
}

void
hx__time_rfc3339(time_t t, char *out, size_t size)
{
    if (t == 0 || size < 21) {
        if (size > 0)
            out[0] = '\0';
        return;
    }
    cmn_text_format_rfc3339(t, out, size);
}

void
hx__w_raw(struct hx__w *w, const char *s)
{
    if (w->rc == 0)
        w->rc = cmn_buf_adds(w->b, s);
}

void
hx__w_add(struct hx__w *w, const void *p, size_t n)
{
    if (w->rc == 0)
        w->rc = cmn_buf_add(w->b, p, n);
}

void
hx__w_fmt(struct hx__w *w, const char *fmt, ...)
{
    va_list ap;

    if (w->rc != 0)
        return;
    va_start(ap, fmt);
    w->rc = cmn_buf_vaddf(w->b, fmt, ap);
    va_end(ap);
}

json_t *
hx__json_text(const char *p, size_t n, bool *lossy)
{
    struct cmn_buf b;
    size_t replaced = 0;
    json_t *v = NULL;

    cmn_buf_init(&b, HX__REPORT_MAX);
    if (hx__text_safe(&b, p, n, 0, 0, &replaced) == 0)
        v = json_stringn(b.data != NULL ? b.data : "", b.len);
    cmn_buf_cleanup(&b);
    if (lossy != NULL)
        *lossy = replaced > 0;
    return v;
}
