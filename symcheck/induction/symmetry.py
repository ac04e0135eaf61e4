"""The constant-initialization symmetry theorem for one concrete architecture,
proved by induction over gradient-descent steps.

Base case: the initial values satisfy every invariant.
Inductive step: from the *generic* point of the invariant set (every free
entry, the input x, the target y and the learning rate eta are symbols), one
step theta - eta * dL/dtheta lands in the set again; every identity is decided
exactly by ``exact.decide.decide_equal``.

Every proof also carries an independent NumPy cross-check; a refutation
carries an exact counterexample that is re-checked without SymPy.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np
import sympy as sp

from .. import budget
from ..oracle import numeric, tolerances
from ..model.activations import get_activation
from ..model.optimizers import LEARNING_RATE, gradient_step
from ..symbolic.backprop import backprop, data_symbols
from ..symbolic.crosscheck import GradientComparison, compare_gradients, numeric_value
from ..oracle.training import FLOAT_LEARNING_RATE, sample_example
from ..exact.evaluation import evaluate
from ..exact.identities import as_fraction
from ..exact.verdict import PROVED, REFUTED, UNDECIDED, combine
from ..initialization.inits import Init
from .invariants import (
    Invariant,
    InvariantCheck,
    TiedPoint,
    check_invariant,
    entry,
    symmetry_invariants,
    tied_point,
)
from ..model.spec import MLP
from ..initialization.patterns import parse_init
from ..display import LatexDisplay

CROSS_CHECK_POINTS = 3


@dataclass(frozen=True)
class InvariantResult:
    invariant: Invariant
    base: InvariantCheck
    step: InvariantCheck

    @property
    def status(self) -> str:
        return combine(self.base.status, self.step.status)


@dataclass(frozen=True)
class Counterexample:
    """An exact witness that an invariant fails, with its independent re-check."""

    invariant: Invariant
    stage: str  # "base" (at t = 0) or "step" (after one step from a point of the set)
    position: tuple[int, ...]
    reference: tuple[int, ...]
    value: sp.Expr
    reference_value: sp.Expr
    point: dict = field(default_factory=dict)  # symbol name -> rational, for a step witness
    recheck: str = ""  # how it was re-checked
    rechecked: bool = False


@dataclass(frozen=True)
class StepCrossCheck:
    """NumPy at random points of the invariant set: gradients agree, invariants survive."""

    gradients: GradientComparison
    invariants_hold: bool
    bitwise: bool

    @property
    def passed(self) -> bool:
        return self.gradients.passed and self.invariants_hold


@dataclass(frozen=True)
class Proof(LatexDisplay):
    spec: MLP
    init: Init
    verdict: str  # proved | refuted | undecided
    results: tuple[InvariantResult, ...]
    tied: TiedPoint
    counterexample: Counterexample | None
    cross_check: StepCrossCheck | None
    notes: tuple[str, ...]
    optimizer: str = "sgd"
    #: NumPy-only confirmation of the verdict (``symcheck.induction.confirmation``), None when skipped
    confirmation: object = None
    #: the inductive step's checks on optimizer state (momentum, moments), for other optimizers than SGD
    state_checks: tuple = ()
    #: plain gradient descent: the parameters after the step from the tied point (what was checked)
    stepped: dict | None = None

    @property
    def vacuous(self) -> bool:
        return not self.results

    @property
    def convention(self) -> str:
        return get_activation(self.spec.activation).convention


def prove_symmetry(spec: MLP, init="constant", seed: int = 0, optimizer: str = "sgd") -> Proof:
    """Prove (or refute) that training from ``init`` keeps every invariant at every step.

    ``init`` is an ``Init``-like value or its text (a name, a catalogue scheme, a
    pattern such as "W=0,b=random", a JSON file). ``optimizer`` names an update
    rule of ``symcheck.model.optimizers``; every rule but plain SGD is proved by
    ``optimizer_proof`` (state carried symbolically). Whichever rule produced the
    verdict, ``_checked`` applies the same evidence policy to it."""
    init = parse_init(init, seed) if isinstance(init, str) else init
    budget.phase(f"proving the inductive step for MLP {budget.brief(spec.name)} ({optimizer})")
    gradients = None
    if optimizer != "sgd":
        from .optimizer_symmetry import optimizer_proof

        proof = optimizer_proof(spec, init, seed, optimizer)
    else:
        proof, gradients = _sgd_proof(spec, init, seed)
    proof = _checked(proof, seed, gradients)
    # what the init means for the symmetry, said about the verdict that stands
    base_refuted = any(r.base.status == REFUTED for r in proof.results)
    return replace(proof, notes=proof.notes + init.symmetry_notes(proof.verdict, base_refuted, proof.vacuous))


def _sgd_proof(spec: MLP, init: Init, seed: int):
    """The symbolic verdict for plain gradient descent, and the tied gradients it derived."""
    invariants = symmetry_invariants(spec)
    start = init.values(spec)
    tied = tied_point(spec)
    x, y = data_symbols(spec)
    gradients = backprop(spec, tied.parameters, x, y).gradients
    stepped = gradient_step(tied.parameters, gradients, LEARNING_RATE)
    results = tuple(
        InvariantResult(inv, check_invariant(inv, start[inv.parameter], seed),
                        check_invariant(inv, stepped[inv.parameter], seed))
        for inv in invariants
    )
    verdict = combine(*(r.status for r in results)) if results else PROVED
    counterexample = _counterexample(spec, tied, results, x, y)
    return Proof(spec, init, verdict, results, tied, counterexample, None, _notes(spec),
                 stepped=stepped), gradients


def _checked(proof: Proof, seed: int, gradients=None) -> Proof:
    """The policy every verdict goes through, whatever update rule produced it:
    a refutation needs a counterexample that survived its independent re-check;
    a proof needs the symbolic gradients to agree with NumPy's at random points
    of the invariant set; and either needs the NumPy-only confirmation (training
    from the initialization with the same optimizer) not to contradict it."""
    proof = _withhold_unconfirmed_refutation(proof)
    spec, tied = proof.spec, proof.tied
    budget.phase(f"cross-checking the proof for MLP {budget.brief(spec.name)} with NumPy")
    if gradients is None:
        x, y = data_symbols(spec)
        gradients = backprop(spec, tied.parameters, x, y).gradients
    check = _cross_check(spec, tied, gradients, symmetry_invariants(spec), seed)
    proof = replace(proof, cross_check=check)
    if not check.passed and proof.verdict == PROVED:
        proof = _withheld(proof, "the NumPy cross-check disagrees with the symbolic derivation "
                                 f"(max relative gradient difference {check.gradients.max_abs_difference:.3g})")
    from .confirmation import confirm_symmetry  # it reads Proof: imported here to avoid a cycle

    confirmation = confirm_symmetry(proof, seed, gradients)
    proof = replace(proof, confirmation=confirmation)
    if proof.verdict in (PROVED, REFUTED) and not confirmation.consistent:
        # the gradient cross-check cannot see a wrong invariant predicate or equality
        # decision (the gradients are right, the judgement of them is not); this can
        proof = _withheld(proof, f"the numeric confirmation contradicts the symbolic verdict {proof.verdict!r} "
                                 f"(NumPy: {confirmation.detail})")
    return proof


def _withhold_unconfirmed_refutation(proof: Proof) -> Proof:
    if proof.verdict == REFUTED and (proof.counterexample is None or not proof.counterexample.rechecked):
        return _withheld(proof, "the counterexample did not survive its independent re-check")
    return proof


def _withheld(proof: Proof, reason: str) -> Proof:
    return replace(proof, verdict=UNDECIDED, notes=proof.notes + (f"{reason}; the verdict is withheld",))


def _notes(spec: MLP) -> tuple[str, ...]:
    notes = []
    if spec.depth == 0:
        notes.append(
            "K = 0: the network has no hidden layer, so there are no hidden units to be "
            "interchangeable and the theorem asserts nothing (it holds vacuously). Equal input "
            "weights of linear/logistic/softmax regression do separate after one step when the "
            "inputs differ, so zero or constant init is fine there."
        )
    return tuple(notes)


def _counterexample(spec, tied, results, x, y) -> Counterexample | None:
    for result in results:
        for stage, check in (("base", result.base), ("step", result.step)):
            if check.status != REFUTED:
                continue
            failure = check.failure
            if stage == "base":
                return _recheck_base(result.invariant, failure)
            return _recheck_step(spec, tied, result.invariant, failure, x, y)
    return None


def _recheck_base(invariant, failure) -> Counterexample:
    """Numeric initial values are compared as Python Fractions; symbolic ones are
    evaluated at the witness point by the DAG evaluator (mpmath), a different
    route from the SymPy ``evalf`` that found the witness."""
    point = failure.decision.point
    try:
        rechecked = as_fraction(failure.lhs) != as_fraction(failure.rhs)
        how = "compared as exact Python fractions"
    except TypeError:
        symbols = failure.lhs.free_symbols | failure.rhs.free_symbols
        assignment = {s: sp.Rational(point[s.name]) for s in symbols if s.name in point}
        left, right = (evaluate(side, assignment) if len(assignment) == len(symbols) else None
                       for side in (failure.lhs, failure.rhs))
        rechecked = (left is not None and right is not None
                     and abs(left - right) > 1e-40 * max(abs(left), abs(right)))  # relative, 60 digits
        how = "evaluated at the witness point with 60-digit mpmath arithmetic"
    return Counterexample(invariant, "base", failure.position, failure.reference,
                          failure.lhs, failure.rhs, point, how, rechecked)


def _recheck_step(spec, tied, invariant, failure, x, y) -> Counterexample:
    """Replay the witness point in NumPy float64 and confirm the two entries differ."""
    decision = failure.decision
    point = decision.point
    values = {s: float(Fraction(str(point[s.name]))) if s.name in point else 0.0 for s in tied.symbols}
    arrays = {name: numeric_value(v, values) for name, v in tied.parameters.items()}
    xs = np.array([float(point.get(s.name, 0)) for s in x])
    ys = np.array([float(point.get(s.name, 0)) for s in y])
    eta = float(point.get(LEARNING_RATE.name, 1))
    result = numeric.backprop(spec, arrays, xs, ys)
    stepped = gradient_step(arrays, result.gradients, eta)
    value = stepped[invariant.parameter]
    # differ beyond rounding: relative to the terms of each entry, |theta| + eta * (terms of its gradient)
    sizes = numeric.gradient_magnitudes(spec, arrays, xs, ys)[1][invariant.parameter]
    floor = np.abs(arrays[invariant.parameter]) + abs(eta) * sizes
    differ = numeric.worst_gap(value[failure.position], value[failure.reference],
                               max(floor[failure.position], floor[failure.reference])) > tolerances.SAME_FORMULA
    differ = differ and numeric.largest_entry([value]) < float("inf")
    return Counterexample(invariant, "step", failure.position, failure.reference,
                          sp.Float(decision.lhs_value), sp.Float(decision.rhs_value), point,
                          "replayed in NumPy float64 backprop", bool(differ))


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # a non-finite value fails worst_gap and ==
def _cross_check(spec, tied, gradients, invariants, seed) -> StepCrossCheck:
    x, y = data_symbols(spec)
    rng = np.random.default_rng(seed)
    assignments = []
    for _ in range(CROSS_CHECK_POINTS):
        values = rng.uniform(-1.0, 1.0, len(tied.symbols))
        xs, ys = sample_example(spec, rng)
        assignments.append((values, xs, ys))
    comparison = compare_gradients(spec, tied.parameters, gradients, tied.symbols, x, y, assignments)
    holds, bitwise = True, True
    for values, xs, ys in assignments:
        assignment = dict(zip(tied.symbols, values))
        arrays = {name: numeric_value(v, assignment) for name, v in tied.parameters.items()}
        result = numeric.backprop(spec, arrays, xs, ys)
        stepped = gradient_step(arrays, result.gradients, FLOAT_LEARNING_RATE)
        for inv in invariants:
            value = stepped[inv.parameter]
            for position, reference in inv.pairs(value):
                a, b = entry(value, position), entry(value, reference)
                bitwise &= bool(a == b)
                holds &= numeric.worst_gap(a, b) <= tolerances.ONE_STEP_TIE
    return StepCrossCheck(comparison, holds, bitwise)
