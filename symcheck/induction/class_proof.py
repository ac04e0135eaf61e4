"""``prove`` on wide networks: the constant-initialization theorem decided at the class level,
so the cost does not grow with the width (docs/analysis.md, "Functional symmetry").

The invariant set of the theorem is the tied subspace of the partition with one class per
hidden layer. At a point of it the network computes what its quotient (d, 1, ..., 1, m)
computes, and every entry of a block A x B has the gradient (dL_Q/dM[A, B]) / |A| (the
quotient lemma): so the symbolic work is backprop on the quotient, whose size depends on d
and m only. The steps:

- base case: the initial values compared exactly with NumPy on exact integers
  (``equitable.exact_parameters``); a failure is re-derived entry by entry for its witness;
- inductive step: the entries of a block have equal gradients by the quotient lemma (tied
  units have equal h and delta; proved for every width in proofs/coq/Equitable.v,
  ``tied_units_agree``, not re-derived here), and the update rule on one block of equal
  entries keeps them equal -- derived by the engine for every entrywise rule, SGD included
  (``functional.proof.prove_rule_keeps_blocks``); SymPy backprop on the quotient at its
  generic point feeds the cross-check;
- cross-check: the quotient's symbolic gradient, divided by the class sizes and spread over
  the blocks, against NumPy backprop of the full network at random tied points;
- confirmation: NumPy training of the full network from the initialization.

Small networks, and rules that read the network's structure, keep the per-entry proof
(``symmetry.prove_symmetry``); tests check that both routes agree where both run. The base case
and the evidence policy are the engine's and ``evidence``'s, as for the per-entry proof.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from ..oracle import numeric, ties, tolerances, training
from .analysis import PER_ENTRY_PARAMETERS
from ..symbolic.backprop import backprop, data_symbols
from .confirmation import Confirmation
from ..exact.evaluation import flatten
from ..symbolic.crosscheck import GradientComparison, compile_expressions, hyper_draw
from ..functional.equitable import exact_parameters, numeric_start
from ..functional.proof import is_structural, prove_rule_keeps_blocks
from ..exact.verdict import PROVED, REFUTED, UNDECIDED, combine
from ..initialization.patterns import parse_init
from .engine import Induction, check_base, replay_base
from .evidence import (CROSS_CHECK_POINTS, StepCrossCheck, judged_by_confirmation, judged_by_cross_check,
                       withhold_unreplayed)
from .invariants import EQUAL_COLUMNS, EQUAL_ROWS, invariant_identities, symmetry_invariants
from ..model.optimizers import get_optimizer, gradient_step
from .subspace import tie_subspace
from .symmetry import Proof, invariant_check, prove_symmetry
from .twins import full_partition
from ..model.sentence import Sentence
from ..model.spec import MLP

CLASS_LEVEL = "class level: one update per block (quotient lemma)"
STEPS = 3


def prove(spec: MLP, init, seed: int = 0, optimizer: str = "sgd") -> Proof:
    """``prove_symmetry``, at the class level for wide networks and entrywise rules."""
    init = parse_init(init, seed) if isinstance(init, str) else init
    rule = get_optimizer(optimizer)
    if spec.depth == 0 or spec.parameter_count <= PER_ENTRY_PARAMETERS or is_structural(rule):
        return prove_symmetry(spec, init, seed, optimizer=rule.name)
    return class_level_symmetry(spec, init, seed, rule.name)


def quotient_spec(spec: MLP) -> MLP:
    return MLP((spec.input_width,) + (1,) * spec.depth + (spec.output_width,), spec.activation, spec.loss)


def _quotient_parameters(spec: MLP, tied) -> dict:
    """The quotient's weights at the big network's tied point: M[A, B] = |B| W[rep A, rep B]."""
    params = {}
    for i in spec.layers:
        W, b = tied.parameters[f"W{i}"], tied.parameters[f"b{i}"]
        rows = [0] if i <= spec.depth else range(spec.widths[i])  # hidden rows: one class
        if i == 1:  # input units are singletons
            params[f"W{i}"] = tuple(tuple(W[r]) for r in rows)
        else:
            params[f"W{i}"] = tuple((spec.widths[i - 1] * W[r][0],) for r in rows)
        params[f"b{i}"] = tuple(b[r] for r in rows)
    return params


def class_level_symmetry(spec: MLP, init, seed: int = 0, optimizer: str = "sgd") -> Proof:
    invariants = symmetry_invariants(spec)
    start = init.values(spec)
    constants: set = set()
    exact = exact_parameters(spec, start, constants=constants)
    tied = tie_subspace(full_partition(spec), theorem_names=True)
    qspec = quotient_spec(spec)
    qparams = _quotient_parameters(spec, tied)
    x, y = data_symbols(spec)
    qgradients = backprop(qspec, qparams, x, y).gradients
    # two parts: tied units have equal h and delta, so the entries of a block have equal
    # gradients (the quotient lemma, proved for every partition and width in
    # proofs/coq/Equitable.v, tied_units_agree; cross-checked below in NumPy), and the update
    # rule keeps equal entries with equal gradients and state equal -- derived by the engine
    # on one block, for SGD as for every other entrywise rule
    rule = prove_rule_keeps_blocks(optimizer, seed, parametric=True)
    step_status = UNDECIDED if rule is None else rule.verdict
    method = ("class level: equal gradients in a block by the quotient lemma (Coq: Equitable.v, "
              "tied_units_agree), the update rule on one block "
              f"{'not decided (no class-level argument)' if rule is None else rule.verdict + ' by the engine'}")
    base, step, counterexample = [], [], None
    for inv in invariants:
        count = _pair_count(spec, inv)
        check, failure = _base_check(spec, inv, start, exact[inv.parameter], count, seed)
        if counterexample is None and failure is not None:  # the first failing initial value
            counterexample = replace(replay_base(*failure), invariant=inv)
        base.append(check)
        step.append(invariant_check(inv, step_status, count, ((method, count),)))
    verdict = combine(*(check.status for check in base + step))  # no invariant (K = 0): vacuously proved
    induction = Induction(verdict, tuple(step), counterexample, concrete=False, base=tuple(base))
    proof = Proof(spec, init, verdict, induction, tied, None,
                  (Sentence(("decided at the class level: every entry of a block has the quotient's "
                   "gradient divided by the class size (the quotient lemma, proved for every "
                   "width in proofs/coq/Equitable.v, tied_units_agree, not re-derived here); "
                   "the update rule on one block of equal entries is derived by the engine; "
                   f"SymPy backprop on the quotient {qspec.name} (one unit per hidden layer, "
                   "weights = block sums) is compared with NumPy backprop of the full network "
                   "(docs/analysis.md, 'Functional symmetry')",)),),
                  optimizer=optimizer)
    proof = withhold_unreplayed(proof)
    proof = judged_by_cross_check(proof, _cross_check(spec, qspec, qparams, qgradients, tied, seed),
                                  "the class-level derivation")
    proof = judged_by_confirmation(proof, _confirm(proof, sorted(constants, key=str), start, seed))
    base_refuted = any(check.status == REFUTED for check in base)
    return replace(proof, notes=proof.notes + tuple(
        Sentence((note,)) for note in init.symmetry_notes(proof.verdict, base_refuted, proof.vacuous)))


def _pair_count(spec: MLP, inv) -> int:
    rows, cols = spec.parameter_shape(inv.parameter) + ((1,) if inv.parameter[0] == "b" else ())
    if inv.property == EQUAL_ROWS:
        return (rows - 1) * cols
    if inv.property == EQUAL_COLUMNS:
        return rows * (cols - 1)
    return rows - 1


def _base_check(spec: MLP, inv, start: dict, ints: np.ndarray, count: int, seed: int):
    """Exact comparison on integers; on a failure, the engine's base case on the invariant's
    identities finds the witness (it stops at the first differing pair). Returns the check and
    the failure for ``engine.replay_base`` (None when it holds)."""
    reference = ints[:, :1] if inv.property == EQUAL_COLUMNS else ints[:1]  # else equal rows or entries
    holds = bool(np.all(ints == reference))
    if holds:
        return invariant_check(inv, PROVED, count, (("exact integer comparison (NumPy)", count),)), None
    (check,), failure = check_base(invariant_identities(spec)[inv], start, seed)
    return replace(check, invariant=inv), failure


def _expand(spec: MLP, name: str, quotient_value: np.ndarray) -> np.ndarray:
    """A quotient gradient spread over the full network's blocks, divided by the class size."""
    layer = int(name[1:])
    rows = spec.widths[layer] if layer <= spec.depth else None
    if name[0] == "b":
        return np.repeat(quotient_value / rows, rows) if rows else quotient_value
    cols = spec.widths[layer - 1]
    block = quotient_value / rows if rows else quotient_value
    if layer > 1:
        block = np.repeat(block, cols, axis=1)
    return np.repeat(block, rows, axis=0) if rows else block


def _cross_check(spec, qspec, qparams, qgradients, tied, seed) -> StepCrossCheck:
    x, y = data_symbols(spec)
    names = list(spec.parameter_names)
    shapes = [np.array(qgradients[name], dtype=object).shape for name in names]
    flat = [e for name in names for e in flatten(qgradients[name])]
    evaluate = compile_expressions([*tied.symbols, *x, *y], flat)
    rng = np.random.default_rng(seed)
    worst, holds, bitwise = 0.0, True, True
    for _ in range(CROSS_CHECK_POINTS):
        values = rng.uniform(-1.0, 1.0, len(tied.symbols))
        xs, ys = training.sample_example(spec, rng)
        symbolic = np.array(evaluate(*values, *xs, *ys), dtype=float)
        arrays = _tied_arrays(spec, tied, dict(zip(tied.symbols, values)))
        result = numeric.backprop(spec, arrays, xs, ys)
        offset = 0
        for name, shape in zip(names, shapes):
            size = int(np.prod(shape))
            predicted = _expand(spec, name, symbolic[offset:offset + size].reshape(shape))
            offset += size
            expected = result.gradients[name]
            scale = max(1.0, numeric.largest_entry([expected]))  # the group's largest gradient entry
            worst = max(worst, numeric.worst_gap(predicted, expected, scale))  # NaN or inf: inf
        stepped = gradient_step(arrays, result.gradients, training.FLOAT_LEARNING_RATE)
        where = ties.first_untied(spec, stepped)
        holds &= not where
        bitwise &= not where  # first_untied compares bitwise
    comparison = GradientComparison("quotient gradient / class size (symbolic, float64) vs NumPy float64 "
                                    "backprop of the full network", CROSS_CHECK_POINTS, worst, tolerances.SAME_FORMULA)
    return StepCrossCheck(comparison, holds, bitwise)


def _tied_arrays(spec: MLP, tied, assignment: dict) -> dict:
    """The tied point's arrays at ``assignment``, built from its block values (not entry by entry)."""
    arrays = {}
    for name in spec.parameter_names:
        value = tied.parameters[name]
        if name[0] == "W":
            first_row = np.array([float(assignment[e]) for e in value[0]])
            first_col = np.array([float(assignment[row[0]]) for row in value])
            rows, cols = spec.parameter_shape(name)
            if int(name[1:]) == 1 and spec.depth > 0:
                arrays[name] = np.tile(first_row, (rows, 1))
            else:
                arrays[name] = np.tile(first_col[:, np.newaxis], (1, cols))
        else:
            arrays[name] = np.array([float(assignment[e]) if isinstance(e, sp.Symbol) else float(e) for e in value])
    return arrays


def _confirm(proof: Proof, constants: list, start: dict, seed: int) -> Confirmation:
    """NumPy training of the full network from the initialization (symbolic constants get
    seeded values), units compared directly; the step difference is the cross-check's."""
    spec = proof.spec
    rng = np.random.default_rng(seed + 7919)
    assignment = {s: sp.Rational(int(v * 1000), 1000) for s, v in
                  zip(constants, rng.uniform(-1.0, 1.0, len(constants)))}
    arrays = numeric_start(spec, start, assignment)
    if proof.optimizer == "sgd":
        batch = [training.sample_example(spec, rng) for _ in range(3)]
        history = training.train(spec, "sgd", arrays, STEPS, examples=[batch] * STEPS,
                                 learning_rate=training.FLOAT_LEARNING_RATE)
        how = f"NumPy training ({STEPS} steps, batch of 3, lr 0.1)"
    else:
        history = training.train(spec, proof.optimizer, arrays, STEPS, seed,
                                 draw_hyper=hyper_draw(spec, proof.optimizer))
        how = f"float training with {proof.optimizer} ({STEPS} steps, random data and hyperparameters)"
    first_untied = ""
    for step, params in enumerate(history):
        where = ties.first_untied(spec, {k: np.asarray(v, dtype=float) for k, v in params.items()})
        if where:
            first_untied = f"{where} at step {step}"
            break
    tied = not first_untied
    difference = proof.cross_check.gradients.max_abs_difference if proof.cross_check else 0.0
    step_ok = difference <= tolerances.SAME_FORMULA
    consistent = (step_ok and tied) if proof.verdict == PROVED else (
        step_ok and not tied) if proof.verdict == REFUTED else True
    detail = (f"class-level gradient vs NumPy backprop: max relative difference {difference:.1e}; {how} from the "
              "initialization: " + ("units stay tied" if tied else f"units separate ({first_untied})"))
    return Confirmation(difference, tied, first_untied, consistent, detail)


__all__ = ["class_level_symmetry", "prove", "quotient_spec"]
