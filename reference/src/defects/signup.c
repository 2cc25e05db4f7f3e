/* Planted defects of signup uniqueness (defect builds only). */
#include "rs/defect.h"

#include <string.h>

#include "rs/store/db.h"
#include "rs/store/users.h"

bool
rs_defect_signup_email_taken(struct rs_db *db, const char *email)
{
    struct rs_user existing;
    bool taken = rs_store_user_by_email(db, email, &existing) == 0;

    explicit_bzero(&existing, sizeof existing);
    return taken;
}

int
rs_defect_signup_drop_unique_email(struct rs_db *db)
{
    return rs_db_defect_exec(db, "DROP INDEX IF EXISTS users_email_lower_key");
}
