/* Rate limits on /api/auth/: per client address and per account email,
 * counted in PostgreSQL so that every instance on one database agrees. */
#include "rs/guard/ratelimit.h"

#include <stdio.h>

#include "cmn/log.h"
#include "rs/defect.h"
#include "rs/error.h"
#include "rs/reply.h"
#include "rs/store/ratelimit.h"

static bool
ratelimit_check(struct rs_request *r, const char *scope, const char *bucket,
                const struct rs_rate *rate, enum MHD_Result *answered)
{
    long retry = 0;
    char value[24];
    int rc;

    if (RS_DEFECT(NO_RATE_LIMIT))
        return true;
    rc = rs_store_rate_hit(r->ctx->db, bucket, rate->limit, rate->window_s, &retry);
    if (rc != 0) {
        *answered = rs_reply_unavailable(r);
        return false;
    }
    if (retry == 0)
        return true;
    cmn_log(CMN_LOG_INFO, "audit: rate-limited scope=%s ip=%s path=%s retry_after=%ld", scope,
            r->client_ip, r->log_path, retry);
    snprintf(value, sizeof value, "%ld", retry);
    rs_reply_header(r, "Retry-After", value);
    *answered = rs_reply_detail(r, MHD_HTTP_TOO_MANY_REQUESTS, "Too many requests, retry later");
    return false;
}

bool
rs_guard_ratelimit_ip(struct rs_request *r, enum MHD_Result *answered)
{
    char bucket[96];
    snprintf(bucket, sizeof bucket, "ip:%s", r->client_ip);
    return ratelimit_check(r, "ip", bucket, &r->ctx->cfg->rate_ip, answered);
}

bool
rs_guard_ratelimit_account(struct rs_request *r, const char *email, enum MHD_Result *answered)
{
    char bucket[300];
    int n;

    if (RS_DEFECT(FORWARDED_FOR_TRUSTED))
        return true; /* counted per address only */
    n = snprintf(bucket, sizeof bucket, "acct:%s", email);
    if (n < 0 || (size_t)n >= sizeof bucket)
        return true; /* cannot be an account: the signin fails anyway */
    return ratelimit_check(r, "account", bucket, &r->ctx->cfg->rate_account, answered);
}
