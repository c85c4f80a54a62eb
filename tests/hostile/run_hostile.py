#!/usr/bin/env python3
"""tests/hostile/run_hostile.py BINARY [NAME...] - hostile inputs.

Generates each hostile input at test time (nothing large is committed) in a
temporary directory, runs BINARY on it and checks what a diagnostic tool
must do with the worst inputs: exit 2 with a one-line message naming the
file (unusable input) or exit 0/1 with a report (a finding), never a crash
(a signal, exit 3, a sanitizer report), within a time limit and a peak
memory bound measured with getrusage of the child (ru_maxrss).

Each case is (name, bytes or generator, expected exit codes, a regular
expression stderr or stdout must match, peak RSS bound in MiB, extra
checks). Prints "ok - NAME: ..." / "not ok - NAME: ..." and ends with
"N passed, N failed". HD_HOSTILE_QUICK=1 (set for the sanitizer binary by
tests/run.sh) leaves out the 100 MB files and the 10,000 hooks, does not
bound memory (ASan's shadow memory is not hookdoctor's) and allows five
times the time. Under valgrind (HD_UNDER_VALGRIND=1, tests/valgrind.sh,
which also sets HD_HOSTILE_QUICK=1) the time limits are further multiplied
by the factor of tests/slowdown.py.

The peak RSS is ru_maxrss of the child, which Linux takes as at least that
of the process it was started from (about 27 MiB of Python here), so the
figures for small inputs are that floor, not hookdoctor's own.
"""
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from slowdown import factor  # noqa: E402

SLOW = factor()
MIB = 1024 * 1024

with open(os.path.join(ROOT, "docs", "examples", "github.json"), encoding="utf-8") as f:
    EXAMPLES = json.load(f)
BASE = EXAMPLES[0]


def hook(**kw):
    h = json.loads(json.dumps(BASE))
    h.update(kw)
    return h


def dump(h):
    return json.dumps(h).encode()


def with_body(**members):
    h = hook()
    h["settings"]["request_body"].update(members)
    return h


def with_header(name, value):
    h = hook()
    h["settings"]["request_headers"].append({"name": name, "value": value})
    return h


CRLF = "x\r\nInjected: 1\r\n\r\nbody"


def crlf_everywhere():
    h = hook(name=BASE["name"] + CRLF, target_url=BASE["target_url"] + CRLF)
    for hd in h["settings"]["request_headers"]:
        hd["name"] += CRLF
        hd["value"] += CRLF
    for k in h["settings"]["request_body"]:
        h["settings"]["request_body"][k] += CRLF
    c = h["trigger_when"]["conditions"][0]
    c["path"] += CRLF
    c["accepted_values"][0] += CRLF
    h["trigger_when"]["events"][0] += CRLF
    return dump(h)


def crlf_firing():
    """CR/LF in every field but the events, so the hook fires and every
    form of render prints it."""
    h = hook(name=BASE["name"] + CRLF, target_url=BASE["target_url"] + CRLF)
    for hd in h["settings"]["request_headers"]:
        hd["value"] += CRLF
    h["settings"]["request_headers"].append({"name": "X-A" + CRLF, "value": "v"})
    for k in h["settings"]["request_body"]:
        h["settings"]["request_body"][k] += CRLF
    return dump(h)


# Invisible and reordering characters (utf8_hidden_char in src/util.c): a
# right-to-left override, zero-width space, NEL (a C1 control) and the
# line separator. No human-facing output may hold them raw; the JSON
# report escapes them as \uXXXX (the same characters to a parser).
HIDDEN = "\u202e\u200b\u0085\u2028"
NO_HIDDEN = "(?s)^(?!.*[\u202e\u200b\u0085\u2028])"


def hidden_firing():
    """The hidden characters in the name, headers, body and context; the
    hook still fires, so every form of render prints it."""
    h = hook(name=BASE["name"] + HIDDEN, target_url=BASE["target_url"] + HIDDEN)
    # not in the Authorization header: a literal there is a secret, masked
    h["settings"]["request_headers"].append({"name": "X-Note", "value": "a" + HIDDEN})
    for k in h["settings"]["request_body"]:
        h["settings"]["request_body"][k] += HIDDEN
    return dump(h)


def dup_members_30000():
    """A body of 30,000 members, each name twice (Python dicts cannot
    hold that: the text is spliced)."""
    members = ", ".join('"k%d": %d' % (i % 15000, i) for i in range(30000))
    return dump(with_body(x="DUPS")).replace(b'"x": "DUPS"', members.encode())


def deep_body():
    return dump(with_body(x="DEEP")).replace(b'"DEEP"', b"[" * 100000 + b"]" * 100000)


def number(member_json):
    """The example with pipeline_id replaced by literal JSON number text."""
    return dump(hook(pipeline_id=424242)).replace(b"424242", member_json)


def many_hooks(n):
    out = []
    for i in range(n):
        h = json.loads(json.dumps(EXAMPLES[i % len(EXAMPLES)]))
        h["name"] = "%s #%d" % (h.get("name", "hook"), i)
        out.append(h)
    return json.dumps(out).encode()


def big_string_hook():
    """One hook of 100 MB: a 100 MB description."""
    head = dump(with_body(description="@@BIG@@"))
    a, b = head.split(b"@@BIG@@")
    return a + b"x" * (100 * MIB) + b


def big_padding():
    """A normal hook after 100 MB of whitespace."""
    return b" " * (100 * MIB) + dump(BASE)


def big_many_hooks():
    """100 MB of hooks of 1 MB each (just under the per-hook limit)."""
    h = dump(with_body(description="@@BIG@@"))
    a, b = h.split(b"@@BIG@@")
    one = a + b"d" * (1000 * 1000) + b
    return b"[" + b",".join([one] * 100) + b"]"


def four_big_hooks():
    """Four hooks of 1 MB: a batch ends once it holds 2 MiB of input, so
    they are two batches (three and one) although the slots would hold
    them all (the second batch's slots were once never allocated: a
    crash)."""
    h = dump(with_body(description="@@BIG@@"))
    a, b = h.split(b"@@BIG@@")
    one = a + b"d" * (1000 * 1000) + b
    return b"[" + b",".join([one] * 4) + b"]"


def bad_utf8(old, new):
    return dump(BASE).replace(old, new, 1)


# Inputs that are not bytes: generate() makes the case's file a link to
# /dev/zero, or a 300 MB sparse file.
ENDLESS = object()
SPARSE_300MB = object()

# name, input, expected exit codes, regex (on stderr for exit 2, else on
# stdout), peak RSS MiB, seconds, extra args, big (skipped when quick)
CASES = [
    # deep nesting
    ("deep-array-100000", b"[" * 100000 + b"]" * 100000, {2}, r"nesting deeper than 512 levels", 64, 10, None, False),
    ("deep-object-100000", b'{"a":' * 100000 + b"1" + b"}" * 100000, {2}, r"nesting deeper than 512 levels", 64, 10, None, False),
    ("deep-in-body-100000", deep_body, {2}, r"nesting deeper than 512 levels", 64, 10, None, False),
    ("deep-unclosed-100000", b"[" * 100000, {2}, r":1:513: nesting deeper", 64, 10, None, False),
    # 100 MB files
    ("big-100mb-one-hook", big_string_hook, {2}, r"the hook is \d+ bytes: hookdoctor reads hooks of up to 1024 KiB", 512, 30, None, True),
    ("big-100mb-padding", big_padding, {0, 1}, r'"hooks":\[', 512, 30, None, True),
    ("big-100mb-garbage", lambda: b"x" * (100 * MIB), {2}, r":1:1: unexpected text", 512, 30, None, True),
    ("big-100mb-100-hooks", big_many_hooks, {1}, r'"summary"', 512, 120, None, True),
    ("four-1mb-hooks-two-batches", four_big_hooks, {1}, r'"hooks":4\}\}\s*$', 128, 20, None, False),
    # more than a file may hold: refused before it is read; and an input
    # without end (the case's file is a link to /dev/zero)
    ("big-300mb-sparse", SPARSE_300MB, {2}, r"\d+ bytes: hookdoctor reads files of up to 256 MiB", 64, 10, None, False),
    ("endless-dev-zero", ENDLESS, {2}, r"more than 256 MiB read: hookdoctor reads files of up to 256 MiB", 300, 30, None, True),
    # NUL bytes
    ("nul-raw-in-string", dump(BASE).replace(b"GitHub commit", b"GitHub\x00commit", 1), {2}, r"raw control character 0x00 inside a string", 64, 10, None, False),
    ("nul-escaped-in-name", dump(hook(name="a\u0000b")), {1}, r'"id":"HD114","name":"hook-schema","status":"fail","message":"name \(1:\d+\): a \\\\u0000 \(NUL\) escape', 64, 10, None, False),
    ("nul-after-document", dump(BASE) + b"\x00", {2}, r"unexpected text after the end of the JSON document", 64, 10, None, False),
    ("nul-only", b"\x00" * 1000, {2}, r"a NUL byte: is this a binary or UTF-16 file", 64, 10, None, False),
    # invalid UTF-8
    ("utf8-invalid-byte", bad_utf8(b"GitHub commit", b"GitHub \xff\xfe commit"), {2}, r":1:\d+: invalid UTF-8 \(byte 0xFF\)", 64, 10, None, False),
    ("utf8-overlong", bad_utf8(b"GitHub commit", b"GitHub \xc0\xaf commit"), {2}, r"invalid UTF-8 \(byte 0xC0\)", 64, 10, None, False),
    ("utf8-encoded-surrogate", bad_utf8(b"Deploy started", b"Deploy \xed\xa0\x80 started"), {2}, r"invalid UTF-8 \(byte 0xED\)", 64, 10, None, False),
    ("utf8-truncated-at-end", dump(BASE)[:-2] + b"\xe2\x82", {2}, r"invalid UTF-8|truncated|never closed|end of", 64, 10, None, False),
    ("utf16-file", json.dumps(BASE).encode("utf-16"), {2}, r"UTF-16", 64, 10, None, False),
    ("unpaired-surrogate-escape", dump(hook(name="\ud800x")), {2}, r"unpaired UTF-16 surrogate", 64, 10, None, False),
    # very long strings and header lines
    ("long-name-500k", dump(hook(name="n" * 500000)), {1}, r'"id":"HD107","name":"hook-name","status":"fail"', 64, 10, None, False),
    ("long-url-500k", dump(hook(target_url=BASE["target_url"] + "a" * 500000)), {1}, r'"summary"', 128, 10, None, False),
    ("long-header-value-1mb", dump(with_header("X-Long", "v" * MIB)), {2}, r"the hook is \d+ bytes", 64, 10, None, False),
    ("long-header-value-900k", dump(with_header("X-Long", "v" * 900000)), {0, 1}, r'"summary"', 128, 10, None, False),
    ("long-header-name-100k", dump(with_header("X" * 100000, "v")), {1}, r'"summary"', 64, 10, None, False),
    ("headers-20000", dump(hook(settings=dict(BASE["settings"], request_headers=[{"name": "X-%d" % (i % 50), "value": "v"} for i in range(20000)]))), {1}, r'"id":"HD306","name":"header-hygiene","status":"fail"', 128, 10, None, False),
    ("body-members-30000", dump(hook(settings=dict(BASE["settings"], request_body={"k%d" % i: "{{ action.id }}" for i in range(30000)}))), {1}, r'"id":"HD307"', 128, 10, None, False),
    ("events-50000", dump(hook(trigger_when={"events": ["action.started"] * 50000})), {0, 1}, r'"summary"', 128, 10, None, False),
    # CR/LF in every field: a finding, and no output line the hook wrote
    ("crlf-every-field-json", crlf_everywhere, {1}, r'"id":"HD108","name":"trigger-events","status":"fail"', 64, 10, None, False),
    ("crlf-every-field-text", crlf_everywhere, {1}, r"(?s)^(?!.*^Injected)(?!.*\r).*HD108", 64, 10, ["check", "--offline", "-v", "--color", "never", "--file"], False),
    ("crlf-render-http", crlf_firing, {0}, r"(?s)^(?!.*^Injected)(?!.*\r).*HTTP/1\.1", 64, 10, ["render", "--as", "http", "--file"], False),
    ("crlf-render-curl", crlf_firing, {0}, r"(?s)^(?!.*^Injected)(?!.*\r).*curl -sS", 64, 10, ["render", "--as", "curl", "--file"], False),
    ("crlf-render-json", crlf_firing, {0}, r"(?s)^(?!.*^Injected)(?!.*\r).*\"headers\"", 64, 10, ["render", "--as", "json", "--file"], False),
    ("crlf-markdown", crlf_firing, {1}, r"(?s)^(?!.*^Injected)(?!.*\r).*HD306", 64, 10, ["check", "--offline", "--format", "markdown", "--file"], False),
    # invisible and reordering characters: shown as \uXXXX, never raw
    ("hidden-chars-text", hidden_firing, {0, 1}, NO_HIDDEN + r".*\\u202e.*HD401", 64, 10, ["check", "--offline", "-v", "--color", "never", "--file"], False),
    ("hidden-chars-json", hidden_firing, {0, 1}, NO_HIDDEN + r'.*\\u202e.*"summary"', 64, 10, None, False),
    ("hidden-chars-markdown", hidden_firing, {0, 1}, NO_HIDDEN + r".*\\u202e.*HD401", 64, 10, ["check", "--offline", "--format", "markdown", "--file"], False),
    ("hidden-chars-junit", hidden_firing, {0, 1}, NO_HIDDEN + r".*\\u202e.*testsuite", 64, 10, ["check", "--offline", "--format", "junit", "--file"], False),
    ("hidden-chars-render-http", hidden_firing, {0}, NO_HIDDEN + r".*\\u202e.*HTTP/1\.1", 64, 10, ["render", "--as", "http", "--file"], False),
    ("hidden-chars-render-curl", hidden_firing, {0}, NO_HIDDEN + r".*curl -sS.*\$'\\xe2\\x80\\xae'", 64, 10, ["render", "--as", "curl", "--file"], False),
    # templates nested or unterminated
    ("template-nested", dump(with_body(context="{{ {{ action.id }} }}")), {1}, r'"id":"HD201","name":"template-syntax","status":"fail"', 64, 10, None, False),
    ("template-unterminated", dump(with_body(context="{{ action.id")), {1}, r'"id":"HD201".*never closed', 64, 10, None, False),
    ("template-200000-opens", dump(with_body(description="{{" * 200000)), {1}, r'"id":"HD201","name":"template-syntax","status":"fail"', 64, 10, None, False),
    ("template-20000-refs", dump(with_body(description="{{ action.commit_message }}" * 20000)), {1}, r'"id":"HD202","name":"template-variables","status":"fail"', 128, 10, None, False),
    ("template-triple-braces", dump(with_body(context="{{{ action.id }}}")), {1}, r'"id":"HD201".*\{\{\{', 64, 10, None, False),
    # 10,000 hooks (SPEC: 64 MiB)
    ("hooks-10000", lambda: many_hooks(10000), {0, 1}, r'"summary"', 64, 60, None, True),
    # more hooks than a file may hold (100,000): refused before any is
    # read, and the element ranges of a file of tiny elements stop there
    ("hooks-100001-empty", b"[" + b",".join([b"{}"] * 100001) + b"]", {2}, r":1:300002: hook \[100000\] is one too many: hookdoctor reads up to 100000 hooks a file", 64, 10, None, False),
    ("tiny-elements-100mb", lambda: b"[" + b",".join([b"1"] * (50 * MIB)) + b"]", {2}, r"hook \[100000\] is one too many", 512, 30, None, True),
    # numbers out of range
    ("number-1e999", number(b"1e999"), {1}, r'"id":"HD101","name":"pipeline-id","status":"fail"', 64, 10, None, False),
    ("number-1e-999", number(b"1e-999"), {1}, r'"id":"HD101","name":"pipeline-id","status":"fail"', 64, 10, None, False),
    ("number-30-digits", number(b"123456789012345678901234567890"), {0, 1}, r'"id":"HD101"', 64, 10, None, False),
    ("number-negative", number(b"-5"), {1}, r'"id":"HD101","name":"pipeline-id","status":"fail"', 64, 10, None, False),
    ("number-fraction", number(b"1.5"), {1}, r'"id":"HD101","name":"pipeline-id","status":"fail"', 64, 10, None, False),
    ("number-in-body-1e999", dump(with_body(description="@N@")).replace(b'"@N@"', b"1e999"), {1}, r'"summary"', 64, 10, None, False),
    ("number-accepted-values", dump(hook(trigger_when=dict(BASE["trigger_when"], conditions=[{"path": "action.status", "accepted_values": [1e308, -1e308, 2**70]}]))), {0, 1}, r'"summary"', 64, 10, None, False),
    # nothing usable
    ("empty-file", b"", {2}, r"empty input", 64, 10, None, False),
    ("bom-only", b"\xef\xbb\xbf", {2}, r"no JSON document", 64, 10, None, False),
    ("duplicate-members", dump(BASE).replace(b'"name":', b'"name": "a", "name":', 1), {1}, r'"id":"HD114","name":"hook-schema","status":"fail","message":"name \(1:2\): duplicate member', 64, 10, None, False),
    ("duplicate-members-30000", dup_members_30000, {1}, r'"id":"HD114".*duplicate member.*\(and more\)', 128, 10, None, False),
]

SANITIZER = re.compile(r"ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:|AddressSanitizer")


def run(binary, path, args, timeout):
    argv = [binary] + (args or ["check", "--offline", "--format", "json", "--file"]) + [path]
    env = dict(os.environ, NO_COLOR="1")
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        return None, out, err, time.monotonic() - t0, 0
    wall = time.monotonic() - t0
    # ru_maxrss of the children is the largest so far: measured in a fresh
    # helper process per case (see main), so it is this child's peak.
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return p.returncode, out, err, wall, rss


def generate(case, path):
    data = case[1]
    if data is ENDLESS:
        os.symlink("/dev/zero", path)
        return
    if data is SPARSE_300MB:
        with open(path, "wb") as f:
            f.truncate(300 * MIB)   # a hole: takes no disk
        return
    if callable(data):
        data = data()
    with open(path, "wb") as f:
        f.write(data)


def judge(binary, case, path):
    name, data, codes, regex, rss_max, secs, args, big = case
    if os.environ.get("HD_HOSTILE_QUICK") == "1":
        secs *= 5
    secs *= SLOW
    rc, out, err, wall, rss = run(binary, path, args, secs)
    text_err = err.decode("utf-8", "replace")
    text_out = out.decode("utf-8", "replace")
    why = []
    if rc is None:
        why.append("no answer within %d s" % secs)
    elif rc < 0:
        why.append("killed by signal %d" % -rc)
    elif rc not in codes:
        why.append("exit %d, expected %s" % (rc, "/".join(map(str, sorted(codes)))))
    if SANITIZER.search(text_err):
        why.append("sanitizer report: " + SANITIZER.search(text_err).group(0))
    hay = text_err if rc == 2 else text_out
    if rc is not None and not re.search(regex, hay, re.M):
        why.append("%s does not match /%s/: %r" % ("stderr" if rc == 2 else "stdout", regex, hay[:300]))
    if rc == 2:
        lines = [l for l in text_err.splitlines() if l.strip()]
        if len(lines) != 1 or os.path.basename(path) not in lines[0]:
            why.append("exit 2 wants one line naming the file: %r" % text_err[:300])
    if rss > rss_max and os.environ.get("HD_HOSTILE_QUICK") != "1":
        why.append("peak RSS %.1f MiB over %d MiB" % (rss, rss_max))
    fig = "exit %s, %.2f s, %.1f MiB" % (rc, wall, rss)
    return why, fig


def in_child(fn, *args):
    """Runs fn in a forked process and returns what it returns (JSON).
    The input is generated in one child and hookdoctor started from
    another: ru_maxrss of a child counts the memory of the process it was
    started from, which must not be the one that held 100 MB of input."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            msg = json.dumps(fn(*args))
        except Exception as e:  # a generator or runner bug
            msg = json.dumps([["runner error: %r" % e], ""])
        os.write(w, msg.encode())
        os._exit(0)
    os.close(w)
    chunks = []
    while True:
        c = os.read(r, 65536)
        if not c:
            break
        chunks.append(c)
    os.close(r)
    os.waitpid(pid, 0)
    try:
        return json.loads(b"".join(chunks).decode())
    except ValueError:
        return [["runner died"], ""]


def main():
    if len(sys.argv) < 2:
        print("usage: run_hostile.py BINARY [NAME...]", file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    only = set(sys.argv[2:])
    quick = os.environ.get("HD_HOSTILE_QUICK") == "1"
    work = tempfile.mkdtemp(prefix="hd-hostile-")
    passed = failed = 0
    try:
        for case in CASES:
            name, big = case[0], case[7]
            if only and name not in only:
                continue
            if big and quick:
                continue
            path = os.path.join(work, name + ".json")
            res = in_child(generate, case, path)
            if res is not None:
                why, fig = res
            else:
                why, fig = in_child(judge, binary, case, path)
            if os.path.exists(path):
                os.unlink(path)
            if why:
                failed += 1
                print("not ok - %s: %s (%s)" % (name, "; ".join(why), fig))
            else:
                passed += 1
                print("ok - %s: %s" % (name, fig))
            sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
