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
    #: the size of the terms of the loss and of each entry (``numeric.gradient_magnitudes``)
    loss_size: float
    sizes: dict


def _symbols(spec: MLP, params) -> list:
    return [s for name in spec.parameter_names for s in np.ravel(np.array(params[name], dtype=object))]


def evaluate_gradient(spec: MLP, point: Point) -> GradientEvaluation:
    params = generic_parameters(spec)
    x, y = data_symbols(spec)
    derived = backprop(spec, params, x, y)
    symbols = _symbols(spec, params)
    values = [float(v) for name in spec.parameter_names for v in np.ravel(point.parameters[name])]
    arguments = [*values, *point.x, *point.y]
    names = list(spec.parameter_names)
    flat = [e for name in names for e in np.ravel(np.array(derived.gradients[name], dtype=object))]
    evaluate = compile_expressions([*symbols, *x, *y], [derived.loss, *flat])
    loss, *entries = evaluate(*arguments)
    gradients, offset = {}, 0
    for name in names:
        shape = spec.parameter_shape(name)
        size = int(np.prod(shape))
        gradients[name] = np.array(entries[offset:offset + size]).reshape(shape)
        offset += size
    comparison = compare_gradients(spec, params, derived.gradients, symbols, x, y,
                                   [(values, point.x, point.y)])
    loss_size, sizes = numeric.gradient_magnitudes(spec, point.parameters, point.x, point.y)
    numeric_loss = numeric.loss_value(spec, point.parameters, point.x, point.y)
    if numeric.worst_gap(loss, numeric_loss, loss_size) > comparison.tolerance:
        comparison = GradientComparison(comparison.method + " (loss differs)", 1, float("inf"),
                                        comparison.tolerance)
    return GradientEvaluation(spec, float(loss), gradients, comparison, loss_size, sizes)
