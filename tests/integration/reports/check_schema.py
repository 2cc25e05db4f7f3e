"""Validates report.json files against the report's JSON Schema.

    check_schema.py SCHEMA REPORT...

Uses the jsonschema module (Debian: python3-jsonschema) with Draft 2020-12.
Also breaks a copy of the first report in ways the schema forbids and checks
that each is rejected. Exits 1 with every problem listed.
"""
import copy
import json
import sys

try:
    import jsonschema
except ImportError:
    print("check_schema: no jsonschema module: install Debian's python3-jsonschema "
          "(scripts/install-deps)", file=sys.stderr)
    sys.exit(1)


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    reports = [json.load(open(p, encoding="utf-8")) for p in sys.argv[2:]]
    for path, doc in zip(sys.argv[2:], reports):
        for e in validator.iter_errors(doc):
            problems.append("%s: %s: %s" % (path, "/".join(map(str, e.path)), e.message))

    def broken(edit):
        doc = copy.deepcopy(reports[0])
        edit(doc)
        return doc

    def first_exchange(doc):
        for c in doc["cases"]:
            for s in c["steps"]:
                if s["exchanges"]:
                    return s["exchanges"][0]
        raise AssertionError("the sample has no exchange")

    mutations = {
        "unknown status": lambda d: d["cases"][0].update(status="passed"),
        "newer version": lambda d: d.update(version=2),
        "checklist out of order": lambda d: d["checklist"].reverse(),
        "skip reason on a failure": lambda d: next(
            c for c in d["cases"] if c["status"] == "fail").update(skip_reason="x"),
        "fractional duration": lambda d: d["run"].update(duration_ms=1.5),
        "extra request member": lambda d: first_exchange(d)["request"].update(cookie="x"),
        "missing response body": lambda d: first_exchange(d)["response"].pop("body"),
        "bad timestamp": lambda d: d["run"].update(started="yesterday"),
        "unknown verdict": lambda d: d["summary"].update(verdict="ok"),
        "waived case without its waiver": lambda d: next(
            c for c in d["cases"] if c["status"] == "fail").update(status="waived"),
        "waiver member on a failure": lambda d: next(
            c for c in d["cases"] if c["status"] == "fail").update(
                waived={"status": "fail", "waiver": 0, "check": "X", "reason": "r",
                        "owner": "o", "expires": "2027-01-01"}),
        "unknown waiver state": lambda d: d["waivers"].append(
            {"index": 0, "check": "X", "target": None, "reason": "r", "owner": "o",
             "expires": "2027-01-01", "state": "stale", "cases": []}),
        "unknown baseline mark": lambda d: d["cases"][0].update(baseline="old"),
    }
    for name, edit in mutations.items():
        if validator.is_valid(broken(edit)):
            problems.append("the schema accepts a report with: " + name)

    for p in problems:
        print("check_schema: " + p, file=sys.stderr)
    if problems:
        return 1
    print("check_schema: %d report(s) valid; %d broken copies rejected"
          % (len(reports), len(mutations)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
