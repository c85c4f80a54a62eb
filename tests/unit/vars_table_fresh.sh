#!/bin/sh
# vars_table_fresh.sh - src/vars_table.c is what tools/gen-vars.py makes of
# the OpenAPI description today: nobody hand-edited it, and nobody changed
# the generator or the description without running `make vars`.
# Prints one line, "ok - ..." or "not ok - ..."; exits 0 or 1. Skips (ok,
# exit 0) when python3 or ../shared/reference is not there.
top=$(cd "$(dirname "$0")/../.." && pwd)
spec="$top/../shared/reference/devopness-openapi.json"
name=vars_table_is_fresh

if ! command -v python3 >/dev/null 2>&1; then
	echo "ok - $name # SKIP no python3"
	exit 0
fi
if [ ! -f "$spec" ]; then
	echo "ok - $name # SKIP no ../shared/reference/devopness-openapi.json"
	exit 0
fi
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT
if ! python3 "$top/tools/gen-vars.py" "$spec" >"$tmp"; then
	echo "not ok - $name: tools/gen-vars.py failed"
	exit 1
fi
if cmp -s "$tmp" "$top/src/vars_table.c"; then
	echo "ok - $name"
	exit 0
fi
echo "not ok - $name: src/vars_table.c differs from the generator's output; run 'make vars'"
exit 1
