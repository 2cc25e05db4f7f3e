"""Validates report.sarif files against the official SARIF 2.1.0 schema.

    check_sarif.py SCHEMA SARIF...

Uses the jsonschema module (Debian: python3-jsonschema); the schema is
OASIS's (draft-04). Beyond the schema: every result names a rule of the run,
its ruleIndex points at that rule, each failing case of the sample is a
result and no passing one is. Also breaks a copy in ways the schema forbids
and checks that each is rejected. Exits 1 with every problem listed.
"""
import copy
import json
import sys

try:
    import jsonschema
except ImportError:
    print("check_sarif: no jsonschema module: install Debian's python3-jsonschema "
          "(scripts/install-deps)", file=sys.stderr)
    sys.exit(1)


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    problems = []
    logs = [json.load(open(p, encoding="utf-8")) for p in sys.argv[2:]]
    for path, log in zip(sys.argv[2:], logs):
        for e in validator.iter_errors(log):
            problems.append("%s: %s: %s" % (path, "/".join(map(str, e.path)), e.message))
        run = log["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        if not rules:
            problems.append("%s: no rules" % path)
        if not run["results"]:
            problems.append("%s: no results (the sample has failures)" % path)
        for res in run["results"]:
            idx = res.get("ruleIndex")
            if idx is None or idx >= len(rules) or rules[idx]["id"] != res["ruleId"]:
                problems.append("%s: result %s points at the wrong rule" % (path, res["ruleId"]))
            if res["level"] not in ("error", "warning", "note"):
                problems.append("%s: result %s has level %s" % (path, res["ruleId"], res["level"]))
            uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            if not uri.startswith(("http://", "https://")):
                problems.append("%s: result %s is located at %r" % (path, res["ruleId"], uri))

    mutations = {
        "another version": lambda d: d.update(version="2.0.0"),
        "a result without a message": lambda d: d["runs"][0]["results"][0].pop("message"),
        "an unknown level": lambda d: d["runs"][0]["results"][0].update(level="fatal"),
        "a rule without an id": lambda d: d["runs"][0]["tool"]["driver"]["rules"][0].pop("id"),
    }
    for name, edit in mutations.items():
        doc = copy.deepcopy(logs[0])
        edit(doc)
        if validator.is_valid(doc):
            problems.append("the schema accepts a log with " + name)

    for p in problems:
        print("check_sarif: " + p, file=sys.stderr)
    if problems:
        sys.exit(1)
    print("check_sarif: %d SARIF logs valid against %s; %d broken copies rejected"
          % (len(logs), sys.argv[1], len(mutations)))


if __name__ == "__main__":
    main()
