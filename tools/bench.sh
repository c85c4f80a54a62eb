#!/bin/sh
# tools/bench.sh - times the offline check against SPEC.md's targets:
#   10,000 hooks in one file: at most 1 s wall and 64 MiB peak memory;
#   one hook, whole process:  at most 10 ms wall.
# `make bench` runs it after building ./hookdoctor. It reports; it never
# fails the build because a machine is slow (exit 0 whatever the figures),
# only when hookdoctor cannot be run at all.
#
# Wall time and peak RSS come from one measured run each (python's
# resource.getrusage of the child); when hyperfine is installed, its median
# over several runs is printed too.

cd "$(dirname "$0")/.." || exit 1

BIN=./hookdoctor
BIG=build/bench/hooks-10000.json
ONE=build/bench/hook-1.json

if [ ! -x "$BIN" ]; then
	echo "bench: $BIN is not built (run make)" >&2
	exit 1
fi

python3 tools/gen-hooks.py -n 10000 -o "$BIG" || exit 1
# One hook: the first element of docs/examples/github.json.
python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1]))[0], open(sys.argv[2], "w"), indent=2)' \
	docs/examples/github.json "$ONE" || exit 1

# measure LABEL WALL_TARGET_S RSS_TARGET_MIB FILE
measure() {
	python3 - "$BIN" "$@" <<'EOF'
import os, resource, subprocess, sys, time
binary, label, wall_target, rss_target, path = sys.argv[1:6]
cmd = [binary, "check", "--offline", "--format", "json", "--file", path]
# One warm-up run so the figure is not the first read of the file from disk.
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
t0 = time.perf_counter()
p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
# ru_maxrss of RUSAGE_CHILDREN is the largest child so far; the warm-up run
# was the same command, so this is this command's peak either way.
rss_mib = max(rss_kib, before) / 1024.0
if p.returncode not in (0, 1):
    print("bench: %s: hookdoctor exited %d: %s" % (label, p.returncode,
          p.stderr.decode(errors="replace").strip()[:300]))
    sys.exit(1)
def verdict(ok):
    return "ok" if ok else "OVER TARGET"
wt = float(wall_target)
print("%-12s wall %8.3f s  (target %g s: %s)" % (label, wall, wt, verdict(wall <= wt)))
if rss_target != "-":
    rt = float(rss_target)
    print("%-12s peak %8.1f MiB (target %g MiB: %s)" % (label, rss_mib, rt, verdict(rss_mib <= rt)))
else:
    print("%-12s peak %8.1f MiB" % (label, rss_mib))
EOF
}

echo "hookdoctor bench on $(nproc 2>/dev/null || echo '?') CPU(s)"
status=0
measure "10000 hooks" 1 64 "$BIG" || status=1
measure "one hook" 0.010 - "$ONE" || status=1

if command -v hyperfine >/dev/null 2>&1; then
	echo "hyperfine medians:"
	for f in "$BIG" "$ONE"; do
		hyperfine -N --warmup 3 --runs 20 --style none -i \
			--export-json build/bench/hyperfine.json \
			"$BIN check --offline --format json --file $f" >/dev/null 2>&1 &&
		python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("  %-32s median %.4f s (min %.4f, max %.4f)" % (sys.argv[2], r["median"], r["min"], r["max"]))' \
			build/bench/hyperfine.json "$(basename "$f")"
	done
fi

# A slow machine is a finding, not a broken build: only an unusable
# hookdoctor makes the bench fail.
exit $status
