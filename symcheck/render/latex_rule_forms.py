"""LaTeX for the forms of update rules and their notes (``model.sentence``: variables,
assignments, quotients, powers, norms; built in ``model.update_rules``, with the operations,
parentheses and function applications of ``latex_statement_forms``): theta <- theta - eta g /
(sqrt(v) + eps) as ``\\theta \\leftarrow \\theta - \\eta g / (\\sqrt{v} + \\varepsilon)``.

A mixin of ``SymcheckLatexPrinter`` (through ``AnalysisLatex``): one ``_print_<Form>`` per form,
each printing its parts with the printer, so a layer quantity inside (h_i in the dropout rule)
follows ``--notation``.
"""

from __future__ import annotations

from sympy.printing.latex import translate

#: Abbreviated names of update rules' variables, as ``sympy.printing.latex.translate`` spells them.
VARIABLE_ABBREVIATIONS = {"eps": "varepsilon", "lam": "lambda"}


class RuleFormsLatex:
    """``_print_Variable``, ``_print_Quotient``, ``_print_Power``, ``_print_Norm``."""

    def _print_Variable(self, variable) -> str:
        """theta -> \\theta, eps -> \\varepsilon, m_hat -> \\hat{m}, eta_{i,r} -> \\eta_{i,r}."""
        letter = translate(VARIABLE_ABBREVIATIONS.get(variable.letter, variable.letter))
        text = rf"\hat{{{letter}}}" if variable.hat else letter
        return text + (f"_{{{variable.subscript}}}" if variable.subscript else "")

    def _print_Quotient(self, formula) -> str:
        return f"{self._print(formula.numerator)} / {self._print(formula.denominator)}"

    def _print_Power(self, formula) -> str:
        return self.superscript_base(formula.base) + f"^{{{self._print(formula.exponent)}}}"

    def _print_Norm(self, formula) -> str:
        return rf"\lVert {self._print(formula.quantity)} \rVert"
