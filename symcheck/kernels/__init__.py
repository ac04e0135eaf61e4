"""Independent kernels for symcheck's verdicts: an SMT re-check (z3, cvc5) of
every identity SymPy decided, and a Coq export of the inductive step.

This package depends only downward, on the identity records
(``identities.Decided`` kept in every ``engine.GroupCheck``);
the core never imports it -- the CLI and the theorem runner call it when a
kernel is asked for. A kernel can only take a verdict *away*: if it
contradicts SymPy on an identity, the verdict becomes undecided with the
disagreement reported; if it proves what SymPy proved, the record says so.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace

from ..errors import MissingDependency, NotExportable
from ..exact.identities import KernelCheck
from ..exact.verdict import PROVED, REFUTED, UNDECIDED, Status, combine
from ..model.sentence import Sentence
from . import coq, smt
from .coq import require_coqc

Z3, CVC5, COQ = "z3", "cvc5", "coq"
#: kernels that re-check identities with an SMT solver (``smt``); Coq checks an exported step
SMT_KERNELS = (Z3, CVC5)
KERNELS = (Z3, CVC5, COQ)
#: seconds for all solver calls of one verdict; past it the remaining identities are undecided
BUDGET_SECONDS = 300.0
INSTALL_HINT = 'pip install "symcheck[kernels]"'


def require_smt(kernel: str = Z3):
    module = smt.load(kernel)
    if module is None:
        package = smt.SOLVERS[kernel][2]
        raise MissingDependency(f"--kernel {kernel} needs the {package} package, which is not installed; "
                                f"{INSTALL_HINT}")
    return module


class _Rechecker:
    """One SMT solver over the identities of many checks, each distinct identity asked once, within one budget."""

    def __init__(self, budget: float = BUDGET_SECONDS, kernel: str = Z3):
        self.kernel = kernel
        self.solver = require_smt(kernel)
        self.smt = smt
        self.deadline = time.monotonic() + budget
        self.cache: dict = {}
        self.disagreements: list[str] = []

    def answer(self, lhs, rhs) -> tuple[str, str]:
        key = (lhs, rhs)
        if key not in self.cache:
            left = self.deadline - time.monotonic()
            if left <= 0:
                return UNDECIDED, f"the {self.kernel} budget for this verdict was used up"
            timeout = min(self.smt.TIMEOUT_MS, int(left * 1000) + 1)
            self.cache[key] = self.smt.recheck(lhs, rhs, self.solver, timeout)
        return self.cache[key]

    def check(self, check, label: str):
        """``check`` with this solver's record added; disagreements with SymPy are collected."""
        if not check.decided:
            return check
        counts: dict[str, int] = {}
        notes: set[str] = set()
        exceptions = []
        for decided in check.decided:
            status, detail = self.answer(decided.lhs, decided.rhs)
            counts[status] = counts.get(status, 0) + 1
            if status != PROVED:
                exceptions.append((decided.position, decided.reference, status, detail))
            if status == UNDECIDED:
                notes.add(detail)
            if {status, decided.status} == {PROVED, REFUTED}:
                where = f"{label}[{', '.join(map(str, decided.position))}]"
                self.disagreements.append(
                    f"{self.kernel} {'refutes' if status == REFUTED else 'proves'} the identity at {where} that SymPy "
                    f"{decided.status} ({detail or 'unsat'})")
        abstracted = self.smt.abstracted_functions([d.lhs for d in check.decided] + [d.rhs for d in check.decided],
                                                   self.solver)
        note = "; ".join(sorted(notes))
        if abstracted and not notes:
            note = f"for every function in place of {', '.join(sorted(abstracted))}"
        record = KernelCheck(self.kernel, combine(*counts), tuple(sorted(counts.items())), note, tuple(exceptions))
        return replace(check, kernels=tuple(k for k in check.kernels if k.kernel != self.kernel) + (record,))


def _disagreement_notes(rechecker: _Rechecker) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for status, _ in rechecker.cache.values():
        counts[status] = counts.get(status, 0) + 1
    summary = (f"{rechecker.kernel} {rechecker.smt.version(rechecker.solver)} re-checked {len(rechecker.cache)} "
               "distinct identities: "
               + (", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none"))
    if not rechecker.disagreements:
        return (summary,)
    first = rechecker.disagreements[0]
    more = len(rechecker.disagreements) - 1
    return (summary, f"{rechecker.kernel} disagrees with SymPy: {first}" + (f" (and {more} more)" if more else "")
            + "; the verdict is withheld")


def recheck_proof(proof, budget: float = BUDGET_SECONDS, kernel: str = Z3):
    """A ``prove`` result with every base-case and step identity re-checked by the solver ``kernel``."""
    rechecker = _Rechecker(budget, kernel)
    pairs = [(rechecker.check(base, base.group), rechecker.check(step, step.group + "'"))
             for base, step in proof.invariants]  # invariant by invariant: base case, then step
    state = tuple(rechecker.check(c, c.group + "'") for c in proof.state_checks)
    proof = replace(proof, induction=replace(proof.induction, base=tuple(base for base, _ in pairs),
                                             checks=tuple(step for _, step in pairs) + state))
    notes = _disagreement_notes(rechecker)
    if rechecker.disagreements and proof.verdict in (PROVED, REFUTED):
        proof = replace(proof, verdict=UNDECIDED)
    return replace(proof, notes=proof.notes + tuple(Sentence((note,)) for note in notes))


def recheck_analysis(analysis, budget: float = BUDGET_SECONDS, kernel: str = Z3):
    """An ``analyze`` result with every step identity of every claim re-checked by the solver ``kernel``."""
    rechecker = _Rechecker(budget, kernel)

    def claim(c):
        if c is None or c.step is None:
            return c
        checks = tuple(rechecker.check(check, check.group + "'") for check in c.step.checks)
        return replace(c, step=replace(c.step, checks=checks))

    twins, dead = claim(analysis.twins), claim(analysis.dead)
    regression = tuple(claim(c) for c in analysis.regression)
    notes = _disagreement_notes(rechecker)
    verdict = analysis.verdict
    if rechecker.disagreements and verdict in (PROVED, REFUTED):
        verdict = UNDECIDED
        twins = replace(twins, verdict=UNDECIDED) if twins is not None else None
        dead = replace(dead, verdict=UNDECIDED) if dead is not None else None
    return replace(analysis, twins=twins, dead=dead, regression=regression, verdict=verdict,
                   notes=analysis.notes + tuple(Sentence((note,)) for note in notes))


def kernels_of(checks) -> dict[str, str]:
    """kernel -> overall status over ``checks`` (for a one-line summary)."""
    found: dict[str, list[str]] = {}
    for check in checks:
        for record in check.kernels:
            found.setdefault(record.kernel, []).append(record.status)
    return {kernel: (REFUTED if REFUTED in s else UNDECIDED if UNDECIDED in s else PROVED)
            for kernel, s in found.items()}


# ------------------------------------------------------------------ Coq

def _is_proof(result) -> bool:
    return hasattr(result, "induction")


def export_coq(result, directory):
    """Write the ``.v`` file of a proved ``prove`` or ``analyze`` result; raises ``errors.NotExportable``."""
    return coq.export_proof(result, directory) if _is_proof(result) else coq.export_analysis_file(result, directory)


def confirm_with_coq(result, directory=None):
    """Export the step, run ``coqc`` on it and record Coq's answer on every step check.

    Returns (result, path or None, message). Coq rejecting a step SymPy proved
    withholds the verdict; a result that cannot be exported keeps its verdict
    and says why."""
    coq.require_coqc()
    with tempfile.TemporaryDirectory(prefix="symcheck-export-") as scratch:
        try:
            path = export_coq(result, directory or scratch)
        except NotExportable as reason:
            note = f"Coq: not exportable ({reason})"
            return replace(result, notes=result.notes + (Sentence((note,)),)), None, note
        compiled = coq.compile_file(path)
    status = PROVED if compiled.accepted else UNDECIDED
    note = f"Coq: {compiled.detail}" + (f" ({path})" if directory else "")
    result = _with_coq_records(result, status, compiled.detail if not compiled.accepted else "coqc")
    verdict = result.verdict if compiled.accepted else UNDECIDED
    if not compiled.accepted:
        note += "; the verdict is withheld"
    return replace(result, verdict=verdict, notes=result.notes + (Sentence((note,)),)), (path if directory else None), note


def _with_coq_records(result, status: Status, detail: str):
    def record(check):
        if not check.decided:
            return check
        kept = tuple(k for k in check.kernels if k.kernel != COQ)
        exceptions = () if status == PROVED else tuple((d.position, d.reference, status, detail) for d in check.decided)
        return replace(check, kernels=kept + (KernelCheck(COQ, status, ((status, len(check.decided)),), detail,
                                                          exceptions),))

    if _is_proof(result):
        return replace(result, induction=replace(result.induction,
                                                 checks=tuple(record(c) for c in result.induction.checks)))
    twins = result.twins
    step = replace(twins.step, checks=tuple(record(c) for c in twins.step.checks))
    verdict = twins.verdict if status == PROVED else UNDECIDED
    return replace(result, twins=replace(twins, step=step, verdict=verdict))


# ------------------------------------------------------------------ theorem files

def require(names) -> None:
    """Raise the one-line ``MissingDependency`` for the first kernel in ``names`` that is not installed."""
    for kernel in SMT_KERNELS:
        if kernel in names:
            require_smt(kernel)
    if COQ in names:
        require_coqc()


def apply(result, names):
    """``result`` (a ``Proof`` or an ``Analysis``) checked by the kernels ``names`` as well."""
    for kernel in SMT_KERNELS:
        if kernel in names:
            recheck = recheck_proof if _is_proof(result) else recheck_analysis
            result = recheck(result, kernel=kernel)
    if COQ in names:
        result = confirm_with_coq(result)[0]
    return result


def summary(result, names) -> str:
    """' [z3: proved, coq: proved]': each asked kernel's overall answer on the step, for one-line summaries."""
    if not names:
        return ""
    checks = (list(result.induction.checks[:len(result.induction.base)]) + list(result.induction.base)
              if _is_proof(result)
              else [c for claim in (result.twins, result.dead) if claim is not None and claim.step is not None
                    for c in claim.step.checks])
    found = kernels_of(checks)
    parts = [f"{name}: {found.get(name, 'not exportable' if name == COQ else 'nothing to check')}" for name in names]
    return " [" + ", ".join(parts) + "]"
