"""The symbolically derived gradient evaluated at a numeric point.

The gradient is derived by the layer recursion with every entry a symbol,
compiled with ``lambdify`` and evaluated at the point; the NumPy reference
backprop evaluates the same point independently and the two are compared.

Above ``SYMBOLIC_MAX_PARAMETERS`` parameters the per-entry symbolic gradient is
not built (one expression per entry: minutes and gigabytes at width 800); the
recursion is evaluated with NumPy float64 and cross-checked against the
independent plain-Python backprop of ``replay``, and the method says so."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp

from .. import budget
from ..oracle import numeric, replay, tolerances
from .backprop import backprop, data_symbols, generic_parameters
from .crosscheck import GradientComparison, compare_gradients
from ..exact.evaluation import evaluate_many
from ..model.point import Point
from ..model.spec import MLP


@dataclass(frozen=True)
class GradientEvaluation:
    spec: MLP
    loss: float
    gradients: dict  # name -> np.ndarray, shaped like the parameter
    cross_check: GradientComparison
    #: the size of the terms of the loss and of each entry (``numeric.batch_magnitudes``)
    loss_size: float
    sizes: dict
    #: "loss" and each parameter name -> an object array of Fractions: the exact value of the
    #: 60-digit evaluation at the point as written (``evaluation.DIGITS``; error below
    #: ``PRECISE_ROUNDING`` times the entry's terms); None if a value is not a finite real number
    precise: dict | None = None


#: the error of the 60-digit evaluation relative to the terms of an entry: each rounding is
#: below 1e-60 of what it rounds, which 1e-50 bounds for up to 1e10 roundings
PRECISE_ROUNDING = Fraction(1, 10**50)
#: a 60-digit value beyond 2**+-4096 has no float, and its Fraction would be enormous
MAX_BINARY_EXPONENT = 4096


def _symbols(spec: MLP, params) -> list:
    return [s for name in spec.parameter_names for s in np.ravel(np.array(params[name], dtype=object))]


#: the largest network whose gradient is derived entry by entry as SymPy expressions
SYMBOLIC_MAX_PARAMETERS = 20_000


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # a non-finite value fails the checks
def evaluate_gradient(spec: MLP, point: Point) -> GradientEvaluation:
    """Loss and gradient at ``point``; for a mini-batch both are summed over the examples.

    The expressions are derived and compiled once for one example with symbolic data and
    evaluated at each example; the sum of the per-example gradients is the gradient of the
    summed loss. The cross-check compares every example with NumPy's backprop, and the sums
    with ``numeric.batch_gradients``."""
    if spec.parameter_count > SYMBOLIC_MAX_PARAMETERS:
        return _numeric_gradient(spec, point)
    budget.phase(f"deriving the symbolic gradient of MLP {budget.brief(spec.name)}")
    params = generic_parameters(spec)
    x, y = data_symbols(spec)
    derived = backprop(spec, params, x, y)
    symbols = _symbols(spec, params)
    values = [float(v) for name in spec.parameter_names for v in np.ravel(point.parameters[name])]
    names = list(spec.parameter_names)
    flat = [e for name in names for e in np.ravel(np.array(derived.gradients[name], dtype=object))]
    totals = _precise_sums([*symbols, *x, *y], [derived.loss, *flat], spec, point)
    loss, *entries = [float("nan") if t is None else _float(t) for t in (totals or [None] * (1 + len(flat)))]
    gradients, precise, offset = {}, {"loss": np.array(totals[0], dtype=object) if totals else None}, 0
    for name in names:
        shape = spec.parameter_shape(name)
        size = int(np.prod(shape))
        gradients[name] = np.array(entries[offset:offset + size]).reshape(shape)
        if totals:
            precise[name] = np.array(totals[1 + offset:1 + offset + size], dtype=object).reshape(shape)
        offset += size
    comparison = compare_gradients(spec, params, derived.gradients, symbols, x, y,
                                   [(values, xe, ye) for xe, ye in point.examples])
    xs, ys = zip(*point.examples)
    numeric_loss, numeric_gradients = numeric.batch_gradients(spec, point.parameters, xs, ys)
    loss_size, sizes = numeric.batch_magnitudes(spec, point.parameters, xs, ys)
    # the sums entry by entry, each against the terms it is summed from (never the largest entry)
    summed = GradientComparison("", 1, max(numeric.worst_gap(gradients[name], numeric_gradients[name], sizes[name])
                                           for name in names), comparison.tolerance)
    if not summed.passed:
        comparison = GradientComparison(comparison.method + " (summed gradient differs)", comparison.points,
                                        max(summed.max_abs_difference, comparison.max_abs_difference),
                                        comparison.tolerance)
    if numeric.worst_gap(loss, numeric_loss, loss_size) > comparison.tolerance:
        comparison = GradientComparison(comparison.method + " (loss differs)", comparison.points, float("inf"),
                                        comparison.tolerance)
    return GradientEvaluation(spec, float(loss), gradients, comparison, loss_size, sizes,
                              precise if totals else None)


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # a non-finite value fails the check
def _numeric_gradient(spec: MLP, point: Point) -> GradientEvaluation:
    """The recursion (1)-(3) in NumPy float64 (summed over the examples), checked entry by entry
    against replay's independent plain-Python backprop."""
    budget.phase(f"evaluating the gradient of MLP {budget.brief(spec.name)} with NumPy")
    xs, ys = zip(*point.examples)
    loss, gradients = numeric.batch_gradients(spec, point.parameters, xs, ys)
    loss_size, sizes = numeric.batch_magnitudes(spec, point.parameters, xs, ys)
    budget.phase(f"cross-checking the gradient of MLP {budget.brief(spec.name)} in plain Python")
    params = {name: np.asarray(point.parameters[name], dtype=float).tolist() for name in spec.parameter_names}
    again = {name: np.zeros_like(value, dtype=float) for name, value in gradients.items()}
    for xe, ye in point.examples:
        replayed = replay.gradients(spec, params, [float(v) for v in xe], [float(v) for v in ye], replay.FLOAT)
        for name in again:
            again[name] += np.array(replayed[name], dtype=float)
    # each entry against the size of the terms it is summed from (``numeric.worst_gap``)
    worst = max(numeric.worst_gap(gradients[name], again[name], sizes[name]) for name in spec.parameter_names)
    if not np.isfinite(loss):
        worst = float("inf")
    method = (f"NumPy float64 backprop vs an independent plain-Python float backprop (above "
              f"{SYMBOLIC_MAX_PARAMETERS} parameters the gradient is not derived entry by entry)")
    comparison = GradientComparison(method, len(point.examples), worst, tolerances.SAME_FORMULA)
    return GradientEvaluation(spec, float(loss), gradients, comparison, loss_size, sizes)


def _precise_sums(symbols, expressions, spec: MLP, point: Point) -> list | None:
    """Each expression at the point as written (its decimals exactly, ``Point.exact``) in 60-digit
    arithmetic, summed over the examples as Fractions; None if any value is not a finite real number."""
    exact = point.exact_arrays()
    values = [_rational(v) for name in spec.parameter_names for v in np.ravel(exact[name])]
    xs, ys = (exact["x"], exact["y"]) if exact["x"].ndim == 2 else ([exact["x"]], [exact["y"]])
    totals = [Fraction(0)] * len(expressions)
    for xe, ye in zip(xs, ys):
        assignment = dict(zip(symbols, [*values, *map(_rational, xe), *map(_rational, ye)]))
        row = [_fraction(v) for v in evaluate_many(expressions, assignment)]
        if any(v is None for v in row):
            return None
        totals = [t + v for t, v in zip(totals, row)]
    return totals


def _rational(value: Fraction) -> sp.Rational:
    return sp.Rational(value.numerator, value.denominator)


def _fraction(value) -> Fraction | None:
    """The exact value of a 60-digit mpmath number (mantissa * 2**exponent), if it is in range."""
    if value is None or not mpmath.isfinite(value):
        return None
    sign, mantissa, exponent, bits = mpmath.mpf(value)._mpf_  # man_exp drops the sign
    if mantissa == 0:
        return Fraction(0)
    if abs(exponent + bits) > MAX_BINARY_EXPONENT:
        return None
    return (-1) ** sign * Fraction(int(mantissa)) * Fraction(2) ** int(exponent)


def _float(value: Fraction) -> float:
    try:
        return float(value)
    except OverflowError:  # a finite 60-digit value beyond the float range
        return float("inf") if value > 0 else float("-inf")
