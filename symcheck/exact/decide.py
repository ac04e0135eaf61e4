"""Deciding one identity ``lhs = rhs`` of a training step: syntactic identity, a
counterexample search at range-aware rational points on the expression DAG, then
bounded normal forms."""

from __future__ import annotations

import functools

import mpmath
import sympy as sp

from .evaluation import dag_free_symbols, evaluate_many
from .identities import prove_by_normal_forms
from .sampling import Sampler
from .verdict import PROVED, REFUTED, UNDECIDED

THRESHOLD = mpmath.mpf(10) ** -30  # far above 60-digit rounding, far below any real difference
CLEAR = mpmath.mpf(10) ** -6  # a relative difference anyone can see in float64


def _sympy_point(point: dict, symbols) -> dict:
    by_name = {s.name: s for s in symbols}
    return {by_name[name]: sp.Rational(q.numerator, q.denominator) for name, q in point.items() if name in by_name}


def search_witness(lhs, rhs, sampler: Sampler, trials: int | None = None, derived: dict | None = None):
    """A meaningful rational point where lhs and rhs clearly differ: (point, left, right) or None.

    A difference far above rounding but tiny relative to the values (a saturated
    tanh, say) is still a witness; a later trial with a plainly visible
    difference is preferred, so counterexamples read well.

    ``derived`` (symbol -> expression, in an order where each expression uses only
    symbols defined before it) names shared subexpressions: those symbols are not
    sampled but computed from the point, and the point lists only the others."""
    derived, symbols = _needed(dag_free_symbols(lhs, rhs), derived or {})
    best, best_gap = None, None
    for _ in range(sampler.trials if trials is None else trials):
        point = sampler.point(symbols)
        at = _sympy_point(point, symbols)
        if not _add_derived(at, derived):
            continue
        left, right = evaluate_many([lhs, rhs], at)
        if left is None or right is None:
            continue
        gap = abs(left - right)
        if gap <= THRESHOLD:
            continue
        if gap > CLEAR * max(1, abs(left), abs(right)):
            return point, left, right
        if best is None or gap > best_gap:
            best, best_gap = (point, left, right), gap
    return best


@functools.lru_cache(maxsize=4096)
def _symbols_of(expression) -> frozenset:
    """A derived symbol's definition is read for every witness search of a trace: walk it once."""
    return frozenset(dag_free_symbols(expression))


def _needed(free: set, derived: dict) -> tuple[dict, set]:
    """The derived symbols that ``free`` reaches (in ``derived``'s order) and the sampled ones."""
    reached, sampled, stack = set(), set(), list(free)
    while stack:
        symbol = stack.pop()
        if symbol in reached or symbol in sampled:
            continue
        if symbol in derived:
            reached.add(symbol)
            stack.extend(_symbols_of(derived[symbol]))
        else:
            sampled.add(symbol)
    return {s: e for s, e in derived.items() if s in reached}, sampled


def _add_derived(at: dict, derived: dict) -> bool:
    """Values of the derived symbols at ``at``, in order; False if one is not a real number.

    Definitions that do not use each other (one training step's entries) are evaluated in one
    call, so the subexpressions they share (that step's forward pass) are computed once."""
    batch: list = []

    def flush() -> bool:
        values = evaluate_many([derived[symbol] for symbol in batch], at)
        if any(value is None for value in values):
            return False
        at.update(zip(batch, values))
        batch.clear()
        return True

    for symbol, expression in derived.items():
        if not _symbols_of(expression).isdisjoint(batch) and not flush():
            return False
        batch.append(symbol)
    return flush()


def decide(lhs, rhs, sampler: Sampler, concrete: bool = False):
    """(status, method, witness or None) for one identity."""
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    if lhs == rhs:
        # at a concrete point both sides are numbers: equal there proves nothing about all points
        return (UNDECIDED, "equal at the sampled point only", None) if concrete else (PROVED, "syntactic identity", None)
    found = search_witness(lhs, rhs, sampler)
    if found is not None:
        return REFUTED, "exact evaluation at a rational point", found
    if concrete:
        return UNDECIDED, "equal at the sampled point only", None
    decision = prove_by_normal_forms(lhs, rhs)  # proved or undecided: the search above was the refuting stage
    return decision.status, decision.method, None


