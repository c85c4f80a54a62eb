#!/bin/sh
# tools/bench-net.sh [HOOKDOCTOR] - the online targets of SPEC.md, measured
# against a local HTTPS server (tests/servers/https_server.py, certificates
# from tests/servers/gen-certs.sh; nothing leaves 127.0.0.1):
#
#   probe      `hookdoctor probe URL` vs `curl -sS -o /dev/null URL`
#              (target: at most 1.5x curl's wall time)
#   check 1    `hookdoctor check` of one hook on that URL, every check
#              (target: at most 1.5x curl)
#   check 200  200 hooks on that URL vs one hook (target: at most 10x)
#   200 hosts  200 hooks on 200 different servers (ports), each its own
#              DNS-free connection and TLS handshake, vs one hook; the
#              Python test server's handshakes bound this one
#
# Each figure is the median of RUNS runs (default 21), the commands
# alternating so that a slow moment of the machine hits all of them.
set -eu

cd "$(dirname "$0")/.."
hd=${1:-./hookdoctor}
runs=${RUNS:-21}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hookdoctor-bench.XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
unset http_proxy https_proxy HTTPS_PROXY HTTP_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

listeners="one:ok:valid.pem"
i=0
while [ $i -lt 200 ]; do
	listeners="$listeners d$i:ok:valid.pem"
	i=$((i + 1))
done
# shellcheck disable=SC2086
python3 tests/servers/https_server.py --dir "$tmp/certs" --portfile "$tmp/ports.json" \
	--lifetime 300 $listeners >/dev/null 2>&1 &
pid=$!
n=0
while [ ! -f "$tmp/ports.json" ]; do
	n=$((n + 1))
	[ $n -lt 100 ] || { echo "bench-net: the test server did not start" >&2; exit 1; }
	sleep 0.1
done
sh tests/servers/gen-certs.sh "$tmp/certs"

python3 - "$hd" "$tmp" "$runs" <<'EOF'
import json, os, statistics, subprocess, sys, time

hd, tmp, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
ports = json.load(open(os.path.join(tmp, "ports.json")))
ca = os.path.join(tmp, "certs", "ca.pem")
url = "https://127.0.0.1:%d/" % ports["one"]


def hook(u):
    return {"name": "bench", "active": True, "pipeline_id": 1,
            "target_url": u + "status/{{ action.id }}",
            "settings": {"request_headers": [
                {"name": "Content-Type", "value": "application/json"}],
                "request_body": {"state": "success", "context": "ci/devopness"}},
            "trigger_when": {"events": ["action.completed"]}}


def write(name, hooks):
    p = os.path.join(tmp, name)
    json.dump(hooks, open(p, "w"))
    return p


one = write("one.json", [hook(url)])
same = write("same.json", [hook(url)] * 200)
hosts = write("hosts.json", [hook("https://127.0.0.1:%d/" % ports["d%d" % i])
                             for i in range(200)])
common = ["--allow-private", "--cacert", ca, "--format", "json"]
cmds = {
    "curl": ["curl", "-sS", "-o", "/dev/null", "--cacert", ca, url],
    "probe": [hd, "probe", url] + common,
    "check 1": [hd, "check", one] + common,
    "check 200": [hd, "check", same] + common,
    "200 hosts": [hd, "check", hosts] + common,
}
for c in cmds.values():    # warm caches; the first run of each is not counted
    subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
times = {k: [] for k in cmds}
for _ in range(runs):
    for k, c in cmds.items():
        t0 = time.perf_counter()
        subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[k].append(time.perf_counter() - t0)
med = {k: statistics.median(v) * 1000 for k, v in times.items()}
print("median of %d runs, local HTTPS (TLS 1.3, test CA):" % runs)
for k in cmds:
    print("  %-10s %8.1f ms" % (k, med[k]))


def ratio(name, a, b, target):
    r = med[a] / med[b]
    verdict = "" if target is None else ("  (target <= %gx: %s)" % (
        target, "met" if r <= target else "MISSED"))
    print("  %-36s %5.2fx%s" % (name, r, verdict))
    return target is None or r <= target


print("ratios:")
ok = ratio("probe / curl", "probe", "curl", 1.5)
ok &= ratio("check of one hook / curl", "check 1", "curl", 1.5)
ok &= ratio("200 hooks, one URL / one hook", "check 200", "check 1", 10)
ratio("200 hooks, 200 hosts / one hook", "200 hosts", "check 1", None)
sys.exit(0 if ok else 1)
EOF
