#!/usr/bin/env python3
"""tests/secrets/run_secrets.py BINARY - secret hygiene.

For every known token shape (GitHub ghp_/gho_/ghu_/ghs_/ghr_/github_pat_,
GitLab glpat-, Bitbucket ATBB, Atlassian ATATT, a JWT, Basic credentials,
URL userinfo, ?access_token=, Slack xox?-), a set of hooks is written with
the token planted in every input field: the name, the target_url's path,
query and userinfo, every header name and value, body strings at every
depth and as a member name, the trigger conditions (path and accepted
values), the events, the pipeline_id. HOOKDOCTOR_PROVIDER_TOKEN and
DEVOPNESS_API_TOKEN hold the token too (for "known-from-env", a value of no
known shape, that is the only way hookdoctor knows it is a secret). Then every output hookdoctor has is
searched for it: check in every --format, -v and -q, render in every --as,
the report files (report -o), and stderr of error paths that quote input
(invalid JSON around the token, --var, --only, --provider, --api-token,
an unreachable API, and the token typed as every option's value, as an
operand, in the API URL's userinfo or query). A token is found when its secret part (at least 12
characters of it, see needles()) appears anywhere.

Finally, hookdoctor must run no other program (so a token can never reach
another process's argv): strace -f -e trace=execve shows exactly one
execve, hookdoctor's own (under valgrind, also those of valgrind and its
tool, which the wrapper of tests/valgrind.sh starts).

Tokens are made here from a fixed seed: none is written in this file.
Prints "ok - ..."/"not ok - ..." and ends with "N passed, N failed".
"""
import base64
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from slowdown import factor  # noqa: E402

SLOW = factor()
# Under valgrind (tests/valgrind.sh) BINARY is a wrapper script that execs
# valgrind, which execs its tool: those execve calls are the launcher's,
# not hookdoctor's, and the strace test leaves them out.
UNDER_VALGRIND = os.environ.get("HD_UNDER_VALGRIND") == "1"
# Under valgrind each run pays seconds of start-up, and 14 shapes x 23 runs
# would make this suite alone take a quarter of an hour: the first shape
# gets every run, the others the runs below (every input field read, JSON
# and text printed with -v, a request rendered, the report files, an
# error message, a token option), unless HD_VALGRIND_FULL=1. Redaction of
# each shape is also proven by tests/unit/test_redact.c, which valgrind runs.
VALGRIND_RUNS = {"check text -v", "check json -v", "render curl", "report",
                 "invalid JSON around it", "--api-token"}
NARROW = UNDER_VALGRIND and os.environ.get("HD_VALGRIND_FULL") != "1"
RND = random.Random(7)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def rand(n, alphabet=ALNUM):
    return "".join(RND.choice(alphabet) for _ in range(n))


def b64url(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def shapes():
    """(name, text planted, [secret parts that must not appear])."""
    out = []
    for p in ("gh" + "p_", "gh" + "o_", "gh" + "u_", "gh" + "s_", "gh" + "r_"):
        core = rand(36)
        out.append((p.rstrip("_"), p + core, [core]))
    core = rand(22) + "_" + rand(59)
    out.append(("github_pat", "github" + "_pat_" + core, [core[:30], core[-30:]]))
    core = rand(20)
    out.append(("glpat", "gl" + "pat-" + core, [core]))
    core = rand(28)
    out.append(("ATBB", "AT" + "BB" + core, [core]))
    core = rand(60, ALNUM + "_-=")
    out.append(("ATATT", "AT" + "ATT3x" + core, [core[:30]]))
    head = b64url(b'{"alg":"HS256","typ":"JWT"}')
    body = b64url(json.dumps({"sub": rand(10), "exp": 4102444800}).encode())
    sig = b64url(bytes(RND.randrange(256) for _ in range(32)))
    out.append(("JWT", "%s.%s.%s" % (head, body, sig), [body, sig]))
    user, pw = "deployer", rand(20)
    cred = base64.b64encode(("%s:%s" % (user, pw)).encode()).decode()
    out.append(("Basic", "Basic " + cred, [cred, pw]))
    pw = rand(20)
    out.append(("userinfo", "https://deployer:%s@ci.example.com/hook" % pw, [pw]))
    val = rand(32)
    out.append(("access_token", "https://ci.example.com/cb?access_token=%s&x=1" % val, [val]))
    core = "%s-%s-%s" % (rand(11, "0123456789"), rand(12, "0123456789"), rand(24))
    out.append(("slack", "xo" + "xb-" + core, [core[-24:]]))
    # Issue 7: a credential repeated in one string was masked at its first
    # copy only; and a value with no shape at all is a secret everywhere
    # once it is known (here: from HOOKDOCTOR_PROVIDER_TOKEN).
    pw = rand(20)
    out.append(("userinfo-twice",
                "https://deployer:%s@ci.example.com/deployer:%s@x/?next=deployer:%s"
                % (pw, pw, pw), [pw]))
    user, pw = "deployer", rand(20)
    cred = base64.b64encode(("%s:%s" % (user, pw)).encode()).decode()
    out.append(("Basic-twice", "Basic %s then %s:%s and %s" % (cred, user, pw, cred),
                [cred, pw]))
    val = rand(24, "abcdefghijklmnopqrstuvwxyz")
    out.append(("known-from-env", val, [val]))
    return out


with open(os.path.join(ROOT, "docs", "examples", "github.json"), encoding="utf-8") as f:
    BASE = json.load(f)[0]


def hooks_for(t):
    """Hooks with t in every field; one of them fires normally so that
    render prints requests, others carry t where it stops firing."""
    def base():
        return json.loads(json.dumps(BASE))

    a = base()
    a["name"] = "deploy %s" % t
    a["target_url"] = BASE["target_url"].replace("/statuses/", "/statuses/%s/" % t, 1)
    a["settings"]["request_headers"] = [
        {"name": "Authorization", "value": "Bearer %s" % t},
        {"name": "PRIVATE-TOKEN", "value": t},
        {"name": "X-Note", "value": "note %s here" % t},
        {"name": t, "value": "value"},
        {"name": "Content-Type", "value": "application/json"},
    ]
    a["settings"]["request_body"] = {
        "state": "pending",
        "description": "started %s" % t,
        "context": t,
        "target_url": "https://app.devopness.com/actions/{{ action.id }}?%s" % t,
        "nested": {"deep": [{"deeper": t, "list": [t, {"x": "y %s" % t}]}]},
        t: "as member name",
    }
    a["trigger_when"]["conditions"] = [
        {"path": "action.status", "accepted_values": ["in-progress", t]},
        {"path": t, "accepted_values": [t]},
    ]
    b = base()
    b["name"] = t
    b["target_url"] = BASE["target_url"] + "?access_token=" + t
    b["trigger_when"]["events"] = ["action.started", t]
    c = base()
    c["target_url"] = BASE["target_url"].replace("https://", "https://%s@" % t, 1)
    c["pipeline_id"] = t
    c["settings"]["request_body"] = "{\"state\": \"pending\", \"description\": \"%s\"}" % t
    d = base()
    d["target_url"] = "https://api.github.com/repos/acme/%s/statuses/{{ action.id }}" % t
    return [a, b, c, d]


def run(binary, args, env, cwd, stdin=None):
    p = subprocess.run([binary] + args, cwd=cwd, env=env, stdin=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120 * SLOW)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def found(text, needles):
    for n in needles:
        # the needle itself, and any 16-character piece of a long one
        if n in text:
            return n
        if len(n) >= 24:
            for i in range(0, len(n) - 16, 4):
                if n[i:i + 16] in text:
                    return n[i:i + 16]
    return None


def main():
    if len(sys.argv) < 2:
        print("usage: run_secrets.py BINARY", file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="hd-secrets-")
    passed = failed = 0

    def result(ok, name, why=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok - %s" % name)
        else:
            failed += 1
            print("not ok - %s%s" % (name, ": " + why if why else ""))

    try:
        for i, (shape, t, needles) in enumerate(shapes()):
            path = os.path.join(work, "hooks-%s.json" % shape)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(hooks_for(t), f, indent=1)
            bad = os.path.join(work, "bad-%s.json" % shape)
            with open(bad, "w", encoding="utf-8") as f:
                f.write('{"name": %s, "target_url": "x"}\n' % t)
            bad2 = os.path.join(work, "bad2-%s.json" % shape)
            with open(bad2, "w", encoding="utf-8") as f:
                f.write('{"name": "%s",\n}\n' % t)
            env = dict(os.environ, NO_COLOR="1", HOOKDOCTOR_PROVIDER_TOKEN=t,
                       DEVOPNESS_API_TOKEN=t)
            out = os.path.join(work, "report-%s" % shape)
            runs = [
                ("check text", ["check", "--offline", "--file", path]),
                ("check text -v", ["check", "--offline", "-v", "--file", path]),
                ("check text -q", ["check", "--offline", "-q", "--file", path]),
                ("check json", ["check", "--offline", "--format", "json", "--file", path]),
                ("check json -v", ["check", "--offline", "--format", "json", "-v", "--file", path]),
                ("check markdown", ["check", "--offline", "--format", "markdown", "-v", "--file", path]),
                ("check junit", ["check", "--offline", "--format", "junit", "-v", "--file", path]),
                ("check sarif", ["check", "--offline", "--format", "sarif", "-v", "--file", path]),
                ("check stdin", ["check", "--offline", "-v", "--file", "-"]),
                ("render http", ["render", "--as", "http", "--file", path]),
                ("render curl", ["render", "--as", "curl", "--file", path]),
                ("render json", ["render", "--as", "json", "--file", path]),
                ("render every status", ["render", "--as", "http", "--status", "completed", "--file", path]),
                ("report", ["report", "--offline", "--file", path, "-o", out]),
                ("invalid JSON around it", ["check", "--offline", "--file", bad]),
                ("trailing comma after it", ["check", "--offline", "--file", bad2]),
                # the example, whose body links to {{ action.id }}
                ("--var value", ["render", "--as", "curl", "--var", "action.id=%s" % t,
                                 "--file", os.path.join(ROOT, "docs", "examples", "github.json")]),
                ("--var value json", ["check", "--offline", "--format", "json", "-v",
                                      "--var", "action.id=%s" % t,
                                      "--file", os.path.join(ROOT, "docs", "examples", "github.json")]),
                ("--var path", ["render", "--var", "%s=1" % t, "--file", path]),
                ("--only", ["check", "--offline", "--only", t, "--file", path]),
                ("--provider", ["check", "--offline", "--provider", t, "--file", path]),
                ("--api-token", ["check", "--pipeline", "4242", "--api-token", t,
                                 "--api-url", "http://127.0.0.1:9", "--timeout", "2"]),
                ("unreachable API", ["check", "--pipeline", "4242",
                                     "--api-url", "http://127.0.0.1:9", "--timeout", "2"]),
                # a token mistyped where a value or an operand goes: every
                # usage error quotes what was typed, redacted
                ("--api-url userinfo", ["check", "--pipeline", "4242",
                                        "--api-url", "https://u:%s@127.0.0.1:9" % t]),
                ("--api-url query", ["check", "--pipeline", "4242",
                                     "--api-url", "https://127.0.0.1:9/?token=%s" % t]),
                ("--api-url scheme", ["check", "--pipeline", "4242",
                                      "--api-url", "ftp://u:%s@127.0.0.1:9" % t]),
                ("--provider-api-url", ["check", "--offline", "--provider-api-url", t, "--file", path]),
                ("--timeout", ["check", "--offline", "--timeout", t, "--file", path]),
                ("--format", ["check", "--offline", "--format", t, "--file", path]),
                ("--color", ["check", "--offline", "--color", t, "--file", path]),
                ("--as", ["render", "--as", t, "--file", path]),
                ("--status", ["render", "--status", t, "--file", path]),
                ("--event", ["render", "--event", t, "--file", path]),
                ("--hook", ["check", "--pipeline", "4242", "--hook", t,
                            "--api-url", "http://127.0.0.1:9", "--timeout", "2"]),
                ("--action", ["check", "--pipeline", "4242", "--action", t,
                              "--api-url", "http://127.0.0.1:9", "--timeout", "2"]),
                ("save --pipeline", ["save", "--pipeline", t, "--file", path]),
                ("second operand", ["check", "--offline", path, t]),
                ("unknown option", ["check", "--offline", "--" + t, "--file", path]),
            ]
            for label, args in runs:
                if NARROW and i > 0 and label not in VALGRIND_RUNS:
                    continue
                stdin = None
                if args[-1] == "-":
                    stdin = open(path, "rb")
                try:
                    rc, so, se = run(binary, args, env, work, stdin)
                finally:
                    if stdin:
                        stdin.close()
                texts = [("stdout", so), ("stderr", se)]
                if label == "report":
                    for ext in (".md", ".json", ".html"):
                        if os.path.exists(out + ext):
                            with open(out + ext, encoding="utf-8", errors="replace") as f:
                                texts.append(("file" + ext, f.read()))
                why = []
                if rc < 0 or rc == 3 or "Sanitizer" in se:
                    why.append("exit %d %s" % (rc, se.strip()[-200:]))
                for where, text in texts:
                    n = found(text, needles)
                    if n:
                        i = text.find(n)
                        line = text[max(0, text.rfind("\n", 0, i) + 1):text.find("\n", i) if text.find("\n", i) >= 0 else len(text)]
                        why.append("%s holds %s...: %r" % (where, n[:6], line[:200]))
                result(not why, "%s: %s" % (shape, label), "; ".join(why))

        # Known secrets are complete before anything is printed: every
        # hook is loaded by the validation pass first, so a value known
        # only from the LAST hook's Authorization header (no shape, no
        # name: nothing else would mask it) is masked in the name and
        # body of the 40 hooks before it, checked in parallel.
        sec = "Zq" + rand(20)
        order = []
        for i in range(40):
            order.append({
                "name": "b%d uses %s in text" % (i, sec), "type": "out", "pipeline_id": 1,
                "target_url": "https://api.github.com/repos/o/r/statuses/x%d" % i,
                "settings": {"request_headers": [{"name": "Authorization", "value":
                                                  "Bearer {{ application.source_provider.access_token }}"}],
                             "request_body": {"state": "pending", "context": "ci%d" % i,
                                              "description": "deploy %s" % sec}},
                "trigger_when": {"events": ["action.started"]}})
        order.append({
            "name": "the hook that holds it", "type": "out", "pipeline_id": 1,
            "target_url": "https://api.github.com/repos/o/r/statuses/y",
            "settings": {"request_headers": [{"name": "Authorization", "value": "Bearer " + sec}],
                         "request_body": {"state": "pending", "context": "last", "description": "d"}},
            "trigger_when": {"events": ["action.started"]}})
        path = os.path.join(work, "order.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(order, f, indent=1)
        env = dict(os.environ, NO_COLOR="1")
        env.pop("HOOKDOCTOR_PROVIDER_TOKEN", None)
        env.pop("DEVOPNESS_API_TOKEN", None)
        for label, args in [("text", ["check", "--offline", "-v", "--file", path]),
                            ("json", ["check", "--offline", "--format", "json", "-v", "--file", path]),
                            ("sarif", ["check", "--offline", "--format", "sarif", "--file", path]),
                            ("render", ["render", "--as", "curl", "--file", path])]:
            rc, so, se = run(binary, args, env, work)
            masked = so.count("***(sha256:")
            result(rc in (0, 1) and sec not in so and sec not in se and masked > 0,
                   "known from a later hook: %s" % label,
                   "exit %d, %s in the output, %d masks" % (rc, "secret" if sec in so + se else "nothing", masked))

        # No other program runs: a token can never reach an argv.
        strace = shutil.which("strace")
        if not strace:
            result(True, "no subprocess: skipped, strace is not installed")
        else:
            shape, t, needles = shapes()[0]
            path = os.path.join(work, "hooks-%s.json" % shape)
            env = dict(os.environ, NO_COLOR="1", HOOKDOCTOR_PROVIDER_TOKEN=t, DEVOPNESS_API_TOKEN=t)
            for label, args in [("check", ["check", "--offline", "-v", "--file", path]),
                                ("render", ["render", "--as", "curl", "--file", path]),
                                ("report", ["report", "--offline", "--file", path, "-o", os.path.join(work, "r")]),
                                ("api", ["check", "--pipeline", "4242", "--api-url", "http://127.0.0.1:9", "--timeout", "2"])]:
                log = os.path.join(work, "strace.log")
                subprocess.run([strace, "-f", "-qq", "-e", "trace=execve", "-o", log, binary] + args,
                               cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120 * SLOW)
                with open(log, encoding="utf-8", errors="replace") as f:
                    calls = [l for l in f if "execve(" in l]
                if UNDER_VALGRIND:
                    calls = [c for c in calls if not re.search(r'execve\("[^"]*/(valgrind[^"/]*|memcheck-[^"/]*)"', c)]
                others = [c for c in calls if binary not in c]
                result(len(calls) == 1 and not others, "no subprocess: %s runs no other program" % label,
                       "%d execve: %r" % (len(calls), [c.strip()[:160] for c in calls]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
