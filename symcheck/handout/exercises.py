"""Exercises with an answer key, one numeric instance per seed.

Every answer is computed exactly (SymPy rationals) and cross-checked by an
independent route (NumPy backprop and central finite differences, or sampling);
an instance whose answers do not check out is never produced."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from .. import numeric
from ..spec import MLP
from ..training import float_values
from .exact import parameters
from .scaling import LayerScales
from .training import update_rule_outcomes
from .worked import WorkedStep, worked_steps

FAN_CHOICES = (64, 100, 128, 256, 300, 512, 784, 1000)
RULE_POOL = ("momentum", "adam", "weight_decay", "minibatch", "dropout", "per_unit_rates",
             "one_unit_at_a_time", "random_biases")


class ExerciseCheckFailed(AssertionError):
    """An answer disagreed with its independent cross-check (a bug, never shown to students)."""


@dataclass(frozen=True)
class SymmetryExercise:
    """2-2-1, sigmoid hidden units, squared error: one step from W1 = 0, b1 = 0, W2 = (a, a)."""

    step: WorkedStep
    finite_difference_error: float


@dataclass(frozen=True)
class LogisticExercise:
    step: WorkedStep


@dataclass(frozen=True)
class ScalingExercise:
    scales: LayerScales
    sampled_std: dict  # scheme -> std of 200 000 normal draws at the derived scale


@dataclass(frozen=True)
class RulesExercise:
    rules: tuple  # RuleOutcome, in the order asked


@dataclass(frozen=True)
class FunctionalExercise:
    """2-3-3-1 tanh: W1 with equal rows, a magic square (/16) as W2, W3 with equal columns."""

    W1_row: tuple  # the row every unit of layer 1 has
    W2: tuple  # rows of SymPy rationals
    W3_entry: sp.Rational
    twin_widths: tuple
    functional_widths: tuple
    quotient_W2: sp.Rational  # the common row (and column) sum
    keeps: dict  # optimizer -> verdict of the update rule on a block (class level)
    loss_difference: float  # float64: network and quotient side by side, largest relative difference
    steps: int


LO_SHU = ((2, 7, 6), (9, 5, 1), (4, 3, 8))


@dataclass(frozen=True)
class Exercises:
    seed: int
    symmetry: SymmetryExercise
    logistic: LogisticExercise
    scaling: ScalingExercise
    rules: RulesExercise
    functional: FunctionalExercise | None = None


def _nonzero_int(rng, low, high):
    value = 0
    while value == 0:
        value = int(rng.integers(low, high + 1))
    return value


def symmetry_exercise(rng) -> SymmetryExercise:
    spec = MLP((2, 2, 1), "sigmoid", "mse")
    a = sp.Rational(_nonzero_int(rng, -4, 4), 2)
    beta = sp.Rational(int(rng.integers(-2, 3)), 2)
    x = (_nonzero_int(rng, -3, 3), _nonzero_int(rng, -3, 3))
    y = (int(rng.integers(-2, 3)),)
    while y[0] == a + beta:  # o = a + beta: a zero error would make the exercise trivial
        y = (int(rng.integers(-2, 3)),)
    eta = sp.Rational(1, int(rng.choice((2, 4))))
    values = {"W1": [[0, 0], [0, 0]], "b1": [0, 0], "W2": [[a, a]], "b2": [beta]}
    params = parameters(spec, lambda name, shape: values[name])
    (step,) = worked_steps(spec, params, x, y, eta, 1)
    arrays = float_values(params)
    exact = float_values(step.result.gradients)
    fd_error = numeric.finite_difference_gap(spec, arrays, np.array(x, float), np.array(y, float), exact)
    if not step.checked or not fd_error <= 1e-6:
        raise ExerciseCheckFailed(f"symmetry exercise: NumPy {step.numeric_difference}, FD {fd_error}")
    return SymmetryExercise(step, fd_error)


def logistic_exercise(rng) -> LogisticExercise:
    spec = MLP((3, 1), "identity", "bce")
    x = tuple(_nonzero_int(rng, -4, 4) for _ in range(3))
    while len(set(x)) < 3:
        x = tuple(_nonzero_int(rng, -4, 4) for _ in range(3))
    y = (int(rng.integers(0, 2)),)
    eta = sp.Rational(1, int(rng.choice((1, 2, 10))))
    params = parameters(spec, lambda name, shape: np.zeros(shape, dtype=int).tolist())
    (step,) = worked_steps(spec, params, x, y, eta, 1)
    if not step.checked:
        raise ExerciseCheckFailed("logistic exercise disagrees with NumPy")
    return LogisticExercise(step)


def scaling_exercise(rng) -> ScalingExercise:
    fan_in, fan_out = (int(v) for v in rng.choice(FAN_CHOICES, size=2, replace=False))
    scales = LayerScales.of(1, fan_in, fan_out)
    draws = np.random.default_rng(int(rng.integers(2**31)))
    sampled = {}
    for scheme in ("lecun", "xavier", "he"):
        std = float(sp.sqrt(getattr(scales, scheme)))
        sampled[scheme] = float(np.std(draws.normal(0.0, std, 200_000)))
        # 200 000 draws: the sample std is within 1% of the true one with overwhelming probability
        if abs(sampled[scheme] / std - 1) > 0.01:
            raise ExerciseCheckFailed(f"scaling exercise: sampled std {sampled[scheme]} vs {std}")
    return ScalingExercise(scales, sampled)


def functional_exercise(rng) -> FunctionalExercise:
    """Computed by the functional-symmetry code; every claim the answer makes is checked here."""
    from ..equitable import coarsest_equitable, exact_parameters, quotient, twin_partition
    from ..functional_proof import prove_rule_keeps_blocks
    from ..quotient_check import train_side_by_side

    square = np.array(LO_SHU)
    square = np.rot90(square, int(rng.integers(0, 4)))
    square = square.T if rng.integers(0, 2) else square
    spec = MLP((2, 3, 3, 1), "tanh", "mse")
    row = (sp.Rational(_nonzero_int(rng, -3, 3), 4), sp.Rational(_nonzero_int(rng, -3, 3), 4))
    c = sp.Rational(_nonzero_int(rng, -3, 3), 4)
    zero = sp.S.Zero
    W2 = tuple(tuple(sp.Rational(int(v), 16) for v in r) for r in square)
    values = {"W1": (row,) * 3, "b1": (zero,) * 3, "W2": W2, "b2": (zero,) * 3, "W3": ((c,) * 3,), "b3": (zero,)}
    exact = exact_parameters(spec, values)
    twins = twin_partition(spec, exact).effective_widths
    partition = coarsest_equitable(spec, exact)
    keeps = {name: prove_rule_keeps_blocks(name).verdict for name in ("sgd", "adam", "adamw", "adam_l2")}
    start = {name: np.array(value, dtype=float) for name, value in values.items()}
    run = train_side_by_side(spec, "sgd", start, quotient(spec, start, partition), steps=100)
    checked = (twins == (3, 3) and partition.effective_widths == (1, 1) and run.max_loss_difference <= 1e-12
               and keeps == {"sgd": "proved", "adam": "proved", "adamw": "proved", "adam_l2": "refuted"})
    if not checked:
        raise ExerciseCheckFailed(f"functional exercise: twins {twins}, classes {partition.effective_widths}, "
                                  f"rules {keeps}, loss difference {run.max_loss_difference}")
    return FunctionalExercise(row, W2, c, twins, partition.effective_widths, sum(W2[0]), keeps,
                              run.max_loss_difference, run.steps)


def rules_exercise(rng, outcomes: tuple) -> RulesExercise:
    """Four rules of ``outcomes`` (``update_rule_outcomes``), asked in a seeded order."""
    outcomes = {o.name: o for o in outcomes}
    chosen = rng.choice(RULE_POOL, size=4, replace=False)
    return RulesExercise(tuple(outcomes[str(name)] for name in chosen))


def exercises(seed: int, rules: tuple | None = None) -> Exercises:
    """``rules``: the handout's ``update_rule_outcomes`` (computed here when not given)."""
    rng = np.random.default_rng(seed)
    rules = rules if rules is not None else update_rule_outcomes(MLP((2, 2, 1), "sigmoid", "bce"))
    return Exercises(seed, symmetry_exercise(rng), logistic_exercise(rng), scaling_exercise(rng),
                     rules_exercise(rng, rules), functional_exercise(rng))


__all__ = ["Exercises", "exercises"]
