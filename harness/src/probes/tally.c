/* Race and burst tallies (see hx/probes/tally.h). */
#include "hx/probes/tally.h"

#include <stdio.h>

#include "hx/header_values.h"

void
hx_race_add(struct hx_race_tally *t, long status, long created_status, long dup_status)
{
    /* the question is how many accounts one email got: any success created
     * one, any refusal but a 429 refused one (a target may answer 200 and 422
     * where the contract says 201 and 400; those are judged by their own
     * checks) */
    if (status == created_status || (status >= 200 && status < 300))
        t->created++;
    else if (status == 429)
        t->limited++;
    else if (status == dup_status || (status >= 400 && status < 500))
        t->duplicate++;
    else if (status == 0 || status >= 500)
        t->errors++;
    else {
        t->other++;
        t->other_status = status;
    }
}

enum hx_tally_verdict
hx_race_judge(const struct hx_race_tally *t, size_t sent, char *why, size_t why_size)
{
    if (t->created > 1) {
        snprintf(why, why_size, "%zu of %zu concurrent signups with one email created an account",
                 t->created, sent);
        return HX_TALLY_FAIL;
    }
    if (t->created == 0) {
        /* no signup got through at all: the race was never run */
        snprintf(why, why_size,
                 "could not decide: none of %zu signups was accepted (%zu duplicates, %zu "
                 "rate-limited, %zu errors, %zu other%s%ld)",
                 sent, t->duplicate, t->limited, t->errors, t->other, t->other > 0 ? ", last " : "",
                 t->other > 0 ? t->other_status : 0L);
        return HX_TALLY_UNDECIDED;
    }
    if (t->errors > 0) {
        snprintf(why, why_size,
                 "%zu of %zu concurrent signups got a server error or no answer (%zu "
                 "rate-limited); no verdict on a server error",
                 t->errors, sent, t->limited);
        return HX_TALLY_UNDECIDED;
    }
    if (t->limited > 0) {
        snprintf(why, why_size, "could not decide: %zu of %zu concurrent signups were rate limited",
                 t->limited, sent);
        return HX_TALLY_UNDECIDED;
    }
    if (t->other > 0) {
        snprintf(why, why_size,
                 "%zu concurrent duplicate signups answered %ld instead of the duplicate status",
                 t->other, t->other_status);
        return HX_TALLY_FAIL;
    }
    snprintf(why, why_size,
             "exactly one of %zu concurrent signups created the account, %zu "
             "refused as duplicates",
             sent, t->duplicate);
    return HX_TALLY_PASS;
}

bool
hx_burst_add(struct hx_burst *b, long status, const char *retry_after, bool lockout)
{
    b->last_status = status;
    if (status == 0 && ++b->dropped <= HX_BURST_DROPS_MAX)
        return false; /* not an answer: neither let through nor limited */
    if (status == 0 || status >= 500) {
        b->errors++;
        return true;
    }
    b->attempts++;
    if (lockout) {
        if (b->limited++ == 0)
            b->limited_at = b->through + 1;
        b->lockouts++;
        return true;
    }
    if (status == 429) {
        if (b->limited++ == 0) {
            b->limited_at = b->through + 1;
            b->retry_after = hx_retry_after_ok(retry_after);
        }
        return true;
    }
    b->through++;
    return false;
}

enum hx_tally_verdict
hx_burst_judge(const struct hx_burst *b, size_t max, char *why, size_t why_size)
{
    if (b->errors > 0) {
        if (b->last_status == 0)
            snprintf(why, why_size, "could not decide: %zu attempts of the burst got no answer",
                     b->dropped);
        else
            snprintf(why, why_size, "could not decide: the target answered %ld during the burst",
                     b->last_status);
        return HX_TALLY_UNDECIDED;
    }
    if (b->limited == 0 && b->through <= max) {
        snprintf(why, why_size,
                 "could not decide: no 429 or lockout, but only %zu attempts were answered (%zu "
                 "got no answer), not more than the budget of %zu",
                 b->through, b->dropped, max);
        return HX_TALLY_UNDECIDED;
    }
    if (b->limited == 0) {
        snprintf(why, why_size, "no 429 or lockout after %zu failed attempts (budget %zu)",
                 b->attempts, max);
        return HX_TALLY_FAIL;
    }
    /* answers still in flight when the first limit came may have got
     * through too: every attempt let through counts */
    if (b->through + 1 > max) {
        snprintf(why, why_size,
                 "limited only after %zu failed attempts got through, more than the budget of %zu",
                 b->through, max);
        return HX_TALLY_FAIL;
    }
    snprintf(why, why_size, "%s at attempt %zu (budget %zu)%s",
             b->lockouts > 0 ? "lockout answer" : "429", b->through + 1, max,
             b->lockouts > 0  ? ""
             : b->retry_after ? ", with Retry-After"
                              : "; no Retry-After (RFC 6585 §4: MAY)");
    return HX_TALLY_PASS;
}
