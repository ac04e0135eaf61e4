"""Exact values of the handout's computations: zero or not, equal or not, and their floats.

Values are evaluated by ``symcheck.exact.evaluation`` (the DAG evaluator, 60 digits);
an expression that SymPy does not reduce to 0 is nonzero only when the equality decider
(``exact.decide``) refutes "= 0" with the stand-in symbols given by their definitions, so
each precision of its policy recomputes them and sees the cancellations that made them."""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..model.activations import elu, leaky_relu, relu
from ..symbolic.backprop import as_parameters
from ..exact.evaluation import flatten
from ..exact.decide import decide_equal
from ..exact.evaluation import evaluate_many
from ..exact.verdict import REFUTED
from ..oracle.numeric import worst_gap
from ..model.spec import MLP
from ..exact.evaluation import float_values

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
        #: stand-in symbol -> its exact expression (in earlier stand-ins), in creation order: the
        #: decider recomputes a stand-in at each precision from it (a 60-digit value alone cannot
        #: say that it is a rounded 0)
        self.definitions: dict = {}

    def abstract_parameters(self, params: dict) -> dict:
        fresh = list(dict.fromkeys(e for value in params.values() for e in flatten(value)
                                   if not (e.is_Rational or e.is_Symbol) and e not in self.names))
        for expr, value in zip(fresh, evaluate_many(fresh, self.point)):
            symbol = sp.Symbol(f"_s{len(self.names)}", real=True)
            self.names[expr] = symbol
            self.definitions[symbol] = expr
            if value is not None:  # an unknown value leaves every question about it undecided
                self.point[symbol] = value

        def abstract(e):
            return self.names.get(e, e)
        return {name: tuple(tuple(abstract(e) for e in row) for row in value)
                if value and isinstance(value[0], tuple) else tuple(abstract(e) for e in value)
                for name, value in params.items()}

    def settle_kinks(self, expr):
        """Replace every kink (ReLU, leaky ReLU, ELU, their Heaviside or piecewise derivatives)
        whose argument has a clear sign at the point by the branch that sign selects.

        The stand-in symbols are fixed exact numbers, so a 60-digit value clearly away from 0
        decides the sign; a dead ReLU unit's gradient then reduces to an exact 0 (ReLU cases at
        rational points are decidable). An argument too close to 0 is left alone."""
        for _ in range(MAX_KINK_ROUNDS):  # nested kinks settle from the inside out
            kinks = [k for k in expr.atoms(sp.Heaviside, sp.Piecewise, relu, leaky_relu, elu)
                     if not (k.free_symbols - set(self.point))]
            branches = {}
            for kink in kinks:
                argument = self.nonzero_value(_kink_argument(kink))
                if argument is not None:
                    branches[kink] = _branch(kink, argument > 0)
            branches = {k: v for k, v in branches.items() if v is not None}
            if not branches:
                return expr
            expr = expr.xreplace(branches)
        return expr

    def zeroness(self, expr) -> str:
        """Is an exact value 0? Proved (SymPy reduced it to 0, after settling kinks whose side is
        clear), refuted (60 digits say clearly not), or 'unknown' -- never guessed."""
        expr = sp.sympify(expr)
        if expr != 0:
            expr = self.settle_kinks(expr)
        if expr == 0:
            return ZERO
        return NONZERO if self.nonzero_value(expr) is not None else UNKNOWN

    def nonzero_value(self, expr):
        """The value of ``expr`` at the point when the decider shows it is not 0, else None."""
        decision = decide_equal(expr, sp.S.Zero, at={}, derived=self.definitions)
        return decision.lhs_value if decision.status == REFUTED else None

    def equal(self, a, b) -> bool | None:
        """True if identical, False if clearly different, None if undecided."""
        if a == b:
            return True
        return {ZERO: True, NONZERO: False}.get(self.zeroness(sp.sympify(a) - sp.sympify(b)))


#: Kinks nested deeper than this stay unsettled (undecided, never guessed).
MAX_KINK_ROUNDS = 8


def _kink_argument(kink):
    """The expression whose sign selects the branch: the argument, or the Piecewise's x in x > 0."""
    if isinstance(kink, sp.Piecewise):
        condition = kink.args[0].cond
        return condition.lhs - condition.rhs if isinstance(condition, sp.StrictGreaterThan) else sp.nan
    return kink.args[0]


def _branch(kink, positive: bool):
    """The kink's value on one side of 0 (None when its form is not the two-branch x > 0 one)."""
    if isinstance(kink, sp.Heaviside):
        return sp.Integer(1 if positive else 0)
    form = kink if isinstance(kink, sp.Piecewise) else kink.explicit(kink.args[0])
    if len(form.args) != 2 or form.args[1].cond is not sp.true:
        return None
    return form.args[0].expr if positive else form.args[1].expr


def parameters(spec: MLP, fill) -> dict:
    """Exact parameters: ``fill(name, shape)`` returns nested lists of numbers."""
    return as_parameters(spec, {name: fill(name, spec.parameter_shape(name)) for name in spec.parameter_names})


def max_difference(exact: dict, numeric: dict) -> float:
    """Entry by entry, relative to each entry (floored at 1: the handout's values are small
    rationals chosen to be about that size); inf when either side is NaN or inf."""
    floats = float_values(exact)
    return max(worst_gap(floats[n], numeric[n], 1.0) if flatten(v) else 0.0 for n, v in exact.items())
