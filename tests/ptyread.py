#!/usr/bin/env python3
"""tests/ptyread.py - reading what a program writes to a terminal.

The suites that check terminal-only behaviour (colour, the progress line)
give hookdoctor a pseudo-terminal and read everything it writes there:

    from ptyread import read_pty
    master, slave = pty.openpty()
    p = subprocess.Popen(args, stdout=slave, ...)
    os.close(slave)
    seen = read_pty(master)     # until the program closes its end

read_pty() returns the bytes and closes master. On Linux the read fails
with EIO once the last writer has gone; that ends it like an empty read.
"""
import os


def read_pty(master):
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return seen
