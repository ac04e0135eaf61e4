"""Identities as symcheck decided them, kept for the independent kernels.

``Decided`` keeps one identity with its SymPy sides and its ``exact.decide.Decision``,
so that z3, cvc5 or Coq (``symcheck.kernels``) can re-check or export exactly what
was decided; ``KernelCheck`` is what one kernel said about
the identities of one check.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from .decide import Decision
from .verdict import Status


@dataclass(frozen=True)
class Decided:
    """One identity ``lhs = rhs`` as symcheck decided it, kept with its SymPy
    objects so that an independent kernel (``symcheck.kernels``) can re-check
    or export exactly what was decided."""

    position: tuple
    reference: tuple | None  # None: the identity is ``entry = 0``
    lhs: object
    rhs: object
    decision: Decision

    @property
    def status(self) -> Status:
        return self.decision.status

    @property
    def method(self) -> str:
        return self.decision.method


@dataclass(frozen=True)
class KernelCheck:
    """What one independent kernel (z3, Coq) said about the identities of one check."""

    kernel: str
    status: Status  # proved (every identity) | refuted (a counterexample) | undecided
    counts: tuple[tuple[Status, int], ...]  # (status, how many identities), sorted
    note: str = ""  # e.g. which functions the kernel took as arbitrary
    #: every identity the kernel did not prove: (position, reference, status, detail); the others it proved
    exceptions: tuple[tuple, ...] = ()

    def __post_init__(self):
        # a kernel's word is a verdict: anything but proved / refuted / undecided is a bug here
        object.__setattr__(self, "status", Status(self.status))

    def describe(self) -> str:
        counts = ", ".join(f"{n} {status}" for status, n in self.counts) or "nothing to check"
        return f"{self.kernel}: {counts}" + (f" ({self.note})" if self.note else "")


def kernel_summary(check) -> str:
    """'; z3: 4 proved' for a check that independent kernels re-checked, else ''."""
    return "".join(f"; {k.describe()}" for k in getattr(check, "kernels", ()))


def kernels_data(check) -> dict:
    """The same as JSON-ready data: kernel -> status, counts, note."""
    def identity(position, reference, status, detail) -> dict:
        return {"position": list(position), "reference": None if reference is None else list(reference),
                "status": status, "detail": detail}

    return {k.kernel: {"status": k.status, "identities": dict(k.counts), "note": k.note,
                       "not_proved": [identity(*e) for e in k.exceptions]}
            for k in check.kernels}


def as_fraction(value) -> Fraction:
    """An exact SymPy rational as a Python Fraction, for independent re-checks."""
    rational = sp.Rational(value)
    return Fraction(int(rational.p), int(rational.q))
