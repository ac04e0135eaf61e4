"""Everything the handout shows, computed: a ``Handout`` value that
``symcheck.render.handout_tex`` typesets."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..symbolic.derivation import SCALAR_FORM_MAX_PARAMETERS, Derivation, derive
from ..errors import HandoutUndecided, InvalidSpec
from ..exact.verdict import PROVED, UNDECIDED
from ..general import GeneralProof, prove_general
from ..induction.symmetry import Proof, prove_symmetry
from ..model.spec import MLP
from ..initialization.variance import VarianceDerivation, backward_recursion, forward_recursion, he_rule, lecun_rule, \
    relu_second_moment, tanh_linear_regime, xavier_rule
from .cases import CaseTable, case_table
from .exact import parameters
from .exercises import Exercises, exercises
from .scaling import LayerScales, Saturation, layer_scales, saturation
from .training import (
    CONSTANT_WEIGHT, RANDOM_STD, RULE_STEPS, RULES_SPEC, STEPS, RuleOutcome, TrainingRun, training_runs,
    update_rule_outcomes,
)
from .worked import WorkedStep, worked_steps

#: The worked example and the case table are done by hand on paper: small networks only.
WORKED_MAX_PARAMETERS = SCALAR_FORM_MAX_PARAMETERS
WORKED_LEARNING_RATE = sp.Integer(1)
#: Softmax regression in the body: this many classes.
SOFTMAX_CLASSES = 3
#: "Do several outputs break the symmetry?": the worked network with this many outputs.
SEVERAL_OUTPUTS = 3


@dataclass(frozen=True)
class Regressions:
    """No hidden layer (K = 0), one step from all zeros on the worked example's input."""

    logistic: WorkedStep  # sigmoid output, binary cross-entropy
    linear: WorkedStep  # identity output, squared error
    softmax: WorkedStep  # SOFTMAX_CLASSES classes, cross-entropy, class 1


@dataclass(frozen=True)
class Handout:
    spec: MLP  # the network of the handout
    seed: int  # the exercises' instance
    worked_spec: MLP  # the network of the worked example (the handout's, or 2-2-1 if large)
    derivation: Derivation
    proof: Proof
    worked: tuple[WorkedStep, ...]  # steps 1 and 2 from W = 0, b = 0
    regressions: Regressions
    several_outputs: Proof  # the theorem for the worked network with SEVERAL_OUTPUTS outputs
    cases: CaseTable
    scales: tuple[LayerScales, ...]
    saturation: tuple[Saturation, ...]
    runs: tuple[TrainingRun, ...]
    rules: tuple[RuleOutcome, ...]
    exercises: Exercises
    general: GeneralProof  # the theorem for every depth and width, lemma by lemma
    variance: tuple[VarianceDerivation, ...]  # where LeCun, He and Xavier come from
    appendix: bool = False  # print the machine certificates (lemma by lemma) after the exercises

    #: the float experiments' settings, as the document states them
    training_steps = STEPS  # full-batch steps of the training runs
    rule_steps = RULE_STEPS  # float steps behind each update rule's measured row difference
    constant_weight = CONSTANT_WEIGHT  # the "constant" run's W
    random_std = RANDOM_STD  # the "random" run's standard deviation


def example_data(spec: MLP):
    """x = (1, 2, ..., d); y = 1 for every output (class 1 for ce)."""
    x = tuple(range(1, spec.input_width + 1))
    y = (1,) + (0,) * (spec.output_width - 1) if spec.loss == "ce" else (1,) * spec.output_width
    return x, y


def build_handout(spec: MLP, seed: int = 0, appendix: bool = False) -> Handout:
    if spec.depth == 0:
        raise InvalidSpec("widths: the handout is about hidden units; give at least one hidden layer, "
                          "e.g. 2,2,1")
    worked_spec = spec if spec.parameter_count <= WORKED_MAX_PARAMETERS else \
        MLP((2, 2, 1), spec.activation, "bce")
    if spec.widths[1] < 2:
        raise InvalidSpec(f"widths: {spec.name} has one unit in hidden layer 1 and nothing to be symmetric; "
                          "give at least 2, e.g. 2,2,1")
    x, y = example_data(worked_spec)
    zeros = parameters(worked_spec, lambda name, shape: _zeros(shape))
    worked = worked_steps(worked_spec, zeros, x, y, WORKED_LEARNING_RATE, 2)
    hidden = spec.activation if spec.activation != "f" else "tanh"
    rules = update_rule_outcomes(RULES_SPEC)
    outputs_spec = MLP(worked_spec.widths[:-1] + (SEVERAL_OUTPUTS,), worked_spec.activation, worked_spec.loss)
    handout = Handout(
        spec=spec,
        seed=seed,
        worked_spec=worked_spec,
        derivation=derive(spec),
        proof=prove_symmetry(spec, "constant"),
        worked=worked,
        regressions=regressions(x),
        several_outputs=prove_symmetry(outputs_spec, "constant"),
        cases=case_table(worked_spec, x, y, WORKED_LEARNING_RATE, seed=0),
        scales=layer_scales(spec),
        saturation=saturation(hidden if hidden in ("sigmoid", "tanh") else "sigmoid"),
        runs=training_runs(spec),
        rules=rules,
        exercises=exercises(seed),
        general=prove_general(seed=seed),
        variance=scale_derivations(),
        appendix=appendix,
    )
    verify(handout)
    return handout


def regressions(x) -> Regressions:
    def step(spec: MLP, y) -> WorkedStep:
        zeros = parameters(spec, lambda name, shape: _zeros(shape))
        return worked_steps(spec, zeros, x, y, WORKED_LEARNING_RATE, 1)[0]

    d = len(x)
    return Regressions(
        logistic=step(MLP((d, 1), "identity", "bce"), (1,)),
        linear=step(MLP((d, 1), "identity", "mse"), (1,)),
        softmax=step(MLP((d, SOFTMAX_CLASSES), "identity", "ce"), (1,) + (0,) * (SOFTMAX_CLASSES - 1)),
    )


def verify(h: Handout) -> None:
    """Every check behind a sentence, a cell or a caption: decided and agreeing, or the handout is
    not built (the message names the cell). Nothing undecided reaches a student."""
    problems = []
    for step in (*h.worked, h.regressions.logistic, h.regressions.linear, h.regressions.softmax):
        if not step.checked:
            problems.append(f"worked step {step.step} of {step.spec.name}: exact and NumPy gradients differ "
                            f"by {step.numeric_difference:.2g}")
    for row, traced in zip(h.cases.rows, h.cases.trace_agrees or (True,) * len(h.cases.rows)):
        for step in row.steps:
            if step.unknown:
                problems.append(f"case table ({row.label}), step {step.step}: movement of "
                                f"{', '.join(step.unknown)} undecided")
            elif step.moved != step.numeric_moved:
                problems.append(f"case table ({row.label}), step {step.step}: exact {step.moved} vs NumPy "
                                f"{step.numeric_moved}")
            if step.tied is None:
                problems.append(f"case table ({row.label}), step {step.step}: tied or not undecided")
        if not traced:
            problems.append(f"case table ({row.label}): contradicts symcheck trace")
    for name, proof in (("the theorem for the handout's network", h.proof),
                        ("the several-outputs theorem", h.several_outputs)):
        if proof.verdict != PROVED:
            problems.append(f"{name}: {proof.verdict}")
    if h.general.verdict != PROVED:
        problems.append(f"the general theorem: {h.general.verdict}")
    for rule in h.rules:
        if rule.verdict == UNDECIDED or rule.keeps != (rule.max_row_difference == 0):
            problems.append(f"rule table, {rule.name}: verdict {rule.verdict}, measured row difference "
                            f"{rule.max_row_difference:.2g}")
    softmax_rows = h.regressions.softmax.updated["W1"]
    if len(set(softmax_rows)) < 2 or not h.regressions.linear.distinct_entries("W1") \
            or not h.regressions.logistic.distinct_entries("W1"):
        problems.append("regression section: the weights of a model without hidden layer stayed equal")
    if any(run.label in ("constant", "zeros") and not run.rows_equal for run in h.runs):
        problems.append("figures: a constant start did not keep the rows of W1 equal in float64")
    if any(run.label == "random" and not run.row_difference[-1] > 0 for run in h.runs):
        problems.append("figures: the random start's units did not separate")
    if problems:
        raise HandoutUndecided("handout not built: " + "; ".join(problems))


def scale_derivations() -> tuple[VarianceDerivation, ...]:
    """The recursions, the activation factors, then the three rules (each checked by SymPy)."""
    return tuple(derivation() for derivation in (forward_recursion, backward_recursion, tanh_linear_regime,
                                                  relu_second_moment, lecun_rule, he_rule, xavier_rule))


def _zeros(shape):
    return [0] * shape[0] if len(shape) == 1 else [[0] * shape[1] for _ in range(shape[0])]
