"""LaTeX for the sentence forms of the general proof's statements (``model.sentence``: the ones
vector, the implication, entries, loss derivatives, tilde quantities, measured numbers, ...).

A mixin of ``SymcheckLatexPrinter`` (through ``GeneralProofLatex``): one ``_print_<Form>`` per
form, each printing its parts with the printer, so a layer quantity inside follows
``--notation`` (W^{[1]} or W_{1}) wherever it stands.
"""

from __future__ import annotations

import sympy as sp

from ..exact.bound_variables import canonical_bound_variables

#: Bound variables of the entry formulas, by nesting depth.
BOUND_NAMES = ("k", "l", "p", "q", "a")  # never r, c: those are the entry's row and column
#: The entry's row and column: named r, c so they never clash with the layer index i.
ENTRY_INDICES = {"row": "r", "column": "c"}
OPERATORS = {"+": "+", "-": "-", "(.)": r"\odot", "x": r"\times", "->": r"\to", "*": r"\cdot"}
#: Functions named by a string in ``Applied`` (an update rule's sqrt and max).
NAMED_FUNCTIONS = {"max": r"\max"}
#: Forms that are written in parentheses before an index is attached to them.
COMPOUND = ("Operation", "Product", "LossDerivative", "Grouped")


def entry_formula(expr: sp.Expr) -> sp.Expr:
    """An entry at symbolic indices with its summation indices renamed k, l, ... by nesting
    (``canonical_bound_variables``: renaming bound variables keeps the value) and its row and
    column indices i, j renamed r, c."""
    canonical = canonical_bound_variables(expr)
    renames = {}
    for symbol in canonical.atoms(sp.Symbol):
        name = symbol.name
        if name.startswith("k") and "_" in name and name[1:].replace("_", "").isdigit():
            depth, position = (int(part) for part in name[1:].split("_"))
            renames[symbol] = sp.Symbol(BOUND_NAMES[(depth + position) % len(BOUND_NAMES)], integer=True)
        elif name in ("i", "j") and symbol.is_integer:  # the entry's indices (general.structure.ROW, COLUMN)
            renames[symbol] = sp.Symbol(ENTRY_INDICES["row" if name == "i" else "column"], integer=True)
    return canonical.xreplace(renames)


class StatementFormsLatex:
    """``_print_Ones``, ``_print_Entry``, ``_print_LossDerivative``, ... (see the module docstring)."""

    def _print_Ones(self, form) -> str:
        return r"\mathbf{1}"

    def _print_Implies(self, form) -> str:
        return r"\quad\implies\quad"

    def _print_Dots(self, form) -> str:
        return r"\dots"

    def _print_Listed(self, form) -> str:
        separator = r", \dots, " if form.separator == ".." else form.separator
        return separator.join(self._print(item) for item in form.items)

    def _print_SetOf(self, form) -> str:
        return r"\{" + ", ".join(self._print(member) for member in form.members) + r"\}"

    def _print_Qualified(self, form) -> str:
        return rf"{self._print(form.formula)} \ ({self._print(form.condition)})"

    def _print_Grouped(self, form) -> str:
        return f"({self._print(form.formula)})"

    def _print_Operation(self, form) -> str:
        return f"{self._print(form.left)} {OPERATORS[form.operator]} {self._print(form.right)}"

    def _print_Applied(self, form) -> str:
        arguments = ", ".join(self._print(a) for a in form.arguments)
        if not isinstance(form.function, str):
            return f"{self._print(form.function)}({arguments})"
        if form.function == "sqrt":
            return rf"\sqrt{{{arguments}}}"
        return f"{NAMED_FUNCTIONS[form.function]}({arguments})"

    def _print_LossDerivative(self, form) -> str:
        text = rf"\partial {form.loss}/\partial {self._print(form.of)}"
        return text + ("(" + ", ".join(self._print(a) for a in form.at) + ")" if form.at else "")

    def _print_Tilde(self, form) -> str:
        quantity = form.quantity
        if type(quantity).__name__ == "LayerQuantity":  # the accent on the letter: \tilde{z}^{[1]}
            letter = quantity.letter if len(quantity.letter) == 1 else "\\" + quantity.letter
            return self.layer(rf"\tilde{{{letter}}}", quantity.layer)
        return rf"\tilde{{{self._print(quantity)}}}"

    def _print_Subscript(self, form) -> str:
        return f"{self._print(form.base)}_{{{form.index}}}"

    def _print_AtStep(self, form) -> str:
        return f"{self.superscript_base(form.quantity)}^{{({form.step})}}"

    def _print_Primed(self, form) -> str:
        return f"{self.superscript_base(form.quantity)}'"

    def _print_EntryIndex(self, form) -> str:
        return ENTRY_INDICES[form.axis]

    def _print_Entry(self, form) -> str:
        indices = self._print(form.row) + self._print(form.column)
        inner = self._print(form.quantity)
        if type(form.quantity).__name__ in COMPOUND:
            return rf"\left({inner}\right)_{{{indices}}}"
        return self.symbolic_entry(inner, indices)

    def _print_EntryFormula(self, form) -> str:
        return self._print(entry_formula(form.expression))

    def _print_Rows(self, form) -> str:
        return self.matrix(form.rows)

    def _print_Measured(self, form) -> str:
        written = format(form.value, form.spec)
        if "e" not in written:
            return written
        mantissa, exponent = written.split("e")
        power = f"10^{{{int(exponent)}}}"
        return power if mantissa == "1" else rf"{mantissa} \times {power}"

    def _print_Magnitude(self, form) -> str:
        return rf"\lvert {self._print(form.formula)} \rvert"
