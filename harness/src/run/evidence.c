/* What is kept of each exchange: redacted and bounded evidence (see run/runner_int.h). */
#include "run/runner_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cmn/clock.h"
#include "cmn/json.h"
#include "cmn/log.h"
#include "cmn/version.h"
#include "net/http_int.h"
#include "hx/expect.h"
#include "hx/jsonpath.h"
#include "hx/jwt.h"
#include "run/runner_int.h"

static char *
run_redact_body(struct hx_run *run, const char *p, size_t n, bool *truncated)
{
    if (n > HX_EVIDENCE_BODY_MAX) {
        n = HX_EVIDENCE_BODY_MAX;
        *truncated = true;
    }
    return hx_redact_text_new(&run->red, p, n);
}

static int
run_copy_headers(struct hx_run *run, const struct hx_header *in, size_t n, struct hx_header **out,
                 size_t *n_out)
{
    *out = n ? calloc(n, sizeof **out) : NULL;
    *n_out = 0;
    if (n && *out == NULL)
        return HX_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        (*out)[i].name = strdup(in[i].name);
        (*out)[i].value = hx_redact_header_new(&run->red, in[i].name, in[i].value);
        (*n_out)++;
        if ((*out)[i].name == NULL || (*out)[i].value == NULL)
            return HX_E_NOMEM;
    }
    return 0;
}

int
hx__run_learn(struct hx_run *run, const struct hx_response *resp)
{
    int rc = 0;

    if (resp == NULL || resp->status <= 0)
        return 0;
    for (size_t i = 0; i < resp->n_headers && rc == 0; i++)
        rc = hx_redactor_learn_header(&run->red, resp->headers[i].name, resp->headers[i].value);
    if (rc == 0)
        rc = hx_redactor_learn_body(&run->red, resp->body.data, resp->body.len);
    return rc;
}

int
hx__run_record(struct hx_run *run, struct hx_step_result *step, const struct hx_request *req,
               const struct hx_response *resp)
{
    struct hx_exchange *x = hx_step_add_exchange(step);
    int rc = 0;

    if (x == NULL)
        return HX_E_NOMEM;
    x->method = strdup(req->method);
    x->url = hx_redact_text_new(&run->red, req->url, strlen(req->url));
    rc |= run_copy_headers(run, req->headers, req->n_headers, &x->request_headers,
                           &x->n_request_headers);
    if (req->body != NULL) {
        x->request_body =
            run_redact_body(run, req->body, req->body_len, &x->request_body_truncated);
        x->request_body_len = x->request_body ? strlen(x->request_body) : 0;
    }
    x->status = resp->status;
    if (resp->status > 0) {
        x->http_version = strdup(resp->http_version);
        rc |= run_copy_headers(run, resp->headers, resp->n_headers, &x->response_headers,
                               &x->n_response_headers);
        x->response_body_truncated = resp->truncated;
        x->response_body = run_redact_body(run, resp->body.data ? resp->body.data : "",
                                           resp->body.len, &x->response_body_truncated);
        x->response_body_len = x->response_body ? strlen(x->response_body) : 0;
    }
    if (resp->error != 0)
        x->transport_error =
            hx_redact_text_new(&run->red, resp->error_text, strlen(resp->error_text));
    if (resp->tls_version[0] != '\0')
        x->tls_version = strdup(resp->tls_version);
    x->seconds = resp->seconds;
    return rc != 0 ? HX_E_NOMEM : 0;
}

/* Replaces *field by its redacted form (kept as it was when out of memory). */
static void
run_redact_field(struct hx_run *run, char **field)
{
    char *red;

    if (*field == NULL)
        return;
    red = hx_redact_text_new(&run->red, *field, strlen(*field));
    if (red != NULL) {
        free(*field);
        *field = red;
    }
}

void
hx__run_redact_step(struct hx_run *run, struct hx_step_result *step)
{
    run_redact_field(run, &step->message);
    run_redact_field(run, &step->notes);
}
