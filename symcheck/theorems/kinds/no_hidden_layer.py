"""Claim kind ``no-hidden-layer``: in linear, logistic or softmax regression (K = 0)
weights that start equal stay equal.

    [network]
    widths = [3, 2]                 # d, m: no hidden layer
    [claim]
    kind = "no-hidden-layer"

The claim is false (so theorem files expect "refuted"): from W = w 1 1^T,
b = beta 1 (every constant, including 0) one update separates the weights of
one output from different inputs (d >= 2) and the weights of different
outputs (m >= 2) -- there are no hidden units to be interchangeable, so zero
init is fine there. ``analysis.regression_claims`` decides each identity;
"refuted" needs a counterexample replayed independently and float training
from zero that separates the weights as well; "proved" (the weights do stay
equal, e.g. d = m = 1) needs every identity proved.
"""

from __future__ import annotations

import numpy as np

from ...oracle import numeric, tolerances
from ...induction.analysis import regression_claims
from ...exact.verdict import PROVED, REFUTED, UNDECIDED, combine
from ...symbolic.crosscheck import hyper_draw
from ...render.text import TextPrinter, text
from ...oracle.training import train
from ...induction.evidence import regression_claim_withheld
from ..claims import ClaimKind, Verdict
from ._training import validate_optimizer

NUMERIC_STEPS = 3


def run(theorem, spec) -> Verdict:
    optimizer, seed = theorem.training["optimizer"], theorem.training["seed"]
    claims = regression_claims(spec, optimizer, seed)
    name = f"{spec.name} {spec.activation}/{spec.loss}, optimizer {optimizer}"
    if not claims:
        return Verdict(PROVED, f"{name}: a single weight: there is nothing to compare",
                       ("d = m = 1: W1 has one entry, so 'the weights stay equal' holds trivially",))
    evidence, statuses = [], []
    for claim in claims:
        evidence.append(f"{text(claim.statement)}: {claim.verdict}")
        counterexample = claim.step.counterexample
        if counterexample is not None:
            evidence += TextPrinter().counterexample_lines(counterexample, "from W = w 1 1^T")
        statuses.append(claim.verdict)  # the engine refutes only with a replayed counterexample (evidence.released)
    spread = _numeric_spread(spec, optimizer, seed)
    separated = tolerances.TIE_DRIFT < spread < float("inf")
    evidence.append(f"numeric confirmation: float training with {optimizer} from zero ({NUMERIC_STEPS} steps, "
                    f"random data): largest relative difference between weights of W1 {spread:.3g} -> "
                    + ("they separate" if separated else "they stay equal"))
    status = combine(*statuses)
    reason = regression_claim_withheld(status, separated, spread < float("inf"))
    if reason is not None:
        evidence.append(reason)
        status = UNDECIDED
    summary = {REFUTED: "the weights separate after one step: zero init is fine without hidden units",
               PROVED: "the compared weights stay equal", UNDECIDED: "no verdict"}[status]
    data = {"claims": [{"name": c.name, "statement": text(c.statement), "verdict": c.verdict} for c in claims],
            "numeric_spread": spread}
    return Verdict(status, f"{name}: {summary}", tuple(evidence), data)


def _numeric_spread(spec, optimizer, seed) -> float:
    zero = {name: np.zeros(spec.parameter_shape(name)) for name in spec.parameter_names}
    final = train(spec, optimizer, zero, NUMERIC_STEPS, seed, draw_hyper=hyper_draw(spec, optimizer))[-1]
    weights = np.asarray(final["W1"], dtype=float)
    # relative to the weights themselves; inf when any entry is NaN or inf
    return numeric.worst_gap(weights, np.full_like(weights, weights.flat[0]))


def validate(theorem, specs) -> None:
    for spec in specs:
        if spec.depth != 0:
            raise theorem.error("network.widths", f"MLP {spec.name} has {spec.depth} hidden layers; this claim "
                                                  "is about networks without one: give [d, m], e.g. [3, 2]")
    validate_optimizer(theorem)


KIND = ClaimKind(
    name="no-hidden-layer",
    description="without hidden layers (K = 0), weights that start equal stay equal (false: expect refuted)",
    run=run,
    training=frozenset({"seed", "optimizer"}),
    validate_options=validate,
)
