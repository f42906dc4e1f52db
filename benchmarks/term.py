"""A terminal for benchmarks: a program in a pty, its output read by a terminal emulator.

The program runs as a user runs it (its own process, stdin/stdout/stderr on a pty of the
given size, ``TERM=xterm-256color``); what it writes is fed to ``pyte`` (a VT100/xterm
emulator), so a benchmark knows what is *on screen*, not what some object inside the
program believes it drew.

Timing: a reader thread does nothing but ``os.read`` the pty and stamp each chunk with
``time.monotonic()`` as it arrives; the emulator runs on the caller's thread. A wait returns
the arrival time of the chunk after which the screen first satisfied the condition, so the
time the benchmark spends parsing output is not counted as the program's (the switch
interval is lowered so the reader's stamp is taken within a fraction of a millisecond of
the data arriving, even while the caller is parsing).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Mapping, Sequence

import pyte
from wcwidth import wcwidth

sys.setswitchinterval(0.0002)

KEYS = {
    "enter": "\r",
    "escape": "\x1b",
    "backspace": "\x7f",
    "tab": "\t",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "ctrl+end": "\x1b[1;5F",
    "ctrl+home": "\x1b[1;5H",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "ctrl+q": "\x11",
    "ctrl+u": "\x15",
    "ctrl+n": "\x0e",
    "ctrl+g": "\x07",
}
"""What an xterm sends for each key."""


class Timeout(Exception):
    pass


class Terminal:
    """One program on one pty of ``cols`` × ``rows``; ``started`` is just before the spawn."""

    def __init__(
        self,
        argv: Sequence[str],
        cols: int = 120,
        rows: int = 40,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.cols, self.rows = cols, rows
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.chunks: queue.Queue[tuple[float, bytes] | None] = queue.Queue()
        self.last_arrival = 0.0
        self.closed = False
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = dict(os.environ if env is None else env)
        full_env.setdefault("TERM", "xterm-256color")
        full_env.setdefault("COLORTERM", "truecolor")

        def controlling_tty() -> None:  # runs in the child, after setsid
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            start_new_session=True,
            preexec_fn=controlling_tty,
            close_fds=True,
        )
        os.close(slave)
        self.fd = master
        self.reader = threading.Thread(target=self._read, daemon=True, name="term-reader")
        self.reader.start()

    # -- output -----------------------------------------------------------------------

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                data = b""
            now = time.monotonic()
            if not data:
                self.chunks.put(None)
                return
            self.chunks.put((now, data))

    def _feed(self, item: tuple[float, bytes] | None) -> None:
        if item is None:
            self.closed = True
            return
        self.last_arrival, data = item
        self.stream.feed(data)

    def drain(self) -> None:
        """Feed whatever has arrived so far."""
        while True:
            try:
                item = self.chunks.get_nowait()
            except queue.Empty:
                return
            self._feed(item)

    def wait(self, check: Callable[[Terminal], bool], timeout: float = 30.0) -> float:
        """Arrival time of the output after which ``check`` first held (monotonic clock).

        Checked after each chunk, so a later chunk (the next frame) is not blamed on this one.
        If it holds already, the time of the last output fed.
        """
        if check(self):
            return self.last_arrival
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout(f"screen condition not reached in {timeout} s:\n{self.text()}")
            try:
                item = self.chunks.get(timeout=remaining)
            except queue.Empty:
                continue
            self._feed(item)
            if check(self):
                return self.last_arrival
            if self.closed:
                raise Timeout(f"program ended before the condition held:\n{self.text()}")

    def settle(self, quiet: float = 0.15, timeout: float = 30.0) -> None:
        """Wait until the program has written nothing for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                item = self.chunks.get(timeout=quiet)
            except queue.Empty:
                return
            self._feed(item)
            if self.closed:
                return
        raise Timeout("the program kept writing")

    # -- input ------------------------------------------------------------------------

    def send(self, text: str) -> float:
        """Type ``text`` (or a key name of :data:`KEYS`) in one write; returns the time sent."""
        data = KEYS.get(text, text).encode()
        sent = time.monotonic()
        os.write(self.fd, data)
        return sent

    # -- the screen -------------------------------------------------------------------

    def line(self, y: int) -> str:
        """Screen line ``y`` as text (a wide character once, not followed by a stub)."""
        row = self.screen.buffer[y]
        out: list[str] = []
        x = 0
        cols = self.cols
        while x < cols:
            ch = row[x].data
            out.append(ch)
            x += 2 if ch and wcwidth(ch[0]) == 2 else 1
        return "".join(out)

    def lines(self) -> list[str]:
        return [self.line(y) for y in range(self.rows)]

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines())

    def contains(self, needle: str) -> bool:
        return any(needle in line for line in self.lines())

    # -- the process ------------------------------------------------------------------

    def peak_rss_mb(self) -> float | None:
        """The program's peak resident memory so far (Linux ``VmHWM``)."""
        try:
            with open(f"/proc/{self.proc.pid}/status") as status:
                for entry in status:
                    if entry.startswith("VmHWM:"):
                        return int(entry.split()[1]) / 1024
        except OSError:
            return None
        return None

    def cpu_seconds(self) -> float | None:
        """CPU time the program has used so far, all its threads (user + system)."""
        try:
            with open(f"/proc/{self.proc.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self, quit_key: str | None = "ctrl+q", timeout: float = 10.0) -> None:
        """Quit with ``quit_key`` (then SIGTERM, SIGKILL if it will not), and free the pty."""
        try:
            if quit_key and self.proc.poll() is None:
                self.send(quit_key)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait()
        finally:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.reader.join(timeout=2)
