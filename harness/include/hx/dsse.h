#ifndef HX_DSSE_H
#define HX_DSSE_H
/*
 * DSSE, the Dead Simple Signing Envelope (secure-systems-lab/dsse, v1.0.2),
 * as the JSON envelope in-toto attestations travel in:
 *
 *   {"payload": Base64(BODY), "payloadType": TYPE,
 *    "signatures": [{"keyid": KEYID, "sig": Base64(Sign(PAE(TYPE, BODY)))}]}
 *
 *   PAE(TYPE, BODY) = "DSSEv1" SP LEN(TYPE) SP TYPE SP LEN(BODY) SP BODY
 *
 * LEN is the byte length in ASCII decimal without leading zeros. The
 * signature covers the type too, so a signature over one type is never
 * accepted for another. This module writes standard base64 with padding and
 * reads standard or URL-safe base64, as the specification allows.
 */
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "cmn/buf.h"
#include "hx/error.h"
#include "hx/signing_key.h"

#define HX_DSSE_INTOTO_TYPE "application/vnd.in-toto+json"

/* Appends PAE(type, (body, n)) to out. Returns 0 or the cmn_buf error
 * (CMN_E_TOOBIG, CMN_E_NOMEM). */
int hx_dsse_pae(struct cmn_buf *out, const char *type, const void *body, size_t n);

/* Signs (body, n) of the given type with key (which must hold a private
 * half). Returns 0 with *out new (json_decref()): the envelope, with one
 * signature whose keyid is the key's id; or HX_E_NOMEM / HX_E_INVAL. */
int hx_dsse_sign(const char *type, const void *body, size_t n, const struct hx_signing_key *key,
                 json_t **out);

struct hx_dsse_signature {
    char *keyid; /* "" when the envelope gives none */
    unsigned char *sig;
    size_t sig_len;
};

/* An envelope as read: every member decoded, nothing verified yet. */
struct hx_dsse_envelope {
    char *payload_type;
    unsigned char *payload; /* NUL-terminated for convenience */
    size_t payload_len;
    struct hx_dsse_signature *signatures;
    size_t n_signatures;
};

/* Parses an envelope's JSON text (n bytes); name stands for the file in
 * err. Every malformed member is named ("signatures[0].sig: not base64").
 * Returns 0 with *out filled (hx_dsse_envelope_cleanup), HX_E_PARSE or
 * HX_E_NOMEM. */
int hx_dsse_parse(const char *text, size_t n, const char *name, struct hx_dsse_envelope *out,
                  struct hx_error *err);
void hx_dsse_envelope_cleanup(struct hx_dsse_envelope *e); /* safe on a zeroed envelope */

/* Verifies the envelope's signatures with key over the PAE of its type and
 * payload. Returns true and sets *which to the first signature that
 * verifies; false when none does. */
bool hx_dsse_verify(const struct hx_dsse_envelope *e, const struct hx_signing_key *key,
                    size_t *which);

#endif
