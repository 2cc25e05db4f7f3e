#ifndef HX_CHECKLIST_H
#define HX_CHECKLIST_H
/*
 * The quickstart's 12-item security checklist: the one table the scenario
 * loader, its error messages, `authconform list` and every report read, and
 * the rule that turns the checks of an item into the item's verdict.
 */
#include <stdbool.h>
#include <stddef.h>

#include "hx/result.h"

struct hx_checklist_item {
    int number;         /* 1..12, in the order of the quickstart's "Security Checklist" */
    const char *id;     /* what scenarios put in "checklist", e.g. "hs256" */
    const char *title;  /* the checklist's line, as a statement */
    const char *asvs;   /* the OWASP ASVS 4.0.3 requirement it maps to */
    const char *source; /* where the rule comes from: the quickstart line */
};

/* Borrowed static table of the 12 items; *n gets its length. */
const struct hx_checklist_item *hx_checklist_items(size_t *n);
/* Borrowed: the item with this id, or NULL. */
const struct hx_checklist_item *hx_checklist_find(const char *id);
/* Writes "strong-secret, secrets-not-exposed, ..." into out (for messages). */
void hx_checklist_ids(char *out, size_t out_size);

/* How the checks of one item came out. Fail closed: status is PASS only
 * when every case naming the item ran and passed; otherwise the worst of
 * them (FAIL > ERROR > SKIP). SKIP with covered false when no case names
 * the item. */
struct hx_item_summary {
    struct hx_counts counts;
    enum hx_status status;
    bool covered;
};

void hx_checklist_summarise(const struct hx_result *r, const char *id, struct hx_item_summary *out);
/* True when c names item id in its checklist. */
bool hx_case_has_item(const struct hx_case *c, const char *id);

#endif
