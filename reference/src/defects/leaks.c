/* Planted defects that tell clients what they should not learn (defect
 * builds only): internals in error bodies, the secret file, a version
 * banner. */
#include "rs/defect.h"

#include <microhttpd.h>
#include <stdio.h>

#include "cmn/version.h"
#include "rs/config.h"
#include "rs/store/db.h"

json_t *
rs_defect_leaky_body(const char *detail)
{
    return json_pack("{s:s, s:s}", "detail", detail, "debug",
                     "raised in /usr/src/authref/reference/src/api/body.c before "
                     "INSERT INTO users (email, hashed_password, username) VALUES ($1, $2, $3)");
}

json_t *
rs_defect_leaky_db_body(void)
{
    char detail[700];
    snprintf(detail, sizeof detail, "database error: %s", rs_db_last_error());
    return json_pack("{s:s}", "detail", detail);
}

json_t *
rs_defect_env_file(const struct rs_config *cfg)
{
    char env[4400];
    snprintf(env, sizeof env, "BETTER_AUTH_SECRET=%s\nDATABASE_URL=%s\n", cfg->secret,
             cfg->database_url);
    return json_string(env);
}

void
rs_defect_version_banner(struct MHD_Response *resp)
{
    char banner[96];
    snprintf(banner, sizeof banner, "authref/%s libmicrohttpd/%s", CMN_VERSION, MHD_get_version());
    MHD_add_response_header(resp, "Server", banner);
}
