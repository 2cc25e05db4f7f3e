#include <string.h>

#include "cmn/text.h"
#include "unit.h"

static void
test_text_is_utf8_accepts_valid_and_rejects_invalid(void)
{
    CU_ASSERT(cmn_text_is_utf8("plain", 5));
    CU_ASSERT(cmn_text_is_utf8("caf\xc3\xa9", 5));
    CU_ASSERT(cmn_text_is_utf8("\xf0\x9f\x98\x80", 4));
    CU_ASSERT_FALSE(cmn_text_is_utf8("\xc0\xaf", 2));         /* overlong */
    CU_ASSERT_FALSE(cmn_text_is_utf8("\xed\xa0\x80", 3));     /* surrogate */
    CU_ASSERT_FALSE(cmn_text_is_utf8("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    CU_ASSERT_FALSE(cmn_text_is_utf8("\xe2\x82", 2));         /* truncated */
    CU_ASSERT_FALSE(cmn_text_is_utf8("\xff", 1));
}

static void
test_text_is_uuid_checks_shape(void)
{
    CU_ASSERT(cmn_text_is_uuid("550e8400-e29b-41d4-a716-446655440000"));
    CU_ASSERT(cmn_text_is_uuid("550E8400-E29B-41D4-A716-446655440000"));
    CU_ASSERT_FALSE(cmn_text_is_uuid("550e8400e29b41d4a716446655440000"));
    CU_ASSERT_FALSE(cmn_text_is_uuid("550e8400-e29b-41d4-a716-44665544000"));
    CU_ASSERT_FALSE(cmn_text_is_uuid("550e8400-e29b-41d4-a716-4466554400000"));
    CU_ASSERT_FALSE(cmn_text_is_uuid("g50e8400-e29b-41d4-a716-446655440000"));
    CU_ASSERT_FALSE(cmn_text_is_uuid(""));
}

static void
test_text_parse_rfc3339_accepts_forms_and_computes_utc(void)
{
    time_t t = 0;
    CU_ASSERT(cmn_text_parse_rfc3339("2026-01-10T12:00:00Z", &t));
    CU_ASSERT_EQUAL(t, 1768046400);
    CU_ASSERT(cmn_text_parse_rfc3339("2026-01-10T13:30:00.123456+01:30", &t));
    CU_ASSERT_EQUAL(t, 1768046400);
    CU_ASSERT(cmn_text_parse_rfc3339("2024-02-29T00:00:00Z", NULL));
}

static void
test_text_parse_rfc3339_rejects_malformed(void)
{
    CU_ASSERT_FALSE(cmn_text_parse_rfc3339("2026-01-10 12:00:00Z", NULL));
    CU_ASSERT_FALSE(cmn_text_parse_rfc3339("2026-01-10T12:00:00", NULL));
    CU_ASSERT_FALSE(cmn_text_parse_rfc3339("2026-13-10T12:00:00Z", NULL));
    CU_ASSERT_FALSE(cmn_text_parse_rfc3339("2025-02-29T12:00:00Z", NULL));
    CU_ASSERT_FALSE(cmn_text_parse_rfc3339("2026-01-10T12:00:00Zjunk", NULL));
    CU_ASSERT_FALSE(cmn_text_parse_rfc3339("2026-01-10T12:00:00.Z", NULL));
    CU_ASSERT_FALSE(cmn_text_parse_rfc3339("", NULL));
}

static void
test_text_format_rfc3339_round_trips(void)
{
    char s[32];
    time_t t = 0;
    cmn_text_format_rfc3339(1768046400, s, sizeof s);
    CU_ASSERT_STRING_EQUAL(s, "2026-01-10T12:00:00Z");
    CU_ASSERT(cmn_text_parse_rfc3339(s, &t));
    CU_ASSERT_EQUAL(t, 1768046400);
    /* a year under 1000 keeps its four digits, and reads back */
    CU_ASSERT(cmn_text_parse_rfc3339("0026-11-25T09:46:40Z", &t));
    cmn_text_format_rfc3339(t, s, sizeof s);
    CU_ASSERT_STRING_EQUAL(s, "0026-11-25T09:46:40Z");
    /* the ends of what can be written; an offset past them is refused */
    CU_ASSERT(cmn_text_parse_rfc3339("0000-01-01T00:00:00Z", &t));
    CU_ASSERT_EQUAL(t, CMN_RFC3339_MIN);
    CU_ASSERT(cmn_text_parse_rfc3339("9999-12-31T23:59:59Z", &t));
    CU_ASSERT_EQUAL(t, CMN_RFC3339_MAX);
    CU_ASSERT_FALSE(cmn_text_parse_rfc3339("0000-01-01T00:00:00+01:00", NULL));
    CU_ASSERT_FALSE(cmn_text_parse_rfc3339("9999-12-31T23:59:59-01:00", NULL));
    cmn_text_format_rfc3339(CMN_RFC3339_MIN - 1, s, sizeof s);
    CU_ASSERT_STRING_EQUAL(s, "0000-01-01T00:00:00Z");
}

int
main(void)
{
    static const struct tu_test tests[] = {
        TU_TEST(test_text_is_utf8_accepts_valid_and_rejects_invalid),
        TU_TEST(test_text_is_uuid_checks_shape),
        TU_TEST(test_text_parse_rfc3339_accepts_forms_and_computes_utc),
        TU_TEST(test_text_parse_rfc3339_rejects_malformed),
        TU_TEST(test_text_format_rfc3339_round_trips),
        {NULL, NULL},
    };
    return tu_run_suite("text", tests);
}
