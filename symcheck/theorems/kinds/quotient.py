"""Claim kind ``quotient``: the network trains exactly like its quotient network (one unit per
equitable class).

    [training]
    init = "magic-square.json"
    optimizer = "adam"
    [claim]
    kind = "quotient"

At an equitable point every gradient entry of a block A x B equals the quotient's gradient
for M[A, B] divided by |A| (the quotient lemma, docs/analysis.md); so an entrywise update
of the network is the same update of the quotient's mean entries w = M / |B|. Decided
exactly at the given values for symbolic data, entry by entry (small networks,
``functional.proof.prove_quotient_lemma``), together with the rule keeping the classes
(the ``functional`` claim); float64 training of both networks side by side (100 steps,
losses within ``tolerances.QUOTIENT_LOSS``) is required as confirmation, never as proof.
"""

from __future__ import annotations

from ...functional.analysis import analyze_functional
from ...functional.proof import prove_quotient_lemma
from ...exact.verdict import PROVED, REFUTED, UNDECIDED, combine
from ...oracle import tolerances
from ...render.data import data as result_data
from ...render.text import TextPrinter
from ...render.text_analysis import QUOTIENT_NOTE
from ..claims import ClaimKind, Verdict
from ._training import theorem_init, validate_init, validate_optimizer



def run(theorem, spec) -> Verdict:
    training = theorem.training
    init = theorem_init(theorem)
    analysis = analyze_functional(spec, init, training["optimizer"], training["seed"])
    f = analysis.functional
    name = f"{spec.name} {spec.activation}/{spec.loss}, init {training['init']}, optimizer {training['optimizer']}"
    evidence = TextPrinter().functional_lines(analysis)
    data = result_data(analysis)
    lemma = prove_quotient_lemma(spec, init.values(spec), f.partition, training["seed"])
    if lemma is None:
        evidence.append("the quotient lemma is checked entry by entry on small networks only: verdict withheld")
        return Verdict(UNDECIDED, f"{name}: no verdict", tuple(evidence), data)
    evidence.append(f"quotient lemma at the initial values, symbolic data: {lemma.verdict} "
                    f"({lemma.identities} identities: " + ", ".join(f"{n} by {m}" for m, n in lemma.methods) + ")")
    kept = f.ties.verdict if f.ties is not None else (analysis.twins.verdict if analysis.twins else UNDECIDED)
    status = combine(lemma.verdict, kept)
    if lemma.witness is not None:
        evidence.append(f"counterexample to the lemma: {lemma.witness}")
    run_ = f.run
    if not f.quotient_exact:
        evidence.append(f"the quotient is not an exact model under {training['optimizer']}: "
                        + QUOTIENT_NOTE)
        status = UNDECIDED if status == PROVED else status
    elif run_ is None:
        status = UNDECIDED if status == PROVED else status
    else:
        evidence.append(f"float64: {run_.steps} steps side by side, largest relative loss difference "
                        f"{run_.max_loss_difference:.3g} (required <= {tolerances.QUOTIENT_LOSS:g})")
        if status == PROVED and run_.max_loss_difference > tolerances.QUOTIENT_LOSS:
            evidence.append("float training disagrees with the proof: verdict withheld")
            status = UNDECIDED
    widths = list(f.quotient.spec.widths) if f.quotient is not None else None
    summary = {PROVED: f"trains exactly like its quotient {widths}",
               REFUTED: "does not train like its quotient", UNDECIDED: "no verdict"}[status]
    return Verdict(status, f"{name}: {summary}", tuple(evidence), data)


def validate(theorem, specs) -> None:
    validate_init(theorem, specs)
    validate_optimizer(theorem)


KIND = ClaimKind(
    name="quotient",
    description="the network trains exactly like its quotient network (one unit per equitable class)",
    run=run,
    options={},
    training=frozenset({"init", "seed", "optimizer"}),
    validate_options=validate,
)
