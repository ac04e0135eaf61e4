"""The symmetry theorem for every depth, width, activation and loss, as a list of lemmas.

Part I proves it for one example: the generic-layer lemmas, their composition
by induction over the layers (any K), the update lemma and the induction over
steps. Part II re-runs the layer lemmas for a loss summed over a mini-batch of
symbolic size B. Part III is the collapse theorem. Every dimension is a symbol
(d, n_1, n_{i-1}, n_i, n_K, m, B), so the cost of the proof does not depend on
any width. An independent cross-check instantiates the derived formulas at
random concrete networks and compares them with NumPy backprop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..oracle import numeric, tolerances
from ..oracle.ties import class_gap
from ..symbolic.backprop import data_symbols
from ..symbolic.crosscheck import compare_gradients
from ..exact.evaluation import float_values
from ..oracle.training import FLOAT_LEARNING_RATE, sample_example, train
from ..errors import InvalidSpec, unknown_name
from ..exact.verdict import PROVED, REFUTED, UNDECIDED
from ..induction.subspace import tie_subspace
from ..induction.twins import full_partition
from ..model.spec import MLP
from ..display import LatexDisplay
from .collapse import RESCALING, collapse_lemmas
from .instantiate import instantiate_gradients
from .lemmas import (
    D, HYPOTHESES, M, N1, N_CUR, N_PREV, NK, Check, Lemma, Setting, backward_first, backward_middle, backward_output,
    forward_first, forward_middle, link, output_gradient, premise, update,
)
from .structure import CONSTANT, EQUAL_COLUMNS, EQUAL_ROWS, check_structure, dimension, ones, scalar

THEOREM = (
    "For every depth K >= 1, all widths d, n_1, ..., n_K, m >= 1, every elementwise activation sigma, "
    "every differentiable loss l(o, y) and every batch size B >= 1: if gradient descent starts in "
    "S = {W_1 = 1 u^T, W_i = c_i 1 1^T (2 <= i <= K), W_{K+1} = v 1^T, b_i = beta_i 1 (i <= K)} "
    "-- in particular from a constant initialization -- then every iterate stays in S: the rows of "
    "W_1..W_K stay equal, the columns of W_2..W_{K+1} stay equal, the entries of b_1..b_K stay equal, "
    "and the network computes the function of a width-1 network."
)

#: One network with every kind of layer (first, two middle, output) keeps the check
#: cheap; tests/test_general.py cross-validates at many random architectures.
CROSS_CHECK_NETWORKS = ((2, 3, 2, 2, 2),)
CROSS_CHECK_ACTIVATIONS = ("softplus",)


#: The network, data and training of a counterexample to the theorem's statement: K = 2, so
#: it has a first, a middle and an output weight, each of which a dropped hypothesis can free.
COUNTEREXAMPLE_NETWORK = MLP((2, 3, 3, 2), "softplus", "mse")
COUNTEREXAMPLE_BATCH = 3
COUNTEREXAMPLE_STEPS = 2
#: Kept invariants must hold to rounding at the start (``tolerances.ONE_STEP_TIE``) and be off by more
#: than ``tolerances.SEPARATED_BY_TRAINING`` after training.


@dataclass(frozen=True)
class StatementCounterexample:
    """A concrete network, start and data where the theorem's conclusion fails.

    The start satisfies every hypothesis that was kept (the dropped ones are
    free), and NumPy gradient descent breaks a kept invariant: the hidden units
    separate, so the weakened statement is false, not merely unproved."""

    network: str
    dropped: tuple[str, ...]
    start: dict  # parameter -> nested lists of floats
    xs: tuple
    ys: tuple
    step: int  # the training step at which a kept invariant first breaks
    broken: str  # which one, and by how much
    learning_rate: float = FLOAT_LEARNING_RATE


@dataclass(frozen=True)
class GeneralProof(LatexDisplay):
    theorem: str
    verdict: str
    lemmas: tuple[Lemma, ...]
    dropped: tuple[str, ...]
    cross_check: tuple[tuple[str, float], ...]  # (network, max relative difference)
    counterexample: StatementCounterexample | None = None  # present exactly when refuted

    @property
    def failed(self) -> tuple[Lemma, ...]:
        return tuple(lemma for lemma in self.lemmas if not lemma.checked)

    @property
    def dropped_hypotheses(self) -> dict[str, str]:
        """Each dropped hypothesis with its statement."""
        return {name: HYPOTHESES[name] for name in self.dropped}

    @property
    def rescaling(self) -> tuple[str, ...]:
        """How the parameters of the width-1 collapse are rescaled (Part III)."""
        return RESCALING


def check_dropped(names) -> frozenset:
    for name in names:
        if name not in HYPOTHESES:
            raise InvalidSpec(unknown_name("drop", name, HYPOTHESES))
    return frozenset(names)


def layer_lemmas(setting: Setting) -> list[Lemma]:
    """Forward, output, backward and update lemmas, and the inductions over layers and steps."""
    ff, fm = forward_first(setting), forward_middle(setting)
    forward = Lemma(
        setting.name("forward-layers"),
        "for every K >= 1 and i = 1..K, z_i and h_i have equal entries (induction on i: "
        "forward-first for i = 1, forward-middle for i-1 -> i)",
        ("the parameters lie in S",),
        (premise(ff), premise(fm), link(ff, "h_1", fm, "h_{i-1}"), link(fm, "h_i", fm, "h_{i-1}")),
        premises=(ff.name, fm.name),
    )
    og, bo, bm, bf = output_gradient(setting), backward_output(setting), backward_middle(setting), backward_first(setting)
    backward = Lemma(
        setting.name("backward-layers"),
        "for every K >= 1, dL/dh_i has equal entries for i = K, ..., 1 (downward induction: "
        "backward-output for K, backward-middle for i -> i-1), hence dL/dW_1 has equal rows, "
        "dL/dW_i (2 <= i <= K) is constant, dL/dW_{K+1} has equal columns and every dL/db_i "
        "(i <= K) has equal entries",
        ("the parameters lie in S",),
        (premise(forward), premise(og), premise(bo), premise(bm), premise(bf),
         link(ff, "h_1", og, "h_K"), link(fm, "h_i", og, "h_K"),
         link(bo, "dL/dh_K", bm, "dL/dh_i"), link(bm, "dL/dh_{i-1}", bm, "dL/dh_i"),
         link(bo, "dL/dh_K", bf, "dL/dh_1"), link(bm, "dL/dh_{i-1}", bf, "dL/dh_1"),
         link(fm, "z_i", bm, "z_i"), link(ff, "h_1", bm, "h_{i-1}"), link(fm, "h_i", bm, "h_{i-1}"),
         link(ff, "z_1", bf, "z_1")),
        premises=(forward.name, og.name, bo.name, bm.name, bf.name),
    )
    gradients = {**og.derived, **bm.derived, **bf.derived}
    step = update(setting, gradients)
    steps = Lemma(
        setting.name("steps"),
        "induction on the step t: a constant initialization lies in S, and backward-layers with "
        "update carry theta_t in S to theta_{t+1} in S" + (" (mini-batch SGD: the gradient is the sum "
                                                           "over the B examples)" if setting.batched else ""),
        ("W_i^(0) = w_i 1 1^T, b_i^(0) = beta_i^(0) 1 (constant initialization)",),
        _constant_initialization() + (premise(backward), premise(step)),
        premises=(backward.name, step.name),
    )
    return [ff, fm, forward, og, bo, bm, bf, backward, step, steps]


def _constant_initialization() -> tuple:
    start = (
        ("W_1^(0)", scalar("w_1") * ones(N1, D), EQUAL_ROWS),
        ("W_i^(0)", scalar("w_i") * ones(N_CUR, N_PREV), CONSTANT),
        ("W_{K+1}^(0)", scalar("w_{K+1}") * ones(M, NK), EQUAL_COLUMNS),
        ("b_i^(0)", scalar("beta_i^(0)") * ones(N_CUR), EQUAL_ROWS),
    )
    return tuple(check_structure(name, value, prop) for name, value, prop in start)


def prove_general(drop=(), seed: int = 0, cross_check: bool = True) -> GeneralProof:
    """Prove the symmetry theorem for all K, widths, activations, losses and batch sizes.

    ``drop`` names hypotheses (keys of ``HYPOTHESES``) to replace by generic
    matrices: the lemmas that need them fail, with the reason."""
    dropped = check_dropped(drop)
    single = Setting(1, dropped, seed)
    lemmas = layer_lemmas(single)
    lemmas += layer_lemmas(Setting(dimension("B"), dropped, seed))
    lemmas += collapse_lemmas(single, seed)
    checks = ()
    if cross_check and not dropped:
        checks = cross_check_numeric({lemma.name: lemma for lemma in lemmas}, seed)
        lemmas.append(Lemma(
            "cross-check",
            "the formulas derived by the lemmas, instantiated at concrete networks, agree with "
            "NumPy backprop at random points of S",
            ("concrete networks " + ", ".join(name for name, _ in checks),),
            tuple(Check(f"{name}: max relative gradient difference {error:.1e} <= {tolerances.SAME_FORMULA:.0e}",
                        error <= tolerances.SAME_FORMULA,
                        "" if error <= tolerances.SAME_FORMULA else f"{name}: difference {error:.3g}")
                  for name, error in checks),
        ))
    if all(lemma.checked for lemma in lemmas):
        return GeneralProof(THEOREM, PROVED, tuple(lemmas), tuple(sorted(dropped)), checks)
    # a failing lemma only leaves the theorem unproved; refuting it takes a network where it fails
    counterexample = refute_statement(dropped, seed)
    return GeneralProof(THEOREM, REFUTED if counterexample else UNDECIDED, tuple(lemmas),
                        tuple(sorted(dropped)), checks, counterexample)


def _kept_invariants(spec: MLP, dropped) -> list[tuple[str, str, str]]:
    """(parameter, hypothesis key, property) for every invariant of S the statement still assumes."""
    K = spec.depth
    invariants = [("W1", "first-weight", EQUAL_ROWS)]
    invariants += [(f"W{i}", "middle-weight", CONSTANT) for i in range(2, K + 1)]
    invariants += [(f"W{K + 1}", "output-weight", EQUAL_COLUMNS)]
    invariants += [(f"b{i}", "hidden-bias", EQUAL_ROWS) for i in range(1, K + 1)]
    return [item for item in invariants if item[1] not in dropped]


def _spread(array: np.ndarray, prop: str) -> float:
    """How far ``array`` is from having ``prop``: the relative tie gap (``ties.class_gap``; NaN ->
    inf) of the parts that must be equal, taken as the units of one class: its rows, its columns
    or its entries."""
    return class_gap({EQUAL_ROWS: array, EQUAL_COLUMNS: array.T, CONSTANT: array.ravel()}[prop])


def refute_statement(dropped, seed: int = 0) -> StatementCounterexample | None:
    """Train a concrete network from a point meeting every kept hypothesis (the dropped ones
    drawn at random) and return where a kept invariant breaks, or None if none does."""
    spec = COUNTEREXAMPLE_NETWORK
    rng = np.random.default_rng(seed + 104729)
    tied = tie_subspace(full_partition(spec), theorem_names=True)
    assignment = dict(zip(tied.symbols, rng.uniform(-1, 1, len(tied.symbols))))
    start = float_values({name: tied.parameters[name] for name in spec.parameter_names}, assignment)
    kept = _kept_invariants(spec, dropped)
    freed = {name for name, key, _ in _kept_invariants(spec, ()) if key in dropped}
    for name in sorted(freed):
        start[name] = rng.uniform(-1, 1, start[name].shape)
    if any(_spread(start[name], prop) > tolerances.ONE_STEP_TIE for name, _, prop in kept):
        return None  # the start must satisfy the kept hypotheses
    data = [sample_example(spec, rng) for _ in range(COUNTEREXAMPLE_BATCH)]
    history = train(spec, "sgd", start, COUNTEREXAMPLE_STEPS, examples=[data] * COUNTEREXAMPLE_STEPS,
                    learning_rate=FLOAT_LEARNING_RATE)
    for step, arrays in enumerate(history[1:], 1):
        if numeric.largest_entry(arrays.values()) == float("inf"):
            return None  # NaN or inf: float training shows nothing
        for name, key, prop in kept:
            spread = _spread(arrays[name], prop)
            if spread > tolerances.SEPARATED_BY_TRAINING:
                lost = "is constant" if prop == CONSTANT else f"has {prop}"
                broken = (f"{name} no longer {lost} (kept hypothesis {key}): entries differ by "
                          f"{spread:.2g} relative")
                return StatementCounterexample(
                    spec.name, tuple(sorted(dropped)),
                    {n: np.asarray(v, dtype=float).tolist() for n, v in start.items()},
                    tuple(tuple(map(float, x)) for x, _ in data), tuple(tuple(map(float, y)) for _, y in data),
                    step, broken)
    return None


def cross_check_numeric(lemmas: dict, seed: int = 0) -> tuple[tuple[str, float], ...]:
    """Instantiate the lemmas at small networks (one example and a batch of 2) and compare
    with ``symcheck.oracle.numeric`` at random tied points."""
    rng = np.random.default_rng(seed)
    results = []
    for widths, activation in zip(CROSS_CHECK_NETWORKS, CROSS_CHECK_ACTIVATIONS):
        spec = MLP(widths, activation, "mse")
        tied = tie_subspace(full_partition(spec), theorem_names=True)
        gradients = instantiate_gradients(lemmas, spec)
        x, y = data_symbols(spec)
        points = [(rng.uniform(-1, 1, len(tied.symbols)), *sample_example(spec, rng)) for _ in range(2)]
        comparison = compare_gradients(spec, tied.parameters, gradients, tied.symbols, x, y, points)
        results.append((f"{spec.name} {activation}", comparison.max_abs_difference))
        # a batch of two examples, summed
        xs, ys = zip(*(sample_example(spec, rng) for _ in range(2)))
        batch_lemmas = {name[len("batch/"):]: lemma for name, lemma in lemmas.items() if name.startswith("batch/")}
        batched = instantiate_gradients(batch_lemmas, spec, batch=2,
                                        xs=[list(map(float, a)) for a in xs], ys=[list(map(float, b)) for b in ys])
        comparison = compare_gradients(
            spec, tied.parameters, batched, tied.symbols, (), (),
            [(rng.uniform(-1, 1, len(tied.symbols)), list(xs), list(ys))],
            reference=lambda arrays, x, y: numeric.batch_gradients(spec, arrays, x, y)[1],
            magnitudes=lambda arrays, x, y: numeric.batch_magnitudes(spec, arrays, x, y)[1])
        results.append((f"{spec.name} {activation} batch of 2", comparison.max_abs_difference))
    return tuple(results)

