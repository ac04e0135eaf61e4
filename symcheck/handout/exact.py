"""Exact values of the handout's computations: zero or not, equal or not, and their floats.

Values are evaluated by ``symcheck.evaluation`` (the DAG evaluator, 60 digits);
zero is decided with the margin of ``identities``."""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..backprop import as_parameters
from ..crosscheck import flatten
from ..evaluation import evaluate_many
from ..identities import NONZERO_THRESHOLD
from ..numeric import worst_gap
from ..spec import MLP
from ..training import float_values

ZERO, NONZERO, UNKNOWN = "zero", "nonzero", "unknown"


class Evaluator:
    """Exact values kept small over many steps: a value that is not rational is replaced
    by a symbol standing for it (one symbol per distinct expression, its 60-digit value
    recorded in ``point``), so expressions do not nest sigmoid(W sigmoid(...) + b).
    Identical expressions get the same symbol, so an identity between the symbols holds
    between the values."""

    def __init__(self):
        self.point: dict = {}  # stand-in symbol -> its 60-digit mpmath value
        self.names: dict = {}  # exact expression -> the symbol that stands for it

    def abstract_parameters(self, params: dict) -> dict:
        fresh = list(dict.fromkeys(e for value in params.values() for e in flatten(value)
                                   if not (e.is_Rational or e.is_Symbol) and e not in self.names))
        for expr, value in zip(fresh, evaluate_many(fresh, self.point)):
            symbol = sp.Symbol(f"_s{len(self.names)}", real=True)
            self.names[expr] = symbol
            if value is not None:  # an unknown value leaves every question about it undecided
                self.point[symbol] = value

        def abstract(e):
            return self.names.get(e, e)
        return {name: tuple(tuple(abstract(e) for e in row) for row in value)
                if value and isinstance(value[0], tuple) else tuple(abstract(e) for e in value)
                for name, value in params.items()}

    def zeroness(self, expr) -> str:
        """Is an exact value 0? Proved (SymPy reduced it to 0), refuted (60 digits
        say clearly not), or 'unknown' -- never guessed."""
        expr = sp.sympify(expr)
        if expr == 0:
            return ZERO
        if expr.free_symbols - set(self.point):
            return UNKNOWN
        (value,) = evaluate_many([expr], self.point)
        return NONZERO if value is not None and abs(value) > NONZERO_THRESHOLD else UNKNOWN

    def equal(self, a, b) -> bool | None:
        """True if identical, False if clearly different, None if undecided."""
        if a == b:
            return True
        return {ZERO: True, NONZERO: False}.get(self.zeroness(sp.sympify(a) - sp.sympify(b)))


def parameters(spec: MLP, fill) -> dict:
    """Exact parameters: ``fill(name, shape)`` returns nested lists of numbers."""
    return as_parameters(spec, {name: fill(name, spec.parameter_shape(name)) for name in spec.parameter_names})


def max_difference(exact: dict, numeric: dict) -> float:
    """Entry by entry, relative to each entry (floored at 1: the handout's values are small
    rationals chosen to be about that size); inf when either side is NaN or inf."""
    floats = float_values(exact)
    return max(worst_gap(floats[n], numeric[n], 1.0) if flatten(v) else 0.0 for n, v in exact.items())
