"""Validates a waivers file against reports/schema/waivers-v1.schema.json.

    check_waivers_schema.py SCHEMA WAIVERS

Uses the jsonschema module (Debian: python3-jsonschema) with Draft 2020-12,
and checks that broken copies of the file (each a mistake authconform run
--waivers refuses) are rejected. Exits 1 with every problem listed.
"""
import copy
import json
import sys

import jsonschema


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    doc = json.load(open(sys.argv[2], encoding="utf-8"))
    problems = ["%s: %s: %s" % (sys.argv[2], "/".join(map(str, e.path)), e.message)
                for e in validator.iter_errors(doc)]

    def first(d):
        return d["waivers"][0]

    mutations = {
        "no expiry": lambda d: first(d).pop("expires"),
        "no owner": lambda d: first(d).pop("owner"),
        "empty reason": lambda d: first(d).update(reason=""),
        "expiry not a date": lambda d: first(d).update(expires="31/01/2027"),
        "thirteenth month": lambda d: first(d).update(expires="2027-13-01"),
        "target not a URL": lambda d: first(d).update(target="staging"),
        "unknown member": lambda d: first(d).update(until="2027-01-01"),
        "version 2": lambda d: d.update(version=2),
        "no waivers": lambda d: d.pop("waivers"),
    }
    for name, edit in mutations.items():
        broken = copy.deepcopy(doc)
        edit(broken)
        if validator.is_valid(broken):
            problems.append("the waivers schema accepts a file with: " + name)
    for p in problems:
        print("check_waivers_schema: " + p, file=sys.stderr)
    if problems:
        return 1
    print("check_waivers_schema: %s valid; %d broken copies rejected"
          % (sys.argv[2], len(mutations)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
