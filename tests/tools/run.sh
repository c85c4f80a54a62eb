#!/bin/sh
# tests/tools/run.sh - the helpers `make bench` measures with do what the
# bench's figures rely on: tools/bench-parse.c (parse-only: the cJSON
# floors) and tools/bench-spawn.c (spawn: each run's wall time, CPU time
# and peak memory). Both are built here with the project's warning flags.
#
# Prints "ok"/"not ok" lines and "N passed, N failed".

cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hookdoctor-tools.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }
check() { if [ "$1" = 0 ]; then ok "$2"; else notok "$2"; fi; }

CC=${CC:-cc}
FLAGS="-std=c11 -Wall -Wextra -Werror -O2"
# shellcheck disable=SC2046,SC2086
$CC $FLAGS -o "$tmp/parse-only" tools/bench-parse.c \
	$(pkg-config --cflags --libs libcjson) 2>"$tmp/cc.err"
check $? "tools/bench-parse.c builds with $FLAGS"
# shellcheck disable=SC2086
$CC $FLAGS -o "$tmp/spawn" tools/bench-spawn.c 2>>"$tmp/cc.err"
check $? "tools/bench-spawn.c builds with $FLAGS"
if [ ! -x "$tmp/parse-only" ] || [ ! -x "$tmp/spawn" ]; then
	cat "$tmp/cc.err"
	echo "$pass passed, $fail failed"
	exit 1
fi

# parse-only FILE...: one element count per file.
printf '[1, {"a": 2}, "x"]' >"$tmp/three.json"
printf '{"a": [1, 2]}' >"$tmp/one.json"
out=$("$tmp/parse-only" "$tmp/three.json" "$tmp/one.json" | tr '\n' ' ')
[ "$out" = "3 1 " ]
check $? "parse-only counts the elements of each file (got '$out')"

printf '[1, 2' >"$tmp/bad.json"
"$tmp/parse-only" "$tmp/bad.json" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q "bad.json is not JSON" "$tmp/err"
check $? "parse-only: a file that is not JSON is exit 2 naming it (exit $rc)"

# parse-only --print REPORT: the same JSON, compact, on stdout; the
# timing on stderr.
cat >"$tmp/report.json" <<'JSON'
{"tool": {"name": "hookdoctor", "version": "0.1.0"},
 "hooks": [{"name": "caf\u00e9 \"q\"", "checks": [{"id": "HD101", "ok": true,
   "hint": null, "n": 42, "list": ["a\nb", "c\\d"]}]}],
 "pipeline_checks": [], "summary": {"pass": 1, "fail": 0}}
JSON
"$tmp/parse-only" --print "$tmp/report.json" >"$tmp/printed" 2>"$tmp/err"
check $? "parse-only --print exits 0"
python3 - "$tmp/report.json" "$tmp/printed" <<'PY'
import json, sys
want = json.dumps(json.load(open(sys.argv[1])), separators=(",", ":"),
                  ensure_ascii=False)
got = open(sys.argv[2], encoding="utf-8").read()
sys.exit(0 if got == want else "printed %r, want %r" % (got, want))
PY
check $? "parse-only --print writes the report again, compact and equal"
grep -Eq '^print [0-9]+\.[0-9]{6} [0-9]+\.[0-9]{6}$' "$tmp/err"
check $? "parse-only --print times the print on stderr ($(cat "$tmp/err"))"

# JSON that cJSON prints longer than it is written (1e9 becomes
# 1000000000) does not fit the room --print gives: exit 2, said, and
# nothing written to stdout.
python3 -c 'print("[" + ",".join(["1e9"] * 200) + "]")' >"$tmp/grows.json"
"$tmp/parse-only" --print "$tmp/grows.json" >"$tmp/printed" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q "grows.json prints longer than it is written" "$tmp/err" &&
	[ ! -s "$tmp/printed" ]
check $? "parse-only --print: JSON that prints longer than the room is exit 2, named (exit $rc)"

# spawn: "EXIT WALL CPU PEAK_KIB" on stderr; the command's stdout is ours,
# its stderr goes nowhere.
fields='^[0-9]+ [0-9]+\.[0-9]{6} [0-9]+\.[0-9]{6} [0-9]+$'
out=$("$tmp/spawn" sh -c 'echo out; echo err >&2; exit 1' 2>"$tmp/err")
[ "$out" = out ] && grep -Eq "$fields" "$tmp/err" && grep -q '^1 ' "$tmp/err" &&
	! grep -q err "$tmp/err"
check $? "spawn passes stdout through, drops stderr, reports exit 1 ($(cat "$tmp/err"))"

"$tmp/spawn" sh -c 'kill -9 $$' 2>"$tmp/err"
grep -Eq "$fields" "$tmp/err" && grep -q '^137 ' "$tmp/err"
check $? "spawn reports a command killed by SIGKILL as 137 ($(cat "$tmp/err"))"

"$tmp/spawn" /nonexistent/command 2>"$tmp/err"
grep -q '^127 ' "$tmp/err"
check $? "spawn reports a command that cannot run as 127"

"$tmp/spawn" >/dev/null 2>&1
check $(($? != 2)) "spawn with no command is a usage error"

# The reason spawn exists: a child of a big process reports that process's
# peak through exec. From a python holding 200 MiB, a small command run
# through spawn reports its own peak; run directly it reports python's.
python3 - "$tmp/spawn" <<'PY'
import os, subprocess, sys
ballast = bytearray(200 * 1024 * 1024)
for i in range(0, len(ballast), 4096):
    ballast[i] = 1
p = subprocess.run([sys.argv[1], "true"], stderr=subprocess.PIPE)
peak_kib = int(p.stderr.split()[3])
pid = subprocess.Popen(["true"]).pid
_, _, ru = os.wait4(pid, 0)
print("# through spawn: %d KiB; straight from python: %d KiB" % (peak_kib, ru.ru_maxrss))
sys.exit(0 if peak_kib < 50 * 1024 and ru.ru_maxrss > 150 * 1024 else 1)
PY
check $? "spawn reports a small command's own peak, not its parent's"

python3 - "$tmp/spawn" <<'PY'
import subprocess, sys
code = "b = bytearray(64 * 1024 * 1024)\nfor i in range(0, len(b), 4096): b[i] = 1"
p = subprocess.run([sys.argv[1], "python3", "-c", code], stderr=subprocess.PIPE)
peak_kib = int(p.stderr.split()[3])
print("# python3 touching 64 MiB: peak %d KiB" % peak_kib)
sys.exit(0 if peak_kib >= 64 * 1024 else 1)
PY
check $? "spawn reports a command's peak of at least what it touched"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
