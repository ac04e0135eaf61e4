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


# ---- the forms of update rules and their notes (``model.update_rules``): scalars and tensors
# by name, assignments, operations, quotients, powers, function applications and norms,
# written in the order built.

@dataclass(frozen=True)
class Variable:
    """A scalar or a tensor by its letter (a Greek name such as "theta" or an abbreviation such as
    "eps"), with an optional subscript and hat: b1, theta_r, eta_{i,r}, m_hat (text); b_{1},
    \\theta_{r}, \\eta_{i,r}, \\hat{m} (LaTeX)."""

    letter: str
    subscript: str = ""
    hat: bool = False


@dataclass(frozen=True)
class Assign:
    """The update ``target <- value`` (an assignment, not an equation)."""

    target: object
    value: object


@dataclass(frozen=True)
class Operation:
    """``left operator right``: "+", "-", "(.)" (the Hadamard product, \\odot in LaTeX) or "*" (a
    product written with its sign, g * c; \\cdot in LaTeX)."""

    left: object
    operator: str
    right: object


@dataclass(frozen=True)
class Quotient:
    """``numerator / denominator`` on the line; text writes it tight (lam/2) between two atoms and
    with spaces (g / (sqrt(v) + eps)) when an operand is compound."""

    numerator: object
    denominator: object


@dataclass(frozen=True)
class Power:
    """``base^exponent``."""

    base: object
    exponent: object


@dataclass(frozen=True)
class Grouped:
    """A formula in parentheses: eta (g + mu m)."""

    formula: object


@dataclass(frozen=True)
class Applied:
    """A function applied to its arguments: g(x1, y1); a function given by its name ("sqrt",
    "max") is the standard one: sqrt(v), max(c, |g|)."""

    function: object
    arguments: tuple


@dataclass(frozen=True)
class Norm:
    """The (global Euclidean) norm of a quantity: |g| (text), \\lVert g \\rVert (LaTeX)."""

    quantity: object


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
