#!/usr/bin/env python3
"""tests/servers/provider_emulator.py - emulators of the providers' APIs.

    provider_emulator.py --provider NAME --scenario SCENARIO.json
                         [--log REQUESTS.jsonl] [--lifetime SECONDS]

The scenario file is read again at every request: rewriting it starts a
new scenario (fresh state) on the same port, so one emulator per provider
serves a whole test run.

NAME is one of github, gitlab, bitbucket-cloud, bitbucket-dc, azure-devops,
gitea. Listens on 127.0.0.1 on a port the kernel chooses and prints that
port on the first line of standard output; exits by itself after
--lifetime seconds (default 120), so a test run that dies leaves nothing
behind.

It answers the calls hookdoctor's live checks make (HD601-HD607) the way
the real APIs do, as ../shared/reference/providers.md describes them:
status codes, the scope headers (GitHub X-OAuth-Scopes and
X-Accepted-OAuth-Scopes, Bitbucket x-oauth-scopes and x-credential-type),
rate-limit headers, and each provider's error bodies (GitHub
{"message", "documentation_url"} with 404 for a private repository the
token cannot see and 422 "No commit found for SHA: ...", GitLab
{"message": "404 Project Not Found"} and the insufficient_scope body,
Bitbucket Cloud {"type": "error", "error": {...}} with detail.required and
detail.granted, Bitbucket DC {"errors": [{"message", "exceptionName"}]}
with 401 for a missing permission, Azure DevOps TF4xxxxx messages and the
203 sign-in page, Gitea {"message", "url"}). A status POST is stored and
shows in the lists afterwards (Bitbucket overwrites the same key; GitLab
updates a pending/running entry of the same name and refuses the same
in-flight state twice).

The scenario (JSON), every member optional:

    {"token": "ghp_good",            # the token the provider accepts
     "scopes": ["repo"],             # granted scopes; null: the header is
                                     # absent (fine-grained / app tokens)
     "oauth": false,                 # GitLab: an OAuth token, no
                                     # /personal_access_tokens/self
     "token_active": true,           # GitLab: revoked/expired when false
     "user": "octocat",
     "repo": {"owner": "acme", "name": "shop-api", "project": "PRJ",
              "private": true, "default_branch": "main",
              "access": true,        # false: the token cannot see it
              "push": true,          # permissions.push (GitHub, Gitea)
              "access_level": 30,    # GitLab role
              "write_refused": false # GitHub fine-grained: no statuses:write
             },
     "commits": ["<sha>", ...],
     "statuses": [{"commit": "<sha>", "identity": "ci/x", "state": "success",
                   "count": 1, "description": "..."}],
     "required": ["ci/x"],           # required status names on the branch
     "rate_limit": "retry"           # first request 429 Retry-After: 1
                 | "primary"         # 403, X-RateLimit-Remaining: 0
                 | "secondary"       # 403 secondary limit, Retry-After: 60
                 | "too-many"        # 429, Retry-After: 120
                 | "retry-date"      # first request 429, Retry-After as an
                                     # IMF-fixdate 2 s ahead
                 | "retry-rfc850"    # the same in the obsolete RFC 850 form
                 | "retry-past"      # first request 429, Retry-After a date
                                     # in the past (retry at once)
                 | "too-many-date"   # 429, Retry-After a date 1 h ahead
                 | "reset-time",     # first request 429 with only
                                     # RateLimit-Remaining: 0 and GitLab's
                                     # RateLimit-ResetTime (HTTP-date) 2 s
                                     # ahead
     "limit_paths": "",              # a regex: these paths answer as
                                     # "primary" does (403, remaining 0)
     "stall": false,                 # never answer (until --lifetime)
     "stall_paths": "",              # a regex: never answer these paths
     "latency_ms": 0}                # answer each request this much later
                                     # (a network round trip, for
                                     # benchmarks; requests overlap)

Every request is appended to --log as one JSON line: method, path,
whether it was a write (POST/PUT/PATCH/DELETE), whether it authenticated
(never the credential itself) and, for a write, the body. A test reads it
to prove that nothing was written without --send.
"""
import argparse
import base64
import email.utils
import json
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


class Reply(Exception):
    """Raised by a handler to answer at once."""

    def __init__(self, status, body=None, headers=None, text=None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.text = text


class State:
    def __init__(self, provider, sc, log):
        self.provider = provider
        self.sc = sc
        self.log = log
        self.token = sc.get("token", "good-token")
        self.scopes = sc.get("scopes", ["repo"]) if "scopes" in sc else None
        if "scopes" not in sc:
            self.scopes = DEFAULT_SCOPES.get(provider)
        repo = {"owner": "acme", "name": "shop-api", "project": "PRJ",
                "private": True, "default_branch": "main", "access": True,
                "push": True, "access_level": 30, "write_refused": False}
        repo.update(sc.get("repo", {}))
        self.repo = repo
        self.commits = [c.lower() for c in sc.get("commits", [])]
        self.statuses = []      # oldest first
        self.next_id = 1000
        for st in sc.get("statuses", []):
            for _ in range(int(st.get("count", 1))):
                self.add_status(st["commit"].lower(), st["identity"],
                                st.get("state", "success"),
                                st.get("description", "deployed"),
                                st.get("link", "https://app.devopness.com/actions/1"))
        self.required = sc.get("required", [])
        self.rate_limit = sc.get("rate_limit")
        self.requests = 0

    def add_status(self, commit, identity, state, description, link):
        self.next_id += 1
        st = {"id": self.next_id, "commit": commit, "identity": identity,
              "state": state, "description": description, "link": link,
              "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "seq": self.next_id}
        self.statuses.append(st)
        return st


DEFAULT_SCOPES = {
    "github": ["repo"],
    "gitlab": ["api"],
    "bitbucket-cloud": ["repository", "pullrequest"],
}

SHA_RE = re.compile(r"^[0-9a-fA-F]{4,64}$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "provider-emulator"
    # Headers and body leave in one write (flushed after each request):
    # two small writes meet the client's delayed ACK and cost 40 ms each.
    wbufsize = 1 << 16

    def log_message(self, fmt, *args):
        pass

    # --- plumbing ---

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def handle_any(self, method):
        st = self.server.reload()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        self.method = method
        self.rawpath = url.path
        self.query = urllib.parse.parse_qs(url.query)
        self.raw = raw
        write = method in ("POST", "PUT", "PATCH", "DELETE")
        if st.sc.get("stall") or (st.sc.get("stall_paths") and
                                  re.search(st.sc["stall_paths"], url.path)):
            # Logged (so a test can count what was asked), never answered.
            if st.log:
                with LOCK, open(st.log, "a", encoding="utf-8") as f:
                    f.write(json.dumps({"method": method, "path": url.path,
                                        "query": url.query, "write": write,
                                        "stalled": True}) + "\n")
            time.sleep(st.sc.get("stall_seconds", 30))
            return
        if st.sc.get("latency_ms"):
            # Outside the lock: concurrent requests wait side by side,
            # as they would on a network.
            time.sleep(float(st.sc["latency_ms"]) / 1000.0)
        with LOCK:
            st.requests += 1
            nreq = st.requests
            authed = self.authenticated()
            entry = {"method": method, "path": url.path, "query": url.query,
                     "write": write, "authenticated": authed}
            if write:
                entry["body"] = raw.decode("utf-8", "replace")
            if st.log:
                with open(st.log, "a", encoding="utf-8") as f:
                    f.write(json.dumps(entry) + "\n")
            try:
                self.rate_limited(nreq)
                handler = HANDLERS[st.provider]
                handler(self, st, authed)
                raise Reply(404, {"message": "Not Found"})
            except Reply as r:
                self.answer(r)

    def answer(self, r):
        st = self.server.state
        headers = dict(r.headers)
        if r.text is not None:
            data = r.text.encode("utf-8")
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        elif r.body is not None:
            data = json.dumps(r.body).encode("utf-8")
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
        else:
            data = b""
        if st.provider == "github":
            headers.setdefault("X-RateLimit-Limit", "5000")
            headers.setdefault("X-RateLimit-Remaining", str(max(0, 4999 - st.requests)))
            headers.setdefault("X-RateLimit-Reset", str(int(time.time()) + 3600))
            headers.setdefault("X-RateLimit-Resource", "core")
            headers.setdefault("X-GitHub-Media-Type", "github.v3; format=json")
        self.send_response(r.status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.method != "HEAD":
            self.wfile.write(data)

    def header(self, name):
        return self.headers.get(name)

    def json_body(self):
        if not self.raw:
            return {}
        ctype = self.header("Content-Type") or ""
        if "json" in ctype or self.raw[:1] in (b"{", b"["):
            try:
                return json.loads(self.raw.decode("utf-8"))
            except ValueError:
                return None
        return {k: v[0] for k, v in urllib.parse.parse_qs(self.raw.decode()).items()}

    def bearer(self):
        """The credential sent, in any of the forms the providers take."""
        auth = self.header("Authorization") or ""
        scheme, _, cred = auth.partition(" ")
        scheme = scheme.lower()
        if scheme in ("bearer", "token"):
            return cred.strip()
        if scheme == "basic":
            try:
                dec = base64.b64decode(cred.strip()).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                return None
            return dec.partition(":")[2]
        if self.header("PRIVATE-TOKEN"):
            return self.header("PRIVATE-TOKEN")
        return None

    def authenticated(self):
        return self.bearer() == self.server.state.token

    def rate_limited(self, nreq):
        st = self.server.state
        mode = st.rate_limit
        if st.sc.get("limit_paths") and re.search(st.sc["limit_paths"], self.rawpath):
            mode = "primary"
        reset = str(int(time.time()) + 3600)
        if mode == "retry" and nreq == 1:
            raise Reply(429, {"message": "API rate limit exceeded, retry shortly."},
                        {"Retry-After": "1"})
        if mode == "primary":
            raise Reply(403, {"message": "API rate limit exceeded for user ID 1. If you "
                              "reach out to GitHub Support for help, please include the "
                              "request ID.",
                              "documentation_url": "https://docs.github.com/rest/overview/"
                              "rate-limits-for-the-rest-api"},
                        {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0",
                         "X-RateLimit-Reset": reset, "X-RateLimit-Used": "5000"})
        if mode == "secondary":
            raise Reply(403, {"message": "You have exceeded a secondary rate limit. Please "
                              "wait a few minutes before you try again.",
                              "documentation_url": "https://docs.github.com/rest/overview/"
                              "rate-limits-for-the-rest-api#about-secondary-rate-limits"},
                        {"Retry-After": "60", "X-RateLimit-Remaining": "4000"})
        if mode == "too-many":
            raise Reply(429, text="Retry later\n", headers={"Retry-After": "120"})
        now = time.time()
        if mode == "retry-date" and nreq == 1:
            raise Reply(429, {"message": "API rate limit exceeded, retry shortly."},
                        {"Retry-After": email.utils.formatdate(now + 2, usegmt=True)})
        if mode == "retry-rfc850" and nreq == 1:
            raise Reply(429, {"message": "API rate limit exceeded, retry shortly."},
                        {"Retry-After": time.strftime("%A, %d-%b-%y %H:%M:%S GMT",
                                                      time.gmtime(now + 2))})
        if mode == "retry-past" and nreq == 1:
            raise Reply(429, {"message": "API rate limit exceeded, retry shortly."},
                        {"Retry-After": "Sun, 06 Nov 1994 08:49:37 GMT"})
        if mode == "too-many-date":
            raise Reply(429, text="Retry later\n",
                        headers={"Retry-After": email.utils.formatdate(now + 3600,
                                                                       usegmt=True)})
        if mode == "reset-time" and nreq == 1:
            raise Reply(429, text="Retry later\n",
                        headers={"RateLimit-Remaining": "0", "RateLimit-Limit": "600",
                                 "RateLimit-ResetTime": email.utils.formatdate(
                                     now + 2, usegmt=True)})

    def match(self, pattern):
        m = re.match(pattern + r"/?$", self.path_rel)
        return m


# ---------------------------------------------------------------- GitHub

GH_DOCS = "https://docs.github.com/rest"


def gh_status_json(s):
    return {"url": "https://api.github.com/repos/x/statuses/" + s["commit"],
            "id": s["id"], "node_id": "SC_%d" % s["id"], "state": s["state"],
            "description": s["description"], "target_url": s["link"],
            "context": s["identity"], "created_at": s["created"],
            "updated_at": s["created"], "creator": {"login": "octocat", "id": 1}}


def github(h, st, authed):
    path = h.rawpath
    if path.startswith("/api/v3/"):
        path = path[len("/api/v3"):]
    h.path_rel = path
    scope_hdr = {}
    if st.scopes is not None:
        scope_hdr["X-OAuth-Scopes"] = ", ".join(st.scopes)
    if not h.header("User-Agent"):
        raise Reply(403, {"message": "Request forbidden by administrative rules. Please "
                          "make sure your request has a User-Agent header "
                          "(https://docs.github.com/en/rest/overview/resources-in-the-rest-api"
                          "#user-agent-required). Check https://developer.github.com for "
                          "other possible causes."})
    if not authed:
        raise Reply(401, {"message": "Bad credentials", "documentation_url": GH_DOCS,
                          "status": "401"})
    r = st.repo
    if h.method == "GET" and h.match(r"/user"):
        raise Reply(200, {"login": st.sc.get("user", "octocat"), "id": 1, "type": "User"},
                    dict(scope_hdr, **{"X-Accepted-OAuth-Scopes": ""}))
    m = re.match(r"^/repos/([^/]+)/([^/]+)(/.*)?$", path)
    if not m:
        return
    same = (m.group(1).lower() == r["owner"].lower() and
            m.group(2).lower() == r["name"].lower())
    rest = m.group(3) or ""
    h.path_rel = rest
    not_found = Reply(404, {"message": "Not Found", "documentation_url": GH_DOCS +
                            "/repos/repos#get-a-repository", "status": "404"}, scope_hdr)
    if not same or not r["access"]:
        raise not_found
    full = "%s/%s" % (r["owner"], r["name"])
    if h.method == "GET" and rest in ("", "/"):
        raise Reply(200, {"id": 42, "name": r["name"], "full_name": full,
                          "private": r["private"],
                          "visibility": "private" if r["private"] else "public",
                          "default_branch": r["default_branch"],
                          "permissions": {"admin": False, "maintain": False,
                                          "push": r["push"], "triage": True, "pull": True}},
                    dict(scope_hdr, **{"X-Accepted-OAuth-Scopes": "repo"}))
    mm = h.match(r"/commits/([^/]+)")
    if h.method == "GET" and mm:
        sha = mm.group(1).lower()
        if sha in st.commits:
            raise Reply(200, {"sha": sha, "commit": {"message": "deploy me"}}, scope_hdr)
        raise Reply(422, {"message": "No commit found for SHA: %s" % mm.group(1),
                          "documentation_url": GH_DOCS + "/commits/commits#get-a-commit",
                          "status": "422"}, scope_hdr)
    mm = None
    if h.method == "GET":
        mm = h.match(r"/commits/([^/]+)/statuses") or h.match(r"/statuses/([0-9a-fA-F]+)")
    if mm:
        sha = mm.group(1).lower()
        items = [gh_status_json(s) for s in reversed(st.statuses) if s["commit"] == sha]
        per = min(int(h.query.get("per_page", ["30"])[0]), 100)
        page = int(h.query.get("page", ["1"])[0])
        chunk = items[(page - 1) * per: page * per]
        hdr = dict(scope_hdr, **{"X-Accepted-OAuth-Scopes": "repo, repo:status"})
        if page * per < len(items):
            base = "http://%s%s" % (h.header("Host"), h.rawpath)
            hdr["Link"] = '<%s?per_page=%d&page=%d>; rel="next", <%s?per_page=%d&page=%d>; ' \
                          'rel="last"' % (base, per, page + 1, base, per,
                                          (len(items) + per - 1) // per)
        raise Reply(200, chunk, hdr)
    mm = h.match(r"/branches/([^/]+(?:/[^/]+)*)")
    if h.method == "GET" and mm:
        branch = urllib.parse.unquote(mm.group(1))
        if branch != r["default_branch"]:
            raise Reply(404, {"message": "Branch not found", "documentation_url": GH_DOCS,
                              "status": "404"}, scope_hdr)
        prot = {"enabled": bool(st.required),
                "required_status_checks": {"enforcement_level": "non_admins" if st.required
                                           else "off",
                                           "contexts": list(st.required),
                                           "checks": [{"context": c, "app_id": None}
                                                      for c in st.required]}}
        raise Reply(200, {"name": branch, "protected": bool(st.required),
                          "protection": prot, "commit": {"sha": "0" * 40}}, scope_hdr)
    mm = h.match(r"/rules/branches/([^/]+(?:/[^/]+)*)")
    if h.method == "GET" and mm:
        raise Reply(200, [], scope_hdr)
    mm = h.match(r"/statuses/([^/]*)")
    if h.method == "POST" and mm:
        scopes = st.scopes
        if scopes is not None and not ({"repo", "repo:status"} & set(scopes)):
            raise not_found
        if r["write_refused"]:
            raise Reply(403, {"message": "Resource not accessible by personal access token",
                              "documentation_url": GH_DOCS +
                              "/commits/statuses#create-a-commit-status", "status": "403"},
                        {"X-Accepted-GitHub-Permissions": "statuses=write"})
        if not r["push"]:
            raise not_found
        sha = mm.group(1).lower()
        if sha not in st.commits:
            raise Reply(422, {"message": "No commit found for SHA: %s" % mm.group(1),
                              "documentation_url": GH_DOCS, "status": "422"})
        body = h.json_body()
        if body is None:
            raise Reply(400, {"message": "Problems parsing JSON", "documentation_url":
                              GH_DOCS, "status": "400"})
        state = body.get("state")
        if state not in ("error", "failure", "pending", "success"):
            raise Reply(422, {"message": "Validation Failed", "errors": [
                {"resource": "Status", "code": "custom", "field": "state",
                 "message": "state is not included in the list"}],
                "documentation_url": GH_DOCS, "status": "422"})
        desc = body.get("description")
        if desc and len(desc) > 140:
            raise Reply(422, {"message": "Validation Failed", "errors": [
                {"resource": "Status", "code": "custom", "field": "description",
                 "message": "description is too long (maximum is 140 characters)"}],
                "documentation_url": GH_DOCS, "status": "422"})
        ctx = body.get("context") or "default"
        n = sum(1 for s in st.statuses if s["commit"] == sha and
                s["identity"].lower() == ctx.lower())
        if n >= 1000:
            raise Reply(422, {"message": "Validation Failed", "errors": [
                {"resource": "Status", "code": "custom",
                 "message": "This SHA and context has reached the maximum number of "
                            "statuses."}], "documentation_url": GH_DOCS, "status": "422"})
        s = st.add_status(sha, ctx, state, desc, body.get("target_url"))
        raise Reply(201, gh_status_json(s), {"Location": "https://api.github.com/repos/%s/"
                                              "statuses/%s" % (full, sha)})


# ---------------------------------------------------------------- GitLab

def gl_status_json(s):
    return {"id": s["id"], "sha": s["commit"], "ref": "main", "status": s["state"],
            "name": s["identity"], "target_url": s["link"],
            "description": s["description"], "created_at": s["created"],
            "started_at": None, "finished_at": None, "allow_failure": False,
            "coverage": None, "author": {"id": 1, "username": "ana"}}


def gitlab(h, st, authed):
    path = h.rawpath
    i = path.find("/api/v4/")
    if i < 0:
        return
    path = path[i + len("/api/v4"):]
    h.path_rel = path
    if not authed:
        raise Reply(401, {"message": "401 Unauthorized"})
    sc = st.sc
    if h.match(r"/personal_access_tokens/self") and h.method == "GET":
        if sc.get("oauth"):
            raise Reply(404, {"message": "404 Not Found"})
        active = sc.get("token_active", True)
        raise Reply(200, {"id": 7, "name": "devopness", "revoked": not active,
                          "created_at": "2025-01-01T00:00:00.000Z",
                          "scopes": st.scopes or [], "user_id": 1,
                          "last_used_at": None, "active": active,
                          "expires_at": "2030-01-01" if active else "2024-01-01"})
    if h.match(r"/user") and h.method == "GET":
        raise Reply(200, {"id": 1, "username": sc.get("user", "ana"), "name": "Ana Lima"})
    m = re.match(r"^/projects/([^/]+)(/.*)?$", path)
    if not m:
        return
    r = st.repo
    pid = urllib.parse.unquote(m.group(1))
    full = "%s/%s" % (r["owner"], r["name"])
    h.path_rel = m.group(2) or ""
    if pid not in (full, "4242") or not r["access"]:
        raise Reply(404, {"message": "404 Project Not Found"})
    if h.method == "GET" and h.path_rel in ("", "/"):
        level = r["access_level"]
        raise Reply(200, {"id": 4242, "path_with_namespace": full, "name": r["name"],
                          "visibility": "private" if r["private"] else "public",
                          "default_branch": r["default_branch"],
                          "permissions": {"project_access": {"access_level": level,
                                                             "notification_level": 3}
                                          if level else None,
                                          "group_access": None}})
    mm = h.match(r"/repository/commits/([^/]+)")
    if h.method == "GET" and mm:
        sha = mm.group(1).lower()
        if sha in st.commits:
            raise Reply(200, {"id": sha, "short_id": sha[:8], "title": "deploy me"})
        raise Reply(404, {"message": "404 Commit Not Found"})
    mm = h.match(r"/repository/commits/([^/]+)/statuses")
    if h.method == "GET" and mm:
        sha = mm.group(1).lower()
        items = [s for s in st.statuses if s["commit"] == sha]
        if h.query.get("sort", ["asc"])[0] == "desc":
            items = list(reversed(items))
        raise Reply(200, [gl_status_json(s) for s in items],
                    {"X-Total": str(len(items)), "X-Page": "1", "X-Per-Page": "100"})
    mm = h.match(r"/statuses/([^/]+)")
    if h.method == "POST" and mm:
        if "api" not in (st.scopes or []):
            raise Reply(403, {"error": "insufficient_scope", "error_description":
                              "The request requires higher privileges than provided by "
                              "the access token.", "scope": "api"})
        if (r["access_level"] or 0) < 30:
            raise Reply(403, {"message": "403 Forbidden"})
        sha = mm.group(1).lower()
        if sha not in st.commits:
            raise Reply(404, {"message": "404 Commit Not Found"})
        body = h.json_body() or {}
        for k, v in h.query.items():
            body.setdefault(k, v[0])
        state = body.get("state")
        if not state:
            raise Reply(400, {"error": "state is missing"})
        if state not in ("pending", "running", "success", "failed", "canceled", "skipped"):
            raise Reply(400, {"error": "state does not have a valid value"})
        name = body.get("name") or body.get("context") or "default"
        latest = [s for s in st.statuses if s["commit"] == sha and s["identity"] == name]
        cur = latest[-1] if latest else None
        if cur and cur["state"] in ("pending", "running"):
            event = {"pending": "enqueue", "running": "run"}.get(state)
            if event and (cur["state"] == state or (state == "pending" and
                                                    cur["state"] == "running")):
                raise Reply(400, {"message": "Cannot transition status via :%s from :%s "
                                  "(Reason(s): Status cannot transition via \"%s\")"
                                  % (event, cur["state"], event)})
            cur["state"] = state
            cur["description"] = body.get("description")
            cur["link"] = body.get("target_url")
            raise Reply(201, gl_status_json(cur))
        s = st.add_status(sha, name, state, body.get("description"), body.get("target_url"))
        raise Reply(201, gl_status_json(s))


# ---------------------------------------------------------------- Bitbucket Cloud

def bb_error(message, **extra):
    err = {"message": message}
    err.update(extra)
    return {"type": "error", "error": err}


def bbc_status_json(s):
    return {"type": "build", "key": s["identity"], "state": s["state"],
            "name": s.get("name") or s["identity"], "url": s["link"],
            "description": s["description"], "refname": None,
            "created_on": s["created"], "updated_on": s["created"],
            "commit": {"type": "commit", "hash": s["commit"]}}


def bitbucket_cloud(h, st, authed):
    path = h.rawpath
    if not path.startswith("/2.0/"):
        return
    path = path[len("/2.0"):]
    h.path_rel = path
    if not authed:
        raise Reply(401, bb_error("Token is invalid, expired, or not supported for this "
                                  "endpoint."))
    scopes = st.scopes or []
    hdr = {"X-OAuth-Scopes": ", ".join(scopes), "X-Accepted-OAuth-Scopes": "repository",
           "X-Credential-Type": "repo_access_token"}
    m = re.match(r"^/repositories/([^/]+)/([^/]+)(/.*)?$", path)
    if not m:
        return
    if not ({"repository", "repository:write", "repository:admin", "pullrequest",
             "pullrequest:write"} & set(scopes)):
        raise Reply(403, bb_error("Your credentials lack one or more required privilege "
                                  "scopes.", detail={"granted": scopes,
                                                     "required": ["repository"]}), hdr)
    r = st.repo
    if (m.group(1), m.group(2)) != (r["owner"], r["name"]) or not r["access"]:
        raise Reply(404, bb_error("You may not have access to this repository or it no "
                                  "longer exists in this workspace. If you think this "
                                  "repository exists and you have access, make sure you "
                                  "are authenticated."), hdr)
    h.path_rel = m.group(3) or ""
    full = "%s/%s" % (r["owner"], r["name"])
    if h.method == "GET" and h.path_rel in ("", "/"):
        raise Reply(200, {"type": "repository", "full_name": full, "name": r["name"],
                          "is_private": r["private"], "uuid": "{1b5d3e7c}",
                          "mainbranch": {"type": "branch", "name": r["default_branch"]}},
                    hdr)
    mm = h.match(r"/commit/([^/]+)")
    if h.method == "GET" and mm:
        sha = mm.group(1).lower()
        if sha in st.commits:
            raise Reply(200, {"type": "commit", "hash": sha, "message": "deploy me"}, hdr)
        raise Reply(404, bb_error("Commit not found", data={"shas": [mm.group(1)]}), hdr)
    mm = h.match(r"/commit/([^/]+)/statuses")
    if h.method == "GET" and mm:
        sha = mm.group(1).lower()
        items = [bbc_status_json(s) for s in st.statuses if s["commit"] == sha]
        if h.query.get("sort", [""])[0] == "-created_on":
            items.reverse()
        raise Reply(200, {"pagelen": 100, "size": len(items), "page": 1,
                          "values": items}, hdr)
    mm = h.match(r"/commit/([^/]+)/statuses/build")
    if h.method == "POST" and mm:
        sha = mm.group(1).lower()
        if sha not in st.commits:
            raise Reply(404, bb_error("Commit not found"), hdr)
        body = h.json_body() or {}
        key = body.get("key")
        if not key:
            raise Reply(400, bb_error("key: This field is required.",
                                      fields={"key": ["This field is required."]}), hdr)
        if len(key) > 40:
            raise Reply(400, bb_error("key: Ensure this value has at most 40 characters "
                                      "(it has %d)." % len(key)), hdr)
        if body.get("state") not in ("SUCCESSFUL", "FAILED", "INPROGRESS", "STOPPED"):
            raise Reply(400, bb_error("state: Value must be one of SUCCESSFUL, FAILED, "
                                      "INPROGRESS, STOPPED"), hdr)
        for s in st.statuses:
            if s["commit"] == sha and s["identity"] == key:
                s.update(state=body["state"], description=body.get("description"),
                         link=body.get("url"))
                raise Reply(201, bbc_status_json(s), hdr)
        s = st.add_status(sha, key, body["state"], body.get("description"), body.get("url"))
        raise Reply(201, bbc_status_json(s), hdr)


# ---------------------------------------------------------------- Bitbucket DC

def dc_error(message, exc):
    return {"errors": [{"context": None, "message": message,
                        "exceptionName": "com.atlassian.bitbucket." + exc}]}


def dc_status_json(s):
    return {"state": s["state"], "key": s["identity"], "name": s["identity"],
            "url": s["link"], "description": s["description"],
            "dateAdded": s["seq"]}


def bitbucket_dc(h, st, authed):
    path = h.rawpath
    i = path.find("/rest/")
    if i < 0:
        return
    path = path[i:]
    h.path_rel = path
    if not authed:
        raise Reply(401, dc_error("Authentication failed. Please check your credentials "
                                  "and try again.",
                                  "auth.IncorrectPasswordAuthenticationException"))
    r = st.repo
    m = re.match(r"^/rest/build-status/(?:1\.0|latest)/commits/([^/]+)/?$", path)
    if m and h.method == "GET":
        sha = m.group(1).lower()
        items = [dc_status_json(s) for s in reversed(st.statuses) if s["commit"] == sha]
        raise Reply(200, {"size": len(items), "limit": 100, "isLastPage": True,
                          "values": items, "start": 0})
    m = re.match(r"^/rest/(api|required-builds)/(?:1\.0|latest)/projects/([^/]+)/repos/"
                 r"([^/]+)(/.*)?$", path)
    if not m:
        return
    if (m.group(2), m.group(3)) != (r["project"], r["name"]):
        raise Reply(404, dc_error("Repository %s/%s does not exist." % (m.group(2),
                                                                        m.group(3)),
                                  "repository.NoSuchRepositoryException"))
    if not r["access"]:
        raise Reply(401, dc_error("You are not permitted to access this resource",
                                  "AuthorisationException"))
    h.path_rel = m.group(4) or ""
    if m.group(1) == "required-builds":
        if h.path_rel.rstrip("/") == "/conditions":
            raise Reply(200, {"size": 1, "limit": 25, "isLastPage": True, "start": 0,
                              "values": [{"id": 1, "buildParentKeys": list(st.required),
                                          "refMatcher": {"id": "refs/heads/main",
                                                         "displayId": "main"}}]
                              if st.required else []})
        return
    if h.method == "GET" and h.path_rel in ("", "/"):
        raise Reply(200, {"slug": r["name"], "name": r["name"], "public": not r["private"],
                          "project": {"key": r["project"]}, "state": "AVAILABLE"})
    mm = h.match(r"/commits/([^/]+)")
    if h.method == "GET" and mm:
        sha = mm.group(1).lower()
        if sha in st.commits:
            raise Reply(200, {"id": sha, "displayId": sha[:11], "message": "deploy me"})
        raise Reply(404, dc_error("Commit '%s' does not exist in repository '%s'."
                                  % (mm.group(1), r["name"]),
                                  "commit.NoSuchCommitException"))
    mm = h.match(r"/commits/([^/]+)/builds")
    if h.method == "POST" and mm:
        sha = mm.group(1).lower()
        body = h.json_body() or {}
        key = body.get("key") or ""
        if not key or len(key) > 255:
            raise Reply(400, dc_error("key must be between 1 and 255 characters",
                                      "validation.ArgumentValidationException"))
        if body.get("state") not in ("SUCCESSFUL", "FAILED", "INPROGRESS", "CANCELLED",
                                     "UNKNOWN"):
            raise Reply(400, dc_error("invalid state", "validation.ArgumentValidationException"))
        for s in st.statuses:
            if s["commit"] == sha and s["identity"] == key:
                s.update(state=body["state"], description=body.get("description"),
                         link=body.get("url"))
                raise Reply(204)
        st.add_status(sha, key, body["state"], body.get("description"), body.get("url"))
        raise Reply(204)


# ---------------------------------------------------------------- Azure DevOps

def az_error(status, message, key):
    return Reply(status, {"$id": "1", "innerException": None, "message": message,
                          "typeName": "Microsoft.TeamFoundation.%s, Microsoft."
                          "TeamFoundation" % key,
                          "typeKey": key, "errorCode": 0, "eventId": 3000})


def az_status_json(s):
    name, _, genre = s["identity"].partition("/")
    return {"id": s["id"], "state": s["state"], "description": s["description"],
            "context": {"name": name, "genre": genre}, "targetUrl": s["link"],
            "creationDate": s["created"], "updatedDate": s["created"],
            "createdBy": {"displayName": "Ana Lima"}}


def azure(h, st, authed):
    path = h.rawpath
    i = path.find("/_apis/")
    if i < 0:
        return
    path = path[i:]
    h.path_rel = path
    if not authed:
        if (h.header("X-TFS-FedAuthRedirect") or "").lower() == "suppress":
            raise az_error(401, "TF400813: The user '' is not authorized to access this "
                           "resource.", "UnauthorizedRequestException")
        raise Reply(203, text="<html><head><title>Azure DevOps Services | Sign In</title>"
                    "</head><body>Sign in</body></html>",
                    headers={"Content-Type": "text/html; charset=utf-8"})
    if not h.query.get("api-version"):
        raise az_error(400, "No api-version was supplied for the \"%s\" request. The "
                       "version must be supplied either as part of the Accept header "
                       "(e.g. \"application/json; api-version=1.0\") or as a query "
                       "parameter (e.g. \"?api-version=1.0\")." % h.method,
                       "VssVersionNotSpecifiedException")
    r = st.repo
    m = re.match(r"^/_apis/git/repositories/([^/]+)(/.*)?$", path)
    if not m:
        return
    if m.group(1) != r["name"] or not r["access"]:
        raise az_error(404, "TF401019: The Git repository with name or identifier %s does "
                       "not exist or you do not have permissions for the operation you are "
                       "attempting." % m.group(1), "GitRepositoryNotFoundException")
    h.path_rel = m.group(2) or ""
    if h.method == "GET" and h.path_rel in ("", "/"):
        raise Reply(200, {"id": "5febef5a-833d-4e14-b9c0-14cb638f91e6", "name": r["name"],
                          "defaultBranch": "refs/heads/" + r["default_branch"],
                          "project": {"name": "shop"}})
    mm = h.match(r"/commits/([^/]+)")
    if h.method == "GET" and mm:
        sha = mm.group(1).lower()
        if sha in st.commits:
            raise Reply(200, {"commitId": sha, "comment": "deploy me"})
        raise az_error(404, "TF401175:The Git commit with id %s does not exist in "
                       "repository %s." % (mm.group(1), r["name"]),
                       "GitCommitDoesNotExistException")
    mm = h.match(r"/commits/([^/]+)/statuses")
    if mm and h.method == "GET":
        sha = mm.group(1).lower()
        items = [az_status_json(s) for s in reversed(st.statuses) if s["commit"] == sha]
        raise Reply(200, {"count": len(items), "value": items})
    if mm and h.method == "POST":
        sha = mm.group(1).lower()
        body = h.json_body() or {}
        ctx = body.get("context") or {}
        if not ctx.get("name"):
            raise az_error(400, "The context name cannot be null or empty.",
                           "ArgumentNullException")
        s = st.add_status(sha, "%s/%s" % (ctx.get("name"), ctx.get("genre") or ""),
                          body.get("state", "notSet"), body.get("description"),
                          body.get("targetUrl"))
        raise Reply(201, az_status_json(s))


# ---------------------------------------------------------------- Gitea

def gitea_json(s):
    return {"id": s["id"], "status": s["state"], "target_url": s["link"],
            "description": s["description"], "context": s["identity"],
            "creator": {"login": "ana"}, "created_at": s["created"],
            "updated_at": s["created"]}


def gitea(h, st, authed):
    path = h.rawpath
    i = path.find("/api/v1/")
    if i < 0:
        return
    path = path[i + len("/api/v1"):]
    h.path_rel = path
    swagger = "http://%s/api/swagger" % h.header("Host")
    if not authed:
        raise Reply(401, {"message": "token is required", "url": swagger})
    scopes = st.scopes
    def need(scope):
        if scopes is not None and scope not in scopes and \
                ("write:" + scope.split(":")[1]) not in scopes and "all" not in scopes:
            raise Reply(403, {"message": "token does not have at least one of required "
                              "scope(s): [%s]" % scope, "url": swagger})
    if h.match(r"/user") and h.method == "GET":
        need("read:user")
        raise Reply(200, {"id": 1, "login": st.sc.get("user", "ana"), "full_name": "Ana"})
    m = re.match(r"^/repos/([^/]+)/([^/]+)(/.*)?$", path)
    if not m:
        return
    r = st.repo
    need("read:repository")
    if (m.group(1), m.group(2)) != (r["owner"], r["name"]) or not r["access"]:
        raise Reply(404, {"errors": None, "message": "The target couldn't be found.",
                          "url": swagger})
    h.path_rel = m.group(3) or ""
    if h.method == "GET" and h.path_rel in ("", "/"):
        raise Reply(200, {"id": 7, "full_name": "%s/%s" % (r["owner"], r["name"]),
                          "private": r["private"], "default_branch": r["default_branch"],
                          "permissions": {"admin": False, "push": r["push"], "pull": True}})
    mm = h.match(r"/git/commits/([^/]+)")
    if h.method == "GET" and mm:
        sha = mm.group(1).lower()
        if sha in st.commits:
            raise Reply(200, {"sha": sha, "commit": {"message": "deploy me"}})
        raise Reply(404, {"errors": None, "message": "sha not found", "url": swagger})
    mm = h.match(r"/commits/([^/]+)/statuses")
    if h.method == "GET" and mm:
        sha = mm.group(1).lower()
        items = [gitea_json(s) for s in reversed(st.statuses) if s["commit"] == sha]
        raise Reply(200, items, {"X-Total-Count": str(len(items))})
    mm = h.match(r"/branch_protections/([^/]+)")
    if h.method == "GET" and mm:
        if not st.required:
            raise Reply(404, {"errors": None, "message": "The target couldn't be found.",
                              "url": swagger})
        raise Reply(200, {"rule_name": mm.group(1), "branch_name": mm.group(1),
                          "enable_status_check": True,
                          "status_check_contexts": list(st.required)})
    mm = h.match(r"/statuses/([^/]+)")
    if h.method == "POST" and mm:
        need("write:repository")
        if not r["push"]:
            raise Reply(403, {"message": "user should have a permission to write to a "
                              "repo", "url": swagger})
        sha = mm.group(1).lower()
        if sha not in st.commits:
            raise Reply(404, {"errors": None, "message": "sha not found", "url": swagger})
        body = h.json_body() or {}
        s = st.add_status(sha, (body.get("context") or "").strip(), body.get("state"),
                          (body.get("description") or "").strip(), body.get("target_url"))
        raise Reply(201, gitea_json(s))


class Server(ThreadingHTTPServer):
    # hookdoctor opens up to 24 connections at once; socketserver's
    # backlog of 5 would drop the SYNs beyond it (a 1 s retransmit each).
    request_queue_size = 128

    def reload(self):
        """The state for the scenario file as it is now: a test may
        rewrite the file to start a new scenario on the same port."""
        if not self.scenario:
            return self.state
        with LOCK:
            with open(self.scenario, encoding="utf-8") as f:
                text = f.read()
            if text != self.scenario_text:
                self.scenario_text = text
                self.state = State(self.provider, json.loads(text) if text.strip()
                                   else {}, self.log)
            return self.state


HANDLERS = {
    "github": github,
    "gitlab": gitlab,
    "bitbucket-cloud": bitbucket_cloud,
    "bitbucket-dc": bitbucket_dc,
    "azure-devops": azure,
    "gitea": gitea,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--provider", required=True, choices=sorted(HANDLERS))
    ap.add_argument("--scenario", help="scenario JSON file")
    ap.add_argument("--log", help="append one JSON line per request here")
    ap.add_argument("--lifetime", type=float, default=120.0)
    args = ap.parse_args()
    sc = {}
    srv = Server(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.provider = args.provider
    srv.scenario = args.scenario
    srv.scenario_text = None
    srv.log = args.log
    srv.state = State(args.provider, sc, args.log)
    print(srv.server_address[1], flush=True)
    timer = threading.Timer(args.lifetime, srv.shutdown)
    timer.daemon = True
    timer.start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
