"""Claim kind ``dead_units``: these ReLU units are dead -- they output 0 for every input and
never move, under the given optimizer.

    [network]
    activation = "relu"
    [training]
    init = "W1=0,b1=-1/2,W2=random,b2=0"
    optimizer = "adamw"
    [claim]
    kind = "dead_units"
    dead_units = [[0, 1, 2]]        # per hidden layer, unit indices from 0

A unit is dead when its bias is <= 0 and its weights from the live units below are 0
(``equitable.dead_units``); that it stays dead is decided per distinct dead bias on a
probe network (``functional_proof.prove_dead_stays_dead``): its row and optimizer state
stay 0 and its bias moves by the zero-gradient update b' = c b. A factor c that depends
on the hyperparameters (1 - eta lam under weight decay) is stated as a hypothesis. "refuted":
other dead units at the start, or an optimizer that can push a dead bias above 0 (Adam with
coupled L2), with the point where it does.
"""

from __future__ import annotations

from ...functional import analyze_functional
from ...identities import PROVED, REFUTED, UNDECIDED
from ...render.analysis import analysis_data, functional_lines
from ..claims import ClaimKind, Verdict
from ._training import theorem_init, validate_init, validate_optimizer


def run(theorem, spec) -> Verdict:
    training = theorem.training
    analysis = analyze_functional(spec, theorem_init(theorem), training["optimizer"], training["seed"])
    f = analysis.functional
    claimed = tuple(tuple(units) for units in theorem.options["dead_units"])
    name = f"{spec.name} {spec.activation}/{spec.loss}, init {training['init']}, optimizer {training['optimizer']}"
    evidence = functional_lines(analysis)
    data = analysis_data(analysis)
    if f.dead != claimed:
        evidence.insert(0, f"counterexample: the initial values (exact) make units {[list(d) for d in f.dead]} "
                           f"dead, the claim says {[list(d) for d in claimed]}")
        return Verdict(REFUTED, f"{name}: dead units {[list(d) for d in f.dead]} at the start", tuple(evidence), data)
    if not any(claimed):
        return Verdict(PROVED, f"{name}: no dead units, as claimed", tuple(evidence), data)
    status = f.dead_claim.verdict if f.dead_claim is not None else UNDECIDED
    summary = {PROVED: f"units {[list(d) for d in claimed]} are dead for ever",
               REFUTED: "a dead unit can come back to life", UNDECIDED: "no verdict"}[status]
    return Verdict(status, f"{name}: {summary}", tuple(evidence), data)


def validate(theorem, specs) -> None:
    units = theorem.options.get("dead_units")
    if not isinstance(units, list) or not all(
            isinstance(layer, list) and all(isinstance(u, int) and not isinstance(u, bool) and u >= 0 for u in layer)
            for layer in units):
        raise theorem.error("claim.dead_units", f"expected one list of unit indices per hidden layer, e.g. "
                                                f"[[0, 2], []], got {units!r}")
    for spec in specs:
        if len(units) != spec.depth:
            raise theorem.error("claim.dead_units", f"{len(units)} entries, but MLP {spec.name} has "
                                                    f"{spec.depth} hidden layers")
        for layer, (found, width) in enumerate(zip(units, spec.hidden_widths), 1):
            if any(u >= width for u in found) or sorted(set(found)) != found:
                raise theorem.error("claim.dead_units", f"layer {layer}: give distinct sorted indices "
                                                        f"below {width}, got {found!r}")
    validate_init(theorem, specs)
    validate_optimizer(theorem)


KIND = ClaimKind(
    name="dead_units",
    description="the listed ReLU units output 0 for every input and never move",
    run=run,
    options={"dead_units": "per hidden layer, the indices of the dead units, e.g. [[0, 2], []]"},
    training=frozenset({"init", "seed", "optimizer"}),
    validate_options=validate,
)
