"""Running theorems: each in a child process with a deadline, several at a time.

A child that runs past its deadline is killed and its theorem is *undecided*;
a child that dies or raises is an *error*; neither can hang or crash the run.
Children are forked where the platform allows (no re-import of SymPy per
theorem) and spawned elsewhere; a ``Theorem`` is plain data, so both work.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .. import budget
from ..model.activation_forms import registered
from ..exact.verdict import PROVED, REFUTED, UNDECIDED
from ..symbolic.recursion import allow_deep_recursion
from ..exact.verdict import combine
from .kinds import CLAIMS
from .theorem import Theorem

#: seconds per theorem before it is undecided (``symcheck check --timeout``, pytest's ``symcheck_timeout``)
DEFAULT_TIMEOUT = 120.0
#: the parent kills a child this long after its deadline: the child's own budget stops it first,
#: with the phase it reached; killing is the backstop for a child that cannot stop
KILL_GRACE = 2.0

ERROR = "error"
OK, CONTRADICTED = "ok", "contradicted"


@dataclass(frozen=True)
class Outcome:
    name: str
    path: str
    statement: str
    expect: str
    got: str  # proved | refuted | undecided | error
    seconds: float
    summary: str
    evidence: tuple[str, ...] = ()
    cases: tuple[dict, ...] = field(default=())  # per network case: status, summary, data

    @property
    def status(self) -> str:
        """ok: the verdict is the expected one; contradicted: the opposite verdict;
        undecided / error: no verdict."""
        if self.got == self.expect:
            return OK
        if self.got in (PROVED, REFUTED):
            return CONTRADICTED
        return self.got


def decide(theorem: Theorem) -> tuple[str, str, tuple[str, ...], tuple[dict, ...]]:
    """Run the claim in this process: (verdict, summary, evidence, cases)."""
    kind = CLAIMS[theorem.kind]
    with registered(*theorem.custom_activations()):
        specs = theorem.networks() or [None]
        verdicts = [kind.run(theorem, spec) for spec in specs]
    if theorem.kernels and not kind.kernels:
        reason = (f"{', '.join(theorem.kernels)}: not exportable: claim kind {kind.name!r} has no concrete "
                  "inductive step for a kernel to check (kinds symmetry and twins have)")
        verdicts = [replace(v, summary=f"{v.summary} [{reason}]") for v in verdicts]
    # a theorem over several cases is their conjunction (specs is never empty: [None] at least)
    got = combine(*(v.status for v in verdicts))
    if len(verdicts) == 1:
        only = verdicts[0]
        return got, only.summary, only.evidence, ({"status": only.status, "summary": only.summary,
                                                   "data": only.data},)
    evidence = []
    for verdict in verdicts:
        evidence.append(verdict.summary)
        if verdict.status != PROVED or got != PROVED or theorem.kernels:  # kernels: each case's answers
            evidence += [f"  {line}" for line in verdict.evidence]
    counts = {status: sum(v.status == status for v in verdicts) for status in (PROVED, REFUTED, UNDECIDED)}
    summary = f"{len(verdicts)} cases: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    cases = tuple({"status": v.status, "summary": v.summary, "data": v.data} for v in verdicts)
    return got, summary, tuple(evidence), cases


def _child(theorem: Theorem, connection, timeout: float | None = None) -> None:
    allow_deep_recursion()
    start = time.perf_counter()
    try:
        # the same deadline as the parent's, inside: a clean "undecided" with the phase reached,
        # before the parent has to kill the process
        with budget.limit(timeout, phase_text=f"checking {theorem.name}"):
            got, summary, evidence, cases = decide(theorem)
        message = (got, summary, evidence, cases, time.perf_counter() - start)
    except budget.BudgetExceeded as error:
        summary = (f"timed out after {timeout:g} s (resource limit) while {error.where}: no verdict"
                   if error.limit == "time" else f"no verdict: {error}")
        message = (UNDECIDED, summary, (), (), time.perf_counter() - start)
    except BaseException as error:  # noqa: BLE001 - everything must reach the parent as a value
        lines = traceback.format_exception_only(type(error), error)[-1].strip()
        message = (ERROR, f"internal error: {lines}", tuple(traceback.format_exc().splitlines()), (),
                   time.perf_counter() - start)
    try:
        connection.send(message)
    except BaseException as error:  # noqa: BLE001 - e.g. an unpicklable value
        connection.send((ERROR, f"internal error: result could not be sent ({error})", (), (),
                         time.perf_counter() - start))
    finally:
        connection.close()


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


@dataclass
class _Running:
    index: int
    process: multiprocessing.Process
    connection: object
    started: float
    deadline: float | None


def run_theorems(theorems: list[Theorem], jobs: int = 1, timeout: float | None = None,
                 on_start: Callable | None = None, on_done: Callable | None = None) -> list[Outcome]:
    """Outcomes in the order of ``theorems``; ``timeout`` (seconds) applies to each theorem."""
    context = _context()
    pending = deque(enumerate(theorems))
    running: list[_Running] = []
    outcomes: list[Outcome | None] = [None] * len(theorems)

    def finish(job: _Running, outcome: Outcome) -> None:
        running.remove(job)
        outcomes[job.index] = outcome
        if on_done:
            on_done(outcome)

    try:
        while pending or running:
            while pending and len(running) < max(1, jobs):
                index, theorem = pending.popleft()
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(theorem, send, timeout), daemon=True)
                process.start()
                send.close()
                now = time.monotonic()
                running.append(_Running(index, process, receive, now, now + timeout + KILL_GRACE if timeout else None))
                if on_start:
                    on_start(theorem)
            deadlines = [job.deadline for job in running if job.deadline is not None]
            wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = multiprocessing.connection.wait(
                [job.connection for job in running] + [job.process.sentinel for job in running], wait)
            for job in list(running):
                theorem = theorems[job.index]
                if job.connection in ready or job.process.sentinel in ready:
                    finish(job, _collect(theorem, job))
                elif job.deadline is not None and time.monotonic() >= job.deadline:
                    _stop(job.process)
                    job.connection.close()
                    finish(job, _outcome(theorem, UNDECIDED, timeout,
                                         f"timed out after {timeout:g} s (resource limit): no verdict"))
    finally:
        for job in running:
            _stop(job.process)
    return outcomes


def _collect(theorem: Theorem, job: _Running) -> Outcome:
    try:
        got, summary, evidence, cases, seconds = job.connection.recv()
    except (EOFError, OSError):
        job.process.join(1)
        code = job.process.exitcode
        return _outcome(theorem, ERROR, time.monotonic() - job.started,
                        f"internal error: the process checking the theorem died (exit code {code})")
    finally:
        job.connection.close()
    job.process.join(5)
    if job.process.is_alive():  # pragma: no cover - a child that sent its result exits at once
        _stop(job.process)
    return Outcome(theorem.name, theorem.path, theorem.statement, theorem.expect, got, seconds,
                   summary, tuple(evidence), tuple(cases))


def _outcome(theorem: Theorem, got: str, seconds: float, summary: str) -> Outcome:
    return Outcome(theorem.name, theorem.path, theorem.statement, theorem.expect, got, seconds, summary)


def _stop(process) -> None:
    if process.is_alive():
        process.kill()
    process.join(5)


def exit_code(outcomes: list[Outcome]) -> int:
    """1 if a verdict contradicts its expectation, else 3 if any theorem got no verdict, else 0."""
    statuses = {outcome.status for outcome in outcomes}
    if CONTRADICTED in statuses:
        return 1
    if statuses - {OK}:
        return 3
    return 0
