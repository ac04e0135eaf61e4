"""The plain-text form of a ``model.sentence.Sentence``: prose as written, formulas as SymPy's str
printer writes them (``k/100``, ``2/(fan_in + fan_out)``), layer quantities by their plain names."""

from __future__ import annotations

import sympy as sp


def formula_text(formula) -> str:
    kind = type(formula).__name__
    if kind == "LayerQuantity":
        return formula.name
    if kind == "LayerRange":
        return f"{formula.letter}{formula.first}..{formula.letter}{formula.last}"
    if kind == "Equals":
        return f"{formula_text(formula.left)} = {formula_text(formula.right)}"
    if kind == "Relation":
        return f"{formula_text(formula.left)} {formula.relation} {formula_text(formula.right)}"
    return sp.sstr(formula)


def sentence_text(sentence) -> str:
    return "".join(part if isinstance(part, str) else formula_text(part) for part in sentence.parts)
