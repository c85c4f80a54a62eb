#!/bin/sh
# tests/valgrind.sh - the test suite under valgrind (memcheck: no invalid
# read or write, no use of uninitialised memory, no definite or possible
# leak), on the plain -O0 -g build `make valgrind` makes in build/vg/. Not
# the ASan build: valgrind sees what the compiler's instrumentation does not
# (uninitialised reads), and the other way round.
#
# What runs: the unit tests (build/vg/test_*) directly under valgrind, and
# every suite tests/run.sh runs against a binary, given a valgrind wrapper
# instead of ./hookdoctor:
#
#   cases            tests/run_cases.py (all of tests/cases/, or the names
#                    in HD_VALGRIND_CASES)
#   report           tests/report/run.sh
#   formats, docs    tests/formats/run.sh, tests/docs/run.sh
#   net              tests/net/run.py
#   hostile-servers  tests/net/hostile.py
#   api              tests/api/run.py
#   provider         tests/provider/run.sh
#   hostile          tests/hostile/run_hostile.py with HD_HOSTILE_QUICK=1
#                    (as for the sanitizer build: not the 100 MB inputs)
#   secrets          tests/secrets/run_secrets.py
#
# HD_VALGRIND_SUITES limits the suites (names above and "unit"; default:
# all). Each suite gets its own wrapper, build/vg/wrap/SUITE/hookdoctor,
# which runs build/vg/hookdoctor under valgrind with the report in
# build/vg/logs/SUITE-PID.log rather than on the program's stderr, so the
# suites' own expectations about stderr hold. Any non-empty log is a
# failure ("not ok - valgrind report ..."), whatever the suite said; a
# valgrind error also makes the program exit 99, which its suite sees.
#
# The environment gets HD_UNDER_VALGRIND=1: the suites multiply their
# wall-clock bounds, server lifetimes and stalls by the factor of
# tests/slowdown.py (HD_SLOWDOWN overrides it). Suppressions of noise
# inside system libraries, each with its reason, are in
# tests/valgrind.supp.
#
# The suites run HD_VALGRIND_JOBS at a time (default 2); their output is
# shown in a fixed order once each is done. Prints "ok"/"not ok" lines and
# ends with one line "N passed, N failed".

cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
logs=build/vg/logs
VG="valgrind --quiet --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite,possible --show-leak-kinds=definite,possible
    --track-origins=yes --num-callers=30 --suppressions=$root/tests/valgrind.supp"
export HD_UNDER_VALGRIND=1

SUITES="secrets net cases hostile-servers api provider report hostile formats docs unit"

# run_suite NAME: runs one suite, its output into $logs/NAME.out.
run_suite() {
	name=$1
	out=$root/$logs/$name.out
	wrap=$root/build/vg/wrap/$name/hookdoctor
	mkdir -p "$(dirname "$wrap")"
	# $(echo $VG): the options on one line
	# shellcheck disable=SC2116,SC2086
	cat >"$wrap" <<WRAP
#!/bin/sh
# made by tests/valgrind.sh: build/vg/hookdoctor under memcheck for the
# $name suite; the report goes to $logs/$name-PID.log
HOOKDOCTOR_DATADIR=\${HOOKDOCTOR_DATADIR:-$root}
export HOOKDOCTOR_DATADIR
exec $(echo $VG) --log-file="$root/$logs/$name-%p.log" "$root/build/vg/hookdoctor" "\$@"
WRAP
	chmod +x "$wrap"
	# shellcheck disable=SC2086
	case $name in
	unit) run_units >"$out" 2>&1 ;;
	cases) python3 tests/run_cases.py "$wrap" ${HD_VALGRIND_CASES:-} >"$out" 2>&1 ;;
	report) sh tests/report/run.sh "$wrap" >"$out" 2>&1 ;;
	formats) sh tests/formats/run.sh "$wrap" >"$out" 2>&1 ;;
	docs) sh tests/docs/run.sh "$wrap" >"$out" 2>&1 ;;
	net) python3 tests/net/run.py "$wrap" >"$out" 2>&1 ;;
	hostile-servers) python3 tests/net/hostile.py "$wrap" >"$out" 2>&1 ;;
	api) python3 tests/api/run.py "$wrap" >"$out" 2>&1 ;;
	provider) sh tests/provider/run.sh "$wrap" >"$out" 2>&1 ;;
	hostile) HD_HOSTILE_QUICK=1 python3 tests/hostile/run_hostile.py "$wrap" >"$out" 2>&1 ;;
	secrets) python3 tests/secrets/run_secrets.py "$wrap" >"$out" 2>&1 ;;
	*) echo "not ok - valgrind: no suite named $name" >"$out"; return 1 ;;
	esac
	echo "exit $?" >"$out.rc"
}

# The unit tests themselves run under valgrind (they are the program).
run_units() {
	p=0
	f=0
	for t in build/vg/test_*; do
		[ -x "$t" ] || continue
		n=$(basename "$t")
		if $VG --log-file="$logs/unit-$n.log" "$t" >"$logs/unit-$n.out" 2>&1; then
			echo "ok - $n"
			p=$((p + 1))
		else
			echo "not ok - $n"
			grep '^not ok' "$logs/unit-$n.out" | sed 's/^/#   /'
			f=$((f + 1))
		fi
	done
	echo "$p passed, $f failed"
}

if [ "${1:-}" = --suite ]; then
	run_suite "$2"
	exit 0
fi

rm -rf "$logs" build/vg/wrap
mkdir -p "$logs"
start=$(date +%s)
want=${HD_VALGRIND_SUITES:-$SUITES}
# shellcheck disable=SC2086
printf '%s\n' $want | xargs -P "${HD_VALGRIND_JOBS:-2}" -I{} sh tests/valgrind.sh --suite {}

pass=0
fail=0
for name in $want; do
	out=$logs/$name.out
	echo "# valgrind $name"
	# the results, comments and a failure's indented explanation lines
	grep -E '^(ok|not ok) - |^#|^  ' "$out" 2>/dev/null |
		sed "s/^ok - /ok - valgrind $name: /; s/^not ok - /not ok - valgrind $name: /"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" 2>/dev/null | tail -n 1)
	if [ -n "$line" ]; then
		p=${line%% passed*}
		f=${line#*passed, }
		f=${f%% failed*}
	else
		echo "not ok - valgrind $name: no summary line ($(cat "$out.rc" 2>/dev/null || echo 'did not run'))"
		tail -n 20 "$out" 2>/dev/null | sed 's/^/#   /'
		p=0
		f=1
	fi
	rc=$(sed 's/^exit //' "$out.rc" 2>/dev/null)
	if [ "${rc:-1}" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - valgrind $name: exit ${rc:-?} with no failure reported"
		f=1
	fi
	for l in "$logs/$name"-*.log; do
		[ -s "$l" ] || continue
		echo "not ok - valgrind report $(basename "$l")"
		sed 's/^/#   /' "$l" | head -n 60
		f=$((f + 1))
	done
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "# valgrind: $(($(date +%s) - start)) s, HD_SLOWDOWN factor $(python3 tests/slowdown.py)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
