"""Exercises with an answer key, one numeric instance per seed.

Every answer is computed exactly (SymPy rationals) and cross-checked by an
independent route (NumPy backprop and central finite differences, or sampling);
an instance whose answers do not check out is never produced."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..errors import ExerciseCheckFailed
from ..oracle import numeric, tolerances
from ..model.spec import MLP
from ..exact.evaluation import float_values
from ..exact.verdict import PROVED, REFUTED, UNDECIDED
from .exact import parameters
from .scaling import LayerScales
from .training import RULE_STEPS, RULES_SPEC
from .worked import WorkedStep, worked_steps
from ..functional.equitable import coarsest_equitable, exact_parameters, quotient, twin_partition
from ..functional.proof import prove_rule_keeps_blocks
from ..functional.quotient_check import train_side_by_side
from .training import update_rule_outcomes
from ..induction.symmetry import prove_symmetry

FAN_CHOICES = (64, 100, 128, 256, 300, 512, 784, 1000)
#: Exercise 4 asks about rules the handout's table does not list, so it cannot be copied from there.
RULE_POOL = ("nesterov", "rmsprop", "adamw", "clip", "noise")
#: The exercise's rule -> (optimizer of ``symcheck.model.optimizers``, start), as ``training.RULES``.
EXERCISE_RULES = {name: (name, "W=1/2,b=0") for name in RULE_POOL}


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
class CaseExercise:
    """Case (b) by hand: 2-2-1 sigmoid/bce from W = 0, b1 = (p, q) with p != q, b2 = 0; two steps."""
    steps: tuple[WorkedStep, ...]


@dataclass(frozen=True)
class DeadExercise:
    """tanh or ReLU units from W = 0, b = 0: three steps, only the output bias moves."""
    steps: tuple[WorkedStep, ...]


@dataclass(frozen=True)
class OutputsExercise:
    """Several outputs: the constant-init theorem for a d-n-m network, proved by the engine."""
    proof: object  # symcheck.induction.symmetry.Proof


@dataclass(frozen=True)
class RegressionExercise:
    """No hidden layer: softmax regression (m classes) and linear regression, one step from 0."""
    softmax: WorkedStep
    linear: WorkedStep
    label: int  # the class of the softmax example (0-based)


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
    case: CaseExercise
    dead: DeadExercise
    outputs: OutputsExercise
    regression: RegressionExercise
    functional: FunctionalExercise | None = None  # units tied without equal weights (symcheck.functional.equitable)

    rule_steps = RULE_STEPS  # float steps behind each update rule's measured row difference (as the handout)

    def numbers(self) -> tuple:
        """The instance's given numbers: two students with equal numbers would copy each other."""
        return (self.symmetry.step.x, self.symmetry.step.y, tuple(self.symmetry.step.params["W2"][0]),
                self.logistic.step.x, self.case.steps[0].x, tuple(self.case.steps[0].params["b1"]),
                self.regression.softmax.x, self.scaling.scales.fan_in, self.scaling.scales.fan_out)


def _nonzero_int(rng, low, high):
    value = 0
    while value == 0:
        value = int(rng.integers(low, high + 1))
    return value


def _distinct_inputs(rng, count: int, bound: int) -> tuple:
    """Nonzero integers in [-bound, bound], pairwise different (never a degenerate input)."""
    x = tuple(_nonzero_int(rng, -bound, bound) for _ in range(count))
    while len(set(x)) < count:
        x = tuple(_nonzero_int(rng, -bound, bound) for _ in range(count))
    return x


def symmetry_exercise(rng) -> SymmetryExercise:
    spec = MLP((2, 2, 1), "sigmoid", "mse")
    a = sp.Rational(_nonzero_int(rng, -4, 4), 2)
    beta = sp.Rational(int(rng.integers(-2, 3)), 2)
    x = _distinct_inputs(rng, 2, 3)  # x1 = x2 would make W1's columns equal too and hide the point
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
    if not step.checked or not fd_error <= tolerances.FINITE_DIFFERENCE:
        raise ExerciseCheckFailed(f"symmetry exercise: NumPy {step.numeric_difference}, FD {fd_error}")
    return SymmetryExercise(step, fd_error)


def logistic_exercise(rng) -> LogisticExercise:
    spec = MLP((3, 1), "identity", "bce")
    x = _distinct_inputs(rng, 3, 4)
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
    checked = (twins == (3, 3) and partition.effective_widths == (1, 1) and run.max_loss_difference <= tolerances.QUOTIENT_LOSS
               and keeps == {"sgd": PROVED, "adam": PROVED, "adamw": PROVED, "adam_l2": REFUTED})
    if not checked:
        raise ExerciseCheckFailed(f"functional exercise: twins {twins}, classes {partition.effective_widths}, "
                                  f"rules {keeps}, loss difference {run.max_loss_difference}")
    return FunctionalExercise(row, W2, c, twins, partition.effective_widths, sum(W2[0]), keeps,
                              run.max_loss_difference, run.steps)


def rules_exercise(rng) -> RulesExercise:
    """Four rules of ``RULE_POOL`` in a seeded order, each decided by ``symcheck.induction.analysis``."""
    chosen = [str(name) for name in rng.choice(RULE_POOL, size=4, replace=False)]
    outcomes = {o.name: o for o in update_rule_outcomes(RULES_SPEC, rules={n: EXERCISE_RULES[n] for n in chosen})}
    for outcome in outcomes.values():
        if outcome.verdict == UNDECIDED or outcome.keeps != (outcome.max_row_difference == 0):
            raise ExerciseCheckFailed(f"rules exercise: {outcome.name}: {outcome.verdict}, measured "
                                      f"row difference {outcome.max_row_difference}")
    return RulesExercise(tuple(outcomes[name] for name in chosen))


def _zeros(spec: MLP) -> dict:
    return parameters(spec, lambda name, shape: np.zeros(shape, dtype=int).tolist())


def _checked(steps, name: str):
    if not all(step.checked for step in steps):
        raise ExerciseCheckFailed(f"{name} exercise disagrees with NumPy")
    return steps


def case_exercise(rng) -> CaseExercise:
    spec = RULES_SPEC
    p, q = (sp.Rational(v, 2) for v in _distinct_inputs(rng, 2, 4))
    x = _distinct_inputs(rng, 2, 3)
    y = (int(rng.integers(0, 2)),)
    values = {"W1": [[0, 0], [0, 0]], "b1": [p, q], "W2": [[0, 0]], "b2": [0]}
    steps = _checked(worked_steps(spec, parameters(spec, lambda name, shape: values[name]), x, y, 1, 2), "case")
    first, second = steps
    if first.moved("W1") or first.moved("b1") or not first.distinct_entries("W2") or second.rows_equal("W1"):
        raise ExerciseCheckFailed("case exercise: step 1 moved the first layer or the units stayed tied")
    return CaseExercise(steps)


def dead_exercise(rng) -> DeadExercise:
    spec = MLP((2, 2, 1), str(rng.choice(("tanh", "relu"))), "bce")
    x = _distinct_inputs(rng, 2, 3)
    y = (int(rng.integers(0, 2)),)
    steps = _checked(worked_steps(spec, _zeros(spec), x, y, 1, 3), "dead")
    if any(step.moved(n) for step in steps for n in ("W1", "b1", "W2")) or not all(s.moved("b2") for s in steps):
        raise ExerciseCheckFailed("dead exercise: something besides the output bias moved")
    return DeadExercise(steps)


def outputs_exercise(rng) -> OutputsExercise:
    spec = MLP((2, int(rng.choice((2, 3))), int(rng.choice((2, 3, 4)))), "sigmoid", "mse")
    proof = prove_symmetry(spec, "constant")
    if proof.verdict != PROVED:
        raise ExerciseCheckFailed(f"outputs exercise: {spec.name} is {proof.verdict}")
    return OutputsExercise(proof)


def regression_exercise(rng) -> RegressionExercise:
    classes = int(rng.choice((3, 4)))
    x = _distinct_inputs(rng, 2, 3)
    label = int(rng.integers(0, classes))
    softmax_spec = MLP((2, classes), "identity", "ce")
    target = tuple(1 if k == label else 0 for k in range(classes))
    (softmax,) = _checked(worked_steps(softmax_spec, _zeros(softmax_spec), x, target, 1, 1), "regression")
    linear_spec = MLP((2, 1), "identity", "mse")
    (linear,) = _checked(worked_steps(linear_spec, _zeros(linear_spec), x, (_nonzero_int(rng, -3, 3),),
                                      sp.Rational(1, 2), 1), "regression")
    rows = softmax.updated["W1"]
    if rows[label] == rows[(label + 1) % classes] or not linear.distinct_entries("W1"):
        raise ExerciseCheckFailed("regression exercise: the rows or weights stayed equal")
    return RegressionExercise(softmax, linear, label)


def exercises(seed: int) -> Exercises:
    rng = np.random.default_rng(seed)
    return Exercises(seed, symmetry_exercise(rng), logistic_exercise(rng), scaling_exercise(rng),
                     rules_exercise(rng), case_exercise(rng), dead_exercise(rng), outputs_exercise(rng),
                     regression_exercise(rng), functional_exercise(rng))


def student_instances(seed: int, count: int) -> tuple[Exercises, ...]:
    """``count`` instances whose given numbers all differ (a seed that repeats another student's
    numbers is skipped)."""
    found, seen, candidate = [], set(), seed
    while len(found) < count:
        instance = exercises(candidate)
        if instance.numbers() not in seen:
            seen.add(instance.numbers())
            found.append(instance)
        candidate += 1
    return tuple(found)


__all__ = ["Exercises", "exercises", "student_instances"]
