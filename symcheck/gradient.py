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

import numpy as np

from . import budget, numeric, replay
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


def _symbols(spec: MLP, params) -> list:
    return [s for name in spec.parameter_names for s in np.ravel(np.array(params[name], dtype=object))]


#: the largest network whose gradient is derived entry by entry as SymPy expressions
SYMBOLIC_MAX_PARAMETERS = 20_000
#: relative agreement required between two float64 routes (as ``compare_gradients``)
FLOAT_TOLERANCE = 1e-9


def evaluate_gradient(spec: MLP, point: Point) -> GradientEvaluation:
    if spec.parameter_count > SYMBOLIC_MAX_PARAMETERS:
        return _numeric_gradient(spec, point)
    budget.phase(f"deriving the symbolic gradient of MLP {budget.brief(spec.name)}")
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
    numeric_loss = numeric.loss_value(spec, point.parameters, point.x, point.y)
    if not np.isclose(loss, numeric_loss, rtol=1e-9, atol=1e-12):
        comparison = GradientComparison(comparison.method + " (loss differs)", 1, float("inf"),
                                        comparison.tolerance)
    return GradientEvaluation(spec, float(loss), gradients, comparison)


def _numeric_gradient(spec: MLP, point: Point) -> GradientEvaluation:
    """The recursion (1)-(3) in NumPy float64, checked against replay's plain-Python backprop."""
    budget.phase(f"evaluating the gradient of MLP {budget.brief(spec.name)} with NumPy")
    result = numeric.backprop(spec, point.parameters, point.x, point.y)
    budget.phase(f"cross-checking the gradient of MLP {budget.brief(spec.name)} in plain Python")
    params = {name: np.asarray(point.parameters[name], dtype=float).tolist() for name in spec.parameter_names}
    again = replay.gradients(spec, params, [float(v) for v in point.x], [float(v) for v in point.y], replay.FLOAT)
    worst = 0.0
    for name in spec.parameter_names:
        expected, got = result.gradients[name], np.array(again[name], dtype=float)
        scale = np.maximum(1.0, np.maximum(np.abs(expected), np.abs(got)))  # relative to each entry
        difference = np.abs(expected - got) / scale
        worst = max(worst, float(np.max(difference)) if np.all(np.isfinite(difference)) else float("inf"))
    if not np.isfinite(result.loss):
        worst = float("inf")
    method = (f"NumPy float64 backprop vs an independent plain-Python float backprop (above "
              f"{SYMBOLIC_MAX_PARAMETERS} parameters the gradient is not derived entry by entry)")
    comparison = GradientComparison(method, 1, worst, FLOAT_TOLERANCE)
    return GradientEvaluation(spec, float(result.loss), dict(result.gradients), comparison)
