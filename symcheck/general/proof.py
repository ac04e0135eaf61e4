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
from ..model.sentence import (
    AtStep, Dots, Entry, Equals, Listed, Measured, Operation, Relation, Sentence, Subscript, Transposed, said,
)
from .collapse import RESCALING, collapse_lemmas
from .instantiate import instantiate_gradients
from .lemmas import (
    BATCH_PREFIX, B_I, D, H_1, H_I, H_K, H_PREVIOUS, HYPOTHESES, M, N1, N_CUR, N_PREV, NK, W_1, W_I, W_OUT, Z_1, Z_I,
    Lemma,
    Setting, backward_first, backward_middle, backward_output, forward_first, forward_middle, link, output_gradient,
    premise, update, within_tolerance,
)
from .notation import (
    ANY_MATRIX, EXAMPLE_LOSS, G, HIDDEN, IN_THE_SET, INVARIANT_SET, INVARIANT_SET_RANGES, K, LAYER, LAYERS_1_TO_K,
    LOSS_GRADIENT, MIDDLE, ONES, PREVIOUS_LAYER, SIGMA, SIGMA_PRIME, STEP, THETA, bias, gradient, times,
    weight,
)
from .structure import (
    COLUMN_INDEX, CONSTANT, EQUAL_COLUMNS, EQUAL_ROWS, ROW_INDEX, check_structure, dimension, ones, scalar,
)

BATCH = dimension("B")

THEOREM = said(
    "For every depth ", Relation(K, ">=", 1), ", all widths ", Relation(Listed((D, N1, Dots(), NK, M)), ">=", 1),
    ", every elementwise activation ", SIGMA, ", every differentiable loss ", EXAMPLE_LOSS,
    " and every batch size ", Relation(BATCH, ">=", 1), ": if gradient descent starts in ", INVARIANT_SET_RANGES,
    " -- in particular from a constant initialization -- then every iterate stays in ", INVARIANT_SET,
    ": the rows of ", Listed((W_1, weight("K")), ".."), " stay equal, the columns of ",
    Listed((weight("2"), W_OUT), ".."), " stay equal, the entries of ", Listed((bias("1"), bias("K")), ".."),
    " stay equal, and the network computes the function of a width-1 network.")

#: The notation of the proof, line by line as the text prints it (after "Notation: ").
NOTATION = (
    said(W_I, " is ", Operation(N_CUR, "x", N_PREV), " (", Equals(dimension("n_0"), D), ", ",
         Equals(dimension("n_{K+1}"), M), "); ", ONES, " is a column of ones of the size its"),
    said("place requires; every width and the batch size ", BATCH, " are symbols; ", SIGMA, " is an uninterpreted"),
    said("activation with derivative ", SIGMA_PRIME, "; ", Equals(G, LOSS_GRADIENT), " is an arbitrary ",
         Operation(M, "x", BATCH), " matrix, so the loss is"),
    said("arbitrary too. Each lemma builds the layer's equations as SymPy matrix expressions, asks SymPy"),
    said("for the entry ", Entry(ANY_MATRIX, ROW_INDEX, COLUMN_INDEX), " at symbolic indices ",
         Listed((ROW_INDEX, COLUMN_INDEX)), ", and checks which index it depends on."),
    said("A generic middle layer ", MIDDLE, " is one lemma, so the proof holds for every depth ",
         Relation(K, ">=", 1), "."),
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
    theorem: Sentence
    verdict: str
    lemmas: tuple[Lemma, ...]
    dropped: tuple[str, ...]
    cross_check: tuple[tuple[str, float], ...]  # (network, max relative difference)
    counterexample: StatementCounterexample | None = None  # present exactly when refuted

    @property
    def failed(self) -> tuple[Lemma, ...]:
        return tuple(lemma for lemma in self.lemmas if not lemma.checked)

    @property
    def dropped_hypotheses(self) -> dict[str, Sentence]:
        """Each dropped hypothesis with its statement."""
        return {name: HYPOTHESES[name] for name in self.dropped}

    @property
    def rescaling(self) -> tuple[Sentence, ...]:
        """How the parameters of the width-1 collapse are rescaled (Part III)."""
        return RESCALING

    @property
    def notation(self) -> tuple[Sentence, ...]:
        """The notation of the lemmas, line by line."""
        return NOTATION


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
        said("for every ", Relation(K, ">=", 1), " and ", Equals(LAYER, LAYERS_1_TO_K), ", ", Z_I, " and ", H_I,
             " have equal entries (induction on ", LAYER, ": forward-first for ", Equals(LAYER, 1),
             ", forward-middle for ", Operation(PREVIOUS_LAYER, "->", LAYER), ")"),
        (IN_THE_SET,),
        (premise(ff), premise(fm), link(ff, H_1, fm, H_PREVIOUS), link(fm, H_I, fm, H_PREVIOUS)),
        premises=(ff.name, fm.name),
    )
    og, bo, bm, bf = output_gradient(setting), backward_output(setting), backward_middle(setting), backward_first(setting)
    backward = Lemma(
        setting.name("backward-layers"),
        said("for every ", Relation(K, ">=", 1), ", ", gradient(H_I), " has equal entries for ",
             Equals(LAYER, Listed((K, Dots(), 1))), " (downward induction: backward-output for ", K,
             ", backward-middle for ", Operation(LAYER, "->", PREVIOUS_LAYER), "), hence ", gradient(W_1),
             " has equal rows, ", gradient(W_I), " (", MIDDLE, ") is constant, ", gradient(W_OUT),
             " has equal columns and every ", gradient(B_I), " (", HIDDEN, ") has equal entries"),
        (IN_THE_SET,),
        (premise(forward), premise(og), premise(bo), premise(bm), premise(bf),
         link(ff, H_1, og, H_K), link(fm, H_I, og, H_K),
         link(bo, gradient(H_K), bm, gradient(H_I)), link(bm, gradient(H_PREVIOUS), bm, gradient(H_I)),
         link(bo, gradient(H_K), bf, gradient(H_1)), link(bm, gradient(H_PREVIOUS), bf, gradient(H_1)),
         link(fm, Z_I, bm, Z_I), link(ff, H_1, bm, H_PREVIOUS), link(fm, H_I, bm, H_PREVIOUS),
         link(ff, Z_1, bf, Z_1)),
        premises=(forward.name, og.name, bo.name, bm.name, bf.name),
    )
    gradients = {**og.derived, **bm.derived, **bf.derived}
    step = update(setting, gradients)
    steps = Lemma(
        setting.name("steps"),
        said("induction on the step ", STEP, ": a constant initialization lies in ", INVARIANT_SET,
             ", and backward-layers with update carry ", Subscript(THETA, "t"), " in ", INVARIANT_SET, " to ",
             Subscript(THETA, "t+1"), " in ", INVARIANT_SET),
        (said(Equals(AtStep(W_I, "0"), times(INITIAL_WEIGHT, ONES, Transposed(ONES))), ", ",
              Equals(AtStep(B_I, "0"), times(INITIAL_BIAS, ONES)), " (constant initialization)"),),
        _constant_initialization() + (premise(backward), premise(step)),
        premises=(backward.name, step.name),
        addition=said(" (mini-batch SGD: the gradient is the sum over the ", BATCH, " examples)")
        if setting.batched else Sentence(()),
    )
    return [ff, fm, forward, og, bo, bm, bf, backward, step, steps]


INITIAL_WEIGHT, INITIAL_BIAS = scalar("w_i"), scalar("beta_i^(0)")


def _constant_initialization() -> tuple:
    start = (
        (W_1, scalar("w_1") * ones(N1, D), EQUAL_ROWS),
        (W_I, INITIAL_WEIGHT * ones(N_CUR, N_PREV), CONSTANT),
        (W_OUT, scalar("w_{K+1}") * ones(M, NK), EQUAL_COLUMNS),
        (B_I, INITIAL_BIAS * ones(N_CUR), EQUAL_ROWS),
    )
    return tuple(check_structure(AtStep(parameter, "0"), value, prop) for parameter, value, prop in start)


def prove_general(drop=(), seed: int = 0, cross_check: bool = True) -> GeneralProof:
    """Prove the symmetry theorem for all K, widths, activations, losses and batch sizes.

    ``drop`` names hypotheses (keys of ``HYPOTHESES``) to replace by generic
    matrices: the lemmas that need them fail, with the reason."""
    dropped = check_dropped(drop)
    single = Setting(1, dropped, seed)
    lemmas = layer_lemmas(single)
    lemmas += layer_lemmas(Setting(BATCH, dropped, seed))
    lemmas += collapse_lemmas(single, seed)
    checks = ()
    if cross_check and not dropped:
        checks = cross_check_numeric({lemma.name: lemma for lemma in lemmas}, seed)
        lemmas.append(Lemma(
            "cross-check",
            said("the formulas derived by the lemmas, instantiated at concrete networks, agree with "
                 "NumPy backprop at random points of ", INVARIANT_SET),
            (said("concrete networks " + ", ".join(name for name, _ in checks)),),
            tuple(within_tolerance((f"{name}: max relative gradient difference ",), Measured(error, ".1e"), error,
                                   tolerances.SAME_FORMULA, f"{name}: difference ")
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
        batch_lemmas = {name[len(BATCH_PREFIX):]: lemma for name, lemma in lemmas.items()
                        if name.startswith(BATCH_PREFIX)}
        batched = instantiate_gradients(batch_lemmas, spec, batch=2,
                                        xs=[list(map(float, a)) for a in xs], ys=[list(map(float, b)) for b in ys])
        comparison = compare_gradients(
            spec, tied.parameters, batched, tied.symbols, (), (),
            [(rng.uniform(-1, 1, len(tied.symbols)), list(xs), list(ys))],
            reference=lambda arrays, x, y: numeric.batch_gradients(spec, arrays, x, y)[1],
            magnitudes=lambda arrays, x, y: numeric.batch_magnitudes(spec, arrays, x, y)[1])
        results.append((f"{spec.name} {activation} batch of 2", comparison.max_abs_difference))
    return tuple(results)

