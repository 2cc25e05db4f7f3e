/* DSSE envelopes: the PAE, signing, reading and verifying. */
#include "hx/dsse.h"

#include <stdlib.h>
#include <string.h>

#include "cmn/b64url.h"
#include "cmn/json.h"

/* Largest envelope or payload this module builds or reads. */
#define DSSE_MAX ((size_t)256 << 20)
#define DSSE_MAX_DEPTH 16

int
hx_dsse_pae(struct cmn_buf *out, const char *type, const void *body, size_t n)
{
    int rc = cmn_buf_addf(out, "DSSEv1 %zu %s %zu ", strlen(type), type, n);

    return rc != 0 ? rc : cmn_buf_add(out, body, n);
}

int
hx_dsse_sign(const char *type, const void *body, size_t n, const struct hx_signing_key *key,
             json_t **out)
{
    struct cmn_buf pae;
    unsigned char sig[HX_SIGNING_KEY_SIG_LEN];
    char *payload_b64 = NULL, *sig_b64 = NULL;
    json_t *env = NULL, *s = NULL, *sigs = NULL;
    int rc;

    if (!hx_signing_key_can_sign(key))
        return HX_E_INVAL;
    cmn_buf_init(&pae, DSSE_MAX);
    rc = hx_dsse_pae(&pae, type, body, n);
    if (rc == 0)
        rc = hx_signing_key_sign(key, pae.data, pae.len, sig);
    if (rc != 0)
        goto cleanup;
    rc = HX_E_NOMEM;
    payload_b64 = cmn_b64_encode_new(body, n);
    sig_b64 = cmn_b64_encode_new(sig, sizeof sig);
    if (payload_b64 == NULL || sig_b64 == NULL)
        goto cleanup;
    /* members in the order of the specification's JSON envelope */
    s = json_pack("{s:s, s:s}", "keyid", hx_signing_key_id(key), "sig", sig_b64);
    sigs = s != NULL ? json_pack("[o]", s) : NULL;
    s = NULL; /* json_pack's "o" took it, even on failure */
    env = sigs != NULL ? json_pack("{s:s, s:s, s:o}", "payload", payload_b64, "payloadType", type,
                                   "signatures", sigs)
                       : NULL;
    sigs = NULL;
    if (env == NULL)
        goto cleanup;
    *out = env;
    rc = 0;
cleanup:
    free(payload_b64);
    free(sig_b64);
    cmn_buf_cleanup(&pae);
    return rc;
}

/* Standard or URL-safe base64, as the envelope specification allows. */
static int
dsse_b64_decode(const char *s, unsigned char **out, size_t *out_len)
{
    size_t n = strlen(s);

    if (cmn_b64_decode(s, n, out, out_len) == 0)
        return 0;
    return cmn_b64url_decode(s, n, out, out_len);
}

/* A string member of obj, or NULL with the member named in err. */
static const char *
dsse_string(const json_t *obj, const char *key, const char *where, const char *name,
            struct hx_error *err)
{
    const json_t *v = json_object_get(obj, key);

    if (!json_is_string(v)) {
        hx_error_set(err, name, 0, "%s: %s%s: %s", name, where, key,
                     v == NULL ? "missing" : "not a string");
        return NULL;
    }
    return json_string_value(v);
}

static int
dsse_parse_signatures(const json_t *root, const char *name, struct hx_dsse_envelope *e,
                      struct hx_error *err)
{
    const json_t *sigs = json_object_get(root, "signatures");
    size_t i;
    json_t *s;

    if (!json_is_array(sigs) || json_array_size(sigs) == 0) {
        hx_error_set(err, name, 0, "%s: signatures: %s", name,
                     sigs == NULL           ? "missing"
                     : !json_is_array(sigs) ? "not an array"
                                            : "empty: the envelope is not signed");
        return HX_E_PARSE;
    }
    e->signatures = calloc(json_array_size(sigs), sizeof *e->signatures);
    if (e->signatures == NULL)
        return HX_E_NOMEM;
    json_array_foreach(sigs, i, s)
    {
        struct hx_dsse_signature *d = &e->signatures[i];
        const json_t *keyid = json_object_get(s, "keyid");
        const char *sig;
        char where[48];

        e->n_signatures = i + 1;
        snprintf(where, sizeof where, "signatures[%zu].", i);
        if (!json_is_object(s)) {
            hx_error_set(err, name, 0, "%s: signatures[%zu]: not an object", name, i);
            return HX_E_PARSE;
        }
        if ((sig = dsse_string(s, "sig", where, name, err)) == NULL)
            return HX_E_PARSE;
        if (keyid != NULL && !json_is_string(keyid)) {
            hx_error_set(err, name, 0, "%s: %skeyid: not a string", name, where);
            return HX_E_PARSE;
        }
        d->keyid = strdup(keyid != NULL ? json_string_value(keyid) : "");
        if (d->keyid == NULL)
            return HX_E_NOMEM;
        if (dsse_b64_decode(sig, &d->sig, &d->sig_len) != 0) {
            hx_error_set(err, name, 0, "%s: %ssig: not base64", name, where);
            return HX_E_PARSE;
        }
    }
    return 0;
}

int
hx_dsse_parse(const char *text, size_t n, const char *name, struct hx_dsse_envelope *out,
              struct hx_error *err)
{
    struct hx_dsse_envelope e = {0};
    char reason[160] = "";
    const char *payload, *type;
    json_t *root = cmn_json_parse_strict(text, n, DSSE_MAX_DEPTH, reason, sizeof reason);
    int rc = HX_E_PARSE;

    if (root == NULL) {
        hx_error_set(err, name, 0, "%s: not a JSON envelope: %s", name, reason);
        return HX_E_PARSE;
    }
    if (!json_is_object(root)) {
        hx_error_set(err, name, 0, "%s: not a JSON object", name);
        goto cleanup;
    }
    if ((type = dsse_string(root, "payloadType", "", name, err)) == NULL ||
        (payload = dsse_string(root, "payload", "", name, err)) == NULL)
        goto cleanup;
    e.payload_type = strdup(type);
    if (e.payload_type == NULL) {
        rc = HX_E_NOMEM;
        goto cleanup;
    }
    if (dsse_b64_decode(payload, &e.payload, &e.payload_len) != 0) {
        hx_error_set(err, name, 0, "%s: payload: not base64", name);
        goto cleanup;
    }
    rc = dsse_parse_signatures(root, name, &e, err);
    if (rc != 0)
        goto cleanup;
    *out = e;
    memset(&e, 0, sizeof e);
cleanup:
    if (rc == HX_E_NOMEM)
        hx_error_set(err, name, 0, "%s: out of memory", name);
    hx_dsse_envelope_cleanup(&e);
    json_decref(root);
    return rc;
}

void
hx_dsse_envelope_cleanup(struct hx_dsse_envelope *e)
{
    for (size_t i = 0; i < e->n_signatures; i++) {
        free(e->signatures[i].keyid);
        free(e->signatures[i].sig);
    }
    free(e->signatures);
    free(e->payload);
    free(e->payload_type);
    memset(e, 0, sizeof *e);
}

bool
hx_dsse_verify(const struct hx_dsse_envelope *e, const struct hx_signing_key *key, size_t *which)
{
    struct cmn_buf pae;
    bool ok = false;

    cmn_buf_init(&pae, DSSE_MAX);
    if (hx_dsse_pae(&pae, e->payload_type, e->payload, e->payload_len) == 0) {
        for (size_t i = 0; i < e->n_signatures && !ok; i++) {
            if (hx_signing_key_verify(key, pae.data, pae.len, e->signatures[i].sig,
                                      e->signatures[i].sig_len)) {
                *which = i;
                ok = true;
            }
        }
    }
    cmn_buf_cleanup(&pae);
    return ok;
}
