"""Text for the general proof (``prove --general``): the ``GeneralText`` mix-in of
``render.text.TextPrinter``, and how the lemmas are laid out (parts, notation, the Part II
lemmas that restate Part I ones), which the LaTeX and data printers share."""

from __future__ import annotations

import sympy as sp


PARTS = (
    ("", "Part I. One example"),
    ("batch/", "Part II. A mini-batch of B examples, loss summed over the batch (B symbolic)"),
    ("collapse", "Part III. The collapse theorem"),
    ("cross-check", "Part IV. Independent cross-check"),
)

NOTATION = (
    "Notation: W_i is n_i x n_{i-1} (n_0 = d, n_{K+1} = m); 1 is a column of ones of the size its",
    "place requires; every width and the batch size B are symbols; sigma is an uninterpreted",
    "activation with derivative sigma'; g = dl/do(o, y) is an arbitrary m x B matrix, so the loss is",
    "arbitrary too. Each lemma builds the layer's equations as SymPy matrix expressions, asks SymPy",
    "for the entry X[i, j] at symbolic indices i, j, and checks which index it depends on.",
    "A generic middle layer 2 <= i <= K is one lemma, so the proof holds for every depth K >= 1.",
)


def part_of(name: str) -> str:
    for prefix, title in reversed(PARTS):
        if prefix and name.startswith(prefix):
            return title
    return PARTS[0][1]


#: How a mini-batch lemma's statement extends its one-example counterpart's (see lemmas._example).
BATCH_PREFIX = "batch/"
BATCH_SUFFIX = " for every example of the batch"


def restates(lemma, earlier: dict):
    """The Part I lemma that ``lemma`` (a Part II one) restates word for word, or None.

    Part II re-runs the layer lemmas at a symbolic batch size: most statements and hypotheses
    are those of Part I, so a reader is shown only what is new (the checks whose entry changed)."""
    if not lemma.name.startswith(BATCH_PREFIX):
        return None
    base = earlier.get(lemma.name[len(BATCH_PREFIX):])
    if base is None or lemma.hypotheses != base.hypotheses:
        return None
    return base if lemma.statement.startswith(base.statement) else None


def batch_addition(lemma, base) -> str:
    """What a restating Part II statement adds to its Part I counterpart's ("" if only the batch)."""
    tail = lemma.statement[len(base.statement):]
    return "" if tail == BATCH_SUFFIX else tail


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
        lines = ["symcheck prove --general", "", "Theorem. " + proof.theorem, "", *NOTATION]
        if proof.dropped:
            lines += ["", "Hypotheses dropped (replaced by generic matrices):"]
            lines += [f"  - {name}: {statement}" for name, statement in proof.dropped_hypotheses.items()]
        numbers = {lemma.name: number for number, lemma in enumerate(proof.lemmas, 1)}
        current = None
        for number, lemma in enumerate(proof.lemmas, 1):
            part = part_of(lemma.name)
            if part != current:
                lines += ["", part]
                current = part
            mark = "checked" if lemma.checked else "FAILS"
            lines += ["", f"Lemma {number} ({lemma.name}) [{mark}]. {lemma.statement}."]
            if lemma.premises:
                cited = ", ".join(f"Lemma {numbers[p]} ({p})" for p in lemma.premises if p in numbers)
                lines.append(f"  Uses: {cited}.")
            lines += [f"  Hypothesis: {h}" for h in lemma.hypotheses]
            for check in lemma.checks:
                lines.append(f"  {'ok  ' if check.holds else 'FAIL'} {check.identity}")
                value = entry_text(check)
                if value is not None and check.holds:
                    lines.append(f"       entry: {value}")
                if not check.holds:
                    lines.append(f"       why: {check.reason}")
        if any(lemma.name == "collapse" for lemma in proof.lemmas):
            lines += ["", "Rescaling of the width-1 network: " + "; ".join(proof.rescaling) + "."]
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
