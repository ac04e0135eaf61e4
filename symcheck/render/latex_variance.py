"""LaTeX for the variance derivations behind the scaled initializations (``symcheck.initialization.variance``).

A mixin of ``SymcheckLatexPrinter``: each ``DerivationStep`` is its SymPy
equation, printed as is, with its one-line reason; ``E`` and ``Var`` are the
expectation and variance operators.
"""

from __future__ import annotations

import re

import sympy as sp


from .texutil import tex_text

#: Symbols of ``symcheck.initialization.variance`` whose names are words or formulas.
NAMED_SYMBOLS = {
    "fan_in": r"\mathrm{fan}_{\mathrm{in}}",
    "fan_out": r"\mathrm{fan}_{\mathrm{out}}",
    "gain": r"\mathrm{gain}",
    "stddev": r"\mathrm{stddev}",
    "target_std": r"\mathrm{std}_{\mathrm{target}}",
    "U(-a, a)": r"U(-a, a)",
    "P(|X| <= c)": r"P(|X| \le c)",
    "E[X^2 | |X| <= c]": r"E\left[X^2 \mid |X| \le c\right]",
    "Var": r"\operatorname{Var}",  # the operator itself: Var = E[x^2] - E[x]^2
    "kappa_relu": r"\kappa_{\mathrm{relu}}",
    "target": r"\mathrm{target}",
}


#: Undefined functions of the derivations that are named by one letter: a density, a law.
NAMED_FUNCTIONS = ("p", "U", "N")


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

    def symbolic_entry(self, quantity: str, indices: str) -> str:
        """Entry ``indices`` of a layer quantity already typeset: W^{[i]}_{rj}, or (W_{i})_{rj} so that
        the entry's subscript never reads as a layer index."""
        if self._settings["layer_notation"] == "bracket" or "_" not in quantity:
            return f"{quantity}_{{{indices}}}"
        return rf"\left({quantity}\right)_{{{indices}}}"

    def _print_Indexed(self, expr):
        # W_i[r, j] of the variance derivations: an entry of the layer's matrix, as --notation says
        quantity = self.variance_symbol(expr.base.name) or self._print(expr.base.label)
        return self.symbolic_entry(quantity, "".join(self._print(index) for index in expr.indices))

    def _print_Function(self, expr, exp=None):
        # E, Var, sigma', relu, p, U and N are undefined SymPy functions: SymPy's printer never
        # dispatches on their names, so they are recognised here. In running text (a sentence's
        # formula) the brackets keep their text size, so that the line can be set, and relu,
        # leaky_relu, p, U and N are written as the sentence says them (the equations keep SymPy's form).
        name = expr.func.__name__
        argument = self._print(expr.args[0]) if len(expr.args) == 1 else None
        left, right = ("", "") if self.in_sentence else (r"\left", r"\right")
        if name == "E" and argument is not None:
            text = rf"E{left}[{argument}{right}]"
        elif name == "Var" and argument is not None:
            text = rf"\operatorname{{Var}}{left}({argument}{right})"
        elif name == "sigma'" and argument is not None:
            text = rf"\sigma'{left}({argument}{right})"
        elif name in ("relu", "leaky_relu") and argument is not None and not left:
            text = rf"\operatorname{{{tex_text(name)}}}{left}({argument}{right})"
        elif name in NAMED_FUNCTIONS and not left:  # p(-u), U(-a, a), N(0, 1) in running text
            text = rf"{name}{left}(" + ", ".join(self._print(a) for a in expr.args) + rf"{right})"
        else:
            return super()._print_Function(expr, exp)
        return text if exp is None else rf"{text}^{{{exp}}}"

    def _print_Derivative(self, expr):
        # dL/dh of the derivations' sentences, inline: the loss is a plain symbol L
        if len(expr.variable_count) == 1 and expr.variable_count[0][1] == 1 and expr.expr == sp.Symbol("L", real=True):
            return rf"\partial L/\partial {self._print(expr.variable_count[0][0])}"
        return super()._print_Derivative(expr)

    def _print_DerivationStep(self, step, number: int | None = None) -> str:
        lhs, rhs = step.equation.args
        tag = rf" \tag{{{number}}}" if number is not None else ""
        return (rf"{self._print(lhs)} &= {self._print(rhs)}{tag} \\"
                + "\n" + rf"&\qquad\parbox[t]{{0.75\linewidth}}{{\raggedright {self._print(step.reason)}}}")

    def _print_VarianceDerivation(self, derivation) -> str:
        parts = [rf"\paragraph{{{self._print(derivation.title)}.}}"]
        if derivation.assumptions:
            parts.append(" Assume " + "; ".join(self._print(a) for a in derivation.assumptions) + ".")
        rows = [self._print_DerivationStep(step, None) for step in derivation.steps]
        parts.append("\n\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n")
        return "".join(parts)


def rule_instance(init) -> dict | None:
    """A scheme's rule Var(W) at its shape, exactly: the symbols' values, Var, std and (for a uniform
    law) the bound a = sqrt(3) std. None for a scheme without a rule. Gains given as floats are read
    back as the exact numbers they round (5/3, sqrt(2))."""
    if init.rule is None or init.fan_in is None:
        return None
    given = dict(init.parameters)
    values = {}
    for symbol in sorted(init.rule.free_symbols, key=lambda s: s.name):
        if symbol.name == "fan_in":
            values[symbol] = sp.Integer(init.fan_in)
        elif symbol.name == "fan_out":
            values[symbol] = sp.Integer(init.fan_out)
        elif symbol.name in given and isinstance(given[symbol.name], (int, float)):
            values[symbol] = sp.nsimplify(given[symbol.name], [sp.sqrt(2), sp.sqrt(3)])
        else:
            return None
    variance = sp.nsimplify(init.rule.xreplace(values))
    std = sp.sqrt(variance)
    bound = sp.sqrt(3) * std if init.distribution == "uniform" else None
    return {"values": values, "variance": variance, "std": std, "bound": bound}


def plain_rule(expr) -> str:
    """Var(W)'s rule in plain text without Python syntax: 2·gain²/(fan_in + fan_out)."""
    text = sp.sstr(expr)
    text = re.sub(r"\*\*2\b", "²", text)
    return text.replace("**", "^").replace("*", "·")


def number_text(value) -> str:
    """An exact value as text: 1/4, or sqrt(3)/2 ≈ 0.8660 when it is not rational."""
    value = sp.nsimplify(value)
    if value.is_Rational:
        return str(value)
    return f"{sp.sstr(value)} ≈ {float(value):.4g}"


class InitializerLatex:
    """``_print_Initializer``: the rule instantiated at the scheme's shape (a mixin of the printer)."""

    def _print_Initializer(self, init) -> str:
        instance = rule_instance(init)
        if instance is None:
            return ""
        shape = ", ".join(map(str, init.shape))
        given = ", ".join(rf"{self._print(symbol)} = {self._print(value)}"
                          for symbol, value in instance["values"].items())
        std = instance["std"]
        rows = [rf"\operatorname{{Var}}(W) &= {self._print(init.rule)} = {self._print(instance['variance'])}",
                rf"\mathrm{{std}} &= \sqrt{{\operatorname{{Var}}(W)}} = {self._number(std)}"]
        law = rf"$W \sim \mathcal{{N}}(0, {self._print(instance['variance'])})$"
        if instance["bound"] is not None:
            rows.append(rf"a &= \sqrt{{3}}\,\mathrm{{std}} = {self._number(instance['bound'])}")
            law = r"$W \sim U(-a, a)$"
        return (rf"\paragraph{{For the shape $({shape})$.}} {tex_text(init.convention)} reads "
                rf"${given}$, so {law} with" + "\n\\begin{align*}\n" + " \\\\\n".join(rows)
                + "\n\\end{align*}\n")

    def _number(self, value) -> str:
        value = sp.nsimplify(value)
        if value.is_Rational:
            return self._print(value)
        return rf"{self._print(value)} \approx {float(value):.4g}"
