#ifndef HX_REPORT_MERGE_H
#define HX_REPORT_MERGE_H
/*
 * `authconform merge A.json B.json ...`: the report.json files of the
 * shards of one run (`authconform run --shard I/N`) put back together, and
 * every report written again as if one run had run every case.
 *
 * The parts belong together when they share the target, the profile and the
 * harness version, no case id appears in two of them, and the shards they
 * say they are (their "shard I of N" notes) are of one N and each given
 * once. The merged run has every part's cases; its notes are the parts'
 * notes once each, with the "shard I of N" notes replaced by one "merged
 * from K shards" note; it started when the earliest part started and lasted
 * until the latest part ended; its id and host are the first part's.
 */
#include <stddef.h>

#include "hx/error.h"
#include "hx/result.h"

/* Merges parts[0..n) (n >= 1), read from the files names[0..n) (for
 * errors). Moves the cases out of the parts (they are left without cases;
 * the caller still frees them). Returns 0 with *out new (hx_result_free),
 * or HX_E_PARSE when the parts do not belong together, HX_E_NOMEM, with the
 * files, the field or case and the reason in err. A shard missing from the
 * parts is no error: the merged note says which. */
int hx_merge_results(struct hx_result *const *parts, const char *const *names, size_t n,
                     struct hx_result **out, struct hx_error *err);

/* The subcommand: argv[0] is "merge". Reads the files, merges them, prints
 * the summary to stdout and writes every report (--report-dir, --junit,
 * --sarif as for `run`). Returns the exit status: as `run` (0, or 1 for a
 * failure at or above --fail-on), 2 for usage, file or mismatch errors. */
int hx_merge_main(int argc, char **argv);

#endif
