#ifndef HX_PROBES_SWEEP_H
#define HX_PROBES_SWEEP_H
/*
 * The secret sweep of the strong-secret check: try to recover an HS256
 * token's secret by HMAC-SHA256 over a word list, its mangled forms and all
 * short keys, on every core.
 *
 * Cost per candidate: the key block (ipad), the token's signing input
 * blocks (padded once, at prepare time: the total length does not depend on
 * the key), the opad block and one final block: about six SHA-256 block
 * transforms for a typical token, with nothing allocated per candidate (one
 * context and one candidate buffer per thread).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HX_SWEEP_WORD_MAX 128 /* longest word kept from a list */
#define HX_SWEEP_CAND_MAX 256 /* longest candidate a rule may build */

/* A token prepared for the sweep. */
struct hx_sweep_target {
    uint32_t want[8];      /* the signature as SHA-256 state words */
    unsigned char *blocks; /* new: the padded signing input, n_blocks * 64 bytes */
    size_t n_blocks;
};

/* Prepares an HS256 token. Returns 0, CMN_E_INVAL when it is not a
 * three-segment token with a 32-byte signature, CMN_E_NOMEM. */
int hx_sweep_prepare(const char *token, struct hx_sweep_target *t);
/* Prepares any HMAC-SHA256 of msg (n bytes) whose tag is mac. Returns 0 or
 * CMN_E_NOMEM. */
int hx_sweep_prepare_mac(const void *msg, size_t n, const unsigned char mac[32],
                         struct hx_sweep_target *t);
/* Prepares a signed session value "<value>.<standard base64 of
 * HMAC-SHA256(secret, value)>", percent-encoded or not, as a Better Auth
 * session cookie (and its set-auth-token header) carries it. Returns 0,
 * CMN_E_INVAL when text has no such shape, CMN_E_NOMEM. */
int hx_sweep_prepare_signed_value(const char *text, struct hx_sweep_target *t);
void hx_sweep_target_cleanup(struct hx_sweep_target *t);

/* True when key signs the prepared token (one candidate, for tests and for
 * checking a known secret). */
bool hx_sweep_try(const struct hx_sweep_target *t, const void *key, size_t key_len);

/* Words, one per line; '#' starts a comment line; blank lines skipped;
 * lines longer than HX_SWEEP_WORD_MAX skipped. */
struct hx_wordlist {
    char *data;       /* new: the words, NUL-separated */
    uint32_t *offset; /* new */
    uint16_t *length; /* new */
    size_t n;
};

int hx_wordlist_parse(const char *text, size_t len, struct hx_wordlist *out);
/* Returns 0, CMN_E_IO when the file cannot be read, CMN_E_NOMEM. */
int hx_wordlist_load(const char *path, struct hx_wordlist *out);
void hx_wordlist_cleanup(struct hx_wordlist *wl);

/* Mangling rules: applied to every word. */
size_t hx_sweep_rule_count(void);
/* Writes the rule's name ("append-2024", "capitalized", ...) into out. */
void hx_sweep_rule_name(size_t rule, char *out, size_t out_size);
/* Builds the candidate of word (w, wn) under rule into out
 * (HX_SWEEP_CAND_MAX bytes). Returns its length, or -1 when the rule gives
 * nothing new for this word (e.g. "lowercase" of a lowercase word). */
int hx_sweep_rule_apply(size_t rule, const char *w, size_t wn, char *out);

struct hx_sweep_opts {
    unsigned threads;    /* 0: one per online core */
    unsigned short_max;  /* all keys of 1..short_max characters of the charset */
    const char *charset; /* NULL: lowercase letters and digits */
    bool rules;          /* apply the mangling rules (else words as they are) */
};

struct hx_sweep_result {
    bool found;
    bool by_short;                      /* found among the short keys */
    size_t word;                        /* index of the word in the list (when !by_short) */
    size_t rule;                        /* the rule that built it (when !by_short) */
    char secret[HX_SWEEP_CAND_MAX + 1]; /* the recovered key: never print whole */
    size_t secret_len;
    uint64_t candidates; /* tried */
    double seconds;
    double per_second;
    unsigned threads;
};

/* Runs the sweep; stops early when a key is found. Returns 0 (found or
 * not: see r->found), CMN_E_NOMEM, CMN_E_INVAL. */
int hx_sweep_run(const struct hx_sweep_target *t, const struct hx_wordlist *wl,
                 const struct hx_sweep_opts *o, struct hx_sweep_result *r);

/* Says how the key was found without giving it whole: its length, the
 * first characters (at most a quarter, at most 3) and the word and rule. */
void hx_sweep_describe(const struct hx_sweep_result *r, const struct hx_wordlist *wl, char *out,
                       size_t out_size);

#endif
