#!/usr/bin/env python3
"""tests/net/hostile.py [HOOKDOCTOR] - hostile servers.

Each case points hookdoctor at a server that misbehaves on purpose and
checks that the result is a finding (exit 0 or 1 with the check that
names the problem), never a crash or a hang: the run ends within a bound
derived from --timeout, and its peak memory stays bounded.

The servers are those of tests/servers/https_server.py (modes slowloris,
slowbody, endless, endless-headers, gzipbomb, truncated, bigheader, loop,
redirect-other, alert, stall, reset), started and torn down through the
network tests' own harness (tests/net/run.py: Env, probe, run_hd). TLS
renegotiation and plaintext inside a TLS session come from `openssl
s_server`, driven through its stdin commands ('r' renegotiates, 'P' sends
plaintext). Nothing leaves 127.0.0.1/localhost.

Prints "ok - NAME" / "not ok - NAME: why" and "N passed, N failed".

Under valgrind (HD_UNDER_VALGRIND=1, tests/valgrind.sh) the time bounds
are multiplied by tests/slowdown.py's factor (net.SLOW), and the peak
memory is not bounded: the figure would be valgrind's own (its shadow
memory and translations), not hookdoctor's; those runs still happen, so
valgrind checks them.
"""
import importlib.util
import json
import os
import resource
import select
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("netrun", os.path.join(HERE, "run.py"))
net = importlib.util.module_from_spec(spec)
spec.loader.exec_module(net)

TIMEOUT = 2                     # --timeout given to every run
BOUND = 4 * TIMEOUT + 3         # no step may take longer (net.c: 4 t + 1 s)
UNDER_VALGRIND = os.environ.get("HD_UNDER_VALGRIND") == "1"

net.LISTENERS = [
    "aia:files",
    "slowloris:slowloris:valid.pem", "slowbody:slowbody:valid.pem",
    "endless:endless:valid.pem", "endlesshdr:endless-headers:valid.pem",
    "gzipbomb:gzipbomb:valid.pem", "plainbomb:gzipbomb",
    "truncated:truncated:valid.pem", "bigheader:bigheader:valid.pem",
    "loop:loop:valid.pem", "other:redirect-other:valid.pem",
    "plainother:redirect-other", "alert:alert:valid.pem",
    "stall:stall:valid.pem", "reset:reset:valid.pem",
]

CASES = []


def case(name):
    def deco(fn):
        CASES.append((name, fn))
        return fn
    return deco


def expect(cond, msg):
    if not cond:
        raise net.Fail(msg)


def probe(env, name, *args, host="127.0.0.1", userinfo=""):
    url = env.url(name, host=host)
    if userinfo:
        url = url.replace("://", "://%s@" % userinfo, 1)
    t0 = time.time()
    c, doc = net.probe(env, url, *args, timeout_s=str(TIMEOUT), max_time=BOUND)
    return c, time.time() - t0


def status_in(c, cid, allowed, text=None):
    got = c.get(cid)
    expect(got is not None, "%s missing" % cid)
    expect(got["status"] in allowed, "%s is %s (%s), want %s"
           % (cid, got["status"], got["message"], "/".join(allowed)))
    if text:
        expect(text in got["message"], "%s message %r lacks %r" % (cid, got["message"], text))


def peak_rss_mib(env, args, extra_env=None):
    """Runs hookdoctor once more under /proc watching for its peak (VmHWM)."""
    e = {k: v for k, v in os.environ.items() if k not in net.PROXY_VARS}
    e.update(extra_env or {})
    p = subprocess.Popen([env.binary] + args, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, env=e, cwd=env.tmp)
    peak = 0
    while p.poll() is None:
        try:
            with open("/proc/%d/status" % p.pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.01)
    return peak / 1024.0


def expect_rss(rss, bound_mib=64):
    if not UNDER_VALGRIND:
        expect(rss < bound_mib, "peak %.1f MiB" % rss)


@case("slowloris (a header trickling one byte each 0.5 s): HD508 within --timeout")
def t_slowloris(env):
    c, took = probe(env, "slowloris")
    status_in(c, "HD508", ("warn", "fail"))


@case("a body trickling one byte each 0.5 s: HD508 within --timeout")
def t_slowbody(env):
    c, took = probe(env, "slowbody")
    status_in(c, "HD508", ("warn", "fail"), "does not end")


@case("endless body: HD508, read up to the cap, bounded memory")
def t_endless(env):
    c, took = probe(env, "endless")
    status_in(c, "HD508", ("warn", "fail"))
    rss = peak_rss_mib(env, ["probe", env.url("endless"), "--timeout", str(TIMEOUT),
                             "--allow-private", "--cacert", os.path.join(env.certs, "ca.pem")])
    expect_rss(rss)


@case("endless headers: HD508 fails within --timeout")
def t_endless_headers(env):
    c, took = probe(env, "endlesshdr")
    status_in(c, "HD508", ("fail",))


@case("gzip bomb (64 KiB inflating to 64 MiB): probe reads it compressed, bounded memory")
def t_gzip_probe(env):
    c, took = probe(env, "gzipbomb")
    status_in(c, "HD508", ("pass", "warn", "fail"))
    rss = peak_rss_mib(env, ["probe", env.url("gzipbomb"), "--timeout", str(TIMEOUT),
                             "--allow-private", "--cacert", os.path.join(env.certs, "ca.pem")])
    expect_rss(rss)


@case("gzip bomb as the Devopness API's answer: a finding, bounded memory")
def t_gzip_api(env):
    args = ["check", "--pipeline", "4242", "--api-url", env.url("plainbomb", scheme="http"),
            "--format", "json", "--timeout", str(TIMEOUT), "--allow-private"]
    extra = {"DEVOPNESS_API_TOKEN": "hd-hostile-api-token-0123456789"}
    p, took = net.run_hd(env, args, extra)
    expect(p.returncode in (0, 1), "exit %d: %s" % (p.returncode, p.stderr.strip()[-300:]))
    expect(took <= BOUND * net.SLOW, "took %.1f s" % took)
    doc = json.loads(p.stdout)
    c = net.checks_of(doc)
    status_in(c, "HD102", ("fail", "warn", "skip"))
    rss = peak_rss_mib(env, args, extra)
    expect_rss(rss)


@case("truncated answer (Content-Length 100000, 100 bytes): HD508 names it")
def t_truncated(env):
    c, took = probe(env, "truncated")
    status_in(c, "HD508", ("warn", "fail"), "remaining")


@case("a 1 MiB header line: HD508 says the header is too large")
def t_bigheader(env):
    c, took = probe(env, "bigheader")
    status_in(c, "HD508", ("warn", "fail"), "header too large")


@case("redirect loop: HD509 fails, nothing followed")
def t_loop(env):
    c, took = probe(env, "loop")
    status_in(c, "HD509", ("fail",), "loop")
    expect(len(env.requests("loop")) >= 1, "the server saw the request")


@case("redirect to another host: HD509 fails, the probe does not follow, no credential sent")
def t_redirect_other(env):
    before = len(env.requests("other"))
    c, took = probe(env, "other", userinfo="deployer:hd-hostile-pw-0123456789")
    status_in(c, "HD509", ("fail",), "localhost")
    seen = env.requests("other")[before:]
    expect(not any(r["path"].startswith("/caught") for r in seen), "followed to /caught: %r" % seen)
    expect(not any("authorization" in r["headers"] for r in seen),
           "the URL's userinfo was sent: %r" % seen)


@case("API redirected to another host: the token is sent once, never to the other host")
def t_api_redirect(env):
    before = len(env.requests("plainother"))
    args = ["check", "--pipeline", "4242", "--api-url", env.url("plainother", scheme="http"),
            "--format", "json", "--timeout", str(TIMEOUT), "--allow-private"]
    p, took = net.run_hd(env, args, {"DEVOPNESS_API_TOKEN": "hd-hostile-api-token-0123456789"})
    expect(p.returncode in (0, 1), "exit %d: %s" % (p.returncode, p.stderr.strip()[-300:]))
    expect(took <= BOUND * net.SLOW, "took %.1f s" % took)
    seen = env.requests("plainother")[before:]
    expect(seen, "the API was not asked at all")
    expect(all("authorization" in r["headers"] for r in seen if not r["path"].startswith("/caught")),
           "the first request carried no token: %r" % seen)
    expect(not any(r["path"].startswith("/caught") for r in seen),
           "the redirect to localhost was followed: %r" % seen)
    expect("hd-hostile-api-token" not in p.stdout + p.stderr, "the token is printed")


@case("TLS alert from the server: HD504 fails")
def t_alert(env):
    c, took = probe(env, "alert")
    status_in(c, "HD504", ("fail",), "alert")


@case("server that accepts and never answers: a finding within --timeout")
def t_stall(env):
    c, took = probe(env, "stall")
    status_in(c, "HD504", ("fail",))


@case("connection reset during the handshake: HD504 fails")
def t_reset(env):
    c, took = probe(env, "reset")
    status_in(c, "HD504", ("fail",), "reset")


class SServer:
    """openssl s_server on a free port, answering every connection by the
    stdin commands given once the handshake is done."""

    def __init__(self, env, commands, tls12=True):
        self.port = net.free_port()
        argv = ["openssl", "s_server", "-accept", "127.0.0.1:%d" % self.port,
                "-cert", os.path.join(env.certs, "valid.pem"),
                "-key", os.path.join(env.certs, "key.pem")]
        if tls12:
            argv.append("-tls1_2")
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.commands = commands
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.drive, daemon=True)
        self.thread.start()
        self.ready.wait(5)      # "ACCEPT": listening

    def drive(self):
        buf = b""
        deadline = time.time() + 30 * net.SLOW
        while time.time() < deadline and self.p.poll() is None:
            r, _, _ = select.select([self.p.stdout], [], [], 0.2)
            if not r:
                continue
            chunk = os.read(self.p.stdout.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
            if b"ACCEPT" in buf:
                self.ready.set()
            # s_server prints the request it got once the handshake is done
            if b"GET " in buf:
                for cmd in self.commands:
                    try:
                        self.p.stdin.write(cmd)
                        self.p.stdin.flush()
                    except OSError:
                        return
                    time.sleep(0.2)
                return

    def stop(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()


def s_server_case(env, commands, *args):
    if not shutil.which("openssl"):
        raise net.Fail("openssl is not installed (make deps installs it): "
                       "no s_server to run the case against")
    s = SServer(env, commands)
    try:
        url = "https://127.0.0.1:%d/" % s.port
        t0 = time.time()
        c, doc = net.probe(env, url, "--format", "json", timeout_s=str(TIMEOUT), max_time=BOUND)
        return c, time.time() - t0
    finally:
        s.stop()


@case("TLS renegotiation requested by the server mid-request: handled (secure renegotiation), no hang")
def t_renegotiate(env):
    c, took = s_server_case(env, [b"r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\n", b"Q\n"])
    status_in(c, "HD504", ("pass", "warn", "fail"))
    status_in(c, "HD508", ("pass", "warn", "fail"))


@case("plaintext inside the TLS session (a protocol violation): HD508 fails within --timeout")
def t_plaintext(env):
    c, took = s_server_case(env, [b"P\n"])
    status_in(c, "HD508", ("warn", "fail"))


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "./hookdoctor")
    env = net.Env(binary)
    passed = failed = 0
    try:
        env.start()
        for name, fn in CASES:
            try:
                fn(env)
                if UNDER_VALGRIND and "memory" in name:
                    name += " (memory not measured under valgrind)"
                print("ok - %s" % name)
                passed += 1
            except net.Fail as e:
                print("not ok - %s: %s" % (name, e))
                failed += 1
            except Exception as e:  # a crash, a hang, bad JSON
                print("not ok - %s: %s: %s" % (name, type(e).__name__, e))
                failed += 1
            sys.stdout.flush()
    except Exception as e:
        print("not ok - hostile server set-up: %s" % e)
        failed += 1
    finally:
        env.stop()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
