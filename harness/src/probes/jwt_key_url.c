/* Probe jwt_key_url (checklist item 4, hs256): tokens signed with a key of
 * the harness's own whose header names that key by URL, jku (a JWK Set,
 * RFC 7515 §4.1.2) or x5u (a certificate, §4.1.5), on a key server the
 * probe starts for the check (--callback-address, default 127.0.0.1 on a
 * free port), must get 401. A target that fetches the URL and verifies
 * with what it finds lets anyone mint tokens (RFC 8725 §3.10). The key
 * server records every request, so the verdict says whether each URL was
 * fetched; a refused token whose URL was fetched anyway is a warning note
 * (the target fetches URLs an attacker chooses). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "forge_send.h"
#include "hx/key_server.h"
#include "hx/probes/key_url.h"

/* How long the key server stays up after the last token, for a target
 * that fetches a key after it has answered (a background refresh). */
#define KEY_URL_LINGER_MS 1000

static const struct hx_probe_arg key_url_args[] = {
    HX_ARG_STR("tasks_path"),
    HX_ARG_END,
};

enum hx_status
hx_key_url_judge(const struct hx_key_url_try *tries, size_t n, long unauth, const char **type,
                 char *msg, size_t msg_size, char *note, size_t note_size)
{
    char accepted[1200] = "", wrong[600] = "", fetched[800] = "";
    size_t n_acc = 0, n_wrong = 0, n_err = 0, n_lim = 0, n_fetched = 0;
    long err_status = 0;

    *type = "";
    msg[0] = '\0';
    note[0] = '\0';
    if (n == 0) {
        *type = "probe.nothing-sent";
        snprintf(msg, msg_size, "cannot decide: no token naming its key by URL could be built");
        return HX_STATUS_SKIP;
    }
    for (size_t i = 0; i < n; i++) {
        const struct hx_key_url_try *t = &tries[i];
        const char *header = strncmp(t->name, "x5u", 3) == 0 ? "x5u" : "jku";
        char item[400];
        switch (t->answer) {
        case HX_ANSWER_ACCEPTED:
            n_acc++;
            if (t->fetches > 0)
                snprintf(item, sizeof item, "%s (%ld; the target fetched its %s %s)", t->name,
                         t->status, header, t->url);
            else
                snprintf(item, sizeof item,
                         "%s (%ld; its %s URL was not fetched from the key server)", t->name,
                         t->status, header);
            hx__list_add(accepted, sizeof accepted, item);
            break;
        case HX_ANSWER_WRONG_STATUS:
            n_wrong++;
            snprintf(item, sizeof item, "%s (%ld)", t->name, t->status);
            hx__list_add(wrong, sizeof wrong, item);
            break;
        case HX_ANSWER_ERROR:
            n_err++;
            err_status = t->status;
            break;
        case HX_ANSWER_LIMITED:
            n_lim++;
            break;
        case HX_ANSWER_REFUSED:
            break;
        }
        if (t->fetches > 0 && t->answer != HX_ANSWER_ACCEPTED) {
            n_fetched++;
            snprintf(item, sizeof item, "%s (%zu request%s)", t->url, t->fetches,
                     t->fetches == 1 ? "" : "s");
            hx__list_add(fetched, sizeof fetched, item);
        }
    }
    if (n_fetched > 0)
        snprintf(note, note_size,
                 "warning: the target fetched the key URL of %zu refused token%s: %s. It "
                 "fetches URLs that a token's header names, which lets anyone make it send "
                 "requests (server-side request forgery) even though it refused the tokens: "
                 "ignore jku and x5u, or allow only fixed URLs (RFC 8725 section 3.10)",
                 n_fetched, n_fetched == 1 ? "" : "s", fetched);
    if (n_acc > 0) {
        *type = "probe.forgery-accepted";
        snprintf(msg, msg_size,
                 "%zu of %zu tokens signed with a key the harness named by URL were accepted: "
                 "%s",
                 n_acc, n, accepted);
        return HX_STATUS_FAIL;
    }
    if (n_wrong > 0) {
        *type = "probe.forgery-status";
        snprintf(msg, msg_size, "%zu forged tokens were refused with another status than %ld: %s",
                 n_wrong, unauth, wrong);
        return HX_STATUS_FAIL;
    }
    if (n_err > 0) {
        *type = "probe.server-error";
        snprintf(msg, msg_size,
                 "%zu forged tokens got a server error or no answer (last %ld); no verdict", n_err,
                 err_status);
        return HX_STATUS_ERROR;
    }
    if (n_lim > 0) {
        *type = "probe.rate-limited";
        snprintf(msg, msg_size, "could not decide: rate limited (429) on %zu of %zu forged tokens",
                 n_lim, n);
        return HX_STATUS_SKIP;
    }
    if (n_fetched == 0)
        snprintf(note, note_size,
                 "the target fetched none of the key URLs: it refused every token without "
                 "them (a target that cannot reach the key server refuses them the same way, "
                 "since accepting one needs its key)");
    return HX_STATUS_PASS;
}

/* Whether the base URL's host is this machine's loopback. */
static bool
key_url_loopback(const char *url)
{
    static const char *const hosts[] = {"127.", "localhost", "[::1]"};
    const char *host = strstr(url, "://");

    host = host != NULL ? host + 3 : url;
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
        if (strncasecmp(host, hosts[i], strlen(hosts[i])) == 0)
            return true;
    return false;
}

/* Records what the key server got, one note line per request (at most 20). */
static void
key_url_note_hits(struct hx_key_server *ks, struct hx_step_result *step)
{
    struct hx_key_server_hit hits[20];
    size_t total = hx_key_server_hits(ks, hits, 20);

    for (size_t i = 0; i < total && i < 20; i++) {
        struct tm tm;
        char when[32];
        gmtime_r(&hits[i].at.tv_sec, &tm);
        strftime(when, sizeof when, "%H:%M:%S", &tm);
        hx_step_add_note(step, "key server: %s.%03ld UTC %s %s from %s -> %s", when,
                         hits[i].at.tv_nsec / 1000000, hits[i].method, hits[i].path, hits[i].peer,
                         hits[i].served ? "served" : "not served");
    }
    if (total > 20)
        hx_step_add_note(step, "key server: %zu more requests", total - 20);
}

static void
key_url_run(struct hx_probe_ctx *ctx, const json_t *args, struct hx_step_result *step)
{
    struct hx_identity a, b;
    struct hx_key_server_addr addr;
    struct hx_key_server *ks = NULL;
    struct hx_error err;
    struct hx_forgery f[HX_FORGE_DOC_MAX];
    struct hx_forge_doc docs[HX_FORGE_DOC_MAX];
    struct hx_key_url_try tries[HX_FORGE_DOC_MAX];
    char urls[HX_FORGE_DOC_MAX][600];
    struct hx__forge_outcome o;
    struct hx_forge_in in = {0};
    size_t n = 0, n_docs = 0;
    char base[400], msg[2400], note[1200];
    const char *type;
    const char *callback = hx_probe_callback_address(ctx);
    long unauth = (long)hx__prof_int(ctx, "codes.unauthenticated", 401);
    enum hx_status st;
    int rc;

    memset(&o, 0, sizeof(o));
    memset(&err, 0, sizeof(err));
    if (!hx__forge_identities(ctx, &a, &b, step))
        return;
    if (!hx__calibrate(ctx, args, &a, step))
        return;
    hx_key_server_addr_default(&addr);
    if (callback != NULL && hx_key_server_addr_parse(callback, &addr, &err) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.key-server", "--callback-address: %s", err.text);
        return;
    }
    if (hx_key_server_start(&addr, &ks, &err) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.key-server",
                    "the key server of this check did not start: %s (--callback-address)",
                    err.text);
        return;
    }
    if (hx_key_server_url(ks, "", base, sizeof base) != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "the key server's URL is too long");
        goto out;
    }
    in.token = a.token;
    rc = hx_forge_key_urls(&in, base, f, HX_FORGE_DOC_MAX, &n, docs, HX_FORGE_DOC_MAX, &n_docs);
    if (rc != 0) {
        hx_step_set(step, HX_STATUS_ERROR, "probe.internal", "could not build the forgeries: %s",
                    hx_strerror(rc));
        goto out;
    }
    for (size_t i = 0; i < n_docs; i++) {
        rc = hx_key_server_put(ks, docs[i].path, docs[i].content_type, docs[i].body,
                               strlen(docs[i].body));
        if (rc != 0) {
            hx_step_set(step, HX_STATUS_ERROR, "probe.internal",
                        "the key server cannot serve %s: %s", docs[i].path, hx_strerror(rc));
            goto out;
        }
    }
    hx_step_add_note(step,
                     "key server: %s (%zu documents: JWK Sets for jku, PEM certificates "
                     "for x5u)",
                     base, n_docs);
    if (callback == NULL && !key_url_loopback(hx_probe_target(ctx)))
        hx_step_add_note(step,
                         "the key server listens on 127.0.0.1, which a target on another "
                         "machine cannot reach (its fetch would go to its own loopback): give "
                         "--callback-address with an address it reaches to see whether it "
                         "fetches the URLs; refusals are judged all the same");
    for (size_t i = 0; i < n; i++) {
        tries[i].answer =
            hx__forge_send(ctx, args, &f[i], a.user_id, b.user_id, NULL, NULL, step, &o);
        tries[i].status = o.last_status;
        tries[i].name = f[i].name;
        snprintf(urls[i], sizeof urls[i], "%s%s", base, f[i].url_path);
        tries[i].url = urls[i];
    }
    {
        struct timespec linger = {.tv_sec = KEY_URL_LINGER_MS / 1000,
                                  .tv_nsec = (KEY_URL_LINGER_MS % 1000) * 1000000L};
        nanosleep(&linger, NULL);
    }
    for (size_t i = 0; i < n; i++)
        tries[i].fetches = hx_key_server_count(ks, f[i].url_path);
    key_url_note_hits(ks, step);
    st = hx_key_url_judge(tries, n, unauth, &type, msg, sizeof msg, note, sizeof note);
    if (note[0] != '\0')
        hx_step_add_note(step, "%s", note);
    if (st == HX_STATUS_PASS) {
        hx_step_add_note(step, "hs256: all %zu tokens naming their key by URL refused with %ld", n,
                         unauth);
        hx_step_pass(step);
    } else {
        hx_step_set(step, st, type, "%s", msg);
    }
out:
    hx_forge_free(f, n);
    hx_forge_docs_free(docs, n_docs);
    hx_key_server_stop(ks);
}

const struct hx_probe_def hx__probe_jwt_key_url = {
    .name = "jwt_key_url",
    .summary = "tokens whose header names the signing key by URL (jku, x5u) on a key server "
               "of the run get 401; the server records whether the target fetched them",
    .floods = false,
    .args = key_url_args,
    .run = key_url_run,
};
