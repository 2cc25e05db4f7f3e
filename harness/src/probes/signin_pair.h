#ifndef HX_PROBES_SIGNIN_PAIR_H
#define HX_PROBES_SIGNIN_PAIR_H
/*
 * Signin pairs: an unknown email beside a wrong password for a real
 * account, sent together or one after the other. What signin_enumeration
 * and signin_timing share. Only for probes/.
 */
#include <stdbool.h>
#include <stddef.h>

#include "probe_int.h"

/* What a signin pair brought back: status, time, and (kept) the body and
 * Retry-After of each. */
struct hx__signin_answer {
    int rc;
    long status;
    double seconds;
    char *body; /* new (free()), NUL-terminated */
    size_t body_len;
};

struct hx__signin_pair {
    struct hx__signin_answer ans[2];
    bool keep_bodies;
};

/* An email no account has, and a password no account uses. */
void hx__signin_unknown(struct hx_probe_ctx *ctx, char *email, size_t email_size, char *password,
                        size_t password_size);

/* Sends two signins, both at once when in_flight is 2 (so that both meet
 * the same load on the target), else one after the other: first_b sends
 * b's request first. Fills lp (the caller cleans it with
 * hx__signin_pair_cleanup). Returns 0 or an error of hx__batch_send. */
int hx__signin_pair_send(struct hx_probe_ctx *ctx, const char *body_a, const char *body_b,
                         bool first_b, bool evidence, size_t in_flight, struct hx__signin_pair *lp);

void hx__signin_pair_cleanup(struct hx__signin_pair *lp);

#endif
