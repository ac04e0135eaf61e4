"""Claim kind ``twins``: the hidden layers train with the claimed effective widths.

    [training]
    init = "W1=random,W2=0,b=0"
    optimizer = "adam"

    [claim]
    kind = "twins"
    effective_widths = [1, 1]       # one entry per hidden layer

Units are twins when their incoming rows, biases and outgoing columns are
equal; the effective width of a layer is its number of twin classes
(``symcheck.induction.analysis.analyze``). The claim is that the initial values have
exactly these classes and that training keeps them at every step. "proved"
needs the classes of the initial values to match and the persistence proof
(base case, which holds by construction, + inductive step), confirmed by float
training with the same optimizer; "refuted" needs either different initial
classes (exact values) or a counterexample to the persistence that was replayed
independently (``evidence.released`` makes it "undecided" otherwise).
"""

from __future__ import annotations

from ...induction.analysis import analyze
from ...exact.identities import kernel_summary
from ...exact.verdict import PROVED, REFUTED, UNDECIDED
from ...render.data import data as result_data
from ...render.sentence_text import sentence_text
from ...render.text import TextPrinter
from ...render.text_analysis import describe_classes
from ...induction.evidence import twins_claim_withheld
from ..claims import ClaimKind, Verdict
from ._training import theorem_init, validate_init, validate_optimizer
from ... import kernels


def run(theorem, spec) -> Verdict:
    claimed = tuple(theorem.options["effective_widths"])
    training = theorem.training
    analysis = analyze(spec, theorem_init(theorem), training["optimizer"], training["seed"])
    kernel_answers = ""
    if theorem.kernels:  # independent kernels can only withhold a verdict, never make one
        analysis = kernels.apply(analysis, theorem.kernels)
        kernel_answers = kernels.summary(analysis, theorem.kernels)
    actual = analysis.partition.effective_widths
    name = f"{spec.name} {spec.activation}/{spec.loss}, init {training['init']}, optimizer {training['optimizer']}"
    evidence = [f"layer {i}: effective width {len(classes)} of {spec.widths[i]}, classes "
                f"{describe_classes(classes)}" for i, classes in enumerate(analysis.partition.layers, 1)]
    data = result_data(analysis)
    if actual != claimed:
        evidence.insert(0, f"counterexample: the initial values (exact) give effective widths "
                           f"{list(actual)}, the claim says {list(claimed)}")
        return Verdict(REFUTED, f"{name}: effective widths {list(actual)} at the start, not {list(claimed)}",
                       tuple(evidence), data)
    twins = analysis.twins
    step = twins.step if twins is not None else None
    if step is not None:
        evidence.append(f"base case (t = 0): {twins.base_identities} identities, {twins.extra['base_case']}")
        for check in step.checks:
            evidence.append(f"{check.describe()}: {check.status} ({check.identities} identities)"
                            f"{kernel_summary(check)}")
        if step.counterexample is not None:
            evidence += TextPrinter().counterexample_lines(step.counterexample, "from a point of the tied set")
    if analysis.numeric is not None:
        evidence.append(f"numeric confirmation: float training ({analysis.numeric.runs} runs x "
                        f"{analysis.numeric.steps} steps, random data): largest relative difference between "
                        f"twins {analysis.numeric.max_twin_difference:.3g}")
    evidence += [f"note: {sentence_text(note)}" for note in analysis.notes]
    status = twins.verdict if twins is not None else UNDECIDED
    if step is None and status == PROVED:
        # no twins at the start: analyze has nothing to keep tied, and it does not prove that
        # distinct units never become twins later
        evidence.append("every hidden unit is distinct at the start; that none become twins later is "
                        "not proved: verdict withheld")
        status = UNDECIDED
    reason = twins_claim_withheld(status, analysis.numeric is not None and analysis.numeric.twins_stay_equal)
    if reason is not None:
        evidence.append(reason)
        status = UNDECIDED
    summary = {PROVED: f"twins persist: effective widths {list(actual)} at every step",
               REFUTED: "twins separate during training", UNDECIDED: "no verdict on the persistence"}[status]
    return Verdict(status, f"{name}: {summary}{kernel_answers}", tuple(evidence), data)


def validate(theorem, specs) -> None:
    widths = theorem.options.get("effective_widths")
    if widths is None:
        raise theorem.error("claim.effective_widths", "missing; give one width per hidden layer, e.g. [1, 1]")
    if (not isinstance(widths, list) or not widths
            or not all(isinstance(w, int) and not isinstance(w, bool) and w >= 1 for w in widths)):
        raise theorem.error("claim.effective_widths",
                            f"expected a list of positive integers, one per hidden layer, got {widths!r}")
    for spec in specs:
        if len(widths) != spec.depth:
            raise theorem.error("claim.effective_widths", f"{len(widths)} entries, but MLP {spec.name} has "
                                                          f"{spec.depth} hidden layers")
        for layer, (claimed, width) in enumerate(zip(widths, spec.hidden_widths), 1):
            if claimed > width:
                raise theorem.error("claim.effective_widths",
                                    f"layer {layer} has {width} units, so its effective width is at most {width}")
    validate_init(theorem, specs)
    validate_optimizer(theorem)


KIND = ClaimKind(
    name="twins",
    description="the hidden layers have the claimed effective widths (twin classes) at every step",
    run=run,
    kernels=True,
    options={"effective_widths": "the number of twin classes of each hidden layer, e.g. [1, 1]"},
    training=frozenset({"init", "seed", "optimizer"}),
    validate_options=validate,
)
