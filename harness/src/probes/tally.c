/* Race and burst tallies (see hx/probes/tally.h). */
#include "hx/probes/tally.h"

#include <stdio.h>

#include "hx/probes/headers.h"

void
hx_race_add(struct hx_race_tally *t, long status, long created_status, long dup_status)
{
    if (status == created_status)
        t->created++;
    else if (status == dup_status)
        t->duplicate++;
    else if (status == 429)
        t->limited++;
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
    if (t->errors > 0 || t->limited > 0) {
        snprintf(why, why_size,
                 "could not decide: %zu errors (5xx or no answer) and %zu rate-limited answers "
                 "among %zu signups",
                 t->errors, t->limited, sent);
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
hx_burst_add(struct hx_burst *b, long status, const char *retry_after)
{
    b->last_status = status;
    if (status == 0 || status >= 500) {
        b->errors++;
        return true;
    }
    b->attempts++;
    if (status == 429) {
        b->limited_at = b->attempts;
        b->retry_after = hx_retry_after_ok(retry_after);
        return true;
    }
    return false;
}

enum hx_tally_verdict
hx_burst_judge(const struct hx_burst *b, size_t max, char *why, size_t why_size)
{
    if (b->errors > 0) {
        snprintf(why, why_size, "could not decide: the target answered %ld during the burst",
                 b->last_status);
        return HX_TALLY_UNDECIDED;
    }
    if (b->limited_at == 0) {
        snprintf(why, why_size, "no 429 after %zu failed attempts (limit for the check: %zu)",
                 b->attempts, max);
        return HX_TALLY_FAIL;
    }
    if (b->limited_at > max) {
        snprintf(why, why_size, "429 only at attempt %zu, later than %zu", b->limited_at, max);
        return HX_TALLY_FAIL;
    }
    if (!b->retry_after) {
        snprintf(why, why_size, "429 at attempt %zu without a valid Retry-After header",
                 b->limited_at);
        return HX_TALLY_FAIL;
    }
    snprintf(why, why_size, "429 with Retry-After at attempt %zu (limit %zu)", b->limited_at, max);
    return HX_TALLY_PASS;
}
