/* Text scans of response bodies and committed files (see hx/probes/content.h). */
#include "hx/probes/content.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Case-insensitive search in (h, n). */
static const char *
content_find(const char *h, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0 || m > n)
        return NULL;
    for (size_t i = 0; i + m <= n; i++)
        if (strncasecmp(h + i, needle, m) == 0)
            return h + i;
    return NULL;
}

bool
hx_content_leak(const char *body, size_t len, char *what, size_t what_size)
{
    static const struct {
        const char *needle;
        const char *kind;
    } signs[] = {
        {"Traceback (most recent call last)", "a Python stack trace"},
        {"File \"/", "a Python stack trace"},
        {"    at ", "a stack trace"},
        {".java:", "a Java stack trace"},
        {"Exception in thread", "a Java exception"},
        {"NullPointerException", "an exception class"},
        {"sqlalchemy", "an SQL error"},
        {"psycopg", "an SQL error"},
        {"SQLSTATE", "an SQL error"},
        {"syntax error at or near", "an SQL error"},
        {"duplicate key value violates", "an SQL error"},
        {"violates unique constraint", "an SQL error"},
        {"pq: ", "an SQL error"},
        {"ORA-0", "an SQL error"},
        {"ERROR:  ", "a PostgreSQL error"},
        {"invalid input syntax for", "a PostgreSQL error"},
        {"out of range for type", "a PostgreSQL error"},
        {"violates foreign key", "an SQL error"},
        {"violates not-null", "an SQL error"},
        {"violates check constraint", "an SQL error"},
        {"current transaction is aborted", "a PostgreSQL error"},
        {"libpq", "a database driver"},
        {"asyncpg", "a database driver"},
        {"PG::", "a database driver error"},
        {"PSQLException", "a database driver error"},
        {"SQLException", "a database driver error"},
        {"SQLITE_", "an SQLite error"},
        {"sqlite3.", "an SQLite error"},
        {"You have an error in your SQL syntax", "a MySQL error"},
        {"pymysql", "a database driver"},
        {"MySQLdb", "a database driver"},
        {"OperationalError", "a database driver error"},
        {"IntegrityError", "a database driver error"},
        {"ProgrammingError", "a database driver error"},
        {"QueryFailedError", "a database driver error"},
        {"SequelizeDatabaseError", "a database driver error"},
        {"PrismaClient", "a database driver error"},
        {"MongoServerError", "a database driver error"},
        {"E11000 duplicate key", "a database driver error"},
        {"SELECT ", "an SQL statement"},
        {"INSERT INTO", "an SQL statement"},
        {"/home/", "a server file path"},
        {"/usr/lib/", "a server file path"},
        {"/usr/src/", "a server file path"},
        {"/var/www/", "a server file path"},
        {"/app/", "a server file path"},
        {"C:\\", "a server file path"},
        {"node_modules", "a server file path"},
        {"site-packages", "a server file path"},
        {"segmentation fault", "a crash report"},
        {"werkzeug", "a framework debugger"},
        {"Debugger PIN", "a framework debugger"},
        {"uvicorn", "a server name"},
        {"gunicorn", "a server name"},
        {"Express/", "a framework version"},
        {"PHP/", "a framework version"},
        {"PostgreSQL 1", "a database version"},
        {"libmicrohttpd", "a server name"},
    };
    for (size_t i = 0; i < sizeof(signs) / sizeof(signs[0]); i++) {
        const char *at = content_find(body, len, signs[i].needle);
        if (at != NULL) {
            if (what != NULL && what_size > 0)
                snprintf(what, what_size, "%s (\"%s\" at byte %zu)", signs[i].kind, signs[i].needle,
                         (size_t)(at - body));
            return true;
        }
    }
    return false;
}

/* env-style names (upper case) take the wide list; JSON members the strict
 * one: front-end configs publish "apiKey"s (Firebase, maps) by design */
static bool
content_secret_name(const char *name, size_t n, bool strict)
{
    static const char *const wide[] = {"SECRET",       "PASSWORD",   "PASSWD",     "PRIVATE_KEY",
                                       "API_KEY",      "APIKEY",     "ACCESS_KEY", "TOKEN",
                                       "DATABASE_URL", "CREDENTIALS"};
    static const char *const narrow[] = {"secret",     "password",     "passwd",     "private",
                                         "credential", "database_url", "databaseurl"};
    const char *const *words = strict ? narrow : wide;
    size_t count = strict ? sizeof(narrow) / sizeof(narrow[0]) : sizeof(wide) / sizeof(wide[0]);
    for (size_t i = 0; i < count; i++)
        if (content_find(name, n, words[i]) != NULL)
            return true;
    return false;
}

/* A value that says nothing: empty, quotes only, ${VAR}, <...>. */
static bool
content_empty_value(const char *v, size_t n)
{
    while (n > 0 && (isspace((unsigned char)*v) || *v == '"' || *v == '\'')) {
        v++;
        n--;
    }
    while (n > 0 && (isspace((unsigned char)v[n - 1]) || v[n - 1] == '"' || v[n - 1] == '\'' ||
                     v[n - 1] == ',' || v[n - 1] == ';'))
        n--;
    if (n == 0)
        return true;
    if (n >= 2 && v[0] == '$' && v[1] == '{')
        return true;
    if (v[0] == '<' && v[n - 1] == '>')
        return true;
    if (n == 4 && strncasecmp(v, "null", 4) == 0)
        return true;
    return false;
}

bool
hx_content_secret(const char *body, size_t len, char *what, size_t what_size)
{
    const char *p = body, *end = body + len;

    if (content_find(body, len, "PRIVATE KEY-----") != NULL) {
        snprintf(what, what_size, "a PEM private key");
        return true;
    }
    if (content_find(body, len, "[core]") != NULL &&
        content_find(body, len, "repositoryformatversion") != NULL) {
        snprintf(what, what_size, "a git configuration (.git is served)");
        return true;
    }
    if ((content_find(body, len, "postgres://") != NULL ||
         content_find(body, len, "postgresql://") != NULL ||
         content_find(body, len, "mysql://") != NULL ||
         content_find(body, len, "mongodb+srv://") != NULL)) {
        const char *u = content_find(body, len, "://");
        const char *at = u != NULL ? memchr(u, '@', (size_t)(end - u)) : NULL;
        const char *colon = u != NULL ? memchr(u + 3, ':', (size_t)(end - u - 3)) : NULL;
        if (at != NULL && colon != NULL && colon < at) {
            snprintf(what, what_size, "a database URL with a password");
            return true;
        }
    }
    /* NAME=value or NAME: value or "name": "value", line by line */
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl != NULL ? nl : end;
        const char *s = p, *sep;
        bool quoted = false, lower = false;
        while (s < le && (isspace((unsigned char)*s) || *s == '"' || *s == '\'')) {
            quoted |= *s == '"' || *s == '\'';
            s++;
        }
        if (le - s > 7 && strncmp(s, "export ", 7) == 0)
            s += 7;
        sep = s;
        while (sep < le &&
               (isalnum((unsigned char)*sep) || *sep == '_' || *sep == '-' || *sep == '.'))
            sep++;
        size_t nlen = (size_t)(sep - s);
        for (const char *c = s; c < sep; c++)
            lower |= islower((unsigned char)*c) != 0;
        /* env style (NAME=value) names are upper case; JSON members are quoted:
         * this keeps script lines of an HTML page served for every path out */
        if (lower && !quoted)
            nlen = 0;
        const char *v = sep;
        while (v < le && (*v == '"' || *v == '\'' || *v == ' ' || *v == '\t'))
            v++;
        if (nlen > 0 && v < le && (*v == '=' || *v == ':') && content_secret_name(s, nlen, lower) &&
            !content_empty_value(v + 1, (size_t)(le - v - 1))) {
            snprintf(what, what_size, "a value for %.*s", (int)(nlen > 64 ? 64 : nlen), s);
            return true;
        }
        p = le + 1;
    }
    return false;
}

bool
hx_content_env_path(const char *path)
{
    const char *base = strrchr(path, '/');
    static const char *const templates[] = {".example", ".sample",   ".template",
                                            ".dist",    ".defaults", ".tpl"};
    base = base != NULL ? base + 1 : path;
    if (strncmp(base, ".env", 4) != 0 || (base[4] != '\0' && base[4] != '.'))
        return false;
    for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++) {
        size_t bl = strlen(base), tl = strlen(templates[i]);
        if (bl >= tl && strcasecmp(base + bl - tl, templates[i]) == 0)
            return false;
    }
    return true;
}

bool
hx_content_secret_assignment(const char *line, size_t len)
{
    const char *at = content_find(line, len, "BETTER_AUTH_SECRET");
    const char *v, *end = line + len;
    static const char *const placeholders[] = {
        "your-", "your_",       "change", "replace",     "example",   "placeholder", "xxx",
        "todo",  "secret-here", "<",      "process.env", "os.getenv", "os.environ",  "getenv"};
    if (at == NULL)
        return false;
    v = at + strlen("BETTER_AUTH_SECRET");
    while (v < end && (*v == '"' || *v == '\'' || *v == ' ' || *v == '\t'))
        v++;
    if (v >= end || (*v != '=' && *v != ':'))
        return false;
    v++;
    if (content_empty_value(v, (size_t)(end - v)))
        return false;
    for (size_t i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++)
        if (content_find(v, (size_t)(end - v), placeholders[i]) != NULL)
            return false;
    return true;
}
