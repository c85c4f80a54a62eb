#!/bin/sh
# tests/report/run.sh [BINARY] - `hookdoctor report`, end to end:
#
#   - secrets planted in every input field (hook name, events, conditions,
#     URL userinfo and query, every header, body fields), in --var and
#     --api-token, and in the environment (tokens, a proxy password) never
#     reach PATH.md, PATH.json or PATH.html, nor any other output format;
#   - the three files are complete (JSON parses, HTML closes, no script,
#     no external asset), and nothing else is left beside them;
#   - exit statuses are check's; bad input or an unwritable PATH leaves no
#     file (a directory in one file's place replaces none of the others);
#     a report over an existing one replaces it whole; one stopped by
#     SIGTERM or SIGHUP leaves no temporary file and the old one whole;
#   - online against a local HTTPS server (made here with `openssl` and
#     python3): the JSON holds the timings and the certificate, the HTML
#     draws the waterfall and the timeline;
#   - the HTML is opened in headless Chromium and a screenshot is taken; it
#     must exist and be larger than a blank page. Chromium is Debian's
#     `chromium`, installed here with apt-get when it is missing and we are
#     root (make test runs this); without it this step fails.
#
# Prints "ok"/"not ok" lines and "N passed, N failed". The screenshot is
# kept in build/report-shot.png for a person to look at. Under valgrind
# (HD_UNDER_VALGRIND=1, tests/valgrind.sh) the HTTPS server lives SLOW
# times longer (tests/slowdown.py).

cd "$(dirname "$0")/../.." || exit 2
bin=${1:-./hookdoctor}
SLOW=$(python3 tests/slowdown.py) || exit 2
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hookdoctor-report.XXXXXX") || exit 2
srv_pid=
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
# wait_for_file PATH: until a server started in the background has
# written its port there (at most 10 s).
wait_for_file() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

unset NO_COLOR
export LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=1767225600

# --- secrets ---
python3 tests/report/make_secrets.py "$tmp" || exit 2
mkdir -p "$tmp/sec"
(
	export HTTPS_PROXY=http://proxyuser:S3CRETNINE@127.0.0.1:9
	export DEVOPNESS_API_TOKEN=S3CRETTHIRTEEN
	export HOOKDOCTOR_PROVIDER_TOKEN=S3CRETFOURTEEN
	"$bin" report --offline --file "$tmp/hooks.json" \
		--var application.source_provider.access_token=S3CRETELEVEN \
		--var action.url_web_permalink=https://dave:S3CRETSEVEN@app.devopness.com/a \
		--api-token S3CRETTWELVE -o "$tmp/sec/r" >"$tmp/sec.out" 2>"$tmp/sec.err"
	echo $? >"$tmp/sec.rc"
	for fmt in text json markdown junit sarif; do
		"$bin" check -v --offline --format $fmt --file "$tmp/hooks.json" \
			--var application.source_provider.access_token=S3CRETELEVEN \
			>"$tmp/sec/check.$fmt" 2>>"$tmp/sec/check.err"
	done
	"$bin" render --as curl --file "$tmp/hooks.json" >"$tmp/sec/render.curl" 2>&1
)
rc=$(cat "$tmp/sec.rc")
check "report with planted secrets: exit 1 as check (the hooks have failures)" '[ "$rc" = 1 ]'
check "report writes PATH.md, PATH.json and PATH.html" \
	'[ -s "$tmp/sec/r.md" ] && [ -s "$tmp/sec/r.json" ] && [ -s "$tmp/sec/r.html" ]'
check "report leaves no temporary file beside them" \
	'[ "$(ls "$tmp/sec" | grep -c "tmp-")" = 0 ]'
check "report says where it wrote" 'grep -q "wrote $tmp/sec/r.md" "$tmp/sec.out"'
leaks=$(grep -l -F -f "$tmp/secrets.txt" "$tmp"/sec/* "$tmp/sec.out" "$tmp/sec.err" 2>/dev/null)
check "no planted secret reaches any file or output${leaks:+ (leaked into: $leaks)}" '[ -z "$leaks" ]'
if [ -n "$leaks" ]; then
	grep -o -F -f "$tmp/secrets.txt" $leaks | sort | uniq -c | head -20
fi
check "secrets are shown as fingerprints" \
	'grep -q "\*\*\*(sha256:" "$tmp/sec/r.md" && grep -q "\*\*\*(sha256:" "$tmp/sec/r.json" && grep -q "\*\*\*(sha256:" "$tmp/sec/r.html"'
check "the token variables of the environment are named, not shown" \
	'grep -q "DEVOPNESS_API_TOKEN: set (not shown)" "$tmp/sec/r.md"'
check "the JSON report parses and holds every part" \
	'python3 - "$tmp/sec/r.json" <<EOF
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tool"]["libraries"]["libcurl"] and d["tool"]["libraries"]["openssl"]
assert d["tool"]["libraries"]["pcre2"] and d["tool"]["libraries"]["cjson"]
assert d["system"]["os"]
assert "--offline" in d["options"]["argv"]
assert len(d["hooks"]) == 2
h = d["hooks"][0]
assert h["hook"]["name"].startswith("deploy ***(sha256:")
assert h["requests"] and h["requests"][0]["method"] == "POST"
assert all("id" in c and "status" in c and "hint" in c for c in h["checks"])
assert any(c["hint"] for c in h["checks"] if c["status"] == "fail")
assert h["network"] is None and h["delivery_history"]["fetched"] is False
assert d["pipeline_checks"] and d["summary"]["hooks"] == 2
EOF'
check "the HTML is one self-contained page without script" \
	'grep -q "</html>" "$tmp/sec/r.html" && ! grep -qi "<script\|<link\|src=\|@import\|url(" "$tmp/sec/r.html"'
check "offline, the HTML says the timings were not measured" \
	'grep -q "Not measured (offline)" "$tmp/sec/r.html"'
check "the HTML draws the status timeline per identity" \
	'grep -q "aria-label=\"status timeline\"" "$tmp/sec/r.html"'

# --- exit statuses and atomic writes ---
"$bin" report --offline --file tests/cases/hooks/github-ok.json -o "$tmp/ok/r" >/dev/null 2>&1
check "report into a directory that does not exist: exit 2, no file" \
	'[ $? = 2 ] && [ ! -e "$tmp/ok" ]'
mkdir -p "$tmp/ok"
"$bin" report --offline --file tests/cases/hooks/github-ok.json -o "$tmp/ok/r.md" >/dev/null 2>&1
check "a report on a clean hook exits 0; PATH.md names the same three files" \
	'[ $? = 0 ] && [ -s "$tmp/ok/r.md" ] && [ -s "$tmp/ok/r.json" ] && [ -s "$tmp/ok/r.html" ]'
"$bin" report --offline --strict --file tests/cases/hooks/hd305-no-user-agent.json -o "$tmp/ok/r" >/dev/null 2>&1
check "--strict: a warning makes report exit 1 as it makes check" '[ $? = 1 ]'
check "a second report replaces the first whole" \
	'grep -q "hd305-no-user-agent" "$tmp/ok/r.json" && ! grep -q "github-ok" "$tmp/ok/r.json"'
cp "$tmp/ok/r.json" "$tmp/before.json"
"$bin" report --offline --file tests/cases/hooks/bad-trailing-comma.json -o "$tmp/ok/r" >/dev/null 2>"$tmp/bad.err"
check "unusable input: exit 2, the error names the place, the old report stays" \
	'[ $? = 2 ] && grep -q "bad-trailing-comma.json:[0-9]*:[0-9]*" "$tmp/bad.err" && cmp -s "$tmp/before.json" "$tmp/ok/r.json"'
check "unusable input leaves no temporary file" '[ "$(ls "$tmp/ok" | grep -c "tmp-")" = 0 ]'
# A directory where PATH.html goes: refused before anything is written,
# so PATH.md and PATH.json are not replaced while PATH.html cannot be.
cp "$tmp/ok/r.md" "$tmp/before.md"
rm -f "$tmp/ok/r.html"
mkdir "$tmp/ok/r.html"
"$bin" report --offline --file tests/cases/hooks/github-ok.json -o "$tmp/ok/r" >/dev/null 2>"$tmp/dir.err"
check "a directory in PATH.html's place: exit 2 naming it, the other two files untouched" \
	'[ $? = 2 ] && grep -q "r.html.: it is a directory" "$tmp/dir.err" && cmp -s "$tmp/before.md" "$tmp/ok/r.md" && cmp -s "$tmp/before.json" "$tmp/ok/r.json" && [ "$(ls "$tmp/ok" | grep -c "tmp-")" = 0 ]'
rmdir "$tmp/ok/r.html"

# --- trigger conditions judged against given values (HD113) ---
mkdir -p "$tmp/cond"
"$bin" report --offline --file tests/cases/hooks/github-ok.json \
	--var action.triggered_from.hook_parsed_variables.pipeline_id=999 \
	-o "$tmp/cond/r" >/dev/null 2>&1
check "conditions judged: every file says the hook fires on nothing for those values" \
	'python3 -c "import json,sys; h=json.load(open(sys.argv[1]))[\"hooks\"]; sys.exit(not all(x[\"fires_for_action\"] == [] for x in h))" "$tmp/cond/r.json" && grep -q "for the --var values: nothing (HD113)" "$tmp/cond/r.md" && grep -q "for the --var values: nothing (HD113)" "$tmp/cond/r.html"'

# --- stopped by a signal: the temporary files go, the old report stays ---
# A server that accepts and never answers keeps the probe waiting; the
# report is stopped with TERM, then HUP, while it waits (not INT: a
# background job of this shell starts with SIGINT ignored, and a signal
# ignored from the start stays ignored).
for sig in TERM HUP; do
	mkdir -p "$tmp/sig-$sig"
	printf '{"old": true}\n' >"$tmp/sig-$sig/r.json"
	rm -f "$tmp/stall-port"
	python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
conns = []
end = time.time() + float(sys.argv[2])
while time.time() < end:
    s.settimeout(max(0.1, end - time.time()))
    try:
        conns.append(s.accept()[0])
    except OSError:
        pass
' "$tmp/stall-port" $((30 * SLOW)) &
	stall_pid=$!
	wait_for_file "$tmp/stall-port"
	sed "s#https://api.github.com/#https://127.0.0.1:$(cat "$tmp/stall-port")/#" \
		tests/cases/hooks/github-ok.json >"$tmp/stall.json"
	"$bin" report --allow-private --timeout 20 --provider github \
		--file "$tmp/stall.json" -o "$tmp/sig-$sig/r" >/dev/null 2>&1 &
	hd_pid=$!
	i=0     # until its temporary files exist
	while [ "$(ls "$tmp/sig-$sig" | grep -c 'tmp-')" -lt 3 ] && [ $i -lt $((100 * SLOW)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	had=$(ls "$tmp/sig-$sig" | grep -c 'tmp-')
	kill -s "$sig" "$hd_pid"
	wait "$hd_pid"
	rc=$?
	kill "$stall_pid" 2>/dev/null
	wait "$stall_pid" 2>/dev/null
	check "report stopped by SIG$sig: it dies of the signal, its 3 temporary files go, the old report stays (had $had, exit $rc)" \
		'[ "$had" = 3 ] && [ $rc -gt 128 ] && [ "$(ls "$tmp/sig-$sig")" = r.json ] && grep -q old "$tmp/sig-$sig/r.json"'
done

# --- online: a local HTTPS server ---
online=no
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 30 \
	-subj "/CN=hookdoctor report test" \
	-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >/dev/null 2>&1; then
	python3 tests/report/https_ok.py "$tmp/cert.pem" "$tmp/key.pem" \
		"$tmp/port" $((60 * SLOW)) &
	srv_pid=$!
	wait_for_file "$tmp/port"
	[ -s "$tmp/port" ] && online=yes
fi
check "the local HTTPS server started" '[ "$online" = yes ]'
if [ "$online" = yes ]; then
	port=$(cat "$tmp/port")
	sed "s#https://api.github.com/#https://127.0.0.1:$port/#" \
		tests/cases/hooks/github-ok.json >"$tmp/local.json"
	mkdir -p "$tmp/on"
	"$bin" report --allow-private --cacert "$tmp/cert.pem" --timeout 5 \
		--provider github --file "$tmp/local.json" -o "$tmp/on/r" >/dev/null 2>"$tmp/on.err"
	rc=$?
	check "online report: exit 0 or 1 (exit $rc)" '[ $rc -le 1 ]'
	check "online report: the JSON holds the timings, TLS and the certificate" \
		'python3 - "$tmp/on/r.json" <<EOF
import json, sys
d = json.load(open(sys.argv[1]))
n = d["hooks"][0]["network"]
assert n and n["dns_ms"] is not None and n["connect_ms"] is not None, n
assert n["tls_ms"] is not None and n["first_byte_ms"] is not None, n
assert n["tls_version"], n
assert n["certificates"] and "hookdoctor report test" in n["certificates"][0]["subject"], n
assert n["http_status"] == 200, n
EOF'
	check "online report: the HTML draws the waterfall and names the certificate" \
		'grep -q "aria-label=\"timing waterfall\"" "$tmp/on/r.html" && grep -q "hookdoctor report test" "$tmp/on/r.html"'
	check "online report: the Markdown has the network steps" \
		'grep -q "^| TLS | ok" "$tmp/on/r.md" && grep -q "^| HTTP | GET" "$tmp/on/r.md"'
	check "online report: the HTML has the same network steps as the Markdown" \
		'(for step in DNS connect TLS HTTP; do grep -q "^| $step | " "$tmp/on/r.md" && grep -q "<tr><td>$step</td><td>" "$tmp/on/r.html" || exit 1; done)'
	check "online report: both list the certificate chain and the options used" \
		'grep -q "^Certificates (leaf first):" "$tmp/on/r.md" && grep -q "<p>Certificates (leaf first):</p>" "$tmp/on/r.html" && grep -q "^Options used (redacted):" "$tmp/on/r.md" && grep -q "<p>Options used (redacted):</p>" "$tmp/on/r.html"'
	LC_ALL=C "$bin" check -v --allow-private --cacert "$tmp/cert.pem" --timeout 5 \
		--file "$tmp/local.json" >"$tmp/on.txt" 2>&1
	check "check -v shows the request and response of the probe" \
		'grep -q "^    > GET https://127.0.0.1:$port/" "$tmp/on.txt" && grep -q "^    < HTTP/[0-9.]* 200" "$tmp/on.txt"'
	kill "$srv_pid" 2>/dev/null
	wait "$srv_pid" 2>/dev/null
	srv_pid=
fi

# --- the HTML in a browser ---
chrome=
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then
		chrome=$c
		break
	fi
done
if [ -z "$chrome" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "# installing chromium (Debian) for the screenshot test" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1; }
	command -v chromium >/dev/null 2>&1 && chrome=chromium
fi
check "headless Chromium is available (Debian chromium)" '[ -n "$chrome" ]'
if [ -n "$chrome" ]; then
	page=$tmp/on/r.html
	[ -s "$page" ] || page=$tmp/sec/r.html
	mkdir -p build
	# A loaded machine sometimes gets a blank first frame from a cold
	# Chromium: up to three tries, each with a fresh profile.
	for try in 1 2 3; do
		rm -f build/report-shot.png
		timeout 120 "$chrome" --headless --no-sandbox --disable-gpu \
			--disable-background-networking --disable-component-update \
			--disable-sync --no-first-run --user-data-dir="$tmp/chrome$try" \
			--screenshot="$(pwd)/build/report-shot.png" --window-size=1200,1600 \
			"file://$page" >"$tmp/chrome.log" 2>&1
		size=$(wc -c <build/report-shot.png 2>/dev/null || echo 0)
		[ "$size" -gt 30000 ] && break
	done
	check "Chromium renders the report to a screenshot (build/report-shot.png, $size bytes)" \
		'[ "$size" -gt 30000 ] && head -c 8 build/report-shot.png | grep -q PNG'
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
