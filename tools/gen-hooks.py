#!/usr/bin/env python3
"""gen-hooks.py - writes a large, realistic hook file for the benchmark.

Usage: python3 tools/gen-hooks.py [-n COUNT] [--seed N] [-o PATH]

Writes COUNT hooks (default 10000) as one JSON array: pipelines of three
hooks (action.started, action.failed, action.completed, as Devopness's guide
sets them up), each pipeline posting to one repository of one provider
(GitHub, GitLab, Bitbucket Cloud and Data Center, Azure DevOps, Gitea), in
the HookPipelineCreate shape plus pipeline_id and target_url. About one hook
in ten carries a mistake users make (a state of {{ action.status }}, the
status in the context, a link to the commit, a description over 140
characters), so the checks do real work. The output is the same for the same
seed.
"""

import argparse
import json
import os
import random
import sys

SHA = "{{ action.triggered_from.hook_parsed_variables.commit_hash }}"
TOKEN = "{{ application.source_provider.access_token }}"
LINKS = ("https://app.devopness.com/actions/{{ action.id }}",
         "{{ action.url_web_permalink }}")
EVENTS = ("started", "failed", "completed")
DESCRIPTION = {"started": "Deploy started on Devopness",
               "failed": "Deploy failed on Devopness",
               "completed": "Deploy succeeded on Devopness"}


def provider_github(owner, repo, ident, event, link):
    state = {"started": "pending", "failed": "failure", "completed": "success"}[event]
    return ("https://api.github.com/repos/%s/%s/statuses/%s" % (owner, repo, SHA),
            [("Authorization", "Bearer " + TOKEN),
             ("Accept", "application/vnd.github+json"),
             ("X-GitHub-Api-Version", "2022-11-28"),
             ("User-Agent", "devopness-hooks"),
             ("Content-Type", "application/json")],
            {"state": state, "target_url": link,
             "description": DESCRIPTION[event], "context": ident})


def provider_gitlab(owner, repo, ident, event, link):
    state = {"started": "running", "failed": "failed", "completed": "success"}[event]
    return ("https://gitlab.com/api/v4/projects/%s%%2F%s/statuses/%s" % (owner, repo, SHA),
            [("PRIVATE-TOKEN", TOKEN), ("Content-Type", "application/json")],
            {"state": state, "name": ident, "ref": "main", "target_url": link,
             "description": DESCRIPTION[event]})


def provider_bitbucket(owner, repo, ident, event, link):
    state = {"started": "INPROGRESS", "failed": "FAILED", "completed": "SUCCESSFUL"}[event]
    return ("https://api.bitbucket.org/2.0/repositories/%s/%s/commit/%s/statuses/build"
            % (owner, repo, SHA),
            [("Authorization", "Bearer " + TOKEN), ("Content-Type", "application/json")],
            {"key": ident[:40], "state": state, "url": link,
             "name": "Devopness deploy", "description": DESCRIPTION[event]})


def provider_bitbucket_dc(owner, repo, ident, event, link):
    state = {"started": "INPROGRESS", "failed": "FAILED", "completed": "SUCCESSFUL"}[event]
    return ("https://bitbucket.%s.example.com/rest/api/latest/projects/%s/repos/%s/commits/%s/builds"
            % (owner, owner.upper(), repo, SHA),
            [("Authorization", "Bearer " + TOKEN), ("Content-Type", "application/json")],
            {"key": ident, "state": state, "url": link,
             "name": "Devopness deploy", "description": DESCRIPTION[event]})


def provider_azure(owner, repo, ident, event, link):
    state = {"started": "pending", "failed": "failed", "completed": "succeeded"}[event]
    return ("https://dev.azure.com/%s/%s/_apis/git/repositories/%s/commits/%s/statuses?api-version=7.1"
            % (owner, repo, repo, SHA),
            [("Authorization", "Bearer " + TOKEN), ("Content-Type", "application/json")],
            {"state": state, "description": DESCRIPTION[event], "targetUrl": link,
             "context": {"name": ident, "genre": "devopness"}})


def provider_gitea(owner, repo, ident, event, link):
    state = {"started": "pending", "failed": "failure", "completed": "success"}[event]
    return ("https://gitea.%s.example.com/api/v1/repos/%s/%s/statuses/%s" % (owner, owner, repo, SHA),
            [("Authorization", "token " + TOKEN), ("Content-Type", "application/json")],
            {"state": state, "target_url": link,
             "description": DESCRIPTION[event], "context": ident})


# Weighted roughly like the providers Devopness users connect.
PROVIDERS = ((provider_github, 50), (provider_gitlab, 20), (provider_bitbucket, 12),
             (provider_bitbucket_dc, 6), (provider_azure, 6), (provider_gitea, 6))

OWNERS = ("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne",
          "wonka", "tyrell", "cyberdyne", "soylent", "aperture")
REPOS = ("shop-api", "web", "billing", "auth-service", "mobile-backend",
         "search", "docs-site", "payments", "inventory", "notifier")


def mistake(rng, body, event):
    """Plants one of the mistakes users make, in place."""
    kind = rng.randrange(4)
    if kind == 0 and "state" in body:
        body["state"] = "{{ action.status }}"
    elif kind == 1:
        for k in ("context", "name", "key"):
            if isinstance(body.get(k), str):
                body[k] = body[k] + "-{{ action.status }}"
                break
    elif kind == 2:
        for k in ("target_url", "url", "targetUrl"):
            if k in body:
                body[k] = "https://example.com/commit/" + SHA
                break
    else:
        body["description"] = ("Deploy %s on Devopness; " % event) * 8


def generate(count, seed):
    rng = random.Random(seed)
    pick = [p for p, w in PROVIDERS for _ in range(w)]
    hooks = []
    pipeline = 1000
    while len(hooks) < count:
        pipeline += 1
        provider = rng.choice(pick)
        owner, repo = rng.choice(OWNERS), rng.choice(REPOS)
        ident = rng.choice(("ci/devopness(deploy)", "devopness/deploy",
                            "deploy/%s" % repo, "Devopness"))
        link = rng.choice(LINKS)
        for event in EVENTS:
            if len(hooks) >= count:
                break
            url, headers, body = provider(owner, repo, ident, event, link)
            if rng.random() < 0.1:
                mistake(rng, body, event)
            hooks.append({
                "name": "%s status (%s) #%d" % (owner, event, pipeline),
                "active": True,
                "pipeline_id": pipeline,
                "target_url": url,
                "settings": {
                    "request_headers": [{"name": n, "value": v} for n, v in headers],
                    "request_body": body,
                },
                "trigger_when": {
                    "events": ["action." + event],
                    "conditions": [{
                        "path": "action.triggered_from.hook_parsed_variables.pipeline_id",
                        "accepted_values": [str(pipeline)],
                    }],
                },
            })
    return hooks


def main():
    ap = argparse.ArgumentParser(description="Write a large hook file for the benchmark.")
    ap.add_argument("-n", "--count", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("-o", "--output", default="build/bench/hooks-10000.json")
    a = ap.parse_args()
    if a.count < 1:
        ap.error("--count must be at least 1")
    hooks = generate(a.count, a.seed)
    d = os.path.dirname(a.output)
    if d:
        os.makedirs(d, exist_ok=True)
    with open(a.output, "w", encoding="utf-8") as f:
        json.dump(hooks, f, indent=1)
        f.write("\n")
    sys.stderr.write("gen-hooks: wrote %d hooks to %s (%d bytes)\n"
                     % (len(hooks), a.output, os.path.getsize(a.output)))


if __name__ == "__main__":
    main()
