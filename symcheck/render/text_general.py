"""Text for the general proof (``prove --general``): the ``GeneralText`` mix-in of
``render.text.TextPrinter``, and how the lemmas are laid out (parts, the Part II lemmas that
restate Part I ones), which the LaTeX and data printers share."""

from __future__ import annotations

import sympy as sp

from ..model.sentence import Sentence
from .sentence_text import sentence_text

BATCH_SIZE = sp.Symbol("B")

#: The name of a mini-batch lemma is its one-example counterpart's with this prefix: the printers'
#: copy of ``general.lemmas.BATCH_PREFIX`` (render/ imports no result module; a test keeps them equal).
BATCH_PREFIX = "batch/"

PARTS = (
    ("", Sentence(("Part I. One example",))),
    (BATCH_PREFIX, Sentence(("Part II. A mini-batch of ", BATCH_SIZE, " examples, loss summed over the batch (",
                         BATCH_SIZE, " symbolic)"))),
    ("collapse", Sentence(("Part III. The collapse theorem",))),
    ("cross-check", Sentence(("Part IV. Independent cross-check",))),
)


def part_of(name: str) -> Sentence:
    for prefix, title in reversed(PARTS):
        if prefix and name.startswith(prefix):
            return title
    return PARTS[0][1]



def restates(lemma, earlier: dict):
    """The Part I lemma that ``lemma`` (a Part II one) restates, or None: the same statement and
    hypotheses, the batch adding at most ``lemma.addition``.

    Part II re-runs the layer lemmas at a symbolic batch size: most statements and hypotheses
    are those of Part I, so a reader is shown only what is new (the checks whose entry changed)."""
    if not lemma.name.startswith(BATCH_PREFIX):
        return None
    base = earlier.get(lemma.name[len(BATCH_PREFIX):])
    if base is None or lemma.hypotheses != base.hypotheses:
        return None
    return base if lemma.statement == base.statement else None


def new_checks(lemma, base) -> tuple:
    """The checks of ``lemma`` that differ from every check of ``base`` (identity or entry formula)."""
    if base is None:
        return tuple(lemma.checks)
    seen = {(check.identity, check.holds, entry_text(check)) for check in base.checks}
    return tuple(check for check in lemma.checks if (check.identity, check.holds, entry_text(check)) not in seen)


def entry_text(check) -> str | None:
    value = getattr(check, "canonical_entry", None)  # a structure claim's; a plain check has none
    return None if value is None else sp.sstr(value)


class GeneralText:
    """``_print_GeneralProof`` and ``_print_StatementCounterexample``."""

    def _print_GeneralProof(self, proof: GeneralProof) -> str:
        notation = [sentence_text(line) for line in proof.notation]
        lines = ["symcheck prove --general", "", "Theorem. " + sentence_text(proof.theorem), "",
                 "Notation: " + notation[0], *notation[1:]]
        if proof.dropped:
            lines += ["", "Hypotheses dropped (replaced by generic matrices):"]
            lines += [f"  - {name}: {sentence_text(statement)}" for name, statement in proof.dropped_hypotheses.items()]
        numbers = {lemma.name: number for number, lemma in enumerate(proof.lemmas, 1)}
        current = None
        for number, lemma in enumerate(proof.lemmas, 1):
            part = part_of(lemma.name)
            if part != current:
                lines += ["", sentence_text(part)]
                current = part
            mark = "checked" if lemma.checked else "FAILS"
            lines += ["", f"Lemma {number} ({lemma.name}) [{mark}]. {sentence_text(lemma.stated)}."]
            if lemma.premises:
                cited = ", ".join(f"Lemma {numbers[p]} ({p})" for p in lemma.premises if p in numbers)
                lines.append(f"  Uses: {cited}.")
            lines += [f"  Hypothesis: {sentence_text(h)}" for h in lemma.hypotheses]
            for check in lemma.checks:
                lines.append(f"  {'ok  ' if check.holds else 'FAIL'} {sentence_text(check.identity)}")
                value = entry_text(check)
                if value is not None and check.holds:
                    lines.append(f"       entry: {value}")
                if not check.holds:
                    lines.append(f"       why: {sentence_text(check.reason)}")
        if any(lemma.name == "collapse" for lemma in proof.lemmas):
            lines += ["", "Rescaling of the width-1 network: " + "; ".join(map(sentence_text, proof.rescaling)) + "."]
        failed = proof.failed
        lines.append("")
        if not failed:
            lines.append(f"Verdict: PROVED ({len(proof.lemmas)} lemmas, "
                         f"{sum(len(lemma.checks) for lemma in proof.lemmas)} checks, all hold)")
        else:
            first = failed[0]
            lines.append(f"Verdict: {proof.verdict.upper()}: Lemma {numbers[first.name]} ({first.name}) fails "
                         f"first; {len(failed)} of {len(proof.lemmas)} lemmas fail")
            if proof.counterexample is not None:
                lines.append(f"Counterexample to the statement: {self._print(proof.counterexample)}")
            else:
                lines.append("No counterexample to the statement was found: the theorem is unproved, not refuted")
        return "\n".join(lines) + "\n"

    def _print_StatementCounterexample(self, example: StatementCounterexample) -> str:
        free = ", ".join(example.dropped) if example.dropped else "none"
        return (f"network {example.network}, start satisfying every kept hypothesis (free: {free}), "
                f"full-batch gradient descent on {len(example.xs)} random examples, lr "
                f"{example.learning_rate}: {example.broken} at step {example.step}")
