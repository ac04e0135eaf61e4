"""Numeric confirmation of a symmetry verdict, independent of the predicates that produced it.

``prove_symmetry`` decides the invariants symbolically and cross-checks its
*gradients* with NumPy. Two faults would slip past that: a wrong update rule
(the gradients are right, the step is not) and a wrong invariant predicate or
equality decision (the step is right, the judgement of it is not). This module
closes both gaps with NumPy alone:

- the symbolic one-step update at random points of the invariant set must equal
  the same step (``optimizers.gradient_step``) taken in floats with NumPy's own backprop there;
- NumPy training from a concrete instance of the initialization, on random data,
  must keep every hidden layer's units tied (for "proved") or separate them (for
  "refuted"), judged by the oracle's bitwise tie check (``oracle.ties.first_untied``),
  not by ``symcheck.induction.invariants``.

``step_at_point`` shows an engine counterexample as ordinary float training would take it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..oracle import numeric, ties, tolerances, training
from ..model.optimizer_symbols import LEARNING_RATE
from ..model.optimizers import gradient_step, step, summed_gradient
from ..oracle import replay
from ..oracle.training import FLOAT_OPS, numpy_gradient
from ..exact.evaluation import flatten, float_values
from .engine import concrete_point
from ..symbolic.backprop import backprop, data_symbols
from ..symbolic.crosscheck import compile_expressions, hyper_draw
from ..exact.verdict import PROVED, REFUTED

POINTS = 2
STEPS = 3
BATCH = 3


@dataclass(frozen=True)
class Confirmation:
    step_difference: float  # max relative difference, symbolic step vs NumPy step
    tied_after_training: bool  # every hidden layer's units equal at steps 0..STEPS
    first_untied: str  # where the units first differ ("" if they never do)
    consistent: bool  # the two facts agree with the verdict
    detail: str
    untied_step: int | None = None  # the first step at which the units differ (None: tied throughout)


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # NaN or inf: no confirmation, said below
def confirm_symmetry(proof, seed: int = 0, gradients: dict | None = None) -> Confirmation:
    """``proof``: a ``symmetry.Proof``; ``gradients``: the symbolic gradients at ``proof.tied``,
    when the caller has them."""
    spec = proof.spec
    rng = np.random.default_rng(seed + 7919)
    difference = _step_difference(proof, rng, gradients)
    start = _initial_arrays(proof, rng)
    if proof.optimizer == "sgd":  # full-batch gradient descent on a fixed batch
        batch = [training.sample_example(spec, rng) for _ in range(BATCH)]
        history = training.train(spec, "sgd", start, STEPS, examples=[batch] * STEPS,
                                 learning_rate=training.FLOAT_LEARNING_RATE)
        how = f"NumPy training ({STEPS} steps, batch of {BATCH}, lr {training.FLOAT_LEARNING_RATE})"
    else:  # train with the update rule the verdict is about, state and all
        history = [{name: np.asarray(value, dtype=float) for name, value in params.items()}
                   for params in training.train(spec, proof.optimizer, start, STEPS, seed,
                                                draw_hyper=hyper_draw(spec, proof.optimizer))]
        how = f"float training with {proof.optimizer} ({STEPS} steps, random data and hyperparameters)"
    first_untied = ""
    untied_step = None
    for step, arrays in enumerate(history):
        if numeric.largest_entry(arrays.values()) == float("inf"):  # before the units were seen to separate
            detail = (f"{how} from the initialization: NaN or inf in float arithmetic at step {step}, "
                      "no numeric confirmation")
            return Confirmation(difference, False, "NaN or inf in training", False, detail)
        where = ties.first_untied(spec, arrays)
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


def _step_difference(proof, rng, gradients: dict | None) -> float:
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
        xs, ys = training.sample_example(spec, rng)
        symbolic = np.array(evaluate(*values, *xs, *ys, training.FLOAT_LEARNING_RATE))
        assignment = dict(zip(tied.symbols, values))
        arrays = float_values({name: tied.parameters[name] for name in names}, assignment)
        result = numeric.backprop(spec, arrays, xs, ys)
        reference = gradient_step(arrays, result.gradients, training.FLOAT_LEARNING_RATE)
        flat_reference = np.concatenate([reference[name].ravel() for name in names])
        # each entry against the size of its terms: |theta| + lr * (terms of its gradient entry)
        sizes = numeric.gradient_magnitudes(spec, arrays, xs, ys)[1]
        floor = np.concatenate([(np.abs(arrays[name]) + training.FLOAT_LEARNING_RATE * sizes[name]).ravel()
                                for name in names])
        worst = max(worst, numeric.worst_gap(symbolic, flat_reference, floor))
    return worst


def _initial_arrays(proof, rng) -> dict:
    """A concrete instance of the initialization: symbolic constants get random values."""
    values = proof.init.values(proof.spec)
    symbols = sorted({s for v in values.values() for e in flatten(v) for s in sp.sympify(e).free_symbols},
                     key=lambda s: s.name)
    assignment = {s: float(v) for s, v in zip(symbols, rng.uniform(-1.0, 1.0, len(symbols)))}
    return float_values(values, assignment)


def step_at_point(problem, values: dict) -> tuple[dict, dict]:
    """One update of an ``engine.Problem`` at a rational point (symbol name -> Fraction),
    in floats with NumPy gradients: how a counterexample looks in ordinary training."""
    filled = concrete_point(problem)
    filled.update(values)
    convert = lambda v: replay.convert(v, filled, replay.FLOAT)  # noqa: E731
    hyper = {k: convert(v) for k, v in problem.hyper.items()}
    examples = [(convert(x), convert(y)) for x, y in problem.examples]
    gradient = summed_gradient(numpy_gradient(problem.spec), examples, sum)
    return step(problem.optimizer, problem.spec, convert(problem.params), convert(problem.state),
                hyper, gradient, FLOAT_OPS)
