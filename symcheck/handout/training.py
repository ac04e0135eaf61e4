"""Experiments for the handout (fixed seeds): training curves under constant and
random initialization (NumPy reference), and which update rules keep two hidden
units tied (proved or refuted by ``symcheck.induction.analysis``, measured by
``symcheck.oracle.training``)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from ..oracle import numeric, ties
from ..oracle.training import train
from ..model.spec import MLP
from ..induction.analysis import analyze
from ..exact.verdict import PROVED
from ..initialization.patterns import parse_init
from ..exact.evaluation import float_values
from ..symbolic.crosscheck import hyper_draw

STEPS = 1500
LEARNING_RATE = 1.0
CONSTANT_WEIGHT = 0.5
RANDOM_STD = 0.5
EXPERIMENT_SEED = 0


def dataset(spec: MLP):
    """A small XOR-like task that needs more than one hidden unit: the corners of
    {-1, 1}^d (random points for d > 3); output k is 1 when coordinates k and
    k+1 (mod d) have the same sign. For ce the class is the count of positive
    coordinates mod m."""
    d, m = spec.input_width, spec.output_width
    if d <= 3:
        xs = np.array(list(product((-1.0, 1.0), repeat=d)))
    else:
        xs = np.random.default_rng(EXPERIMENT_SEED).choice((-1.0, 1.0), size=(8, d))
    if spec.loss == "ce":
        classes = (xs > 0).sum(axis=1) % m
        ys = np.eye(m)[classes]
    else:
        ys = np.array([[float(x[k % d] * x[(k + 1) % d] > 0) for k in range(m)] for x in xs])
    return xs, ys


def constant_init(spec: MLP, weight: float = CONSTANT_WEIGHT) -> dict:
    return {name: np.full(spec.parameter_shape(name), weight if name[0] == "W" else 0.0)
            for name in spec.parameter_names}


def random_init(spec: MLP, std: float = RANDOM_STD, seed: int = EXPERIMENT_SEED) -> dict:
    rng = np.random.default_rng(seed)
    return {name: rng.normal(0.0, std, spec.parameter_shape(name)) if name[0] == "W"
            else np.zeros(spec.parameter_shape(name)) for name in spec.parameter_names}


@dataclass(frozen=True)
class TrainingRun:
    label: str
    losses: tuple[float, ...]  # full-batch loss at steps 0..STEPS
    first_layer: np.ndarray  # W1 over training, shape (steps + 1, n_1, d)
    biases: np.ndarray  # b1 over training, shape (steps + 1, n_1)
    outgoing: np.ndarray  # the weight from each unit of layer 1 to unit 1 of layer 2, (steps + 1, n_1)
    rows_equal: bool  # every hidden layer's units (W1's rows among them) stayed bitwise tied throughout
    stationary_start: bool  # the full-batch gradient at step 0 is exactly 0 in float64

    @property
    def final_loss(self) -> float:
        return self.losses[-1]

    @property
    def row_difference(self) -> np.ndarray:
        """Largest |W1[0, c] - W1[1, c]| at each step: how far hidden units 1 and 2 are apart."""
        return np.max(np.abs(self.first_layer[:, 0, :] - self.first_layer[:, 1, :]), axis=1)


def train_run(spec: MLP, label: str, params: dict, steps: int = STEPS) -> TrainingRun:
    xs, ys = dataset(spec)
    rate = LEARNING_RATE * (0.5 if spec.loss == "mse" else 1.0)  # identity output: a gentler step
    history = train(spec, "sgd", params, steps, examples=[list(zip(xs, ys))] * steps, learning_rate=rate / len(xs))
    losses = tuple(sum(numeric.loss_value(spec, p, x, y) for x, y in zip(xs, ys)) / len(xs) for p in history)
    first = np.array([p["W1"] for p in history])
    rows_equal = not any(ties.first_untied(spec, p) for p in history)
    biases = np.array([p["b1"] for p in history])
    outgoing = np.array([p["W2"][0] for p in history])
    _, start_gradients = numeric.batch_gradients(spec, params, xs, ys)
    stationary = all(not np.any(g) for g in start_gradients.values())
    return TrainingRun(label, losses, first, biases, outgoing, rows_equal, stationary)


def training_runs(spec: MLP, steps: int = STEPS) -> tuple[TrainingRun, ...]:
    return (
        train_run(spec, "constant", constant_init(spec), steps),
        train_run(spec, "zeros", constant_init(spec, 0.0), steps),
        train_run(spec, "random", random_init(spec), steps),
    )


# ------------------------------------------------------------- update rules

@dataclass(frozen=True)
class RuleOutcome:
    name: str
    keeps: bool  # proved: the hidden units (one twin class at the start) stay twins at every step
    verdict: str  # symcheck.induction.analysis's verdict for this rule and start (proved | refuted | undecided)
    max_row_difference: float  # measured: largest difference between rows of W1 after RULE_STEPS float steps


RULE_STEPS = 20
#: The update-rule experiments use the seeds' network, where every rule has something to act on.
RULES_SPEC = MLP((2, 2, 1), "sigmoid", "bce")
#: The constant start of the rule table, as an ``--init`` pattern.
RULE_START = "W=1/2,b=0"
#: Handout row -> (optimizer of ``symcheck.model.optimizers``, start).
RULES = {
    "sgd": ("sgd", RULE_START),
    "minibatch": ("minibatch", RULE_START),
    "momentum": ("momentum", RULE_START),
    "adam": ("adam", RULE_START),
    "weight_decay": ("weight_decay", RULE_START),
    "dropout": ("dropout", RULE_START),
    "per_unit_rates": ("per_unit_lr", RULE_START),
    "one_unit_at_a_time": ("gauss_seidel", RULE_START),
    "random_biases": ("sgd", RULE_START + ",b1=random"),
}


def update_rule_outcomes(spec: MLP, steps: int = RULE_STEPS, rules: dict | None = None) -> tuple[RuleOutcome, ...]:
    """Each rule from its start: the verdict of ``symcheck.induction.analysis.analyze`` (a proof, or a
    counterexample re-checked independently) and, measured, ``steps`` float steps of
    ``symcheck.oracle.training.train`` with the same optimizer."""
    outcomes = []
    for name, (optimizer, start) in (RULES if rules is None else rules).items():
        init = parse_init(start, EXPERIMENT_SEED)
        analysis = analyze(spec, init, optimizer, EXPERIMENT_SEED)
        # the units keep the symmetry only if they start as one twin class and the proof carries it
        tied_at_start = analysis.partition.effective_widths[0] == 1
        keeps = tied_at_start and analysis.verdict == PROVED
        history = train(spec, optimizer, float_values(init.values(spec)), steps, EXPERIMENT_SEED,
                        draw_hyper=hyper_draw(spec, optimizer))
        w1 = np.asarray(history[-1]["W1"], dtype=float)
        outcomes.append(RuleOutcome(name, keeps, analysis.verdict, float(np.max(np.abs(w1 - w1[:1, :])))))
    return tuple(outcomes)
