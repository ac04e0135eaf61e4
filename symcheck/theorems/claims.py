"""What a claim kind is: an adapter that decides one kind of claim and returns a ``Verdict``.

Each kind lives in its own module under ``symcheck/theorems/kinds/`` and
defines ``KIND = ClaimKind(...)``; ``symcheck.theorems.kinds`` discovers the
modules into the registry ``CLAIMS``, so a new kind of claim is a new file. An adapter is small: it calls the engine (``prove_symmetry``,
``derive``, ...) for one concrete network and turns the result into a verdict
with its evidence. It must never return "proved" unless an independent route
agreed (the engine's cross-checks, or a check of its own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..exact.verdict import PROVED, REFUTED, UNDECIDED

STATUSES = (PROVED, REFUTED, UNDECIDED)


@dataclass(frozen=True)
class Verdict:
    """The outcome of one claim on one network: status, a one-line summary,
    evidence lines for people (the counterexample, the checks that agreed)
    and JSON-ready data for machines."""

    status: str
    summary: str
    evidence: tuple[str, ...] = ()
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ClaimKind:
    name: str
    description: str
    #: decide the claim of ``theorem`` for one network (``spec`` is None for general claims)
    run: Callable
    #: keys allowed in [claim] besides ``kind``: name -> what it means
    options: dict = field(default_factory=dict)
    #: which [training] keys the kind reads; others must keep their defaults
    training: frozenset = frozenset()
    #: accepts widths = "general" / accepts concrete widths
    general: bool = False
    concrete: bool = True
    #: load-time checks of the kind's options: (theorem, specs) -> None, raising theorem.error(...)
    validate_options: Callable | None = None
    #: the kind applies independent kernels (``symcheck.kernels``) when a theorem asks for them
    kernels: bool = False

    def validate(self, theorem, specs) -> None:
        if self.validate_options is not None:
            self.validate_options(theorem, specs)
