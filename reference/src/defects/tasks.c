/* Planted defects of the task endpoints (defect builds only). */
#include "rs/defect.h"

#include <stdio.h>
#include <string.h>

#include "rs/reply.h"
#include "rs/request.h"
#include "rs/router.h"
#include "rs/store/tasks.h"

void
rs_defect_task_patch_clears(struct rs_task_fields *f)
{
    if (!f->has_description) {
        f->has_description = true;
        f->description = NULL;
    }
    if (!f->has_completed) {
        f->has_completed = true;
        f->completed = false;
    }
}

/* Appends the query arguments libmicrohttpd parsed to a Location being
 * built (a framework's slash redirect keeps the query). */
struct slash_query {
    char *out;
    size_t size, used;
    bool any; /* an argument written: the next one starts with '&' */
};

/* Arguments come raw (authref turns libmicrohttpd's unescaping off). */
static void
slash_query_put(struct slash_query *q, const char *text)
{
    size_t n = strlen(text);
    if (q->used + n + 1 > q->size)
        return;
    memcpy(q->out + q->used, text, n + 1);
    q->used += n;
}

static enum MHD_Result
slash_query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct slash_query *q = cls;
    (void)kind;
    if (q->used + 2 > q->size)
        return MHD_NO;
    q->out[q->used++] = q->any ? '&' : '?';
    q->out[q->used] = '\0';
    q->any = true;
    slash_query_put(q, key);
    if (value != NULL) {
        if (q->used + 2 > q->size)
            return MHD_NO;
        q->out[q->used++] = '=';
        q->out[q->used] = '\0';
        slash_query_put(q, value);
    }
    return MHD_YES;
}

bool
rs_defect_tasks_slash_redirect(struct rs_request *r, enum MHD_Result *answered)
{
    static const char tail[] = "/tasks";
    char location[RS_PATH_MAX + 2];
    size_t n = strlen(r->path);

    if (n < sizeof tail || strcmp(r->path + n - (sizeof tail - 1), tail) != 0 ||
        strcmp(r->method, "OPTIONS") == 0)
        return false;
    snprintf(location, sizeof location, "%s/", r->path);
    struct slash_query q = {location, sizeof location, strlen(location), false};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, slash_query_arg, &q);
    rs_reply_header(r, "Location", location);
    *answered = rs_reply_empty(r, MHD_HTTP_TEMPORARY_REDIRECT);
    return true;
}
