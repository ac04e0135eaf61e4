"""Sentences that mix prose and formulas, kept as structure for the printers.

A ``Sentence`` is a tuple of parts: a ``str`` part is prose, any other part is
a formula -- a SymPy expression, or one of the small forms below (a layer's
quantity, a range of layers, a transpose, a product in a fixed order, an
equation or an order relation between two formulas). Each printer sets the formulas in its own notation (plain text for
``render.text``, math mode for ``render.latex``), so rewording the prose never
changes how a formula is typeset, and no printer parses formulas out of prose.
Nothing here imports SymPy: the parts are built by the modules that know them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayerQuantity:
    """A layer's quantity by letter and layer index: W_i, b_i, W1 (text) or W^{[i]} (LaTeX)."""

    letter: str
    layer: str

    @property
    def name(self) -> str:
        """The project's plain name: W1 for a numbered layer, W_i for a symbolic one."""
        return f"{self.letter}{self.layer}" if self.layer.isdigit() else f"{self.letter}_{self.layer}"


@dataclass(frozen=True)
class LayerRange:
    """The same quantity of consecutive layers: b1..b2 (text), b^{[1]}, \\dots, b^{[2]} (LaTeX)."""

    letter: str
    first: int
    last: int


@dataclass(frozen=True)
class Relation:
    """The formula ``left <= right`` and its kin (``relation`` is "<=", "<", ">=", ">" or "~", distributed as)."""

    left: object
    relation: str
    right: object


@dataclass(frozen=True)
class Transposed:
    """A quantity transposed: W_i^T (text), {W^{[i]}}^{\\top} (LaTeX)."""

    quantity: object


@dataclass(frozen=True)
class Product:
    """Factors written side by side in the order given (``W_i^T delta_i``), whatever their kinds."""

    factors: tuple


@dataclass(frozen=True)
class Equals:
    """The formula ``left = right``."""

    left: object
    right: object


@dataclass(frozen=True)
class Sentence:
    """Prose (``str`` parts) and formulas (every other part), in reading order."""

    parts: tuple

    def __add__(self, other: Sentence) -> Sentence:
        return Sentence(self.parts + other.parts)


def joined(sentences, separator: str) -> Sentence:
    """The sentences one after the other, ``separator`` (prose) between them."""
    parts: tuple = ()
    for position, sentence in enumerate(sentences):
        parts += ((separator,) if position else ()) + sentence.parts
    return Sentence(parts)
