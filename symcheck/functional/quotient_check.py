"""Float64 evidence for functional ties: the big network and its quotient trained side
by side on the same data, and how far tied units drift apart in floating point.

This is the numeric verdict, separate from the exact one: it never turns a
proof into a refutation or back. Parametric twins stay *bitwise* equal (the
tie-keeping ``numeric.matvec``); functional ties are sums of different numbers,
which round differently, so they are kept to a tolerance at best.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..oracle import numeric, tolerances
from ..oracle.ties import class_gap, tie_level
from .equitable import Quotient, block_sum_weights, block_sums, mean_entries, per_entry_gradient
from ..model.optimizers import get_optimizer
from ..model.spec import MLP
from ..oracle.training import float_run, numpy_gradient, train
from ..symbolic.crosscheck import hyper_draw
from ..induction.twins import Partition



@dataclass(frozen=True)
class QuotientRun:
    steps: int
    big_losses: tuple
    quotient_losses: tuple
    max_loss_difference: float  # relative to the larger of 1 and the two losses (numeric.worst_gap)
    ties: "FloatTie"  # the drift of the network's tied block sums over the same run


@dataclass(frozen=True)
class FloatTie:
    """How the float64 run treated the ties: the largest relative drift of block sums."""

    steps: int
    drift: float
    level: str  # ties.BITWISE | ties.TOLERANCE | ties.NOT_KEPT
    tolerance: float = tolerances.TIE_DRIFT


#: Rules under which training the quotient's mean entries with the same rule IS the network's
#: training: an entry's update reads only its own gradient and state, and its own value at most
#: linearly (decay), so equal gradients and state move a block's sum by |block| times one update.
#: Not: ``adam_l2`` (the value enters Adam's normalisation: different entries with equal sums
#: move differently -- exact only when the blocks hold equal entries, the twin partition),
#: ``clip`` (the global norm counts entries, and the quotient has fewer), and the rules that
#: treat units individually (dropout, per-unit rates, Gauss-Seidel, noise).
QUOTIENT_RULES = frozenset({"sgd", "minibatch", "momentum", "nesterov", "rmsprop", "adam", "adamw",
                            "weight_decay"})


def quotient_is_exact(optimizer, partition: Partition, twins: Partition | None = None) -> bool:
    """Does training the quotient with ``optimizer`` reproduce the network's training exactly
    (in real arithmetic)? ``twins``: the twin partition, for rules exact on equal entries only."""
    name = get_optimizer(optimizer).name
    if name in QUOTIENT_RULES:
        return True
    return name == "adam_l2" and twins is not None and partition.layers == twins.layers


def _quotient_gradient(q: Quotient):
    """Mean-entry parameters -> the big network's per-entry gradient (see ``equitable``)."""
    gradient = numpy_gradient(q.spec)

    def per_example(means, x, y):
        return per_entry_gradient(q, gradient(block_sum_weights(q, means), x, y))
    return per_example


def train_side_by_side(spec: MLP, optimizer, start: dict, q: Quotient, steps: int = 100,
                       seed: int = 0) -> QuotientRun:
    """Train the big network from ``start`` (float arrays) and the quotient in mean-entry
    coordinates with the same rule, data and hyperparameters; compare the losses."""
    big = float_run(spec, optimizer, dict(start), steps, seed, draw_hyper=hyper_draw(spec, optimizer))
    small = float_run(q.spec, optimizer, mean_entries(q), steps, examples=big.examples, hyper=big.hyper,
                      gradient=_quotient_gradient(q))
    big_losses, small_losses, worst = [], [], 0.0
    for examples, params, means in zip(big.examples, big.history, small.history):
        loss_big = sum(numeric.loss_value(spec, params, x, y) for x, y in examples)
        loss_small = sum(numeric.loss_value(q.spec, block_sum_weights(q, means), x, y) for x, y in examples)
        big_losses.append(loss_big)
        small_losses.append(loss_small)
        worst = max(worst, numeric.worst_gap(loss_big, loss_small, 1.0))  # NaN or inf: an infinite difference
    drift = max((tie_drift(spec, q.partition, params) for params in big.history[1:]), default=0.0)
    return QuotientRun(steps, tuple(big_losses), tuple(small_losses), worst, _level(steps, drift))


def _level(steps: int, drift: float) -> "FloatTie":
    return FloatTie(steps, drift, tie_level(drift))


def tie_drift(spec: MLP, partition: Partition, params: dict) -> float:
    """The largest relative difference within a class (``ties.class_gap``) of biases and of float
    block sums. Each class is measured against its largest entry and at least 1: a sum or bias
    that exact arithmetic keeps equal may sit near 0 while the O(1) values it is computed from
    do not, and rounding is relative to those."""
    worst = 0.0
    for i in range(1, spec.depth + 1):
        for name, layer, transpose in ((f"W{i}", i - 1, False), (f"W{i + 1}", i + 1, True)):
            matrix = np.asarray(params[name], dtype=float)  # rules that rebuild rows give tuples
            matrix = matrix.T if transpose else matrix
            colors = _color_array(partition, layer, matrix.shape[1])
            sums = block_sums(matrix[..., np.newaxis], colors, int(colors.max()) + 1)[..., 0]
            worst = max(worst, _classes_gap(sums, partition.classes(i)))
        worst = max(worst, _classes_gap(np.asarray(params[f"b{i}"], dtype=float)[:, np.newaxis], partition.classes(i)))
    return worst


def _classes_gap(rows: np.ndarray, classes) -> float:
    worst = 0.0
    for group in classes:
        block = rows[list(group)]
        largest = float(np.abs(block).max()) if np.all(np.isfinite(block)) else 0.0
        worst = max(worst, class_gap(block, max(1.0, largest)))
    return worst


def _color_array(partition: Partition, layer: int, count: int) -> np.ndarray:
    colors = np.empty(count, dtype=np.int64)
    for label, group in enumerate(partition.classes(layer)):
        colors[list(group)] = label
    return colors


def float_ties(spec: MLP, optimizer, partition: Partition, start: dict, steps: int = 100,
               seed: int = 0) -> FloatTie:
    """Train in float64 from ``start`` and measure the drift of the tied block sums."""

    worst = 0.0
    for params in train(spec, optimizer, start, steps, seed, draw_hyper=hyper_draw(spec, optimizer)):
        worst = max(worst, tie_drift(spec, partition, params))
    return _level(steps, worst)


__all__ = ["FloatTie", "QUOTIENT_RULES", "QuotientRun", "float_ties",
           "quotient_is_exact", "tie_drift",
           "train_side_by_side"]
