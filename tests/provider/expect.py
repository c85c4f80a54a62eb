#!/usr/bin/env python3
"""expect.py - assertions on hookdoctor --format json reports.

    expect.py REPORT.json ID STATUS [TEXT]
    expect.py --batch FILE

Each assertion holds when check ID of the first hook has STATUS (pass,
warn, fail, skip, or absent) and, when TEXT is given, its message contains
TEXT. The first form checks one and exits 1 when it does not hold. The
batch form reads tab-separated lines "REPORT ID STATUS TEXT TITLE" and
prints "ok - TITLE" or "not ok - TITLE: what was found" for each (one
Python start for a whole scenario keeps the suite quick).
"""
import json
import sys


def check(path, cid, want, text):
    """None when the assertion holds, else what was found."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        return "the report is not JSON: %s" % e
    hooks = doc.get("hooks") or []
    checks = hooks[0].get("checks", []) if hooks else []
    found = [c for c in checks if c.get("id") == cid]
    if not found:
        return None if want == "absent" else "%s is not in the report" % cid
    c = found[0]
    if c.get("status") != want:
        return "%s is %s, want %s: %s" % (cid, c.get("status"), want, c.get("message"))
    if text and text not in (c.get("message") or ""):
        return "%s message lacks %r: %s" % (cid, text, c.get("message"))
    return None


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--batch":
        bad = 0
        with open(sys.argv[2], encoding="utf-8") as f:
            for line in f:
                path, cid, want, text, title = line.rstrip("\n").split("\t", 4)
                why = check(path, cid, want, text)
                if why is None:
                    print("ok - %s" % title)
                else:
                    print("not ok - %s: %s" % (title, why))
                    bad += 1
        return 1 if bad else 0
    path, cid, want = sys.argv[1:4]
    why = check(path, cid, want, sys.argv[4] if len(sys.argv) > 4 else "")
    if why:
        print(why)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
