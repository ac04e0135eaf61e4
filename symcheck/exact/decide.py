"""The one equality decider: is ``lhs = rhs`` for every value of the free symbols?

``decide_equal`` tries, in order:

1. **syntactic identity**: SymPy builds one canonical tree per sum and product up
   to ordering, so identical trees (or a difference that SymPy reduces to 0)
   denote the same function: a proof, with no sampling. Two exact rational
   numbers that differ are refuted here too.
2. **counterexample search**: both sides evaluated on the expression DAG
   (``exact.evaluation``) at rational points that respect what each symbol means
   (``exact.sampling.Sampler``), with the one precision policy below. A
   difference that survives it refutes the identity; the witness is the exact
   rational point and the two sides' values there.
3. **normal forms**: ``expand``, then ``cancel`` (rational-function normal form,
   function applications such as sigmoid(o) treated as variables), then
   ``sympy.simplify`` below a size bound: cheapest first, each an exact rewriting.
   A normal form 0 proves the identity; anything else is *undecided*.

A witness of stage 2 is a refutation only once a route that shares nothing with the DAG
evaluator confirms it (``exact.recheck.confirmed_by_sympy``): SymPy's own arithmetic at
the exact rational point (exact where the values are rational, ``evalf`` at 80 digits
elsewhere, one common subexpression at a time), the difference large against every
magnitude that route met. A witness it does not confirm leaves the identity undecided.
``decide_equal`` and ``decide_all`` both apply it, so every caller gets it.

In **concrete mode** the symbols were fixed at one point before the sides were
built, or the sides are values at given numbers (``at``): equal there proves
nothing about all points, so the decider refutes or stays undecided, never proves.

Precision policy, the decider's one (every comparison of two evaluated sides here uses it; the
replayer's 60-digit comparison has its own, ``oracle.replay.DIFFERENCE_THRESHOLD``, in
``oracle.tolerances``):

=================  ========  ==================================================
name               value     why
=================  ========  ==================================================
``DIGITS``         60        working precision of the DAG evaluator
``CHECK_DIGITS``   45        a candidate difference is evaluated again here: a
                             real difference is the same at both precisions to
                             about 15 digits, rounding noise grows 10^15-fold
                             (huge terms that cancel, a division by a rounded 0)
``RELATIVE``       1e-30     (``exact.evaluation``, shared with the jump check
                             and the re-check) the difference must exceed this times the largest
                             magnitude the evaluation met (the point, every
                             subexpression, both sides): 30 digits above the
                             60-digit rounding of the largest term, so no
                             cancellation of large terms reads as a difference;
                             this is also the floor when both sides are near 0
``STABLE``         1e-3      the two precisions' differences agree to this
                             relative amount: 12 digits of room on each side
``CLEAR``          1e-6      not a threshold, a preference: a witness whose
                             relative difference a float64 reader can see ends
                             the search; otherwise the largest one is kept
=================  ========  ==================================================

There is no absolute threshold: a true identity whose sides are about 10^40
is not refuted by its rounding, and a real difference of 10^-20 relative is.
"""

from __future__ import annotations

from fractions import Fraction
from dataclasses import dataclass, field

import mpmath
import sympy as sp

from .. import budget
from ..errors import InvalidExpression
from .evaluation import DIGITS, RELATIVE, dag_free_symbols, evaluate_checked, symbols_of
from .recheck import confirmed_by_sympy
from .sampling import Sampler
from .verdict import PROVED, REFUTED, UNDECIDED, Status

CHECK_DIGITS = 45
STABLE = mpmath.mpf(10) ** -3
CLEAR = mpmath.mpf(10) ** -6

SYNTACTIC = "syntactic identity"
EXACT_NUMBERS = "exact evaluation"
EVALUATION = "exact evaluation at a rational point"
EXPAND, CANCEL, SIMPLIFY = "expand(lhs - rhs) = 0", "cancel(lhs - rhs) = 0", "simplify(lhs - rhs) = 0"
NOT_DECIDED = "neither identical nor refuted at sampled points"
AT_POINT_ONLY = "equal at the sampled point only"
UNCONFIRMED = "a witness of the evaluator that SymPy's own arithmetic did not confirm"

#: Above these many operations a normal form can take minutes; report undecided instead.
#: ``expand``/``cancel`` are polynomial-time rewritings, ``simplify`` is a heuristic search.
NORMAL_FORM_MAX_OPS = 5000
SIMPLIFY_MAX_OPS = 400
#: Seconds the normal forms of one identity may take (within the command's own budget): a
#: heuristic such as simplify's trigsimp can run for ever on a small input.
NORMAL_FORM_SECONDS = 20.0


@dataclass(frozen=True)
class Decision:
    """How one identity ``lhs = rhs`` was decided, with its evidence."""

    status: Status
    method: str
    #: refuted at a sampled point: symbol name -> Fraction, the exact rational point
    point: dict = field(default_factory=dict)
    #: refuted: the two sides there (exact SymPy rationals, or 60-digit mpmath numbers)
    lhs_value: object = None
    rhs_value: object = None

    @property
    def witness(self) -> tuple | None:
        """(point, lhs value, rhs value) of a refutation, else None."""
        return (self.point, self.lhs_value, self.rhs_value) if self.status == REFUTED else None


def decide_equal(lhs, rhs, sampler: Sampler | None = None, *, concrete: bool = False, trials: int | None = None,
                 derived: dict | None = None, at: dict | None = None) -> Decision:
    """Decide ``lhs = rhs`` (see the module docstring).

    ``sampler``: where to look for counterexamples (default: any real values, seed 0);
    ``trials``: how many points (default the sampler's; 0 skips the search);
    ``derived`` (symbol -> expression, each using only symbols defined before it): symbols
    standing for shared subexpressions, computed from the point rather than sampled;
    ``at`` (symbol -> number): decide at these values only (concrete mode)."""
    lhs, rhs = expression(lhs), expression(rhs)
    concrete = concrete or at is not None
    if lhs == rhs:
        return Decision(UNDECIDED, AT_POINT_ONLY) if concrete else Decision(PROVED, SYNTACTIC)
    found = _refuting_stages(lhs, rhs, sampler or Sampler(), trials, derived, at)
    if found is not None:
        return found
    if concrete:
        return Decision(UNDECIDED, AT_POINT_ONLY)
    return prove_by_normal_forms(lhs, rhs)  # proved or undecided: the search was the refuting stage


def expression(value) -> sp.Expr:
    """``value`` as a SymPy expression: SymPy expressions and Python numbers only. Text is never
    parsed here (that is ``model.safe_expr``'s job, with its small safe language)."""
    if isinstance(value, sp.Expr):
        return value
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return sp.sympify(value)
    raise InvalidExpression(f"the decider compares SymPy expressions or numbers, not {type(value).__name__}")


def decide_all(pairs, sampler: Sampler, derived: dict | None = None) -> list[Decision]:
    """Decide a conjunction of identities: search every pair for a counterexample before
    any normal form (one refutation settles the conjunction, and the search is cheap).
    Returns one Decision per pair, or ends at the first refuted pair."""
    pairs = [(expression(lhs), expression(rhs)) for lhs, rhs in pairs]
    searched: dict = {}  # index -> what the refuting stages said (a witness SymPy did not confirm)
    for done, (lhs, rhs) in enumerate(pairs):
        budget.check()
        found = None if lhs == rhs else _refuting_stages(lhs, rhs, sampler, None, derived, None)
        if found is not None and found.status == REFUTED:
            return [searched.get(index) or (Decision(PROVED, SYNTACTIC) if a == b else Decision(UNDECIDED, NOT_DECIDED))
                    for index, (a, b) in enumerate(pairs[:done])] + [found]
        if found is not None:
            searched[done] = found
    decisions = []
    for index, (lhs, rhs) in enumerate(pairs):
        budget.check()
        if lhs == rhs:
            decisions.append(Decision(PROVED, SYNTACTIC))
        else:
            decisions.append(searched.get(index) or prove_by_normal_forms(lhs, rhs))
    return decisions


def _refuting_stages(lhs, rhs, sampler: Sampler, trials, derived, at) -> Decision | None:
    """The stages that can refute, shared by ``decide_equal`` and ``decide_all``: two different
    rationals, then a counterexample at ``at`` or from the search, released only once SymPy's own
    arithmetic confirms it (else undecided). None when no stage found a difference."""
    if lhs.is_Rational and rhs.is_Rational:
        return Decision(REFUTED, EXACT_NUMBERS, {}, lhs, rhs)
    if at is not None:
        found = differ_at(lhs, rhs, at, derived)
    else:
        found = find_counterexample(lhs, rhs, sampler, trials, derived)
    return None if found is None else _released(found, lhs, rhs, at or {}, derived or {})


def prove_by_normal_forms(lhs, rhs) -> Decision:
    """Stage 3 alone: proved when a normal form of lhs - rhs is 0, else undecided (never refuted).
    The normal forms share ``NORMAL_FORM_SECONDS``: when it runs out the identity is undecided."""
    difference = expression(lhs) - expression(rhs)
    if difference == 0:
        return Decision(PROVED, SYNTACTIC)
    finished, method = budget.attempt(NORMAL_FORM_SECONDS, lambda: _zero_normal_form(difference))
    return Decision(PROVED, method) if finished and method else Decision(UNDECIDED, NOT_DECIDED)


def _zero_normal_form(difference) -> str | None:
    """The first normal form (cheapest first) that reduces ``difference`` to 0, or None."""
    size = sp.count_ops(difference)
    for method, normal_form, bound in ((EXPAND, sp.expand, NORMAL_FORM_MAX_OPS),
                                       (CANCEL, sp.cancel, NORMAL_FORM_MAX_OPS),
                                       (SIMPLIFY, sp.simplify, SIMPLIFY_MAX_OPS)):
        if size <= bound and normal_form(difference) == 0:
            return method
    return None


# ------------------------------------------------------------ independent re-check

def _released(found: Decision, lhs, rhs, at: dict, derived: dict) -> Decision:
    """``found`` when SymPy confirms its witness, else undecided: one unconfirmed witness is
    no refutation (and, the search being the refuting stage, no proof either)."""
    derived, sampled = _needed(dag_free_symbols(lhs, rhs), derived)  # what the search computed
    point = dict(at)
    point.update(_sympy_point(found.point, sampled))
    if confirmed_by_sympy(lhs, rhs, point, derived):
        return found
    return Decision(UNDECIDED, UNCONFIRMED)


# ------------------------------------------------------------ counterexample search

def find_counterexample(lhs, rhs, sampler: Sampler, trials: int | None = None,
                        derived: dict | None = None) -> Decision | None:
    """A refutation at a meaningful rational point where lhs and rhs differ, or None.

    A difference far above rounding but tiny relative to the values (a saturated
    tanh, say) is still a witness; a later trial with a plainly visible
    difference is preferred, so counterexamples read well.

    ``derived`` (symbol -> expression, in an order where each expression uses only
    symbols defined before it) names shared subexpressions: those symbols are not
    sampled but computed from the point, and the point lists only the others."""
    derived, symbols = _needed(dag_free_symbols(lhs, rhs), derived or {})
    best, best_gap = None, None
    for _ in range(sampler.trials if trials is None else trials):
        point = sampler.point_in_domains(symbols)
        if point is None:  # outside a symbol's domain (an assumption the draws cannot honour)
            continue
        at = _sympy_point(point, symbols)
        found = _differing_sides(lhs, rhs, at, derived)
        if found is None:
            continue
        left, right = found
        gap = abs(left - right)
        decision = Decision(REFUTED, EVALUATION, point, left, right)
        if gap > CLEAR * max(1, abs(left), abs(right)):
            return decision
        if best is None or gap > best_gap:
            best, best_gap = decision, gap
    return best


def differ_at(lhs, rhs, at: dict, derived: dict | None = None) -> Decision | None:
    """A refutation at the given values (symbol -> number), or None: concrete mode. ``derived``
    as for ``find_counterexample``: values defined by expressions, computed at each precision."""
    derived, symbols = _needed(dag_free_symbols(lhs, rhs), derived or {})
    if symbols - set(at):
        return None
    found = _differing_sides(lhs, rhs, dict(at), derived)
    return None if found is None else Decision(REFUTED, EVALUATION, {}, *found)


def _differing_sides(lhs, rhs, at: dict, derived: dict):
    """(lhs value, rhs value) when the sides differ under the precision policy, else None.

    No witness either where a jump (Heaviside, a Piecewise condition, sign, floor) read an
    argument that is 0 up to rounding, or where the two precisions took different branches."""
    first = _sides(lhs, rhs, dict(at), derived, DIGITS)
    if first is None:
        return None
    left, right, scale, branches = first
    gap = left - right
    if abs(gap) <= RELATIVE * scale:
        return None
    second = _sides(lhs, rhs, dict(at), derived, CHECK_DIGITS)
    if second is None or second[3] != branches or abs((second[0] - second[1]) - gap) > STABLE * abs(gap):
        return None  # the difference moved with the precision: rounding, not a difference
    return left, right


def _sides(lhs, rhs, at: dict, derived: dict, digits: int):
    """(lhs, rhs, largest magnitude met, branches of the jumps) at ``at`` with ``digits`` digits,
    derived symbols computed first; None when a value is not a finite real number or a jump
    read rounding noise."""
    computed = _add_derived(at, derived, digits)
    if computed is None:
        return None
    scale, scales, branches = computed
    sides = evaluate_checked([lhs, rhs], at, digits, scales)
    left, right = sides.values
    if left is None or right is None or sides.noisy:
        return None
    return left, right, max(scale, sides.scale), branches + sides.branches


def _sympy_point(point: dict, symbols) -> dict:
    by_name = {s.name: s for s in symbols}
    return {by_name[name]: sp.Rational(q.numerator, q.denominator) for name, q in point.items() if name in by_name}


def _needed(free: set, derived: dict) -> tuple[dict, set]:
    """The derived symbols that ``free`` reaches (in ``derived``'s order) and the sampled ones."""
    reached, sampled, stack = set(), set(), list(free)
    while stack:
        symbol = stack.pop()
        if symbol in reached or symbol in sampled:
            continue
        if symbol in derived:
            reached.add(symbol)
            stack.extend(symbols_of(derived[symbol]))
        else:
            sampled.add(symbol)
    return {s: e for s, e in derived.items() if s in reached}, sampled


def _add_derived(at: dict, derived: dict, digits: int):
    """Values of the derived symbols at ``at``, in order; returns the largest magnitude met
    computing them, that magnitude per symbol, and the branches of the jumps met; None if one
    is not a real number or a jump read rounding noise.

    Definitions that do not use each other (one training step's entries) are evaluated in one
    call, so the subexpressions they share (that step's forward pass) are computed once."""
    batch: list = []
    scale = mpmath.mpf(0)
    scales: dict = {}
    branches: list = []

    def flush() -> bool:
        nonlocal scale
        computed = evaluate_checked([derived[symbol] for symbol in batch], at, digits, scales)
        if computed.noisy or any(value is None for value in computed.values):
            return False
        at.update(zip(batch, computed.values))
        scales.update(zip(batch, computed.scales))
        scale = max(scale, computed.scale)
        branches.extend(computed.branches)
        batch.clear()
        return True

    for symbol, definition in derived.items():
        if not symbols_of(definition).isdisjoint(batch) and not flush():
            return None
        batch.append(symbol)
    return (scale, scales, branches) if flush() else None


def show_value(value, digits: int = 20) -> str:
    """A side's value for people: an exact rational as it is, anything else to ``digits`` digits."""
    if isinstance(value, mpmath.mpf):
        return mpmath.nstr(value, digits)
    value = sp.sympify(value)
    return str(value) if value.is_Rational else str(sp.Float(value, digits))


__all__ = ["Decision", "decide_all", "decide_equal", "find_counterexample", "prove_by_normal_forms", "show_value"]
