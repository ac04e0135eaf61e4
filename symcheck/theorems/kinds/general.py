"""Claim kind ``general``: the symmetry theorem for every depth, width, activation and loss.

    [network]
    widths = "general"

    [claim]
    kind = "general"
    lemmas = ["batch/steps"]        # optional: the lemmas the statement rests on (shown first)
    drop = ["hidden-bias"]          # optional: hypotheses replaced by generic matrices

Runs ``prove_general``. "proved" only when every lemma of the proof checked
(including its NumPy cross-check at concrete networks) and every named lemma is
among them; a statement about the collapse to width 1 is also confirmed by
float forward passes of random tied networks against their width-1 rescaling.
"refuted" only with a counterexample to the statement itself: NumPy training of a
concrete network from a point meeting every kept hypothesis breaks a kept invariant.
"""

from __future__ import annotations

from ...general import HYPOTHESES, prove_general
from ...general.collapse import numeric_collapse
from ...general.lemmas import BATCH_PREFIX
from ...errors import not_allowed
from ...exact.verdict import PROVED, REFUTED, UNDECIDED
from ...oracle import tolerances
from ...render.text import text
from ..claims import ClaimKind, Verdict

#: The lemma names of ``prove_general()`` (tests/test_theorem_kinds.py keeps this list honest).
_LAYER = ("forward-first", "forward-middle", "forward-layers", "output-gradient", "backward-output",
          "backward-middle", "backward-first", "backward-layers", "update", "steps")
LEMMAS = _LAYER + tuple(BATCH_PREFIX + name for name in _LAYER) + (
    "collapse-first", "collapse-middle", "collapse-output", "collapse", "cross-check")


def run(theorem, spec) -> Verdict:
    drop = tuple(theorem.options.get("drop", ()))
    named = tuple(theorem.options.get("lemmas", ()))
    seed = theorem.training["seed"]
    proof = prove_general(drop=drop, seed=seed)
    by_name = {lemma.name: lemma for lemma in proof.lemmas}
    evidence = []
    if drop:
        evidence.append("hypotheses dropped: " + "; ".join(f"{name} ({text(HYPOTHESES[name])})" for name in drop))
    for name in named:
        lemma = by_name.get(name)
        evidence.append(f"lemma {name}: " + ("missing from the proof" if lemma is None else
                                             "checked" if lemma.checked else f"FAILS: {text(lemma.reason)}"))
    checks = sum(len(lemma.checks) for lemma in proof.lemmas)
    evidence.append(f"{len(proof.lemmas)} lemmas, {checks} checks; "
                    f"{len(proof.lemmas) - len(proof.failed)} lemmas checked, {len(proof.failed)} fail")
    for failed in proof.failed[:3]:
        evidence.append(f"fails: {failed.name}: {text(failed.reason)}")
    if proof.counterexample is not None:
        evidence.append("counterexample to the statement: " + text(proof.counterexample))
    evidence += [f"cross-check {network}: max relative gradient difference {error:.1e}"
                 for network, error in proof.cross_check]
    data = {"verdict": proof.verdict, "dropped": list(proof.dropped),
            "lemmas": [{"name": lemma.name, "checked": lemma.checked} for lemma in proof.lemmas],
            "cross_check": [list(pair) for pair in proof.cross_check]}
    status = proof.verdict
    if status == PROVED and (proof.failed or any(name not in by_name for name in named)
                             or (not drop and "cross-check" not in by_name)):
        status = UNDECIDED  # never "proved" with a lemma missing or unchecked
    if status == PROVED and any(name.startswith("collapse") for name in named):
        status = _confirm_collapse(seed, evidence, data)
    summary = {PROVED: f"every one of the {len(proof.lemmas)} lemmas checked",
               REFUTED: f"{len(proof.failed)} lemmas fail, first {proof.failed[0].name}; the statement fails "
                        "in training" if proof.counterexample else "",
               UNDECIDED: "no verdict: " + (f"{len(proof.failed)} lemmas fail, no counterexample to the statement"
                                            if proof.failed else "a named lemma is missing or unconfirmed")}[status]
    return Verdict(status, f"general proof{' without ' + ', '.join(drop) if drop else ''}: {summary}",
                   tuple(evidence), data)


def _confirm_collapse(seed: int, evidence: list, data: dict) -> str:
    """Float forward passes: a tied network equals its rescaled width-1 network; without the
    rescaling the comparison must fail (so the check can fail)."""
    rescaled = numeric_collapse(seed)
    unscaled = numeric_collapse(seed, rescaled=False)
    ok = rescaled <= tolerances.COLLAPSE < unscaled
    evidence.append(f"collapse confirmed in floats: random tied networks vs their width-1 rescaling, "
                    f"largest relative difference {rescaled:.1e} (without the rescaling {unscaled:.2g}) -> "
                    + ("agrees" if ok else "DISAGREES"))
    data["collapse_difference"] = {"rescaled": rescaled, "unscaled": unscaled}
    return PROVED if ok else UNDECIDED


def validate(theorem, specs) -> None:
    for key, allowed in (("drop", HYPOTHESES), ("lemmas", LEMMAS)):
        value = theorem.options.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise theorem.error(f"claim.{key}", f"expected a list of names such as [{next(iter(allowed))!r}], "
                                                f"got {value!r}")
        for name in value:
            if name not in allowed:
                raise theorem.error(f"claim.{key}", not_allowed(name, list(allowed)))


KIND = ClaimKind(
    name="general",
    description="the symmetry theorem for every depth, width, activation, loss and batch size",
    run=run,
    options={"lemmas": "the lemmas the statement rests on, e.g. [\"batch/steps\"]",
             "drop": f"hypotheses replaced by generic matrices: {', '.join(HYPOTHESES)}"},
    training=frozenset({"seed"}),
    general=True,
    concrete=False,
    validate_options=validate,
)
