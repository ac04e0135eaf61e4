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

The listed units are claimed dead; units not listed are not claimed about, except that
lists that are all empty claim that **no** unit is dead.

A unit is recognised as dead when its bias is <= 0 and, in layer 1, its incoming row is 0,
deeper, its weights from the live units below are <= 0 (``equitable.dead_units``). That it
stays dead is decided per distinct value of its bias and weights on a probe network
(``functional.proof.prove_dead_stays_dead``): its zero row and optimizer state stay 0 and a
value moves by the zero-gradient update b' = c b. A factor c that depends on the
hyperparameters (1 - eta lam under weight decay) is stated as a hypothesis.

"proved": every listed unit recognised and proved to stay dead (for "no dead units": every
unit outputs nonzero at some input, replayed in ``replay.live_witnesses``). "refuted": a
listed unit outputs nonzero at an input (replayed, exact for ReLU), a claimed-absent dead
unit proved dead, or an optimizer that pushes a dead value above 0 (Adam with coupled L2),
with the point where it does. Anything else is "undecided".
"""

from __future__ import annotations

from ...functional.analysis import analyze_functional, dead_units_claim
from ...functional.proof import dead_bias_values, prove_dead_stays_dead
from ...exact.verdict import PROVED, REFUTED, UNDECIDED
from ...render.data import data as result_data
from ...render.text import TextPrinter
from ...oracle.replay import live_witnesses
from ..claims import ClaimKind, Verdict
from ._training import theorem_init, validate_init, validate_optimizer


def run(theorem, spec) -> Verdict:
    training = theorem.training
    init = theorem_init(theorem)
    analysis = analyze_functional(spec, init, training["optimizer"], training["seed"])
    f = analysis.functional
    claimed = tuple(tuple(units) for units in theorem.options["dead_units"])
    name = f"{spec.name} {spec.activation}/{spec.loss}, init {training['init']}, optimizer {training['optimizer']}"
    evidence = TextPrinter().functional_lines(analysis)
    data = result_data(analysis)
    values = init.values(spec)
    witnesses = live_witnesses(spec, values, training["seed"])

    def verdict(status, summary, *first):
        return Verdict(status, f"{name}: {summary}", (*first, *evidence), data)

    def live(layer, unit) -> str | None:
        if witnesses is None or (layer, unit) not in witnesses:
            return None
        x, h = witnesses[(layer, unit)]
        return (f"unit {unit} of layer {layer} outputs {h} != 0 at the input x = "
                f"({', '.join(str(v) for v in x)}) at the initial values (replayed independently)")

    if not any(claimed):  # the claim: no unit is dead
        if any(f.dead):
            steps = _steps(spec, analysis, values, f.dead, training["seed"])
            claim = dead_units_claim(spec, f.dead, steps)
            if claim.verdict == PROVED:
                return verdict(REFUTED, f"units {[list(d) for d in f.dead]} are dead for ever",
                               f"counterexample: units {[list(d) for d in f.dead]} are dead for ever (proved below)")
        silent = [(i, u) for i, width in enumerate(spec.hidden_widths, 1) for u in range(width)
                  if live(i, u) is None]
        if silent:
            return verdict(UNDECIDED, f"no input found where units {silent} (layer, unit) output nonzero",
                           "no verdict: these units output 0 at every input tried and are not proved dead")
        return verdict(PROVED, "no unit is dead: every unit outputs nonzero at some input",
                       *(live(i, u) for i, width in enumerate(spec.hidden_widths, 1) for u in range(width)))
    for i, (units, found) in enumerate(zip(claimed, f.dead), 1):
        for u in units:
            if u not in found:
                witness = live(i, u)
                if witness is not None:
                    return verdict(REFUTED, f"unit {u} of layer {i} is not dead", f"counterexample: {witness}")
                return verdict(UNDECIDED, f"unit {u} of layer {i} is not recognised as dead",
                               f"no verdict: unit {u} of layer {i} is neither recognised as dead nor seen "
                               "to output nonzero")
    steps = _steps(spec, analysis, values, claimed, training["seed"])
    claim = dead_units_claim(spec, claimed, steps)
    summary = {PROVED: f"units {[list(d) for d in claimed]} are dead for ever",
               REFUTED: "a dead unit can come back to life", UNDECIDED: "no verdict"}[claim.verdict]
    return verdict(claim.verdict, summary, *(f"Note: {n}" for n in claim.notes))


def _steps(spec, analysis, values, claimed, seed):
    """The probe step for each distinct bias and weight value the claimed units' deadness rests
    on: their own, and those of every unit recognised dead in the layers below the deepest
    claimed one (a claimed unit may ignore weights only from units that stay dead)."""
    recognised = analysis.functional.dead
    deepest = max(i for i, units in enumerate(claimed) if units)
    rests_on = tuple(recognised[i] if i < deepest else claimed[i] if i == deepest else ()
                     for i in range(len(claimed)))
    return tuple(prove_dead_stays_dead(spec, analysis.optimizer, v, seed)
                 for v in dead_bias_values(values, rests_on, weights=True))


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
    options={"dead_units": "per hidden layer, the indices of the dead units, e.g. [[0, 2], []]; all empty: "
                           "no unit is dead"},
    training=frozenset({"init", "seed", "optimizer"}),
    validate_options=validate,
)
