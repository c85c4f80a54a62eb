#!/bin/sh
# tests/formats/run.sh [BINARY] - the machine formats of `check`, validated
# as a CI system would read them:
#
#   --format sarif   against the official SARIF 2.1.0 JSON schema
#                    (tests/data/sarif-schema-2.1.0.json) with
#                    python3-jsonschema (tests/formats/validate_sarif.py)
#   --format junit   against the JUnit XSD (tests/data/junit.xsd) with
#                    xmllint (libxml2-utils)
#   --format markdown  not empty, one table per hook, a summary
#   text on a terminal  coloured unless NO_COLOR (not empty), TERM=dumb
#                    or --color never; --color always wins (a
#                    pseudo-terminal)
#
# for every hook file under docs/examples and tests/cases/hooks that loads
# (the bad-* files are unusable input and are skipped), offline and with
# --strict. Prints "ok"/"not ok" lines and "N passed, N failed".
#
# Under valgrind (HD_UNDER_VALGRIND=1, tests/valgrind.sh) only the hook
# files of docs/examples are used (every provider's configuration and the
# broken one: 40 runs instead of 335, each paying valgrind's start-up); the
# hooks of tests/cases/hooks reach the same printers there through the
# format-* cases and tests/secrets/run_secrets.py, which prints every format.
# HD_VALGRIND_FULL=1 uses every file under valgrind too.
# The packages come from `make deps` (DEBS in the GNUmakefile).

cd "$(dirname "$0")/../.." || exit 2
bin=${1:-./hookdoctor}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hookdoctor-formats.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }

# A python3 that has jsonschema: the one on PATH, else Debian's.
py=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import jsonschema' 2>/dev/null; then
		py=$p
		break
	fi
done

n=0
files="docs/examples/*.json tests/cases/hooks/*.json"
[ "${HD_UNDER_VALGRIND:-}" = 1 ] && [ "${HD_VALGRIND_FULL:-}" != 1 ] &&
	files="docs/examples/*.json"
for f in $files; do
	case $(basename "$f") in bad-*) continue ;; esac
	n=$((n + 1))
	name=$(basename "$f" .json)
	for strict in "" --strict; do
		tag=$name${strict:+-strict}
		"$bin" check --offline $strict --format sarif --file "$f" \
			>"$tmp/$tag.sarif" 2>"$tmp/$tag.err"
		rc=$?
		if [ "$rc" -gt 1 ]; then
			notok "sarif $tag: exit $rc: $(head -c 300 "$tmp/$tag.err")"
		fi
		"$bin" check --offline $strict --format junit --file "$f" \
			>"$tmp/$tag.xml" 2>"$tmp/$tag.err"
		rc=$?
		if [ "$rc" -gt 1 ]; then
			notok "junit $tag: exit $rc"
		elif xmllint --noout --schema tests/data/junit.xsd "$tmp/$tag.xml" \
			>"$tmp/$tag.xmllint" 2>&1; then
			ok "junit valid: $tag"
		else
			notok "junit valid: $tag: $(head -c 400 "$tmp/$tag.xmllint")"
		fi
	done
	"$bin" check --offline --format markdown --file "$f" >"$tmp/$name.md" 2>/dev/null
	if grep -q '^## Hook ' "$tmp/$name.md" && grep -q '^## Summary' "$tmp/$name.md"; then
		ok "markdown: $name"
	else
		notok "markdown: $name"
	fi
done

if [ -z "$py" ]; then
	notok "python3-jsonschema is not installed (make deps)"
else
	"$py" tests/formats/validate_sarif.py tests/data/sarif-schema-2.1.0.json \
		"$tmp"/*.sarif >"$tmp/sarif.log" 2>&1
	p=$(grep -c '^ok - ' "$tmp/sarif.log")
	f=$(grep -c '^not ok - ' "$tmp/sarif.log")
	grep '^not ok - ' "$tmp/sarif.log"
	[ "$p" -gt 0 ] && echo "ok - sarif valid: $p logs against the SARIF 2.1.0 schema"
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		notok "sarif: the validator ran no file: $(head -c 300 "$tmp/sarif.log")"
	fi
fi

# The schema check is not vacuous: a log the schema refuses is refused.
if [ -n "$py" ]; then
	printf '{"version":"2.1.0","runs":[{"tool":{"driver":{}}}]}\n' >"$tmp/broken.sarif"
	if "$py" tests/formats/validate_sarif.py tests/data/sarif-schema-2.1.0.json \
		"$tmp/broken.sarif" >/dev/null 2>&1; then
		notok "sarif validator refuses a log without a driver name"
	else
		ok "sarif validator refuses a log without a driver name"
	fi
fi
printf '<testsuites><testsuite name="x"/></testsuites>\n' >"$tmp/broken.xml"
if xmllint --noout --schema tests/data/junit.xsd "$tmp/broken.xml" >/dev/null 2>&1; then
	notok "junit XSD refuses a testsuite without its counts"
else
	ok "junit XSD refuses a testsuite without its counts"
fi

# Colour on a terminal (a pseudo-terminal here): on by default, off with
# NO_COLOR set to anything but the empty string (no-color.org), on with
# --color always whatever NO_COLOR says; off when stdout is no terminal.
color_on_tty() {
	python3 - "$bin" "$@" <<'EOF'
import os, pty, subprocess, sys
sys.path.insert(0, "tests")
from ptyread import read_pty
binary, mode, no_color = sys.argv[1], sys.argv[2], sys.argv[3]
env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
# the terminal's type is the test's, not whatever CI runs under
env["TERM"] = sys.argv[4] if len(sys.argv) > 4 else "xterm"
if no_color != "unset":
    env["NO_COLOR"] = "" if no_color == "empty" else no_color
args = [binary, "check", "--offline", "--file", "docs/examples/github.json"]
if mode != "auto":
    args += ["--color", mode]
master, slave = pty.openpty()
p = subprocess.Popen(args, stdout=slave, stderr=subprocess.DEVNULL, env=env)
os.close(slave)
seen = read_pty(master)
p.wait()
print("colour" if b"\x1b[" in seen else "plain")
EOF
}
for want in "colour auto unset" "plain auto 1" "colour auto empty" "colour always 1" "plain never unset" \
	"plain auto unset dumb" "colour always unset dumb"; do
	set -- $want
	got=$(color_on_tty "$2" "$3" ${4:+"$4"})
	if [ "$got" = "$1" ]; then
		ok "on a terminal${4:+ (TERM=$4)}, --color $2 with NO_COLOR $3: $1"
	else
		notok "on a terminal${4:+ (TERM=$4)}, --color $2 with NO_COLOR $3: $got, want $1"
	fi
done
"$bin" check --offline --file docs/examples/github.json >"$tmp/piped.txt" 2>/dev/null
if grep -q "$(printf '\033')\[" "$tmp/piped.txt"; then
	notok "stdout not a terminal: no colour"
else
	ok "stdout not a terminal: no colour"
fi

# 300 generated hooks: output larger than a pipe holds, and a Markdown
# report past GitHub's step-summary limit (below).
python3 tools/gen-hooks.py -n 300 -o "$tmp/many.json" >/dev/null 2>&1

# SARIF beyond GitHub code scanning's 25,000 results a run: a note on
# stderr (none under -q, none below the limit). 5,001 copies of the broken
# example make 25,006 problems (not under valgrind: 5,001 hooks).
if [ "${HD_UNDER_VALGRIND:-}" != 1 ]; then
	python3 -c 'import json,sys; h=json.load(open(sys.argv[1])); json.dump((h if isinstance(h, list) else [h]) * 5001, open(sys.argv[2], "w"))' \
		docs/examples/broken.json "$tmp/broken-5001.json"
	"$bin" check --offline --format sarif --file "$tmp/broken-5001.json" \
		>"$tmp/big.sarif" 2>"$tmp/big.err"
	count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$tmp/big.sarif" 2>/dev/null)
	if [ "$count" = 25006 ] &&
	   grep -q "note: 25006 SARIF results: GitHub code scanning rejects a run of more than 25000" "$tmp/big.err"; then
		ok "sarif: 25,006 results, and a note that GitHub rejects more than 25,000"
	else
		notok "sarif: $count results, stderr $(head -c 200 "$tmp/big.err")"
	fi
	"$bin" check --offline -q --format sarif --file "$tmp/broken-5001.json" \
		>/dev/null 2>"$tmp/big-q.err"
	"$bin" check --offline --format sarif --file docs/examples/broken.json \
		>/dev/null 2>"$tmp/small.err"
	if [ ! -s "$tmp/big-q.err" ] && [ ! -s "$tmp/small.err" ]; then
		ok "sarif: no note under -q, nor below the limit"
	else
		notok "sarif: a note under -q or below the limit: $(cat "$tmp/big-q.err" "$tmp/small.err" | head -c 200)"
	fi
fi

# Markdown appended to GitHub's step summary: past 1024 KiB (GitHub then
# shows none) a note says so and points at -q; none under -q, none for a
# small summary, none when stdout is another file.
if [ "${HD_UNDER_VALGRIND:-}" != 1 ]; then
	sum=$tmp/step-summary.md
	: >"$sum"
	GITHUB_STEP_SUMMARY=$sum "$bin" check --offline --format markdown \
		--file "$tmp/many.json" >>"$sum" 2>"$tmp/md.err"
	kib=$(( $(wc -c <"$sum") / 1024 ))
	if [ "$kib" -gt 1024 ] &&
	   grep -q "note: \$GITHUB_STEP_SUMMARY is now $kib KiB: GitHub shows no step summary over 1024 KiB; -q keeps the Markdown to the problems" "$tmp/md.err"; then
		ok "markdown: a step summary past 1024 KiB gets a note ($kib KiB)"
	else
		notok "markdown: step summary $kib KiB, stderr $(head -c 300 "$tmp/md.err")"
	fi
	: >"$sum"
	GITHUB_STEP_SUMMARY=$sum "$bin" check --offline -q --format markdown \
		--file "$tmp/many.json" >>"$sum" 2>"$tmp/md-q.err"
	: >"$sum"
	GITHUB_STEP_SUMMARY=$sum "$bin" check --offline --format markdown \
		--file docs/examples/github.json >>"$sum" 2>"$tmp/md-small.err"
	GITHUB_STEP_SUMMARY=$sum "$bin" check --offline --format markdown \
		--file "$tmp/many.json" >"$tmp/other.md" 2>"$tmp/md-other.err"
	if [ ! -s "$tmp/md-q.err" ] && [ ! -s "$tmp/md-small.err" ] &&
	   [ ! -s "$tmp/md-other.err" ]; then
		ok "markdown: no step-summary note under -q, for a small one, or into another file"
	else
		notok "markdown: a step-summary note where none belongs: $(cat "$tmp/md-q.err" "$tmp/md-small.err" "$tmp/md-other.err" | head -c 300)"
	fi
fi

# A reader that goes away (| head) ends hookdoctor the way it ends any
# filter: by SIGPIPE (141 in a shell), with nothing on stderr, and no
# more work done. Output larger than a pipe holds: the 300 hooks.
reader_gone() {
	python3 - "$@" <<'EOF'
import signal, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
p.stdout.read(1)
p.stdout.close()
err = p.stderr.read()
code = p.wait()
# -13 killed by SIGPIPE; 141 through a wrapper shell (valgrind runs).
ok = code in (-signal.SIGPIPE, 128 + signal.SIGPIPE) and not err
print("ok" if ok else "exit %d, stderr %r" % (code, err[:200]))
EOF
}
for args in "check --offline" "check --offline --format json" "render --as curl"; do
	# shellcheck disable=SC2086
	got=$(reader_gone "$bin" $args --file "$tmp/many.json")
	if [ "$got" = ok ]; then
		ok "$args | head: SIGPIPE, silent"
	else
		notok "$args | head: $got, want SIGPIPE and nothing on stderr"
	fi
done
# Any other write error is one: a full disk is exit 3, said once.
if [ -w /dev/full ]; then
	"$bin" check --offline --file "$tmp/many.json" >/dev/full 2>"$tmp/full.err"
	code=$?
	if [ "$code" -eq 3 ] && grep -q "cannot write the output" "$tmp/full.err" &&
	   [ "$(wc -l <"$tmp/full.err")" -eq 1 ]; then
		ok "stdout on a full disk: exit 3, one line"
	else
		notok "stdout on a full disk: exit $code, stderr $(head -c 200 "$tmp/full.err")"
	fi
fi

[ "$n" -gt 0 ] || notok "no hook file found"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
