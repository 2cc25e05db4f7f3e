#ifndef RS_STORE_USERS_H
#define RS_STORE_USERS_H
/* Accounts (table users). Emails are passed already trimmed and lowercased. */
#include <stdbool.h>

#include "rs/store/db.h"

#define RS_EMAIL_MAX 254
#define RS_USERNAME_MAX_CHARS 100

struct rs_user {
    char id[40];
    char email[RS_EMAIL_MAX + 1];
    char username[RS_USERNAME_MAX_CHARS * 4 + 1];
    bool has_username;
    bool is_active;
    char created_at[40]; /* RFC 3339, UTC */
    char hashed_password[128];
};

/* Inserts an account. Returns 0 (out filled), RS_E_CONFLICT when the email
 * is taken (the unique index decides, also under concurrency), RS_E_DB. */
int rs_store_user_insert(struct rs_db *db, const char *email, const char *hashed_password,
                         const char *username, struct rs_user *out);

/* Returns 0 (out filled), RS_E_NOTFOUND or RS_E_DB. */
int rs_store_user_by_email(struct rs_db *db, const char *email, struct rs_user *out);

/* Returns 0 with *active set, RS_E_NOTFOUND (also for a non-UUID id) or RS_E_DB. */
int rs_store_user_active(struct rs_db *db, const char *id, bool *active);

#endif
