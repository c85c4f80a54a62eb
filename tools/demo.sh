#!/bin/sh
# tools/demo.sh - what `make demo` shows: a correct hook set passes, a broken
# one fails with the reasons, and the request Devopness would send.
# The demo succeeds when hookdoctor ran and answered as expected: exit 0 for
# docs/examples/github.json and exit 1 for docs/examples/broken.json.

cd "$(dirname "$0")/.." || exit 1
BIN=./hookdoctor
if [ ! -x "$BIN" ]; then
	echo "demo: $BIN is not built (run make)" >&2
	exit 1
fi

ok=0
step() {
	printf '\n$ %s\n' "$*"
}

step hookdoctor check --offline docs/examples/github.json
"$BIN" check --offline docs/examples/github.json
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "demo: expected exit 0 for the correct example, got $rc" >&2
	ok=1
fi

step hookdoctor check --offline docs/examples/broken.json
"$BIN" check --offline docs/examples/broken.json
rc=$?
if [ "$rc" -eq 1 ]; then
	echo "(exit 1: the broken hook fails, as it should)"
else
	echo "demo: expected exit 1 for the broken example, got $rc" >&2
	ok=1
fi

step hookdoctor render docs/examples/github.json --event action.started --as curl
"$BIN" render docs/examples/github.json --event action.started --as curl || ok=1

echo
if [ "$ok" -eq 0 ]; then
	echo "demo: ok"
else
	echo "demo: hookdoctor did not answer as expected" >&2
fi
exit $ok
