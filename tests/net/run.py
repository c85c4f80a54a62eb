#!/usr/bin/env python3
"""tests/net/run.py [HOOKDOCTOR] - the network tests (HD501-HD511).

Starts tests/servers/https_server.py on free ports of 127.0.0.1, and of
the IPv6 loopback ::1 for the IPv6 cases (one process, one listener per
behaviour), makes the certificates with
tests/servers/gen-certs.sh into a temporary directory, then runs
`HOOKDOCTOR probe URL` and `HOOKDOCTOR check FILE` against them and checks
the statuses of the JSON report. Nothing leaves the machine: every URL is
on 127.0.0.1, [::1] or localhost, and the proxy variables of the caller
are dropped. Prints "ok - NAME" / "not ok - NAME" per case and a final
"N passed, N failed"; stops the server it started whatever happens (and
the server exits by itself after 90 s anyway).

Where ::1 cannot be bound (a container or kernel without IPv6), the IPv6
cases print "ok - NAME # SKIP why" (TAP's skip) and count neither as
passed nor failed; a line "# N skipped" says how many. With
HD_REQUIRE_IPV6=1 (a CI that has IPv6) such a case fails instead.

HOOKDOCTOR defaults to ./hookdoctor; run from the repository root:
    python3 tests/net/run.py ./hookdoctor

Under valgrind (HD_UNDER_VALGRIND=1, tests/valgrind.sh) every wall-clock
bound, the server's lifetime and the runner's own waits are multiplied by
SLOW (tests/slowdown.py), and the cases run two at a time instead of six:
each valgrind run is CPU-bound. The --timeout given to hookdoctor stays.
"""
import concurrent.futures
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from ptyread import read_pty  # noqa: E402
from slowdown import factor  # noqa: E402

SLOW = factor()
SERVER = os.path.join(ROOT, "tests", "servers", "https_server.py")
GEN = os.path.join(ROOT, "tests", "servers", "gen-certs.sh")
STALLS = 40             # listeners for the concurrency case

LISTENERS = [
    "aia:files", "valid:ok:valid.pem", "expired:ok:expired.pem",
    "soon:ok:soon.pem", "wrong:ok:wronghost.pem", "self:ok:selfsigned.pem",
    "missint:ok:leaf-int.pem", "full:ok:fullchain.pem",
    "noaia:ok:leaf-int-noaia.pem", "unknown:ok:unknown-chain.pem",
    "stall:stall:valid.pem", "stallhttp:stall-http:valid.pem",
    "reset:reset:valid.pem", "redirect:redirect:valid.pem",
    "loop:loop:valid.pem", "endless:endless:valid.pem",
    "endlesshdr:endless-headers:valid.pem", "alert:alert:valid.pem",
    "tls10:tls10:valid.pem", "s500:status500:valid.pem",
    "slow:slow:valid.pem", "plain:ok", "plainreset:reset",
    "proxy:proxy", "proxied:ok:valid.pem", "counted:ok:valid.pem",
    "ghe:ok:valid.pem", "azure:ok:valid.pem", "vsslfalse:ok:selfsigned.pem", "offline:ok:valid.pem",
    "shared:ok:valid.pem", "sharedself:ok:selfsigned.pem",
    # IPv6 loopback (https_server.py: NAME@6 listens on ::1)
    "v6valid@6:ok:valid.pem", "v6self@6:ok:selfsigned.pem",
    "v6plain@6:ok", "v6counted@6:ok:valid.pem",
] + ["s%d:stall:valid.pem" % i for i in range(STALLS)]

PROXY_VARS = ("http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy",
              "ALL_PROXY", "no_proxy", "NO_PROXY", "HTTP_PROXY")


class Env:
    def __init__(self, binary):
        self.binary = binary
        self.tmp = tempfile.mkdtemp(prefix="hookdoctor-net.")
        self.certs = os.path.join(self.tmp, "certs")
        self.log = os.path.join(self.tmp, "requests.jsonl")
        self.server = None
        self.ports = {}

    def start(self):
        portfile = os.path.join(self.tmp, "ports.json")
        self.server = subprocess.Popen(
            [sys.executable, SERVER, "--dir", self.certs, "--portfile",
             portfile, "--lifetime", str(90 * SLOW), "--log", self.log] + LISTENERS,
            stdout=subprocess.DEVNULL, stderr=open(
                os.path.join(self.tmp, "server.err"), "w"))
        deadline = time.time() + 10
        while not os.path.exists(portfile):
            if time.time() > deadline or self.server.poll() is not None:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        with open(portfile, encoding="utf-8") as f:
            self.ports = json.load(f)
        subprocess.run(["sh", GEN, self.certs,
                        "http://127.0.0.1:%d/int.der" % self.ports["aia"]],
                       check=True, timeout=60)

    def stop(self):
        if self.server and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(5)
            except subprocess.TimeoutExpired:
                self.server.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def url(self, name, scheme="https", host="127.0.0.1", path="/"):
        return "%s://%s:%d%s" % (scheme, host, self.ports[name], path)

    def url6(self, name, scheme="https", path="/"):
        return self.url(name, scheme, "[::1]", path)

    def unavailable(self, names):
        """Why a case needing these listeners cannot run here, or None."""
        why = self.ports.get("_unavailable", {})
        for n in names:
            if self.ports.get(n) is None:
                return why.get(n, "listener %s did not start" % n)
        return None

    def requests(self, listener):
        out = []
        if os.path.exists(self.log):
            with open(self.log, encoding="utf-8") as f:
                for line in f:
                    e = json.loads(line)
                    if e["listener"] == listener:
                        out.append(e)
        return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run_hd(env, args, extra_env=None, timeout=60 * SLOW):
    e = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    e["NO_COLOR"] = "1"
    e.update(extra_env or {})
    t0 = time.time()
    p = subprocess.run([env.binary] + args, capture_output=True, text=True,
                       env=e, timeout=timeout, cwd=env.tmp)
    return p, time.time() - t0


def checks_of(doc, hook=0):
    return {c["id"]: c for c in doc["hooks"][hook]["checks"]}


class Case:
    def __init__(self, name, fn, needs=()):
        self.name, self.fn, self.needs = name, fn, needs


CASES = []


def case(name, needs=()):
    """A test case; needs names the listeners it cannot run without
    (the IPv6 ones), so it is skipped, saying why, where they are not."""
    def deco(fn):
        CASES.append(Case(name, fn, needs))
        return fn
    return deco


class Fail(Exception):
    pass


def expect(cond, msg):
    if not cond:
        raise Fail(msg)


def probe(env, url, *args, extra_env=None, allow=True, cacert=True,
          timeout_s="2", rc=None, max_time=None):
    a = ["probe", url, "--format", "json", "--timeout", timeout_s]
    if allow:
        a.append("--allow-private")
    if cacert:
        a += ["--cacert", os.path.join(env.certs, "ca.pem")]
    a += list(args)
    p, took = run_hd(env, a, extra_env)
    expect("AddressSanitizer" not in p.stderr and "runtime error" not in p.stderr,
           "sanitizer report: " + p.stderr[-400:])
    if rc is not None:
        expect(p.returncode == rc, "exit %d, want %d; stderr: %s"
               % (p.returncode, rc, p.stderr.strip()[-300:]))
    if max_time is not None:
        max_time *= SLOW
        expect(took <= max_time, "took %.1f s, want at most %.1f s" % (took, max_time))
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        raise Fail("stdout is not JSON: %r" % p.stdout[:300])
    return checks_of(doc), doc


def statuses(c, want):
    for cid, st in want.items():
        got = c.get(cid)
        expect(got is not None, "%s missing" % cid)
        expect(got["status"] == st, "%s is %s (%s), want %s"
               % (cid, got["status"], got["message"], st))


def contains(c, cid, text):
    expect(text in c[cid]["message"], "%s message %r lacks %r"
           % (cid, c[cid]["message"], text))


ALL_PASS = {"HD501": "pass", "HD502": "warn", "HD503": "pass", "HD504": "pass",
            "HD505": "pass", "HD506": "pass", "HD507": "pass", "HD508": "pass",
            "HD509": "pass", "HD510": "pass", "HD511": "pass"}


@case("valid certificate on 127.0.0.1: every check passes, HD502 warns (--allow-private)")
def t_valid(env):
    c, _ = probe(env, env.url("valid"), rc=0)
    statuses(c, ALL_PASS)
    expect(c["HD504"]["evidence"].get("protocol", "").startswith("TLSv1."), "protocol shown")


@case("valid certificate on localhost: A record listed, host name matches")
def t_localhost(env):
    c, _ = probe(env, env.url("valid", host="localhost"), rc=0)
    statuses(c, ALL_PASS)
    expect("127.0.0.1" in c["HD501"]["evidence"]["A"], "A lists 127.0.0.1")
    expect("time_ms" in c["HD501"]["evidence"], "DNS time shown")


@case("loopback target without --allow-private: HD502 fails")
def t_private(env):
    c, _ = probe(env, env.url("valid"), allow=False, rc=1)
    statuses(c, {"HD502": "fail", "HD503": "pass"})
    contains(c, "HD502", "loopback")


@case("test CA not given with --cacert: HD505 fails, the rest passes")
def t_no_cacert(env):
    c, _ = probe(env, env.url("valid"), cacert=False, rc=1)
    statuses(c, {"HD504": "pass", "HD505": "fail", "HD506": "pass", "HD507": "pass"})


@case("expired certificate: HD507 fails with the date, the chain still verifies")
def t_expired(env):
    c, _ = probe(env, env.url("expired"), rc=1)
    statuses(c, {"HD505": "pass", "HD507": "fail"})
    contains(c, "HD507", "2020-02-01")


@case("certificate expiring in 5 days: HD507 warns")
def t_soon(env):
    c, _ = probe(env, env.url("soon"), rc=0)
    statuses(c, {"HD505": "pass", "HD507": "warn"})


@case("certificate for another host: HD506 fails naming it")
def t_wrong(env):
    c, _ = probe(env, env.url("wrong", host="localhost"), rc=1)
    statuses(c, {"HD505": "pass", "HD506": "fail"})
    contains(c, "HD506", "wrong.example.com")


@case("self-signed certificate: HD505 fails as self-signed")
def t_self(env):
    c, _ = probe(env, env.url("self"), rc=1)
    statuses(c, {"HD505": "fail", "HD506": "pass"})
    contains(c, "HD505", "self-signed")


@case("leaf served without its intermediate: HD505 names the missing intermediate")
def t_missing_int(env):
    c, _ = probe(env, env.url("missint"), rc=1)
    statuses(c, {"HD505": "fail"})
    contains(c, "HD505", "missing intermediate")
    contains(c, "HD505", "hookdoctor test intermediate")


@case("leaf served with its intermediate: HD505 passes through it")
def t_full(env):
    c, _ = probe(env, env.url("full"), rc=0)
    statuses(c, {"HD505": "pass"})
    contains(c, "HD505", "hookdoctor test intermediate")


@case("intermediate missing and no AIA to fetch it: HD505 fails naming the issuer")
def t_noaia(env):
    c, _ = probe(env, env.url("noaia"), rc=1)
    statuses(c, {"HD505": "fail"})
    contains(c, "HD505", "hookdoctor test intermediate")


@case("chain ending at an untrusted root: HD505 fails as unknown CA")
def t_unknown(env):
    c, _ = probe(env, env.url("unknown"), rc=1)
    statuses(c, {"HD505": "fail"})
    contains(c, "HD505", "unknown CA")


@case("server that accepts and never answers: HD504 fails within --timeout")
def t_stall(env):
    c, _ = probe(env, env.url("stall"), timeout_s="1", rc=1, max_time=4)
    statuses(c, {"HD503": "pass", "HD504": "fail", "HD505": "skip", "HD508": "skip"})
    contains(c, "HD504", "within 1 s")
    contains(c, "HD505", "HD504 failed")


@case("server that finishes TLS and never answers: HD508 fails within --timeout")
def t_stall_http(env):
    c, _ = probe(env, env.url("stallhttp"), timeout_s="1", rc=1, max_time=4)
    statuses(c, {"HD504": "pass", "HD505": "pass", "HD508": "fail", "HD509": "skip",
                 "HD511": "skip"})
    contains(c, "HD508", "no answer within 1 s")


@case("server that resets the connection (TLS): HD504 fails as reset")
def t_reset(env):
    c, _ = probe(env, env.url("reset"), rc=1, max_time=4)
    statuses(c, {"HD503": "pass", "HD504": "fail"})
    contains(c, "HD504", "reset")


@case("server that resets the connection (http): HD508 fails as reset")
def t_reset_http(env):
    c, _ = probe(env, env.url("plainreset", scheme="http"), rc=1, max_time=4)
    statuses(c, {"HD503": "pass", "HD508": "fail", "HD510": "fail"})
    contains(c, "HD508", "reset")


@case("closed port: HD503 fails as refused, later steps skip")
def t_refused(env):
    c, _ = probe(env, "https://127.0.0.1:%d/" % free_port(), rc=1, max_time=4)
    statuses(c, {"HD501": "pass", "HD503": "fail", "HD504": "skip", "HD508": "skip",
                 "HD511": "skip"})
    contains(c, "HD503", "refused")
    contains(c, "HD504", "HD503 failed")


@case("301 redirect: HD509 fails with the Location, never followed")
def t_redirect(env):
    c, _ = probe(env, env.url("redirect"), rc=1)
    statuses(c, {"HD508": "pass", "HD509": "fail"})
    expect(c["HD509"]["evidence"]["location"] == "https://elsewhere.example/moved",
           "Location shown")


@case("redirect to itself: HD509 fails as a loop")
def t_loop(env):
    c, _ = probe(env, env.url("loop"), rc=1, max_time=4)
    statuses(c, {"HD509": "fail"})
    contains(c, "HD509", "loop")


@case("endless body: read up to the cap, HD508 warns, no hang")
def t_endless(env):
    c, _ = probe(env, env.url("endless"), rc=0, max_time=6)
    statuses(c, {"HD508": "warn"})
    contains(c, "HD508", "does not end")


@case("endless headers: HD508 fails, no hang")
def t_endless_headers(env):
    c, _ = probe(env, env.url("endlesshdr"), rc=1, max_time=6)
    statuses(c, {"HD508": "fail"})
    contains(c, "HD508", "headers do not end")


@case("TLS alert from the server: HD504 fails naming the alert")
def t_alert(env):
    c, _ = probe(env, env.url("alert"), rc=1)
    statuses(c, {"HD503": "pass", "HD504": "fail", "HD505": "skip"})
    contains(c, "HD504", "alert")


@case("server that speaks only TLS 1.0: HD504 fails")
def t_tls10(env):
    c, _ = probe(env, env.url("tls10"), rc=1)
    statuses(c, {"HD504": "fail"})


@case("500 answer: HD508 warns")
def t_500(env):
    c, _ = probe(env, env.url("s500"), rc=0)
    statuses(c, {"HD508": "warn", "HD509": "pass"})


@case("answer after 5.5 s: HD511 warns with the times")
def t_slow(env):
    c, _ = probe(env, env.url("slow"), timeout_s="10", rc=0, max_time=12)
    statuses(c, {"HD508": "pass", "HD511": "warn"})
    expect(float(c["HD511"]["evidence"]["total_ms"]) > 5000, "total shown")


@case("http:// target: HD510 fails, TLS checks skip, HTTP still probed")
def t_plain(env):
    c, _ = probe(env, env.url("plain", scheme="http"), rc=1)
    statuses(c, {"HD503": "pass", "HD504": "skip", "HD505": "skip", "HD506": "skip",
                 "HD507": "skip", "HD508": "pass", "HD510": "fail", "HD511": "pass"})


@case("system store as a hashed directory (SSL_CERT_DIR): the test CA is found there")
def t_store_dir(env):
    hashed = os.path.join(env.tmp, "hashed")
    os.makedirs(hashed, exist_ok=True)
    shutil.copy(os.path.join(env.certs, "ca.pem"), hashed)
    subprocess.run(["openssl", "rehash", hashed], check=True, capture_output=True)
    c, _ = probe(env, env.url("valid"), cacert=False, rc=0, extra_env={
        "SSL_CERT_DIR": hashed, "SSL_CERT_FILE": "/nonexistent"})
    statuses(c, {"HD505": "pass"})


@case("system store as a bundle file (SSL_CERT_FILE): the test CA is found there")
def t_store_file(env):
    empty = os.path.join(env.tmp, "empty")
    os.makedirs(empty, exist_ok=True)
    c, _ = probe(env, env.url("valid"), cacert=False, rc=0, extra_env={
        "SSL_CERT_DIR": empty, "SSL_CERT_FILE": os.path.join(env.certs, "ca.pem")})
    statuses(c, {"HD505": "pass"})


@case("hashed directory without the CA, bundle with it: the bundle is the second tier")
def t_store_tiers(env):
    hashed = os.path.join(env.tmp, "hashed-other")
    os.makedirs(hashed, exist_ok=True)
    shutil.copy(os.path.join(env.certs, "other-ca.pem"), hashed)
    subprocess.run(["openssl", "rehash", hashed], check=True, capture_output=True)
    c, _ = probe(env, env.url("valid"), cacert=False, rc=0, extra_env={
        "SSL_CERT_DIR": hashed, "SSL_CERT_FILE": os.path.join(env.certs, "ca.pem")})
    statuses(c, {"HD505": "pass"})


@case("https:// to a plain HTTP port: HD504 fails saying it is not TLS")
def t_not_tls(env):
    c, _ = probe(env, env.url("plain"), rc=1)
    statuses(c, {"HD504": "fail"})
    contains(c, "HD504", "not answer with TLS")


@case("HTTPS_PROXY is honoured: the probe tunnels through the proxy")
def t_proxy(env):
    proxy = "http://127.0.0.1:%d" % env.ports["proxy"]
    c, _ = probe(env, env.url("proxied"), extra_env={"HTTPS_PROXY": proxy}, rc=0)
    statuses(c, ALL_PASS)
    contains(c, "HD503", "through the proxy")
    tunnels = env.requests("proxy")
    expect(any(r["method"] == "CONNECT" and
               r["path"] == "127.0.0.1:%d" % env.ports["proxied"] for r in tunnels),
           "the proxy saw the CONNECT: %r" % tunnels)
    expect(len(env.requests("proxied")) == 1, "one request through the tunnel")


@case("unreachable proxy: HD503 fails naming the proxy")
def t_proxy_down(env):
    proxy = "http://127.0.0.1:%d" % free_port()
    c, _ = probe(env, env.url("valid"), extra_env={"HTTPS_PROXY": proxy}, rc=1)
    statuses(c, {"HD503": "fail"})
    contains(c, "HD503", "proxy")


@case("NO_PROXY exempts the host: direct connection")
def t_no_proxy(env):
    c, _ = probe(env, env.url("valid"), rc=0, extra_env={
        "HTTPS_PROXY": "http://127.0.0.1:%d" % free_port(), "NO_PROXY": "127.0.0.1"})
    statuses(c, {"HD503": "pass"})
    expect("proxy" not in c["HD503"]["message"], "no proxy named")


def hook(name, url, verify=None):
    h = {"name": name, "active": True, "pipeline_id": 7, "target_url": url,
         "settings": {"request_headers": [
             {"name": "Authorization", "value": "Bearer {{ application.source_provider.access_token }}"},
             {"name": "Content-Type", "value": "application/json"}],
             "request_body": {"state": "success", "context": "ci/devopness",
                              "target_url": "{{ action.url_web_permalink }}"}},
         "trigger_when": {"events": ["action.completed"]}}
    if verify is not None:
        h["verify_ssl"] = verify
    return h


def write_hooks(env, name, hooks):
    path = os.path.join(env.tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(hooks, f)
    return path


def check(env, path, *args, rc=None, max_time=None, timeout_s="2"):
    a = ["check", path, "--format", "json", "--timeout", timeout_s,
         "--allow-private", "--cacert", os.path.join(env.certs, "ca.pem")] + list(args)
    p, took = run_hd(env, a)
    expect("AddressSanitizer" not in p.stderr and "runtime error" not in p.stderr,
           "sanitizer report: " + p.stderr[-400:])
    if rc is not None:
        expect(p.returncode == rc, "exit %d, want %d; stderr: %s"
               % (p.returncode, rc, p.stderr.strip()[-300:]))
    if max_time is not None:
        max_time *= SLOW
        expect(took <= max_time, "took %.1f s, want at most %.1f s" % (took, max_time))
    return json.loads(p.stdout), took


@case("check: hooks in input order, one probe per host, no POST, no credentials")
def t_check(env):
    counted = "https://localhost:%d/status/{{ action.id }}?private_token=glpat-abcdefghijklmnopqrst" \
        % env.ports["counted"]
    hooks = [hook("a", counted), hook("b", env.url("expired")),
             hook("c", counted), hook("d", env.url("plain", scheme="http"))]
    doc, _ = check(env, write_hooks(env, "hooks.json", hooks), rc=1)
    expect([h["name"] for h in doc["hooks"]] == ["a", "b", "c", "d"], "input order")
    c = [checks_of(doc, i) for i in range(4)]
    statuses(c[0], {"HD505": "pass", "HD507": "pass", "HD508": "pass"})
    statuses(c[1], {"HD505": "pass", "HD507": "fail"})
    statuses(c[2], {"HD505": "pass", "HD507": "pass", "HD508": "pass"})
    statuses(c[3], {"HD510": "fail", "HD504": "skip", "HD508": "pass"})
    got = env.requests("counted")
    expect(len(got) == 1, "one request for two hooks on one host, got %d" % len(got))
    r = got[0]
    expect(r["method"] == "GET", "GET, not %s" % r["method"])
    expect(not r["query"], "no query string sent")
    expect("authorization" not in r["headers"], "no Authorization sent")
    expect(r["path"].startswith("/status/"), "the rendered path: %s" % r["path"])


@case("check --offline: no network at all, HD5xx skipped")
def t_offline(env):
    doc, _ = check(env, write_hooks(env, "off.json", [hook("a", env.url("offline"))]),
                   "--offline")
    c = checks_of(doc)
    for cid in ALL_PASS:
        expect(c[cid]["status"] == "skip" and "offline" in c[cid]["message"],
               "%s skipped offline" % cid)
    expect(not env.requests("offline"), "nothing sent")


@case("check: verify_ssl false still gets the certificate findings")
def t_verify_false(env):
    doc, _ = check(env, write_hooks(env, "vssl.json",
                                    [hook("v", env.url("vsslfalse"), verify=False)]))
    c = checks_of(doc)
    statuses(c, {"HD112": "warn", "HD505": "fail", "HD506": "pass"})
    contains(c, "HD505", "self-signed")
    expect("verify_ssl" in c["HD505"]["evidence"], "verify_ssl noted")


@case("check: %d hooks on %d stalled servers run concurrently, bounded by --timeout"
      % (STALLS, STALLS))
def t_many(env):
    hooks = [hook("h%d" % i, env.url("s%d" % i)) for i in range(STALLS)]
    doc, took = check(env, write_hooks(env, "many.json", hooks), timeout_s="1",
                      rc=1, max_time=12)
    for i in range(STALLS):
        c = checks_of(doc, i)
        statuses(c, {"HD503": "pass", "HD504": "fail"})
        expect(c["HD503"]["evidence"]["port"] == str(env.ports["s%d" % i]),
               "hook %d reports its own server" % i)


@case("check: hosts that share a certificate chain get the findings each gets alone")
def t_shared_chains(env):
    # tls.c verifies each distinct chain once a run; the host name is
    # still checked per host, and the AIA fetch still happens per host.
    urls = [env.url("valid"), env.url("shared", host="localhost"),
            env.url("self"), env.url("sharedself"), env.url("missint"),
            env.url("missint", host="localhost"), env.url("unknown"),
            env.url("full"), env.url("noaia"), env.url("expired")]
    hooks = [hook("h%d" % i, u) for i, u in enumerate(urls)]
    doc, _ = check(env, write_hooks(env, "shared.json", hooks), rc=1)
    for i, u in enumerate(urls):
        together = checks_of(doc, i)
        alone, _ = probe(env, u)
        for cid in ("HD505", "HD506", "HD507"):
            a, b = alone[cid], together[cid]
            # HD507 counts days left from now: a second may tip it.
            same = (a["status"] == b["status"] if cid == "HD507" else
                    (a["status"], a["message"], a.get("evidence")) ==
                    (b["status"], b["message"], b.get("evidence")))
            expect(same, "%s of %s: alone %s %r, together %s %r" % (
                cid, u, a["status"], a["message"], b["status"], b["message"]))


@case("github provider: the probe GETs the API root (/api/v3 on Enterprise)")
def t_github_root(env):
    url = env.url("ghe", host="localhost",
                  path="/api/v3/repos/acme/shop/statuses/{{ action.triggered_from.hook_parsed_variables.commit_hash }}")
    doc, _ = check(env, write_hooks(env, "ghe.json", [hook("g", url)]),
                   "--provider", "github")
    c = checks_of(doc)
    statuses(c, {"HD508": "pass"})
    paths = [r["path"] for r in env.requests("ghe")]
    expect(paths == ["/api/v3"], "requested %r" % paths)


@case("azure-devops provider: the probe sends the rule file's X-TFS-FedAuthRedirect, nothing else")
def t_azure_header(env):
    url = env.url("azure", host="localhost",
                  path="/org/proj/_apis/git/repositories/r/commits/{{ action.triggered_from.hook_parsed_variables.commit_hash }}/statuses?api-version=7.1")
    h = hook("z", url)
    h["settings"]["request_headers"][0]["value"] = "Basic {{ application.source_provider.access_token }}"
    doc, _ = check(env, write_hooks(env, "azure.json", [h]), "--provider", "azure-devops")
    statuses(checks_of(doc), {"HD508": "pass"})
    got = env.requests("azure")
    expect(len(got) == 1, "one request, got %d" % len(got))
    r = got[0]
    expect(r["method"] == "GET" and not r["query"], "a GET without the query: %r" % r)
    expect(r["path"].startswith("/org/proj/_apis/git/repositories/r/commits/"),
           "the target's path: %s" % r["path"])
    expect("x-tfs-fedauthredirect" in r["headers"], "header sent: %r" % r["headers"])
    expect("authorization" not in r["headers"], "no Authorization sent")


@case("IPv6: valid certificate on https://[::1]: every check passes, ::1 is loopback",
      needs=("v6valid",))
def t_v6_valid(env):
    c, _ = probe(env, env.url6("v6valid"), rc=0)
    statuses(c, ALL_PASS)
    expect(c["HD501"]["evidence"].get("host") == "::1",
           "the host without brackets: %r" % c["HD501"]["evidence"])
    contains(c, "HD502", "::1 is loopback")
    expect(c["HD502"]["evidence"].get("addresses") == "::1 (loopback)",
           "classified: %r" % c["HD502"]["evidence"])
    expect(c["HD503"]["evidence"].get("connected_ip") == "::1",
           "connected to ::1: %r" % c["HD503"]["evidence"])
    expect(c["HD508"]["evidence"].get("url") == env.url6("v6valid"),
           "requested %r" % c["HD508"]["evidence"].get("url"))


@case("IPv6: [::1] without --allow-private: HD502 fails, loopback", needs=("v6valid",))
def t_v6_private(env):
    c, _ = probe(env, env.url6("v6valid"), allow=False, rc=1)
    statuses(c, {"HD502": "fail", "HD503": "pass", "HD504": "pass"})
    contains(c, "HD502", "::1 is loopback")


@case("IPv6: certificate naming 127.0.0.1 but not ::1: HD506 fails", needs=("v6self",))
def t_v6_hostname(env):
    c, _ = probe(env, env.url6("v6self"), rc=1)
    statuses(c, {"HD504": "pass", "HD505": "fail", "HD506": "fail"})
    contains(c, "HD506", "::1")


@case("IPv6: http://[::1]: HD510 fails, TLS checks skip, HTTP answered", needs=("v6plain",))
def t_v6_plain(env):
    c, _ = probe(env, env.url6("v6plain", scheme="http"), rc=1)
    statuses(c, {"HD502": "warn", "HD503": "pass", "HD504": "skip", "HD508": "pass",
                 "HD510": "fail"})


@case("IPv6: closed port on [::1]: HD503 fails as refused", needs=("v6valid",))
def t_v6_refused(env):
    s = socket.socket(socket.AF_INET6)
    s.bind(("::1", 0))
    port = s.getsockname()[1]
    s.close()
    c, _ = probe(env, "https://[::1]:%d/" % port, rc=1, max_time=4)
    statuses(c, {"HD501": "pass", "HD503": "fail", "HD504": "skip"})
    contains(c, "HD503", "refused")


@case("IPv6: check of a hook on [::1]: one GET, no query, no credentials",
      needs=("v6counted",))
def t_v6_check(env):
    url = env.url6("v6counted", path="/status/{{ action.id }}?private_token=glpat-abcdefghijklmnopqrst")
    doc, _ = check(env, write_hooks(env, "v6.json", [hook("a", url), hook("b", url)]))
    for i in range(2):
        statuses(checks_of(doc, i), {"HD502": "warn", "HD505": "pass", "HD506": "pass",
                                     "HD508": "pass"})
    got = env.requests("v6counted")
    expect(len(got) == 1, "one request for two hooks on [::1], got %d" % len(got))
    r = got[0]
    expect(r["method"] == "GET" and not r["query"], "a GET without the query: %r" % r)
    expect("authorization" not in r["headers"], "no Authorization sent")


@case("probe of something that is not a URL: exit 2 naming why, nothing on stdout")
def t_bad_url(env):
    # The URL is probe's whole input: one that cannot be probed is bad
    # input (exit 2), not a report of skipped checks that passes.
    p, _ = run_hd(env, ["probe", "not a url", "--format", "json"])
    expect(p.returncode == 2 and "cannot be probed: not an absolute URL" in p.stderr
           and p.stdout == "", "exit %d, stderr %r, stdout %r"
           % (p.returncode, p.stderr, p.stdout[:200]))


@case("probe without a URL, or with an unreadable --cacert: exit 2")
def t_usage(env):
    p, _ = run_hd(env, ["probe"])
    expect(p.returncode == 2 and "needs a URL" in p.stderr, "no URL: %r" % p.stderr)
    p, _ = run_hd(env, ["probe", env.url("valid"), "--cacert", "/nonexistent.pem"])
    expect(p.returncode == 2 and "nonexistent" in p.stderr, "bad cacert: %r" % p.stderr)
    p, _ = run_hd(env, ["probe", env.url("valid"), "--cacert", os.path.join(env.certs, "ext.cnf")])
    expect(p.returncode == 2, "cacert without a certificate: exit %d" % p.returncode)


@case("progress on stderr only when it is a terminal and the run lasts over 1 s")
def t_progress(env):
    import pty
    hooks = [hook("p%d" % i, env.url("s%d" % i)) for i in range(3)]
    path = write_hooks(env, "progress.json", hooks)
    args = [env.binary, "check", path, "--format", "json", "--timeout", "1.5",
            "--allow-private", "--only", "HD503,HD504"]
    e = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    master, slave = pty.openpty()
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave, env=e,
                         cwd=env.tmp)
    os.close(slave)
    seen = read_pty(master)
    out, _ = p.communicate(timeout=30 * SLOW)
    expect(b"probing hosts" in seen, "progress shown on a terminal: %r" % seen[-200:])
    expect(b"probing" not in out, "nothing on stdout")
    json.loads(out)
    p2, _ = run_hd(env, args[1:])
    expect("probing" not in p2.stderr, "no progress when stderr is not a terminal")


@case("probe prints the text report by default")
def t_text(env):
    p, _ = run_hd(env, ["probe", env.url("valid"), "--allow-private", "--cacert",
                        os.path.join(env.certs, "ca.pem")])
    expect(p.returncode == 0, "exit %d" % p.returncode)
    expect("HD505" in p.stdout and "tls-chain" in p.stdout, "text report")


def offline_still_checks(env, hooks, extra, kind):
    """check --offline with a broken library on LD_LIBRARY_PATH: hookdoctor
    loads it for the network only, so the offline report comes as usual."""
    p, _ = run_hd(env, ["check", "--offline", "--format", "json",
                        "--file", hooks], extra)
    expect(p.returncode in (0, 1), "%s: check --offline exit %d: %s"
           % (kind, p.returncode, p.stderr.strip()[-300:]))
    expect(json.loads(p.stdout)["hooks"], "%s: offline report" % kind)


def broken_libcurl(env, kind):
    """A directory whose libcurl.so.4 cannot serve: an empty file, a
    shared object without libcurl's functions, or one with them all whose
    TLS is GnuTLS (built with cc)."""
    d = tempfile.mkdtemp(prefix="libcurl-%s-" % kind, dir=env.tmp)
    lib = os.path.join(d, "libcurl.so.4")
    if kind == "empty":
        open(lib, "w").close()
    elif kind == "gnutls":
        # every function hookdoctor binds (src/libcurl.h's list, read
        # from it), and a version that names GnuTLS
        with open(os.path.join(ROOT, "src", "libcurl.h")) as f:
            table = f.read().split("#define LIBCURL_FUNCTIONS(X)", 1)[1]
        table = table[:table.index("\n\n")]
        names = [n for n in re.findall(r"X\((\w+)\)", table) if n != "version_info"]
        expect(len(names) > 20, "the function list of src/libcurl.h: %r" % names)
        stubs, info = os.path.join(d, "stubs.c"), os.path.join(d, "info.c")
        with open(stubs, "w") as f:
            f.writelines("int curl_%s(void) { return 0; }\n" % n for n in names)
        with open(info, "w") as f:
            f.write("#include <curl/curl.h>\n"
                    "static curl_version_info_data d;\n"
                    "curl_version_info_data *curl_version_info(CURLversion v)\n"
                    "{ (void)v; d.version = \"8.0.0\"; d.ssl_version = \"GnuTLS/3.7.9\";"
                    " return &d; }\n")
        subprocess.run(["cc", "-shared", "-fPIC", "-o", lib, stubs, info], check=True)
    else:
        src = os.path.join(d, "x.c")
        with open(src, "w") as f:
            f.write("int not_libcurl(void) { return 0; }\n")
        subprocess.run(["cc", "-shared", "-fPIC", "-o", lib, src], check=True)
    return d


@case("libcurl is loaded by the network only: with a broken libcurl.so.4, "
      "check --offline works, probe and check exit 3 with one line, --version says why")
def t_libcurl_missing(env):
    with open(os.path.join(ROOT, "docs", "examples", "github.json")) as f:
        doc = json.load(f)
    for h in doc:   # a target of this test's own, should a probe go out
        h["target_url"] = env.url("valid", path="/repos/a/b/statuses/x")
    hooks = os.path.join(env.tmp, "libcurl-hooks.json")
    with open(hooks, "w") as f:
        json.dump(doc, f)
    for kind, why in (("empty", "file too short"),
                      ("nosyms", "libcurl.so.4 has no curl_"),
                      ("gnutls", "libcurl.so.4 uses GnuTLS/3.7.9, not OpenSSL 3")):
        extra = {"LD_LIBRARY_PATH": broken_libcurl(env, kind)}
        offline_still_checks(env, hooks, extra, kind)
        for args in (["probe", env.url("valid"), "--allow-private"],
                     ["check", "--file", hooks, "--format", "json"]):
            p, _ = run_hd(env, args, extra)
            expect(p.returncode == 3, "%s: %s exit %d, want 3"
                   % (kind, args[0], p.returncode))
            lines = p.stderr.splitlines()
            expect(len(lines) == 1 and
                   lines[0].startswith("hookdoctor: cannot load libcurl: ") and
                   why in lines[0], "%s: %s stderr %r" % (kind, args[0], p.stderr))
            expect(p.stdout == "", "%s: %s printed %r" % (kind, args[0], p.stdout[:200]))
        p, _ = run_hd(env, ["--version"], extra)
        expect(p.returncode == 0 and "libcurl not loaded: " in p.stdout and
               why in p.stdout, "%s: --version %r" % (kind, p.stdout))


def broken_libssl(env, kind):
    """A directory whose libssl.so.3 cannot serve: a shared object without
    OpenSSL's functions, or one with every function hookdoctor binds (the
    list of src/openssl.h, read from it) that says it is OpenSSL 4."""
    d = tempfile.mkdtemp(prefix="libssl-%s-" % kind, dir=env.tmp)
    lib, src = os.path.join(d, "libssl.so.3"), os.path.join(d, "x.c")
    with open(src, "w") as f:
        if kind == "nosyms":
            f.write("int not_openssl(void) { return 0; }\n")
        else:
            with open(os.path.join(ROOT, "src", "openssl.h")) as h:
                table = h.read().split("#define OPENSSL_FUNCTIONS(X)", 1)[1]
            table = table[:table.index("\n\n")]
            names = [n for n in re.findall(r"X\((\w+)\)", table)
                     if not n.startswith("OpenSSL_version")]
            expect(len(names) > 50, "the function list of src/openssl.h: %r" % names)
            f.writelines("int %s(void) { return 0; }\n" % n for n in names)
            f.write("unsigned long OpenSSL_version_num(void) { return 0x40000000UL; }\n"
                    "const char *OpenSSL_version(int t) { (void)t; return \"OpenSSL 4.0.0\"; }\n")
    subprocess.run(["cc", "-shared", "-fPIC", "-o", lib, src], check=True)
    return d


@case("OpenSSL is loaded by the network only: with a broken libssl.so.3, "
      "check --offline works, probe exits 3 with one line, --version says why")
def t_openssl_missing(env):
    hooks = os.path.join(ROOT, "docs", "examples", "github.json")
    for kind, why in (("nosyms", "libssl.so.3 has no "),
                      ("major", "libssl.so.3 is OpenSSL 4, not 3")):
        extra = {"LD_LIBRARY_PATH": broken_libssl(env, kind)}
        offline_still_checks(env, hooks, extra, kind)
        # libcurl itself needs libssl.so.3: it cannot load either
        p, _ = run_hd(env, ["probe", env.url("valid"), "--allow-private"], extra)
        lines = p.stderr.splitlines()
        expect(p.returncode == 3 and len(lines) == 1 and
               lines[0].startswith("hookdoctor: cannot load libcurl: ") and
               p.stdout == "", "%s: probe exit %d, %r" % (kind, p.returncode, p.stderr))
        p, _ = run_hd(env, ["--version"], extra)
        expect(p.returncode == 0 and "OpenSSL not loaded: " in p.stdout and
               why in p.stdout, "%s: --version %r" % (kind, p.stdout))


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "./hookdoctor")
    only = sys.argv[2:]
    env = Env(binary)

    def on_signal(signum, frame):
        env.stop()
        sys.exit(1)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    passed = failed = skipped = 0
    require_v6 = os.environ.get("HD_REQUIRE_IPV6") == "1"
    try:
        env.start()
        cases = [c for c in CASES if not only or c.fn.__name__ in only]
        runnable = []
        for c in cases:
            why = env.unavailable(c.needs)
            if why is None:
                runnable.append(c)
            elif require_v6:
                print("not ok - %s: %s (HD_REQUIRE_IPV6=1)" % (c.name, why))
                failed += 1
            else:
                print("ok - %s # SKIP %s" % (c.name, why))
                skipped += 1
        with concurrent.futures.ThreadPoolExecutor(max_workers=6 if SLOW == 1 else 2) as ex:
            futs = [(c, ex.submit(c.fn, env)) for c in runnable]
            for c, fut in futs:
                try:
                    fut.result(timeout=90 * SLOW)
                    print("ok - %s" % c.name)
                    passed += 1
                except Fail as e:
                    print("not ok - %s: %s" % (c.name, e))
                    failed += 1
                except Exception as e:  # a crash, a hang, bad JSON
                    print("not ok - %s: %s: %s" % (c.name, type(e).__name__, e))
                    failed += 1
    except Exception as e:
        print("not ok - network test set-up: %s" % e)
        failed += 1
    finally:
        env.stop()
    if skipped:
        print("# %d skipped" % skipped)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
