#ifndef HX_PROFILE_H
#define HX_PROFILE_H
/*
 * A target profile: how one implementation of the contract spells it. The
 * paths of its endpoints, the request field names, the JSON paths of the
 * token and the user id in its answers, the status codes and messages it
 * uses, how it carries the token (bearer header, cookie or both), and
 * which operations of the tasks API it offers. Scenarios only ever say ${paths.signin},
 * ${codes.signup}, ...; a third party writes a profile, never edits scenarios.
 *
 * A profile file lists only what differs from the default profile
 * (fixtures/profiles/quickstart.json): it is merged over it, member by member.
 * Route templates use {user_id} and {task_id}.
 */
#include <jansson.h>
#include <stdbool.h>

#include "hx/errlist.h"

/* The operations of the contract's tasks API, as bits of
 * hx_profile.task_ops; hx_task_ops[i] names bit i. */
enum {
    HX_TASK_LIST = 1 << 0,   /* GET paths.tasks */
    HX_TASK_CREATE = 1 << 1, /* POST paths.tasks */
    HX_TASK_READ = 1 << 2,   /* GET paths.task */
    HX_TASK_UPDATE = 1 << 3, /* PUT / PATCH paths.task */
    HX_TASK_DELETE = 1 << 4, /* DELETE paths.task */
    HX_TASK_ALL = (1 << 5) - 1,
};
/* "list", "create", "read", "update", "delete", NULL */
extern const char *const hx_task_ops[];

/* Writes the names of the operations in ops ("list, create") into out;
 * "none" for none. Returns out. */
char *hx_task_ops_text(unsigned ops, char *out, size_t out_size);

enum hx_transport {
    HX_TRANSPORT_BEARER = 0,
    HX_TRANSPORT_COOKIE,
    HX_TRANSPORT_BOTH,
};

struct hx_profile {
    char *file; /* the profile file as given */
    char *name;
    json_t *root; /* the merged document */
    /* Borrowed from root: */
    const char *signup_path, *signin_path;
    const char *email_field, *password_field, *username_field;
    const char *token_path, *user_id_path;
    enum hx_transport transport;
    const char *cookie_name; /* NULL for a Bearer-only target (auth.cookie null) */
    const char *scheme;      /* "Bearer" */
    unsigned task_ops; /* HX_TASK_* the target's tasks API offers (tasks.operations) */
    const char *email_domain;
    /* What the profile declares against the contract: [{"key": "codes.signup",
     * "declared": 200, "contract": 201}, ...] (owned). The contract's value is
     * the one in root: a profile says how a target differs, never what passes. */
    json_t *deviations;
    /* How the profile was read where it could mean more than one thing,
     * and what of the contract the target does not offer (owned; an array
     * of strings): validate and run print them. */
    json_t *notes;
};

/* Loads file merged over defaults_file (NULL, or the same file: no merge).
 * The defaults file is the contract: what it says in codes.*, messages.*,
 * token.alg and token.lifetime stays whatever the file says (see
 * deviations).
 * Every problem goes into errs (file and field); returns 0 with *out new
 * (hx_profile_free) or HX_E_PARSE / HX_E_IO. */
int hx_profile_load(const char *file, const char *defaults_file, struct hx_profile **out,
                    struct hx_errlist *errs);
/* The same from a profile's text in memory (len bytes, any bytes; name
 * stands for the file in errors and in p->file), merged over defaults (a
 * parsed default profile, borrowed and not changed; NULL: no merge).
 * hx_profile_load() reads the files and calls this. */
int hx_profile_load_buffer(const char *text, size_t len, const char *name, const json_t *defaults,
                           struct hx_profile **out, struct hx_errlist *errs);
void hx_profile_free(struct hx_profile *p);

/* Borrowed: the member at a dotted name ("paths.signout"), or NULL when
 * absent or null. */
const json_t *hx_profile_get(const struct hx_profile *p, const char *dotted);

/* Writes the route template `name` (a member of paths) with {user_id} and
 * {task_id} filled in (either may be NULL when the template lacks it).
 * Returns 0, HX_E_NOTFOUND (no such route, or a placeholder without a value)
 * or HX_E_TOOLONG. */
int hx_profile_route(const struct hx_profile *p, const char *name, const char *user_id,
                     const char *task_id, char *out, size_t out_size);

/* Fills {user_id}/{task_id}-style placeholders of template from params
 * (a JSON object of strings). Returns 0, HX_E_NOTFOUND naming the missing
 * placeholder in err, or HX_E_TOOLONG. */
int hx_path_fill(const char *tmpl, const json_t *params, char *out, size_t out_size,
                 struct hx_error *err);

#endif
