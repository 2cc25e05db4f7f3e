#ifndef HX_RESULT_H
#define HX_RESULT_H
/*
 * The results of a run: what every report writer reads, and the only thing
 * it reads. Writers never talk to the network.
 *
 * Invariants:
 * - Every string is owned by the struct that holds it (strdup'd on the way
 *   in, freed by hx_result_free) and is already redacted: nothing stored
 *   here may contain a password, token, secret or cookie value whole.
 * - Text is arbitrary bytes from a possibly hostile target: writers must
 *   escape it for their format (XML, HTML, Markdown, JSON).
 * - Fail closed: a step starts with no verdict, reported as ERROR ("the
 *   check gave no verdict"), until hx_step_pass() or hx_step_set() gives it
 *   one. A case's status is the worst of its steps' (FAIL > ERROR > SKIP >
 *   PASS), or SKIP when it was never run; hx_case_finish() computes it. A
 *   case of severity warning that fails is WARN: reported, never a failure.
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum hx_status {
    HX_STATUS_PASS = 0,
    HX_STATUS_FAIL,  /* an expectation did not hold: the target is at fault */
    HX_STATUS_ERROR, /* the check could not run: refused, timeout, TLS error, 5xx in a probe */
    HX_STATUS_SKIP,  /* not run or undecidable; reason says why */
    HX_STATUS_WARN,  /* a check of severity warning did not hold: good practice beyond the
                        contract, never a failure of the run or of a checklist item */
    HX_STATUS_WAIVED, /* failed or errored, and a live waiver accepts it (hx/waivers.h): the
                         case keeps what it found in waived_status, message and steps */
};

enum hx_severity {
    HX_SEV_WARNING = 0, /* good practice beyond the checklist: a miss is a warning */
    HX_SEV_INFO,
    HX_SEV_LOW,
    HX_SEV_MEDIUM,
    HX_SEV_HIGH,
    HX_SEV_CRITICAL,
};

/* How bad a status is, for "the worst of": FAIL 4 > ERROR 3 > WAIVED 2 >
 * SKIP 1 > PASS and WARN 0. Fail closed: a pass outweighs nothing. */
int hx_status_rank(enum hx_status s);
/* "pass", "fail", "error", "skip", "warn", "waived". Static. */
const char *hx_status_name(enum hx_status s);
/* "warning", "info", "low", "medium", "high", "critical". Static. */
const char *hx_severity_name(enum hx_severity s);
/* Parses a severity name; returns 0 or HX_E_INVAL. */
int hx_severity_parse(const char *s, enum hx_severity *out);

/* A header as sent or received. */
struct hx_header {
    char *name;
    char *value;
};

/* One HTTP exchange, kept as evidence (bounded, redacted). */
struct hx_exchange {
    char *method;
    char *url;
    struct hx_header *request_headers;
    size_t n_request_headers;
    char *request_body; /* may hold any bytes; NUL-terminated for convenience */
    size_t request_body_len;
    bool request_body_truncated;

    long status;        /* 0 when no response arrived */
    char *http_version; /* "HTTP/1.1" */
    struct hx_header *response_headers;
    size_t n_response_headers;
    char *response_body;
    size_t response_body_len;
    bool response_body_truncated;

    char *transport_error; /* NULL, or what went wrong on the wire */
    char *tls_version;     /* NULL on plain HTTP, else "TLSv1.3" ... */
    double seconds;
};

/* The outcome of one step of a scenario (a request or a probe call). */
struct hx_step_result {
    char *name;
    char *kind; /* "request" or "probe:<name>" */
    enum hx_status status;
    char *message;      /* why it failed, errored or was skipped; NULL on pass */
    char *failure_type; /* machine-readable kind, e.g. "expect.status", "transport.timeout" */
    char *notes;        /* information lines a probe reports (measurements, calibration) */
    struct hx_exchange *exchanges;
    size_t n_exchanges;
    double seconds;
};

/* A waiver of the run (loaded by hx/waivers.h) and what became of it. */
enum hx_waiver_state {
    HX_WAIVER_UNUSED = 0, /* matched no case of the run: fails the gate */
    HX_WAIVER_UNNEEDED,   /* matched cases, none of which failed: hides nothing */
    HX_WAIVER_APPLIED,    /* waived at least one failed or errored case */
    HX_WAIVER_EXPIRED,    /* its date is before the run's: waives nothing, fails the gate */
};

struct hx_waiver {
    char *check;    /* a case id or an fnmatch(3) glob of ids */
    char *target;   /* NULL, or the target (or URL prefix) it is limited to */
    char *reason;
    char *owner;
    char expires[11]; /* YYYY-MM-DD: the last day it waives */
    enum hx_waiver_state state;
    char **cases; /* ids of the run's cases it matched, owned */
    size_t n_cases;
};

/* A failing case measured against a baseline report (--baseline). */
enum hx_baseline_mark {
    HX_BASELINE_NONE = 0,      /* no baseline, or nothing to say */
    HX_BASELINE_NEW,           /* fails now and did not in the baseline: fails the gate */
    HX_BASELINE_STILL_FAILING, /* failed (or was waived) in the baseline too: accepted */
    HX_BASELINE_FIXED,         /* failed (or was waived) in the baseline and passes now */
};

/* The outcome of one scenario. */
struct hx_case {
    char *id; /* stable id, e.g. "QS-SIGNUP-001" */
    char *title;
    char *group;      /* the scenario's folder: becomes the JUnit testsuite */
    char *file;       /* the scenario file, relative to the data directory */
    char **checklist; /* checklist item ids, e.g. "hs256" */
    size_t n_checklist;
    char **asvs; /* OWASP ASVS references, e.g. "V3.5.3" */
    size_t n_asvs;
    enum hx_severity severity;
    char *remediation; /* one line: what to change when it fails */
    char *source;      /* where the rule comes from (quickstart, RFC, ASVS), or NULL */

    enum hx_status status;
    char *message; /* first non-passing step's message, or the skip reason */
    char *failure_type;
    char *diagnosis; /* likely cause and fix when a known failure pattern matched */
    struct hx_step_result *steps;
    size_t n_steps;
    time_t started;
    double seconds;
    /* With status WAIVED: what the check found (FAIL or ERROR), and the
     * waiver that accepts it (borrowed from the result's waivers). */
    enum hx_status waived_status;
    const struct hx_waiver *waiver;
    enum hx_baseline_mark baseline;
};

/* A whole run. */
struct hx_result {
    char *target;
    char *profile;
    char *run_id;
    char *harness_version;
    char *hostname;
    time_t started;
    double seconds;
    struct hx_case **cases; /* stable pointers: adding a case never moves another */
    size_t n_cases;
    /* What a reader must know about the whole run (e.g. the deviations from
     * the contract its profile declares); owned strings. */
    char **notes;
    size_t n_notes;
    /* --waivers: every waiver of the file, in its order (owned; freed by
     * hx_result_free). */
    struct hx_waiver *waivers;
    size_t n_waivers;
    /* --baseline: the baseline report's path and run id (owned), NULL
     * without one; the cases carry their marks. */
    char *baseline;
    char *baseline_run_id;
};

struct hx_counts {
    size_t total, passed, failed, errors, skipped, warnings, waived;
};

/* Returns new: free with hx_result_free(). NULL when out of memory. */
struct hx_result *hx_result_new(const char *target, const char *profile, const char *run_id);
void hx_result_free(struct hx_result *r);

/* Appends a case with its metadata (strings copied). Borrowed return:
 * valid until hx_result_free, whatever is added after it. */
struct hx_case *hx_result_add_case(struct hx_result *r, const char *id, const char *title,
                                   const char *group, const char *file);
/* Appends a run-level note (copied). Returns 0 or HX_E_NOMEM. */
int hx_result_add_note(struct hx_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int hx_case_add_checklist(struct hx_case *c, const char *item);
int hx_case_add_asvs(struct hx_case *c, const char *ref);
int hx_case_set_remediation(struct hx_case *c, const char *text);
int hx_case_set_source(struct hx_case *c, const char *text);

/* The message of a step that no check decided. */
#define HX_STEP_NO_VERDICT "the check gave no verdict"

/* Appends a step, without a verdict (ERROR, HX_STEP_NO_VERDICT) until one
 * is given. Borrowed return: valid until the next step is added to the
 * same case. */
struct hx_step_result *hx_case_add_step(struct hx_case *c, const char *name, const char *kind);
/* Sets status and message (copied; message may be NULL). */
int hx_step_set(struct hx_step_result *s, enum hx_status status, const char *failure_type,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The step's evidence shows the target does what it must: PASS, message
 * and failure type cleared. Returns 0. */
int hx_step_pass(struct hx_step_result *s);
int hx_step_add_note(struct hx_step_result *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends a zeroed exchange for the caller to fill with new strings, which
 * the result then owns. Borrowed return: valid until the next exchange is
 * added to the same step. */
struct hx_exchange *hx_step_add_exchange(struct hx_step_result *s);

/* Marks a whole case skipped with a reason (no steps run). */
int hx_case_skip(struct hx_case *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Derives the case's status, message and failure_type from its steps, and
 * its diagnosis (unless set) from the first step note line that starts with
 * "diagnosis: ". */
void hx_case_finish(struct hx_case *c);
int hx_case_set_diagnosis(struct hx_case *c, const char *text);

void hx_result_count(const struct hx_result *r, struct hx_counts *out);
/* Counts one case of status s into out (total and its status's count). */
void hx_counts_add(struct hx_counts *out, enum hx_status s);

/* The exit codes of authconform. */
enum hx_exit {
    HX_EXIT_PASS = 0,        /* every check passed or was skipped */
    HX_EXIT_FAILED = 1,      /* a check failed or errored at or above --fail-on */
    HX_EXIT_USAGE = 2,       /* usage or file error */
    HX_EXIT_UNREACHABLE = 3, /* the target could not be reached */
};
/* The verdict of a finished run as an exit code: HX_EXIT_FAILED when a case
 * of severity >= fail_on failed or could not run (error), or, with fail_on
 * warning, when a warning did not hold, unless a baseline marks it still
 * failing (a WAIVED case never counts); HX_EXIT_FAILED too when a waiver
 * expired or matched no case; else HX_EXIT_PASS. */
int hx_result_exit_code(const struct hx_result *r, enum hx_severity fail_on);
/* Counts of the cases whose group equals `group`. */
void hx_result_count_group(const struct hx_result *r, const char *group, struct hx_counts *out);

/* Frees what an exchange owns (used by hx_result_free; for callers that
 * build exchanges outside a result). */
void hx_exchange_cleanup(struct hx_exchange *x);
/* Frees what a waiver owns (used by hx_result_free; for loaders). */
void hx_waiver_cleanup(struct hx_waiver *w);
/* "unused", "unneeded", "applied", "expired". Static. */
const char *hx_waiver_state_name(enum hx_waiver_state s);
/* NULL for HX_BASELINE_NONE, else "new", "still-failing", "fixed". Static. */
const char *hx_baseline_mark_name(enum hx_baseline_mark m);

#endif
