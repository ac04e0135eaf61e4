"""Deciding whether two SymPy expressions are equal for *every* value of their
free symbols -- the only kind of "equal" a proof may use.

The decision tries, in order:

1. **syntactic**: the canonical SymPy trees are identical. SymPy builds a
   unique tree per sum/product up to ordering, so identical trees denote the
   same function: a proof, with no sampling.
2. **counterexample search**: evaluate lhs - rhs at a few random rational
   points with 50-digit arithmetic (the generic activation f replaced by a
   concrete stand-in, which is a legitimate instance of "every f"). A clearly
   nonzero value refutes the identity and is returned as the witness.
3. **normal forms**: ``expand``, then ``cancel`` (rational-function normal
   form, treating function applications such as sigmoid(o) as variables),
   then ``sympy.simplify`` below a size bound -- cheapest first, each an exact
   rewriting, each enough to prove identities built in different ways.

Anything else is *undecided*: never reported as proved.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp

from ..model.activations import f, f_prime

from .verdict import PROVED, REFUTED, UNDECIDED
SYNTACTIC, EXPAND, CANCEL, SIMPLIFY, EVALUATION = (
    "syntactic identity",
    "expand(lhs - rhs) = 0",
    "cancel(lhs - rhs) = 0",
    "simplify(lhs - rhs) = 0",
    "exact evaluation",
)

#: Above these many operations a normal form can take minutes; report undecided instead.
#: ``expand``/``cancel`` are polynomial-time rewritings, ``simplify`` is a heuristic search.
NORMAL_FORM_MAX_OPS = 5000
SIMPLIFY_MAX_OPS = 400
EVALUATION_DIGITS = 50
#: |lhs - rhs| above this at 50 digits is not rounding noise.
NONZERO_THRESHOLD = sp.Float("1e-30", EVALUATION_DIGITS)

#: For numeric evaluation the uninterpreted activation f is instantiated as tanh:
#: a counterexample for one activation refutes a claim about every activation.
STAND_INS = {f: sp.tanh, f_prime: sp.Lambda(sp.Symbol("t"), 1 - sp.tanh(sp.Symbol("t")) ** 2)}


@dataclass(frozen=True)
class Decision:
    status: str  # proved | refuted | undecided
    method: str
    #: for a refutation: the rational point and the two sides' values there
    witness: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Decided:
    """One identity ``lhs = rhs`` as symcheck decided it, kept with its SymPy
    objects so that an independent kernel (``symcheck.kernels``) can re-check
    or export exactly what was decided."""

    position: tuple
    reference: tuple | None  # None: the identity is ``entry = 0``
    lhs: object
    rhs: object
    status: str
    method: str


@dataclass(frozen=True)
class KernelCheck:
    """What one independent kernel (z3, Coq) said about the identities of one check."""

    kernel: str
    status: str  # proved (every identity) | refuted (a counterexample) | undecided
    counts: tuple[tuple[str, int], ...]  # (status, how many identities), sorted
    note: str = ""  # e.g. which functions the kernel took as arbitrary
    #: every identity the kernel did not prove: (position, reference, status, detail); the others it proved
    exceptions: tuple[tuple, ...] = ()

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


def decide_equal(lhs, rhs, seed: int = 0, trials: int = 3) -> Decision:
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    if lhs == rhs:
        return Decision(PROVED, SYNTACTIC)
    difference = lhs - rhs
    if difference == 0:
        return Decision(PROVED, SYNTACTIC)
    witness = find_witness(lhs, rhs, seed=seed, trials=trials)
    if witness is not None:
        return Decision(REFUTED, EVALUATION, witness)
    return prove_by_normal_forms(lhs, rhs)


def prove_by_normal_forms(lhs, rhs) -> Decision:
    """Stage 3 alone: proved when a normal form of lhs - rhs is 0, else undecided (never refuted).

    For callers that ran their own counterexample search already."""
    difference = sp.sympify(lhs) - sp.sympify(rhs)
    if difference == 0:
        return Decision(PROVED, SYNTACTIC)
    size = sp.count_ops(difference)
    for method, normal_form, bound in ((EXPAND, sp.expand, NORMAL_FORM_MAX_OPS),
                                       (CANCEL, sp.cancel, NORMAL_FORM_MAX_OPS),
                                       (SIMPLIFY, sp.simplify, SIMPLIFY_MAX_OPS)):
        if size <= bound and normal_form(difference) == 0:
            return Decision(PROVED, method)
    return Decision(UNDECIDED, "neither identical nor refuted at sampled points")


def random_rational(rng: random.Random) -> sp.Rational:
    """A small nonzero rational such as 3/7, avoiding kinks at 0."""
    numerator = rng.choice([n for n in range(-9, 10) if n != 0])
    return sp.Rational(numerator, rng.randint(1, 9))


def find_witness(lhs, rhs, seed: int = 0, trials: int = 3) -> dict | None:
    """A rational point where lhs and rhs clearly differ, or None."""
    rng = random.Random(seed)
    symbols = sorted(
        (lhs.free_symbols | rhs.free_symbols), key=lambda s: s.name
    )
    for _ in range(trials):
        point = {s: random_rational(rng) for s in symbols}
        left, right = evaluate(lhs, point), evaluate(rhs, point)
        if left is None or right is None:
            continue
        if abs(left - right) > NONZERO_THRESHOLD:
            return {
                "point": {s.name: point[s] for s in symbols},
                "lhs": left,
                "rhs": right,
                "stand_in": "f = tanh" if _mentions_generic(lhs, rhs) else None,
            }
    return None


def evaluate(expr, point: dict):
    """expr at point: exact when SymPy can, else 50 digits; None if not a real number."""
    value = expr.xreplace(point)
    if value.has(f, f_prime):
        value = value.replace(f, STAND_INS[f]).replace(f_prime, STAND_INS[f_prime])
    value = value.doit() if value.has(sp.Subs, sp.Derivative) else value
    try:
        number = value.evalf(EVALUATION_DIGITS) if not value.is_Rational else value
    except (TypeError, ValueError):  # pragma: no cover - exotic expressions
        return None
    if not number.is_number or not number.is_extended_real or not number.is_finite:
        return None
    return number


def _mentions_generic(*exprs) -> bool:
    return any(e.has(f, f_prime) for e in exprs)


def as_fraction(value) -> Fraction:
    """An exact SymPy rational as a Python Fraction, for independent re-checks."""
    rational = sp.Rational(value)
    return Fraction(int(rational.p), int(rational.q))
