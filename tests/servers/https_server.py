#!/usr/bin/env python3
"""tests/servers/https_server.py - the local servers of the network tests.

One process, many listeners on 127.0.0.1 (free ports chosen by the kernel),
each with one behaviour:

    https_server.py --dir CERTDIR --portfile PORTS.json [--lifetime 60]
                    [--log REQUESTS.jsonl] NAME[@6]:MODE[:CERTFILE] ...

NAME@6 listens on the IPv6 loopback ::1 instead (the port is still
reported under NAME). Where ::1 cannot be bound (no IPv6 in this
container or kernel), that listener is left out: its port is null and
PORTS.json's "_unavailable" member maps NAME to the reason, so the tests
can say why they skip, while every other listener still runs.

With CERTFILE (a PEM file in CERTDIR holding the certificate, or the
certificate followed by its intermediates; the key is CERTDIR/key.pem) the
listener speaks TLS, else plain HTTP. Certificates are read at the first
connection, so the ports can be known before the certificates that name
them (the AIA URL) are made. The ports are written to PORTS.json as
{"NAME": port} once every listener is bound. The process exits by itself
after --lifetime seconds, so a test run that dies leaves nothing behind.

Modes:
    ok          200 with a small JSON body to any request
    away        as ok, but the handshake and the answer each start 50 ms
                late: a host a network round trip away (tools/bench-net.sh)
    files       serves the files of CERTDIR (the intermediate for AIA)
    status500   500 with a small body
    stall       accepts and never answers (TLS listeners: not even the
                handshake)
    stall-http  TLS listeners: finishes the handshake, then never answers
    reset       accepts and closes at once with a TCP RST (SO_LINGER 0)
    redirect    301 to https://elsewhere.example/moved
    loop        301 to the very URL requested
    endless     200 and a body that never ends
    endless-headers  a status line, then header lines without end
    alert       TLS listeners: a handshake_failure alert
    tls10       TLS listeners: TLS 1.0 only
    slow        answers 200 after 5.5 seconds
    slowloris   a status line, then one byte of a header every 0.5 s (tests/net/hostile.py)
    slowbody    200 with Content-Length 1000000, then one byte every 0.5 s
    gzipbomb    200, Content-Encoding: gzip, 64 KiB that inflate to 64 MiB
    truncated   200 with Content-Length 100000, 100 bytes, then closes
    bigheader   200 with one header line of 1 MiB
    redirect-other  302 to http://localhost:SAME_PORT/caught (another host
                name, so credentials must not follow); /caught answers 200
    proxy       an HTTP CONNECT proxy (to 127.0.0.1 only), for HTTPS_PROXY

Every request is appended to --log as one JSON line (listener, method,
path, whether it had a query string, its header names), so the tests can
prove that the probe never POSTs and never sends credentials.
"""
import argparse
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time

LOCK = threading.Lock()
AWAY_S = 0.050      # mode "away": the delay of the handshake and of the answer


def log_request(path, entry):
    if not path:
        return
    with LOCK:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")


def read_request(conn):
    """Reads one request head; returns (method, target, headers) or None."""
    data = b""
    conn.settimeout(10)
    while b"\r\n\r\n" not in data:
        try:
            chunk = conn.recv(4096)
        except (OSError, ssl.SSLError):
            return None
        if not chunk:
            return None
        data += chunk
        if len(data) > 65536:
            return None
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) < 2:
        return None
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return parts[0], parts[1], headers


def respond(conn, status, reason, body=b"", extra=()):
    head = "HTTP/1.1 %d %s\r\n" % (status, reason)
    for k, v in extra:
        head += "%s: %s\r\n" % (k, v)
    head += "Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
    try:
        conn.sendall(head.encode("latin-1") + body)
    except OSError:
        pass


BOMB = []


def gzip_bomb():
    """64 MiB of zeros, gzip-compressed (about 64 KiB), made once."""
    if not BOMB:
        import zlib
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        zero = bytes(1024 * 1024)
        parts = [z.compress(zero) for _ in range(64)]
        parts.append(z.flush())
        BOMB.append(b"".join(parts))
    return BOMB[0]


class Listener:
    def __init__(self, spec, opts):
        parts = spec.split(":")
        self.name, self.mode = parts[0], parts[1]
        self.certfile = parts[2] if len(parts) > 2 else None
        self.opts = opts
        self.v6 = self.name.endswith("@6")
        if self.v6:
            self.name = self.name[:-2]
        family, host = ((socket.AF_INET6, "::1") if self.v6
                        else (socket.AF_INET, "127.0.0.1"))
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if self.v6:
            # only ::1, never an IPv4 address through a mapped socket
            self.sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        self.sock.bind((host, 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.ctx = None
        self.held = []          # stalled connections, kept open

    def context(self):
        if self.ctx is None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.path.join(self.opts.dir, self.certfile),
                                os.path.join(self.opts.dir, "key.pem"))
            if self.mode == "alert":
                ctx.sni_callback = (lambda s, n, c:
                                    ssl.ALERT_DESCRIPTION_HANDSHAKE_FAILURE)
            if self.mode == "tls10":
                ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
                ctx.minimum_version = ssl.TLSVersion.TLSv1
                ctx.maximum_version = ssl.TLSVersion.TLSv1
            self.ctx = ctx
        return self.ctx

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn,),
                             daemon=True).start()

    def handle(self, conn):
        mode = self.mode
        if mode == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
            conn.close()
            return
        if mode == "stall":
            self.held.append(conn)
            return
        if mode == "away":
            time.sleep(AWAY_S)
        if self.certfile:
            try:
                conn = self.context().wrap_socket(conn, server_side=True)
            except (OSError, ssl.SSLError):
                conn.close()
                return
        if mode == "stall-http":
            self.held.append(conn)
            return
        if not self.certfile and mode != "proxy":
            # Like nginx: a TLS ClientHello on a plain port gets a 400.
            try:
                conn.settimeout(10)
                first = conn.recv(1, socket.MSG_PEEK)
            except OSError:
                first = b""
            if first == b"\x16":
                respond(conn, 400, "Bad Request", b"plain HTTP port\n")
                conn.close()
                return
        req = read_request(conn)
        if req is None:
            conn.close()
            return
        method, target, headers = req
        if mode == "proxy":
            self.tunnel(conn, method, target)
            return
        log_request(self.opts.log, {
            "listener": self.name, "method": method,
            "path": target.split("?", 1)[0], "query": "?" in target,
            "headers": sorted(headers)})
        try:
            self.answer(conn, method, target, headers)
        except OSError:
            pass
        try:
            conn.close()
        except OSError:
            pass

    def tunnel(self, conn, method, target):
        """CONNECT host:port, then copies bytes both ways."""
        log_request(self.opts.log, {"listener": self.name, "method": method,
                                    "path": target, "query": False,
                                    "headers": []})
        host, _, port = target.rpartition(":")
        if method != "CONNECT" or host not in ("127.0.0.1", "localhost"):
            respond(conn, 403, "Forbidden", b"local targets only\n")
            conn.close()
            return
        try:
            up = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
        except OSError:
            respond(conn, 502, "Bad Gateway", b"")
            conn.close()
            return
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

        def pipe(a, b):
            try:
                while True:
                    data = a.recv(65536)
                    if not data:
                        break
                    b.sendall(data)
            except OSError:
                pass
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        conn.settimeout(None)
        up.settimeout(None)
        threading.Thread(target=pipe, args=(up, conn), daemon=True).start()
        pipe(conn, up)

    def answer(self, conn, method, target, headers):
        mode = self.mode
        body = b'{"ok":true}\n' if method != "HEAD" else b""
        if mode == "away":
            time.sleep(AWAY_S)
        if mode in ("ok", "tls10", "alert", "away"):
            respond(conn, 200, "OK", body, [("Content-Type", "application/json")])
        elif mode == "status500":
            respond(conn, 500, "Internal Server Error", b"oops\n")
        elif mode == "slow":
            time.sleep(5.5)
            respond(conn, 200, "OK", body)
        elif mode == "files":
            name = os.path.basename(target.split("?", 1)[0])
            path = os.path.join(self.opts.dir, name)
            if name and os.path.isfile(path):
                with open(path, "rb") as f:
                    respond(conn, 200, "OK", f.read(),
                            [("Content-Type", "application/pkix-cert")])
            else:
                respond(conn, 404, "Not Found", b"no such file\n")
        elif mode == "redirect":
            respond(conn, 301, "Moved Permanently", b"",
                    [("Location", "https://elsewhere.example/moved")])
        elif mode == "loop":
            host = headers.get("host", "127.0.0.1:%d" % self.port)
            scheme = "https" if self.certfile else "http"
            respond(conn, 301, "Moved Permanently", b"",
                    [("Location", "%s://%s%s" % (scheme, host, target))])
        elif mode == "endless":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                         b"Connection: close\r\n\r\n")
            chunk = b"x" * 65536
            deadline = time.time() + 30
            while time.time() < deadline:
                conn.sendall(chunk)
        elif mode == "slowloris":
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            deadline = time.time() + 60
            while time.time() < deadline:
                conn.sendall(b"z")
                time.sleep(0.5)
        elif mode == "slowbody":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n"
                         b"Connection: close\r\n\r\n")
            deadline = time.time() + 60
            while time.time() < deadline:
                conn.sendall(b"z")
                time.sleep(0.5)
        elif mode == "gzipbomb":
            respond(conn, 200, "OK", gzip_bomb(),
                    [("Content-Type", "application/json"),
                     ("Content-Encoding", "gzip")])
        elif mode == "truncated":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n"
                         b"Content-Type: application/json\r\n"
                         b"Connection: close\r\n\r\n" + b"{" * 100)
        elif mode == "bigheader":
            respond(conn, 200, "OK", body, [("X-Big", "b" * (1024 * 1024))])
        elif mode == "redirect-other":
            if target.startswith("/caught"):
                respond(conn, 200, "OK", body)
            else:
                respond(conn, 302, "Found", b"",
                        [("Location", "%s://localhost:%d/caught" % (
                            "https" if self.certfile else "http", self.port))])
        elif mode == "endless-headers":
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            line = b"X-Filler: " + b"y" * 1000 + b"\r\n"
            deadline = time.time() + 30
            while time.time() < deadline:
                conn.sendall(line * 64)
        else:
            respond(conn, 500, "Unknown Mode", b"")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--portfile", required=True)
    ap.add_argument("--lifetime", type=float, default=60)
    ap.add_argument("--log")
    ap.add_argument("listeners", nargs="+")
    opts = ap.parse_args()
    listeners, ports, unavailable = [], {}, {}
    for spec in opts.listeners:
        try:
            l = Listener(spec, opts)
        except OSError as e:
            name = spec.split(":")[0]
            if not name.endswith("@6"):
                raise
            # no IPv6 loopback here: the tests that need it say so
            ports[name[:-2]] = None
            unavailable[name[:-2]] = "cannot listen on [::1]: %s" % (
                e.strerror or e)
            continue
        listeners.append(l)
        ports[l.name] = l.port
    if unavailable:
        ports["_unavailable"] = unavailable
    tmp = opts.portfile + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(ports, f)
    os.replace(tmp, opts.portfile)
    for l in listeners:
        threading.Thread(target=l.serve, daemon=True).start()
    time.sleep(opts.lifetime)
    sys.exit(0)


if __name__ == "__main__":
    main()
