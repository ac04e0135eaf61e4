"""The symbolically derived gradient evaluated at a numeric point.

The gradient is derived by the layer recursion with every entry a symbol,
compiled with ``lambdify`` and evaluated at the point; the NumPy reference
backprop evaluates the same point independently and the two are compared."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import numeric
from .backprop import backprop, data_symbols, generic_parameters
from .crosscheck import GradientComparison, compare_gradients, compile_expressions
from .point import Point
from .spec import MLP


@dataclass(frozen=True)
class GradientEvaluation:
    spec: MLP
    loss: float
    gradients: dict  # name -> np.ndarray, shaped like the parameter
    cross_check: GradientComparison
    #: the size of the terms of the loss and of each entry (``numeric.batch_magnitudes``)
    loss_size: float
    sizes: dict


def _symbols(spec: MLP, params) -> list:
    return [s for name in spec.parameter_names for s in np.ravel(np.array(params[name], dtype=object))]


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # a non-finite value fails the checks
def evaluate_gradient(spec: MLP, point: Point) -> GradientEvaluation:
    """Loss and gradient at ``point``; for a mini-batch both are summed over the examples.

    The expressions are derived and compiled once for one example with symbolic data and
    evaluated at each example; the sum of the per-example gradients is the gradient of the
    summed loss. The cross-check compares every example with NumPy's backprop, and the sums
    with ``numeric.batch_gradients``."""
    params = generic_parameters(spec)
    x, y = data_symbols(spec)
    derived = backprop(spec, params, x, y)
    symbols = _symbols(spec, params)
    values = [float(v) for name in spec.parameter_names for v in np.ravel(point.parameters[name])]
    names = list(spec.parameter_names)
    flat = [e for name in names for e in np.ravel(np.array(derived.gradients[name], dtype=object))]
    evaluate = compile_expressions([*symbols, *x, *y], [derived.loss, *flat])
    rows = np.array([evaluate(*values, *xe, *ye) for xe, ye in point.examples], dtype=float)
    loss, *entries = np.sum(rows, axis=0)
    gradients, offset = {}, 0
    for name in names:
        shape = spec.parameter_shape(name)
        size = int(np.prod(shape))
        gradients[name] = np.array(entries[offset:offset + size]).reshape(shape)
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
    return GradientEvaluation(spec, float(loss), gradients, comparison, loss_size, sizes)
