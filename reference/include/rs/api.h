#ifndef RS_API_H
#define RS_API_H
/* The handlers: thin, they validate, call the store and reply. */
#include <microhttpd.h>

#include "rs/request.h"

/* api/auth.c */
enum MHD_Result rs_api_signup(struct rs_request *r);
enum MHD_Result rs_api_signin(struct rs_request *r);
enum MHD_Result rs_api_signout(struct rs_request *r);

/* api/tasks.c: r->user_id is the authenticated owner (guards ran). */
enum MHD_Result rs_api_tasks_list(struct rs_request *r);
enum MHD_Result rs_api_tasks_create(struct rs_request *r);
enum MHD_Result rs_api_task_get(struct rs_request *r);
enum MHD_Result rs_api_task_replace(struct rs_request *r);
enum MHD_Result rs_api_task_patch(struct rs_request *r);
enum MHD_Result rs_api_task_delete(struct rs_request *r);

/* api/meta.c */
enum MHD_Result rs_api_health(struct rs_request *r);
enum MHD_Result rs_api_ready(struct rs_request *r);
enum MHD_Result rs_api_openapi(struct rs_request *r);

#endif
