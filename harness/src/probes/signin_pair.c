/* Signin pairs (an unknown email beside a wrong password) sent together or one
 * after the other: shared by signin_enumeration and signin_timing. */
#include "signin_pair.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "hx/probes/content.h"
#include "hx/header_values.h"
#include "hx/probes/stats.h"
#include "hx/probes/variants.h"
#include "probe_int.h"

/* An email no account has, and a password no account uses. */
void
hx__signin_unknown(struct hx_probe_ctx *ctx, char *email, size_t email_size, char *password,
                   size_t password_size)
{
    char word[17];
    hx__random_word(ctx, word, sizeof(word));
    snprintf(email, email_size, "nobody-%s@%s", word,
             hx__prof_str(ctx, "identity.email_domain", "example.com"));
    hx__random_word(ctx, word, sizeof(word));
    snprintf(password, password_size, "Wrong-%s-9!", word);
}

static bool
pair_answer(void *user, size_t index, int rc, const struct hx_request *req,
            const struct hx_response *r)
{
    struct hx__signin_pair *lp = user;
    struct hx__signin_answer *a = &lp->ans[index];

    (void)req;
    a->rc = rc;
    a->status = rc == 0 ? r->status : 0;
    a->seconds = r->seconds;
    if (lp->keep_bodies) {
        a->body = malloc(r->body.len + 1);
        if (a->body != NULL) {
            if (r->body.len > 0)
                memcpy(a->body, r->body.data, r->body.len);
            a->body[r->body.len] = '\0';
            a->body_len = r->body.len;
        }
    }
    return false;
}

void
hx__signin_pair_cleanup(struct hx__signin_pair *lp)
{
    free(lp->ans[0].body);
    free(lp->ans[1].body);
}

/* Sends two signins, both at once when in_flight is 2 (so that both meet
 * the same load on the target), else one after the other: first_b sends
 * b's request first. Fills lp (cleaned by the caller). Returns 0 or an
 * error of hx__batch_send. */
int
hx__signin_pair_send(struct hx_probe_ctx *ctx, const char *body_a, const char *body_b, bool first_b,
                     bool evidence, size_t in_flight, struct hx__signin_pair *lp)
{
    const char *signin = hx__prof_str(ctx, "paths.signin", "/api/auth/signin");
    struct hx__batch_item items[2] = {
        {.method = "POST", .path = signin, .json = body_a, .evidence = evidence},
        {.method = "POST", .path = signin, .json = body_b, .evidence = evidence},
    };
    struct hx__signin_pair tmp;
    int rc;

    memset(lp, 0, sizeof(*lp));
    lp->keep_bodies = evidence;
    lp->ans[0].rc = lp->ans[1].rc = HX_E_TRANSPORT; /* until answered */
    if (!first_b)
        return hx__batch_send(ctx, items, 2, in_flight, pair_answer, lp, NULL);
    /* the same batch in the other order, its answers put back in place */
    memset(&tmp, 0, sizeof(tmp));
    tmp.keep_bodies = evidence;
    tmp.ans[0].rc = tmp.ans[1].rc = HX_E_TRANSPORT;
    {
        struct hx__batch_item swapped[2] = {items[1], items[0]};
        rc = hx__batch_send(ctx, swapped, 2, in_flight, pair_answer, &tmp, NULL);
    }
    lp->ans[0] = tmp.ans[1];
    lp->ans[1] = tmp.ans[0];
    return rc;
}
