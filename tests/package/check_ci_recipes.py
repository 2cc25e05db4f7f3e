#!/usr/bin/env python3
"""Keeps the CI recipes of docs/ci/ working as written.

    check_ci_recipes.py AUTHCONFORM MAN_PAGE CI_DIR

github-actions.yml and gitlab-ci.yml are parsed (python3-yaml), the Jenkinsfile
read as text. In each: a job (stage) per shard, 1..N, each running
`authconform run --shard I/N` and keeping its report.json where the merge job
finds it; a merge job that depends on the shard jobs, runs `authconform merge`
on every shard's report.json and hands its JUnit (and SARIF) file to the CI
system. Every `authconform` invocation uses a command that `authconform --help`
lists or that the man page documents, with options that the man page documents
for that command. --waivers and --baseline are used somewhere.

Then the same checks run on broken copies of the recipes and must fail.
Prints one line per check and 'N passed, N failed'; exits 1 on a failure.
"""
import copy
import fnmatch
import os
import re
import shlex
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_man_pages import OPTION, Page, commands_in_help, help_text, report  # noqa: E402


class Invocation:
    """One `authconform COMMAND ARGS` found in shell text."""

    def __init__(self, command, tokens):
        self.command = command
        self.tokens = tokens

    def options(self):
        return [t[2:] for t in self.tokens if OPTION.fullmatch(t)]

    def value(self, option):
        """The argument after --option, or None."""
        for i, t in enumerate(self.tokens[:-1]):
            if t == "--" + option:
                return self.tokens[i + 1]
        return None

    def operands(self):
        """The arguments that are neither an option nor an option's value."""
        out, skip = [], False
        for t in self.tokens:
            if skip:
                skip = False
            elif t.startswith("--"):
                skip = True     # every option of merge and run takes a value
            else:
                out.append(t)
        return out


def invocations(shell):
    """Every authconform invocation in shell text (continuation lines joined;
    GitHub's ${{ x }} kept as one word; comment lines, # or //, skipped)."""
    text = re.sub(r"^\s*(#|//).*$", "", shell, flags=re.M)
    text = re.sub(r"\\{1,2}\n", " ", text)
    text = re.sub(r"\$\{\{\s*([^}]*?)\s*\}\}", r"${{\1}}", text)
    found = []
    for m in re.finditer(r"(?<![\w/-])authconform[ \t]+([a-z][a-z-]*)([^\n;&|]*)", text):
        try:
            tokens = shlex.split(m.group(2))
        except ValueError:
            tokens = m.group(2).split()
        found.append(Invocation(m.group(1), tokens))
    return found


def step_text(steps):
    return "\n".join(s.get("run", "") for s in steps if isinstance(s, dict))


def one(items, what):
    """The single item, or raises a problem naming what."""
    if len(items) != 1:
        raise Problem(f"expected one {what}, found {len(items)}")
    return items[0]


class Problem(Exception):
    pass


def checker(file, results):
    """check(name, fn): runs fn, which raises Problem when the recipe is wrong,
    and records the result. A check that finds what it reads missing (an
    earlier check failed, a key absent) fails too."""
    def check(name, fn):
        try:
            fn()
            results.append((f"{file}: {name}", None))
        except Problem as e:
            results.append((f"{file}: {name}", str(e)))
        except (KeyError, TypeError, AttributeError, ValueError, StopIteration) as e:
            results.append((f"{file}: {name}", f"cannot check ({type(e).__name__}: {e})"))
    return check


def check_github(doc, results):
    check = checker("github-actions.yml", results)

    jobs = doc.get("jobs") or {}
    state = {}

    def shard_job():
        names = [n for n, j in jobs.items()
                 if isinstance(j, dict) and (j.get("strategy") or {}).get("matrix", {}).get("shard")]
        name = one(names, "job with a shard matrix")
        shards = jobs[name]["strategy"]["matrix"]["shard"]
        if shards != list(range(1, len(shards) + 1)) or len(shards) != 3:
            raise Problem(f"matrix.shard is {shards}, not [1, 2, 3]")
        if jobs[name]["strategy"].get("fail-fast") is not False:
            raise Problem("fail-fast is not false: one failed shard would cancel the others")
        state.update(shard=name, shards=shards)
    check("a job per shard, matrix.shard 1..3", shard_job)

    def shard_run():
        job = jobs[state["shard"]]
        run = one([i for i in invocations(step_text(job["steps"])) if i.command == "run"],
                  "authconform run in the shard job")
        if run.value("shard") != "${{matrix.shard}}/%d" % len(state["shards"]):
            raise Problem(f"--shard is {run.value('shard')!r}, not "
                          f"'${{{{ matrix.shard }}}}/{len(state['shards'])}'")
        report_dir = run.value("report-dir")
        if not report_dir:
            raise Problem("authconform run has no --report-dir")
        upload = one([s for s in job["steps"]
                      if str(s.get("uses", "")).startswith("actions/upload-artifact")],
                     "upload-artifact step in the shard job")
        if upload["with"].get("path") != f"{report_dir}/report.json":
            raise Problem(f"the shard uploads {upload['with'].get('path')!r}, not "
                          f"{report_dir}/report.json")
        if "if" not in upload:
            raise Problem("the upload step has no if: a shard with failures keeps no report")
        state["artifact"] = re.sub(r"\$\{\{\s*matrix\.shard\s*\}\}", "{}",
                                   str(upload["with"].get("name", "")))
        if "{}" not in state["artifact"]:
            raise Problem("the artifact name does not contain ${{ matrix.shard }}")
    check("each shard runs --shard ${{ matrix.shard }}/3 and uploads its report.json",
          shard_run)

    def merge_job():
        if "shard" not in state:
            raise Problem("no shard job")
        names = [n for n, j in jobs.items() if isinstance(j, dict) and state["shard"] in (
            [j["needs"]] if isinstance(j.get("needs"), str) else j.get("needs") or [])]
        name = one(names, f"job that needs {state['shard']}")
        if not re.search(r"always\(\)|!cancelled\(\)", str(jobs[name].get("if", ""))):
            raise Problem("the merge job does not run when a shard failed (if: !cancelled())")
        state["merge"] = name
    check("the merge job needs the shard job and runs when one failed", merge_job)

    def merge_inputs():
        job = jobs[state["merge"]]
        merge = one([i for i in invocations(step_text(job["steps"])) if i.command == "merge"],
                    "authconform merge")
        download = one([s for s in job["steps"]
                        if str(s.get("uses", "")).startswith("actions/download-artifact")],
                       "download-artifact step")
        pattern, path = download["with"].get("pattern"), download["with"].get("path")
        if download["with"].get("merge-multiple"):
            raise Problem("merge-multiple puts every report.json in one place: they overwrite")
        for shard in state["shards"]:
            name = state["artifact"].format(shard)
            if not fnmatch.fnmatchcase(name, str(pattern)):
                raise Problem(f"artifact {name} does not match the download pattern {pattern!r}")
            where = f"{path}/{name}/report.json"
            if not any(fnmatch.fnmatchcase(where, g) for g in merge.operands()):
                raise Problem(f"{where} is not among the merge's inputs {merge.operands()}")
        state["junit"], state["sarif"] = merge.value("junit"), merge.value("sarif")
    check("the merge downloads every shard's report.json and merges them all", merge_inputs)

    def merge_outputs():
        steps = jobs[state["merge"]]["steps"]
        sarif = one([s for s in steps
                     if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")],
                    "upload-sarif step")
        if sarif["with"].get("sarif_file") != state["sarif"]:
            raise Problem(f"upload-sarif sends {sarif['with'].get('sarif_file')!r}, the merge "
                          f"writes {state['sarif']!r}")
        kept = [p for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact")
                for p in str(s["with"].get("path", "")).split()]
        if not any(fnmatch.fnmatchcase(state["junit"], p) for p in kept):
            raise Problem(f"the JUnit file {state['junit']!r} is not uploaded (paths {kept})")
        if "security-events" not in (jobs[state["merge"]].get("permissions") or {}):
            raise Problem("upload-sarif needs permissions: security-events: write")
    check("the merged SARIF goes to code scanning and the JUnit file is uploaded",
          merge_outputs)


def check_gitlab(doc, results):
    check = checker("gitlab-ci.yml", results)

    jobs = {n: j for n, j in doc.items() if isinstance(j, dict) and "script" in j}
    state = {}

    def script(job):
        return "\n".join(doc_lines(job.get("script")))

    def shard_job():
        name = one([n for n, j in jobs.items() if "parallel" in j], "job with parallel")
        if jobs[name]["parallel"] != 3:
            raise Problem(f"parallel is {jobs[name]['parallel']!r}, not 3")
        run = one([i for i in invocations(script(jobs[name])) if i.command == "run"],
                  "authconform run in the shard job")
        shard = re.sub(r"\$\{(\w+)\}", r"$\1", str(run.value("shard")))
        if shard != "$CI_NODE_INDEX/$CI_NODE_TOTAL":
            raise Problem(f"--shard is {run.value('shard')!r}, not $CI_NODE_INDEX/$CI_NODE_TOTAL")
        report_dir = re.sub(r"\$\{(\w+)\}", r"$\1", str(run.value("report-dir")))
        if "$CI_NODE_INDEX" not in report_dir:
            raise Problem(f"--report-dir {report_dir!r} is the same for every shard")
        artifacts = jobs[name].get("artifacts") or {}
        wanted = f"{report_dir}/report.json"
        paths = [re.sub(r"\$\{(\w+)\}", r"$\1", p) for p in artifacts.get("paths") or []]
        if not any(fnmatch.fnmatchcase(wanted, p) or wanted.startswith(p.rstrip("/") + "/")
                   for p in paths):
            raise Problem(f"{wanted} is not in the shard's artifacts:paths {paths}")
        if artifacts.get("when") != "always":
            raise Problem("artifacts:when is not always: a shard with failures keeps no report")
        state.update(shard=name, report=wanted)
    check("a parallel: 3 job runs --shard $CI_NODE_INDEX/$CI_NODE_TOTAL and keeps its "
          "report.json", shard_job)

    def merge_job():
        if "shard" not in state:
            raise Problem("no shard job")
        names = [n for n, j in jobs.items()
                 if state["shard"] in [x if isinstance(x, str) else x.get("job")
                                       for x in j.get("needs") or []]]
        name = one(names, f"job that needs {state['shard']}")
        if jobs[name].get("when") != "always":
            raise Problem("the merge job has no when: always: it would not run after a "
                          "failed shard")
        merge = one([i for i in invocations(script(jobs[name])) if i.command == "merge"],
                    "authconform merge")
        for index in (1, 2, 3):
            where = state["report"].replace("$CI_NODE_INDEX", str(index))
            if not any(fnmatch.fnmatchcase(where, g) for g in merge.operands()):
                raise Problem(f"{where} is not among the merge's inputs {merge.operands()}")
        state.update(merge=name, junit=merge.value("junit"), sarif=merge.value("sarif"))
    check("the merge job needs the shard jobs, runs after a failed one and merges every "
          "shard's report.json", merge_job)

    def merge_outputs():
        artifacts = jobs[state["merge"]].get("artifacts") or {}
        reports = artifacts.get("reports") or {}
        if reports.get("junit") != state["junit"]:
            raise Problem(f"artifacts:reports:junit is {reports.get('junit')!r}, the merge "
                          f"writes {state['junit']!r}")
        if any(str(v).endswith(".sarif") for v in reports.values()):
            raise Problem("a SARIF file under artifacts:reports: GitLab reads none there")
        paths = artifacts.get("paths") or []
        if not any(fnmatch.fnmatchcase(state["sarif"], p) or
                   state["sarif"].startswith(p.rstrip("/") + "/") for p in paths):
            raise Problem(f"the SARIF file {state['sarif']!r} is not in artifacts:paths")
        if artifacts.get("when") != "always":
            raise Problem("artifacts:when is not always: a failed gate keeps no report")
    check("the merged JUnit file is the test report, the SARIF an artifact", merge_outputs)


def doc_lines(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def check_jenkins(text, results):
    check = checker("Jenkinsfile", results)

    state = {}

    def shards():
        if not re.search(r"^\s*parallel\s*\{", text, re.M):
            raise Problem("no parallel block")
        numbers = [int(n) for n in re.findall(r"stage\('Shard (\d+)'\)", text)]
        if numbers != [1, 2, 3]:
            raise Problem(f"shard stages {numbers}, not 1, 2, 3")
        calls = [int(n) for n in re.findall(r"sh shardScript\((\d+)\)", text)]
        if calls != numbers:
            raise Problem(f"the shard stages run shards {calls}")
        caught = [int(n) for n in re.findall(
            r"catchError\([^)]*\)\s*\{\s*sh shardScript\((\d+)\)\s*\}", text)]
        if caught != numbers:
            raise Problem(f"shards {sorted(set(numbers) - set(caught))} run outside catchError: "
                          "a failed shard would stash no report and stop the merge")
        run = one([i for i in invocations(text) if i.command == "run"], "authconform run")
        if run.value("shard") != "${shard}/3":
            raise Problem(f"--shard is {run.value('shard')!r}, not ${{shard}}/3")
        stashes = dict(re.findall(r"stash name: '([^']+)', includes: '([^']+)'", text))
        for n in numbers:
            wanted = f"{run.value('report-dir').replace('${shard}', str(n))}/report.json"
            if wanted not in stashes.values():
                raise Problem(f"no stash keeps {wanted}")
        state["stashes"] = stashes
    check("parallel shard stages 1..3 run --shard N/3 and stash their report.json", shards)

    def merge():
        unstashed = re.findall(r"unstash '([^']+)'", text)
        if sorted(unstashed) != sorted(state.get("stashes", {})):
            raise Problem(f"unstash {unstashed}, stash {sorted(state.get('stashes', {}))}")
        m = one([i for i in invocations(text) if i.command == "merge"], "authconform merge")
        for kept in state["stashes"].values():
            if not any(fnmatch.fnmatchcase(kept, g) for g in m.operands()):
                raise Problem(f"{kept} is not among the merge's inputs {m.operands()}")
        junit = re.search(r"junit testResults: '([^']+)'", text)
        if not junit or junit.group(1) != m.value("junit"):
            raise Problem(f"the junit step reads {junit and junit.group(1)!r}, the merge "
                          f"writes {m.value('junit')!r}")
        archived = re.search(r"archiveArtifacts artifacts: '([^']+)'", text)
        patterns = [p.strip() for p in archived.group(1).split(",")] if archived else []
        for wanted in (m.value("junit"), m.value("sarif")):
            if not any(fnmatch.fnmatchcase(wanted, p) for p in patterns):
                raise Problem(f"{wanted} is not archived ({patterns})")
    check("the merge stage unstashes every shard, merges them, junit and archiveArtifacts",
          merge)


def check_invocations(recipes, commands, page, results):
    """Every invocation's command exists, with documented options."""
    general = page.options(page.sections.get("OPTIONS", ""))
    for file, shell in recipes:
        calls = invocations(shell)
        problems = []
        for call in calls:
            if call.command not in commands:
                problems.append(f"authconform {call.command}: no such command")
                continue
            sections = [t for t in page.subsections if t.split()[0] == call.command]
            documented = set().union(*(page.options(page.subsections[t]) for t in sections)) \
                if sections else set()
            unknown = [o for o in call.options() if o not in documented | general]
            if unknown:
                problems.append(f"authconform {call.command}: undocumented "
                                f"{', '.join('--' + o for o in unknown)}")
        results.append((f"{file}: {len(calls)} authconform invocations use documented "
                        f"commands and options",
                        "; ".join(problems) if problems else
                        ("no invocation found" if not calls else None)))


def run_checks(github, gitlab, jenkins, commands, page):
    results = []
    check_github(github, results)
    check_gitlab(gitlab, results)
    check_jenkins(jenkins, results)
    recipes = [("github-actions.yml", "\n".join(step_text(j.get("steps", []))
                                              for j in (github.get("jobs") or {}).values())),
               ("gitlab-ci.yml", "\n".join("\n".join(doc_lines(j.get("script")))
                                          for j in gitlab.values() if isinstance(j, dict))),
               ("Jenkinsfile", jenkins)]
    check_invocations(recipes, commands, page, results)
    used = {o for _, shell in recipes for i in invocations(shell) for o in i.options()}
    for option in ("waivers", "baseline"):
        results.append((f"a recipe gates with --{option}",
                        None if option in used else "not used in any recipe"))
    return results


def main():
    if len(sys.argv) != 4:
        raise SystemExit("usage: check_ci_recipes.py AUTHCONFORM MAN_PAGE CI_DIR")
    authconform, man_page, ci_dir = sys.argv[1:]
    page = Page(man_page)
    commands = set(commands_in_help(help_text(authconform)))
    commands |= {t.split()[0] for t in page.subsections}
    with open(os.path.join(ci_dir, "github-actions.yml"), encoding="utf-8") as f:
        github = yaml.safe_load(f)
    with open(os.path.join(ci_dir, "gitlab-ci.yml"), encoding="utf-8") as f:
        gitlab = yaml.safe_load(f)
    with open(os.path.join(ci_dir, "Jenkinsfile"), encoding="utf-8") as f:
        jenkins = f.read()

    results = run_checks(github, gitlab, jenkins, commands, page)

    # The checks must fail on recipes broken in each way they guard against.
    def gh(fn):
        doc = copy.deepcopy(github)
        fn(doc["jobs"])
        return doc, gitlab, jenkins

    def gl(fn):
        doc = copy.deepcopy(gitlab)
        fn(doc)
        return github, doc, jenkins

    def jk(old, new):
        assert old in jenkins, old
        return github, gitlab, jenkins.replace(old, new)

    def merge_step(jobs):
        return next(s for s in jobs["merge"]["steps"] if "authconform merge" in s.get("run", ""))

    mutations = [
        ("a shard matrix of 2", "matrix.shard",
         gh(lambda j: j["conformance"]["strategy"]["matrix"].update(shard=[1, 2]))),
        ("a merge job that does not need the shards", "job that needs",
         gh(lambda j: j["merge"].pop("needs"))),
        ("a download pattern that misses the artifacts", "download pattern",
         gh(lambda j: j["merge"]["steps"][2]["with"].update(pattern="report-*"))),
        ("a misspelt command", "no such command",
         gh(lambda j: merge_step(j).update(run=merge_step(j)["run"].replace(
             "authconform merge", "authconform mrege")))),
        ("an undocumented option", "undocumented --sarif-file",
         gh(lambda j: merge_step(j).update(run=merge_step(j)["run"].replace(
             "--sarif", "--sarif-file")))),
        ("parallel: 2 in GitLab", "parallel is 2",
         gl(lambda d: d["conformance"].update(parallel=2))),
        ("a GitLab shard that keeps no report.json", "artifacts:paths",
         gl(lambda d: d["conformance"]["artifacts"].update(paths=["reports/"]))),
        ("a GitLab JUnit report the merge does not write", "artifacts:reports:junit",
         gl(lambda d: d["merge"]["artifacts"]["reports"].update(junit="junit.xml"))),
        ("a Jenkins merge that misses a shard", "unstash",
         jk("unstash 'shard-3'\n", "")),
        ("a Jenkins shard outside catchError", "outside catchError",
         jk("catchError(buildResult: 'FAILURE', stageResult: 'FAILURE') {\n"
            "                            sh shardScript(2)\n                        }",
            "sh shardScript(2)")),
        ("a GitLab merge that does not run after a failed shard", "when: always",
         gl(lambda d: d["merge"].pop("when"))),
        ("a Jenkins junit step on another file", "the junit step reads",
         jk("junit testResults: 'reports/junit.xml'", "junit testResults: 'junit.xml'")),
    ]
    for what, expected, (g, l, j) in mutations:
        caught = [f"{name}: {problem}" for name, problem in run_checks(g, l, j, commands, page)
                  if problem is not None]
        results.append((f"recipes with {what} are caught",
                        None if any(expected in c for c in caught)
                        else f"not caught (problems seen: {caught})"))
    return report(results)


if __name__ == "__main__":
    sys.exit(main())
