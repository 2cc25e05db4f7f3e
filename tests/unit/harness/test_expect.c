#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "hx/expect.h"
#include "unit.h"

static void
response(struct hx_response *r, long status, const char *body, const char *const *headers)
{
    size_t n = 0;
    hx_response_init(r, 1 << 20);
    r->status = status;
    snprintf(r->http_version, sizeof r->http_version, "HTTP/1.1");
    while (headers && headers[2 * n])
        n++;
    r->headers = calloc(n ? n : 1, sizeof *r->headers);
    for (size_t i = 0; i < n; i++) {
        r->headers[i].name = strdup(headers[2 * i]);
        r->headers[i].value = strdup(headers[2 * i + 1]);
    }
    r->n_headers = n;
    if (body)
        cmn_buf_adds(&r->body, body);
}

/* Judges and returns the message (new), or NULL when everything held. */
static char *
judge(const char *expect_json, const struct hx_response *r, int *mismatches)
{
    json_error_t jerr;
    json_t *e = json_loads(expect_json, 0, &jerr);
    struct hx_expect_outcome o;
    char *msg;

    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL_FATAL(hx_expect_check(e, r, NULL, &o), 0);
    if (mismatches)
        *mismatches = o.mismatches;
    msg = o.message ? strdup(o.message) : NULL;
    hx_expect_outcome_cleanup(&o);
    json_decref(e);
    return msg;
}

static void
test_expect_status_single_and_set_with_readable_messages(void)
{
    struct hx_response r;
    char *m;

    response(&r, 200, "{\"ok\":true}", NULL);
    CU_ASSERT_PTR_NULL(judge("{\"status\":200}", &r, NULL));
    m = judge("{\"status\":201}", &r, NULL);
    CU_ASSERT_STRING_EQUAL(m, "status: expected 201, got 200 (body: {\"ok\":true})");
    free(m);
    CU_ASSERT_PTR_NULL(judge("{\"status\":[200,204]}", &r, NULL));
    m = judge("{\"status\":[201,204]}", &r, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "status: expected one of 201, 204, got 200"));
    free(m);
    hx_response_cleanup(&r);
}

static void
test_expect_headers_present_absent_equal_and_matching(void)
{
    static const char *const h[] = {"Content-Type",
                                    "application/json; charset=utf-8",
                                    "WWW-Authenticate",
                                    "Bearer",
                                    "Set-Cookie",
                                    "theme=dark; Path=/",
                                    "Set-Cookie",
                                    "access_token=; Max-Age=0; HttpOnly",
                                    NULL};
    struct hx_response r;
    char *m;
    int n;

    response(&r, 401, "", h);
    CU_ASSERT_PTR_NULL(judge("{\"headers\":{\"www-authenticate\":\"Bearer\","
                             "\"Content-Type\":{\"matches\":\"^APPLICATION/json\",\"icase\":true},"
                             "\"Server\":{\"absent\":true},\"X-Frame-Options\":{\"present\":false},"
                             "\"Set-Cookie\":{\"matches\":\"^access_token=;.*Max-Age=0\"}}}",
                             &r, NULL));
    m = judge("{\"headers\":{\"Server\":{\"present\":true}}}", &r, NULL);
    CU_ASSERT_STRING_EQUAL(m, "header Server: expected to be present, but it is missing");
    free(m);
    m = judge("{\"headers\":{\"WWW-Authenticate\":{\"matches\":\"^Basic\"}}}", &r, NULL);
    CU_ASSERT_STRING_EQUAL(m,
                           "header WWW-Authenticate: expected to match /^Basic/, got \"Bearer\"");
    free(m);
    m = judge("{\"headers\":{\"Content-Type\":{\"absent\":true},\"WWW-Authenticate\":\"Basic\"}}",
              &r, &n);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "header Content-Type: expected to be absent"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(m, "; header WWW-Authenticate: expected \"Basic\", got \"Bearer\""));
    free(m);
    hx_response_cleanup(&r);
}

static void
test_expect_json_fields_equality_types_and_formats(void)
{
    struct hx_response r;
    char *m;

    response(
        &r, 201,
        "{\"token_type\":\"bearer\",\"user\":{\"id\":\"550e8400-e29b-41d4-a716-446655440000\","
        "\"email\":\"a@example.com\",\"is_active\":true,\"created_at\":\"2026-01-10T12:00:00Z\","
        "\"n\":3},\"items\":[1,2,3]}",
        NULL);
    CU_ASSERT_PTR_NULL(
        judge("{\"json\":{\"$.token_type\":\"bearer\",\"$.user.is_active\":true,"
              "\"$.user.id\":{\"is\":\"uuid\"},\"$.user.created_at\":{\"is\":\"rfc3339\"},"
              "\"$.user.email\":{\"is\":\"email\",\"matches\":\"@example\\\\.com$\"},"
              "\"$.user.n\":{\"type\":\"integer\",\"min\":1,\"max\":3},"
              "\"$.items\":{\"type\":\"array\",\"length\":3,\"contains\":2},"
              "\"$.user.password\":{\"absent\":true},"
              "\"$.token_type\":{\"one_of\":[\"Bearer\",\"bearer\"]}}}",
              &r, NULL));
    m = judge("{\"json\":{\"$.user.id\":{\"is\":\"rfc3339\"}}}", &r, NULL);
    CU_ASSERT_STRING_EQUAL(m, "json $.user.id: expected an RFC 3339 timestamp, got "
                              "\"550e8400-e29b-41d4-a716-446655440000\"");
    free(m);
    m = judge("{\"json\":{\"$.user.email\":{\"is\":\"uuid\"}}}", &r, NULL);
    CU_ASSERT_STRING_EQUAL(m, "json $.user.email: expected a UUID, got \"a@example.com\"");
    free(m);
    m = judge("{\"json\":{\"$.items\":{\"length\":1}}}", &r, NULL);
    CU_ASSERT_STRING_EQUAL(m, "json $.items: expected 1 elements, got 3");
    free(m);
    m = judge("{\"json\":{\"$.user.n\":{\"type\":\"string\"}}}", &r, NULL);
    CU_ASSERT_STRING_EQUAL(m, "json $.user.n: expected a string, got an integer 3");
    free(m);
    m = judge("{\"json\":{\"$.detail\":\"Invalid token\"}}", &r, NULL);
    CU_ASSERT_STRING_EQUAL(m, "json $.detail: expected \"Invalid token\", but it is missing");
    free(m);
    m = judge("{\"json\":{\"$.token_type\":{\"matches\":\"^Bearer$\"}}}", &r, NULL);
    CU_ASSERT_STRING_EQUAL(m, "json $.token_type: expected to match /^Bearer$/, got \"bearer\"");
    free(m);
    CU_ASSERT_PTR_NULL(
        judge("{\"json\":{\"$.token_type\":{\"equals\":\"BEARER\",\"icase\":true}}}", &r, NULL));
    hx_response_cleanup(&r);
}

static void
test_expect_json_on_a_body_that_is_not_json_says_so(void)
{
    struct hx_response r;
    char *m;

    response(&r, 200, "<html>oops</html>", NULL);
    m = judge("{\"json\":{\"$.a\":1}}", &r, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "body: expected JSON, but it is not"));
    free(m);
    m = judge("{\"body\":{\"contains\":\"oops\",\"not_contains\":\"secret\",\"is_json\":false}}",
              &r, NULL);
    CU_ASSERT_PTR_NULL(m);
    m = judge("{\"body\":{\"contains\":\"nope\"}}", &r, NULL);
    CU_ASSERT_STRING_EQUAL(m, "body: expected to contain \"nope\"");
    free(m);
    hx_response_cleanup(&r);
}

static char *
make_jwt(const char *header, const char *payload)
{
    char *h = cmn_b64url_encode_new(header, strlen(header));
    char *p = cmn_b64url_encode_new(payload, strlen(payload));
    char *t;
    if (asprintf(&t, "%s.%s.c2lnbmF0dXJl", h, p) < 0)
        t = NULL;
    free(h);
    free(p);
    return t;
}

static void
test_expect_jwt_header_claims_and_lifetime(void)
{
    struct hx_response r;
    char *tok = make_jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                         "{\"user_id\":\"u1\",\"iat\":1700000000,\"exp\":1700604800}");
    char *body, *m;

    asprintf(&body, "{\"access_token\":\"%s\"}", tok);
    response(&r, 200, body, NULL);
    CU_ASSERT_PTR_NULL(judge("{\"jwt\":{\"from\":\"$.access_token\",\"segments\":3,"
                             "\"header\":{\"alg\":\"HS256\"},\"claims\":{\"user_id\":\"u1\"},"
                             "\"lifetime\":{\"equals\":604800,\"tolerance\":5}}}",
                             &r, NULL));
    m = judge("{\"jwt\":{\"lifetime\":{\"equals\":2592000}}}", &r, NULL);
    CU_ASSERT_STRING_EQUAL(m, "jwt exp - iat (seconds): expected 2592000, got 604800 (7.0 days)");
    free(m);
    m = judge(
        "{\"jwt\":{\"header\":{\"alg\":\"RS256\"},\"claims\":{\"email\":{\"present\":true}}}}", &r,
        NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "jwt header alg: expected \"RS256\", got \"HS256\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "jwt claim email: expected to be present"));
    free(m);
    /* exp in 2023: expired */
    m = judge("{\"jwt\":{\"not_expired\":true}}", &r, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "already expired"));
    free(m);
    m = judge("{\"jwt\":{\"from\":\"$.missing\"}}", &r, NULL);
    CU_ASSERT_STRING_EQUAL(m, "jwt: no token found at $.missing");
    free(m);
    hx_response_cleanup(&r);
    free(body);
    free(tok);

    response(&r, 200, "{\"access_token\":\"not.a-jwt\"}", NULL);
    m = judge("{\"jwt\":{}}", &r, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "not a JWT"));
    free(m);
    hx_response_cleanup(&r);
}

static void
test_expect_messages_are_redacted(void)
{
    struct hx_response r;
    struct hx_redactor red;
    json_t *e = json_loads("{\"json\":{\"$.password\":\"x\"}}", 0, NULL);
    struct hx_expect_outcome o;

    hx_redactor_init(&red);
    hx_redactor_add(&red, "S3cretPassw0rd");
    response(&r, 200, "{\"password\":\"S3cretPassw0rd\"}", NULL);
    hx_expect_check(e, &r, &red, &o);
    CU_ASSERT_PTR_NULL(strstr(o.message, "S3cretPassw0rd"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.message, "S3cr\xe2\x80\xa6"));
    hx_expect_outcome_cleanup(&o);
    hx_response_cleanup(&r);
    hx_redactor_cleanup(&red);
    json_decref(e);
}

static void
test_expect_validate_reports_every_problem_with_its_place(void)
{
    struct hx_errlist errs;
    json_t *e = json_loads("{\"status\":\"two hundred\",\"json\":{\"$.\":1,"
                           "\"$.a\":{\"kind\":\"x\"},\"$.b\":{\"matches\":\"(\"},"
                           "\"$.c\":{\"is\":\"ipv6\"}},\"color\":1,\"status2\":1}",
                           0, NULL);

    hx_errlist_init(&errs);
    hx_expect_validate(e, "f.json", "steps[0].expect", &errs);
    CU_ASSERT(errs.n >= 6);
    for (size_t i = 0; i < errs.n; i++) {
        CU_ASSERT_STRING_EQUAL(errs.items[i].file, "f.json");
        CU_ASSERT_PTR_NOT_NULL(strstr(errs.items[i].text, "steps[0].expect"));
    }
    hx_errlist_cleanup(&errs);
    json_decref(e);

    e = json_loads(
        "{\"status\":\"${codes.signup}\",\"json\":{\"${fields.token}\":{\"type\":\"string\"}}}", 0,
        NULL);
    hx_errlist_init(&errs);
    hx_expect_validate(e, "f.json", "steps[0].expect", &errs);
    CU_ASSERT_EQUAL(errs.n, 0);
    hx_errlist_cleanup(&errs);
    json_decref(e);
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_expect_status_single_and_set_with_readable_messages),
        TU_TEST(test_expect_headers_present_absent_equal_and_matching),
        TU_TEST(test_expect_json_fields_equality_types_and_formats),
        TU_TEST(test_expect_json_on_a_body_that_is_not_json_says_so),
        TU_TEST(test_expect_jwt_header_claims_and_lifetime),
        TU_TEST(test_expect_messages_are_redacted),
        TU_TEST(test_expect_validate_reports_every_problem_with_its_place),
        {NULL, NULL},
    };
    return tu_run_suite("expect", tests);
}
