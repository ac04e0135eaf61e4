"""What Jupyter shows for a result object: math mode only (MathJax and KaTeX know no
\\paragraph or itemize), so the long documents of ``render.latex`` become short summaries.

``NotebookLatexPrinter`` overrides the documents' ``_print_Proof``, ``_print_Derivation``, ...
with one-screen summaries; everything else (equations, expressions) prints as in
``render.latex``. Dispatch is by class name, so no result module is imported."""

from __future__ import annotations

from .latex import ACTIVATION_TEX, SymcheckLatexPrinter
from .sentence_text import sentence_text
from .texutil import tex_text

#: Results whose summary is a display block ($$...$$); anything else is one inline formula.
DISPLAYED = frozenset({"Derivation", "Proof", "GeneralProof", "Analysis", "Trace", "VarianceDerivation"})


def notebook_latex(obj, **settings) -> str:
    """The ``_repr_latex_`` of every result (``symcheck.display.LatexDisplay``)."""
    body = NotebookLatexPrinter(settings).doprint(obj)
    return f"$${body}$$" if type(obj).__name__ in DISPLAYED else rf"$\displaystyle {body}$"


def _rows(rows: list[str]) -> str:
    return r"\begin{array}{l}" + r" \\ ".join(rows) + r"\end{array}"


class NotebookLatexPrinter(SymcheckLatexPrinter):
    """One-screen math-mode summaries of the result objects."""

    def _print_Derivation(self, derivation) -> str:
        rows = self._equation_rows(derivation.equations, tags=False)
        if derivation.scalar_equations:
            rows += self._equation_rows(derivation.scalar_equations, tags=False)
        act = derivation.spec.activation
        symbol = "f" if act == "f" else self._settings["activation_symbol"] or ACTIVATION_TEX[act]
        title = (rf"\text{{{tex_text(derivation.spec.describe())}; check "
                 rf"{'passed' if derivation.check.passed else 'FAILED'}; }}{symbol} = {ACTIVATION_TEX.get(act, act)}")
        return r"\begin{aligned}" + rf"&{title} \\ " + r" \\ ".join(rows) + r"\end{aligned}"

    def _print_Proof(self, proof) -> str:
        rows = [rf"\text{{{tex_text(proof.spec.describe())}, init {tex_text(proof.init.name)}}}"]
        for base, step in proof.invariants:
            inv = base.invariant
            rows.append(rf"{self.parameter(inv.parameter)}\ \text{{has equal {inv.property[6:]}: base "
                        rf"{base.status}, step {step.status}}}")
        rows.append(rf"\textbf{{Verdict: {proof.verdict}}}")
        return _rows(rows)

    def _print_GeneralProof(self, proof) -> str:
        rows = [r"\text{Symmetry theorem for every depth, width, activation and loss}"]
        rows += [rf"\text{{Lemma {n} ({tex_text(lemma.name)}): {'checked' if lemma.checked else 'FAILS'}}}"
                 for n, lemma in enumerate(proof.lemmas, 1)]
        return _rows(rows + [rf"\textbf{{Verdict: {proof.verdict}}}"])

    def _print_Analysis(self, a) -> str:
        rows = [rf"\text{{{tex_text(a.spec.describe())}, init {tex_text(a.init.name)}, "
                rf"optimizer {tex_text(a.optimizer.name)}}}"]
        rows += [rf"\text{{layer {i}: effective width {len(c)} of {a.spec.widths[i]}}}"
                 for i, c in enumerate(a.partition.layers, 1)]
        f = a.functional
        claims = (("twins persist", a.twins), ("dead network", a.dead),
                  ("functional ties persist", f.ties if f is not None else None),
                  ("dead units stay dead", f.dead_claim if f is not None else None))
        for title, claim in claims:
            if claim is not None:
                rows.append(rf"\text{{{title}: {claim.verdict}}}")
        return _rows(rows + [rf"\textbf{{Verdict: {a.verdict}}}"])

    def _print_Trace(self, t) -> str:
        rows = [rf"\text{{{tex_text(t.spec.describe())}, init {tex_text(t.init.name)}}}"]
        for step in t.steps:
            moved = ", ".join(self.parameter(n) for n in step.moved) or r"\text{nothing}"
            rows.append(rf"\text{{step {step.step}: moves }} {moved}\text{{; invariants "
                        rf"{'hold' if step.invariants_hold else 'fail'}}}")
        return _rows(rows)

    def _print_VarianceDerivation(self, derivation) -> str:
        rows = [rf"\text{{{tex_text(sentence_text(derivation.title))}}}"]
        rows += [self._print(step.equation.lhs) + " = " + self._print(step.equation.rhs) for step in derivation.steps]
        return _rows(rows)
