#!/usr/bin/env python3
"""make_secrets.py DIR - writes DIR/hooks.json, a pair of hooks with a
secret planted in every field a user fills in, and DIR/secrets.txt, one
string a line that must never appear in anything hookdoctor writes.

The secrets are made here rather than committed so that no token-shaped
string sits in the repository; each holds a marker "S3CRET..." to grep.
"""
import base64
import json
import os
import sys

d = sys.argv[1]
T = {
    "ghp": "ghp_" + "S3CRETONE" + "x" * 27,
    "pat": "github_pat_" + "S3CRETTWO" + "_" + "y" * 40,
    "glpat": "glpat-" + "S3CRETTHREE" + "z" * 12,
    "atbb": "ATBB" + "S3CRETFOUR" + "w" * 22,
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJTM0NSRVRGSVZFIn0."
           "S3CRETFIVEsig_abcdefghij",
    "basic": base64.b64encode(b"alice:S3CRETSIX").decode(),
    "userinfo": "S3CRETSEVEN",
    "query": "S3CRETEIGHT",
    "apikey": "S3CRETTEN",
}
commit = "{{ action.triggered_from.hook_parsed_variables.commit_hash }}"
url = ("https://bob:%s@api.github.com/repos/acme/shop/statuses/%s"
       "?access_token=%s" % (T["userinfo"], commit, T["query"]))
hook = {
    "name": "deploy %s" % T["ghp"],
    "active": True,
    "pipeline_id": 4242,
    "target_url": url,
    "trigger_when": {
        "events": ["action.completed", "action.%s" % T["glpat"]],
        "conditions": [{"path": "action.triggered_from.hook_parsed_variables."
                                "pipeline_id",
                        "accepted_values": ["4242", T["pat"]]}],
    },
    "settings": {
        "request_headers": [
            {"name": "Authorization", "value": "Bearer " + T["ghp"]},
            {"name": "PRIVATE-TOKEN", "value": T["glpat"]},
            {"name": "X-Basic", "value": "Basic " + T["basic"]},
            {"name": "X-Api-Key", "value": T["apikey"]},
            {"name": "X-Forwarded-Jwt", "value": T["jwt"]},
            {"name": "User-Agent", "value": "devopness " + T["atbb"]},
            {"name": "Content-Type", "value": "application/json"},
        ],
        "request_body": {
            "state": "success",
            "context": "ci/" + T["pat"],
            "description": "jwt %s and %s" % (T["jwt"], T["atbb"]),
            "target_url": "https://carol:%s@app.devopness.com/actions/"
                          "{{ action.id }}?access_token=%s"
                          % (T["userinfo"], T["query"]),
        },
    },
}
second = json.loads(json.dumps(hook))
second["name"] = "failed " + T["glpat"]
second["trigger_when"]["events"] = ["action.failed"]
second["settings"]["request_body"]["state"] = "failure"
with open(os.path.join(d, "hooks.json"), "w") as f:
    json.dump([hook, second], f, indent=2)
with open(os.path.join(d, "secrets.txt"), "w") as f:
    for v in T.values():
        f.write(v + "\n")
    # The parts that identify each secret on their own.
    for m in ("S3CRETONE", "S3CRETTWO", "S3CRETTHREE", "S3CRETFOUR",
              "S3CRETFIVE", "S3CRETSIX", "S3CRETSEVEN", "S3CRETEIGHT",
              "S3CRETNINE", "S3CRETTEN", "S3CRETELEVEN", "S3CRETTWELVE",
              "S3CRETTHIRTEEN", "S3CRETFOURTEEN"):
        f.write(m + "\n")
