/* /api/users/{user_id}/tasks[/{task_id}]: the guards checked the token and
 * that {user_id} is the caller; every store call filters by that owner. */
#include <string.h>

#include "api_int.h"
#include "cmn/text.h"
#include "rs/api.h"
#include "rs/defect.h"
#include "rs/error.h"
#include "rs/reply.h"
#include "rs/store/tasks.h"

#define TASK_NOT_FOUND "Task not found"

enum tasks_mode { TASKS_CREATE, TASKS_REPLACE, TASKS_PATCH };

/* Reads and checks the fields of a create, replace or patch body. */
static bool
tasks_fields(struct rs_request *r, const json_t *body, enum tasks_mode mode,
             struct rs_task_fields *f, enum MHD_Result *answered)
{
    const json_t *title = json_object_get(body, "title");
    const json_t *desc = json_object_get(body, "description");
    const json_t *done = json_object_get(body, "completed");
    const char *why = NULL;

    memset(f, 0, sizeof *f);
    if (title == NULL && mode != TASKS_PATCH) {
        why = "title: field required";
    } else if (title != NULL) {
        if (!json_is_string(title))
            why = "title: must be a string";
        else if (rs__api_chars(json_string_value(title)) < 1 ||
                 rs__api_chars(json_string_value(title)) > RS_TITLE_MAX_CHARS)
            why = "title: must be 1 to 200 characters";
        f->has_title = true;
        f->title = json_string_value(title);
    }
    if (why == NULL && desc != NULL) {
        if (!json_is_string(desc) && !json_is_null(desc))
            why = "description: must be a string or null";
        else if (json_is_string(desc) &&
                 rs__api_chars(json_string_value(desc)) > RS_DESCRIPTION_MAX_CHARS)
            why = "description: must be at most 10000 characters";
        f->has_description = true;
        f->description = json_is_string(desc) ? json_string_value(desc) : NULL;
    }
    if (why == NULL && done != NULL) {
        if (!json_is_boolean(done))
            why = "completed: must be true or false";
        f->has_completed = true;
        f->completed = json_is_true(done);
    }
    if (why != NULL) {
        *answered = rs_reply_detail(r, MHD_HTTP_UNPROCESSABLE_CONTENT, why);
        return false;
    }
    return true;
}

/* A task id that is not a UUID names no task. */
static bool
tasks_id_ok(const struct rs_request *r)
{
    if (RS_DEFECT(LEAKY_ERRORS))
        return true; /* let the database choke on it */
    return !r->path_task_id_long && cmn_text_is_uuid(r->path_task_id);
}

enum MHD_Result
rs_api_tasks_list(struct rs_request *r)
{
    json_t *list = NULL;
    int rc = rs_store_task_list(r->ctx->db, r->user_id, &list);
    if (rc != 0)
        return rs__api_store_error(r, rc, TASK_NOT_FOUND);
    if (RS_DEFECT(TASKS_LIST_WRAPPED))
        list = json_pack("{s:o}", "tasks", list);
    return rs_reply_json(r, MHD_HTTP_OK, list);
}

static enum MHD_Result
tasks_write(struct rs_request *r, enum tasks_mode mode)
{
    json_t *body = NULL, *task = NULL;
    struct rs_task_fields f;
    enum MHD_Result answered;
    int rc;

    if (mode != TASKS_CREATE && !tasks_id_ok(r))
        return rs_reply_detail(r, MHD_HTTP_NOT_FOUND, TASK_NOT_FOUND);
    if (!rs__api_body_object(r, &body, &answered))
        return answered;
    if (!tasks_fields(r, body, mode, &f, &answered)) {
        json_decref(body);
        return answered;
    }
    if (mode == TASKS_PATCH && RS_DEFECT(TASK_PATCH_CLEARS))
        rs_defect_task_patch_clears(&f);
    if (mode == TASKS_REPLACE && RS_DEFECT(TASK_REPLACE_IGNORED))
        rc = rs_store_task_get(r->ctx->db, r->user_id, r->path_task_id, &task);
    else if (mode == TASKS_CREATE)
        rc = rs_store_task_insert(r->ctx->db, r->user_id, &f, &task);
    else if (mode == TASKS_REPLACE)
        rc = rs_store_task_replace(r->ctx->db, r->user_id, r->path_task_id, &f, &task);
    else
        rc = rs_store_task_patch(r->ctx->db, r->user_id, r->path_task_id, &f, &task);
    json_decref(body);
    if (rc != 0)
        return rs__api_store_error(r, rc, TASK_NOT_FOUND);
    return rs_reply_json(r,
                         mode == TASKS_CREATE && !RS_DEFECT(TASK_CREATE_RETURNS_200)
                             ? MHD_HTTP_CREATED
                             : MHD_HTTP_OK,
                         task);
}

enum MHD_Result
rs_api_tasks_create(struct rs_request *r)
{
    return tasks_write(r, TASKS_CREATE);
}

enum MHD_Result
rs_api_task_replace(struct rs_request *r)
{
    return tasks_write(r, TASKS_REPLACE);
}

enum MHD_Result
rs_api_task_patch(struct rs_request *r)
{
    return tasks_write(r, TASKS_PATCH);
}

enum MHD_Result
rs_api_task_get(struct rs_request *r)
{
    json_t *task = NULL;
    int rc;

    if (RS_DEFECT(TASK_GET_RETURNS_LIST))
        return rs_api_tasks_list(r);
    /* A task id that names no task still has the account checked first. */
    rc = rs_store_task_get(r->ctx->db, r->user_id, tasks_id_ok(r) ? r->path_task_id : NULL, &task);
    if (rc != 0)
        return rs__api_store_error(r, rc, TASK_NOT_FOUND);
    return rs_reply_json(r, MHD_HTTP_OK, task);
}

enum MHD_Result
rs_api_task_delete(struct rs_request *r)
{
    int rc;

    if (!tasks_id_ok(r))
        return rs_reply_detail(r, MHD_HTTP_NOT_FOUND, TASK_NOT_FOUND);
    if (RS_DEFECT(TASK_DELETE_NO_OP))
        return rs_reply_empty(r, MHD_HTTP_NO_CONTENT);
    rc = rs_store_task_delete(r->ctx->db, r->user_id, r->path_task_id);
    if (rc != 0)
        return rs__api_store_error(r, rc, TASK_NOT_FOUND);
    return rs_reply_empty(r, MHD_HTTP_NO_CONTENT);
}
