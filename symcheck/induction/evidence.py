"""The evidence policy: when a verdict of the induction engine may be released.

A verdict is released only when routes that share no code with the one that produced it
agree with it; otherwise it is withheld ("undecided", exit 3) with a note saying which
route disagreed. The routes, and what each is independent of:

- **symbolic** (the verdict itself): SymPy backprop by the layer recursion at the generic
  point of the subspace (``symbolic.backprop``), the update rule, every identity decided by
  the decider (``exact``): syntactic identity, exact evaluation at rational points, normal
  forms. A witness of the DAG evaluator leaves the decider only once SymPy's own arithmetic
  confirms it (``exact.recheck.confirmed_by_sympy``: exact rationals and ``evalf``, no code of
  the evaluator); this holds for every caller of the decider, not only this engine.
- **replay** of a counterexample (``oracle.replay``, plain Python fractions, or 60-digit
  mpmath where the network is not rational; it never imports SymPy): the update is recomputed
  from the rational point by its own backprop, and the two entries must differ far above
  rounding, relative to their size. Initial values are compared as Python fractions (or, for
  symbolic constants, by SymPy's own arithmetic at the witness point,
  ``exact.recheck.confirmed_by_sympy``, not by the DAG evaluator that found it). *A refutation needs a counterexample that survived its replay*
  (``released``).
- **NumPy cross-check** (``oracle.numeric``, float64, its own forward and backward pass):
  the symbolic gradients must agree with NumPy's at random points of the subspace, relative
  to each entry's magnitude, and one numeric step must keep the identities. *A proof needs it*
  (``checked``): it catches a wrong derivation, which the decider would judge faithfully.
- **confirmation** (``induction.confirmation``): float training from the initialization with
  the same optimizer, judged by its own array comparisons (not by the identities above). It
  must not contradict the verdict, whichever it is (``checked``; ``contradicted_by_training``
  for ``analyze``'s twins; ``*_claim_withheld`` for the theorem kinds twins, dead and
  no_hidden_layer): it catches a wrong update rule or a wrong invariant predicate, which the
  gradient cross-check cannot see. NaN or inf in any numeric route confirms nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .. import budget
from ..exact.verdict import PROVED, REFUTED, UNDECIDED
from ..oracle import numeric, tolerances
from ..oracle.ties import BITWISE, NOT_KEPT, class_gap, tie_level
from ..symbolic.backprop import backprop, data_symbols
from ..model.optimizers import gradient_step
from ..model.sentence import Sentence
from ..oracle.training import FLOAT_LEARNING_RATE, sample_example
from ..symbolic.crosscheck import GradientComparison, compare_gradients
from ..exact.evaluation import float_values
from .invariants import entry

CROSS_CHECK_POINTS = 3


def released(verdict: str, counterexample) -> str:
    """A refutation stands only with a counterexample that survived its independent replay."""
    if verdict == REFUTED and (counterexample is None or not counterexample.rechecked):
        return UNDECIDED
    return verdict


def withheld(result, reason: str):
    """``result`` (a proof, or any verdict with notes) undecided, saying why."""
    return replace(result, verdict=UNDECIDED, notes=result.notes + (Sentence((f"{reason}; the verdict is withheld",)),))


def withhold_unreplayed(result):
    """``released`` for a finished result, saying so in its notes: a counterexample that failed
    its replay (the engine has already withheld its refutation), or a refutation without one."""
    example = result.counterexample
    if (example is not None and not example.rechecked) or released(result.verdict, example) != result.verdict:
        return withheld(result, "the counterexample did not survive its independent re-check")
    return result


@dataclass(frozen=True)
class StepCrossCheck:
    """NumPy at random points of the invariant set: gradients agree, invariants survive."""

    gradients: GradientComparison
    invariants_hold: bool
    bitwise: bool

    @property
    def passed(self) -> bool:
        return self.gradients.passed and self.invariants_hold


def checked(proof, seed: int, confirm, gradients=None):
    """The whole policy for a symmetry proof (``symmetry.Proof``): a refutation needs its
    replayed counterexample; a proof needs the NumPy cross-check at points of ``proof.tied``
    (a ``subspace.Subspace``); either needs the confirmation by float training not to
    contradict it. ``confirm(proof, seed, gradients)``: that confirmation
    (``confirmation.confirm_symmetry``; passed in, because float training reads the engine's
    sampler). ``gradients``: the symbolic gradients at ``proof.tied``, when known."""
    proof = withhold_unreplayed(proof)
    spec, tied = proof.spec, proof.tied
    budget.phase(f"cross-checking the proof for MLP {budget.brief(spec.name)} with NumPy")
    if gradients is None:
        x, y = data_symbols(spec)
        gradients = backprop(spec, tied.parameters, x, y).gradients
    proof = judged_by_cross_check(proof, cross_check(tied, gradients, seed))
    return judged_by_confirmation(proof, confirm(proof, seed, gradients))


def judged_by_cross_check(proof, check: StepCrossCheck, derivation: str = "the symbolic derivation"):
    """``proof`` carrying ``check``; a proof the NumPy cross-check disagrees with is withheld."""
    proof = replace(proof, cross_check=check)
    if not check.passed and proof.verdict == PROVED:
        proof = withheld(proof, f"the NumPy cross-check disagrees with {derivation} "
                                f"(max relative gradient difference {check.gradients.max_abs_difference:.3g})")
    return proof


def judged_by_confirmation(proof, confirmation):
    """``proof`` carrying ``confirmation``; a verdict that float training contradicts is withheld
    (the gradient cross-check cannot see a wrong invariant predicate or equality decision: the
    gradients are right, the judgement of them is not)."""
    proof = replace(proof, confirmation=confirmation)
    if proof.verdict in (PROVED, REFUTED) and not confirmation.consistent:
        proof = withheld(proof, f"the numeric confirmation contradicts the symbolic verdict '{proof.verdict}' "
                                f"(NumPy: {confirmation.detail})")
    return proof


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # a non-finite value fails worst_gap, is never tied
def cross_check(subspace, gradients, seed: int) -> StepCrossCheck:
    """At random points of ``subspace``: symbolic vs NumPy gradients, and the identities on the
    parameters after one NumPy gradient step."""
    spec = subspace.spec
    x, y = data_symbols(spec)
    rng = np.random.default_rng(seed)
    assignments = []
    for _ in range(CROSS_CHECK_POINTS):
        values = rng.uniform(-1.0, 1.0, len(subspace.symbols))
        xs, ys = sample_example(spec, rng)
        assignments.append((values, xs, ys))
    comparison = compare_gradients(spec, subspace.parameters, gradients, subspace.symbols, x, y, assignments)
    holds, bitwise = True, True
    for values, xs, ys in assignments:
        assignment = dict(zip(subspace.symbols, values))
        arrays = float_values(subspace.parameters, assignment)
        result = numeric.backprop(spec, arrays, xs, ys)
        stepped = gradient_step(arrays, result.gradients, FLOAT_LEARNING_RATE)
        for identity in subspace.identities:
            value = stepped[identity.group]
            a = entry(value, identity.position)
            b = 0.0 if identity.reference is None else entry(value, identity.reference)
            level = tie_level(class_gap((a, b)), tolerances.ONE_STEP_TIE)
            bitwise &= level == BITWISE
            holds &= level != NOT_KEPT
    return StepCrossCheck(comparison, holds, bitwise)


def contradicted_by_training(verdict: str, finite: bool, twins_stay_equal: bool) -> str | None:
    """Why float training (``analysis.numeric_confirmation``) withholds an ``analyze`` twins
    verdict, or None."""
    if verdict != UNDECIDED and not finite:
        return "float training produced NaN or inf, so it confirms nothing"
    if verdict == PROVED and not twins_stay_equal:
        return "float training separated twins that the proof keeps tied"
    return None


def twins_claim_withheld(verdict: str, twins_stay_equal: bool | None) -> str | None:
    """Theorem kind ``twins``: a refutation that float training does not see is withheld too."""
    if verdict == REFUTED and twins_stay_equal:
        return "float training keeps the twins equal although the proof separates them: verdict withheld"
    return None


def dead_claim_withheld(verdict: str, output_bias: str, moves: bool, stays_zero: bool,
                        finite: bool) -> str | None:
    """Theorem kind ``dead``: "only the output bias moves" needs float training to keep every
    other entry exactly 0 and a rational point where the output bias moves."""
    if not finite:
        return "float training produced NaN or inf: no numeric confirmation, verdict withheld"
    if verdict == PROVED and not moves:
        return f"{output_bias} was not shown to move: verdict withheld"
    if verdict == PROVED and not stays_zero:
        return "float training moves an entry the proof keeps at 0: verdict withheld"
    return None


def regression_claim_withheld(verdict: str, separated: bool, finite: bool) -> str | None:
    """Theorem kind ``no_hidden_layer``: float training from zero must separate the weights
    exactly when the engine refutes "they stay equal"."""
    if not finite:
        return "float training produced NaN or inf: no numeric confirmation, verdict withheld"
    if (verdict == REFUTED and not separated) or (verdict == PROVED and separated):
        return "float training contradicts the symbolic verdict: verdict withheld"
    return None


__all__ = ["CROSS_CHECK_POINTS", "StepCrossCheck", "checked", "contradicted_by_training", "cross_check",
           "dead_claim_withheld", "judged_by_confirmation", "judged_by_cross_check", "regression_claim_withheld",
           "released", "twins_claim_withheld", "withheld", "withhold_unreplayed"]
