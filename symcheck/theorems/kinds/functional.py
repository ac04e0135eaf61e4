"""Claim kind ``functional``: the hidden layers have the claimed functional (equitable) widths
at every step -- units tied although their weights differ.

    [training]
    init = "identity-middle.json"
    optimizer = "adam"

    [claim]
    kind = "functional"
    functional_widths = [1, 1]      # one entry per hidden layer
    live_widths = [1, 1]            # optional: classes that are not dead

The classes are the coarsest equitable partition of the initial values
(``equitable``): equal biases, equal sums of incoming weights over every class below
and of outgoing weights over every class above. "proved" needs the claimed widths and
the persistence proved at the class level (``functional.analysis.analyze_functional``: the
update rule on a block, and on small networks the first update from the given values);
"refuted" needs other widths at the start (exact values, recomputed independently with Python
fractions: ``equitable.recheck_partition``) or a counterexample from the
given values that was replayed independently. Float64 training is reported as
evidence and never decides the verdict.
"""

from __future__ import annotations

from ...functional.equitable import RECHECK_PARAMETERS, recheck_partition
from ...functional.analysis import analyze_functional
from ...exact.verdict import PROVED, REFUTED, UNDECIDED
from ...render.data import data as result_data
from ...render.text import TextPrinter
from ..claims import ClaimKind, Verdict
from ._training import theorem_init, validate_init, validate_optimizer


def run(theorem, spec) -> Verdict:
    training = theorem.training
    analysis = analyze_functional(spec, theorem_init(theorem), training["optimizer"], training["seed"])
    f = analysis.functional
    actual, live = f.partition.effective_widths, f.live_widths
    claimed = tuple(theorem.options["functional_widths"])
    claimed_live = theorem.options.get("live_widths")
    name = f"{spec.name} {spec.activation}/{spec.loss}, init {training['init']}, optimizer {training['optimizer']}"
    evidence = TextPrinter().functional_lines(analysis)
    data = result_data(analysis)
    if actual != claimed or (claimed_live is not None and tuple(claimed_live) != live):
        # a refutation needs its witness checked independently of the NumPy refinement
        recheck = recheck_partition(spec, theorem_init(theorem).values(spec))
        if recheck is None or recheck.layers != f.partition.layers:
            evidence.insert(0, "the widths differ from the claim, but the independent recheck of the equitable "
                               "partition (Python fractions) " + (
                                   f"is limited to {RECHECK_PARAMETERS} parameters" if recheck is None else
                                   f"gives widths {list(recheck.effective_widths)}") + ": verdict withheld")
            return Verdict(UNDECIDED, f"{name}: functional widths not confirmed", tuple(evidence), data)
        evidence.insert(0, f"counterexample: the initial values (exact) give functional widths {list(actual)} "
                           f"(live {list(live)}), recomputed with Python fractions; the claim says {list(claimed)}"
                           + (f" (live {claimed_live})" if claimed_live is not None else ""))
        return Verdict(REFUTED, f"{name}: functional widths {list(actual)} at the start", tuple(evidence), data)
    claim = f.ties if f.ties is not None else analysis.twins
    status = claim.verdict if claim is not None else UNDECIDED
    if f.ties is None and (analysis.twins is None or analysis.partition.is_trivial):
        evidence.append("every hidden unit is distinct at the start; that none become tied later is not "
                        "proved: verdict withheld")
        status = UNDECIDED
    summary = {PROVED: f"functional ties persist: widths {list(actual)} at every step",
               REFUTED: "functional ties separate during training", UNDECIDED: "no verdict on the persistence"}[status]
    return Verdict(status, f"{name}: {summary}", tuple(evidence), data)


def _widths(theorem, specs, key: str, required: bool) -> None:
    widths = theorem.options.get(key)
    if widths is None:
        if required:
            raise theorem.error(f"claim.{key}", "missing; give one width per hidden layer, e.g. [1, 1]")
        return
    if (not isinstance(widths, list) or not widths
            or not all(isinstance(w, int) and not isinstance(w, bool) and w >= 0 for w in widths)):
        raise theorem.error(f"claim.{key}", f"expected a list of integers >= 0, one per hidden layer, got {widths!r}")
    for spec in specs:
        if len(widths) != spec.depth:
            raise theorem.error(f"claim.{key}", f"{len(widths)} entries, but MLP {spec.name} has "
                                                f"{spec.depth} hidden layers")


def validate(theorem, specs) -> None:
    _widths(theorem, specs, "functional_widths", True)
    _widths(theorem, specs, "live_widths", False)
    validate_init(theorem, specs)
    validate_optimizer(theorem)


KIND = ClaimKind(
    name="functional",
    description="the hidden layers have the claimed functional (equitable) widths at every step",
    run=run,
    options={"functional_widths": "the number of equitable classes of each hidden layer, e.g. [1, 1]",
             "live_widths": "optional: the number of classes that are not dead, per hidden layer"},
    training=frozenset({"init", "seed", "optimizer"}),
    validate_options=validate,
)
