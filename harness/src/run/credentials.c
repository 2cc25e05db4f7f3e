/* The credential pipeline (see run/runner_int.h): where a signup's session
 * credential is (profile auth.session), and the exchange that turns it into
 * the API credential (profile auth.exchange), as a Better Auth server with
 * its jwt plugin hands out an opaque session token and a JWT for the API. */
#include "run/runner_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmn/json.h"
#include "hx/header_values.h"
#include "hx/jsonpath.h"

char *
hx__run_credential_at(const struct hx_response *resp, const json_t *doc, const char *where)
{
    if (where == NULL)
        return NULL;
    if (where[0] == '$') {
        json_t *v = NULL;
        char *out = NULL;
        if (doc != NULL && hx_jsonpath_get(doc, where, &v, NULL) == 0 && json_is_string(v) &&
            json_string_length(v) > 0)
            out = strdup(json_string_value(v));
        json_decref(v);
        return out;
    }
    if (strncmp(where, "header:", 7) == 0) {
        const char *h = hx_response_header(resp, where + 7);
        return h != NULL && h[0] != '\0' ? strdup(h) : NULL;
    }
    if (strncmp(where, "cookie:", 7) == 0)
        return hx_response_cookie(resp, where + 7);
    return NULL;
}

int
hx__run_exchange(struct hx_run *run, unsigned scope, const char *session,
                 struct hx_step_result *step, char **api)
{
    const json_t *ex = hx_profile_get(run->profile, "auth.exchange");
    const char *method = json_string_value(json_object_get(ex, "method"));
    const char *path = json_string_value(json_object_get(ex, "path"));
    const char *send = json_string_value(json_object_get(ex, "send"));
    const char *where = json_string_value(json_object_get(ex, "token"));
    struct run_step_sender ss = {run, step};
    const struct run_sender via = hx__run_step_sender(&ss);
    struct run_req rq;
    struct hx_response resp;
    struct hx_request final;
    json_t *doc = NULL;
    char *line = NULL, *url = NULL;
    int rc;

    *api = NULL;
    memset(&rq, 0, sizeof rq);
    rq.url = hx__run_url(run, path);
    if (send != NULL && strncmp(send, "cookie:", 7) == 0)
        rc = asprintf(&line, "%s=%s", send + 7, session) < 0
                 ? HX_E_NOMEM
                 : hx__run_req_header(&rq, "Cookie", line);
    else
        rc = asprintf(&line, "%s %s", run->profile->scheme, session) < 0
                 ? HX_E_NOMEM
                 : hx__run_req_header(&rq, "Authorization", line);
    free(line);
    if (rq.url == NULL || rc != 0 || hx__run_req_client(run, &rq, scope) != 0) {
        hx__run_req_cleanup(&rq);
        hx_step_set(step, HX_STATUS_ERROR, "setup.exchange",
                    "setup: cannot build the credential exchange: out of memory");
        return HX_E_NOMEM;
    }
    hx__run_req_finish(&rq, method != NULL ? method : "GET");
    hx_response_init(&resp, HX_BODY_MAX);
    hx__run_perform(run, &via, &rq.req, &resp, &final, &url);
    hx__run_record(run, step, &final, &resp);
    free(url);
    if (resp.error == 0 && resp.status >= 200 && resp.status < 300) {
        if (resp.body.len > 0) {
            char perr[96];
            doc = cmn_json_parse_strict(resp.body.data, resp.body.len, 64, perr, sizeof perr);
        }
        *api = hx__run_credential_at(&resp, doc, where);
    }
    if (*api == NULL) {
        char body[200];
        hx__run_body_preview(run, &resp, body, sizeof body);
        if (resp.error != 0)
            hx_step_set(step, HX_STATUS_ERROR, "setup.exchange",
                        "setup: the credential exchange (%s %s) got no answer: %s", rq.req.method,
                        path, resp.error_text);
        else
            hx_step_set(step, resp.status == 429 ? HX_STATUS_SKIP : HX_STATUS_ERROR,
                        "setup.exchange",
                        "setup: the credential exchange (%s %s, profile auth.exchange) answered "
                        "%ld without a credential at %s%s%s",
                        rq.req.method, path, resp.status, where, body[0] ? "; body: " : "", body);
        rc = HX_E_NOTFOUND;
    } else {
        hx_redactor_add(&run->red, *api);
        rc = 0;
    }
    json_decref(doc);
    hx_response_cleanup(&resp);
    hx__run_req_cleanup(&rq);
    return rc;
}
