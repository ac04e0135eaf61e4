"""LaTeX for the general proof (``symcheck.general``): the theorem and its numbered lemmas.

A mixin of ``SymcheckLatexPrinter``. Each lemma is printed from the checked
``Lemma``: its statement and hypotheses (the module's plain formulas, set in
math mode by ``plain_math_tex``), and every check with the entry formula
X[i, j] that SymPy derived at symbolic indices -- the evidence itself.
"""

from __future__ import annotations

import re

import sympy as sp

from .text import text
from .text_general import NOTATION, batch_addition, new_checks, part_of, restates
from .texutil import tex_text

#: Bound variables of the entry formulas, by nesting depth.
BOUND_NAMES = ("k", "l", "p", "q", "a")  # never r, c: those are the entry's row and column
#: The entry's row and column: named r, c so they never clash with the layer index i.
ENTRY_INDICES = {"i": "r", "j": "c"}
_INDEX_PHRASES = (("[i, j]", "[r, c]"), ("[0, j]", "[0, c]"), ("[i, 0]", "[r, 0]"), ("for every row i", "for every row r"),
                  ("for every column j", "for every column c"), ("for every i, j", "for every r, c"),
                  ("depend on i)", "depend on r)"), ("depend on j)", "depend on c)"),
                  ("X[i, j] at symbolic indices i, j", "X[r, c] at symbolic indices r, c"))


_COLLAPSE = re.compile(r"^(\S+) \(width n\) = (\S+?)~ \(width 1\) entrywise$")
_E_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)e-0*(\d+)(?![\w.])")


def readable_check(text: str) -> str:
    """A check's plain sentence made readable before typesetting: the collapse checks name the two
    networks instead of a wrong width ("o (width n)" for an output of width m)."""
    match = _COLLAPSE.match(text)
    if match:
        quantity = match.group(1)
        tilde = quantity[0] + "~" + quantity[1:]  # z_1 -> z~_1, which plain_math sets as a tilde accent
        return f"{quantity} of the network = {tilde} of its width-1 collapse, entry by entry"
    return text


def text_mode_numbers(tex: str) -> str:
    """1.7e-16 \\textless{}= 1e-09 outside math mode -> $1.7 \\times 10^{-16} \\le 10^{-9}$-style numbers."""
    parts = tex.split("$")
    for k in range(0, len(parts), 2):  # the even parts are outside math mode
        text = parts[k].replace(r"\textless{}=", "$\\le$")
        parts[k] = _E_NUMBER.sub(lambda m: (rf"${m.group(1)} \times 10^{{-{m.group(2)}}}$" if m.group(1) != "1"
                                            else rf"$10^{{-{m.group(2)}}}$"), text)
    return "$".join(parts)


def entry_indices(text: str) -> str:
    """A check's sentence with the entry's indices i, j renamed r, c (the layer index keeps i)."""
    for old, new in _INDEX_PHRASES:
        text = text.replace(old, new)
    return text


def entry_formula(canonical: sp.Expr) -> sp.Expr:
    """A canonical entry (``Claim.canonical_entry``) with its summation indices renamed k, l, ...
    (renaming bound variables keeps the value)."""
    renames = {}
    for symbol in canonical.atoms(sp.Symbol):
        name = symbol.name
        if name.startswith("k") and "_" in name and name[1:].replace("_", "").isdigit():
            depth, position = (int(part) for part in name[1:].split("_"))
            renames[symbol] = sp.Symbol(BOUND_NAMES[(depth + position) % len(BOUND_NAMES)], integer=True)
        elif name in ENTRY_INDICES:
            renames[symbol] = sp.Symbol(ENTRY_INDICES[name], integer=True)
    return canonical.xreplace(renames)


class GeneralProofLatex:
    """``_print_GeneralProof``, ``_print_Lemma``, ``_print_Check`` and the structure claims."""

    def _print_sigma(self, expr, exp=None):
        return rf"\sigma\left({self._print(expr.args[0])}\right)"

    def _print_sigma_prime(self, expr, exp=None):
        return rf"\sigma'\left({self._print(expr.args[0])}\right)"

    def _print_MatrixElement(self, expr):
        # u[k, 0] of a column vector is u_k; X[i, j] is X_{ij}
        parent = self._print(expr.parent)
        if expr.parent.shape[1] == 1 and expr.j == 0:
            return f"{parent}_{{{self._print(expr.i)}}}"
        return f"{parent}_{{{self._print(expr.i)}{self._print(expr.j)}}}"

    def _print_Check(self, check) -> str:
        mark = r"$\surd$" if check.holds else r"\textbf{fails}"
        text = rf"\item[{mark}] {text_mode_numbers(self.plain_math(entry_indices(readable_check(check.identity))))}"
        if not check.holds and check.reason:
            text += rf" \\ \emph{{Why:}} {self.plain_math(check.reason)}"
        return text + "\n"

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
                         r"($x$, $g$ and each hidden quantity have $B$ columns)"
                         + self.plain_math(batch_addition(lemma, base)))
        else:
            base, statement = None, self.plain_math(lemma.statement)
        parts = [rf"\paragraph{{{label} ({tex_text(lemma.name)}).}}{mark} {statement}." + "\n"]
        if lemma.premises and numbers:
            cited = ", ".join(f"{numbers[p]}" for p in lemma.premises if p in numbers)
            parts.append(rf"\emph{{Uses Lemma{'s' if ',' in cited else ''} {cited}.}}" + "\n")
        if lemma.hypotheses and base is None:
            parts.append(r"\emph{Hypotheses:} " + "; ".join(self.plain_math(h) for h in lemma.hypotheses) + ".\n")
        checks = new_checks(lemma, base)
        if len(checks) < len(lemma.checks):
            same = len(lemma.checks) - len(checks)
            which = "Its checks are" if not checks else f"{same} of its {len(lemma.checks)} checks are"
            parts.append(rf"{which} those of Lemma {numbers[base.name]}, with the same entries, and are not "
                         r"repeated." + "\n")
        if not checks:
            return "".join(parts)
        parts.append("\\begin{itemize}\n")
        for check in checks:
            parts.append(self.structure_claim(check) if hasattr(check, "entry") else self._print_Check(check))
        parts.append("\\end{itemize}\n")
        return "".join(parts)

    def _print_GeneralProof(self, proof) -> str:
        notation = " ".join(NOTATION)
        notation = notation[len("Notation: "):] if notation.startswith("Notation: ") else notation
        parts = [
            r"\paragraph{Theorem.} " + self.plain_math(proof.theorem) + "\n\n",
            r"\paragraph{Notation.} " + self.plain_math(entry_indices(notation)) + "\n",
        ]
        if proof.dropped:
            parts.append(r"\paragraph{Hypotheses dropped} (replaced by generic matrices):" + "\n\\begin{itemize}\n")
            parts += [rf"\item {tex_text(name)}: {self.plain_math(statement)}" + "\n"
                      for name, statement in proof.dropped_hypotheses.items()]
            parts.append("\\end{itemize}\n")
        numbers = {lemma.name: number for number, lemma in enumerate(proof.lemmas, 1)}
        by_name = {lemma.name: lemma for lemma in proof.lemmas}
        current = None
        for number, lemma in enumerate(proof.lemmas, 1):
            part = part_of(lemma.name)
            if part != current:
                parts.append(rf"\subsection*{{{self.plain_math(part)}}}" + "\n")
                current = part
            parts.append(self._print_Lemma(lemma, number, numbers, restates(lemma, by_name)))
        if any(lemma.name == "collapse" for lemma in proof.lemmas):
            parts.append(r"\paragraph{Rescaling of the width-1 network.} "
                         + "; ".join(self.plain_math(r) for r in proof.rescaling) + ".\n")
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
