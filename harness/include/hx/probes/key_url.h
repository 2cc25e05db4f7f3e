#ifndef HX_PROBES_KEY_URL_H
#define HX_PROBES_KEY_URL_H
/*
 * The judgement of the jwt_key_url probe (probes/jwt_key_url.c), pure for
 * unit tests: forged tokens whose header names their key by URL (jku, x5u)
 * on the run's key server, what the target answered to each, and whether
 * it fetched the URL.
 */
#include <stddef.h>

#include "hx/probes/forge.h"
#include "hx/result.h"

/* One forged token sent, and what became of it. */
struct hx_key_url_try {
    const char *name; /* "jku-own-key-new-kid" */
    const char *url;  /* the URL its header names */
    enum hx_answer answer;
    long status;    /* the target's answer (0: none) */
    size_t fetches; /* requests the key server got for the URL */
};

/* The verdict of tries[n]: FAIL when one was accepted (naming the header
 * and whether its URL was fetched) or refused with another status than
 * unauth; ERROR on server errors; SKIP when rate limited or nothing was
 * sent; else PASS. The verdict's one line goes into msg (for FAIL, ERROR
 * and SKIP) and failure_type into type (static, "" on PASS). note receives
 * a line starting "warning: " when the target fetched a URL of a token it
 * refused (server-side request forgery exposure), else a line saying that
 * it fetched none; "" when there is nothing to say. */
enum hx_status hx_key_url_judge(const struct hx_key_url_try *tries, size_t n, long unauth,
                                const char **type, char *msg, size_t msg_size, char *note,
                                size_t note_size);

#endif
