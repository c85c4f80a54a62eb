#!/usr/bin/env python3
"""run_cases.py - runs the data-driven cases in tests/cases/*.case.

Usage: python3 tests/run_cases.py BINARY [CASE ...]

BINARY is the hookdoctor to test (./hookdoctor or build/hookdoctor-asan).
With CASE names (file names or stems) only those cases run.

A case file is a list of "key: value" lines; blank lines and lines starting
with "#" are ignored. Keys:

  title: one line, printed in the result ("ok - title")
  args: the argument list, split like a shell would (shlex), e.g.
        check --offline --format json --file hooks/github-ok.json
        Paths are relative to tests/cases/, the directory every case runs in.
  stdin: a file (relative to tests/cases/) fed to standard input;
         without it standard input is empty (/dev/null)
  env: NAME=value, set for this case (repeatable); NO_COLOR=1 is always set
  exit: the expected exit status (required)
  expect: SELECTOR ID STATUS   the status of one check in --format json output
        SELECTOR: #N       hook N (0-based) of "hooks"
                  #*       any hook
                  pipeline any group of "pipeline_checks"
                  (omitted: #0)
        STATUS:   pass | warn | fail | skip
                  absent   the check is not in that report
                  not-run  absent or skip (what --only/--skip may do)
                  problem  warn or fail
        e.g.  expect: #0 HD308 fail
              expect: pipeline HD403 fail
              expect: HD404 pass
  json: PATH OP [VALUE]        a value of the stdout JSON document
        PATH: dotted keys and array indexes, "." for the root,
              e.g. hooks.0.provider, 0.headers.1.name, summary.fail
        OP:   = VALUE (compared as text; numbers compare as numbers)
              != VALUE, contains VALUE, exists, len N
  stdout-contains: text     (repeatable; every one must be present)
  stdout-not-contains: text (repeatable)
  stdout-matches: regex     (Python re, searched, MULTILINE)
  stderr-contains: text
  stderr-not-contains: text
  stderr-matches: regex
  stdout-empty: yes         nothing at all on stdout

`expect:` and `json:` lines need stdout to be exactly one JSON document
(run with --format json or render --as json): a case fails when it is not.

Prints "ok - title" or "not ok - title: reason" for each case, then
"N passed, N failed". Exits 1 when a case failed, or when no case ran.
"""

import json
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")
sys.path.insert(0, HERE)
from slowdown import factor  # noqa: E402

# How long one case may run; times tests/slowdown.py's factor (under
# valgrind, tests/valgrind.sh).
TIMEOUT = 60 * factor()
STATUSES = ("pass", "warn", "fail", "skip", "absent", "not-run", "problem")


class CaseError(Exception):
    pass


def parse_case(path):
    case = {"env": [], "expect": [], "json": [], "stdout-contains": [],
            "stdout-not-contains": [], "stdout-matches": [],
            "stderr-contains": [], "stderr-not-contains": [],
            "stderr-matches": []}
    single = ("title", "args", "stdin", "exit", "stdout-empty")
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition(":")
            key = key.strip()
            if not sep:
                raise CaseError("%s:%d: not a 'key: value' line" % (path, n))
            value = value[1:] if value.startswith(" ") else value
            if key in single:
                if key in case:
                    raise CaseError("%s:%d: %s given twice" % (path, n, key))
                case[key] = value.strip()
            elif key in case:
                case[key].append(value)
            else:
                raise CaseError("%s:%d: unknown key %r" % (path, n, key))
    for k in ("title", "args", "exit"):
        if k not in case:
            raise CaseError("%s: missing %s:" % (path, k))
    try:
        case["exit"] = int(case["exit"])
    except ValueError:
        raise CaseError("%s: exit: is not a number" % path)
    return case


def find_check(doc, selector, check_id):
    """Returns the list of statuses of check_id in the selected reports."""
    if not isinstance(doc, dict):
        raise CaseError("stdout JSON is not an object with hooks")
    if selector == "pipeline":
        reports = doc.get("pipeline_checks")
    else:
        reports = doc.get("hooks")
    if not isinstance(reports, list):
        raise CaseError("stdout JSON has no %s array" %
                        ("pipeline_checks" if selector == "pipeline" else "hooks"))
    if selector.startswith("#") and selector != "#*":
        try:
            i = int(selector[1:])
        except ValueError:
            raise CaseError("bad selector %r" % selector)
        if i >= len(reports):
            raise CaseError("no hook %s in the report (%d hooks)" %
                            (selector, len(reports)))
        reports = [reports[i]]
    found = []
    for r in reports:
        for c in (r.get("checks") or []) if isinstance(r, dict) else []:
            if isinstance(c, dict) and str(c.get("id", "")).upper() == check_id.upper():
                found.append(c.get("status"))
    return found


def check_expect(doc, spec):
    parts = spec.split()
    if len(parts) == 2:
        parts.insert(0, "#0")
    if len(parts) != 3 or parts[2] not in STATUSES:
        raise CaseError("bad expect: %r" % spec)
    selector, check_id, want = parts
    got = find_check(doc, selector, check_id)
    if want == "absent":
        ok = not got
    elif want == "not-run":
        ok = all(s == "skip" for s in got)
    elif want == "problem":
        ok = any(s in ("warn", "fail") for s in got)
    else:
        ok = want in got
    if not ok:
        raise CaseError("expected %s %s %s, got %s" %
                        (selector, check_id, want,
                         "/".join(map(str, got)) if got else "absent"))


def json_get(doc, path):
    node = doc
    if path == ".":
        return node
    for part in path.split("."):
        if isinstance(node, list):
            try:
                node = node[int(part)]
            except (ValueError, IndexError):
                raise KeyError(path)
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise KeyError(path)
    return node


def as_text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def check_json(doc, spec):
    parts = spec.split(None, 2)
    if len(parts) < 2:
        raise CaseError("bad json: %r" % spec)
    path, op = parts[0], parts[1]
    value = parts[2] if len(parts) > 2 else None
    try:
        got = json_get(doc, path)
    except KeyError:
        if op == "exists":
            raise CaseError("json %s does not exist" % path)
        raise CaseError("json %s: no such path" % path)
    if op == "exists":
        return
    if value is None:
        raise CaseError("bad json: %r (no value)" % spec)
    if op in ("=", "!="):
        equal = as_text(got) == value
        if op == "=" and not equal:
            raise CaseError("json %s is %r, want %r" % (path, as_text(got), value))
        if op == "!=" and equal:
            raise CaseError("json %s is %r" % (path, value))
    elif op == "contains":
        if value not in as_text(got):
            raise CaseError("json %s (%r) does not contain %r" %
                            (path, as_text(got)[:200], value))
    elif op == "len":
        if not isinstance(got, (list, dict, str)) or len(got) != int(value):
            raise CaseError("json %s has length %s, want %s" %
                            (path, len(got) if hasattr(got, "__len__") else "?", value))
    else:
        raise CaseError("bad json operator %r" % op)


def short(text, n=300):
    text = text.strip()
    return text if len(text) <= n else text[:n] + "..."


def run_case(binary, case):
    args = shlex.split(case["args"])
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    for e in case["env"]:
        name, _, value = e.strip().partition("=")
        env[name] = value
    stdin = subprocess.DEVNULL
    if "stdin" in case:
        stdin = open(os.path.join(CASES, case["stdin"]), "rb")
    try:
        p = subprocess.run([binary] + args, cwd=CASES, stdin=stdin,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise CaseError("timed out after %d s" % TIMEOUT)
    finally:
        if stdin is not subprocess.DEVNULL:
            stdin.close()
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")

    # A sanitizer report is a failure whatever the exit status says.
    if "ERROR: AddressSanitizer" in err or "ERROR: LeakSanitizer" in err \
            or "runtime error:" in err:
        raise CaseError("sanitizer: " + short(err, 800))
    if p.returncode != case["exit"]:
        raise CaseError("exit %d, want %d; stderr: %s" %
                        (p.returncode, case["exit"], short(err)))
    if case.get("stdout-empty", "").lower() in ("yes", "true", "1") and out:
        raise CaseError("stdout not empty: " + short(out))
    for s in case["stdout-contains"]:
        if s not in out:
            raise CaseError("stdout lacks %r; stdout: %s" % (s, short(out)))
    for s in case["stdout-not-contains"]:
        if s in out:
            raise CaseError("stdout contains %r" % s)
    for r in case["stdout-matches"]:
        if not re.search(r, out, re.M):
            raise CaseError("stdout does not match /%s/; stdout: %s" % (r, short(out)))
    for s in case["stderr-contains"]:
        if s not in err:
            raise CaseError("stderr lacks %r; stderr: %s" % (s, short(err)))
    for s in case["stderr-not-contains"]:
        if s in err:
            raise CaseError("stderr contains %r" % s)
    for r in case["stderr-matches"]:
        if not re.search(r, err, re.M):
            raise CaseError("stderr does not match /%s/; stderr: %s" % (r, short(err)))
    if case["expect"] or case["json"]:
        try:
            doc = json.loads(out)
        except ValueError as e:
            raise CaseError("stdout is not one JSON document (%s): %s" % (e, short(out)))
        for spec in case["expect"]:
            check_expect(doc, spec)
        for spec in case["json"]:
            check_json(doc, spec)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: run_cases.py BINARY [CASE ...]\n")
        return 2
    binary = os.path.abspath(argv[1])
    if not os.access(binary, os.X_OK):
        sys.stderr.write("run_cases.py: %s: not an executable\n" % argv[1])
        print("0 passed, 1 failed")
        return 1
    names = sorted(f for f in os.listdir(CASES) if f.endswith(".case"))
    if len(argv) > 2:
        want = {os.path.basename(a).replace(".case", "") for a in argv[2:]}
        names = [n for n in names if n[:-5] in want]
    passed = failed = 0
    for name in names:
        path = os.path.join(CASES, name)
        title = name[:-5]
        try:
            case = parse_case(path)
            title = "%s: %s" % (name[:-5], case["title"])
            run_case(binary, case)
        except CaseError as e:
            failed += 1
            print("not ok - %s: %s" % (title, e))
            continue
        passed += 1
        print("ok - %s" % title)
    if passed + failed == 0:
        print("run_cases.py: no case ran", file=sys.stderr)
        failed = 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
