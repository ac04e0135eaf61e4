"""The one float training loop: NumPy gradients and the optimizers' update rules in float
arithmetic, from any start, with any optimizer, on drawn or given data and hyperparameters.
The oracle for the symbolic verdicts: tied units must stay equal in actual training, refuted
setups must actually separate. Meaningful random hyperparameters (a momentum in (0, 1), a
positive epsilon) are the range-aware sampler's business: a caller passes ``draw_hyper``
(``symbolic.crosscheck.hyper_draw``), so this module needs nothing symbolic."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from . import numeric
from ..model.optimizers import Ops, Optimizer, get_optimizer, separating_masks, step, summed_gradient
from ..model.spec import MLP

# Leaves are whole NumPy arrays: the rules act entry by entry, so they vectorize.
FLOAT_OPS = Ops(np.sqrt, np.maximum, float, lambda terms: sum(float(np.sum(t)) for t in terms))

#: The learning rate of float training that confirms a verdict: small, so that a few steps stay well
#: inside float range for every activation and loss, and large enough that the units visibly move.
FLOAT_LEARNING_RATE = 0.1


def numpy_gradient(spec: MLP):
    """(params, x, y) -> gradients as arrays, by the NumPy reference backprop."""
    def gradient(params, x, y):
        arrays = {name: np.array(value, dtype=float) for name, value in params.items()}
        result = numeric.backprop(spec, arrays, np.array(x, dtype=float), np.array(y, dtype=float))
        return result.gradients
    return gradient


def sample_example(spec: MLP, rng) -> tuple[np.ndarray, np.ndarray]:
    """An input in [-1, 1]^d and a target valid for the loss (in [-1, 1] for mse, in [0, 1] for
    bce and ce), drawn entry by entry from ``rng`` (a ``random.Random`` or a NumPy ``Generator``)."""
    low = -1.0 if spec.loss == "mse" else 0.0
    x = np.array([rng.uniform(-1.0, 1.0) for _ in range(spec.input_width)], dtype=float)
    y = np.array([rng.uniform(low, 1.0) for _ in range(spec.output_width)], dtype=float)
    return x, y


def zero_state(spec: MLP, optimizer: Optimizer) -> dict:
    """The optimizer's initial state in floats: each per-entry state tensor one zero array."""
    return {name: {p: np.array(v, dtype=float) for p, v in value.items()} if isinstance(value, dict) else value
            for name, value in optimizer.initial_state(spec, 0.0).items()}


@dataclass(frozen=True)
class FloatRun:
    history: list  # the parameters at steps 0..steps
    examples: list  # the examples [(x, y), ...] each step trained on
    hyper: list  # the hyperparameters of each step


def float_run(spec: MLP, optimizer, params: dict, steps: int, seed: int = 0, *, draw_hyper=None,
              examples: list | None = None, hyper: list | None = None, learning_rate: float | None = None,
              gradient=None) -> FloatRun:
    """Float training with ``optimizer``'s update rule from ``params`` for ``steps`` steps.

    Each step's examples are ``examples[t]`` when given (``[batch] * steps`` is full-batch
    training), else ``optimizer.examples`` fresh draws of ``sample_example``. Its hyperparameters
    are ``hyper[t]`` when given, else ``draw_hyper(rng)`` drawn once (noise afresh every step;
    none drawn without ``draw_hyper``), dropout masks by ``separating_masks``, and
    ``learning_rate`` in place of the drawn eta. ``rng`` is ``random.Random(seed)``.
    ``gradient(params, x, y)`` is the per-example gradient (NumPy backprop by default)."""
    optimizer = get_optimizer(optimizer)
    gradient = numpy_gradient(spec) if gradient is None else gradient
    rng = random.Random(seed)
    drawn = draw_hyper(rng) if hyper is None and draw_hyper is not None else {}
    state = zero_state(spec, optimizer)
    history, used_examples, used_hyper = [params], [], []
    for t in range(steps):
        if hyper is not None:
            values = hyper[t]
        else:
            if optimizer.noise and draw_hyper is not None:
                drawn = draw_hyper(rng)
            values = drawn if learning_rate is None else {**drawn, "eta": learning_rate}
            if optimizer.masks:  # a mask sequence that separates any two units, however they are numbered
                values = {**values, "mask": {key: float(m) for key, m in separating_masks(spec, t).items()}}
        batch = examples[t] if examples is not None else [sample_example(spec, rng) for _ in range(optimizer.examples)]
        params, state = step(optimizer, spec, history[-1], state, values, summed_gradient(gradient, batch, sum),
                             FLOAT_OPS)
        history.append(params)
        used_examples.append(batch)
        used_hyper.append(values)
    return FloatRun(history, used_examples, used_hyper)


def train(spec: MLP, optimizer, params: dict, steps: int, seed: int = 0, **options) -> list[dict]:
    """The parameters at steps 0..steps of ``float_run``."""
    return float_run(spec, optimizer, params, steps, seed, **options).history
