/* Fuzz target: the JSON path language of expectations and captures
 * (harness/src/scenario/jsonpath.c), on a path from a scenario file and a
 * document from a target.
 *
 * The input is "PATH\nDOCUMENT": the path is looked up in the document
 * (parsed as jansson does for response bodies; when it is not JSON, in a
 * fixed document). The syntax check and the lookup must agree on which
 * paths are malformed. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fz_check.h"
#include "hx/jsonpath.h"

static const char jsonpath_fixed[] =
    "{\"access_token\":\"t\",\"user\":{\"id\":\"u\",\"tags\":[1,\"two\",null,{\"odd key\":[]}]},"
    "\"items\":[[0],[1,2]],\"\":{\"\":1},\"é\":\"x\"}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *fixed;
    const char *nl = memchr(data, '\n', size);
    char *path;
    json_t *doc = NULL, *out = NULL;
    struct hx_error err = {0};
    size_t plen = nl ? (size_t)(nl - (const char *)data) : size;
    int checked, got;

    if (size > 65536)
        return 0;
    if (fixed == NULL) {
        fixed = json_loads(jsonpath_fixed, 0, NULL); /* lives for the process */
        FZ_CHECK(fixed != NULL);
    }
    path = malloc(plen + 1);
    if (path == NULL)
        return 0;
    memcpy(path, data, plen);
    path[plen] = '\0';
    if (nl != NULL)
        doc = json_loadb(nl + 1, size - plen - 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);

    checked = hx_jsonpath_check(path, &err);
    got = hx_jsonpath_get(doc != NULL ? doc : fixed, path, &out, &err);
    FZ_CHECK(checked == 0 || checked == HX_E_PARSE);
    FZ_CHECK(got == 0 || got == HX_E_PARSE || got == HX_E_NOMEM);
    FZ_CHECK((checked == HX_E_PARSE) == (got == HX_E_PARSE));
    if (got != 0)
        FZ_CHECK(out == NULL);
    json_decref(out);
    json_decref(doc);
    free(path);
    return 0;
}
