#!/usr/bin/env python3
"""Keeps the man pages true to the programs.

    check_man_pages.py AUTHCONFORM AUTHREF MAN_DIR

For authconform(1): every command that `authconform --help` lists has a
subsection under COMMANDS, and every long option that `authconform CMD --help`
prints is documented in that subsection (--help and --version in OPTIONS);
every AUTHCONFORM_* variable `authconform run --help` names is in ENVIRONMENT;
every exit status the help gives is under EXIT STATUS. For authref(8): every
long option and variable of `authref --help` is in OPTIONS and ENVIRONMENT,
and its exit statuses under EXIT STATUS. Both pages render with groff without
a warning (-ww). The page may document more than a --help prints (options of
commands still to come); never less.

Then the same checks run on copies of the pages with one documented thing
removed each, and must fail: the checker can tell a missing option.
Prints one line per check and 'N passed, N failed'; exits 1 on a failure.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

OPTION = re.compile(r"(?<![\w-])--([a-z][a-z0-9-]*)")
VARIABLE = re.compile(r"\b(AUTHCONFORM_[A-Z_]+)\b")


def help_text(program, *args):
    """The --help output of program with args (stdout and stderr)."""
    done = subprocess.run([program, *args, "--help"], capture_output=True, text=True,
                          timeout=30, env=dict(os.environ, NO_COLOR="1"))
    if done.returncode != 0:
        raise SystemExit(f"{program} {' '.join(args)} --help exited {done.returncode}:\n"
                         f"{done.stderr}")
    return done.stdout + done.stderr


def plain(roff):
    """The text of roff source with the escapes a reader does not see removed."""
    text = roff.replace("\\-", "-").replace("\\e", "\\")
    text = re.sub(r"\\f[BIRP]|\\f\[[A-Z]*\]", "", text)
    return text


class Page:
    """A man page's source cut into sections (.SH) and subsections (.SS)."""

    def __init__(self, path):
        self.path = path
        self.sections = {}      # "EXIT STATUS" -> plain text
        self.subsections = {}   # "run" or "profile init" -> plain text (under COMMANDS)
        section = subsection = None
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith('.\\"'):
                    continue
                m = re.match(r'\.(SH|SS)\s+"?([^"\n]*)"?\s*$', line)
                if m and m.group(1) == "SH":
                    section, subsection = m.group(2).strip(), None
                    self.sections.setdefault(section, "")
                    continue
                if m:
                    subsection = m.group(2).strip()
                    self.subsections.setdefault(subsection, "")
                    continue
                if section is not None:
                    self.sections[section] += plain(line)
                if subsection is not None and section == "COMMANDS":
                    self.subsections[subsection] += plain(line)

    def text(self):
        return "".join(self.sections.values())

    def options(self, text=None):
        return set(OPTION.findall(self.text() if text is None else text))

    def exit_statuses(self):
        return set(re.findall(r"^\.B (\d+)\s*$", self.sections.get("EXIT STATUS", ""), re.M))


def exit_statuses_in_help(help_out):
    """The exit statuses a --help lists after 'Exit:' or 'Exit status:'."""
    m = re.search(r"^Exit(?: status)?:(.*?)(?:\n\n|\Z)", help_out, re.S | re.M)
    if not m:
        return set()
    return set(re.findall(r"(?:^|,)\s*(\d+)\s", m.group(1)))


def commands_in_help(help_out):
    """The commands of `authconform --help`: the word after 'authconform' on each
    usage line."""
    found = []
    for line in help_out.splitlines():
        m = re.match(r"\s*(?:usage:)?\s*authconform ([a-z][a-z-]*)\b", line)
        if m and m.group(1) not in found:
            found.append(m.group(1))
    return found


def render_warnings(path):
    """groff's warnings for the page (all of them: -ww), as text; '' when clean."""
    groff = shutil.which("groff")
    if groff is None:
        return "groff not found (Debian package groff-base)"
    done = subprocess.run([groff, "-man", "-ww", "-z", "-Tutf8", path],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0 and not done.stderr:
        return f"groff exited {done.returncode}"
    return done.stderr.strip()


def undocumented(names):
    """The problem of a check that found names missing from a page, or None."""
    return f"not documented: {', '.join(names)}" if names else None


def check_sections(page_name, page, required, results):
    for section in required:
        results.append((f"{page_name} has {section}",
                        None if section in page.sections else "section missing"))


def check_exit_statuses(program_name, help_out, page, results):
    """Every exit status the --help lists is a tag under EXIT STATUS."""
    statuses = exit_statuses_in_help(help_out)
    results.append((f"{program_name} --help exit statuses in EXIT STATUS",
                    f"none found in {program_name} --help" if not statuses else
                    undocumented(sorted(statuses - page.exit_statuses(), key=int))))


def report(results):
    """Prints one line per (name, problem) and the count; returns the exit code."""
    failed = 0
    for name, problem in results:
        if problem is None:
            print(f"ok    {name}")
        else:
            failed += 1
            print(f"FAIL  {name}: {problem}")
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def check_authconform(program, page_path):
    """Returns a list of (name, problem or None)."""
    results = []
    page = Page(page_path)
    top = help_text(program)
    general = page.options(page.sections.get("OPTIONS", ""))
    check_sections("authconform.1", page, ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS",
                                           "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "FILES",
                                           "EXAMPLES", "SEE ALSO"), results)

    missing = sorted(set(OPTION.findall(top)) - page.options())
    results.append(("authconform --help options in authconform.1",
                    undocumented(["--" + o for o in missing])))

    commands = commands_in_help(top)
    results.append(("authconform --help lists commands",
                    None if len(commands) >= 4 else f"only {commands} found"))
    for command in commands:
        titles = [t for t in page.subsections if t.split()[0] == command]
        if not titles:
            results.append((f"authconform {command}: a subsection under COMMANDS",
                            "missing"))
            continue
        for title in titles:
            words = title.split()
            out = help_text(program, *words)
            documented = page.options(page.subsections[title]) | general
            missing = sorted(set(OPTION.findall(out)) - documented)
            results.append((f"authconform {title} --help options in its subsection",
                            undocumented(["--" + o for o in missing])))

    run_help = help_text(program, "run")
    environment = set(VARIABLE.findall(page.sections.get("ENVIRONMENT", "")))
    results.append(("authconform run --help variables in ENVIRONMENT",
                    undocumented(sorted(set(VARIABLE.findall(run_help)) - environment))))
    check_exit_statuses("authconform run", run_help, page, results)

    warnings = render_warnings(page_path)
    results.append(("authconform.1 renders without warnings", warnings or None))
    return results


def check_authref(program, page_path):
    results = []
    page = Page(page_path)
    out = help_text(program)
    check_sections("authref.8", page, ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS",
                                       "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES",
                                       "SEE ALSO"), results)

    missing = sorted(set(OPTION.findall(out)) - page.options(page.sections.get("OPTIONS", "")))
    results.append(("authref --help options in OPTIONS",
                    undocumented(["--" + o for o in missing])))

    env_block = re.search(r"^Environment[^\n]*\n(.*?)\n\n", out, re.S | re.M)
    variables = set(re.findall(r"^\s+([A-Z][A-Z0-9_]+)\s", env_block.group(1), re.M)) \
        if env_block else set()
    documented = set(re.findall(r"^\.B ([A-Z][A-Z0-9_]+)\s*$",
                                page.sections.get("ENVIRONMENT", ""), re.M))
    results.append(("authref --help variables in ENVIRONMENT",
                    "no variables found in authref --help" if not variables else
                    undocumented(sorted(variables - documented))))
    check_exit_statuses("authref", out, page, results)

    warnings = render_warnings(page_path)
    results.append(("authref.8 renders without warnings", warnings or None))
    return results


def mutate(src, dst, old, new="", section=None):
    """Copies the page src to dst with every occurrence of old replaced by new
    (only between '.SS section' and the next .SS/.SH when section is given)."""
    text = open(src, encoding="utf-8").read()
    if section is None:
        mutated = text.replace(old, new)
    else:
        start = text.index(f".SS {section}\n")
        end = re.search(r"^\.S[SH] ", text[start + 4:], re.M).start() + start + 4
        mutated = text[:start] + text[start:end].replace(old, new) + text[end:]
    assert mutated != text, f"{old!r} is not in {src}: the mutation test needs updating"
    with open(dst, "w", encoding="utf-8") as f:
        f.write(mutated)
    return dst


def main():
    if len(sys.argv) != 4:
        raise SystemExit("usage: check_man_pages.py AUTHCONFORM AUTHREF MAN_DIR")
    authconform, authref, man_dir = sys.argv[1:]
    page1 = os.path.join(man_dir, "authconform.1")
    page8 = os.path.join(man_dir, "authref.8")

    results = check_authconform(authconform, page1) + check_authref(authref, page8)

    # The checks must fail on a page that lacks what a --help prints.
    with tempfile.TemporaryDirectory() as tmp:
        mutations = [
            ("a page without run's --target", check_authconform,
             mutate(page1, os.path.join(tmp, "a.1"), "\\-\\-target", "run"), authconform,
             "--target"),
            ("a page without AUTHCONFORM_SEED", check_authconform,
             mutate(page1, os.path.join(tmp, "b.1"), "AUTHCONFORM_SEED"), authconform,
             "AUTHCONFORM_SEED"),
            ("a page without the list subsection", check_authconform,
             mutate(page1, os.path.join(tmp, "c.1"), ".SS list\n"), authconform,
             "authconform list"),
            ("a page without exit status 3", check_authconform,
             mutate(page1, os.path.join(tmp, "d.1"), ".B 3\n"), authconform,
             "not documented: 3"),
            ("a page with an unknown macro", check_authconform,
             mutate(page1, os.path.join(tmp, "e.1"), ".SH EXAMPLES\n", ".SH EXAMPLES\n.XX\n"),
             authconform,
             "renders without warnings"),
            ("a page without authref's --port-file", check_authref,
             mutate(page8, os.path.join(tmp, "f.8"), "\\-\\-port\\-file"), authref,
             "--port-file"),
            ("a page without DATABASE_URL", check_authref,
             mutate(page8, os.path.join(tmp, "g.8"), ".B DATABASE_URL\n"), authref,
             "DATABASE_URL"),
        ]
        for what, check, path, program, expected in mutations:
            caught = [f"{name}: {problem}" for name, problem in check(program, path)
                      if problem is not None]
            hit = any(expected in line for line in caught)
            results.append((f"{what} is caught",
                            None if hit else f"not caught (problems seen: {caught})"))
    return report(results)


if __name__ == "__main__":
    sys.exit(main())
