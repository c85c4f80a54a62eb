#!/bin/sh
# tests/valgrind.sh - the unit tests and the case files under valgrind
# (memcheck: no invalid read or write, no use of uninitialised memory, no
# definite or possible leak), on the plain -O0 -g build `make valgrind`
# makes in build/vg/. Not the ASan build: valgrind sees what the compiler's
# instrumentation does not (uninitialised reads), and the other way round.
#
# Cases run through a wrapper (build/vg/hookdoctor-vg) that logs valgrind's
# report to build/vg/logs/ rather than to the case's stderr, so the cases'
# own expectations hold; a valgrind error makes the command exit 99, which
# fails the case, and its log is shown. HD_VALGRIND_CASES limits the cases
# (names as for run_cases.py; default: all of tests/cases/).
# Prints "ok"/"not ok" lines and ends with "N passed, N failed".

cd "$(dirname "$0")/.." || exit 2
VG="valgrind --quiet --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite,possible --show-leak-kinds=definite,possible
    --track-origins=yes --num-callers=30"
pass=0
export HD_UNDER_VALGRIND=1
fail=0
logs=build/vg/logs
rm -rf "$logs"
mkdir -p "$logs"

for t in build/vg/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if $VG --log-file="$logs/$name.log" "$t" >"$logs/$name.out" 2>&1; then
		echo "ok - valgrind $name"
		pass=$((pass + 1))
	else
		echo "not ok - valgrind $name"
		sed 's/^/#   /' "$logs/$name.log" | head -n 40
		grep '^not ok' "$logs/$name.out" | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
done

root=$(pwd)
cat >build/vg/hookdoctor-vg <<WRAP
#!/bin/sh
HOOKDOCTOR_DATADIR="$root" exec $(echo $VG) --log-file="$root/$logs/case-%p.log" "$root/build/vg/hookdoctor" "\$@"
WRAP
chmod +x build/vg/hookdoctor-vg
out=$logs/cases.out
# shellcheck disable=SC2086
python3 tests/run_cases.py build/vg/hookdoctor-vg ${HD_VALGRIND_CASES:-} >"$out" 2>&1
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed$/\1/')
grep -E '^(ok|not ok) - ' "$out" | sed 's/^ok - /ok - valgrind case /; s/^not ok - /not ok - valgrind case /'
errs=$(grep -l . "$logs"/case-*.log 2>/dev/null)
for l in $errs; do
	echo "not ok - valgrind report $(basename "$l")"
	sed 's/^/#   /' "$l" | head -n 40
	fail=$((fail + 1))
done
pass=$((pass + ${p:-0}))
fail=$((fail + ${f:-1}))
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
