"""The plain-text form of a ``model.sentence.Sentence``: prose as written, formulas as a person types
them -- products side by side (``W_i h_{i-1}``), powers with ``^``, quotients with ``/`` (``k/100``,
``2/(fan_in + fan_out)``), ``E[x]`` for an expectation, ``dL/dh`` for a derivative of the loss, the
operands in the order they were built -- and layer quantities by their plain names."""

from __future__ import annotations

import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter


class FormulaTextPrinter(StrPrinter):
    """SymPy's str printer without Python syntax: no ``*``, no ``**``, no ``Interval(...)``."""

    def __init__(self):
        super().__init__({"order": "none"})

    def _print_Mul(self, expr):
        numerator, denominator = [], []
        for factor in expr.args:
            if factor.is_Rational and factor != 1:
                if factor.p != 1:
                    numerator.append(sp.Integer(factor.p))
                if factor.q != 1:
                    denominator.append(sp.Integer(factor.q))
            elif factor.is_Pow and factor.exp.is_Integer and factor.exp < 0:
                denominator.append(factor.base ** -factor.exp)
            else:
                numerator.append(factor)
        sign = ""
        if numerator and numerator[0] == -1:
            sign, numerator = "-", numerator[1:]
        text = sign + (" ".join(self.parenthesize(f, PRECEDENCE["Mul"]) for f in numerator) or "1")
        if not denominator:
            return text
        below = " ".join(self.parenthesize(f, PRECEDENCE["Mul"]) for f in denominator)
        return f"{text}/{below if len(denominator) == 1 else f'({below})'}"

    def _print_Pow(self, expr):
        if expr.exp.is_Integer and expr.exp < 0:
            return "1/" + self.parenthesize(expr.base ** -expr.exp, PRECEDENCE["Mul"])
        return f"{self.parenthesize(expr.base, PRECEDENCE['Pow'])}^{self.parenthesize(expr.exp, PRECEDENCE['Pow'])}"

    def _print_Function(self, expr):
        if expr.func.__name__ == "E" and len(expr.args) == 1:
            return f"E[{self._print(expr.args[0])}]"
        return super()._print_Function(expr)

    def _print_Derivative(self, expr):
        (variable, count), = expr.variable_count
        if count == 1 and isinstance(expr.expr, sp.Symbol):
            return f"d{self._print(expr.expr)}/d{self._print(variable)}"
        return super()._print_Derivative(expr)

    def _print_Interval(self, expr):
        return f"[{self._print(expr.start)}, {self._print(expr.end)}]"

    def _print_Tuple(self, expr):
        return "(" + ", ".join(self._print(item) for item in expr) + ")"


_PRINTER = FormulaTextPrinter()


def formula_text(formula) -> str:
    """A ``model.sentence`` form by its entry in ``FORMS`` (by class name, as the printers dispatch);
    anything else -- a SymPy expression, a number -- by ``FormulaTextPrinter``."""
    printer = FORMS.get(type(formula).__name__)
    return printer(formula) if printer is not None else _PRINTER.doprint(formula)


# --- the forms of the general proof's statements, as its text has always written them -------

def _tilde_text(tilde) -> str:
    quantity = tilde.quantity
    if tilde.mark_after or type(quantity).__name__ != "LayerQuantity":
        return formula_text(quantity) + "~"
    return quantity.letter + "~" + quantity.name[len(quantity.letter):]  # z~_1, h~_{i-1}


def _entry_text(entry) -> str:
    quantity = formula_text(entry.quantity)
    if entry.parenthesized and type(entry.quantity).__name__ in ("Operation", "Product"):
        quantity = f"({quantity})"
    return f"{quantity}[{formula_text(entry.row)}, {formula_text(entry.column)}]"


def _subscript_text(base, index: str) -> str:
    return f"{formula_text(base)}_{index}" if len(index) == 1 else f"{formula_text(base)}_{{{index}}}"


#: The text of each form of ``model.sentence``, by class name: the one dispatch of this printer.
FORMS = {
    "LayerQuantity": lambda form: form.name,
    "Transposed": lambda form: f"{formula_text(form.quantity)}^T",
    "Product": lambda form: " ".join(formula_text(factor) for factor in form.factors),
    "Equals": lambda form: f"{formula_text(form.left)} = {formula_text(form.right)}",
    "Relation": lambda form: f"{formula_text(form.left)} {form.relation} {formula_text(form.right)}",
    # the forms of the general proof's statements, as its text has always written them
    "Ones": lambda form: "1",
    "Implies": lambda form: "=>",
    "Dots": lambda form: "...",
    "Listed": lambda form: form.separator.join(formula_text(item) for item in form.items),
    "SetOf": lambda form: "{" + ", ".join(formula_text(member) for member in form.members) + "}",
    "Qualified": lambda form: f"{formula_text(form.formula)} ({formula_text(form.condition)})",
    "Grouped": lambda form: f"({formula_text(form.formula)})",
    "Operation": lambda form: f"{formula_text(form.left)} {form.operator} {formula_text(form.right)}",
    "Applied": lambda form: f"{formula_text(form.function)}({', '.join(formula_text(a) for a in form.arguments)})",
    "LossDerivative": lambda form: (f"d{form.loss}/d{formula_text(form.of)}"
                                    + (f"({', '.join(formula_text(a) for a in form.at)})" if form.at else "")),
    "Tilde": _tilde_text,
    "Subscript": lambda form: _subscript_text(form.base, form.index),
    "AtStep": lambda form: f"{formula_text(form.quantity)}^({form.step})",
    "EntryIndex": lambda form: {"row": "i", "column": "j"}[form.axis],
    "Entry": _entry_text,
    "EntryFormula": lambda form: sp.sstr(form.expression),
    "Rows": lambda form: "[" + ", ".join("[" + ", ".join(str(v) for v in row) + "]" for row in form.rows) + "]",
    "Measured": lambda form: format(form.value, form.spec),
    "Magnitude": lambda form: f"|{formula_text(form.formula)}|",
    "Primed": lambda form: f"{formula_text(form.quantity)}'",
}


# ---- the forms of update rules (``model.update_rules``): theta <- theta - eta g / (sqrt(v) + eps)

#: Letters the text writes short, as PyTorch names them (Adam's betas: b1, b2).
TEXT_ABBREVIATIONS = {"beta": "b"}


def variable_text(variable) -> str:
    """b1, theta_r, eta_{i,r}, m_hat: a digit joins the letter, a letter follows "_", longer subscripts are braced."""
    sub = variable.subscript
    text = TEXT_ABBREVIATIONS.get(variable.letter, variable.letter) + ("_hat" if variable.hat else "")
    if not sub:
        return text
    return text + (sub if sub.isdigit() else f"_{sub}" if len(sub) == 1 else f"_{{{sub}}}")


def is_atom(formula) -> bool:
    """A name, a number, a norm or a power of those: what a quotient writes without spaces (lam/2, 2/2^k)."""
    kind = type(formula).__name__
    if kind == "Power":
        return is_atom(formula.base) and is_atom(formula.exponent)
    return kind in ("Variable", "Norm", "LayerQuantity", "int")


def quotient_text(quotient) -> str:
    tight = is_atom(quotient.numerator) and is_atom(quotient.denominator)
    return formula_text(quotient.numerator) + ("/" if tight else " / ") + formula_text(quotient.denominator)


FORMS.update({
    "Variable": variable_text,
    "Quotient": quotient_text,
    "Power": lambda f: f"{formula_text(f.base)}^{formula_text(f.exponent)}",
    "Norm": lambda f: f"|{formula_text(f.quantity)}|",
})


def sentence_text(sentence) -> str:
    return "".join(part if isinstance(part, str) else formula_text(part) for part in sentence.parts)
