/* authconform verify: an evidence bundle checked offline. */
#include "hx/report_verify.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "bundle_int.h"
#include "cmn/json.h"
#include "cmn/version.h"
#include "hx/dsse.h"
#include "hx/report_bundle.h"
#include "hx/signing_key.h"
#include "report_int.h"

#define VERIFY_MAX_DEPTH 32
#define VERIFY_TEXT_MAX 200 /* code points of a name or value printed */

struct verify_state {
    const char *dir;
    FILE *out;
    int failures;
    json_t *statement;
    const json_t *subjects; /* borrowed from statement */
};

/* Prints text that comes from the bundle (names, targets) with control
 * and bidirectional characters replaced, so that it cannot drive the
 * terminal. */
static void
verify_put(FILE *out, const char *s)
{
    struct cmn_buf b;

    cmn_buf_init(&b, 4 * VERIFY_TEXT_MAX + 8);
    if (s != NULL && hx__text_safe(&b, s, strlen(s), HX__TEXT_ONELINE, VERIFY_TEXT_MAX, NULL) == 0)
        fputs(cmn_buf_str(&b), out);
    else
        fputs("?", out);
    cmn_buf_cleanup(&b);
}

static int
verify_path(const char *dir, const char *name, char *out, size_t size, struct hx_error *err)
{
    int n = snprintf(out, size, "%s/%s", dir, name);

    if (n < 0 || (size_t)n >= size) {
        hx_error_set(err, dir, 0, "%s/%s: path too long", dir, name);
        return HX_E_TOOLONG;
    }
    return 0;
}

/* A subject's name must be a plain file of the bundle's folder. */
static bool
verify_plain_name(const char *name)
{
    return name[0] != '\0' && name[0] != '.' && strchr(name, '/') == NULL &&
           strcmp(name, HX_BUNDLE_ENVELOPE) != 0;
}

static bool
verify_is_sha256_hex(const char *s)
{
    size_t i;

    for (i = 0; s[i] != '\0'; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return i == 64;
}

/* Checks the statement's shape; every malformed member is named. */
static int
verify_statement_shape(struct verify_state *st, const char *env_path, struct hx_error *err)
{
    const json_t *root = st->statement, *subjects;
    const char *type;
    size_t i;
    json_t *s;

    if (!json_is_object(root)) {
        hx_error_set(err, env_path, 0, "%s: payload: not a JSON object", env_path);
        return HX_E_PARSE;
    }
    type = cmn_json_get_str(root, "_type");
    if (type == NULL || strcmp(type, HX_BUNDLE_STATEMENT_TYPE) != 0) {
        hx_error_set(err, env_path, 0, "%s: payload._type: %s, expected %s", env_path,
                     type == NULL ? "missing or not a string" : "another type",
                     HX_BUNDLE_STATEMENT_TYPE);
        return HX_E_PARSE;
    }
    if (cmn_json_get_str(root, "predicateType") == NULL) {
        hx_error_set(err, env_path, 0, "%s: payload.predicateType: missing or not a string",
                     env_path);
        return HX_E_PARSE;
    }
    subjects = json_object_get(root, "subject");
    if (!json_is_array(subjects)) {
        hx_error_set(err, env_path, 0, "%s: payload.subject: missing or not an array", env_path);
        return HX_E_PARSE;
    }
    json_array_foreach(subjects, i, s)
    {
        const char *name = cmn_json_get_str(s, "name");
        const json_t *digest = json_object_get(s, "digest");
        const char *sha = json_is_object(digest) ? cmn_json_get_str(digest, "sha256") : NULL;

        if (name == NULL || !verify_plain_name(name)) {
            hx_error_set(err, env_path, 0,
                         "%s: payload.subject[%zu].name: %s", env_path, i,
                         name == NULL ? "missing or not a string"
                                      : "not the name of a file of the bundle's folder");
            return HX_E_PARSE;
        }
        if (sha == NULL || !verify_is_sha256_hex(sha)) {
            hx_error_set(err, env_path, 0,
                         "%s: payload.subject[%zu].digest.sha256: %s", env_path, i,
                         sha == NULL ? "missing or not a string" : "not 64 lowercase hex digits");
            return HX_E_PARSE;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(name, cmn_json_get_str(json_array_get(subjects, j), "name")) == 0) {
                hx_error_set(err, env_path, 0, "%s: payload.subject[%zu].name: %s twice",
                             env_path, i, name);
                return HX_E_PARSE;
            }
        }
    }
    st->subjects = subjects;
    return 0;
}

/* What the predicate says of the run, for the reader; nothing here is
 * judged (the signature covers it). */
static void
verify_print_run(const struct verify_state *st)
{
    const char *ptype = cmn_json_get_str(st->statement, "predicateType");
    const json_t *p = json_object_get(st->statement, "predicate");
    const json_t *run = json_object_get(p, "run"), *sum = json_object_get(p, "summary");
    const json_t *tool = json_object_get(p, "tool"), *counts = json_object_get(sum, "counts");
    long long code = -1;

    fputs("predicate: ", st->out);
    verify_put(st->out, ptype);
    fputs("\n", st->out);
    if (ptype == NULL || strcmp(ptype, HX_BUNDLE_PREDICATE_TYPE) != 0 || !json_is_object(run))
        return;
    fputs("run:       ", st->out);
    verify_put(st->out, cmn_json_get_str(run, "id"));
    fputs(" by ", st->out);
    verify_put(st->out, cmn_json_get_str(tool, "name"));
    fputs(" ", st->out);
    verify_put(st->out, cmn_json_get_str(tool, "version"));
    fputs(" against ", st->out);
    verify_put(st->out, cmn_json_get_str(run, "target"));
    fputs(", ", st->out);
    verify_put(st->out, cmn_json_get_str(run, "started"));
    fputs(" to ", st->out);
    verify_put(st->out, cmn_json_get_str(run, "finished"));
    fputs("\n", st->out);
    if (!json_is_object(sum))
        return;
    cmn_json_get_int(sum, "exit_code", &code);
    fputs("verdict:   ", st->out);
    verify_put(st->out, cmn_json_get_str(sum, "verdict"));
    fprintf(st->out, " (exit code %lld)", code);
    if (json_is_object(counts)) {
        static const char *const keys[] = {"total", "passed", "failed", "errors", "skipped",
                                           "warnings"};
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            long long n = 0;
            if (cmn_json_get_int(counts, keys[i], &n) == 0)
                fprintf(st->out, "%s %lld %s", i == 0 ? ":" : ",", n, keys[i]);
        }
    }
    fputs("\n", st->out);
}

/* Recomputes each subject's digest from the file of the same name. */
static int
verify_subjects(struct verify_state *st, struct hx_error *err)
{
    size_t i, ok = 0;
    json_t *s;

    fprintf(st->out, "subjects:  %zu files\n", json_array_size(st->subjects));
    json_array_foreach(st->subjects, i, s)
    {
        const char *name = cmn_json_get_str(s, "name");
        const char *want = cmn_json_get_str(json_object_get(s, "digest"), "sha256");
        char path[PATH_MAX], got[HX_BUNDLE_SHA256_HEX], *bytes = NULL;
        struct hx_error ferr;
        size_t n = 0;
        int rc = verify_path(st->dir, name, path, sizeof path, err);

        if (rc != 0)
            return rc;
        rc = hx__bundle_read(path, &bytes, &n, &ferr);
        if (rc == HX_E_NOTFOUND) {
            fputs("  MISSING  ", st->out);
            verify_put(st->out, name);
            fputs(": signed, and no longer in the folder\n", st->out);
            st->failures++;
            continue;
        }
        if (rc != 0) {
            *err = ferr;
            return rc;
        }
        hx__bundle_sha256_hex(bytes, n, got);
        free(bytes);
        if (strcmp(got, want) != 0) {
            fputs("  CHANGED  ", st->out);
            verify_put(st->out, name);
            fprintf(st->out, ": sha256 %s, signed as %s\n", got, want);
            st->failures++;
            continue;
        }
        fputs("  ok       ", st->out);
        verify_put(st->out, name);
        fputs("\n", st->out);
        ok++;
    }
    fprintf(st->out, "           %zu of %zu unchanged since signing\n", ok,
            json_array_size(st->subjects));
    return 0;
}

static bool
verify_is_subject(const struct verify_state *st, const char *name)
{
    size_t i;
    json_t *s;

    json_array_foreach(st->subjects, i, s)
        if (strcmp(cmn_json_get_str(s, "name"), name) == 0)
            return true;
    return false;
}

/* Names every entry of the folder the statement does not cover. */
static int
verify_unsigned_files(const struct verify_state *st, struct hx_error *err)
{
    DIR *d = opendir(st->dir);
    struct dirent *e;
    size_t extra = 0;

    if (d == NULL) {
        hx_error_set(err, st->dir, 0, "%s: cannot list: %s", st->dir, strerror(errno));
        return HX_E_IO;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strcmp(e->d_name, HX_BUNDLE_ENVELOPE) == 0 ||
            strcmp(e->d_name, HX_BUNDLE_PUBLIC_KEY) == 0 || verify_is_subject(st, e->d_name))
            continue;
        fputs("  NOT SIGNED ", st->out);
        verify_put(st->out, e->d_name);
        fputs(": in the folder, not covered by the signature\n", st->out);
        extra++;
    }
    closedir(d);
    if (extra > 0)
        fprintf(st->out, "           %zu file%s in the folder %s not part of the bundle: trust "
                         "only the signed files\n",
                extra, extra == 1 ? "" : "s", extra == 1 ? "is" : "are");
    return 0;
}

/* The key to verify with, and what it proves. */
static int
verify_load_key(const struct verify_state *st, const char *key_path, struct hx_signing_key **key,
                struct hx_error *err)
{
    char own[PATH_MAX];
    int rc;

    if (key_path != NULL) {
        rc = hx_signing_key_load_public(key_path, key, err);
        if (rc != 0)
            return rc;
        fputs("key:       ", st->out);
        verify_put(st->out, key_path);
        fprintf(st->out, " (given with --key), keyid %s\n", hx_signing_key_id(*key));
        return 0;
    }
    if ((rc = verify_path(st->dir, HX_BUNDLE_PUBLIC_KEY, own, sizeof own, err)) != 0)
        return rc;
    rc = hx_signing_key_load_public(own, key, err);
    if (rc == HX_E_NOTFOUND) {
        hx_error_set(err, own, 0,
                     "%s: no such file: the bundle was signed with a key of its maker's; give "
                     "its public half with --key",
                     own);
        return rc;
    }
    if (rc != 0)
        return rc;
    fputs("key:       ", st->out);
    verify_put(st->out, own);
    fprintf(st->out,
            ", keyid %s\n"
            "           taken from the bundle itself: this proves the files are unchanged since "
            "they were\n"
            "           signed, not who signed them (give --key with a public key you trust "
            "for that)\n",
            hx_signing_key_id(*key));
    return 0;
}

/* The signature over the PAE, then the keyid of the signature that holds
 * (a hint outside the signed text: a wrong one is a failure, but the
 * statement is still authentic). Returns whether a signature holds. */
static bool
verify_signature(struct verify_state *st, const struct hx_dsse_envelope *env,
                 const struct hx_signing_key *key)
{
    size_t which = 0;
    const char *keyid;

    if (!hx_dsse_verify(env, key, &which)) {
        fprintf(st->out,
                "signature: FAILED: no signature of %s verifies with this key: the envelope "
                "was changed after signing, or another key signed it\n",
                HX_BUNDLE_ENVELOPE);
        st->failures++;
        return false;
    }
    keyid = env->signatures[which].keyid;
    fprintf(st->out, "signature: valid (Ed25519 over the DSSE PAE of %s)\n", HX_BUNDLE_ENVELOPE);
    if (keyid[0] == '\0') {
        fputs("keyid:     not given in the envelope\n", st->out);
    } else if (strcmp(keyid, hx_signing_key_id(key)) != 0) {
        fputs("keyid:     FAILED: the envelope names key ", st->out);
        verify_put(st->out, keyid);
        fputs(", not the key that verifies it\n", st->out);
        st->failures++;
    } else {
        fputs("keyid:     matches the key\n", st->out);
    }
    return true;
}

int
hx_verify_bundle(const char *dir, const char *key_path, FILE *out, struct hx_error *err)
{
    struct verify_state st = {.dir = dir, .out = out};
    struct hx_dsse_envelope env = {0};
    struct hx_signing_key *key = NULL;
    char env_path[PATH_MAX], *text = NULL, reason[160] = "";
    size_t n = 0;
    struct stat sb;
    int rc;

    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        hx_error_set(err, dir, 0, "%s: not a folder", dir);
        return HX_E_NOTFOUND;
    }
    if ((rc = verify_path(dir, HX_BUNDLE_ENVELOPE, env_path, sizeof env_path, err)) != 0)
        return rc;
    rc = hx__bundle_read(env_path, &text, &n, err);
    if (rc == HX_E_NOTFOUND)
        hx_error_set(err, env_path, 0, "%s: no such file: %s is not an evidence bundle", env_path,
                     dir);
    if (rc != 0)
        goto cleanup;
    if ((rc = hx_dsse_parse(text, n, env_path, &env, err)) != 0)
        goto cleanup;
    fprintf(out, "bundle:    ");
    verify_put(out, dir);
    fprintf(out, "\nenvelope:  %s (DSSE, payloadType ", HX_BUNDLE_ENVELOPE);
    verify_put(out, env.payload_type);
    fprintf(out, ", %zu signature%s)\n", env.n_signatures, env.n_signatures == 1 ? "" : "s");
    if ((rc = verify_load_key(&st, key_path, &key, err)) != 0)
        goto cleanup;
    if (!verify_signature(&st, &env, key)) {
        fputs("statement: not read: a statement whose signature fails proves nothing\n", out);
        goto done;
    }
    if (strcmp(env.payload_type, HX_DSSE_INTOTO_TYPE) != 0) {
        hx_error_set(err, env_path, 0, "%s: payloadType: expected %s", env_path,
                     HX_DSSE_INTOTO_TYPE);
        rc = HX_E_PARSE;
        goto cleanup;
    }
    st.statement = cmn_json_parse_strict((const char *)env.payload, env.payload_len,
                                         VERIFY_MAX_DEPTH, reason, sizeof reason);
    if (st.statement == NULL) {
        hx_error_set(err, env_path, 0, "%s: payload: not a JSON statement: %s", env_path, reason);
        rc = HX_E_PARSE;
        goto cleanup;
    }
    if ((rc = verify_statement_shape(&st, env_path, err)) != 0)
        goto cleanup;
    verify_print_run(&st);
    if ((rc = verify_subjects(&st, err)) != 0 || (rc = verify_unsigned_files(&st, err)) != 0)
        goto cleanup;
done:
    if (st.failures == 0)
        fprintf(out, "VERIFIED: every signed file is unchanged, signed by key %s\n",
                hx_signing_key_id(key));
    else
        fprintf(out, "NOT VERIFIED: %d problem%s above\n", st.failures,
                st.failures == 1 ? "" : "s");
    rc = st.failures;
cleanup:
    json_decref(st.statement);
    hx_signing_key_free(key);
    hx_dsse_envelope_cleanup(&env);
    free(text);
    return rc;
}

static void
verify_usage(FILE *out)
{
    fprintf(out,
            "usage: authconform verify DIR [--key PUB.pem]\n"
            "\n"
            "Checks offline an evidence bundle written by `authconform run --bundle DIR`:\n"
            "the Ed25519 signature of DIR/%s (a DSSE envelope around an in-toto\n"
            "Statement), its keyid, and the SHA-256 of every file it signs; names each file\n"
            "changed or missing, and each file of DIR the signature does not cover.\n"
            "\n"
            "  --key FILE   the signer's public key (PEM). Without it the bundle's own\n"
            "               %s is used, which proves the files are unchanged\n"
            "               since signing but not who signed them.\n"
            "\n"
            "Exit: 0 verified, 1 verification failed (signature, keyid or a file's digest),\n"
            "2 usage or file error (the message names the file and the member).\n",
            HX_BUNDLE_ENVELOPE, HX_BUNDLE_PUBLIC_KEY);
}

int
hx_verify_main(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"key", required_argument, NULL, 'k'},
        {NULL, 0, NULL, 0},
    };
    struct hx_error err = {.text = ""};
    const char *key_path = NULL;
    int c, rc;

    optind = 0; /* glibc: start afresh, whatever parsed argv before */
    opterr = 0; /* our own message, named after the subcommand */
    while ((c = getopt_long(argc, argv, "hVk:", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            verify_usage(stdout);
            return 0;
        case 'V':
            printf("authconform verify %s\n", CMN_VERSION);
            return 0;
        case 'k':
            key_path = optarg;
            break;
        default:
            if (c == ':' || (optopt != 0 && strchr("k", optopt) != NULL))
                fprintf(stderr, "authconform verify: --key needs a file\n");
            else if (optopt != 0)
                fprintf(stderr, "authconform verify: unknown option -%c\n", optopt);
            else
                fprintf(stderr, "authconform verify: unknown option %s\n", argv[optind - 1]);
            verify_usage(stderr);
            return 2;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "authconform verify: expected one folder, the bundle (got %d)\n",
                argc - optind);
        verify_usage(stderr);
        return 2;
    }
    rc = hx_verify_bundle(argv[optind], key_path, stdout, &err);
    fflush(stdout);
    if (rc < 0) {
        fprintf(stderr, "authconform verify: %s\n",
                err.text[0] != '\0' ? err.text : hx_strerror(rc));
        return 2;
    }
    return rc > 0 ? 1 : 0;
}
