/* report.sarif (see hx/report_sarif.h). */
#include "cmn/text.h"
#include "hx/report_sarif.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmn/version.h"
#include "report_int.h"

/* Every member set through here: one failed allocation spoils the log. */
struct sarif_ctx {
    bool ok;
};

static void
sarif_set(struct sarif_ctx *x, json_t *obj, const char *key, json_t *v)
{
    if (v == NULL || obj == NULL || json_object_set_new(obj, key, v) != 0)
        x->ok = false;
}

static void
sarif_push(struct sarif_ctx *x, json_t *arr, json_t *v)
{
    if (v == NULL || arr == NULL || json_array_append_new(arr, v) != 0)
        x->ok = false;
}

static json_t *
sarif_text(const char *s)
{
    return hx__json_text(s != NULL ? s : "", s != NULL ? strlen(s) : 0, NULL);
}

/* {"text": s} */
static json_t *
sarif_message(struct sarif_ctx *x, const char *s)
{
    json_t *m = json_object();
    sarif_set(x, m, "text", sarif_text(s != NULL && s[0] != '\0' ? s : "(no message)"));
    return m;
}

/* The level a finding of this severity has: what the checklist requires is
 * an error (critical, high) or a warning (medium, low); good practice beyond
 * it is a note. */
static const char *
sarif_level(enum hx_severity s)
{
    switch (s) {
    case HX_SEV_CRITICAL:
    case HX_SEV_HIGH:
        return "error";
    case HX_SEV_MEDIUM:
    case HX_SEV_LOW:
        return "warning";
    case HX_SEV_INFO:
    case HX_SEV_WARNING:
    default:
        return "note";
    }
}

/* GitHub's security-severity (0.0-10.0, CVSS-like bands), as text. */
static const char *
sarif_security_severity(enum hx_severity s)
{
    switch (s) {
    case HX_SEV_CRITICAL:
        return "9.5";
    case HX_SEV_HIGH:
        return "8.0";
    case HX_SEV_MEDIUM:
        return "5.5";
    case HX_SEV_LOW:
        return "3.0";
    case HX_SEV_INFO:
    case HX_SEV_WARNING:
    default:
        return "1.0";
    }
}

static json_t *
sarif_rule(struct sarif_ctx *x, const struct hx_case *c)
{
    json_t *rule = json_object(), *props = json_object(), *tags = json_array();
    json_t *help = json_object(), *cfg = json_object();
    char full[1200];

    sarif_set(x, rule, "id", sarif_text(c->id));
    sarif_set(x, rule, "name", sarif_text(c->id));
    sarif_set(x, rule, "shortDescription", sarif_message(x, c->title));
    snprintf(full, sizeof full, "%s.%s%s", c->title != NULL ? c->title : c->id,
             c->source != NULL ? " Source: " : "", c->source != NULL ? c->source : "");
    sarif_set(x, rule, "fullDescription", sarif_message(x, full));
    sarif_set(x, help, "text",
              sarif_text(c->remediation != NULL ? c->remediation : "See the check's scenario file."));
    sarif_set(x, rule, "help", help);
    sarif_set(x, cfg, "level", json_string(sarif_level(c->severity)));
    sarif_set(x, rule, "defaultConfiguration", cfg);
    sarif_push(x, tags, json_string("security"));
    for (size_t i = 0; i < c->n_checklist; i++) {
        char tag[160];
        snprintf(tag, sizeof tag, "checklist:%s", c->checklist[i]);
        sarif_push(x, tags, sarif_text(tag));
    }
    for (size_t i = 0; i < c->n_asvs; i++) {
        char tag[160];
        snprintf(tag, sizeof tag, "OWASP-ASVS-4.0.3:%s", c->asvs[i]);
        sarif_push(x, tags, sarif_text(tag));
    }
    sarif_set(x, props, "tags", tags);
    sarif_set(x, props, "security-severity", json_string(sarif_security_severity(c->severity)));
    sarif_set(x, props, "severity", json_string(hx_severity_name(c->severity)));
    if (c->file != NULL)
        sarif_set(x, props, "scenario", sarif_text(c->file));
    sarif_set(x, rule, "properties", props);
    return rule;
}

/* The step that decided the case (its first one that did not pass), or NULL. */
static const struct hx_step_result *
sarif_deciding_step(const struct hx_case *c)
{
    enum hx_status found = c->status == HX_STATUS_WAIVED ? c->waived_status : c->status;

    for (size_t i = 0; i < c->n_steps; i++)
        if (c->steps[i].status == found)
            return &c->steps[i];
    return NULL;
}

/* A waived finding: suppressed outside the analysed artifact (the waivers
 * file), accepted, with the waiver's reason, owner and last day. */
static json_t *
sarif_suppressions(struct sarif_ctx *x, const struct hx_case *c)
{
    json_t *list = json_array(), *s = json_object(), *props = json_object();
    const struct hx_waiver *w = c->waiver;
    char why[1000];

    snprintf(why, sizeof why, "%.600s (owner: %.200s; until %s)",
             w != NULL && w->reason ? w->reason : "?", w != NULL && w->owner ? w->owner : "?",
             w != NULL ? w->expires : "?");
    sarif_set(x, s, "kind", json_string("external"));
    sarif_set(x, s, "status", json_string("accepted"));
    sarif_set(x, s, "justification", sarif_text(why));
    sarif_set(x, props, "waiverCheck", sarif_text(w != NULL ? w->check : NULL));
    sarif_set(x, props, "owner", sarif_text(w != NULL ? w->owner : NULL));
    sarif_set(x, props, "expires", sarif_text(w != NULL ? w->expires : NULL));
    sarif_set(x, props, "waivedStatus", json_string(hx_status_name(c->waived_status)));
    sarif_set(x, s, "properties", props);
    sarif_push(x, list, s);
    return list;
}

static json_t *
sarif_result(struct sarif_ctx *x, const struct hx_result *r, const struct hx_case *c, size_t index)
{
    const struct hx_step_result *st = sarif_deciding_step(c);
    const char *url = r->target != NULL ? r->target : "";
    json_t *res = json_object(), *locs = json_array(), *loc = json_object();
    json_t *phys = json_object(), *art = json_object(), *fp = json_object();
    char key[400];

    if (st != NULL && st->n_exchanges > 0 && st->exchanges[st->n_exchanges - 1].url != NULL)
        url = st->exchanges[st->n_exchanges - 1].url;
    sarif_set(x, res, "ruleId", sarif_text(c->id));
    sarif_set(x, res, "ruleIndex", json_integer((json_int_t)index));
    sarif_set(x, res, "kind", json_string("fail"));
    sarif_set(x, res, "level",
              json_string(c->status == HX_STATUS_WARN ? "note" : sarif_level(c->severity)));
    sarif_set(x, res, "message", sarif_message(x, c->message));
    sarif_set(x, art, "uri", sarif_text(url));
    sarif_set(x, phys, "artifactLocation", art);
    sarif_set(x, loc, "physicalLocation", phys);
    sarif_push(x, locs, loc);
    sarif_set(x, res, "locations", locs);
    /* the same finding on the same target matches across runs */
    snprintf(key, sizeof key, "%s|%s|%s", c->id, st != NULL && st->name ? st->name : "",
             r->target != NULL ? r->target : "");
    sarif_set(x, fp, "authconform/v1", sarif_text(key));
    sarif_set(x, res, "partialFingerprints", fp);
    if (c->status == HX_STATUS_WAIVED)
        sarif_set(x, res, "suppressions", sarif_suppressions(x, c));
    if (c->baseline == HX_BASELINE_NEW || c->baseline == HX_BASELINE_STILL_FAILING)
        sarif_set(x, res, "baselineState",
                  json_string(c->baseline == HX_BASELINE_NEW ? "new" : "unchanged"));
    return res;
}

/* "2026-12-05T20:04:49Z" */
static json_t *
sarif_time(time_t t)
{
    char s[32];
    cmn_text_format_rfc3339(t, s, sizeof s);
    return json_string(s);
}

json_t *
hx_report_sarif_build(const struct hx_result *r)
{
    struct sarif_ctx x = {true};
    const struct hx_case **sorted = hx__cases_sorted(r);
    json_t *log = json_object(), *runs = json_array(), *run = json_object();
    json_t *tool = json_object(), *driver = json_object(), *rules = json_array();
    json_t *results = json_array(), *invs = json_array(), *inv = json_object();
    json_t *notes = json_array(), *props = json_object();

    if (sorted == NULL)
        x.ok = false;
    sarif_set(&x, log, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
    sarif_set(&x, log, "version", json_string("2.1.0"));
    sarif_set(&x, driver, "name", json_string("authconform"));
    sarif_set(&x, driver, "version", json_string(CMN_VERSION));
    sarif_set(&x, driver, "semanticVersion", json_string(CMN_VERSION));
    for (size_t i = 0; sorted != NULL && i < r->n_cases; i++) {
        const struct hx_case *c = sorted[i];
        sarif_push(&x, rules, sarif_rule(&x, c));
        if (c->status == HX_STATUS_FAIL || c->status == HX_STATUS_WARN ||
            c->status == HX_STATUS_WAIVED) {
            sarif_push(&x, results, sarif_result(&x, r, c, i));
        } else if (c->status == HX_STATUS_ERROR) {
            json_t *n = json_object(), *desc = json_object();
            sarif_set(&x, n, "level", json_string("error"));
            sarif_set(&x, n, "message", sarif_message(&x, c->message));
            sarif_set(&x, desc, "id", sarif_text(c->id));
            sarif_set(&x, desc, "index", json_integer((json_int_t)i));
            sarif_set(&x, n, "associatedRule", desc);
            sarif_push(&x, notes, n);
        }
    }
    /* a waiver that fails the gate is the invocation's finding, not a rule's */
    for (size_t i = 0; i < r->n_waivers; i++) {
        char line[1000];
        json_t *n;
        if (r->waivers[i].state != HX_WAIVER_EXPIRED && r->waivers[i].state != HX_WAIVER_UNUSED)
            continue;
        hx__waiver_line(r, i, line, sizeof line);
        n = json_object();
        sarif_set(&x, n, "level", json_string("error"));
        sarif_set(&x, n, "message", sarif_message(&x, line));
        sarif_push(&x, notes, n);
    }
    sarif_set(&x, driver, "rules", rules);
    sarif_set(&x, tool, "driver", driver);
    sarif_set(&x, run, "tool", tool);
    sarif_set(&x, inv, "executionSuccessful", json_true());
    sarif_set(&x, inv, "startTimeUtc", sarif_time(r->started));
    sarif_set(&x, inv, "endTimeUtc",
              sarif_time(r->started + (time_t)(r->seconds > 0 ? r->seconds : 0)));
    sarif_set(&x, inv, "toolExecutionNotifications", notes);
    sarif_push(&x, invs, inv);
    sarif_set(&x, run, "invocations", invs);
    sarif_set(&x, run, "results", results);
    sarif_set(&x, props, "target", sarif_text(r->target));
    sarif_set(&x, props, "profile", sarif_text(r->profile));
    sarif_set(&x, props, "runId", sarif_text(r->run_id));
    {
        json_t *run_notes = json_array(); /* e.g. "shard 2 of 3: 24 of 73 scenarios" */
        for (size_t i = 0; i < r->n_notes; i++)
            sarif_push(&x, run_notes, sarif_text(r->notes[i]));
        sarif_set(&x, props, "notes", run_notes);
    }
    sarif_set(&x, run, "properties", props);
    sarif_push(&x, runs, run);
    sarif_set(&x, log, "runs", runs);
    free(sorted);
    if (!x.ok) {
        json_decref(log);
        return NULL;
    }
    return log;
}

int
hx_report_sarif_write(const struct hx_result *r, const char *path, struct hx_error *err)
{
    json_t *log = hx_report_sarif_build(r);
    char *text;
    int rc;

    if (log == NULL) {
        hx_error_set(err, path, 0, "%s: cannot build the SARIF log: out of memory", path);
        return HX_E_NOMEM;
    }
    text = json_dumps(log, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(log);
    if (text == NULL) {
        hx_error_set(err, path, 0, "%s: cannot build the SARIF log: out of memory", path);
        return HX_E_NOMEM;
    }
    rc = hx__report_write_file(path, text, strlen(text), err);
    free(text);
    return rc;
}
