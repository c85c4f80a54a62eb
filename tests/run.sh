#!/bin/sh
# tests/run.sh - the whole suite, as `make test` runs it after building
# ./hookdoctor, build/hookdoctor-asan, build/unit/test_* and
# build/unit-asan/test_*.
#
# Runs, in order: every unit test binary (plain, then under ASan+UBSan),
# tests/unit/vars_table_fresh.sh when present, and the data-driven cases of
# tests/cases/ against ./hookdoctor and then build/hookdoctor-asan. Every
# sub-runner prints "ok"/"not ok" lines and ends with "N passed, N failed";
# this script shows all of that output, adds the counts up and ends with one
# line "N passed, N failed". It exits non-zero when anything failed, when a
# runner crashed without its summary line, or when no test ran at all.
#
# Run from anywhere: it works from the repository root.

cd "$(dirname "$0")/.." || exit 2

# LeakSanitizer works here (it needs ptrace-like access, which root in this
# container has). Where it cannot run (some CI sandboxes print "LeakSanitizer
# has encountered a fatal error"), set HD_DETECT_LEAKS=0 to turn it off.
: "${HD_DETECT_LEAKS:=1}"
ASAN="detect_leaks=$HD_DETECT_LEAKS:abort_on_error=0:halt_on_error=1:strict_string_checks=1"
UBSAN="print_stacktrace=1:halt_on_error=1"

total_pass=0
total_fail=0
ran=0
log=$(mktemp "${TMPDIR:-/tmp}/hookdoctor-test.XXXXXX") || exit 2
trap 'rm -f "$log"' EXIT INT TERM

# run NAME COMMAND...: runs one sub-runner, shows its output, adds up its
# summary line. A runner that exits non-zero without reporting a failure
# (a crash, a sanitizer abort) counts as one failure.
run() {
	name=$1
	shift
	echo "# $name"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/\1/')
		f=$(echo "$line" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/\2/')
	else
		# A runner without a summary line (vars_table_fresh.sh prints a
		# single "ok"/"not ok" line): count its TAP-like lines.
		p=$(grep -c '^ok - ' "$log")
		f=$(grep -c '^not ok - ' "$log")
		if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
			echo "not ok - $name: no result (exit $rc)"
			f=1
		fi
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name: exit $rc with no failure reported"
		f=1
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	ran=$((ran + p + f))
}

for t in build/unit/test_*; do
	[ -x "$t" ] || continue
	run "unit $(basename "$t")" "$t"
done

for t in build/unit-asan/test_*; do
	[ -x "$t" ] || continue
	run "unit (asan) $(basename "$t")" \
		env ASAN_OPTIONS="$ASAN" UBSAN_OPTIONS="$UBSAN" "$t"
done

if [ -f tests/unit/vars_table_fresh.sh ]; then
	run "vars_table_fresh" sh tests/unit/vars_table_fresh.sh
fi

if [ -x ./hookdoctor ]; then
	run "cases ./hookdoctor" python3 tests/run_cases.py ./hookdoctor
else
	echo "not ok - ./hookdoctor is not built"
	total_fail=$((total_fail + 1))
fi

if [ -x build/hookdoctor-asan ]; then
	run "cases build/hookdoctor-asan" \
		env ASAN_OPTIONS="$ASAN" UBSAN_OPTIONS="$UBSAN" \
		python3 tests/run_cases.py build/hookdoctor-asan
else
	echo "not ok - build/hookdoctor-asan is not built"
	total_fail=$((total_fail + 1))
fi

# both NAME COMMAND...: a suite against ./hookdoctor, then against
# build/hookdoctor-asan under the sanitizers; the binary is appended to
# COMMAND. ASAN_EXTRA (VAR=value words) is added to the sanitizer run only.
both() {
	suite=$1        # run() sets name: a variable of its own
	shift
	if [ -x ./hookdoctor ]; then
		run "$suite ./hookdoctor" "$@" ./hookdoctor
	fi
	if [ -x build/hookdoctor-asan ]; then
		# shellcheck disable=SC2086
		run "$suite build/hookdoctor-asan" env ASAN_OPTIONS="$ASAN" \
			UBSAN_OPTIONS="$UBSAN" ${ASAN_EXTRA:-} "$@" build/hookdoctor-asan
	fi
}

# Output formats against their schemas and the documentation against the
# code (plain build only: they exercise printing, not memory).
if [ -x ./hookdoctor ]; then
	run "formats ./hookdoctor" sh tests/formats/run.sh ./hookdoctor
	run "docs ./hookdoctor" sh tests/docs/run.sh ./hookdoctor
fi
# The helpers `make bench` measures with (tests/tools/run.sh).
run tools sh tests/tools/run.sh
# The support report: secrets, atomic files, a local HTTPS server, headless
# Chromium.
both report sh tests/report/run.sh
# The network probe HD501-HD511 against the local test servers
# (tests/servers/https_server.py, certificates made by gen-certs.sh).
both net python3 tests/net/run.py
# The Devopness API side against the local API emulator
# (tests/servers/devopness_api.py).
both api python3 tests/api/run.py
# The provider checks HD601-HD607 against the local provider emulators
# (tests/servers/provider_emulator.py).
both provider sh tests/provider/run.sh
# Hostile inputs (tests/hostile/run_hostile.py): deep nesting, 100 MB
# files, NUL bytes, bad UTF-8, CR/LF everywhere..., each exit 2 or a
# finding within bounded memory; the sanitizer run leaves out the big ones.
ASAN_EXTRA=HD_HOSTILE_QUICK=1
both hostile python3 tests/hostile/run_hostile.py
ASAN_EXTRA=
# Hostile servers (tests/net/hostile.py): slowloris, endless and gzip-bomb
# bodies, redirects, truncation, 1 MiB headers, TLS misbehaviour; each a
# finding within --timeout.
both "hostile servers" python3 tests/net/hostile.py
# Secret hygiene (tests/secrets/run_secrets.py): every token shape planted
# in every field and variable, searched for in every output.
both secrets python3 tests/secrets/run_secrets.py

# Data races (tests/tsan.sh): the offline check on every core and the
# network suite, on the ThreadSanitizer build.
if [ -x build/hookdoctor-tsan ]; then
	run "threads build/hookdoctor-tsan" sh tests/tsan.sh build/hookdoctor-tsan
else
	echo "not ok - build/hookdoctor-tsan is not built"
	total_fail=$((total_fail + 1))
fi

if [ "$ran" -eq 0 ]; then
	echo "not ok - no test ran"
	total_fail=$((total_fail + 1))
fi

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
