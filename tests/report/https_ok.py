#!/usr/bin/env python3
"""https_ok.py CERT KEY PORTFILE [LIFETIME] - a tiny HTTPS server on
127.0.0.1 for tests/report/run.sh: answers 200 with a small JSON body to
any GET or HEAD, writes the port it listens on to PORTFILE, and exits by
itself after LIFETIME seconds (default 60)."""
import http.server
import ssl
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"ok": true}\n'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


def main(argv):
    cert, key, portfile = argv[1], argv[2], argv[3]
    lifetime = float(argv[4]) if len(argv) > 4 else 60.0
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(portfile + ".tmp", portfile)
    threading.Timer(lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main(sys.argv)
