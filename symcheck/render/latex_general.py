"""LaTeX for the general proof (``symcheck.general``): the theorem and its numbered lemmas.

A mixin of ``SymcheckLatexPrinter``. Each lemma is printed from the checked
``Lemma``: its statement and hypotheses (sentences whose formulas are printed
from their structure by ``latex_statement_forms``), and every check with the
entry formula X[r, c] that SymPy derived at symbolic indices -- the evidence itself.
"""

from __future__ import annotations

import re

from ..model.sentence import Tilde
from .latex_statement_forms import StatementFormsLatex, entry_formula
from .text import text
from .text_general import new_checks, part_of, restates
from .texutil import tex_text

#: The general proof's matrix symbols of a layer (a dropped hypothesis's generic matrix): W_1, b_{K+1}.
_LAYER_MATRIX = re.compile(r"^(W|b)_\{?([0-9A-Za-z+\-]+)\}?$")


class GeneralProofLatex(StatementFormsLatex):
    """``_print_GeneralProof``, ``_print_Lemma``, ``_print_Check`` and the structure claims."""

    def _print_sigma(self, expr, exp=None):
        return rf"\sigma\left({self._print(expr.args[0])}\right)"

    def _print_sigma_prime(self, expr, exp=None):
        return rf"\sigma'\left({self._print(expr.args[0])}\right)"

    def _print_MatrixSymbol(self, expr):
        match = _LAYER_MATRIX.match(expr.name)
        if match:  # W_1, b_{K+1}: a layer's matrix, as --notation says
            return self.layer(*match.groups())
        return super()._print_MatrixSymbol(expr)

    def _print_MatrixElement(self, expr):
        # u[k, 0] of a column vector is u_k; X[i, j] is X_{ij}; (W_{1})_{ij} in subscript notation
        parent = self._print(expr.parent)
        if expr.parent.shape[1] == 1 and expr.j == 0:
            return self.symbolic_entry(parent, self._print(expr.i))
        return self.symbolic_entry(parent, f"{self._print(expr.i)}{self._print(expr.j)}")

    def _print_Check(self, check) -> str:
        return self.checked_item(check, self._print(check.identity))

    def checked_item(self, check, identity: str) -> str:
        mark = r"$\surd$" if check.holds else r"\textbf{fails}"
        text = rf"\item[{mark}] {identity}"
        if not check.holds and check.reason.parts:
            text += rf" \\ \emph{{Why:}} {self._print(check.reason)}"
        return text + "\n"

    def _print_CollapseCheck(self, check) -> str:
        """The two networks named, rather than a width ("o (width n)" for an output of width m)."""
        quantity, narrow = self._print(check.quantity), self._print(Tilde(check.quantity))
        return self.checked_item(check, f"${quantity}$ of the network $= {narrow}$ of its width-1 collapse, "
                                        "entry by entry")

    def structure_claim(self, claim) -> str:
        """A ``general.structure.Claim``: a check that also carries its entry at symbolic indices."""
        text = self._print_Check(claim).rstrip("\n")
        if claim.holds:
            text += (r" \\ entry at symbolic indices: $\displaystyle "
                     + self._print(entry_formula(claim.canonical_entry)) + "$")
        return text + "\n"

    def _print_Lemma(self, lemma, number: int | None = None, numbers: dict | None = None, base=None) -> str:
        """``base``: the Part I lemma this one restates (``restates``); then only what is new is printed."""
        label = f"Lemma {number}" if number is not None else "Lemma"
        mark = "" if lemma.checked else r" \textbf{(fails)}"
        if base is not None and numbers and base.name in numbers:
            statement = (rf"Lemma {numbers[base.name]}, with its hypotheses, for every example of the batch "
                         r"($x$, $g$ and each hidden quantity have $B$ columns)" + self._print(lemma.addition))
        else:
            base, statement = None, self._print(lemma.stated)
        parts = [rf"\paragraph{{{label} ({tex_text(lemma.name)}).}}{mark} {statement}." + "\n"]
        if lemma.premises and numbers:
            cited = ", ".join(f"{numbers[p]}" for p in lemma.premises if p in numbers)
            parts.append(rf"\emph{{Uses Lemma{'s' if ',' in cited else ''} {cited}.}}" + "\n")
        if lemma.hypotheses and base is None:
            parts.append(r"\emph{Hypotheses:} " + "; ".join(self._print(h) for h in lemma.hypotheses) + ".\n")
        checks = new_checks(lemma, base)
        if len(checks) < len(lemma.checks):
            same = len(lemma.checks) - len(checks)
            which = "Its checks are" if not checks else f"{same} of its {len(lemma.checks)} checks are"
            parts.append(rf"{which} those of Lemma {numbers[base.name]}, with the same entries, and are not "
                         r"repeated." + "\n")
        if not checks:
            return "".join(parts)
        parts.append("\\begin{itemize}\n")
        parts += [self.structure_claim(check) if hasattr(check, "entry") else self._print(check) for check in checks]
        parts.append("\\end{itemize}\n")
        return "".join(parts)

    def _print_GeneralProof(self, proof) -> str:
        parts = [
            r"\paragraph{Theorem.} " + self._print(proof.theorem) + "\n\n",
            r"\paragraph{Notation.} " + " ".join(self._print(line) for line in proof.notation) + "\n",
        ]
        if proof.dropped:
            parts.append(r"\paragraph{Hypotheses dropped} (replaced by generic matrices):" + "\n\\begin{itemize}\n")
            parts += [rf"\item {tex_text(name)}: {self._print(statement)}" + "\n"
                      for name, statement in proof.dropped_hypotheses.items()]
            parts.append("\\end{itemize}\n")
        numbers = {lemma.name: number for number, lemma in enumerate(proof.lemmas, 1)}
        by_name = {lemma.name: lemma for lemma in proof.lemmas}
        current = None
        for number, lemma in enumerate(proof.lemmas, 1):
            part = part_of(lemma.name)
            if part != current:
                parts.append(rf"\subsection*{{{self._print(part)}}}" + "\n")
                current = part
            parts.append(self._print_Lemma(lemma, number, numbers, restates(lemma, by_name)))
        if any(lemma.name == "collapse" for lemma in proof.lemmas):
            parts.append(r"\paragraph{Rescaling of the width-1 network.} "
                         + "; ".join(self._print(r) for r in proof.rescaling) + ".\n")
        if proof.counterexample is not None:
            parts.append(self._print_StatementCounterexample(proof.counterexample))
        elif proof.failed:
            parts.append(r"\paragraph{No counterexample to the statement} was found: the theorem is "
                         r"unproved, not refuted." + "\n")
        parts.append("\n" + general_verdict_tex(proof, numbers) + "\n")
        return "".join(parts)

    def _print_StatementCounterexample(self, example) -> str:
        return r"\paragraph{Counterexample to the statement.} " + tex_text(text(example)) + "\n"


def general_verdict_tex(proof, numbers: dict) -> str:
    failed = proof.failed
    if not failed:
        checks = sum(len(lemma.checks) for lemma in proof.lemmas)
        return (rf"\noindent\textbf{{Verdict: proved}} ({len(proof.lemmas)} lemmas, {checks} checks, all hold). "
                r"By the lemmas, for every depth, every width, every activation, every loss and every batch "
                r"size, training from the invariant set never leaves it.")
    first = failed[0]
    return (rf"\noindent\textbf{{Verdict: {proof.verdict}}}: Lemma {numbers[first.name]} "
            rf"({tex_text(first.name)}) fails first; {len(failed)} of {len(proof.lemmas)} lemmas fail.")
