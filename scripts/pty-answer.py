#!/usr/bin/env python3
"""Runs a command on a new pseudo-terminal and answers its prompts, each once it is shown.

    python3 scripts/pty-answer.py PROMPT ANSWER [PROMPT ANSWER ...] -- COMMAND [ARG ...]

Prints what the command wrote to the terminal and exits with its status. Every wait is
bounded: 60 s for each prompt, 5 s for its echo to go off (a no-echo prompt flushes what was
typed before), 60 s for the command to end after the last answer.
"""
import os
import pty
import select
import sys
import termios
import time


def read_until(fd, wanted, deadline, seen):
    """Reads the terminal into `seen` until it ends with `wanted` (or, for None, until EOF)."""
    while time.monotonic() < deadline:
        if wanted is not None and seen.rstrip(b" ").endswith(wanted.rstrip(b" ")):
            return True
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            chunk = b""
        if not chunk:
            return wanted is None
        seen.extend(chunk)
    return False


def wait_for_no_echo(fd, deadline):
    """Waits until the terminal's echo is off: a no-echo prompt flushes input typed before."""
    while time.monotonic() < deadline:
        try:
            if not termios.tcgetattr(fd)[3] & termios.ECHO:
                return
        except termios.error:
            return
        time.sleep(0.02)


def main():
    args = sys.argv[1:]
    split = args.index("--")
    pairs, command = args[:split], args[split + 1 :]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    seen = bytearray()
    for prompt, answer in zip(pairs[0::2], pairs[1::2]):
        if not read_until(fd, prompt.encode(), time.monotonic() + 60, seen):
            sys.stdout.write(seen.decode(errors="replace"))
            sys.stdout.write(f"\n[no prompt {prompt!r} within 60 s]\n")
            os.kill(pid, 9)
            return 1
        wait_for_no_echo(fd, time.monotonic() + 5)
        os.write(fd, answer.encode() + b"\n")
    read_until(fd, None, time.monotonic() + 60, seen)
    sys.stdout.write(seen.decode(errors="replace"))
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
