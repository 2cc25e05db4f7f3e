#ifndef HX_HTTP_INT_H
#define HX_HTTP_INT_H
/* For the runner: one request as an easy handle to drive on a multi handle.
 * hx_http_perform() is these three calls around curl_easy_perform(). */
#include <curl/curl.h>

#include "hx/http.h"

struct hx__http_transfer;

/* Returns 0 with *out new (hx__http_transfer_free), or HX_E_NOMEM /
 * HX_E_INVAL. resp (initialised by the caller) must outlive the transfer. */
int hx__http_transfer_new(const struct hx_http_config *cfg, const struct hx_request *req,
                          struct hx_response *resp, struct hx__http_transfer **out);
/* Borrowed: the easy handle to add to a multi handle. */
CURL *hx__http_transfer_easy(struct hx__http_transfer *t);
/* Records the outcome (status, timing, error) in resp. Returns as
 * hx_http_perform(). */
int hx__http_transfer_done(struct hx__http_transfer *t, CURLcode code);
void hx__http_transfer_free(struct hx__http_transfer *t);

#endif
