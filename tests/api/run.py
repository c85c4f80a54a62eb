#!/usr/bin/env python3
"""tests/api/run.py - hookdoctor against the Devopness API emulator.

    python3 tests/api/run.py [./hookdoctor] [NAME-SUBSTRING...]

Each scenario starts tests/servers/devopness_api.py on 127.0.0.1 with the
data it needs (built below from docs/examples/), runs hookdoctor against
it and checks the report (--format json), the exit status, stderr and the
requests the emulator recorded. Prints "ok - ..." / "not ok - ..." per
scenario and ends with "N passed, N failed". Every server it starts is
killed on exit (and exits by itself after its lifetime); every hookdoctor
run is bounded by a timeout. Nothing here talks to anything but
127.0.0.1: the network and provider checks are skipped (--skip).

Under valgrind (HD_UNDER_VALGRIND=1, tests/valgrind.sh) the wall-clock
bounds, the emulator's lifetime (which is also how long a "stall" fault
stalls) and the runner's timeout are multiplied by SLOW
(tests/slowdown.py); the --timeout given to hookdoctor stays.
"""
import atexit
import copy
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from slowdown import factor  # noqa: E402

SLOW = factor()
SERVER = os.path.join(ROOT, "tests", "servers", "devopness_api.py")
EXAMPLES = os.path.join(ROOT, "docs", "examples")
TOKEN = "dvp-test-6f1c2b9e8d7a"
SHA = "9f2c4e1a7b3d5f60812c4a9e6b0d3f57a1c8e2b4"
PIPELINE = 4242
OFFLINE_ONLY = ",".join(["HD5%02d" % i for i in range(1, 12)] +
                        ["HD6%02d" % i for i in range(1, 8)])
RUN_TIMEOUT = 60 * SLOW

SERVERS = []
TMP = tempfile.mkdtemp(prefix="hookdoctor-api-")


def kill_servers():
    for p in SERVERS:
        if p.poll() is None:
            p.kill()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
    SERVERS.clear()


atexit.register(kill_servers)
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(sig, lambda *_: sys.exit(2))


# --- data ---------------------------------------------------------------

def uuid_n(kind, n):
    return "%08x-0000-4000-8000-%012d" % (kind, n)


def render(value, action_id):
    """The example's templates, filled in as Devopness would."""
    vals = {"action.id": str(action_id),
            "action.triggered_from.hook_parsed_variables.commit_hash": SHA,
            "action.url_web_permalink": "https://app.devopness.com/actions/%s" % action_id,
            "application.source_provider.access_token": "***"}

    def one(s):
        return re.sub(r"\{\{\s*([\w.]+)\s*\}\}", lambda m: vals.get(m.group(1), ""), s)
    if isinstance(value, str):
        return one(value)
    if isinstance(value, list):
        return [render(v, action_id) for v in value]
    if isinstance(value, dict):
        return {k: render(v, action_id) for k, v in value.items()}
    return value


def example_hooks(provider, pipeline=PIPELINE, base=1):
    with open(os.path.join(EXAMPLES, provider + ".json"), encoding="utf-8") as f:
        hooks = json.load(f)
    out = []
    for i, h in enumerate(hooks):
        h = copy.deepcopy(h)
        h.update({"id": uuid_n(base, i), "type": "out", "pipeline_id": pipeline,
                  "url": None, "action_type": "deploy"})
        out.append(h)
    return out


def action(aid, status="completed", pipeline=PIPELINE, hpv=True):
    a = {"id": aid, "pipeline_id": pipeline, "status": status, "type": "deploy",
         "url_web_permalink": "https://app.devopness.com/actions/%d" % aid,
         "started_at": "2024-05-14T09:30:19.000000Z",
         "action_data": {"commit": {"hash": SHA}},
         "resource": {"id": 7788, "type": "application", "name": "shop-api"},
         "triggered_from": {"origin": None, "trigger_type": "hook", "name": "push",
                            "email": None, "ip_address": "140.82.115.10",
                            "user_id": None, "hook_id": uuid_n(9, 0),
                            "hook_request_id": uuid_n(9, 1)}}
    if hpv:
        a["triggered_from"]["hook_parsed_variables"] = {
            "commit_hash": SHA, "pipeline_id": pipeline, "branch": "main"}
    return a


def delivery(n, hook, action_id, status, when, body=None, response=None):
    """What Devopness recorded for one request of hook for an action."""
    sent = body if body is not None else render(hook["settings"]["request_body"], action_id)
    return {"id": uuid_n(3, n), "hook_id": hook["id"], "action_id": action_id,
            "retry_of": None, "ip_address": "18.228.0.1",
            "url": render(hook["target_url"], action_id),
            "request_headers": {"Content-Type": "application/json"},
            "request_body": sent, "response_status_code": status,
            "response_headers": {"Content-Type": "application/json"},
            "response_body": response if response is not None else {"id": 1},
            "created_at": "2024-05-14T09:%02d:00.000000Z" % when}


def pipeline(pid=PIPELINE, **over):
    p = {"id": pid, "name": "Deploy shop-api", "operation": "deploy",
         "resource_type": "application", "resource_id": 7788}
    p.update(over)
    return p


def healthy(provider="github"):
    hooks = example_hooks(provider)
    started, failed, completed = hooks
    return {"token": TOKEN, "page_size": 2, "pipelines": [pipeline()],
            "hooks": hooks + [{"id": uuid_n(2, 0), "type": "in", "name": "push to main",
                               "pipeline_id": PIPELINE, "target_url": None,
                               "url": "https://api.devopness.com/hooks/incoming/x"}],
            "actions": [action(1001), action(1002)],
            "hook_requests": [delivery(0, started, 1001, 201, 10),
                              delivery(1, completed, 1001, 201, 12),
                              delivery(2, started, 1002, 201, 20),
                              delivery(3, completed, 1002, 201, 22)]}


# --- running ------------------------------------------------------------

def start(scenario, faults=()):
    n = len(os.listdir(TMP))
    path = os.path.join(TMP, "scenario-%d.json" % n)
    log = os.path.join(TMP, "requests-%d.jsonl" % n)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(scenario, f)
    cmd = [sys.executable, SERVER, "--scenario", path, "--log", log,
           "--lifetime", str(90 * SLOW)]
    for fl in faults:
        cmd += ["--fault", fl]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    SERVERS.append(p)
    line = p.stdout.readline().strip()
    if not line.isdigit():
        raise RuntimeError("the emulator did not start: " + p.stderr.read())
    return "http://127.0.0.1:%s" % line, log


def requests_of(log):
    if not os.path.exists(log):
        return []
    with open(log, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def env_for(token=TOKEN, **extra):
    env = {k: v for k, v in os.environ.items()
           if not k.lower().endswith("_proxy") and not k.startswith("DEVOPNESS_")
           and not k.startswith("HOOKDOCTOR_PROVIDER")}
    env["NO_COLOR"] = "1"
    env["NO_PROXY"] = "*"
    if token:
        env["DEVOPNESS_API_TOKEN"] = token
    env.update(extra)
    return env


class Result:
    def __init__(self, args, env, timeout=RUN_TIMEOUT):
        t = time.monotonic()
        try:
            p = subprocess.run([HD] + args, env=env, capture_output=True, text=True,
                               timeout=timeout, cwd=TMP)
            self.rc, self.out, self.err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            self.rc, self.out, self.err = -1, e.stdout or "", "TIMEOUT"
        self.seconds = time.monotonic() - t
        try:
            self.json = json.loads(self.out)
        except ValueError:
            self.json = None

    def check(self, hook, cid):
        hooks = (self.json or {}).get("hooks", [])
        if hook >= len(hooks):
            return None
        for c in hooks[hook]["checks"]:
            if c["id"] == cid:
                return c
        return None


def hd(url, *args, token=TOKEN, env_extra=None, fmt=True, skip=True, timeout=RUN_TIMEOUT):
    a = list(args)
    if fmt:
        a += ["--format", "json"]
    if skip:
        a += ["--skip", OFFLINE_ONLY]
    if url:
        a += ["--api-url", url]
    r = Result(a, env_for(token, **(env_extra or {})), timeout)
    for sign in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
        want(sign not in r.err, "sanitizer report:\n" + r.err[-3000:])
    return r


# --- assertions ---------------------------------------------------------

class Fail(Exception):
    pass


def want(cond, what):
    if not cond:
        raise Fail(what)


def want_check(r, hook, cid, status, contains=None):
    c = r.check(hook, cid)
    want(c is not None, "%s absent from hook #%d (exit %s; stderr: %s)"
         % (cid, hook, r.rc, r.err.strip()[:300]))
    want(c["status"] == status, "hook #%d %s is %s, want %s: %s"
         % (hook, cid, c["status"], status, c["message"]))
    if contains:
        for s in ([contains] if isinstance(contains, str) else contains):
            want(s in c["message"], "hook #%d %s message lacks %r: %s"
                 % (hook, cid, s, c["message"]))
    return c


def group_check(r, cid):
    for g in (r.json or {}).get("pipeline_checks", []):
        for c in g["checks"]:
            if c["id"] == cid:
                return c["status"]
    return None


def want_rc(r, rc):
    want(r.rc == rc, "exit %s, want %s; stderr: %s" % (r.rc, rc, r.err.strip()[:500]))


def want_no_token(r):
    want(TOKEN not in r.out and TOKEN not in r.err, "the token appears in the output")


def want_no_post(log):
    posts = [q for q in requests_of(log) if q["method"] != "GET"]
    want(not posts, "something was sent: %s" % posts)


# --- scenarios ----------------------------------------------------------

TESTS = []


def test(name):
    def deco(fn):
        TESTS.append((name, fn))
        return fn
    return deco


@test("healthy pipeline: every API check passes, pages followed, headers sent")
def _():
    url, log = start(healthy())
    r = hd(url, "check", "--pipeline", str(PIPELINE))
    want_rc(r, 0)
    want(len(r.json["hooks"]) == 3, "want the 3 outgoing hooks, got %d" % len(r.json["hooks"]))
    for i in range(3):
        for cid in ("HD102", "HD103", "HD104", "HD105", "HD106", "HD701"):
            want_check(r, i, cid, "pass")
    for i in (0, 2):
        for cid in ("HD702", "HD703", "HD704", "HD705"):
            want_check(r, i, cid, "pass")
    want_check(r, 1, "HD701", "pass", "none expected")
    reqs = requests_of(log)
    want(all(q["auth_ok"] for q in reqs), "a request without the token")
    for q in reqs:
        for h in ("Accept", "Content-Type", "Authorization"):
            want(h in q["headers"], "%s %s without %s" % (q["method"], q["path"], h))
    want(any("page=2" in q["query"] for q in reqs), "the second page was never read")
    want(any(q["path"] == "/actions/1002" for q in reqs), "the latest action was not read")
    want_no_post(log)
    want_no_token(r)


@test("healthy pipeline, text report: delivery timeline shown, token absent")
def _():
    url, _ = start(healthy())
    r = hd(url, "check", "--pipeline", str(PIPELINE), fmt=False)
    want_rc(r, 0)
    r2 = hd(url, "check", "--pipeline", str(PIPELINE), "--only", "HD702", fmt=False)
    want("latest deliveries:" in r2.out, "no timeline in the text report:\n" + r2.out)
    want("action 1002" in r2.out, "the timeline lacks action 1002")
    want_no_token(r)


@test("latest action renders the templates (HD404 names it)")
def _():
    url, _ = start(healthy())
    r = hd(url, "check", "--pipeline", str(PIPELINE))
    want_check(r, 0, "HD404", "pass", "/actions/1002")


@test("--action renders with that action")
def _():
    url, log = start(healthy())
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--action", "1001")
    want_rc(r, 0)
    want_check(r, 0, "HD404", "pass", "/actions/1001")
    want(any(q["path"] == "/actions/1001" for q in requests_of(log)), "GET /actions/1001 not made")


def type_condition(sc, accepted=("deploy",)):
    """Every outgoing hook of sc also requires action.type in accepted."""
    for h in sc["hooks"]:
        if h["type"] == "out":
            h["trigger_when"].setdefault("conditions", []).append(
                {"path": "action.type", "accepted_values": list(accepted)})
    return sc


def rollback(aid):
    a = action(aid)
    a["type"] = "rollback"
    return a


def start_typed():
    """The healthy pipeline, its hooks requiring action.type deploy, and a
    rollback action 1005 besides the deploys 1001 and 1002."""
    sc = type_condition(healthy())
    sc["actions"].append(rollback(1005))
    return start(sc)


@test("conditions against --action: action.type deploy, a rollback action: HD113 names the condition and the value")
def _():
    url, _ = start_typed()
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--action", "1005")
    want_rc(r, 0)
    for i in range(3):
        c = want_check(r, i, "HD113", "warn",
                       ["the hook does not fire for action 1005",
                        "trigger_when.conditions[1] accepts action.type in [\"deploy\"]",
                        "the action's is \"rollback\""])
        want(c["evidence"].get("action") == "--action 1005", "evidence: %s" % c["evidence"])
        want(c["evidence"].get("fires_for_action") == "nothing", "evidence: %s" % c["evidence"])
        h = r.json["hooks"][i]
        want(h["fires_for_action"] == [] and len(h["fires_on"]) == 1,
             "fires_on %s, fires_for_action %s" % (h["fires_on"], h.get("fires_for_action")))
    want(r.json["hooks"][0]["fires_on"] == ["in-progress"], "fires_on changed")
    # The text report says it on the hook's line too.
    t = hd(url, "check", "--pipeline", str(PIPELINE), "--action", "1005", "--only", "HD113",
           fmt=False)
    want("fires on: in-progress; for action 1005: nothing (HD113)" in t.out, t.out[:800])


@test("conditions against --action: an action they accept passes and fires as configured")
def _():
    url, _ = start_typed()
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--action", "1001")
    want_rc(r, 0)
    for i in range(3):
        c = want_check(r, i, "HD113", "pass", "2 met for action 1001")
        want("not met" not in json.dumps(c["evidence"]), "evidence: %s" % c["evidence"])
        h = r.json["hooks"][i]
        want(h["fires_for_action"] == h["fires_on"], "fires_for_action %s, fires_on %s"
             % (h["fires_for_action"], h["fires_on"]))


@test("conditions against the pipeline's latest action (no --action), and HD701 names them")
def _():
    sc = type_condition(healthy())
    sc["actions"] = [rollback(1005)]
    sc["hook_requests"] = []
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE))
    c = want_check(r, 0, "HD113", "warn", ["does not fire for action 1005", "\"rollback\""])
    want(c["evidence"].get("action") == "the latest action of pipeline 4242 (1005)",
         "evidence: %s" % c["evidence"])
    c = want_check(r, 0, "HD701", "warn")
    want("keep it from firing for the latest action of pipeline 4242 (1005)" in (c["hint"] or ""),
         "HD701 hint: %s" % c["hint"])


@test("conditions against an action with a secret-looking value: the value is redacted")
def _():
    secret = "ghp_" + "Zq8" * 12
    sc = healthy()
    for h in sc["hooks"]:
        if h["type"] == "out":
            h["trigger_when"]["conditions"].append(
                {"path": "action.trigger_comment", "accepted_values": ["ship it"]})
    a = action(1006)
    a["trigger_comment"] = secret
    sc["actions"].append(a)
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--action", "1006")
    want_check(r, 0, "HD113", "warn", ["action.trigger_comment", "***"])
    t = hd(url, "check", "--pipeline", str(PIPELINE), "--action", "1006", "-v", fmt=False)
    for out in (r.out, r.err, t.out, t.err):
        want(secret not in out, "the secret value was printed")
    want_no_token(r)


@test("--action of an action that does not exist: exit 2 naming it")
def _():
    url, _ = start(healthy())
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--action", "999999")
    want_rc(r, 2)
    want("999999" in r.err and "404" in r.err, "stderr: " + r.err)


@test("an action not started by an incoming hook: HD203 warns, HD303 fails")
def _():
    sc = healthy()
    sc["actions"] = [action(1003, hpv=False)]
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE))
    want_rc(r, 1)
    want_check(r, 0, "HD203", "warn")
    want_check(r, 0, "HD303", "fail")
    # The guide's condition on hook_parsed_variables.pipeline_id: such an
    # action has none, so Devopness does not fire the hook for it.
    want_check(r, 0, "HD113", "warn", ["does not fire for action 1003",
                                       "the action's is none (null)"])


@test("incoming-only pipeline: HD104 fails naming the incoming hook")
def _():
    sc = healthy()
    sc["hooks"] = [h for h in sc["hooks"] if h["type"] == "in"]
    sc["hook_requests"] = []
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE))
    want_rc(r, 1)
    want(len(r.json["hooks"]) == 1, "want one stand-in entry")
    want_check(r, 0, "HD102", "pass")
    want_check(r, 0, "HD104", "fail", ["no outgoing hook", "push to main"])
    want(r.check(0, "HD307") is None, "offline checks ran on the stand-in")


@test("non-deploy pipeline: HD103 warns")
def _():
    sc = healthy()
    sc["pipelines"] = [pipeline(operation="restart", resource_type="server")]
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE))
    want_rc(r, 0)
    want_check(r, 0, "HD103", "warn", ["restart", "server"])


@test("inactive hook: HD105 fails")
def _():
    sc = healthy()
    sc["hooks"][2]["active"] = False
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE))
    want_rc(r, 1)
    want_check(r, 2, "HD105", "fail", "inactive")
    want_check(r, 0, "HD105", "pass")


@test("--hook from another pipeline: HD106 fails")
def _():
    sc = healthy()
    sc["pipelines"].append(pipeline(77))
    other = example_hooks("github", pipeline=77, base=5)[0]
    sc["hooks"].append(other)
    url, log = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--hook", other["id"])
    want_rc(r, 1)
    want(len(r.json["hooks"]) == 1, "want just the one hook")
    want_check(r, 0, "HD106", "fail", ["77", str(PIPELINE)])
    want(any(q["path"] == "/hooks/outgoing/" + other["id"] for q in requests_of(log)),
         "GET /hooks/outgoing/UUID not made")


@test("--hook of an incoming hook: HD104 fails")
def _():
    sc = healthy()
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--hook", uuid_n(2, 0))
    want_rc(r, 1)
    want_check(r, 0, "HD104", "fail", "incoming")


@test("--hook that does not exist: HD104 fails with the 404")
def _():
    url, _ = start(healthy())
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--hook", uuid_n(7, 7))
    want_rc(r, 1)
    want_check(r, 0, "HD104", "fail", "404")


PROVIDER_ERRORS = {
    # provider: (status, body as the provider sends it, text to find)
    "github": (422, {"message": "Validation Failed",
                     "errors": [{"resource": "Status", "code": "custom", "field": "description",
                                 "message": "description is too long (maximum is 140 characters)"}],
                     "documentation_url": "https://docs.github.com/rest/commits/statuses#create-a-commit-status"},
               "description is too long"),
    "gitlab": (403, {"error": "insufficient_scope",
                     "error_description": "The request requires higher privileges than provided by the access token.",
                     "scope": "api"},
               "insufficient_scope"),
    "bitbucket-cloud": (403, {"type": "error", "error": {
        "message": "Your credentials lack one or more required privilege scopes.",
        "detail": {"granted": ["repository"], "required": ["repository:write"]}}},
        "lack one or more required privilege scopes"),
    "bitbucket-dc": (401, {"errors": [{"context": None,
                                       "message": "The currently authenticated user has insufficient permissions to push a build status to this repository",
                                       "exceptionName": "com.atlassian.bitbucket.AuthorisationException"}]},
                     "insufficient permissions to push a build status"),
    "azure-devops": (404, {"$id": "1", "innerException": None,
                           "message": "TF401019: The Git repository with name or identifier shop-api does not exist or you do not have permissions for the operation you are attempting.",
                           "typeName": "Microsoft.TeamFoundation.Git.Server.GitRepositoryNotFoundException, Microsoft.TeamFoundation.Git.Server",
                           "typeKey": "GitRepositoryNotFoundException", "errorCode": 0, "eventId": 3000},
                     "TF401019"),
    "gitea": (403, {"message": "token does not have at least one of required scope(s): [write:repository]",
                    "url": "https://gitea.example.com/api/swagger"},
              "required scope(s): [write:repository]"),
}


def failing_deliveries(provider):
    status, body, text = PROVIDER_ERRORS[provider]
    sc = healthy(provider)
    started = sc["hooks"][0]
    sc["hook_requests"] = [delivery(0, started, 1001, 201, 10),
                           delivery(1, started, 1002, status, 20, response=body)]
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--only", "HD701,HD702")
    want_rc(r, 1)
    want_check(r, 0, "HD702", "fail", [str(status), text])
    if provider == "azure-devops":
        want_check(r, 0, "HD702", "fail", "GitRepositoryNotFoundException")
    want_no_token(r)


for _prov in PROVIDER_ERRORS:
    test("deliveries failing on %s: its own error message parsed" % _prov)(
        lambda p=_prov: failing_deliveries(p))


@test("GitLab's refused repeat of a pending state is harmless")
def _():
    sc = healthy("gitlab")
    started = sc["hooks"][0]
    sc["hook_requests"] = [delivery(0, started, 1001, 201, 10),
                           delivery(1, started, 1001, 400, 11, response={
                               "message": "Cannot transition status via :run from :running (Reason(s): Status cannot transition via \"run\")"})]
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--only", "HD702")
    want_check(r, 0, "HD702", "pass", "harmlessly")


@test("deliveries with no answer at all: classified as no answer")
def _():
    sc = healthy()
    started = sc["hooks"][0]
    sc["hook_requests"] = [delivery(0, started, 1002, 0, 20, response={})]
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--only", "HD702")
    want_check(r, 0, "HD702", "fail", "no answer")


@test("split identities in history: HD703 fails naming both")
def _():
    sc = healthy()
    started, _, completed = sc["hooks"][:3]
    body = render(completed["settings"]["request_body"], 1002)
    body["context"] = "devopness/deploy"
    sc["hook_requests"] = [delivery(0, started, 1001, 201, 10),
                           delivery(1, started, 1002, 201, 20, body=dict(body, state="pending")),
                           delivery(2, completed, 1002, 201, 22, body=body)]
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE))
    want_rc(r, 1)
    want_check(r, 0, "HD703", "fail", ["ci/devopness(deploy)", "devopness/deploy"])


@test("a delivery linking elsewhere: HD704 fails")
def _():
    sc = healthy()
    started = sc["hooks"][0]
    body = render(started["settings"]["request_body"], 1002)
    body["target_url"] = "https://github.com/acme/shop-api"
    sc["hook_requests"] = [delivery(0, started, 1002, 201, 20, body=body)]
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--only", "HD704")
    want_check(r, 0, "HD704", "fail", "github.com/acme/shop-api")


@test("an action left pending: HD705 warns")
def _():
    sc = healthy()
    started = sc["hooks"][0]
    sc["hook_requests"] = [delivery(0, started, 1001, 201, 10)]
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--only", "HD705")
    want_check(r, 0, "HD705", "warn", "action 1001")


@test("no deliveries at all: HD701 warns for hooks that should have fired")
def _():
    sc = healthy()
    sc["hook_requests"] = []
    url, _ = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE))
    want_rc(r, 0)
    want_check(r, 0, "HD701", "warn", "never fired")
    want_check(r, 2, "HD701", "warn", "never fired")
    want_check(r, 1, "HD701", "pass", "none expected")
    want_check(r, 0, "HD702", "skip")


@test("hooks from a file with ids: the stored copies and deliveries are read")
def _():
    sc = healthy()
    url, log = start(sc)
    path = os.path.join(TMP, "stored.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(sc["hooks"][:3], f)
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--file", path)
    want_rc(r, 0)
    want_check(r, 0, "HD104", "pass")
    want_check(r, 0, "HD702", "pass")
    want(any(q["path"].startswith("/hooks/outgoing/") for q in requests_of(log)),
         "the stored hooks were not read")


@test("hooks from a file without a token: API checks skip, saying why")
def _():
    r = hd(None, "check", "--pipeline", str(PIPELINE), "--file",
           os.path.join(EXAMPLES, "github.json"), token=None)
    want_rc(r, 0)
    want_check(r, 0, "HD102", "skip", "needs --pipeline and a Devopness API token")
    want_check(r, 0, "HD701", "skip", "needs --pipeline and a Devopness API token")


@test("--pipeline without --file and without a token: exit 2 saying what to set")
def _():
    r = hd("http://127.0.0.1:9", "check", "--pipeline", "42", token=None)
    want_rc(r, 2)
    want("DEVOPNESS_API_TOKEN" in r.err, "stderr: " + r.err)


@test("a UUID as pipeline ID: HD101 fails, nothing asked of the API")
def _():
    url, log = start(healthy())
    r = hd(url, "check", "--pipeline", "2ab973e1-9528-4d67-aff0-209d74975830")
    want_rc(r, 1)
    want_check(r, 0, "HD101", "fail", "looks like a hook ID")
    want_check(r, 0, "HD102", "skip", "HD101")
    want(requests_of(log) == [], "the API was asked")


def fault_case(name, faults, check_status, contains, pipeline_id=PIPELINE,
               token=TOKEN, max_seconds=None, timeout_opt=None):
    def fn():
        url, log = start(healthy(), faults)
        args = ["check", "--pipeline", str(pipeline_id)]
        if timeout_opt:
            args += ["--timeout", str(timeout_opt)]
        r = hd(url, *args, token=token)
        want_rc(r, 1)
        want_check(r, 0, "HD102", check_status, contains)
        want_check(r, 0, "HD104", "skip", "HD102")
        if max_seconds:
            want(r.seconds < max_seconds * SLOW, "took %.1f s, want under %d s"
                 % (r.seconds, max_seconds * SLOW))
        want_no_post(log)
        want_no_token(r)
    test(name)(fn)


fault_case("401: a wrong token is a clear HD102 failure", [], "fail",
           ["refused the token", "Unauthenticated."], token="dvp-wrong-token")
fault_case("403: no access to the pipeline", ["GET:^/pipelines/4242$:403"], "fail",
           ["no access to pipeline 4242", "403"])
fault_case("404: no such pipeline", [], "fail", ["no pipeline 999", "404"], pipeline_id=999)
fault_case("422: the API's message and field errors shown",
           ["GET:^/pipelines/4242$:422"], "fail", ["422"])
fault_case("429 every time: retried within bounds, then a clear failure",
           ["GET:^/pipelines/4242$:429"], "fail", ["429", "4 attempts"], max_seconds=15)
fault_case("500 every time: retried, then a clear failure",
           ["GET:^/pipelines/4242$:500"], "fail", ["500", "attempts"], max_seconds=15)
fault_case("stall: a finding within --timeout",
           ["GET:^/pipelines/4242$:stall"], "fail", ["did not answer", "timed out"],
           max_seconds=8, timeout_opt=2)


@test("429 once with Retry-After, then 200: the retry succeeds")
def _():
    sc = healthy()
    sc["faults"] = [{"method": "GET", "path": "^/pipelines/4242$", "status": 429,
                     "times": 1, "headers": {"Retry-After": "1"},
                     "body": {"message": "Too Many Attempts."}}]
    url, log = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE))
    want_rc(r, 0)
    want_check(r, 0, "HD102", "pass")
    n = len([q for q in requests_of(log) if q["path"] == "/pipelines/4242"])
    want(n == 2, "want 2 GET /pipelines/4242, got %d" % n)


@test("500 on the deliveries list: HD701 says so, others skip on it")
def _():
    sc = healthy()
    url, _ = start(sc, ["GET:/requests$:500"])
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--only", "HD701,HD702")
    want_check(r, 0, "HD701", "warn", "500")
    want_check(r, 0, "HD702", "skip", "HD701")


@test("a next page on another origin is not followed (the token stays home)")
def _():
    sc = healthy()
    sc["link_origin"] = "http://elsewhere.invalid"
    url, log = start(sc)
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--only", "HD104")
    want_rc(r, 1)
    want_check(r, 0, "HD104", "fail", "another origin")
    want(all("page=2" not in q["query"] for q in requests_of(log)), "page 2 was read")


@test("the API not listening: a clear finding, not a hang")
def _():
    r = hd("http://127.0.0.1:9", "check", "--pipeline", str(PIPELINE))
    want_rc(r, 1)
    want_check(r, 0, "HD102", "fail", "did not answer")


@test("token from --api-token-file; --api-token warns and works")
def _():
    url, log = start(healthy())
    path = os.path.join(TMP, "token.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write(TOKEN + "\n")
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--api-token-file", path,
           "--only", "HD102", token=None)
    want_rc(r, 0)
    want_check(r, 0, "HD102", "pass")
    r = hd(url, "check", "--pipeline", str(PIPELINE), "--api-token", TOKEN,
           "--only", "HD102", token=None)
    want_rc(r, 0)
    want("warning" in r.err and "--api-token" in r.err, "no warning: " + r.err)
    want_no_token(r)


@test("the emulator enforces the required headers (406, 415, 401)")
def _():
    import urllib.request
    import urllib.error
    url, _ = start(healthy())

    def status(headers):
        req = urllib.request.Request(url + "/pipelines/4242", headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                return resp.status
        except urllib.error.HTTPError as e:
            return e.code
    full = {"Accept": "application/json", "Content-Type": "application/json",
            "Authorization": "Bearer " + TOKEN}
    want(status(full) == 200, "200 with every header")
    want(status(dict(full, Accept="text/html")) == 406, "406 without Accept json")
    want(status({k: v for k, v in full.items() if k != "Content-Type"}) == 415,
         "415 without Content-Type")
    want(status({k: v for k, v in full.items() if k != "Authorization"}) == 401,
         "401 without Authorization")


# --- save ----------------------------------------------------------------

def body_file(name, mutate=None):
    hook = example_hooks("github")[2]
    for k in ("id", "type", "url", "action_type"):
        hook.pop(k, None)
    if mutate:
        mutate(hook)
    path = os.path.join(TMP, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(hook, f, indent=2)
    return path


def bad_state(h):
    h["settings"]["request_body"]["state"] = "{{ action.status }}"


@test("save refused on a failing body: nothing POSTed")
def _():
    url, log = start(healthy())
    r = hd(url, "save", "--pipeline", str(PIPELINE), "--file", body_file("bad.json", bad_state))
    want_rc(r, 1)
    want("not saved" in r.err, "stderr: " + r.err)
    want_check(r, 0, "HD308", "fail")
    want_no_post(log)


@test("save --force: saved although a check failed, and says so")
def _():
    url, log = start(healthy())
    r = hd(url, "save", "--pipeline", str(PIPELINE), "--file",
           body_file("bad.json", bad_state), "--force")
    want_rc(r, 1)
    want("--force" in r.err, "stderr: " + r.err)
    posts = [q for q in requests_of(log) if q["method"] == "POST"]
    want(len(posts) == 1 and posts[0]["path"] == "/pipelines/4242/hooks/outgoing",
         "want one POST /pipelines/4242/hooks/outgoing, got %s" % posts)
    want("stored exactly as checked" in r.err, "stderr: " + r.err)
    want("saved with --force; exit status 1 because a check failed" in r.err,
         "the exit status of a forced save is not explained: " + r.err)
    want_check(r, 0, "HD308", "fail")


@test("save --force on a body that passes: saved, exit 0, nothing forced")
def _():
    url, log = start(healthy())
    r = hd(url, "save", "--pipeline", str(PIPELINE), "--file",
           body_file("good.json"), "--force")
    want_rc(r, 0)
    want("stored exactly as checked" in r.err, "stderr: " + r.err)
    want("--force" not in r.err, "a save that needed no force says --force: " + r.err)
    posts = [q for q in requests_of(log) if q["method"] == "POST"]
    want(len(posts) == 1, "want one POST, got %s" % posts)


@test("save --force --strict past a warning: saved, exit 1, says why")
def _():
    url, log = start(healthy())

    def no_user_agent(h):
        h["settings"]["request_headers"] = [
            x for x in h["settings"]["request_headers"] if x["name"] != "User-Agent"]
    r = hd(url, "save", "--pipeline", str(PIPELINE), "--file",
           body_file("warn.json", no_user_agent), "--force", "--strict")
    want_rc(r, 1)
    want_check(r, 0, "HD305", "warn")
    want("exit status 1 because a check failed or warned (--strict)" in r.err,
         "stderr: " + r.err)
    posts = [q for q in requests_of(log) if q["method"] == "POST"]
    want(len(posts) == 1, "want one POST, got %s" % posts)


@test("save: created, read back, equal to what was checked")
def _():
    url, log = start(healthy())
    path = body_file("good.json")
    r = hd(url, "save", "--pipeline", str(PIPELINE), "--file", path)
    want_rc(r, 0)
    want("stored exactly as checked" in r.err, "stderr: " + r.err)
    reqs = requests_of(log)
    posts = [q for q in reqs if q["method"] == "POST"]
    want(len(posts) == 1, "want one POST, got %d" % len(posts))
    with open(path, encoding="utf-8") as f:
        want(json.loads(posts[0]["body"]) == json.load(f), "the body sent is not the file")
    created = re.search(r"created outgoing hook ([0-9a-f-]+)", r.err)
    want(created, "no id in stderr: " + r.err)
    want(any(q["method"] == "GET" and q["path"] == "/hooks/outgoing/" + created.group(1)
             for q in reqs), "not read back")
    want_no_token(r)


@test("save judges the body among the pipeline's stored hooks (HD109)")
def _():
    # Alone, the "completed" hook leaves failures pending (HD109 fails);
    # next to the stored "started" and "failed" hooks it completes the set.
    sc = healthy()
    sc["hooks"] = [h for h in sc["hooks"] if h["name"] != "GitHub commit status (completed)"]
    url, log = start(sc)
    r = hd(url, "save", "--pipeline", str(PIPELINE), "--file", body_file("set.json"))
    want_rc(r, 0)
    want(group_check(r, "HD109") == "pass", "HD109 is %s" % group_check(r, "HD109"))
    want(len(r.json["pipeline_checks"][0]["hooks"]) == 3, "the stored hooks did not join")
    want(len(r.json["hooks"]) == 1, "the stored hooks were reported")
    sc["hooks"] = []
    url, log = start(sc)
    r = hd(url, "save", "--pipeline", str(PIPELINE), "--file", body_file("alone.json"))
    want_rc(r, 1)
    want(group_check(r, "HD109") == "fail", "HD109 is %s" % group_check(r, "HD109"))
    want("not saved" in r.err, "stderr: " + r.err)
    want_no_post(log)


@test("save: a secret of a stored hook is masked in the body's report too")
def _():
    # The stored hooks are read before any output, and their secrets are
    # masked from the first line on: here the body's name quotes a stored
    # hook's deploy key, which no rule would take for a secret.
    secret = "tangerine-harbour-lantern"
    sc = healthy()
    sc["hooks"] = [h for h in sc["hooks"] if h["name"] != "GitHub commit status (completed)"]
    sc["hooks"][0]["settings"]["request_headers"].append(
        {"name": "X-Deploy-Key", "value": secret})

    def quote(h):
        h["name"] = "deploy " + secret

    url, log = start(sc)
    r = hd(url, "save", "--pipeline", str(PIPELINE), "--file", body_file("quote.json", quote))
    want(r.json is not None and len(r.json["hooks"]) == 1, "no report: " + r.err)
    want(secret not in r.out and secret not in r.err,
         "the stored hook's secret appears: " + r.out[:400])
    want("***(sha256:" in r.out, "nothing was masked")


@test("save: a stored copy that differs is reported (exit 1)")
def _():
    sc = healthy()
    sc["store_overrides"] = {"active": False}
    url, _ = start(sc)
    r = hd(url, "save", "--pipeline", str(PIPELINE), "--file", body_file("good2.json"))
    want_rc(r, 1)
    want("active is stored differently" in r.err, "stderr: " + r.err)


@test("save: the API's 422 is shown, exit 1")
def _():
    sc = healthy()
    sc["faults"] = [{"method": "POST", "path": "/hooks/outgoing$", "status": 422,
                     "body": {"message": "The given data was invalid.",
                              "errors": {"target_url": ["The target url format is invalid."]}}}]
    url, _ = start(sc)
    r = hd(url, "save", "--pipeline", str(PIPELINE), "--file", body_file("good3.json"))
    want_rc(r, 1)
    want("422" in r.err and "target url format is invalid" in r.err, "stderr: " + r.err)


@test("save without a token, or with --offline: exit 2 before any check")
def _():
    r = hd(None, "save", "--pipeline", str(PIPELINE), "--file", body_file("g.json"), token=None)
    want_rc(r, 2)
    want("DEVOPNESS_API_TOKEN" in r.err, "stderr: " + r.err)
    r = hd(None, "save", "--pipeline", str(PIPELINE), "--file", body_file("g.json"),
           "--offline", skip=False)
    want_rc(r, 2)


@test("save of an array: exit 2, one hook at a time")
def _():
    url, log = start(healthy())
    r = hd(url, "save", "--pipeline", str(PIPELINE), "--file",
           os.path.join(EXAMPLES, "github.json"))
    want_rc(r, 2)
    want("one hook" in r.err, "stderr: " + r.err)
    want_no_post(log)


def main():
    global HD
    args = sys.argv[1:]
    HD = os.path.abspath(args[0]) if args else os.path.join(ROOT, "hookdoctor")
    only = args[1:]
    passed = failed = 0
    for name, fn in TESTS:
        if only and not any(o in name for o in only):
            continue
        try:
            fn()
            print("ok - api: %s" % name)
            passed += 1
        except Fail as e:
            print("not ok - api: %s" % name)
            print("  %s" % e)
            failed += 1
        except Exception as e:  # a broken test is a failure, not a crash
            print("not ok - api: %s" % name)
            print("  %s: %s" % (type(e).__name__, e))
            failed += 1
        finally:
            kill_servers()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


HD = None
if __name__ == "__main__":
    sys.exit(main())
