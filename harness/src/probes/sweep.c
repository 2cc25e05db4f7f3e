/* The secret sweep (see hx/probes/sweep.h). */
#define OPENSSL_SUPPRESS_DEPRECATED /* SHA256_Transform: the low-level block function */
#include "hx/probes/sweep.h"

#include <ctype.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmn/b64url.h"
#include "cmn/clock.h"
#include "cmn/error.h"

#define SWEEP_CHUNK 2048
#define SWEEP_MAX_THREADS 64
#define SWEEP_NUM_RULES 10000   /* append 0..9999 */
#define SWEEP_NUM2_RULES 10     /* append 00..09 */
#define SWEEP_CAPNUM_RULES 1000 /* capitalized, append 0..999 */

static const char sweep_default_charset[] = "abcdefghijklmnopqrstuvwxyz0123456789";

static const uint32_t sweep_iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/* ---- one candidate ---- */

static inline void
sweep_state_bytes(const SHA256_CTX *c, unsigned char *out)
{
    uint32_t be[8];
    for (int i = 0; i < 8; i++)
        be[i] = __builtin_bswap32(c->h[i]);
    memcpy(out, be, sizeof(be));
}

/* The per-thread scratch: a context, the inner message (key block followed
 * by the token's padded signing input, copied once) and the outer message
 * (key block, then the inner digest with its fixed padding: 64 + 32 bytes
 * hashed). Contiguous, so that each hash is one call over whole blocks. */
struct sweep_scratch {
    SHA256_CTX c;
    unsigned char *inner; /* 64 + 64 * n_blocks */
    size_t inner_len;
    unsigned char outer[128];
};

static int
sweep_scratch_init(struct sweep_scratch *s, const struct hx_sweep_target *t)
{
    memset(s, 0, sizeof(*s));
    s->inner_len = 64 + 64 * t->n_blocks;
    s->inner = calloc(1, s->inner_len);
    if (s->inner == NULL)
        return CMN_E_NOMEM;
    memcpy(s->inner + 64, t->blocks, 64 * t->n_blocks);
    s->outer[64 + 32] = 0x80;
    s->outer[126] = (unsigned char)((96 * 8) >> 8);
    s->outer[127] = (unsigned char)((96 * 8) & 0xff);
    return 0;
}

static void
sweep_scratch_cleanup(struct sweep_scratch *s)
{
    free(s->inner);
    s->inner = NULL;
}

/* The padding is already in the messages: hash whole blocks in one call
 * (SHA256_Update hands full blocks to the block function without copying)
 * and read the state. */
static inline void
sweep_blocks(SHA256_CTX *c, const unsigned char *p, size_t n)
{
    c->Nl = 0;
    c->Nh = 0;
    c->num = 0;
    memcpy(c->h, sweep_iv, sizeof(sweep_iv));
    SHA256_Update(c, p, n);
}

static inline bool
sweep_check(const struct hx_sweep_target *t, struct sweep_scratch *s, const unsigned char *key,
            size_t klen)
{
    unsigned char hashed[32];
    size_t i;

    if (klen > 64) {
        /* longer keys are their SHA-256 (RFC 2104); low-level calls on the
         * thread's context: SHA256() may allocate */
        SHA256_Init(&s->c);
        SHA256_Update(&s->c, key, klen);
        SHA256_Final(hashed, &s->c);
        key = hashed;
        klen = 32;
    }
    {
        uint64_t k[8] = {0}, in[8], out[8];
        memcpy(k, key, klen);
        for (i = 0; i < 8; i++) {
            in[i] = k[i] ^ 0x3636363636363636ULL;
            out[i] = k[i] ^ 0x5c5c5c5c5c5c5c5cULL;
        }
        memcpy(s->inner, in, 64);
        memcpy(s->outer, out, 64);
    }
    sweep_blocks(&s->c, s->inner, s->inner_len);
    sweep_state_bytes(&s->c, s->outer + 64);
    sweep_blocks(&s->c, s->outer, sizeof(s->outer));
    if (s->c.h[0] != t->want[0])
        return false;
    return memcmp(s->c.h, t->want, sizeof(t->want)) == 0;
}

int
hx_sweep_prepare_mac(const void *msg, size_t n, const unsigned char mac[32],
                     struct hx_sweep_target *t)
{
    size_t total, nb;
    uint64_t bits;

    memset(t, 0, sizeof(*t));
    for (int i = 0; i < 8; i++)
        t->want[i] = (uint32_t)mac[4 * i] << 24 | (uint32_t)mac[4 * i + 1] << 16 |
                     (uint32_t)mac[4 * i + 2] << 8 | (uint32_t)mac[4 * i + 3];
    /* The inner hash is over key block (64 bytes) + message: pad the message
     * as the tail of that input. */
    nb = (n + 1 + 8 + 63) / 64;
    total = nb * 64;
    t->blocks = calloc(1, total);
    if (t->blocks == NULL)
        return CMN_E_NOMEM;
    memcpy(t->blocks, msg, n);
    t->blocks[n] = 0x80;
    bits = (uint64_t)(64 + n) * 8;
    for (int i = 0; i < 8; i++)
        t->blocks[total - 1 - i] = (unsigned char)(bits >> (8 * i));
    t->n_blocks = nb;
    return 0;
}

int
hx_sweep_prepare(const char *token, struct hx_sweep_target *t)
{
    const char *dot1, *dot2;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int rc;

    memset(t, 0, sizeof(*t));
    if (token == NULL)
        return CMN_E_INVAL;
    dot1 = strchr(token, '.');
    dot2 = dot1 != NULL ? strchr(dot1 + 1, '.') : NULL;
    if (dot1 == NULL || dot2 == NULL || strchr(dot2 + 1, '.') != NULL)
        return CMN_E_INVAL;
    if (cmn_b64url_decode(dot2 + 1, strlen(dot2 + 1), &sig, &sig_len) != 0)
        return CMN_E_INVAL;
    rc = sig_len == 32 ? hx_sweep_prepare_mac(token, (size_t)(dot2 - token), sig, t) : CMN_E_INVAL;
    free(sig);
    return rc;
}

/* The value of hex digit c, or -1. */
static int
sweep_hex(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

int
hx_sweep_prepare_signed_value(const char *text, struct hx_sweep_target *t)
{
    char dec[1024], b64[128];
    size_t n = 0, bn = 0;
    const char *dot;
    unsigned char *mac = NULL;
    size_t mac_len = 0;
    int rc;

    memset(t, 0, sizeof(*t));
    if (text == NULL)
        return CMN_E_INVAL;
    /* percent-decoded, as a cookie or a header carries it */
    for (const char *p = text; *p != '\0'; p++) {
        if (n + 1 >= sizeof dec)
            return CMN_E_INVAL;
        if (p[0] == '%' && sweep_hex(p[1]) >= 0 && sweep_hex(p[2]) >= 0) {
            dec[n++] = (char)(sweep_hex(p[1]) * 16 + sweep_hex(p[2]));
            p += 2;
        } else {
            dec[n++] = *p;
        }
    }
    dec[n] = '\0';
    dot = strrchr(dec, '.');
    if (dot == NULL || dot == dec || strlen(dot + 1) != 44 || dot[44] != '=')
        return CMN_E_INVAL; /* 32 bytes in standard base64 are 44 characters, one '=' */
    /* standard base64 to the URL alphabet, without its padding */
    for (const char *p = dot + 1; *p != '\0' && *p != '=' && bn + 1 < sizeof b64; p++)
        b64[bn++] = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    b64[bn] = '\0';
    if (cmn_b64url_decode(b64, bn, &mac, &mac_len) != 0)
        return CMN_E_INVAL;
    rc = mac_len == 32 ? hx_sweep_prepare_mac(dec, (size_t)(dot - dec), mac, t) : CMN_E_INVAL;
    free(mac);
    return rc;
}

void
hx_sweep_target_cleanup(struct hx_sweep_target *t)
{
    if (t == NULL)
        return;
    free(t->blocks);
    memset(t, 0, sizeof(*t));
}

bool
hx_sweep_try(const struct hx_sweep_target *t, const void *key, size_t key_len)
{
    struct sweep_scratch s;
    bool ok;
    if (sweep_scratch_init(&s, t) != 0)
        return false;
    ok = sweep_check(t, &s, key, key_len);
    sweep_scratch_cleanup(&s);
    return ok;
}

/* ---- word lists ---- */

int
hx_wordlist_parse(const char *text, size_t len, struct hx_wordlist *out)
{
    size_t cap = 0, n = 0, pos = 0;
    struct hx_wordlist wl = {0};

    memset(out, 0, sizeof(*out));
    /* Upper bound of words: lines. */
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            cap++;
    cap++;
    wl.data = malloc(len + 1);
    wl.offset = calloc(cap, sizeof(*wl.offset));
    wl.length = calloc(cap, sizeof(*wl.length));
    if (wl.data == NULL || wl.offset == NULL || wl.length == NULL) {
        hx_wordlist_cleanup(&wl);
        return CMN_E_NOMEM;
    }
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl != NULL ? (size_t)(nl - line) : len - pos;
        pos += ll + (nl != NULL ? 1 : 0);
        if (ll > 0 && line[ll - 1] == '\r')
            ll--;
        if (ll == 0 || line[0] == '#' || ll > HX_SWEEP_WORD_MAX || memchr(line, '\0', ll))
            continue;
        wl.offset[n] = (uint32_t)(n == 0 ? 0 : wl.offset[n - 1] + wl.length[n - 1] + 1);
        memcpy(wl.data + wl.offset[n], line, ll);
        wl.data[wl.offset[n] + ll] = '\0';
        wl.length[n] = (uint16_t)ll;
        n++;
    }
    wl.n = n;
    *out = wl;
    return 0;
}

int
hx_wordlist_load(const char *path, struct hx_wordlist *out)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long size;
    int rc;

    memset(out, 0, sizeof(*out));
    if (f == NULL)
        return CMN_E_IO;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || size > (64L << 20) ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return CMN_E_IO;
    }
    text = malloc((size_t)size + 1);
    if (text == NULL) {
        fclose(f);
        return CMN_E_NOMEM;
    }
    if (fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        fclose(f);
        return CMN_E_IO;
    }
    fclose(f);
    rc = hx_wordlist_parse(text, (size_t)size, out);
    free(text);
    return rc;
}

void
hx_wordlist_cleanup(struct hx_wordlist *wl)
{
    if (wl == NULL)
        return;
    free(wl->data);
    free(wl->offset);
    free(wl->length);
    memset(wl, 0, sizeof(*wl));
}

/* ---- mangling rules ---- */

enum rule_kind {
    RK_ASIS,
    RK_LOWER,
    RK_UPPER,
    RK_CAP,
    RK_REVERSE,
    RK_LEET,
    RK_DOUBLE,
    RK_REPEAT, /* repeat until n characters */
    RK_PREFIX,
    RK_SUFFIX,
    RK_CAP_SUFFIX,
};

struct rule {
    enum rule_kind kind;
    const char *arg;
    int n;
    const char *name;
};

static const struct rule simple_rules[] = {
    {RK_ASIS, NULL, 0, "as listed"},
    {RK_LOWER, NULL, 0, "lowercase"},
    {RK_UPPER, NULL, 0, "uppercase"},
    {RK_CAP, NULL, 0, "capitalized"},
    {RK_REVERSE, NULL, 0, "reversed"},
    {RK_LEET, NULL, 0, "leetspeak"},
    {RK_DOUBLE, NULL, 0, "doubled"},
    {RK_REPEAT, NULL, 32, "repeated to 32 characters"},
    {RK_REPEAT, NULL, 64, "repeated to 64 characters"},
    {RK_PREFIX, "my", 0, NULL},
    {RK_PREFIX, "my-", 0, NULL},
    {RK_PREFIX, "my_", 0, NULL},
    {RK_PREFIX, "the", 0, NULL},
    {RK_PREFIX, "super", 0, NULL},
    {RK_PREFIX, "super-", 0, NULL},
    {RK_PREFIX, "jwt-", 0, NULL},
    {RK_PREFIX, "jwt_", 0, NULL},
    {RK_PREFIX, "auth-", 0, NULL},
    {RK_PREFIX, "secret-", 0, NULL},
    {RK_PREFIX, "dev-", 0, NULL},
    {RK_PREFIX, "prod-", 0, NULL},
    {RK_SUFFIX, "!", 0, NULL},
    {RK_SUFFIX, "!!", 0, NULL},
    {RK_SUFFIX, "?", 0, NULL},
    {RK_SUFFIX, "@", 0, NULL},
    {RK_SUFFIX, "#", 0, NULL},
    {RK_SUFFIX, "$", 0, NULL},
    {RK_SUFFIX, "*", 0, NULL},
    {RK_SUFFIX, ".", 0, NULL},
    {RK_SUFFIX, "_", 0, NULL},
    {RK_SUFFIX, "-", 0, NULL},
    {RK_SUFFIX, "123!", 0, NULL},
    {RK_SUFFIX, "!123", 0, NULL},
    {RK_SUFFIX, "@123", 0, NULL},
    {RK_SUFFIX, "secret", 0, NULL},
    {RK_SUFFIX, "-secret", 0, NULL},
    {RK_SUFFIX, "_secret", 0, NULL},
    {RK_SUFFIX, "key", 0, NULL},
    {RK_SUFFIX, "-key", 0, NULL},
    {RK_SUFFIX, "_key", 0, NULL},
    {RK_SUFFIX, "jwt", 0, NULL},
    {RK_SUFFIX, "-jwt", 0, NULL},
    {RK_SUFFIX, "_jwt", 0, NULL},
    {RK_SUFFIX, "-auth", 0, NULL},
    {RK_SUFFIX, "_auth", 0, NULL},
    {RK_SUFFIX, "prod", 0, NULL},
    {RK_SUFFIX, "-prod", 0, NULL},
    {RK_SUFFIX, "_prod", 0, NULL},
    {RK_SUFFIX, "-production", 0, NULL},
    {RK_SUFFIX, "_production", 0, NULL},
    {RK_SUFFIX, "dev", 0, NULL},
    {RK_SUFFIX, "-dev", 0, NULL},
    {RK_SUFFIX, "_dev", 0, NULL},
    {RK_SUFFIX, "-test", 0, NULL},
    {RK_SUFFIX, "_test", 0, NULL},
    {RK_SUFFIX, "-local", 0, NULL},
    {RK_SUFFIX, "changeme", 0, NULL},
    {RK_SUFFIX, "-change-me", 0, NULL},
    {RK_SUFFIX, "-change-in-production", 0, NULL},
    {RK_CAP_SUFFIX, "!", 0, NULL},
    {RK_CAP_SUFFIX, "123!", 0, NULL},
    {RK_CAP_SUFFIX, "@123", 0, NULL},
    {RK_CAP_SUFFIX, "#1", 0, NULL},
};

#define SIMPLE_RULES (sizeof(simple_rules) / sizeof(simple_rules[0]))

size_t
hx_sweep_rule_count(void)
{
    return SIMPLE_RULES + SWEEP_NUM_RULES + SWEEP_NUM2_RULES + SWEEP_CAPNUM_RULES;
}

void
hx_sweep_rule_name(size_t rule, char *out, size_t out_size)
{
    if (rule < SIMPLE_RULES) {
        const struct rule *r = &simple_rules[rule];
        if (r->name != NULL)
            snprintf(out, out_size, "%s", r->name);
        else if (r->kind == RK_PREFIX)
            snprintf(out, out_size, "prefixed \"%s\"", r->arg);
        else if (r->kind == RK_SUFFIX)
            snprintf(out, out_size, "appended \"%s\"", r->arg);
        else
            snprintf(out, out_size, "capitalized, appended \"%s\"", r->arg);
        return;
    }
    rule -= SIMPLE_RULES;
    if (rule < SWEEP_NUM_RULES) {
        snprintf(out, out_size, "appended the number %zu", rule);
        return;
    }
    rule -= SWEEP_NUM_RULES;
    if (rule < SWEEP_NUM2_RULES) {
        snprintf(out, out_size, "appended \"0%zu\"", rule);
        return;
    }
    rule -= SWEEP_NUM2_RULES;
    if (rule < SWEEP_CAPNUM_RULES) {
        snprintf(out, out_size, "capitalized, appended the number %zu", rule);
        return;
    }
    snprintf(out, out_size, "?");
}

static int
rule_affix(const char *pre, size_t pn, const char *w, size_t wn, const char *suf, size_t sn,
           bool cap, char *out)
{
    if (pn + wn + sn > HX_SWEEP_CAND_MAX)
        return -1;
    memcpy(out, pre, pn);
    memcpy(out + pn, w, wn);
    memcpy(out + pn + wn, suf, sn);
    if (cap) {
        if (wn == 0 || !islower((unsigned char)w[0]))
            return -1;
        out[pn] = (char)toupper((unsigned char)w[0]);
    }
    return (int)(pn + wn + sn);
}

static int
rule_number(const char *w, size_t wn, unsigned num, bool cap, char *out)
{
    char digits[8];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + num % 10);
        num /= 10;
    } while (num > 0 && nd < (int)sizeof(digits));
    if (wn + (size_t)nd > HX_SWEEP_CAND_MAX)
        return -1;
    memcpy(out, w, wn);
    if (cap) {
        if (wn == 0 || !islower((unsigned char)w[0]))
            return -1;
        out[0] = (char)toupper((unsigned char)w[0]);
    }
    for (int i = 0; i < nd; i++)
        out[wn + (size_t)i] = digits[nd - 1 - i];
    return (int)wn + nd;
}

static char
rule_leet(char c)
{
    switch (c) {
    case 'a':
        return '4';
    case 'e':
        return '3';
    case 'i':
        return '1';
    case 'o':
        return '0';
    case 's':
        return '5';
    case 't':
        return '7';
    default:
        return c;
    }
}

int
hx_sweep_rule_apply(size_t rule, const char *w, size_t wn, char *out)
{
    bool changed = false;

    if (wn > HX_SWEEP_WORD_MAX)
        return -1;
    if (rule >= SIMPLE_RULES) {
        rule -= SIMPLE_RULES;
        if (rule < SWEEP_NUM_RULES)
            return rule_number(w, wn, (unsigned)rule, false, out);
        rule -= SWEEP_NUM_RULES;
        if (rule < SWEEP_NUM2_RULES) {
            char suf[2] = {'0', (char)('0' + rule)};
            return rule_affix("", 0, w, wn, suf, 2, false, out);
        }
        rule -= SWEEP_NUM2_RULES;
        if (rule < SWEEP_CAPNUM_RULES)
            return rule_number(w, wn, (unsigned)rule, true, out);
        return -1;
    }
    const struct rule *r = &simple_rules[rule];
    switch (r->kind) {
    case RK_ASIS:
        memcpy(out, w, wn);
        return (int)wn;
    case RK_LOWER:
    case RK_UPPER:
    case RK_LEET:
        for (size_t i = 0; i < wn; i++) {
            char c = w[i];
            if (r->kind == RK_LOWER)
                c = (char)tolower((unsigned char)c);
            else if (r->kind == RK_UPPER)
                c = (char)toupper((unsigned char)c);
            else
                c = rule_leet(c);
            changed |= c != w[i];
            out[i] = c;
        }
        return changed ? (int)wn : -1;
    case RK_CAP:
        return rule_affix("", 0, w, wn, "", 0, true, out);
    case RK_REVERSE:
        for (size_t i = 0; i < wn; i++) {
            out[i] = w[wn - 1 - i];
            changed |= out[i] != w[i];
        }
        return changed ? (int)wn : -1;
    case RK_DOUBLE:
        return rule_affix("", 0, w, wn, w, wn, false, out);
    case RK_REPEAT: {
        size_t len = 0;
        if (wn == 0 || wn >= (size_t)r->n)
            return -1;
        while (len < (size_t)r->n) {
            out[len] = w[len % wn];
            len++;
        }
        return (int)len;
    }
    case RK_PREFIX:
        return rule_affix(r->arg, strlen(r->arg), w, wn, "", 0, false, out);
    case RK_SUFFIX:
        return rule_affix("", 0, w, wn, r->arg, strlen(r->arg), false, out);
    case RK_CAP_SUFFIX:
        return rule_affix("", 0, w, wn, r->arg, strlen(r->arg), true, out);
    }
    return -1;
}

/* ---- the run ---- */

struct sweep_job {
    const struct hx_sweep_target *t;
    const struct hx_wordlist *wl;
    const char *charset;
    size_t charset_len;
    size_t n_rules;
    uint64_t n_word_cands;                   /* words x rules */
    uint64_t short_first[HX_SWEEP_CAND_MAX]; /* first index of each short length */
    unsigned short_max;
    uint64_t total;
    _Atomic uint64_t next;
    _Atomic bool found;
    _Atomic bool failed; /* a thread could not allocate its scratch */
    _Atomic uint64_t tried;
    pthread_mutex_t lock;
    struct hx_sweep_result *r;
};

/* Builds candidate idx into out; returns its length or -1 (skip). */
static int
sweep_candidate(const struct sweep_job *j, uint64_t idx, char *out, bool *is_short, size_t *word,
                size_t *rule)
{
    if (idx < j->n_word_cands) {
        size_t w = (size_t)(idx / j->n_rules);
        size_t r = (size_t)(idx % j->n_rules);
        *is_short = false;
        *word = w;
        *rule = r;
        return hx_sweep_rule_apply(r, j->wl->data + j->wl->offset[w], j->wl->length[w], out);
    }
    idx -= j->n_word_cands;
    for (unsigned len = 1; len <= j->short_max; len++) {
        uint64_t first = j->short_first[len - 1], next = j->short_first[len];
        if (idx < next - first) {
            uint64_t v = idx;
            for (unsigned i = 0; i < len; i++) {
                out[len - 1 - i] = j->charset[v % j->charset_len];
                v /= j->charset_len;
            }
            *is_short = true;
            return (int)len;
        }
        idx -= next - first;
    }
    return -1;
}

static void *
sweep_thread(void *arg)
{
    struct sweep_job *j = arg;
    struct sweep_scratch s;
    char cand[HX_SWEEP_CAND_MAX];
    uint64_t tried = 0;

    if (sweep_scratch_init(&s, j->t) != 0) {
        atomic_store(&j->failed, true);
        return NULL;
    }
    while (!atomic_load_explicit(&j->found, memory_order_relaxed)) {
        uint64_t start = atomic_fetch_add(&j->next, SWEEP_CHUNK);
        uint64_t end;
        if (start >= j->total)
            break;
        end = start + SWEEP_CHUNK < j->total ? start + SWEEP_CHUNK : j->total;
        /* words x rules first, walked without a division per candidate */
        size_t w = 0, r = 0;
        if (start < j->n_word_cands) {
            w = (size_t)(start / j->n_rules);
            r = (size_t)(start % j->n_rules);
        }
        for (uint64_t idx = start; idx < end; idx++) {
            bool is_short = false;
            size_t word = w, rule = r;
            int len;
            if (idx < j->n_word_cands) {
                len =
                    hx_sweep_rule_apply(r, j->wl->data + j->wl->offset[w], j->wl->length[w], cand);
                if (++r == j->n_rules) {
                    r = 0;
                    w++;
                }
            } else {
                len = sweep_candidate(j, idx, cand, &is_short, &word, &rule);
            }
            if (len < 0)
                continue;
            tried++;
            if (sweep_check(j->t, &s, (const unsigned char *)cand, (size_t)len)) {
                pthread_mutex_lock(&j->lock);
                if (!j->r->found) {
                    j->r->found = true;
                    j->r->by_short = is_short;
                    j->r->word = word;
                    j->r->rule = rule;
                    memcpy(j->r->secret, cand, (size_t)len);
                    j->r->secret[len] = '\0';
                    j->r->secret_len = (size_t)len;
                }
                pthread_mutex_unlock(&j->lock);
                atomic_store(&j->found, true);
                break;
            }
        }
    }
    atomic_fetch_add(&j->tried, tried);
    memset(cand, 0, sizeof(cand));
    sweep_scratch_cleanup(&s);
    return NULL;
}

int
hx_sweep_run(const struct hx_sweep_target *t, const struct hx_wordlist *wl,
             const struct hx_sweep_opts *o, struct hx_sweep_result *r)
{
    struct sweep_job *j;
    pthread_t threads[SWEEP_MAX_THREADS];
    unsigned nt = o->threads, started = 0;
    double t0;
    uint64_t acc;
    int rc;
    static const struct hx_wordlist empty = {0};

    memset(r, 0, sizeof(*r));
    if (t->blocks == NULL || o->short_max > 8)
        return CMN_E_INVAL;
    if (wl == NULL)
        wl = &empty;
    if (nt == 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        nt = online > 0 ? (unsigned)online : 1;
    }
    if (nt > SWEEP_MAX_THREADS)
        nt = SWEEP_MAX_THREADS;
    j = calloc(1, sizeof(*j));
    if (j == NULL)
        return CMN_E_NOMEM;
    j->t = t;
    j->wl = wl;
    j->charset = o->charset != NULL && o->charset[0] != '\0' ? o->charset : sweep_default_charset;
    j->charset_len = strlen(j->charset);
    j->n_rules = o->rules ? hx_sweep_rule_count() : 1;
    j->n_word_cands = (uint64_t)wl->n * j->n_rules;
    j->short_max = o->short_max;
    acc = 0;
    j->short_first[0] = 0;
    for (unsigned len = 1; len <= o->short_max; len++) {
        uint64_t count = 1;
        for (unsigned i = 0; i < len; i++)
            count *= j->charset_len;
        acc += count;
        j->short_first[len] = acc;
    }
    j->total = j->n_word_cands + acc;
    j->r = r;
    atomic_init(&j->next, 0);
    atomic_init(&j->found, false);
    atomic_init(&j->failed, false);
    atomic_init(&j->tried, 0);
    pthread_mutex_init(&j->lock, NULL);

    t0 = cmn_clock_now_s();
    for (unsigned i = 0; i < nt; i++) {
        if (pthread_create(&threads[i], NULL, sweep_thread, j) != 0)
            break;
        started++;
    }
    if (started == 0)
        sweep_thread(j); /* no thread could start: do the work here */
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    r->seconds = cmn_clock_now_s() - t0;
    r->candidates = atomic_load(&j->tried);
    r->threads = started > 0 ? started : 1;
    r->per_second = r->seconds > 0 ? (double)r->candidates / r->seconds : 0;
    pthread_mutex_destroy(&j->lock);
    rc = atomic_load(&j->failed) && !r->found ? CMN_E_NOMEM : 0;
    free(j);
    return rc;
}

void
hx_sweep_describe(const struct hx_sweep_result *r, const struct hx_wordlist *wl, char *out,
                  size_t out_size)
{
    size_t shown = r->secret_len / 4;
    char rule[96];

    if (!r->found) {
        snprintf(out, out_size, "not recovered");
        return;
    }
    if (shown > 3)
        shown = 3;
    if (r->by_short) {
        snprintf(out, out_size,
                 "recovered: a %zu-character key found by trying every short key "
                 "(begins \"%.*s\u2026\")",
                 r->secret_len, (int)shown, r->secret);
        return;
    }
    hx_sweep_rule_name(r->rule, rule, sizeof(rule));
    snprintf(out, out_size,
             "recovered: a %zu-character key (begins \"%.*s\u2026\"), word %zu of %zu of the "
             "secret word list, rule: %s",
             r->secret_len, (int)shown, r->secret, r->word + 1, wl != NULL ? wl->n : 0, rule);
}
