#!/bin/sh
# tests/tsan.sh BINARY - data races, with a ThreadSanitizer build
# (build/hookdoctor-tsan; tests/run.sh runs this).
#
# The offline check of 2,000 generated hooks runs on every core: workers
# load, analyse, check and report, the main thread writes in input order,
# PCRE2 patterns are JIT-compiled at their first match under a lock, and
# redaction keeps per-thread memos. Each run must be race-free and give
# exactly what ./hookdoctor gives, in JSON and text, with and without a
# known secret. Then the network suite (tests/net/run.py: DNS in threads,
# many hosts at once) runs on the same binary. ThreadSanitizer writes its
# reports to files here, so a race fails the step whatever the harness
# does with stderr.

cd "$(dirname "$0")/.." || exit 2
BIN=$1
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $1"; fail=$((fail + 1)); }

dir=$(mktemp -d "${TMPDIR:-/tmp}/hookdoctor-tsan.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT INT TERM
export TSAN_OPTIONS="log_path=$dir/race:halt_on_error=1:exitcode=66"

races() {
	ls "$dir"/race.* >/dev/null 2>&1
}

python3 tools/gen-hooks.py -n 2000 -o "$dir/hooks.json" >/dev/null 2>&1 || exit 2

for secret in "" "ghp_0123456789abcdefABCDEF0123456789abcd"; do
	for fmt in json text; do
		what="offline check of 2,000 hooks, $fmt${secret:+, a known secret}"
		HOOKDOCTOR_PROVIDER_TOKEN=$secret ./hookdoctor check --offline \
			--format "$fmt" --file "$dir/hooks.json" >"$dir/want" 2>/dev/null
		want_rc=$?
		HOOKDOCTOR_PROVIDER_TOKEN=$secret "$BIN" check --offline \
			--format "$fmt" --file "$dir/hooks.json" >"$dir/got" 2>"$dir/err"
		rc=$?
		if races; then
			not_ok "$what: a data race"
			cat "$dir"/race.*
			rm -f "$dir"/race.*
		elif [ "$rc" -ne "$want_rc" ]; then
			not_ok "$what: exit $rc, ./hookdoctor $want_rc: $(tail -c 300 "$dir/err")"
		elif ! cmp -s "$dir/want" "$dir/got"; then
			not_ok "$what: output differs from ./hookdoctor's"
		else
			ok "$what: no race, same output"
		fi
	done
done

# ThreadSanitizer runs code 5 to 15 times slower: the suite's time
# bounds are scaled (tests/slowdown.py), none is dropped.
HD_SLOWDOWN=${HD_SLOWDOWN:-3} python3 tests/net/run.py "$BIN" >"$dir/net.log" 2>&1
cat "$dir/net.log"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$dir/net.log" | tail -n 1)
if [ -z "$line" ]; then
	not_ok "network suite under ThreadSanitizer: no summary"
else
	pass=$((pass + ${line%% *}))
	f=${line#*passed, }
	fail=$((fail + ${f%% *}))
fi
if races; then
	not_ok "network suite under ThreadSanitizer: a data race"
	cat "$dir"/race.*
else
	ok "network suite under ThreadSanitizer: no race"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
