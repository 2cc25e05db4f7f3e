#ifndef MC_CORPUS_H
#define MC_CORPUS_H
/*
 * The malformed-request corpus (tests/malformed/README.md): case files
 * loaded, their placeholders filled in. A case file is a few "key: value"
 * lines, a line "====", then the request's bytes exactly as they are sent.
 */
#include <stdbool.h>
#include <stddef.h>

/* How the bytes go out. */
enum mc_send {
    MC_SEND_WHOLE,           /* all at once */
    MC_SEND_HALF_CLOSE,      /* all at once, then the client shuts its side */
    MC_SEND_TRICKLE,         /* trickle_bytes (1 unless said) every trickle_ms */
    MC_SEND_ENDLESS_CHUNKED, /* then 4 KiB chunks until the server answers */
    MC_SEND_ENDLESS_BYTES,   /* then body bytes until the server answers */
};

/* What the connection must do after the answers. */
enum mc_connection {
    MC_CONN_ANY,
    MC_CONN_CLOSE, /* closed by the server */
    MC_CONN_OPEN,  /* still serves a next request */
};

#define MC_MAX_ANSWERS 8

struct mc_case {
    char category[64];
    char name[128]; /* file name without .case */
    char about[256];
    /* Expected statuses in order: 400..599 exactly, or a class (4 = any
     * 4xx). n_expect 0: no answer, the connection is only closed. */
    unsigned expect[MC_MAX_ANSWERS];
    bool expect_class[MC_MAX_ANSWERS];
    unsigned n_expect;
    enum mc_connection connection;
    enum mc_send send;
    unsigned trickle_ms;
    unsigned trickle_bytes;
    unsigned char *raw; /* new: the bytes to send, placeholders filled in */
    size_t raw_len;
};

/* What placeholders stand for. */
struct mc_values {
    const char *user_id;     /* ${USER_ID} */
    const char *valid_token; /* ${VALID_TOKEN} */
    const char *secret;      /* signs ${TOKEN} */
    long long now;           /* ${NOW}; ${EXP} = now + 3600, ${PAST} = now - 3600,
                                ${FUTURE} = now + 86400 */
};

/* Loads path (category: its folder's name). Returns 0, or -1 with why in
 * err. Fills ${TOKEN} with the case's claims and header. */
int mc_case_load(const char *path, const char *category, const struct mc_values *v,
                 struct mc_case *c, char *err, size_t err_size);
void mc_case_cleanup(struct mc_case *c);

/* Every case file under dir/<category>/, sorted by path; *out new (free
 * each with mc_case_cleanup, then the array). Returns the count, -1 on
 * failure (err says why). */
int mc_corpus_load(const char *dir, const struct mc_values *v, struct mc_case **out, char *err,
                   size_t err_size);

#endif
