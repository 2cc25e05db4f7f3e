/* The security checklist and its item verdicts (see hx/checklist.h). */
#include "hx/checklist.h"

#include <stdio.h>
#include <string.h>

#define QS "quickstart, Security Checklist: "

static const struct hx_checklist_item checklist[] = {
    {1, "strong-secret", "The signing secret is strong (32+ characters, random)", "V6.4.1",
     QS "\"BETTER_AUTH_SECRET is strong (32+ characters, cryptographically random)\""},
    {2, "secrets-not-exposed", "Secrets are not exposed (.env and config stay private)", "V14.3.2",
     QS "\"Secrets are in .env files, not committed to git\""},
    {3, "bcrypt-cost", "Passwords are hashed with bcrypt, cost 12 or more", "V2.4.4",
     QS "\"Passwords are hashed with bcrypt (cost factor 12+)\""},
    {4, "hs256", "Tokens are signed with HS256, and only HS256 is accepted", "V3.5.3",
     QS "\"JWT tokens are signed with HS256\""},
    {5, "token-expiry", "Tokens expire after 7 days, and expired tokens are refused", "V3.3.2",
     QS "\"Token expiration is set to 7 days\""},
    {6, "no-info-leak", "401/403 responses do not leak information", "V7.4.1",
     QS "\"401/403 responses are appropriate (don't leak info)\""},
    {7, "user-isolation", "User id checks prevent cross-user access", "V4.2.1",
     QS "\"User ID validation prevents cross-user access\""},
    {8, "cors", "CORS allows only trusted origins", "V14.5.3",
     QS "\"CORS allows only trusted origins\""},
    {9, "https-tls13", "HTTPS is enforced (TLS 1.3)", "V9.1.2",
     QS "\"HTTPS enforced in production (TLS 1.3)\""},
    {10, "rate-limiting", "Auth endpoints are rate limited", "V2.2.1",
     QS "\"Rate limiting enabled on auth endpoints\""},
    {11, "httponly-cookies", "Tokens are stored in httpOnly cookies", "V3.4.2",
     QS "\"Tokens stored in httpOnly cookies (not localStorage)\""},
    {12, "csp", "A Content Security Policy header is set", "V14.4.3",
     QS "\"Content Security Policy (CSP) headers configured\""},
};

#define CHECKLIST_N (sizeof checklist / sizeof checklist[0])

const struct hx_checklist_item *
hx_checklist_items(size_t *n)
{
    *n = CHECKLIST_N;
    return checklist;
}

const struct hx_checklist_item *
hx_checklist_find(const char *id)
{
    for (size_t i = 0; id != NULL && i < CHECKLIST_N; i++)
        if (strcmp(checklist[i].id, id) == 0)
            return &checklist[i];
    return NULL;
}

void
hx_checklist_ids(char *out, size_t out_size)
{
    size_t len = 0;

    if (out_size == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0; i < CHECKLIST_N; i++) {
        int k = snprintf(out + len, out_size - len, "%s%s", i > 0 ? ", " : "", checklist[i].id);
        if (k < 0 || (size_t)k >= out_size - len)
            return;
        len += (size_t)k;
    }
}

bool
hx_case_has_item(const struct hx_case *c, const char *id)
{
    for (size_t i = 0; i < c->n_checklist; i++)
        if (c->checklist[i] != NULL && strcmp(c->checklist[i], id) == 0)
            return true;
    return false;
}

void
hx_checklist_summarise(const struct hx_result *r, const char *id, struct hx_item_summary *out)
{
    memset(out, 0, sizeof *out);
    out->status = HX_STATUS_SKIP;
    for (size_t i = 0; i < r->n_cases; i++) {
        const struct hx_case *c = r->cases[i];
        if (!hx_case_has_item(c, id) || c->severity == HX_SEV_WARNING)
            continue; /* a warning never decides an item */
        if (!out->covered)
            out->status = HX_STATUS_PASS; /* until a check says otherwise */
        out->covered = true;
        hx_counts_add(&out->counts, c->status);
        if (hx_status_rank(c->status) > hx_status_rank(out->status))
            out->status = c->status;
    }
}
