#!/usr/bin/env python3
"""tests/servers/devopness_api.py - an emulator of the Devopness API.

    devopness_api.py --scenario SCENARIO.json [--log REQUESTS.jsonl]
                     [--lifetime SECONDS] [--fault SPEC]...

Listens on 127.0.0.1 on a port the kernel chooses and prints that port on
the first line of standard output. Exits by itself after --lifetime seconds
(default 120), so a test run that dies leaves nothing behind.

It answers the paths hookdoctor uses the way the official description
(tests/data/devopness-api-schemas.json, from devopness-openapi.json by
tools/gen-api-schemas.py) says:

    GET  /pipelines/{id}                    Pipeline
    GET  /pipelines/{id}/hooks              HookList (HookRelation), paged
    POST /pipelines/{id}/hooks/{type}       201 Hook (HookPipelineCreate in)
    GET  /hooks/{type}/{id}                 Hook
    GET  /hooks/{type}/{id}/requests        RequestList, paged
    GET  /hook-requests/{id}                HookRequest
    GET  /actions/{id}                      Action
    GET  /pipelines/{id}/actions            ActionList, paged

Every record is the schema's example with the scenario's members put over
it (a shallow update), so what it serves has the official shape. It
enforces the headers every path requires: Accept: application/json (406
otherwise), Content-Type: application/json (415), Authorization: Bearer
with the scenario's token (401 {"message": "Unauthenticated."}). Unknown
IDs answer 404 {"message": "Not Found"}; a POST body without a name, or
with a name over 60 characters, 422 with Laravel's error shape. Lists are
paged with ?page= and ?per_page= (the page size is at most the scenario's
"page_size", default 2) and a Link header with first, last, prev and next.

The scenario (JSON):

    {"token": "...", "page_size": 2,
     "pipelines": [{...Pipeline members...}], "hooks": [...],
     "actions": [...], "hook_requests": [...],
     "store_overrides": {...},   # members the API changes on POST
     "link_origin": "http://elsewhere.example",  # Link URLs point there
     "faults": [{"method": "GET", "path": "REGEX", "status": 500,
                 "body": {...}, "headers": {"Retry-After": "0"},
                 "times": 2, "stall": false}]}

A fault answers (or, with "stall", never answers) the requests whose
method and path (no query) match, the first "times" times (default:
always). --fault METHOD:REGEX:STATUS[:TIMES] adds one from the command
line; STATUS "stall" stalls.

Every request is appended to --log as one JSON line: method, path, query,
the header names, whether the Authorization header was the right token
(never its value) and, for a POST, the body. A test reads it to prove
that nothing was POSTed.
"""
import argparse
import copy
import json
import os
import re
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(HERE, "..", "data", "devopness-api-schemas.json")
LOCK = threading.Lock()


class Schemas:
    """Examples built from the official schemas."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = json.load(f)["schemas"]

    def resolve(self, s):
        while isinstance(s, dict) and "$ref" in s:
            s = self.doc[s["$ref"].rsplit("/", 1)[-1]]
        return s

    def example(self, s, depth=0):
        s = self.resolve(s)
        if "example" in s:
            return copy.deepcopy(s["example"])
        for key in ("oneOf", "anyOf", "allOf"):
            if key in s and s[key]:
                return self.example(s[key][0], depth + 1)
        t = s.get("type")
        if t == "object" or "properties" in s:
            if depth > 6:
                return {}
            out = {}
            for name in s.get("required", list(s.get("properties", {}))):
                prop = s.get("properties", {}).get(name)
                if prop is not None:
                    out[name] = self.example(prop, depth + 1)
            return out
        if t == "array":
            return []
        if "enum" in s:
            return s["enum"][0]
        return {"string": "", "integer": 0, "number": 0,
                "boolean": False}.get(t)

    def record(self, name, over):
        rec = self.example(self.doc[name])
        rec.update(copy.deepcopy(over))
        return rec

    def project(self, name, rec):
        """rec limited to the members of schema name (a Relation)."""
        props = self.resolve(self.doc[name]).get("properties", {})
        return {k: v for k, v in rec.items() if k in props}


class State:
    def __init__(self, scenario, schemas, extra_faults):
        self.s = schemas
        self.token = scenario.get("token", "dvp-test-token")
        self.page_size = int(scenario.get("page_size", 2))
        self.pipelines = {str(p["id"]): schemas.record("Pipeline", p)
                          for p in scenario.get("pipelines", [])}
        self.hooks = {str(h["id"]): schemas.record("Hook", h)
                      for h in scenario.get("hooks", [])}
        self.actions = {str(a["id"]): schemas.record("Action", a)
                        for a in scenario.get("actions", [])}
        self.requests = {str(r["id"]): schemas.record("HookRequest", r)
                         for r in scenario.get("hook_requests", [])}
        self.store_overrides = scenario.get("store_overrides", {})
        self.link_origin = scenario.get("link_origin")
        self.faults = [dict(f) for f in scenario.get("faults", [])]
        self.faults += extra_faults
        for f in self.faults:
            f["_re"] = re.compile(f.get("path", ".*"))
            f["_left"] = f.get("times", -1)

    def fault_for(self, method, path):
        with LOCK:
            for f in self.faults:
                if f.get("method", method) != method:
                    continue
                if not f["_re"].search(path) or f["_left"] == 0:
                    continue
                if f["_left"] > 0:
                    f["_left"] -= 1
                return f
        return None


class Handler(BaseHTTPRequestHandler):
    server_version = "devopness-api-emulator/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    # --- answers ---

    def send_json(self, status, body, headers=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def not_found(self):
        self.send_json(404, {"message": "Not Found"})

    def page(self, items, query):
        st = self.server.state
        try:
            page = max(1, int(query.get("page", ["1"])[0]))
            per = int(query.get("per_page", [str(st.page_size)])[0])
        except ValueError:
            return self.send_json(422, {"message": "The given data was invalid.",
                                        "errors": {"page": ["The page must be an integer."]}})
        per = max(1, min(per, st.page_size, 100))
        last = max(1, (len(items) + per - 1) // per)
        chunk = items[(page - 1) * per: page * per]
        origin = st.link_origin or "http://%s" % self.headers.get("Host", "127.0.0.1")
        base = origin + urlsplit(self.path).path

        def link(p, rel):
            return '<%s?page=%d&per_page=%d>; rel="%s"' % (base, p, per, rel)
        links = [link(1, "first"), link(last, "last")]
        if page > 1:
            links.append(link(page - 1, "prev"))
        if page < last:
            links.append(link(page + 1, "next"))
        self.send_json(200, chunk, {"Link": ", ".join(links)})

    # --- requests ---

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def record(self, method, path, query, auth_ok, body):
        log = self.server.log
        if not log:
            return
        entry = {"method": method, "path": path, "query": query,
                 "headers": sorted(self.headers.keys()), "auth_ok": auth_ok}
        if method != "GET":
            entry["body"] = body.decode("utf-8", "replace")
        with LOCK:
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")

    def handle_any(self, method):
        st = self.server.state
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        body = self.read_body()
        auth = self.headers.get("Authorization", "")
        auth_ok = auth == "Bearer " + st.token
        self.record(method, path, parts.query, auth_ok, body)

        fault = st.fault_for(method, path)
        if fault and fault.get("stall"):
            time.sleep(self.server.lifetime)
            return
        if "application/json" not in self.headers.get("Accept", ""):
            return self.send_json(406, {"message": "Not Acceptable: send Accept: application/json"})
        ctype = self.headers.get("Content-Type", "")
        if ctype.split(";")[0].strip().lower() != "application/json":
            return self.send_json(415, {"message": "Unsupported Media Type: send Content-Type: application/json"})
        if not auth.startswith("Bearer ") or not auth_ok:
            return self.send_json(401, {"message": "Unauthenticated."})
        if fault:
            return self.send_json(int(fault.get("status", 500)),
                                  fault.get("body", {"message": "Server Error"}),
                                  fault.get("headers"))
        return self.route(method, path, query, body)

    def route(self, method, path, query, body):
        st = self.server.state
        seg = [p for p in path.split("/") if p]
        if method == "GET":
            if len(seg) == 2 and seg[0] == "pipelines":
                p = st.pipelines.get(seg[1])
                return self.send_json(200, p) if p else self.not_found()
            if len(seg) == 3 and seg[0] == "pipelines" and seg[2] == "hooks":
                if seg[1] not in st.pipelines:
                    return self.not_found()
                hooks = [st.s.project("HookRelation", h)
                         for h in st.hooks.values()
                         if str(h.get("pipeline_id")) == seg[1]]
                return self.page(hooks, query)
            if len(seg) == 3 and seg[0] == "pipelines" and seg[2] == "actions":
                if seg[1] not in st.pipelines:
                    return self.not_found()
                acts = [st.s.project("ActionRelation", a)
                        for a in st.actions.values()
                        if str(a.get("pipeline_id")) == seg[1]]
                return self.page(acts, query)
            if len(seg) == 3 and seg[0] == "hooks" and seg[1] in ("incoming", "outgoing"):
                h = st.hooks.get(seg[2])
                return self.send_json(200, h) if h else self.not_found()
            if (len(seg) == 4 and seg[0] == "hooks" and seg[3] == "requests"
                    and seg[1] in ("incoming", "outgoing")):
                if seg[2] not in st.hooks:
                    return self.not_found()
                reqs = [st.s.project("RequestRelation", r)
                        for r in st.requests.values()
                        if r.get("hook_id") == seg[2]]
                return self.page(reqs, query)
            if len(seg) == 2 and seg[0] == "hook-requests":
                r = st.requests.get(seg[1])
                return self.send_json(200, r) if r else self.not_found()
            if len(seg) == 2 and seg[0] == "actions":
                a = st.actions.get(seg[1])
                return self.send_json(200, a) if a else self.not_found()
            return self.not_found()
        if (method == "POST" and len(seg) == 4 and seg[0] == "pipelines"
                and seg[2] == "hooks" and seg[3] in ("incoming", "outgoing")):
            return self.create_hook(seg[1], seg[3], body)
        self.send_json(405, {"message": "Method Not Allowed"})

    def create_hook(self, pipeline_id, hook_type, body):
        st = self.server.state
        if pipeline_id not in st.pipelines:
            return self.not_found()
        try:
            data = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return self.send_json(400, {"message": "The request body is not valid JSON."})
        if not isinstance(data, dict):
            return self.send_json(422, {"message": "The given data was invalid.",
                                        "errors": {"name": ["The name field is required."]}})
        name = data.get("name")
        if not isinstance(name, str) or not name:
            return self.send_json(422, {"message": "The name field is required.",
                                        "errors": {"name": ["The name field is required."]}})
        if len(name) > 60:
            return self.send_json(422, {"message": "The name must not be greater than 60 characters.",
                                        "errors": {"name": ["The name must not be greater than 60 characters."]}})
        hook = dict(data)
        hook.update({"id": str(uuid.uuid4()),
                     "type": "out" if hook_type == "outgoing" else "in",
                     "pipeline_id": int(pipeline_id), "url": None,
                     "is_auto_generated": False})
        hook.setdefault("active", True)
        hook.setdefault("verify_ssl", True)
        hook.update(copy.deepcopy(st.store_overrides))
        rec = st.s.record("Hook", hook)
        st.hooks[rec["id"]] = rec
        self.send_json(201, rec)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")


def parse_fault(spec):
    parts = spec.split(":")
    if len(parts) < 3:
        sys.exit("--fault METHOD:REGEX:STATUS[:TIMES]")
    f = {"method": parts[0], "path": parts[1]}
    if parts[2] == "stall":
        f["stall"] = True
    else:
        f["status"] = int(parts[2])
    if len(parts) > 3:
        f["times"] = int(parts[3])
    return f


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--log")
    ap.add_argument("--lifetime", type=float, default=120)
    ap.add_argument("--fault", action="append", default=[])
    ap.add_argument("--schemas", default=SCHEMAS)
    args = ap.parse_args()
    with open(args.scenario, encoding="utf-8") as f:
        scenario = json.load(f)
    schemas = Schemas(args.schemas)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.state = State(scenario, schemas, [parse_fault(s) for s in args.fault])
    srv.log = args.log
    srv.lifetime = args.lifetime
    print(srv.server_address[1], flush=True)
    timer = threading.Timer(args.lifetime, lambda: os._exit(0))
    timer.daemon = True
    timer.start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
