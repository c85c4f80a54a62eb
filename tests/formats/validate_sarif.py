#!/usr/bin/env python3
"""validate_sarif.py SCHEMA FILE... - validates SARIF logs against the
SARIF 2.1.0 JSON schema (tests/data/sarif-schema-2.1.0.json) with
python3-jsonschema, and checks what the schema cannot: every result's
ruleIndex names its rule, a level other than "none" only on kind "fail"
(SARIF 2.1.0 section 3.27.9), regions start at line 1 or later.

Prints "ok - FILE" / "not ok - FILE: why" per file. Exits 1 when one
failed, 3 when jsonschema is not installed.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_sarif.py: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(3)


def extra_checks(doc):
    for run in doc["runs"]:
        rules = run["tool"]["driver"].get("rules", [])
        for i, res in enumerate(run.get("results", [])):
            idx = res.get("ruleIndex")
            if idx is not None and rules[idx]["id"] != res["ruleId"]:
                return "result %d: ruleIndex %d is %s, not %s" % (
                    i, idx, rules[idx]["id"], res["ruleId"])
            if res.get("kind", "fail") != "fail" and res.get("level", "none") != "none":
                return "result %d: kind %s with level %s" % (i, res["kind"], res["level"])
            for loc in res.get("locations", []):
                reg = loc.get("physicalLocation", {}).get("region")
                if reg and reg.get("startLine", 1) < 1:
                    return "result %d: startLine < 1" % i
    return None


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    failed = 0
    for path in argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
            if errors:
                e = errors[0]
                raise ValueError("%s at %s" % (e.message[:200], "/".join(map(str, e.path))))
            why = extra_checks(doc)
            if why:
                raise ValueError(why)
        except (ValueError, KeyError, IndexError, TypeError) as e:
            failed += 1
            print("not ok - sarif valid: %s: %s" % (path, e))
            continue
        print("ok - sarif valid: %s" % path)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
