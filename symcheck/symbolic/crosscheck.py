"""The independent route: re-evaluate symbolic results with NumPy float64.

Every symbolic verdict is paired with a numeric one computed by
``symcheck.oracle.numeric`` -- code that shares nothing with the SymPy engine but the
activation and loss formulas -- so a wrong rule in either is visible as a
disagreement. This module is the bridge: symbolic expressions compiled to a float
function (``compile_expressions``; values at one point are ``exact.evaluation.float_values``),
symbolic gradients compared with NumPy's (``compare_gradients``), random hyperparameters
for float training drawn by the range-aware sampler (``hyper_draw``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..oracle import numeric, replay, tolerances
from ..oracle.training import FLOAT_LEARNING_RATE
from ..exact.evaluation import evaluate_many, flatten, float_values
from ..exact.sampling import Sampler
from ..model.optimizer_symbols import hyper_symbols
from ..model.optimizers import Optimizer, get_optimizer
from ..model.spec import MLP


def compile_expressions(symbols, expressions):
    """A function of ``symbols`` returning every expression as a float.

    Backprop expressions share their subexpressions (every gradient contains
    the forward pass), so as trees they grow exponentially with depth while as
    DAGs they stay small. ``lambdify`` prints trees; ``evaluate_many`` walks
    the DAG once with a shared cache, so a deep generic network stays cheap.
    A value that is not a finite real number comes back as NaN, which fails
    every comparison it enters."""

    def evaluate(*values):
        point = dict(zip(symbols, (float(v) for v in values)))
        return [float(v) if v is not None else float("nan") for v in evaluate_many(expressions, point)]

    return evaluate


def hyper_values(spec: MLP, optimizer: Optimizer, rng: random.Random) -> dict:
    """Meaningful float hyperparameters (and a fresh noise draw) for one step of float training,
    drawn by the range-aware sampler (``exact.sampling``); eta is ``training.FLOAT_LEARNING_RATE``."""
    symbols = hyper_symbols(optimizer, spec)
    sampler = Sampler(spec, optimizer, rng.randrange(2**31))
    names = set()

    def collect(value):
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, tuple):
            for item in value:
                collect(item)
        else:
            names.add(value.name)

    collect(symbols)
    values = {name: sampler.value(name) for name in sorted(names)}
    if "eta" in values:  # a small step keeps float training well inside its range
        values["eta"] = Fraction(FLOAT_LEARNING_RATE)
    hyper = replay.convert(symbols, values, replay.FLOAT)
    if optimizer.noise:
        hyper["xi"] = {name: np.array(value, dtype=float) for name, value in hyper["xi"].items()}
    return hyper


def hyper_draw(spec: MLP, optimizer):
    """``rng -> hyper_values(spec, optimizer, rng)``: the ``draw_hyper`` of ``training.train``."""
    optimizer = get_optimizer(optimizer)
    return lambda rng: hyper_values(spec, optimizer, rng)


@dataclass(frozen=True)
class GradientComparison:
    """Symbolic gradient vs NumPy backprop at numeric points."""

    method: str
    points: int
    max_abs_difference: float
    tolerance: float

    @property
    def passed(self) -> bool:
        return self.max_abs_difference <= self.tolerance


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # non-finite values fail below
def compare_gradients(spec: MLP, params, gradients, symbols, x_symbols, y_symbols,
                      assignments, tolerance: float = tolerances.SAME_FORMULA, reference=None, magnitudes=None) -> GradientComparison:
    """Evaluate symbolic ``gradients`` (in ``symbols`` + x, y) and NumPy's at each assignment.

    ``assignments`` is a list of (values for symbols, x, y). ``reference(arrays, x, y)``
    gives NumPy's gradients by parameter name: one example's backprop by default; a
    mini-batch passes ``numeric.batch_gradients`` with x, y lists of examples (and
    ``magnitudes`` = ``numeric.batch_magnitudes``), and then
    ``x_symbols``/``y_symbols`` are empty (the gradients hold the data as numbers).
    Each entry is compared with its own size, floored by the size of the terms it is
    computed from (``numeric.gradient_magnitudes``): both sides are evaluations of the
    same formula in different orders, so they agree to rounding (``tolerances.SAME_FORMULA``), while any wrong
    rule gives O(1) errors. A NaN or inf on
    either side is an infinite difference."""
    if reference is None:
        def reference(arrays, x, y):
            return numeric.backprop(spec, arrays, x, y).gradients
    if magnitudes is None:
        def magnitudes(arrays, x, y):
            return numeric.gradient_magnitudes(spec, arrays, x, y)[1]
    names = list(spec.parameter_names)
    all_symbols = list(symbols) + list(x_symbols) + list(y_symbols)
    flat = [e for name in names for e in flatten(gradients[name])]
    evaluate = compile_expressions(all_symbols, flat)
    worst = 0.0
    for values, x, y in assignments:
        data = [*x, *y] if x_symbols or y_symbols else []
        symbolic = np.array(evaluate(*values, *data))
        assignment = dict(zip(symbols, values))
        arrays = float_values({name: params[name] for name in names}, assignment)
        gradients_there = reference(arrays, x, y)
        sizes = magnitudes(arrays, x, y)
        expected = np.concatenate([gradients_there[name].ravel() for name in names])
        floor = np.concatenate([np.ravel(sizes[name]) for name in names])
        worst = max(worst, numeric.worst_gap(symbolic, expected, floor))
    return GradientComparison(
        "symbolic gradient (evaluated at 60 digits) vs NumPy float64 backprop", len(assignments), worst, tolerance
    )
