"""Claim kind ``dead``: only the output bias ever moves (a network that never learns).

    [network]
    activation = "tanh"             # sigma(0) = 0
    [training]
    init = "W=0,b=0"
    [claim]
    kind = "dead"

With sigma(0) = 0 and W = 0, b_1..b_K = 0, ``analysis.prove_dead`` proves by
induction that every W_i and b_1..b_K stay exactly 0 (base case on the initial
values, inductive step from the set {W_i = 0, b_1..b_K = 0, output bias free},
optimizer state alike) and exhibits a rational point where the output bias
moves. "proved" needs that proof, the output bias moving, and float training
with the same optimizer keeping every other entry exactly 0. When the start is
not dead (sigma(0) != 0, or some weight nonzero) the claim is refuted by
float-free evidence: a one-step symbolic trace in which another parameter
group moves, with its witness replayed independently.
"""

from __future__ import annotations

import numpy as np

from ...oracle import numeric
from ...model.activations import get_activation
from ...induction.analysis import is_dead_start, prove_dead
from ...exact.verdict import PROVED, REFUTED, UNDECIDED
from ...render.text import TextPrinter, text
from ...induction.trace import trace
from ...exact.evaluation import float_values
from ...symbolic.crosscheck import hyper_draw
from ...oracle.training import train
from ...induction.evidence import dead_claim_withheld
from ..claims import ClaimKind, Verdict
from ._training import theorem_init, validate_init, validate_optimizer

NUMERIC_STEPS = 5


def run(theorem, spec) -> Verdict:
    training = theorem.training
    init = theorem_init(theorem)
    values = init.values(spec)
    output_bias = f"b{spec.depth + 1}"
    name = f"{spec.name} {spec.activation}/{spec.loss}, init {training['init']}"
    if not is_dead_start(spec, values):
        return _refute_live(spec, init, training["seed"], output_bias, name, training["optimizer"])
    claim = prove_dead(spec, training["optimizer"], values, training["seed"])
    evidence = TextPrinter().dead_lines(claim)
    moves = claim.extra["output_bias"]["status"] == "moves"
    stays_zero, largest = _numeric_zero(spec, training["optimizer"], values, training["seed"])
    evidence.append(f"numeric confirmation: float training with {training['optimizer']} ({NUMERIC_STEPS} steps, "
                    f"random data): largest |entry| outside {output_bias}: "
                    + (f"{largest:.3g}" if largest < float("inf") else "NaN or inf"))
    status = claim.verdict
    reason = dead_claim_withheld(status, output_bias, moves, stays_zero, largest < float("inf"))
    if reason is not None:
        evidence.append(reason)
        status = UNDECIDED
    summary = {PROVED: f"only {output_bias} ever moves", REFUTED: "more than the output bias moves",
               UNDECIDED: "no verdict"}[status]
    data = {"dead_start": True, "verdict": claim.verdict, "output_bias": claim.extra["output_bias"],
            "numeric_largest_entry": largest if largest < float("inf") else "NaN or inf"}
    return Verdict(status, f"{name}: {summary}", tuple(evidence), data)


def _refute_live(spec, init, seed, output_bias, name, optimizer) -> Verdict:
    if optimizer != "sgd":
        return Verdict(UNDECIDED, f"{name}: the start is not dead, and a refuting trace exists only for sgd")
    first = trace(spec, init, steps=1, seed=seed).steps[0]
    for group in first.groups:
        if group.name != output_bias and group.status == "moves" and group.witness and group.witness.rechecked:
            evidence = (f"counterexample: {group.name} moves at step 1: {text(group.witness)}",
                        "the start is not dead: " + ("some weight or hidden bias is nonzero"
                                                      if get_activation(spec.activation).zero_at_zero is True
                                                      else f"{spec.activation}(0) is not 0"))
            return Verdict(REFUTED, f"{name}: {group.name} moves at step 1, not only {output_bias}", evidence,
                           {"dead_start": False, "moves": group.name})
    return Verdict(UNDECIDED, f"{name}: the start is not dead, but no other group was shown to move at step 1")


def _numeric_zero(spec, optimizer, values, seed) -> tuple[bool, float]:
    """Whether float training keeps every entry outside the output bias at 0, and the largest
    |entry| there (inf when an entry is NaN or inf: such a route confirms nothing)."""
    output_bias = f"b{spec.depth + 1}"
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # largest_entry is inf then
        history = train(spec, optimizer, float_values(values), NUMERIC_STEPS, seed,
                        draw_hyper=hyper_draw(spec, optimizer))
    largest = numeric.largest_entry(value for params in history for parameter, value in params.items()
                                    if parameter != output_bias)
    return largest == 0.0, largest


def validate(theorem, specs) -> None:
    for spec in specs:
        if spec.depth == 0:
            raise theorem.error("network.widths", "a dead-network claim needs a hidden layer, e.g. [2, 3, 1]")
    validate_init(theorem, specs)
    validate_optimizer(theorem)


KIND = ClaimKind(
    name="dead",
    description="only the output bias ever moves: every weight and hidden bias stays 0",
    run=run,
    training=frozenset({"init", "seed", "optimizer"}),
    validate_options=validate,
)
