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
#              DNS-free connection and TLS handshake, vs one hook. Local,
#              this is CPU-bound, not latency-bound: the figure printed
#              with it splits the CPU between hookdoctor (user+sys) and
#              the Python test server, which share this machine's cores
#   200 away   the same against servers whose handshake and answer each
#              start 50 ms late (mode "away": hosts a round trip away),
#              vs one such hook (target: at most 10x); what the number
#              of hosts in flight (src/net.c, 64) decides
#   prov 1     the provider checks (HD601-HD607, no --send) of one GitHub
#              hook against tests/servers/provider_emulator.py answering
#              each request 20 ms late (a network round trip)
#   prov 50    50 hooks on 50 commits of one repository, one token: the
#              repositories are fetched concurrently (at most 24 calls
#              to one host at a time); GET /user, the repository and
#              its 2 required-checks reads are asked once (104 requests,
#              not 251); the serial figure is the requests made times
#              20 ms
#   prov 200   the same with 200 hooks on 200 commits, vs prov 1
#              (SPEC: many hooks online at most 10x the wall time of one)
#
# Each figure is the median of RUNS runs (default 21), the commands
# alternating so that a slow moment of the machine hits all of them.
set -eu

cd "$(dirname "$0")/.."
hd=${1:-./hookdoctor}
runs=${RUNS:-21}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hookdoctor-bench.XXXXXX")
pid=
epid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	[ -n "$epid" ] && kill "$epid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
unset http_proxy https_proxy HTTPS_PROXY HTTP_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

# wait_for FILE WHAT: until the server WHAT has written FILE (its port or
# ports; not empty), at most 10 s.
wait_for() {
	n=0
	while [ ! -s "$1" ]; do
		n=$((n + 1))
		[ $n -lt 100 ] || { echo "bench-net: $2 did not start" >&2; exit 1; }
		sleep 0.1
	done
}

listeners="one:ok:valid.pem away:away:valid.pem"
i=0
while [ $i -lt 200 ]; do
	listeners="$listeners d$i:ok:valid.pem a$i:away:valid.pem"
	i=$((i + 1))
done
# shellcheck disable=SC2086
python3 tests/servers/https_server.py --dir "$tmp/certs" --portfile "$tmp/ports.json" \
	--lifetime 300 $listeners >/dev/null 2>&1 &
pid=$!
wait_for "$tmp/ports.json" "the test server"
sh tests/servers/gen-certs.sh "$tmp/certs"

# The provider emulator (GitHub), every answer 20 ms late.
python3 -c '
import json, sys
shas = ["%040x" % (0xbe9c000 + i) for i in range(200)]
json.dump({"token": "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "commits": shas,
           "latency_ms": 20}, open(sys.argv[1], "w"))' "$tmp/scenario.json"
: >"$tmp/requests.jsonl"
python3 tests/servers/provider_emulator.py --provider github --scenario "$tmp/scenario.json" \
	--log "$tmp/requests.jsonl" --lifetime 600 >"$tmp/emulator.port" 2>/dev/null &
epid=$!
wait_for "$tmp/emulator.port" "the provider emulator"

python3 - "$hd" "$tmp" "$runs" "$pid" <<'EOF'
import json, os, statistics, subprocess, sys, time

hd, tmp, runs, server = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
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
away1 = write("away1.json", [hook("https://127.0.0.1:%d/" % ports["away"])])
away = write("away.json", [hook("https://127.0.0.1:%d/" % ports["a%d" % i])
                           for i in range(200)])
common = ["--allow-private", "--cacert", ca, "--format", "json"]

# The provider checks against the emulator.
eport = int(open(os.path.join(tmp, "emulator.port")).readline())
ebase = "http://127.0.0.1:%d/api/v3/repos/acme/shop-api/statuses/" % eport
scenario = json.load(open(os.path.join(tmp, "scenario.json")))


def gh_hook(sha):
    return {"name": "bench %s" % sha[-4:], "active": True, "pipeline_id": 1,
            "target_url": ebase + sha,
            "settings": {"request_headers": [
                {"name": "Authorization",
                 "value": "Bearer {{ application.source_provider.access_token }}"},
                {"name": "User-Agent", "value": "devopness-hooks"},
                {"name": "Content-Type", "value": "application/json"}],
                "request_body": {"state": "pending", "context": "ci/devopness",
                                 "target_url": "https://app.devopness.com/actions/{{ action.id }}"}},
            "trigger_when": {"events": ["action.started"]}}


prov1 = write("prov1.json", [gh_hook(scenario["commits"][0])])
prov50 = write("prov50.json", [gh_hook(c) for c in scenario["commits"][:50]])
prov200 = write("prov200.json", [gh_hook(c) for c in scenario["commits"][:200]])
provopts = ["--format", "json", "--timeout", "5", "--only",
            "HD601,HD602,HD603,HD604,HD605,HD607"]
penv = dict(os.environ, HOOKDOCTOR_PROVIDER_TOKEN=scenario["token"], NO_PROXY="*")
cmds = {
    "curl": ["curl", "-sS", "-o", "/dev/null", "--cacert", ca, url],
    "probe": [hd, "probe", url] + common,
    "check 1": [hd, "check", one] + common,
    "check 200": [hd, "check", same] + common,
    "200 hosts": [hd, "check", hosts] + common,
    "away 1": [hd, "check", away1] + common,
    "200 away": [hd, "check", away] + common,
    "prov 1": [hd, "check", prov1] + provopts,
    "prov 50": [hd, "check", prov50] + provopts,
    "prov 200": [hd, "check", prov200] + provopts,
}
scenario_path = os.path.join(tmp, "scenario.json")
fresh = [0]


def fresh_emulator():
    """A new scenario state: the emulator counts GitHub's X-RateLimit-
    Remaining down from 4999 per scenario, and the runs together make
    more requests than that; an exhausted limit would stop the calls
    and time nothing."""
    fresh[0] += 1
    json.dump(dict(scenario, run=fresh[0]), open(scenario_path, "w"))


def run(k, c):
    if k in ("200 hosts", "200 away"):
        # Every host handshaken and answered, or the time measures a failure.
        p = subprocess.run(c, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=penv)
        bad = [(h["name"], c["id"], c["status"])
               for h in json.loads(p.stdout)["hooks"] for c in h["checks"]
               if c["id"] in ("HD503", "HD504", "HD505", "HD508") and c["status"] != "pass"]
        if bad:
            sys.exit("bench-net: %s did not probe every host: %s" % (k, bad[:3]))
        return
    if not k.startswith("prov"):
        subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=penv)
        return
    fresh_emulator()
    p = subprocess.run(c, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=penv)
    # A run that was not answered in full measures nothing.
    bad = [(h["name"], c["id"], c["status"])
           for h in json.loads(p.stdout)["hooks"] for c in h["checks"]
           if c["id"] in ("HD601", "HD603", "HD604", "HD605") and c["status"] != "pass"]
    if bad:
        sys.exit("bench-net: %s was not answered in full: %s" % (k, bad[:3]))


for k, c in cmds.items():    # warm caches; the first run of each is not counted
    run(k, c)
log = os.path.join(tmp, "requests.jsonl")
prov_requests = {}
for k in ("prov 50", "prov 200"):
    open(log, "w").close()
    run(k, cmds[k])
    prov_requests[k] = sum(1 for _ in open(log))
def server_cpu_ms():
    """user+sys of the test server (all its threads) so far."""
    f = open("/proc/%d/stat" % server).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")


times = {k: [] for k in cmds}
cpu = {k: [] for k in cmds}
scpu = {k: [] for k in cmds}
for r in range(runs):
    for k, c in cmds.items():
        if k.startswith("prov"):
            fresh_emulator()
        s0 = server_cpu_ms()
        t0 = time.perf_counter()
        p = subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=penv)
        _, _, ru = os.wait4(p.pid, 0)
        times[k].append(time.perf_counter() - t0)
        cpu[k].append(ru.ru_utime + ru.ru_stime)
        scpu[k].append(server_cpu_ms() - s0)
        if k.startswith("prov") and r == runs - 1:
            run(k, c)   # still answered in full at the end
med = {k: statistics.median(v) * 1000 for k, v in times.items()}
mcpu = {k: statistics.median(v) * 1000 for k, v in cpu.items()}
print("median of %d runs, local HTTPS (TLS 1.3, test CA), %d cores; "
      "wall, and hookdoctor's CPU (user+sys):" % (runs, os.cpu_count()))
for k in cmds:
    print("  %-10s %8.1f ms   cpu %7.1f ms" % (k, med[k], mcpu[k]))


def ratio(name, a, b, target):
    r = med[a] / med[b]
    verdict = "" if target is None else ("  (target <= %gx: %s)" % (
        target, "met" if r <= target else "MISSED"))
    print("  %-40s %5.2fx%s" % (name, r, verdict))
    return target is None or r <= target


print("ratios:")
ok = ratio("probe / curl", "probe", "curl", 1.5)
ok &= ratio("check of one hook / curl", "check 1", "curl", 1.5)
ok &= ratio("200 hooks, one URL / one hook", "check 200", "check 1", 10)
ok &= ratio("200 hooks, 200 hosts 50 ms away / one", "200 away", "away 1", 10)
ratio("200 hooks, 200 local hosts / one hook", "200 hosts", "check 1", None)
# Local, the 200 handshakes are CPU-bound: say whose CPU it is.
sv = statistics.median(scpu["200 hosts"])
print("    CPU, 200 local hosts: hookdoctor %.0f ms (%.2f ms a host; %.1fx the "
      "%.1f ms of a one-hook run), the test server %.0f ms (in %.0f ms ticks); "
      "%d cores shared by both" % (
          mcpu["200 hosts"], (mcpu["200 hosts"] - mcpu["check 1"]) / 200,
          mcpu["200 hosts"] / mcpu["check 1"], mcpu["check 1"],
          sv, 1000.0 / os.sysconf("SC_CLK_TCK"), os.cpu_count()))
ratio("provider, 50 commits / one hook", "prov 50", "prov 1", None)
ok &= ratio("provider, 200 commits / one hook", "prov 200", "prov 1", 10)
for k in ("prov 50", "prov 200"):
    serial = prov_requests[k] * scenario["latency_ms"]
    print("  provider, %s commits: %d requests; one after another they would "
          "take >= %d ms, took %.0f ms (%.1fx less)" % (
              k.split()[1], prov_requests[k], serial, med[k], serial / med[k]))
sys.exit(0 if ok else 1)
EOF
