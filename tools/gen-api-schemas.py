#!/usr/bin/env python3
"""tools/gen-api-schemas.py - extracts from the official Devopness OpenAPI
description what the Devopness API emulator (tests/servers/devopness_api.py)
serves: the schemas of the answers it gives (Pipeline, Hook, HookRelation,
HookRequest, RequestRelation, Action, ActionRelation, ApiError,
HookPipelineCreate and everything they reference) and the header and
paging parameters every path requires.

    python3 tools/gen-api-schemas.py ../shared/reference/devopness-openapi.json \
        > tests/data/devopness-api-schemas.json

The emulator builds its records from these schemas' examples, so what it
answers has the official shape; regenerate when the description changes.
"""
import json
import sys

ROOTS = ["Pipeline", "Hook", "HookRelation", "HookRequest", "RequestRelation",
         "Action", "ActionRelation", "ApiError", "HookPipelineCreate",
         "HookList", "RequestList", "ActionList"]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen-api-schemas.py devopness-openapi.json")
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    schemas = doc["components"]["schemas"]
    keep = {}

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref" and isinstance(v, str):
                    name = v.rsplit("/", 1)[-1]
                    if name not in keep:
                        keep[name] = schemas[name]
                        walk(schemas[name])
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for name in ROOTS:
        keep[name] = schemas[name]
        walk(schemas[name])
    out = {
        "source": "components of devopness-openapi.json (tools/gen-api-schemas.py)",
        "info": doc.get("info", {}),
        "parameters": {k: doc["components"]["parameters"][k]
                       for k in ("acceptHeader", "authHeader",
                                 "contentTypeHeader", "pageNumber",
                                 "pageSize")},
        "schemas": dict(sorted(keep.items())),
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
