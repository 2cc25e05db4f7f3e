#ifndef RS_STORE_TASKS_H
#define RS_STORE_TASKS_H
/*
 * Tasks (table tasks). Every statement filters by the owner: a task of
 * another user is indistinguishable from a missing one (RS_E_NOTFOUND).
 * user_id and task_id must be canonical UUIDs (the caller checks).
 * Results come back as JSON objects {id, user_id, title, description,
 * completed, created_at, updated_at}: new references.
 */
#include <jansson.h>
#include <stdbool.h>

#include "rs/store/db.h"

#define RS_TITLE_MAX_CHARS 200
#define RS_DESCRIPTION_MAX_CHARS 10000

/* Fields of a create, replace or patch; has_* false = not given. */
struct rs_task_fields {
    bool has_title;
    const char *title;
    bool has_description;
    const char *description; /* NULL = JSON null */
    bool has_completed;
    bool completed;
};

/* The reads (list, get) also check the owner's account in the same round
 * trip: RS_E_ACCOUNT_UNKNOWN or RS_E_ACCOUNT_INACTIVE when it is gone. */
int rs_store_task_list(struct rs_db *db, const char *user_id, json_t **out);
int rs_store_task_insert(struct rs_db *db, const char *user_id, const struct rs_task_fields *f,
                         json_t **out);
/* task_id NULL: names no task (the account is still checked). */
int rs_store_task_get(struct rs_db *db, const char *user_id, const char *task_id, json_t **out);
/* Replace: title required; description and completed default to null/false. */
int rs_store_task_replace(struct rs_db *db, const char *user_id, const char *task_id,
                          const struct rs_task_fields *f, json_t **out);
/* Patch: only the given fields change. */
int rs_store_task_patch(struct rs_db *db, const char *user_id, const char *task_id,
                        const struct rs_task_fields *f, json_t **out);
int rs_store_task_delete(struct rs_db *db, const char *user_id, const char *task_id);

#endif
