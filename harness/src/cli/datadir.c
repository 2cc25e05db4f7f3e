#include "hx/datadir.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmn/env.h"
#include "cmn/error.h"

static int
datadir_copy(const char *path, char *out, size_t out_size)
{
    int n = snprintf(out, out_size, "%s", path);
    return (n < 0 || (size_t)n >= out_size) ? CMN_E_TOOBIG : 0;
}

static int
datadir_has_scenarios(const char *dir)
{
    char p[PATH_MAX];
    struct stat st;
    int n = snprintf(p, sizeof p, "%s/scenarios", dir);
    return n > 0 && (size_t)n < sizeof p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int
hx_datadir_find(char *out, size_t out_size)
{
    char exe[PATH_MAX];
    char candidate[PATH_MAX];
    const char *env = cmn_env_get("AUTHCONFORM_DATA_DIR");
    ssize_t n;

    if (env != NULL)
        return datadir_copy(env, out, out_size);
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        /* <prefix>/bin/authconform -> <prefix>/share/authconform */
        int m = snprintf(candidate, sizeof candidate, "%s/../share/authconform", dirname(exe));
        if (m > 0 && (size_t)m < sizeof candidate && datadir_has_scenarios(candidate) &&
            strcmp(candidate, AUTHCONFORM_SOURCE_DATA_DIR) != 0)
            return datadir_copy(candidate, out, out_size);
    }
    if (datadir_has_scenarios(AUTHCONFORM_SOURCE_DATA_DIR))
        return datadir_copy(AUTHCONFORM_SOURCE_DATA_DIR, out, out_size);
    return datadir_copy(AUTHCONFORM_INSTALL_DATA_DIR, out, out_size);
}

int
hx_datadir_relative(const char *datadir, const char *path, char *out, size_t out_size)
{
    char real_dd[PATH_MAX], real_f[PATH_MAX];
    size_t l;

    if (realpath(datadir, real_dd) != NULL && realpath(path, real_f) != NULL) {
        l = strlen(real_dd);
        if (strncmp(real_f, real_dd, l) == 0 && real_f[l] == '/')
            return datadir_copy(real_f + l + 1, out, out_size);
    }
    return datadir_copy(path, out, out_size);
}
