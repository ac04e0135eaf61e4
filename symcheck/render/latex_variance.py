"""LaTeX for the variance derivations behind the scaled initializations (``symcheck.variance``).

A mixin of ``SymcheckLatexPrinter``: each ``DerivationStep`` is its SymPy
equation, printed as is, with its one-line reason; ``E`` and ``Var`` are the
expectation and variance operators.
"""

from __future__ import annotations

import re


from .plain_math import plain_math_tex

#: Symbols of ``symcheck.variance`` whose names are words or formulas.
NAMED_SYMBOLS = {
    "fan_in": r"\mathrm{fan}_{\mathrm{in}}",
    "fan_out": r"\mathrm{fan}_{\mathrm{out}}",
    "gain": r"\mathrm{gain}",
    "stddev": r"\mathrm{stddev}",
    "target_std": r"\mathrm{std}_{\mathrm{target}}",
    "U(-a, a)": r"U(-a, a)",
    "P(|X| <= c)": r"P(|X| \le c)",
    "E[X^2 | |X| <= c]": r"E\left[X^2 \mid |X| \le c\right]",
}


class VarianceLatex:
    """``_print_VarianceDerivation`` and ``_print_DerivationStep``."""

    def variance_symbol(self, name: str) -> str | None:
        if name in NAMED_SYMBOLS:
            return NAMED_SYMBOLS[name]
        match = re.fullmatch(r"([A-Za-z]+)_\{?([a-z0-9+\-]+)\}?", name)
        if match and match.group(1) in ("tau", "delta", "g", "h", "z", "n", "W"):
            letter = "\\" + match.group(1) if match.group(1) in ("tau", "delta") else match.group(1)
            if match.group(1) in ("tau", "n"):  # not layer quantities: a plain subscript
                return f"{letter}_{{{match.group(2)}}}"
            return self.layer(letter, match.group(2))  # W^{[i]} or W_i, as --notation says
        return None

    def _print_Function(self, expr, exp=None):
        # E, Var and sigma' are undefined SymPy functions: SymPy's printer never dispatches
        # on their names, so they are recognised here.
        name = expr.func.__name__
        argument = self._print(expr.args[0]) if len(expr.args) == 1 else None
        if name == "E" and argument is not None:
            text = rf"E\left[{argument}\right]"
        elif name == "Var" and argument is not None:
            text = rf"\operatorname{{Var}}\left({argument}\right)"
        elif name == "sigma'" and argument is not None:
            text = rf"\sigma'\left({argument}\right)"
        else:
            return super()._print_Function(expr, exp)
        return text if exp is None else rf"{text}^{{{exp}}}"

    def _print_DerivationStep(self, step, number: int | None = None) -> str:
        lhs, rhs = step.equation.args
        tag = rf" \tag{{{number}}}" if number is not None else ""
        return (rf"{self._print(lhs)} &= {self._print(rhs)}{tag} \\"
                + "\n" + rf"&\qquad\parbox[t]{{0.75\linewidth}}{{\raggedright {plain_math_tex(step.reason)}}}")

    def _print_VarianceDerivation(self, derivation) -> str:
        parts = [rf"\paragraph{{{plain_math_tex(derivation.title)}.}}"]
        if derivation.assumptions:
            parts.append(" Assume " + "; ".join(plain_math_tex(a) for a in derivation.assumptions) + ".")
        rows = [self._print_DerivationStep(step, None) for step in derivation.steps]
        parts.append("\n\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n")
        return "".join(parts)

