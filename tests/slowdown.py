#!/usr/bin/env python3
"""tests/slowdown.py - the slowdown factor of the timed expectations.

Some suites bound how long a hookdoctor run may take ("a finding within
--timeout", "took at most 4 s"), how long a test server lives or stalls,
and how long the runner waits for hookdoctor before it calls it a hang.
Under valgrind hookdoctor runs 20 to 50 times slower than natively, and
each run pays about two seconds of valgrind start-up on top, so those
figures are multiplied by one integer factor:

    HD_SLOWDOWN=N         N (an integer >= 1), whatever else is set
    HD_UNDER_VALGRIND=1   VALGRIND (below); tests/valgrind.sh sets it
    otherwise             1: the plain and sanitizer runs are unchanged

Every bound is scaled, none is dropped: a hang (a timeout not honoured,
an endless read) still fails, only later. Where a test server stalls to
prove a bound, its stall is scaled by the same factor so that it still
outlasts the bound. The --timeout given to hookdoctor is not scaled: the
tests about it check the figure in its messages ("within 1 s"), and the
healthy exchanges finish well inside it under valgrind too.

Python suites import factor(); shell suites run this file, which prints
the factor:  SLOW=$(python3 tests/slowdown.py); the unit tests call
unit_slowdown() of tests/unit/unit.h, which follows the same rules.

6 was enough for every bound in a full `make valgrind` on a 2-core
machine shared with other jobs; a valgrind run of hookdoctor there costs
about 2 s of start-up, against well under 0.1 s natively.
"""
import os

VALGRIND = 6


def factor():
    v = os.environ.get("HD_SLOWDOWN", "")
    if v:
        try:
            n = int(v)
        except ValueError:
            raise SystemExit("HD_SLOWDOWN must be an integer, not %r" % v)
        if n < 1:
            raise SystemExit("HD_SLOWDOWN must be at least 1, not %d" % n)
        return n
    if os.environ.get("HD_UNDER_VALGRIND") == "1":
        return VALGRIND
    return 1


if __name__ == "__main__":
    print(factor())
