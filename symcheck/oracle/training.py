"""Numeric training with any optimizer: NumPy gradients, the optimizers' rules
in float arithmetic. The oracle for the symbolic verdicts: tied units must
stay equal in actual training, refuted setups must actually separate."""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import sympy as sp

from . import numeric, replay
from ..induction.crosscheck import flatten
from ..exact.evaluation import evaluate_many
from ..model.optimizers import Ops, Optimizer, get_optimizer, separating_masks, step, summed_gradient
from ..model.spec import MLP
from ..exact.sampling import Sampler

# Leaves are whole NumPy arrays: the rules act entry by entry, so they vectorize.
FLOAT_OPS = Ops(np.sqrt, np.maximum, float, lambda terms: sum(float(np.sum(t)) for t in terms))


def numpy_gradient(spec: MLP):
    """(params, x, y) -> gradients as arrays, by the NumPy reference backprop."""
    def gradient(params, x, y):
        arrays = {name: np.array(value, dtype=float) for name, value in params.items()}
        result = numeric.backprop(spec, arrays, np.array(x, dtype=float), np.array(y, dtype=float))
        return result.gradients
    return gradient


def float_values(values: dict) -> dict:
    """Exact values as float arrays: SymPy numbers, or the closed forms an exact step leaves
    (softplus(0)/2), evaluated through the DAG evaluator; NaN where a value is not a finite real."""
    arrays = {}
    for name, value in values.items():
        entries = evaluate_many(flatten(value), {})
        floats = [float(v) if v is not None else np.nan for v in entries]
        shape = (len(value), len(value[0])) if value and isinstance(value[0], tuple) else (len(value),)
        arrays[name] = np.array(floats, dtype=float).reshape(shape)
    return arrays


def hyper_values(spec: MLP, optimizer: Optimizer, rng: random.Random) -> dict:
    """Meaningful float hyperparameters (and a fresh noise draw) for one step."""
    symbols = optimizer.hyper_symbols(spec)
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
        values["eta"] = Fraction(1, 10)
    hyper = replay.convert(symbols, values, replay.FLOAT)
    if optimizer.noise:
        hyper["xi"] = {name: np.array(value, dtype=float) for name, value in hyper["xi"].items()}
    return hyper


def sample_example(spec: MLP, rng: random.Random):
    x = tuple(rng.uniform(-1, 1) for _ in range(spec.input_width))
    if spec.loss == "mse":
        y = tuple(rng.uniform(-1, 1) for _ in range(spec.output_width))
    else:
        y = tuple(rng.uniform(0, 1) for _ in range(spec.output_width))
    return x, y


def train(spec: MLP, optimizer, params: dict, steps: int, seed: int = 0) -> list[dict]:
    """Parameters at steps 0..steps; each step draws fresh examples and hyperparameters
    are drawn once (noise afresh every step)."""
    optimizer = get_optimizer(optimizer)
    rng = random.Random(seed)
    hyper = hyper_values(spec, optimizer, rng)
    # the rules act on whole arrays here: each zero state tensor becomes one array
    state = {name: {p: np.array(v, dtype=float) for p, v in value.items()} if isinstance(value, dict) else value
             for name, value in optimizer.initial_state(spec, 0.0).items()}
    history = [params]
    for t in range(steps):
        if optimizer.noise:
            hyper = hyper_values(spec, optimizer, rng)
        if optimizer.masks:  # a mask sequence that separates any two units, however they are numbered
            hyper = {**hyper, "mask": {key: float(m) for key, m in separating_masks(spec, t).items()}}
        examples = [sample_example(spec, rng) for _ in range(optimizer.examples)]
        gradient = summed_gradient(numpy_gradient(spec), examples, sum)
        params, state = step(optimizer, spec, history[-1], state, hyper, gradient, FLOAT_OPS)
        history.append(params)
    return history


def step_at_point(problem, values: dict) -> tuple[dict, dict]:
    """One update of a ``stepcheck.Problem`` at a rational point (symbol name -> Fraction),
    in floats with NumPy gradients: how a counterexample looks in ordinary training."""
    from ..induction.engine import concrete_point

    filled = concrete_point(problem)
    filled.update(values)
    convert = lambda v: replay.convert(v, filled, replay.FLOAT)  # noqa: E731
    hyper = {k: convert(v) for k, v in problem.hyper.items()}
    examples = [(convert(x), convert(y)) for x, y in problem.examples]
    gradient = summed_gradient(numpy_gradient(problem.spec), examples, sum)
    return step(problem.optimizer, problem.spec, convert(problem.params), convert(problem.state),
                hyper, gradient, FLOAT_OPS)
