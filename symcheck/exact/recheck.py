"""The independent re-check of a counterexample: SymPy's own arithmetic at the witness point.

The decider finds witnesses with the DAG evaluator (``exact.evaluation``, mpmath);
``confirmed_by_sympy`` recomputes both sides with no code of that evaluator: common
subexpressions (``cse``) substituted with exact SymPy numbers, exact rational arithmetic where
the values are rational and ``evalf`` at ``RECHECK_DIGITS`` digits elsewhere. A witness it
does not confirm is no refutation.
"""

from __future__ import annotations

import functools

import sympy as sp

from .. import budget
from ..model.activation_forms import GENERIC_STAND_IN
from ..model.activations import get_activation
from .evaluation import RELATIVE, symbols_of

#: the re-check works at this precision, above the evaluator's 60 digits
RECHECK_DIGITS = 80
#: the precision policy's ``RELATIVE`` as an exact SymPy number
_RELATIVE = sp.Rational(str(RELATIVE))


def confirmed_by_sympy(lhs, rhs, point: dict, derived: dict | None = None) -> bool:
    """Whether SymPy's own arithmetic says lhs != rhs at ``point`` (symbol -> exact number),
    ``derived`` symbols (symbol -> definition, in order) computed from it first.

    A route that shares nothing with the DAG evaluator: each common subexpression (``cse``, so
    shared subtrees are computed once) is substituted with SymPy numbers, exact where they are
    rational, and evaluated by ``evalf`` at ``RECHECK_DIGITS`` digits; the uninterpreted
    activation is its stand-in (``GENERIC_STAND_IN``). The difference must exceed ``RELATIVE``
    times every magnitude met; a value that is not a finite real number confirms nothing."""
    values = {symbol: sp.sympify(value) for symbol, value in point.items()}
    scale = max((abs(v) for v in values.values()), default=sp.S.Zero)
    for symbol, definition in (derived or {}).items():
        budget.check()
        used = tuple(sorted(((s, values[s]) for s in symbols_of(definition) if s in values), key=str))
        computed = _definition_value(definition, used)
        if computed is None:
            return False
        values[symbol], met = computed
        scale = max(scale, met)
    computed = _sympy_values([sp.sympify(lhs, strict=True), sp.sympify(rhs, strict=True)], values)
    if computed is None:
        return False
    (left, right), met = computed
    return abs(left - right) > _RELATIVE * max(scale, met)


@functools.lru_cache(maxsize=4096)
def _definition_value(definition, used: tuple):
    """(value, largest magnitude met) of a derived symbol's definition at the values ``used``
    (pairs symbol, number), or None: remembered, because the handout asks about the same stand-ins
    at the same values again and again."""
    computed = _sympy_values([definition], dict(used))
    return None if computed is None else (computed[0][0], computed[1])


def _sympy_values(exprs, values: dict):
    """(values of ``exprs``, largest magnitude met) by SymPy, or None if one is not finite real."""
    replacements, reduced = sp.cse(list(exprs), symbols=sp.numbered_symbols(cls=sp.Dummy))
    known = dict(values)
    results, scale = [], sp.S.Zero
    for symbol, subexpression in [*replacements, *((None, e) for e in reduced)]:
        computed = _sympy_number(subexpression, known)
        if computed is None:
            return None
        value, met = computed
        scale = max(scale, met)
        if symbol is None:
            results.append(value)
        else:
            known[symbol] = value
    return results, scale


def _sympy_number(expression, known: dict):
    """(``expression`` with the known values substituted, as an exact SymPy number or an
    ``RECHECK_DIGITS``-digit Float; the largest magnitude of its terms), or None when it is not
    a finite real number. ``evalf`` may reduce a rounded 0 to a Float without digits: its
    terms' magnitudes are what that rounding is relative to."""
    number = expression.xreplace(known).replace(lambda e: type(e).__name__ in SYMPY_STAND_INS,
                                                lambda e: SYMPY_STAND_INS[type(e).__name__](*e.args))
    if number.is_Rational:
        return number, abs(number)
    value = number.evalf(RECHECK_DIGITS)
    if not _finite_real(value):
        return None
    met = abs(value)
    for term in sp.preorder_traversal(number):
        if term is not number and not term.is_Rational and term.is_number:
            term_value = term.evalf(RECHECK_DIGITS)
            if _finite_real(term_value):
                met = max(met, abs(term_value))
        elif term.is_Rational:
            met = max(met, abs(term))
    return value, met


def _finite_real(value) -> bool:
    return bool(value.is_Number and value.is_real and value.is_finite)


_STAND_IN = get_activation(GENERIC_STAND_IN)
#: The uninterpreted activation and its derivative, by class name: the stand-in's SymPy forms.
SYMPY_STAND_INS = {"f": _STAND_IN.symbolic, "f_prime": _STAND_IN.derivative,
                   "sigma": _STAND_IN.symbolic, "sigma_prime": _STAND_IN.derivative}


__all__ = ["RECHECK_DIGITS", "SYMPY_STAND_INS", "confirmed_by_sympy"]
