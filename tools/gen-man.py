#!/usr/bin/env python3
"""gen-man.py [--check] - the OPTIONS section of docs/hookdoctor.1 from the
option table in src/options.c (one source for --help and the man page).

Rewrites the lines between '.\\" BEGIN OPTIONS' and '.\\" END OPTIONS'. With
--check it changes nothing and exits 1 when the section is not what the
table gives (tests/docs/run.sh runs it so). `make man` runs it.
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OPTIONS_C = os.path.join(ROOT, "src", "options.c")
MAN = os.path.join(ROOT, "docs", "hookdoctor.1")

ROW = re.compile(r'\{"([a-z0-9-]+)",\s*(0|\'.\'),\s*(NULL|"[^"]*"),\s*'
                 r'(O_\w+),\s*(NULL|"(?:[^"\\]|\\.)*")\s*\}')


def options():
    text = open(OPTIONS_C, encoding="utf-8").read()
    start = text.index("opt_table[]")
    end = text.index("};", start)
    rows = []
    for m in ROW.finditer(text[start:end]):
        name, short, arg, _id, help_ = m.groups()
        short = short[1] if short != "0" else None
        arg = arg[1:-1] if arg != "NULL" else None
        help_ = (help_[1:-1].encode().decode("unicode_escape")
                 if help_ != "NULL" else None)
        rows.append((name, short, arg, help_))
    return rows


def roff(s):
    s = s.replace("\\", "\\e").replace("-", "\\-")
    if s[:1] in (".", "'"):
        s = "\\&" + s
    return s


def section():
    out = []
    for name, short, arg, help_ in options():
        if help_ is None:
            continue
        flag = ("\\-%s, " % short if short else "") + "\\-\\-" + roff(name)
        out.append(".TP")
        if arg:
            out.append('.BI "%s " %s' % (flag, roff(arg)))
        else:
            out.append('.B "%s"' % flag)
        out.append(roff(help_[0].upper() + help_[1:]) +
                   ("" if help_.endswith(".") else "."))
    return "\n".join(out) + "\n"


def main(argv):
    man = open(MAN, encoding="utf-8").read()
    begin = '.\\" BEGIN OPTIONS (tools/gen-man.py)\n'
    end = '.\\" END OPTIONS\n'
    i, j = man.index(begin) + len(begin), man.index(end)
    new = man[:i] + section() + man[j:]
    if "--check" in argv:
        if new != man:
            print("docs/hookdoctor.1: OPTIONS differs from src/options.c; "
                  "run make man", file=sys.stderr)
            return 1
        return 0
    if new != man:
        open(MAN, "w", encoding="utf-8").write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
