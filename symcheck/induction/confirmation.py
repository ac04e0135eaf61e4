"""Numeric confirmation of a symmetry verdict, independent of the predicates that produced it.

``prove_symmetry`` decides the invariants symbolically and cross-checks its
*gradients* with NumPy. Two faults would slip past that: a wrong update rule
(the gradients are right, the step is not) and a wrong invariant predicate or
equality decision (the step is right, the judgement of it is not). This module
closes both gaps with NumPy alone:

- the symbolic one-step update at random points of the invariant set must equal
  ``numeric.gradient_descent_step`` of NumPy's own backprop there;
- NumPy training from a concrete instance of the initialization, on random data,
  must keep every hidden layer's units tied (for "proved") or separate them (for
  "refuted"), judged by direct array comparisons written here, not by
  ``symcheck.induction.invariants``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..oracle import numeric, tolerances, training
from ..symbolic.backprop import backprop, data_symbols, gradient_step
from .crosscheck import flatten, compile_expressions, numeric_value, sample_data
from ..exact.verdict import PROVED, REFUTED
from .symmetry import LEARNING_RATE, Proof
from ..model.spec import MLP

POINTS = 2
STEPS = 3
BATCH = 3
NUMERIC_LEARNING_RATE = 0.1


@dataclass(frozen=True)
class Confirmation:
    step_difference: float  # max relative difference, symbolic step vs NumPy step
    tied_after_training: bool  # every hidden layer's units equal at steps 0..STEPS
    first_untied: str  # where the units first differ ("" if they never do)
    consistent: bool  # the two facts agree with the verdict
    detail: str
    untied_step: int | None = None  # the first step at which the units differ (None: tied throughout)


def units_tied(spec: MLP, arrays: dict) -> str:
    """'' if every hidden unit of every layer is interchangeable in ``arrays``, else where not."""
    for layer in range(1, spec.depth + 1):
        W, b = arrays[f"W{layer}"], arrays[f"b{layer}"]
        if not _close(W, W[:1, :]):
            return f"W{layer} rows differ"
        if not _close(b, b[:1]):
            return f"b{layer} entries differ"
        W_next = arrays[f"W{layer + 1}"]
        if not _close(W_next, W_next[:, :1]):
            return f"W{layer + 1} columns differ"
    return ""


def _close(a: np.ndarray, reference: np.ndarray) -> bool:
    """Bitwise equal, entry by entry (NaN is never equal). Tied units go through the same IEEE
    operations in the same order (``numeric.matvec``), so they stay exactly equal; any
    tolerance would call units tied that differ by less than it (1e12 and 1e12 + 1)."""
    return bool(np.all(np.asarray(a) == np.broadcast_to(reference, np.shape(a))))


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # NaN or inf: no confirmation, said below
def confirm_symmetry(proof: Proof, seed: int = 0, gradients: dict | None = None) -> Confirmation:
    """``gradients``: the symbolic gradients at ``proof.tied``, when the caller has them."""
    spec = proof.spec
    rng = np.random.default_rng(seed + 7919)
    difference = _step_difference(proof, rng, gradients)
    start = _initial_arrays(proof, rng)
    if proof.optimizer == "sgd":
        history = numeric.train(spec, start, *_batch(spec, rng), NUMERIC_LEARNING_RATE, STEPS)
        how = f"NumPy training ({STEPS} steps, batch of {BATCH}, lr {NUMERIC_LEARNING_RATE})"
    else:  # train with the update rule the verdict is about, state and all
        history = [{name: np.asarray(value, dtype=float) for name, value in params.items()}
                   for params in training.train(spec, proof.optimizer, start, STEPS, seed)]
        how = f"float training with {proof.optimizer} ({STEPS} steps, random data and hyperparameters)"
    first_untied = ""
    untied_step = None
    for step, arrays in enumerate(history):
        if numeric.largest_entry(arrays.values()) == float("inf"):  # before the units were seen to separate
            detail = (f"{how} from the initialization: NaN or inf in float arithmetic at step {step}, "
                      "no numeric confirmation")
            return Confirmation(difference, False, "NaN or inf in training", False, detail)
        where = units_tied(spec, arrays)
        if where:
            first_untied, untied_step = f"{where} at step {step}", step
            break
    tied = not first_untied
    step_ok = difference <= tolerances.SAME_FORMULA
    if proof.verdict == PROVED:
        consistent = step_ok and tied
    elif proof.verdict == REFUTED:
        consistent = step_ok and not tied
    else:
        consistent = True
    detail = (f"symbolic one-step gradient update vs NumPy update: max relative difference {difference:.1e}; "
              f"{how} from the initialization: "
              + ("units stay tied" if tied else f"units separate ({first_untied})"))
    return Confirmation(difference, tied, first_untied, consistent, detail, untied_step)


def _step_difference(proof: Proof, rng, gradients: dict | None) -> float:
    """The symbolic gradient step at random points of the invariant set against NumPy's.

    Every optimizer's update is built from these gradients, so this checks the
    gradient route for all of them; the training below checks the update rule."""
    spec, tied = proof.spec, proof.tied
    x, y = data_symbols(spec)
    if gradients is None:
        gradients = backprop(spec, tied.parameters, x, y).gradients
    stepped = gradient_step(tied.parameters, gradients, LEARNING_RATE)
    names = list(spec.parameter_names)
    symbols = [*tied.symbols, *x, *y, LEARNING_RATE]
    flat = [sp.sympify(e) for name in names for e in flatten(stepped[name])]
    evaluate = compile_expressions(symbols, flat)
    worst = 0.0
    for _ in range(POINTS):
        values = rng.uniform(-1.0, 1.0, len(tied.symbols))
        xs, ys = sample_data(spec, rng)
        symbolic = np.array(evaluate(*values, *xs, *ys, NUMERIC_LEARNING_RATE))
        assignment = dict(zip(tied.symbols, values))
        arrays = {name: numeric_value(tied.parameters[name], assignment) for name in names}
        result = numeric.backprop(spec, arrays, xs, ys)
        reference = numeric.gradient_descent_step(arrays, result.gradients, NUMERIC_LEARNING_RATE)
        flat_reference = np.concatenate([reference[name].ravel() for name in names])
        # each entry against the size of its terms: |theta| + lr * (terms of its gradient entry)
        sizes = numeric.gradient_magnitudes(spec, arrays, xs, ys)[1]
        floor = np.concatenate([(np.abs(arrays[name]) + NUMERIC_LEARNING_RATE * sizes[name]).ravel()
                                for name in names])
        worst = max(worst, numeric.worst_gap(symbolic, flat_reference, floor))
    return worst


def _initial_arrays(proof: Proof, rng) -> dict:
    """A concrete instance of the initialization: symbolic constants get random values."""
    values = proof.init.values(proof.spec)
    symbols = sorted({s for v in values.values() for e in flatten(v) for s in sp.sympify(e).free_symbols},
                     key=lambda s: s.name)
    assignment = {s: float(v) for s, v in zip(symbols, rng.uniform(-1.0, 1.0, len(symbols)))}
    return {name: numeric_value(value, assignment) for name, value in values.items()}


def _batch(spec: MLP, rng):
    pairs = [sample_data(spec, rng) for _ in range(BATCH)]
    return [p[0] for p in pairs], [p[1] for p in pairs]
