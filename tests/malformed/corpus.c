#include "corpus.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn/buf.h"
#include "fixture.h"

#define CORPUS_FILE_MAX (16u << 20)
/* Signs the cases that say "sign: other": a secret that is not the server's. */
#define CORPUS_OTHER_SECRET "another-secret-Zq8Wm3Lx5Vb7Nc9Kd1Jf2Hg4"

static int
corpus_read_file(const char *path, unsigned char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct cmn_buf b;
    char chunk[65536];
    size_t n;
    int rc = 0;

    if (f == NULL)
        return -1;
    cmn_buf_init(&b, CORPUS_FILE_MAX);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (cmn_buf_add(&b, chunk, n) != 0) {
            rc = -1;
            break;
        }
    fclose(f);
    if (rc != 0) {
        cmn_buf_cleanup(&b);
        return -1;
    }
    *len = b.len;
    *out = (unsigned char *)cmn_buf_take(&b);
    return *out != NULL ? 0 : -1;
}

/* The value of placeholder name (len n), or NULL when it is none. */
static const char *
corpus_placeholder(const char *name, size_t n, const struct mc_values *v, const char *token,
                   char *num, size_t num_size, char *upper, size_t upper_size)
{
#define CORPUS_IS(s) (n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
    if (CORPUS_IS("USER_ID"))
        return v->user_id;
    if (CORPUS_IS("USER_ID_UPPER")) {
        size_t i;
        for (i = 0; v->user_id[i] != '\0' && i + 1 < upper_size; i++)
            upper[i] = (char)toupper((unsigned char)v->user_id[i]);
        upper[i] = '\0';
        return upper;
    }
    if (CORPUS_IS("VALID_TOKEN"))
        return v->valid_token;
    if (CORPUS_IS("TOKEN"))
        return token;
    if (CORPUS_IS("NOW"))
        snprintf(num, num_size, "%lld", v->now);
    else if (CORPUS_IS("EXP"))
        snprintf(num, num_size, "%lld", v->now + 3600);
    else if (CORPUS_IS("PAST"))
        snprintf(num, num_size, "%lld", v->now - 3600);
    else if (CORPUS_IS("FUTURE"))
        snprintf(num, num_size, "%lld", v->now + 86400);
    else
        return NULL;
    return num;
#undef CORPUS_IS
}

/* p (len n) with every known ${NAME} replaced; new, NUL-terminated. */
static unsigned char *
corpus_fill(const unsigned char *p, size_t n, const struct mc_values *v, const char *token,
            size_t *len_out)
{
    struct cmn_buf b;
    char num[32], upper[64];

    cmn_buf_init(&b, CORPUS_FILE_MAX + (1u << 20));
    for (size_t i = 0; i < n;) {
        if (p[i] == '$' && i + 1 < n && p[i + 1] == '{') {
            const unsigned char *end = memchr(p + i + 2, '}', n - i - 2);
            const char *val =
                end == NULL ? NULL
                            : corpus_placeholder((const char *)p + i + 2, (size_t)(end - p - i - 2),
                                                 v, token, num, sizeof num, upper, sizeof upper);
            if (val != NULL) {
                cmn_buf_add(&b, val, strlen(val));
                i = (size_t)(end - p) + 1;
                continue;
            }
        }
        cmn_buf_add(&b, p + i, 1);
        i++;
    }
    cmn_buf_add(&b, "", 1);
    *len_out = b.len - 1;
    return (unsigned char *)cmn_buf_take(&b);
}

/* "400", "4xx" or "200,400" into c->expect; "close" is no answer. */
static int
corpus_parse_expect(const char *s, struct mc_case *c)
{
    if (strcmp(s, "close") == 0) {
        c->n_expect = 0;
        return 0;
    }
    while (*s != '\0') {
        unsigned code;
        if (c->n_expect == MC_MAX_ANSWERS)
            return -1;
        if (s[0] >= '1' && s[0] <= '5' && s[1] == 'x' && s[2] == 'x') {
            c->expect[c->n_expect] = (unsigned)(s[0] - '0');
            c->expect_class[c->n_expect++] = true;
            s += 3;
        } else if (sscanf(s, "%3u", &code) == 1 && code >= 100 && code <= 599) {
            c->expect[c->n_expect] = code;
            c->expect_class[c->n_expect++] = false;
            s += 3;
        } else {
            return -1;
        }
        if (*s == ',')
            s++;
        else if (*s != '\0')
            return -1;
    }
    return c->n_expect > 0 ? 0 : -1;
}

int
mc_case_load(const char *path, const char *category, const struct mc_values *v, struct mc_case *c,
             char *err, size_t err_size)
{
    unsigned char *file = NULL, *claims = NULL, *jose = NULL;
    size_t len, claims_len, jose_len;
    const char *sign = "secret";
    char *token = NULL, *line, *sep, *save = NULL;
    const char *base = strrchr(path, '/');
    int rc = -1;

    memset(c, 0, sizeof *c);
    snprintf(c->category, sizeof c->category, "%s", category);
    snprintf(c->name, sizeof c->name, "%s", base ? base + 1 : path);
    if (strlen(c->name) > 5 && strcmp(c->name + strlen(c->name) - 5, ".case") == 0)
        c->name[strlen(c->name) - 5] = '\0';
    if (corpus_read_file(path, &file, &len) != 0) {
        snprintf(err, err_size, "%s: cannot read", path);
        return -1;
    }
    sep = memmem(file, len, "====\n", 5);
    while (sep != NULL && sep != (char *)file && sep[-1] != '\n')
        sep = memmem(sep + 1, len - (size_t)((unsigned char *)sep + 1 - file), "====\n", 5);
    if (sep == NULL) {
        snprintf(err, err_size, "%s: no '====' line", path);
        goto done;
    }
    *sep = '\0';
    for (line = strtok_r((char *)file, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        char *colon = strchr(line, ':');
        const char *val;
        if (colon == NULL) {
            snprintf(err, err_size, "%s: header line without ':'", path);
            goto done;
        }
        *colon = '\0';
        val = colon + 1 + (colon[1] == ' ');
        if (strcmp(line, "about") == 0) {
            snprintf(c->about, sizeof c->about, "%s", val);
        } else if (strcmp(line, "expect") == 0) {
            if (corpus_parse_expect(val, c) != 0) {
                snprintf(err, err_size, "%s: bad expect '%s'", path, val);
                goto done;
            }
        } else if (strcmp(line, "connection") == 0) {
            c->connection = strcmp(val, "close") == 0  ? MC_CONN_CLOSE
                            : strcmp(val, "open") == 0 ? MC_CONN_OPEN
                                                       : MC_CONN_ANY;
        } else if (strcmp(line, "send") == 0) {
            if (strcmp(val, "half-close") == 0)
                c->send = MC_SEND_HALF_CLOSE;
            else if (strcmp(val, "endless-chunked") == 0)
                c->send = MC_SEND_ENDLESS_CHUNKED;
            else if (strcmp(val, "endless-bytes") == 0)
                c->send = MC_SEND_ENDLESS_BYTES;
            else if (sscanf(val, "trickle %u %u", &c->trickle_ms, &c->trickle_bytes) >= 1) {
                c->send = MC_SEND_TRICKLE;
                if (c->trickle_bytes == 0)
                    c->trickle_bytes = 1;
            } else if (strcmp(val, "whole") != 0) {
                snprintf(err, err_size, "%s: bad send '%s'", path, val);
                goto done;
            }
        } else if (strcmp(line, "claims") == 0) {
            claims = corpus_fill((const unsigned char *)val, strlen(val), v, NULL, &claims_len);
        } else if (strcmp(line, "jose") == 0) {
            jose = corpus_fill((const unsigned char *)val, strlen(val), v, NULL, &jose_len);
        } else if (strcmp(line, "sign") == 0) {
            sign = strcmp(val, "other") == 0  ? CORPUS_OTHER_SECRET
                   : strcmp(val, "none") == 0 ? NULL
                                              : "secret";
        } else {
            snprintf(err, err_size, "%s: unknown key '%s'", path, line);
            goto done;
        }
    }
    if (c->about[0] == '\0') {
        snprintf(err, err_size, "%s: no 'about'", path);
        goto done;
    }
    if (claims != NULL)
        token = it_forge(jose != NULL ? (const char *)jose : "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                         (const char *)claims,
                         sign == NULL                  ? NULL
                         : strcmp(sign, "secret") == 0 ? v->secret
                                                       : sign);
    sep += 5;
    c->raw = corpus_fill((unsigned char *)sep, len - (size_t)((unsigned char *)sep - file), v,
                         token != NULL ? token : "", &c->raw_len);
    rc = c->raw != NULL ? 0 : -1;
done:
    free(file);
    free(claims);
    free(jose);
    free(token);
    return rc;
}

void
mc_case_cleanup(struct mc_case *c)
{
    free(c->raw);
    c->raw = NULL;
}

static int
corpus_select(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

int
mc_corpus_load(const char *dir, const struct mc_values *v, struct mc_case **out, char *err,
               size_t err_size)
{
    struct dirent **cats = NULL;
    struct mc_case *all = NULL;
    int n_cats, n = 0, cap = 0, rc = -1;
    bool bad = false; /* a file could not be loaded (err says why) */

    n_cats = scandir(dir, &cats, corpus_select, alphasort);
    if (n_cats < 0) {
        snprintf(err, err_size, "%s: cannot list", dir);
        return -1;
    }
    for (int i = 0; i < n_cats; i++) {
        struct dirent **files = NULL;
        char sub[1024];
        int n_files;

        snprintf(sub, sizeof sub, "%s/%s", dir, cats[i]->d_name);
        n_files = scandir(sub, &files, corpus_select, alphasort);
        for (int j = 0; j < n_files; j++) {
            char path[1400];
            size_t l = strlen(files[j]->d_name);
            if (l > 5 && strcmp(files[j]->d_name + l - 5, ".case") == 0) {
                if (n == cap) {
                    struct mc_case *grown;
                    cap = cap ? cap * 2 : 256;
                    grown = realloc(all, (size_t)cap * sizeof *all);
                    if (grown == NULL) {
                        snprintf(err, err_size, "out of memory");
                        bad = true;
                        goto next;
                    }
                    all = grown;
                }
                snprintf(path, sizeof path, "%s/%s", sub, files[j]->d_name);
                if (bad || mc_case_load(path, cats[i]->d_name, v, &all[n], err, err_size) != 0) {
                    bad = true;
                    goto next;
                }
                n++;
            }
        next:
            free(files[j]);
        }
        free(files);
        if (n_files < 0) {
            snprintf(err, err_size, "%s: cannot list", sub);
            goto done;
        }
    }
    rc = bad ? -1 : n;
done:
    for (int i = 0; i < n_cats; i++)
        free(cats[i]);
    free(cats);
    if (rc < 0) {
        for (int i = 0; i < n; i++)
            mc_case_cleanup(&all[i]);
        free(all);
        return -1;
    }
    *out = all;
    return rc;
}
