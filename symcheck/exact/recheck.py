"""The independent re-check of a counterexample: SymPy's own arithmetic at the witness point.

The decider finds witnesses with the DAG evaluator (``exact.evaluation``, mpmath);
``confirmed_by_sympy`` recomputes both sides with none of that evaluator's arithmetic: SymPy's
own constructors on SymPy numbers, each distinct subexpression once, exact rational arithmetic
where the values are rational and ``evalf`` at ``RECHECK_DIGITS`` digits elsewhere (it shares
only the precision policy ``RELATIVE`` and the symbol walk ``symbols_of``). A witness it does
not confirm is no refutation.
"""

from __future__ import annotations

import functools

import sympy as sp

from .. import budget
from ..model.activations import STAND_IN_FORMS
from .evaluation import RELATIVE, symbols_of

#: the re-check works at this precision, above the evaluator's 60 digits
RECHECK_DIGITS = 80
#: the precision policy's ``RELATIVE`` as an exact SymPy number
_RELATIVE = sp.Rational(str(RELATIVE))


def confirmed_by_sympy(lhs, rhs, point: dict, derived: dict | None = None) -> bool:
    """Whether SymPy's own arithmetic says lhs != rhs at ``point`` (symbol -> exact number),
    ``derived`` symbols (symbol -> definition, in order) computed from it first.

    A route that shares nothing with the DAG evaluator: each distinct subexpression is computed
    once by SymPy's own arithmetic on SymPy numbers, exact where they are rational, and by
    ``evalf`` at ``RECHECK_DIGITS`` digits elsewhere; the uninterpreted
    activation is its stand-in (``GENERIC_STAND_IN``). The difference must exceed ``RELATIVE``
    times every magnitude met; a value that is not a finite real number confirms nothing."""
    values = {symbol: sp.sympify(value) for symbol, value in point.items()}
    # a derived symbol's magnitude is the largest met computing it: a rounded 0 stays one
    magnitudes = {symbol: _size(value) for symbol, value in values.items()}
    for symbol, definition in (derived or {}).items():
        budget.check()
        used = tuple(sorted(((s, values[s], magnitudes[s]) for s in symbols_of(definition) if s in values),
                            key=lambda item: str(item[0])))
        computed = _definition_value(definition, used)
        if computed is None:
            return False
        values[symbol], magnitudes[symbol] = computed
    computed = _sympy_values([sp.sympify(lhs, strict=True), sp.sympify(rhs, strict=True)], values, magnitudes)
    if computed is None:
        return False
    (left, right), met = computed
    return abs(left - right) > _RELATIVE * max([met, *magnitudes.values()])


@functools.lru_cache(maxsize=4096)
def _definition_value(definition, used: tuple):
    """(value, largest magnitude met) of a derived symbol's definition at the values ``used``
    (triples symbol, number, magnitude met computing it), or None: remembered, because the
    handout asks about the same stand-ins at the same values again and again."""
    computed = _sympy_values([definition], {s: v for s, v, _ in used}, {s: m for s, _, m in used})
    return None if computed is None else (computed[0][0], computed[1])


def _sympy_values(exprs, values: dict, magnitudes: dict):
    """(values of ``exprs``, largest magnitude met) by SymPy, or None if one is not finite real.

    Each distinct subexpression is computed once, children first (an explicit stack, so a deep
    network's nesting is no recursion): SymPy's own constructor combines the children's numbers --
    exact where they are rational -- and ``evalf`` at ``RECHECK_DIGITS`` digits turns any other
    result into a Float. A branch of a Piecewise that is not taken may be complex, infinite or
    undefined; only the values of the expressions asked for must be finite real numbers.
    ``magnitudes``: for each symbol, the largest magnitude met computing its value."""
    known: dict = dict(values)
    magnitude = {symbol: magnitudes.get(symbol, _size(value)) for symbol, value in values.items()}  # node -> largest met
    for root in exprs:
        stack = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            if node in known:
                continue
            if node.is_Number:
                known[node], magnitude[node] = node, _size(node)
            elif not node.args:
                if node.is_Symbol:
                    return None  # a symbol without a value: nothing to re-check
                known[node], magnitude[node] = node, _size(node)  # a constant (pi, E, true): SymPy's own
            elif not children_done:
                stack.append((node, True))
                stack.extend((child, False) for child in node.args if child not in known)
            else:
                arguments = [known[child] for child in node.args]
                met = max((magnitude[child] for child in node.args), default=sp.S.Zero)
                value = _combined(node, arguments, met)
                known[node], magnitude[node] = value, max(met, _size(value))
    results = [known[root] for root in exprs]
    if not all(_finite_real(value) for value in results):
        return None
    return results, max(magnitude[root] for root in exprs)


def _combined(node, arguments: list, met):
    """``node`` with its arguments replaced by their numbers, as a number where it is one: a
    rational stays exact, anything else is evaluated to ``RECHECK_DIGITS`` digits; the
    uninterpreted activation is its stand-in. What would be read off a rounding error
    (``_decided_by_rounding``) or what SymPy cannot compute (a comparison with a complex or
    infinite value, a Piecewise without a true condition, an overflow) is NaN: it confirms nothing."""
    stand_in = STAND_IN_FORMS.get(type(node).__name__)
    try:
        if _decided_by_rounding(node, arguments, met):
            return sp.nan
        value = stand_in(*arguments) if stand_in is not None else node.func(*arguments)
        if isinstance(value, sp.Expr) and value.is_number and not value.is_Rational:
            value = value.evalf(RECHECK_DIGITS)
    except (TypeError, ValueError, ArithmeticError):
        return sp.nan
    return value


#: Functions whose value jumps where their argument is 0 (``floor``, ``ceiling``, ``frac`` and
#: ``Mod`` at integers, or multiples of the modulus).
_JUMPS = {"Heaviside", "sign", "floor", "ceiling", "frac", "Mod"}


def _decided_by_rounding(node, arguments: list, met) -> bool:
    """Whether ``node``'s value would be read off a rounding error: a jump, a comparison, a
    logarithm or a power with a negative or fractional exponent whose decisive argument is a Float
    within ``RELATIVE`` of the magnitudes that computed it (an exact 0 built from irrational parts
    evaluates to about 1e-80, and Heaviside of it is 0 or 1 by chance). Exact rationals decide."""
    name = type(node).__name__
    if node.is_Relational:
        decisive = arguments[0] - arguments[1]
    elif name in ("floor", "ceiling", "frac"):
        decisive = arguments[0] - sp.Integer(round(arguments[0])) if arguments[0].is_Float else arguments[0]
    elif name == "Mod":  # the distance to the nearest multiple of the modulus
        quotient = arguments[0] / arguments[1]
        decisive = arguments[0] - arguments[1] * sp.Integer(round(quotient)) if quotient.is_Float else quotient
    elif name in _JUMPS or name == "log":
        decisive = arguments[0]
    elif node.is_Pow and not (arguments[1].is_Integer and arguments[1] >= 0):
        decisive = arguments[0]
    else:
        return False
    return bool(isinstance(decisive, sp.Float) and abs(decisive) <= _RELATIVE * met)


def _size(value):
    """|value| for a finite real number, else 0 (booleans, complex or infinite values: no size)."""
    return abs(value) if isinstance(value, sp.Expr) and _finite_real(value) else sp.S.Zero


def _finite_real(value) -> bool:
    return bool(value.is_Number and value.is_real and value.is_finite)



__all__ = ["RECHECK_DIGITS", "confirmed_by_sympy"]
