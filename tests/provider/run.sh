#!/bin/sh
# tests/provider/run.sh - the live provider checks (HD601-HD607) against the
# provider emulators of tests/servers/provider_emulator.py.
#
#   sh tests/provider/run.sh [BINARY]       (default ./hookdoctor)
#
# One emulator per provider runs on 127.0.0.1 (a port the kernel picks);
# each scenario hands it a new scenario file, writes the hook of
# tests/provider/hooks/PROVIDER.json with its target URL on that port
# (Bitbucket Cloud keeps api.bitbucket.org and uses --provider-api-url),
# runs hookdoctor with the token in
# HOOKDOCTOR_PROVIDER_TOKEN and asserts the statuses of HD6xx in the JSON
# report and what the emulator logged (a write, or none). Prints "ok - ..."
# / "not ok - ..." per assertion and ends with "N passed, N failed". Every
# hookdoctor run is bounded by `timeout`, every emulator by --lifetime, and
# the emulators are killed on exit. Nothing leaves 127.0.0.1.
#
# Under valgrind (HD_UNDER_VALGRIND=1, tests/valgrind.sh) the wall-clock
# bounds, the emulators' lifetime, the stall and the `timeout` of each run
# are multiplied by SLOW (tests/slowdown.py); --timeout given to hookdoctor
# stays.

cd "$(dirname "$0")/../.." || exit 2
BIN=${1:-./hookdoctor}
SLOW=$(python3 tests/slowdown.py) || exit 2
HD6=HD601,HD602,HD603,HD604,HD605,HD606,HD607
SHA=9f2c4e1a7b3d5f60812c4a9e6b0d3f57a1c8e2b4   # the sample action's commit
OTHER=0123456789abcdef0123456789abcdef01234567

# Local servers only: no proxy may see these requests.
unset HTTPS_PROXY https_proxy HTTP_PROXY http_proxy ALL_PROXY all_proxy
NO_PROXY='*'
no_proxy='*'
export NO_PROXY no_proxy

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hookdoctor-provider.XXXXXX") || exit 2
pids=""
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

passed=0
failed=0
n=0
runs=0

ok() {
	echo "ok - $1"
	passed=$((passed + 1))
}

notok() {
	echo "not ok - $1: $2"
	failed=$((failed + 1))
}

# emulate PROVIDER SCENARIO_JSON [HOOKS]: starts a scenario on the
# provider's emulator (started once, then handed a new scenario file: it
# reads the file at each request) with tests/provider/hooks/HOOKS.json
# (default: PROVIDER.json); sets PORT, BASE, HOOK, LOG and ERR.
emulate() {
	provider=$1
	hooks=${3:-$1}
	n=$((n + 1))
	dir=$TMP/$n
	mkdir -p "$dir"
	edir=$TMP/emulator-$provider
	LOG=$edir/requests.jsonl
	ERR=$dir/err.txt
	if [ ! -d "$edir" ]; then
		mkdir -p "$edir"
		printf '%s\n' "$2" >"$edir/scenario.json"
		: >"$LOG"
		python3 tests/servers/provider_emulator.py --provider "$provider" \
			--scenario "$edir/scenario.json" --log "$LOG" --lifetime $((300 * SLOW)) \
			>"$edir/port" 2>"$edir/emulator.err" &
		pids="$pids $!"
		i=0
		while [ ! -s "$edir/port" ] && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	printf '%s\n' "$2" >"$edir/scenario.json"
	: >"$LOG"
	PORT=$(head -n 1 "$edir/port")
	BASE=http://127.0.0.1:$PORT
	HOOK=$dir/hook.json
	sed "s#@BASE@#$BASE#g" "tests/provider/hooks/$hooks.json" >"$HOOK"
}

# stop: the end of a scenario.
stop() {
	verify
}

# verify: evaluates the expectations of the scenario, in one Python run.
verify() {
	[ -s "$dir/expect.tsv" ] || return 0
	python3 tests/provider/expect.py --batch "$dir/expect.tsv" >"$dir/verdicts"
	cat "$dir/verdicts"
	passed=$((passed + $(grep -c '^ok - ' "$dir/verdicts")))
	failed=$((failed + $(grep -c '^not ok - ' "$dir/verdicts")))
	: >"$dir/expect.tsv"
}

# hd ARGS...: hookdoctor check on $HOOK with $TOKEN; sets OUT (the report
# of this run), RC and SECS. A sanitizer report is a failure.
hd() {
	runs=$((runs + 1))
	OUT=$dir/out.$runs.json
	t0=$(date +%s)
	HOOKDOCTOR_PROVIDER_TOKEN=$TOKEN timeout $((60 * SLOW)) "$BIN" check --format json \
		--file "$HOOK" --timeout 5 "$@" >"$OUT" 2>"$ERR"
	RC=$?
	SECS=$(($(date +%s) - t0))
	if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
		-e 'runtime error:' "$ERR"; then
		notok "sanitizer report" "$(head -n 5 "$ERR")"
	fi
	if [ "$RC" -ge 2 ]; then
		notok "hookdoctor exit $RC" "$(head -n 3 "$ERR")"
	fi
}

# expect TITLE ID STATUS [TEXT]: the status (and message text) of a check
# in the report of the last run, judged when the scenario stops.
expect() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$OUT" "$2" "$3" "$4" "$1" >>"$dir/expect.tsv"
}

# counted TITLE GOT WANT WHAT: ok when GOT equals WANT, else says
# "GOT WHAT, want WANT".
counted() {
	if [ "$2" -eq "$3" ]; then
		ok "$1"
	else
		notok "$1" "$2 $4, want $3"
	fi
}

# writes TITLE N: the emulator saw N writes.
writes() {
	counted "$1" "$(grep -c '"write": true' "$LOG")" "$2" writes
}

# requests TITLE N: the emulator saw N requests.
requests() {
	counted "$1" "$(wc -l <"$LOG" | tr -d ' ')" "$2" requests
}

# calls TITLE PATH N: the emulator saw N requests for PATH.
calls() {
	counted "$1" "$(grep -c "\"path\": \"$2\"," "$LOG")" "$3" "requests for $2"
}

# evidence TITLE TEXT: the report of the last run holds TEXT.
evidence() {
	if grep -q -- "$2" "$OUT"; then
		ok "$1"
	else
		notok "$1" "no $2 in $OUT"
	fi
}

# ------------------------------------------------------------------ GitHub

TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a
gh_ok='{"token": "'$TOKEN'", "scopes": ["repo", "read:org"], "commits": ["'$SHA'"],
	"statuses": [{"commit": "'$SHA'", "identity": "ci/devopness(deploy)", "state": "success", "count": 2}]}'

emulate github "$gh_ok"
hd --only $HD6
expect "github: valid token (HD601 pass)" HD601 pass "answered 200"
expect "github: classic token with repo and push (HD602 pass)" HD602 pass "push access"
expect "github: GHE base from the target URL, repository readable (HD603 pass)" HD603 pass "acme/shop-api is readable"
expect "github: commit exists (HD604 pass)" HD604 pass
expect "github: existing statuses listed (HD605 pass)" HD605 pass "ci/devopness(deploy)"
expect "github: HD606 skipped without --send" HD606 skip "only with --send"
expect "github: no required checks (HD607 pass)" HD607 pass
writes "github: nothing written without --send" 0
hd --only $HD6 --send --skip HD606
writes "github: --send with HD606 skipped writes nothing" 0
stop

emulate github "$gh_ok"
hd --only $HD6 --send
expect "github: --send updates the same entry (HD606 pass)" HD606 pass "the same entry as the 2 earlier statuses"
expect "github: --send proves the permission (HD602 pass)" HD602 pass "proved by --send"
writes "github: --send writes exactly one status" 1
if grep '"write": true' "$LOG" | grep -q 'hookdoctor test' &&
	grep '"write": true' "$LOG" | grep -q 'ci/devopness(deploy)'; then
	ok "github: the test status is pending 'hookdoctor test' with the hook's context"
else
	notok "github: the test status is pending 'hookdoctor test' with the hook's context" "$(grep '"write"' "$LOG")"
fi
stop

emulate github '{"token": "'$TOKEN'", "scopes": ["repo"], "commits": ["'$SHA'", "'$OTHER'", "89abcdef0123456789abcdef0123456789abcdef"]}' github-commits
hd --only $HD6
calls "github: four commits, one token: GET /user is asked once" /api/v3/user 1
calls "github: four commits of one repository: the repository is read once" /api/v3/repos/acme/shop-api 1
calls "github: four commits: the branch's rules are read once" /api/v3/repos/acme/shop-api/rules/branches/main 1
calls "github: four commits: the branch protection is read once" /api/v3/repos/acme/shop-api/branches/main 1
if python3 - "$OUT" <<'PY'
import json, sys
hooks = json.load(open(sys.argv[1]))["hooks"]
names = [h["name"] for h in hooks]
def st(h, cid):
    return [c for c in h["checks"] if c["id"] == cid][0]
assert names == ["GitHub commit status %d" % i for i in range(1, 5)], names
assert [st(h, "HD604")["status"] for h in hooks] == ["pass", "pass", "fail", "pass"]
assert all(st(h, "HD601")["status"] == "pass" for h in hooks)
for cid in ("HD601", "HD603"):   # HD607 shows no call when it passes
    reused = ["reused" in st(h, cid).get("evidence", {}) for h in hooks]
    assert reused == [False, True, True, True], (cid, reused)
# Apart from the marker (and the time taken), the same findings.
def strip(c):
    c = json.loads(json.dumps(c))
    for k in ("reused", "seconds"):
        c.get("evidence", {}).pop(k, None)
    return c
for cid in ("HD601", "HD602", "HD603", "HD607"):
    assert all(strip(st(h, cid)) == strip(st(hooks[0], cid)) for h in hooks), cid
PY
then
	ok "github: concurrent reads, report in input order, the token's, repository's and required-checks reads reused"
else
	notok "github: concurrent reads, report in input order" "see $OUT"
fi
stop

# Which hook shows the shared reads' answer unmarked does not depend on
# which thread asked first: always the first in input order. The answers
# come 5 ms late so the four threads overlap; before, about half the runs
# marked another hook's (the one whose thread asked first).
emulate github '{"token": "'$TOKEN'", "scopes": ["repo"], "latency_ms": 5, "commits": ["'$SHA'", "'$OTHER'", "89abcdef0123456789abcdef0123456789abcdef"]}' github-commits
marks=""
for i in 1 2 3 4 5 6; do
	hd --only HD601,HD603
	marks="$marks $(python3 - "$OUT" <<'PY'
import json, sys
hooks = json.load(open(sys.argv[1]))["hooks"]
def st(h, cid):
    return [c for c in h["checks"] if c["id"] == cid][0]
print(",".join("".join("R" if "reused" in st(h, cid).get("evidence", {}) else "-"
                       for h in hooks) for cid in ("HD601", "HD603")))
PY
)"
done
if [ "$(echo $marks | tr ' ' '\n' | sort -u)" = "-RRR,-RRR" ]; then
	ok "github: the first hook in input order holds the shared reads' answer, in every run"
else
	notok "github: the first hook in input order holds the shared reads' answer" "runs:$marks"
fi
stop

# The shared repository read runs into the rate limit: the commit that
# made it reports the 403; the others, which waited for it, do not copy it
# (as for any call after a limit) and are told their read was not sent.
emulate github '{"token": "'$TOKEN'", "scopes": ["repo"], "latency_ms": 10, "limit_paths": "^/api/v3/repos/acme/shop-api$", "commits": ["'$SHA'", "'$OTHER'", "89abcdef0123456789abcdef0123456789abcdef"]}' github-commits
hd --only $HD6
calls "github: a rate-limited repository read is made once" /api/v3/repos/acme/shop-api 1
requests "github: no call after the limited repository read" 2
if python3 - "$OUT" <<'PY'
import json, sys
hooks = json.load(open(sys.argv[1]))["hooks"]
def st(h, cid):
    return [c for c in h["checks"] if c["id"] == cid][0]
hd603 = [st(h, "HD603") for h in hooks]
assert all(c["status"] == "skip" for c in hd603), hd603
made = [c for c in hd603 if c.get("evidence", {}).get("http_status") == "403"]
assert len(made) == 1, hd603
assert "reused" not in made[0]["evidence"], made
rest = [c for c in hd603 if c not in made]
assert len(rest) == 3 and all("not sent: " in c["message"] and
                               "reused" not in c.get("evidence", {}) for c in rest), rest
PY
then
	ok "github: the commits after a rate-limited shared read are told it was not sent, not given a copy"
else
	notok "github: the commits after a rate-limited shared read" "see $OUT"
fi
stop

# Many hooks at once: 40 hooks on 40 commits of one repository, every
# seventh commit unknown to the provider, answers 10 ms late so that the
# calls overlap. The report must be in input order whatever order the
# answers came in, and each commit read once. No timing is asserted.
many_shas=$(python3 -c 'print(" ".join("%040x" % (0xa11ce000 + i) for i in range(40)))')
# many_hooks: $HOOK becomes one copy of its first hook per commit of
# $many_shas, named "GitHub commit status N".
many_hooks() {
	python3 - "$HOOK" $many_shas <<'PY'
import json, sys
path, shas = sys.argv[1], sys.argv[2:]
first = json.load(open(path))[0]
url = first["target_url"].rsplit("/", 1)[0]
hooks = []
for i, sha in enumerate(shas):
    h = json.loads(json.dumps(first))
    h["name"] = "GitHub commit status %d" % (i + 1)
    h["target_url"] = "%s/%s" % (url, sha)
    hooks.append(h)
json.dump(hooks, open(path, "w"), indent=1)
PY
}
many_known=$(python3 -c 'import json, sys; print(json.dumps([s for i, s in enumerate(sys.argv[1:]) if i % 7 != 3]))' $many_shas)
emulate github '{"token": "'$TOKEN'", "scopes": ["repo"], "latency_ms": 10, "commits": '"$many_known"'}' github-commits
many_hooks
hd --only $HD6
if python3 - "$OUT" "$LOG" $many_shas <<'PY'
import collections, json, sys
out, log, shas = sys.argv[1], sys.argv[2], sys.argv[3:]
hooks = json.load(open(out))["hooks"]
def st(h, cid):
    return [c for c in h["checks"] if c["id"] == cid][0]["status"]
names = [h["name"] for h in hooks]
assert names == ["GitHub commit status %d" % (i + 1) for i in range(40)], names
want = ["fail" if i % 7 == 3 else "pass" for i in range(40)]
got = [st(h, "HD604") for h in hooks]
assert got == want, got
assert all(st(h, "HD601") == "pass" and st(h, "HD603") == "pass" for h in hooks)
paths = collections.Counter(json.loads(l)["path"] for l in open(log))
base = "/api/v3/repos/acme/shop-api/commits/"
for i, sha in enumerate(shas):
    assert paths[base + sha] == 1, (sha, paths[base + sha])
    assert paths[base + sha + "/statuses"] == (0 if i % 7 == 3 else 1), sha
assert paths["/api/v3/user"] == 1, paths["/api/v3/user"]
assert paths["/api/v3/repos/acme/shop-api"] == 1, paths["/api/v3/repos/acme/shop-api"]
assert paths["/api/v3/repos/acme/shop-api/rules/branches/main"] == 1, paths
assert paths["/api/v3/repos/acme/shop-api/branches/main"] == 1, paths
# user, repository, 2 required-checks reads, 40 commits, 34 status lists
assert sum(paths.values()) == 1 + 1 + 2 + 40 + 34, sum(paths.values())
PY
then
	ok "github: 40 hooks on 40 commits at once: report in input order, each commit read once, the repository and its required checks once"
else
	notok "github: 40 hooks on 40 commits at once" "see $OUT and $LOG"
fi
writes "github: 40 hooks without --send write nothing" 0
: >"$LOG"
hd --only $HD6 --send
if python3 - "$OUT" "$LOG" $many_shas <<'PY'
import collections, json, sys
out, log, shas = sys.argv[1], sys.argv[2], sys.argv[3:]
hooks = json.load(open(out))["hooks"]
def st(h, cid):
    return [c for c in h["checks"] if c["id"] == cid][0]["status"]
want = ["skip" if i % 7 == 3 else "pass" for i in range(40)]
got = [st(h, "HD606") for h in hooks]
assert got == want, got
writes = collections.Counter(json.loads(l)["path"] for l in open(log)
                             if json.loads(l)["write"])
for i, sha in enumerate(shas):
    n = writes["/api/v3/repos/acme/shop-api/statuses/" + sha]
    assert n == (0 if i % 7 == 3 else 1), (sha, n)
assert sum(writes.values()) == 34, writes
PY
then
	ok "github: --send on 40 commits at once: one test status per known commit, none elsewhere"
else
	notok "github: --send on 40 commits at once" "see $OUT and $LOG"
fi
stop

emulate github "$gh_ok" github-set
hd --only $HD6
requests "github: three hooks of one repository and commit share one set of reads" 6
hd --only $HD6 --send
writes "github: three hooks with one context post one test status" 1
expect "github: the test status of a set is read back (HD606 pass)" HD606 pass "the same entry"
stop

emulate github '{"token": "'$TOKEN'", "scopes": ["read:org"], "commits": ["'$SHA'"]}'
hd --only $HD6
expect "github: missing scope named (HD602 fail)" HD602 fail "token has scopes read:org; statuses need repo or repo:status"
stop

emulate github '{"token": "'$TOKEN'", "scopes": ["repo"], "repo": {"push": false}, "commits": ["'$SHA'"]}'
hd --only $HD6
expect "github: no push access (HD602 fail)" HD602 fail "no push access"
stop

emulate github '{"token": "other", "commits": ["'$SHA'"]}'
hd --only $HD6
expect "github: bad token (HD601 fail, 401 Bad credentials)" HD601 fail "401 \"Bad credentials\""
expect "github: later checks skip on HD601" HD603 skip "HD601 failed"
requests "github: a refused token stops the calls" 1
stop

emulate github '{"token": "'$TOKEN'", "repo": {"access": false}, "commits": ["'$SHA'"]}'
hd --only $HD6
expect "github: private repository without access answers 404 (HD603 fail)" HD603 fail "answered 404"
expect "github: HD604 skips when HD603 failed" HD604 skip "HD603 failed"
stop

emulate github '{"token": "'$TOKEN'", "commits": []}'
hd --only $HD6
expect "github: unknown commit, 422 No commit found (HD604 fail)" HD604 fail "No commit found for SHA"
hd --only $HD6 --send
expect "github: --send skipped when the commit is unknown (HD606 skip)" HD606 skip "HD604 failed"
writes "github: nothing written to an unknown commit" 0
stop

emulate github '{"token": "'$TOKEN'", "commits": ["'$SHA'"],
	"statuses": [{"commit": "'$SHA'", "identity": "ci/devopness(deploy)", "state": "success"},
		     {"commit": "'$SHA'", "identity": "CI/devopness (deploy)", "state": "pending"}]}'
hd --only $HD6
expect "github: entries split across near-identical contexts (HD605 warn)" HD605 warn "CI/devopness (deploy)"
stop

emulate github '{"token": "'$TOKEN'", "commits": ["'$SHA'"],
	"statuses": [{"commit": "'$SHA'", "identity": "ci/devopness(deploy)", "state": "success", "count": 1000}]}'
hd --only $HD6
expect "github: the per-context limit of 1000 (HD605 warn)" HD605 warn "has 1000 statuses"
stop

emulate github '{"token": "'$TOKEN'", "commits": ["'$SHA'"], "required": ["ci/devopness (deploy)"]}'
hd --only $HD6
expect "github: required check nearly matches (HD607 warn)" HD607 warn "ci/devopness (deploy)"
stop

emulate github '{"token": "'$TOKEN'", "commits": ["'$SHA'"], "required": ["ci/devopness(deploy)"]}'
hd --only $HD6
expect "github: required check matches exactly (HD607 pass)" HD607 pass "required check on main"
stop

TOKEN=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz
emulate github '{"token": "'$TOKEN'", "scopes": null, "repo": {"write_refused": true}, "commits": ["'$SHA'"]}'
hd --only $HD6
expect "github: fine-grained token, permission not readable (HD602 pass with note)" HD602 pass "cannot be read back"
hd --only $HD6 --send
expect "github: fine-grained token refused statuses=write (HD602 fail)" HD602 fail "statuses=write"
expect "github: fine-grained token refused (HD606 fail)" HD606 fail "answered 403"
stop
TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a

emulate github '{"token": "'$TOKEN'", "commits": ["'$SHA'"], "rate_limit": "retry"}'
hd --only $HD6
expect "github: 429 with Retry-After 1 is waited out once (HD601 pass)" HD601 pass
if [ "$SECS" -ge 1 ] && [ "$SECS" -le $((10 * SLOW)) ]; then
	ok "github: the Retry-After wait took ${SECS}s"
else
	notok "github: the Retry-After wait" "took ${SECS}s"
fi
stop

for form in retry-date retry-rfc850 retry-past; do
	emulate github '{"token": "'$TOKEN'", "commits": ["'$SHA'"], "rate_limit": "'$form'"}'
	hd --only $HD6
	expect "github: 429 with Retry-After as an HTTP-date ($form) is waited out once (HD601 pass)" HD601 pass
	evidence "github: $form: the call says it was retried" '"retried"'
	requests "github: $form: one retry, then the usual six reads" 7
	stop
done

emulate github '{"token": "'$TOKEN'", "commits": ["'$SHA'"], "rate_limit": "too-many-date"}'
hd --only $HD6
expect "github: a Retry-After date an hour ahead is not waited (HD601 skip)" HD601 skip "longer than --timeout"
requests "github: no call after a far Retry-After date" 1
stop

emulate github '{"token": "'$TOKEN'", "commits": ["'$SHA'"], "rate_limit": "primary"}'
hd --only $HD6
expect "github: primary rate limit reported (HD601 skip)" HD601 skip "rate limited"
requests "github: no call after the limit is used up" 1
stop

emulate github '{"token": "'$TOKEN'", "commits": ["'$SHA'"], "rate_limit": "secondary"}'
hd --only $HD6
expect "github: secondary rate limit reported (HD601 skip)" HD601 skip "secondary rate limit"
requests "github: a Retry-After longer than --timeout is not waited" 1
stop

emulate github '{"token": "'$TOKEN'", "stall": true, "stall_seconds": '$((20 * SLOW))'}'
hd --only $HD6 --timeout 1
if [ "$SECS" -le $((8 * SLOW)) ]; then
	ok "github: a provider that never answers is bounded by --timeout (${SECS}s)"
else
	notok "github: bounded by --timeout" "took ${SECS}s"
fi
expect "github: no answer within --timeout (HD601 skip)" HD601 skip "timed out"
stop

# A provider that stops answering, 40 hooks on 40 commits: the token and
# the repository are read, the commits never answer. The first call that
# times out stops the calls to that host, so the run asks at most what was
# already in flight (32 calls) instead of every read of every commit, each
# waiting out --timeout.
emulate github '{"token": "'$TOKEN'", "scopes": ["repo"], "commits": '"$many_known"', "stall_paths": "/commits/", "stall_seconds": 20}' github-commits
many_hooks
hd --only $HD6 --timeout 1
r=$(grep -c '"stalled": true' "$LOG")
if [ "$r" -ge 1 ] && [ "$r" -le 32 ]; then
	ok "github: a silent provider: calls stop after the first timeout ($r unanswered)"
else
	notok "github: a silent provider: calls stop after the first timeout" "$r unanswered calls, want 1 to 32"
fi
evidence "github: the calls not made say why" "not sent: "
stop

emulate github "$gh_ok"
TOKEN_SAVE=$TOKEN
TOKEN=
hd --only $HD6
expect "github: no token, HD6xx skipped with the reason" HD601 skip "no provider token"
TOKEN=$TOKEN_SAVE
hd --only $HD6 --offline --send
expect "github: --offline skips the provider" HD601 skip "--offline"
requests "github: --offline asks nothing" 0
printf '%s\n' "$TOKEN" >"$TMP/token"
TOKEN=
hd --only $HD6 --provider-token-file "$TMP/token"
expect "github: token from --provider-token-file (HD601 pass)" HD601 pass
TOKEN=$TOKEN_SAVE
hd --allow-private
expect "github: with every check, HD601 still passes" HD601 pass
if [ "$RC" -eq 0 ] || [ "$RC" -eq 1 ]; then
	ok "github: a full check run ends with exit $RC"
else
	notok "github: a full check run" "exit $RC"
fi
writes "github: a full check run writes nothing" 0
stop

# ------------------------------------------------------------------ GitLab

TOKEN=glpat-Abcdefghij0123456789
emulate gitlab '{"token": "'$TOKEN'", "scopes": ["api"], "commits": ["'$SHA'"],
	"statuses": [{"commit": "'$SHA'", "identity": "devopness/deploy", "state": "success"}]}'
hd --only $HD6
expect "gitlab: valid token (HD601 pass)" HD601 pass
expect "gitlab: api scope and Developer access (HD602 pass)" HD602 pass "access level 30"
expect "gitlab: self-hosted base from the target URL (HD603 pass)" HD603 pass
expect "gitlab: commit exists (HD604 pass)" HD604 pass
expect "gitlab: existing statuses (HD605 pass)" HD605 pass "devopness/deploy"
expect "gitlab: no required statuses to read (HD607 skip)" HD607 skip "pipelines"
writes "gitlab: nothing written without --send" 0
hd --only $HD6 --send
expect "gitlab: --send posts under the same name (HD606 pass)" HD606 pass "devopness/deploy"
writes "gitlab: --send writes one status" 1
stop

emulate gitlab '{"token": "'$TOKEN'", "scopes": ["read_api", "read_repository"], "commits": ["'$SHA'"]}'
hd --only $HD6
expect "gitlab: read_api is not enough (HD602 warn, a reported fact)" HD602 warn "token has scopes read_api, read_repository; statuses need api"
stop

emulate gitlab '{"token": "'$TOKEN'", "repo": {"access_level": 20}, "commits": ["'$SHA'"]}'
hd --only $HD6
expect "gitlab: Reporter access (HD602 warn)" HD602 warn "access level 20 (Reporter)"
stop

emulate gitlab '{"token": "'$TOKEN'", "repo": {"access": false}, "commits": ["'$SHA'"]}'
hd --only $HD6
expect "gitlab: 404 Project Not Found (HD603 fail)" HD603 fail "404 Project Not Found"
stop

emulate gitlab '{"token": "'$TOKEN'", "commits": []}'
hd --only $HD6
expect "gitlab: 404 Commit Not Found (HD604 fail)" HD604 fail "404 Commit Not Found"
stop

emulate gitlab '{"token": "other"}'
hd --only $HD6
expect "gitlab: 401 Unauthorized (HD601 fail)" HD601 fail "401 Unauthorized"
stop

emulate gitlab '{"token": "'$TOKEN'", "commits": ["'$SHA'"], "rate_limit": "reset-time"}'
hd --only $HD6
expect "gitlab: 429 with RateLimit-ResetTime (an HTTP-date) is waited out once (HD601 pass)" HD601 pass
evidence "gitlab: the call after the reset says it was retried" '"retried"'
stop

emulate gitlab '{"token": "'$TOKEN'", "oauth": true, "commits": ["'$SHA'"]}'
hd --only $HD6
expect "gitlab: an OAuth token falls back to GET /user (HD601 pass)" HD601 pass "GET /user"
stop

emulate gitlab '{"token": "'$TOKEN'", "commits": ["'$SHA'"],
	"statuses": [{"commit": "'$SHA'", "identity": "devopness/deploy", "state": "pending"}]}'
hd --only $HD6 --send
expect "gitlab: pending twice is refused (HD606 warn)" HD606 warn "Cannot transition"
stop

# ------------------------------------------------------------------ Bitbucket Cloud

TOKEN=ATCTT3xFfGN0-bitbucket-access-token
bbc_ok='{"token": "'$TOKEN'", "commits": ["'$SHA'"],
	"statuses": [{"commit": "'$SHA'", "identity": "DEVOPNESS-DEPLOY", "state": "SUCCESSFUL"}]}'

emulate bitbucket-cloud "$bbc_ok"
hd --only $HD6 --provider-api-url "$BASE/2.0"
expect "bitbucket-cloud: valid token via --provider-api-url (HD601 pass)" HD601 pass
expect "bitbucket-cloud: reading the repository is enough (HD602 pass)" HD602 pass "reading acme/shop-api"
expect "bitbucket-cloud: repository readable (HD603 pass)" HD603 pass
expect "bitbucket-cloud: commit exists (HD604 pass)" HD604 pass
expect "bitbucket-cloud: existing statuses (HD605 pass)" HD605 pass "DEVOPNESS-DEPLOY"
writes "bitbucket-cloud: nothing written without --send" 0
requests "bitbucket-cloud: the token and repository read is asked once" 3
hd --only $HD6 --provider-api-url "$BASE/2.0" --send
expect "bitbucket-cloud: --send overwrites the same key (HD606 pass)" HD606 pass "the same entry"
writes "bitbucket-cloud: --send writes one status" 1
stop

emulate bitbucket-cloud '{"token": "'$TOKEN'", "scopes": ["account"], "commits": ["'$SHA'"]}'
hd --only $HD6 --provider-api-url "$BASE/2.0"
expect "bitbucket-cloud: 403 names the missing scope (HD603 fail)" HD603 fail "needs repository and has account"
stop

emulate bitbucket-cloud '{"token": "other"}'
hd --only $HD6 --provider-api-url "$BASE/2.0"
expect "bitbucket-cloud: 401 invalid token (HD601 fail)" HD601 fail "Token is invalid"
stop

emulate bitbucket-cloud '{"token": "'$TOKEN'", "repo": {"access": false}}'
hd --only $HD6 --provider-api-url "$BASE/2.0"
expect "bitbucket-cloud: no access, 404 (HD603 fail)" HD603 fail "answered 404"
stop

emulate bitbucket-cloud '{"token": "'$TOKEN'", "commits": ["'$SHA'"],
	"statuses": [{"commit": "'$SHA'", "identity": "DEVOPNESS-DEPLOY", "state": "SUCCESSFUL"},
		     {"commit": "'$SHA'", "identity": "devopness-deploy", "state": "INPROGRESS"}]}'
hd --only $HD6 --provider-api-url "$BASE/2.0"
expect "bitbucket-cloud: keys split by case (HD605 warn)" HD605 warn "devopness-deploy"
stop

# ------------------------------------------------------------------ Bitbucket Data Center

TOKEN=BBDC-MzM4NzE2NTk2NjQ3OlpTR0xkYW1pbg
emulate bitbucket-dc '{"token": "'$TOKEN'", "commits": ["'$SHA'"], "required": ["DEVOPNESS_DEPLOY"]}'
hd --only $HD6
expect "bitbucket-dc: valid token (HD601 pass)" HD601 pass
expect "bitbucket-dc: REPO_READ is enough (HD602 pass)" HD602 pass
expect "bitbucket-dc: commit exists (HD604 pass)" HD604 pass
expect "bitbucket-dc: required build key nearly matches (HD607 warn)" HD607 warn "DEVOPNESS_DEPLOY"
writes "bitbucket-dc: nothing written without --send" 0
hd --only $HD6 --send
expect "bitbucket-dc: --send, 204, read back (HD606 pass)" HD606 pass "a new entry"
writes "bitbucket-dc: --send writes one status" 1
stop

emulate bitbucket-dc '{"token": "'$TOKEN'", "repo": {"access": false}}'
hd --only $HD6
expect "bitbucket-dc: 401 AuthorisationException still authenticates (HD601 pass)" HD601 pass "AuthorisationException"
expect "bitbucket-dc: no permission on the repository (HD603 fail)" HD603 fail "answered 401"
stop

emulate bitbucket-dc '{"token": "other"}'
hd --only $HD6
expect "bitbucket-dc: bad credentials (HD601 fail)" HD601 fail "Authentication failed"
stop

emulate bitbucket-dc '{"token": "'$TOKEN'", "commits": []}'
hd --only $HD6
expect "bitbucket-dc: unknown commit (HD604 fail)" HD604 fail "does not exist"
stop

# ------------------------------------------------------------------ Azure DevOps

TOKEN=azdopat0123456789abcdefghijklmnopqrstuvwxyz0123
emulate azure-devops '{"token": "'$TOKEN'", "commits": ["'$SHA'"],
	"statuses": [{"commit": "'$SHA'", "identity": "deploy/devopness", "state": "succeeded"}]}'
hd --only $HD6
expect "azure-devops: valid token (HD601 pass)" HD601 pass
expect "azure-devops: PAT scopes cannot be read (HD602 skip)" HD602 skip "--send"
expect "azure-devops: repository readable (HD603 pass)" HD603 pass
expect "azure-devops: existing statuses by name+genre (HD605 pass)" HD605 pass "deploy/devopness"
writes "azure-devops: nothing written without --send" 0
hd --only $HD6 --send
expect "azure-devops: --send proves the permission (HD602 pass)" HD602 pass "proved by --send"
expect "azure-devops: --send reads back the same context (HD606 pass)" HD606 pass "the same entry"
writes "azure-devops: --send writes one status" 1
stop

emulate azure-devops '{"token": "other"}'
hd --only $HD6
expect "azure-devops: TF400813 (HD601 fail)" HD601 fail "TF400813"
stop

emulate azure-devops '{"token": "'$TOKEN'", "repo": {"access": false}}'
hd --only $HD6
expect "azure-devops: TF401019 (HD603 fail)" HD603 fail "TF401019"
stop

# ------------------------------------------------------------------ Gitea

TOKEN=0123456789abcdef0123456789abcdef01234567
emulate gitea '{"token": "'$TOKEN'", "commits": ["'$SHA'"], "required": ["devopness/deploy"]}'
hd --only $HD6
expect "gitea: valid token on any host (HD601 pass)" HD601 pass
expect "gitea: push permission (HD602 pass)" HD602 pass "push access"
expect "gitea: commit exists (HD604 pass)" HD604 pass
expect "gitea: required context matches exactly (HD607 pass)" HD607 pass
writes "gitea: nothing written without --send" 0
hd --only $HD6 --send
expect "gitea: --send, read back (HD606 pass)" HD606 pass "devopness/deploy"
writes "gitea: --send writes one status" 1
stop

emulate gitea '{"token": "'$TOKEN'", "repo": {"push": false}, "commits": ["'$SHA'"]}'
hd --only $HD6
expect "gitea: no push permission (HD602 fail)" HD602 fail "no push access"
stop

emulate gitea '{"token": "'$TOKEN'", "scopes": ["read:user"], "commits": ["'$SHA'"]}'
hd --only $HD6
expect "gitea: 403 names the missing scope (HD603 fail)" HD603 fail "read:repository"
stop

emulate gitea '{"token": "'$TOKEN'", "commits": ["'$SHA'"], "required": ["Devopness/Deploy"]}'
hd --only $HD6
expect "gitea: required context differs in case (HD607 warn)" HD607 warn "Devopness/Deploy"
stop

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
