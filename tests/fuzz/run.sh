#!/bin/sh
# tests/fuzz/run.sh SECONDS FUZZER... - runs each libFuzzer binary for
# SECONDS (`make fuzz` passes FUZZ_SECONDS and build/fuzz/fuzz_*). With
# FUZZ_SEED set, libFuzzer's -seed is fixed.
#
# Each fuzzer starts from its seeds, tests/fuzz/corpus/NAME/ (read only:
# what it learns goes to build/fuzz/work/NAME/, kept between runs), and
# the crash reproducers of tests/fuzz/regressions/NAME/ when there are
# any, with tests/fuzz/NAME.dict as its dictionary when it exists. A crash,
# leak, sanitizer report or timeout is written to build/fuzz/artifacts/
# and fails that fuzzer. Prints "ok - NAME: ..." or "not ok - NAME: ...",
# the tail of a failing fuzzer's log, and ends with "N passed, N failed".

cd "$(dirname "$0")/../.." || exit 2
secs=${1:-10}
shift
pass=0
fail=0
mkdir -p build/fuzz/artifacts build/fuzz/logs

for bin in "$@"; do
	name=$(basename "$bin")
	work=build/fuzz/work/$name
	log=build/fuzz/logs/$name.log
	mkdir -p "$work"
	set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$name-"
	[ -f "tests/fuzz/$name.dict" ] && set -- "$@" -dict="tests/fuzz/$name.dict"
	# FUZZ_SEED fixes the mutation sequence, so a run repeats one that
	# was already made (CI uses it: see .ci/run).
	[ -n "${FUZZ_SEED:-}" ] && set -- "$@" -seed="$FUZZ_SEED"
	set -- "$@" "$work"
	[ -d "tests/fuzz/corpus/$name" ] && set -- "$@" "tests/fuzz/corpus/$name"
	[ -d "tests/fuzz/regressions/$name" ] && set -- "$@" "tests/fuzz/regressions/$name"
	ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
		"$bin" "$@" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "ok - $name: ${runs:-?} runs in ${secs} s, ${cov:-cov: ?}"
		pass=$((pass + 1))
	else
		echo "not ok - $name: exit $rc (log: $log)"
		grep -E 'ERROR: |SUMMARY: |runtime error|Test unit written' "$log" | head -n 20 | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
