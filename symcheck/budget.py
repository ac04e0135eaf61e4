"""One budget for every command: a deadline, a memory estimate, the current phase.

A run of symcheck is bounded: when the budget runs out the verdict is
*undecided* (exit 3) with one line saying which limit was reached and where,
never minutes of silence or gigabytes. The mechanism has three parts:

- **a deadline** that long loops check cooperatively (``phase`` and ``check``
  raise ``BudgetExceeded`` once it has passed), backed by a timer signal
  (SIGALRM, main thread only) so that one long SymPy call cannot overrun it;
- **memory estimates**: work whose size is set by the input calls
  ``require_memory`` before allocating, and is refused the same way;
- **the current phase** ("deriving layer 12 of 2-2-...-1", "trace step 3/5"),
  used in the message above and shown as progress on stderr once a run takes
  longer than a couple of seconds.

``BudgetExceeded`` derives from ``BaseException``, not ``Exception``: a broad
``except Exception`` inside the engine (a decider that treats any failure as
"could not refute", say) cannot swallow it, so an exhausted budget can never
turn into a verdict -- least of all *proved*. Outside ``limit`` (library use)
every function here is a no-op, except ``attempt``: a sub-deadline for one call that
may run for ever (a normal form), which ends it as "not finished" rather than as an
exhausted budget.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from contextlib import contextmanager

#: seconds of silence before progress is shown, and between two progress lines
PROGRESS_AFTER = 2.0
PROGRESS_EVERY = 3.0
#: default memory budget of work sized by the input (estimated before allocating)
DEFAULT_MEMORY_GB = 2.0


class BudgetExceeded(BaseException):
    """A time or memory budget ran out; the message says which one and where.

    Not an ``Exception``: engine code that catches ``Exception`` must not turn
    it into a verdict. ``limit`` is "time" or "memory"; ``where`` the phase reached."""

    def __init__(self, message: str, limit: str = "time", where: str = ""):
        super().__init__(message)
        self.limit, self.where = limit, where


class _State:
    """The active budget (one per process; ``limit`` nests by restoring the outer one)."""

    def __init__(self):
        self.deadline: float | None = None
        self.seconds: float | None = None
        self.memory: float | None = None  # bytes
        self.phase = ""
        self.started = time.monotonic()


_state = _State()
#: the unthreaded progress display, if one is active (see ``Progress.threaded``)
_progress = None


def phase(text: str) -> None:
    """Name what the run does now (for progress and for the message when the budget runs out),
    and stop here if the deadline has passed."""
    _state.phase = text
    if _progress is not None:
        _progress.due()
    check()


def brief(text: str, width: int = 40) -> str:
    """``text`` cut to ``width`` characters (a 40-layer network's name is long)."""
    return text if len(text) <= width else text[:width - 1] + "…"


def current_phase() -> str:
    return _state.phase


def check() -> None:
    """Raise ``BudgetExceeded`` if the deadline has passed (a cheap call: use it in long loops)."""
    if _state.deadline is not None and time.monotonic() >= _state.deadline:
        _expired()


def remaining() -> float | None:
    """Seconds left, or None without a deadline."""
    return None if _state.deadline is None else max(0.0, _state.deadline - time.monotonic())


def require_memory(nbytes: float, what: str, hint: str = "") -> None:
    """Refuse work estimated to need ``nbytes`` when that exceeds the memory budget."""
    if _state.memory is not None and nbytes > _state.memory:
        suggestion = f"{hint}, or raise --max-memory" if hint else "raise --max-memory"
        raise BudgetExceeded(f"memory budget of {_gb(_state.memory)} reached: {what} needs about "
                             f"{_gb(nbytes)}; {suggestion}", "memory", _state.phase)


def _gb(nbytes: float) -> str:
    return f"{nbytes / 2**30:.3g} GB"


def _expired():
    where = f" while {_state.phase}" if _state.phase else ""
    raise BudgetExceeded(f"time budget of {_state.seconds:g} s reached{where}; raise --timeout", "time",
                         _state.phase)


def _on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    _expired()


@contextmanager
def limit(seconds: float | None, memory_gb: float | None = None, phase_text: str = ""):
    """Run the body within ``seconds`` (None or 0: no time limit) and ``memory_gb`` of
    estimated work (None: the outer limit's). Nested limits keep the tighter of each and
    restore the outer ones when they end."""
    outer = (_state.deadline, _state.seconds, _state.memory, _state.phase)
    now = time.monotonic()
    deadline = now + seconds if seconds else None
    if outer[0] is not None and (deadline is None or outer[0] < deadline):
        deadline, seconds = outer[0], outer[1]
    _state.deadline, _state.seconds, _state.phase = deadline, seconds, phase_text or outer[3]
    memory = memory_gb * 2**30 if memory_gb else None
    _state.memory = min((m for m in (memory, outer[2]) if m is not None), default=None)
    alarm = deadline is not None and _can_signal()
    previous = signal.signal(signal.SIGALRM, _on_alarm) if alarm else None
    if alarm:
        # a little after the deadline: the cooperative checks name the phase first
        signal.setitimer(signal.ITIMER_REAL, max(deadline - now, 0.0) + 0.05)
    try:
        yield
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if outer[0] is not None:  # the outer budget's timer again
                signal.setitimer(signal.ITIMER_REAL, max(outer[0] - time.monotonic(), 0.0) + 0.05)
        _state.deadline, _state.seconds, _state.memory, _state.phase = outer


def attempt(seconds: float, call):
    """``(True, call())`` when ``call`` finishes within ``seconds``, ``(False, None)`` when that
    sub-deadline runs out first. The command's own deadline stays in force: when it is the one
    that runs out (it was the nearer), ``BudgetExceeded`` propagates as always."""
    outer = _state.deadline
    own = False
    try:
        with limit(seconds):
            own = _state.deadline != outer
            return True, call()
    except BudgetExceeded as exceeded:
        if exceeded.limit != "time" or not own or (outer is not None and time.monotonic() >= outer):
            raise
        return False, None


def _can_signal() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class Progress:
    """The current phase on stderr, from a daemon thread, once a run takes longer than
    ``after`` seconds: a self-overwriting line on a terminal (cleared at the end),
    plain lines elsewhere. stdout is never touched."""

    def __init__(self, command: str, after: float | None, every: float = PROGRESS_EVERY, stream=None,
                 threaded: bool = True):
        self.command, self.after, self.every = command, after, every
        self.stream = stream or sys.stderr
        self.tty = _isatty(self.stream)
        #: a command that forks worker processes (check) shows progress from its own thread at
        #: each phase instead: a fork while another thread holds stderr's lock could hang a worker
        self.threaded = threaded
        self.started = time.monotonic()
        self.pid = os.getpid()  # worker processes forked from this one inherit it but stay silent
        self._stop = threading.Event()
        self._shown = False
        self._last = None
        self._thread = None

    def __enter__(self):
        global _progress
        if self.after is not None and self.threaded:
            self._thread = threading.Thread(target=self._run, name="symcheck-progress", daemon=True)
            self._thread.start()
        elif self.after is not None:
            _progress = self
        return self

    def __exit__(self, *exc):
        global _progress
        _progress = None
        self._stop.set()
        if self._thread is not None:
            self._thread.join(1.0)
        if self._shown and self.tty:
            self._write("\r\033[K")
        return False

    def _run(self):
        if self._stop.wait(self.after):
            return
        while True:
            self._show()
            if self._stop.wait(self.every):
                return

    def due(self) -> None:
        """Show the phase now if the run is past the threshold (the unthreaded form)."""
        now = time.monotonic()
        if os.getpid() == self.pid and now - self.started >= self.after and (self._last is None or now - self._last >= min(self.every, 1.0)):
            self._last = now
            self._show()

    def _show(self) -> None:
        elapsed = time.monotonic() - self.started
        text = f"symcheck {self.command}: {elapsed:.0f} s, {_state.phase or 'working'}"
        self._write(f"\r\033[K{text[:150]}" if self.tty else f"{text}\n")
        self._shown = True

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # stderr closed or full: progress is optional
            pass


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def progress_after(requested: float | None, quiet: bool, stream=None) -> float | None:
    """When progress starts: never with --quiet; after ``requested`` seconds if given
    (``--progress S``); otherwise after PROGRESS_AFTER on a terminal and never elsewhere,
    so logs and pipes stay as they were."""
    if quiet:
        return None
    if requested is not None:
        return requested
    return PROGRESS_AFTER if _isatty(stream or sys.stderr) else None


__all__ = ["BudgetExceeded", "Progress", "attempt", "brief", "check", "current_phase", "limit", "phase", "progress_after",
           "remaining", "require_memory", "DEFAULT_MEMORY_GB", "PROGRESS_AFTER"]
