"""Sentences that mix prose and formulas, kept as structure for the printers.

A ``Sentence`` is a tuple of parts: a ``str`` part is prose, any other part is
a formula -- a SymPy expression, or one of the small forms below (a layer's
quantity, a list of formulas (``layer_range``: b1..b2), a transpose, a product in a fixed order, an
equation or an order relation between two formulas; and the forms the general
proof's statements are made of: the ones vector, an implication, entries at
symbolic indices, loss derivatives, quantities of the width-1 network, measured
numbers, ...). Each printer sets the formulas in its own notation (plain text for
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
    underscored: bool = False  # W_1 in text, as the general proof writes its layers, rather than W1

    @property
    def name(self) -> str:
        """The project's plain name: W1 for a numbered layer, W_i (W_{K+1}) for a symbolic one."""
        if self.layer.isdigit() and not self.underscored:
            return f"{self.letter}{self.layer}"
        return f"{self.letter}_{self.layer}" if len(self.layer) == 1 else f"{self.letter}_{{{self.layer}}}"


@dataclass(frozen=True)
class Relation:
    """The formula ``left <= right`` and its kin (``relation`` is "<=", "<", ">=", ">", "~", distributed as,
    or "<-", the update of ``left`` to ``right``: an assignment, not an equation)."""

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


# --- the forms of the general proof's statements (``symcheck.general``) -------------------


@dataclass(frozen=True)
class Ones:
    """The column of ones of the size its place requires: 1 (text), \\mathbf{1} (LaTeX)."""


@dataclass(frozen=True)
class Implies:
    """The implication arrow between a statement's hypotheses and its conclusion: => (text)."""


@dataclass(frozen=True)
class Dots:
    """The elided middle of a list: ... (text), \\dots (LaTeX)."""


@dataclass(frozen=True)
class Listed:
    """Formulas in a row: ``d, n_1, ..., n_K, m`` (``separator`` ", ") or ``W_1..W_K`` (".."; LaTeX
    \\dots)."""

    items: tuple
    separator: str = ", "


@dataclass(frozen=True)
class SetOf:
    """A set given by its members: {a, b} (text), \\{a, b\\} (LaTeX)."""

    members: tuple


@dataclass(frozen=True)
class Qualified:
    """A formula with its range of validity: ``W_i = c_i 1 1^T (2 <= i <= K)``."""

    formula: object
    condition: object


@dataclass(frozen=True)
class Grouped:
    """A formula in parentheses: (n_{i-1} c_i)."""

    formula: object


@dataclass(frozen=True)
class Operation:
    """``left operator right``: "+", "-", "(.)" (the Hadamard product, \\odot in LaTeX), "x" (the size
    of a matrix, n_i x n_{i-1}), "->" (from one layer to the next, i-1 -> i) or "*" (a product
    written with its sign, g * c in a clipping rule; \\cdot in LaTeX)."""

    left: object
    operator: str
    right: object


@dataclass(frozen=True)
class Applied:
    """A function applied to its arguments: sigma(z_1), l(o, y); a function given by its name
    ("sqrt", "max") is the standard one: sqrt(v), max(c, |g|)."""

    function: object
    arguments: tuple


@dataclass(frozen=True)
class LossDerivative:
    """The derivative of the loss by a quantity: dL/dW_1 (text), \\partial L/\\partial W^{[1]}
    (LaTeX); ``loss`` "l" is the per-example loss, ``at`` the point it is taken at: dl/do(o, y)."""

    of: object
    loss: str = "L"
    at: tuple = ()


@dataclass(frozen=True)
class Tilde:
    """A quantity of the width-1 network: z~_1 (text; z_1~ with ``mark_after``), \\tilde{z} (LaTeX)."""

    quantity: object
    mark_after: bool = False


@dataclass(frozen=True)
class Subscript:
    """A quantity with an index that is not a layer: theta_t, theta_{t+1}."""

    base: object
    index: str


@dataclass(frozen=True)
class AtStep:
    """A quantity at a training step: W_i^(0) (text), {W^{[i]}}^{(0)} (LaTeX)."""

    quantity: object
    step: str


@dataclass(frozen=True)
class EntryIndex:
    """The row or the column index of a symbolic entry: i, j in text; the LaTeX names them r, c so
    that they never read as the layer index i."""

    axis: str  # "row" or "column"


@dataclass(frozen=True)
class Entry:
    """An entry of a matrix quantity: X[i, j] (text), X_{rc} (LaTeX). The text puts a compound
    quantity in parentheses unless ``parenthesized`` is False; the LaTeX always does."""

    quantity: object
    row: object
    column: object
    parenthesized: bool = True


@dataclass(frozen=True)
class EntryFormula:
    """An entry X[i, j] as SymPy computed it at the symbolic indices i, j: the text shows SymPy's
    own syntax (``Sum(...)``, ``*``), the LaTeX names its summation indices k, l, ... and its entry
    indices r, c."""

    expression: object


@dataclass(frozen=True)
class Rows:
    """A small matrix of numbers, row by row: [[3, 3], [-3, 1]] (text), a pmatrix (LaTeX)."""

    rows: tuple


@dataclass(frozen=True)
class Measured:
    """A measured number written with the format ``spec`` (".1e", ".3g"): 3.1e-16, 1e-12 in text,
    3.1 \\times 10^{-16}, 10^{-12} in LaTeX."""

    value: float
    spec: str


@dataclass(frozen=True)
class Magnitude:
    """The absolute value |x| of a formula."""

    formula: object


@dataclass(frozen=True)
class Primed:
    """A second point's quantity: W_1' (text), {W^{[1]}}' (LaTeX)."""

    quantity: object


# ---- the forms of update rules and their notes (``model.update_rules``): scalars and tensors
# by name, assignments, quotients, powers and norms (with ``Operation``, ``Grouped`` and
# ``Applied`` above), written in the order built.

@dataclass(frozen=True)
class Variable:
    """A scalar or a tensor by its letter (a Greek name such as "theta" or an abbreviation such as
    "eps"), with an optional subscript and hat: b1, theta_r, eta_{i,r}, m_hat (text); b_{1},
    \\theta_{r}, \\eta_{i,r}, \\hat{m} (LaTeX)."""

    letter: str
    subscript: str = ""
    hat: bool = False


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
class Norm:
    """The (global Euclidean) norm of a quantity: |g| (text), \\lVert g \\rVert (LaTeX)."""

    quantity: object


@dataclass(frozen=True)
class Sentence:
    """Prose (``str`` parts) and formulas (every other part), in reading order."""

    parts: tuple

    def __add__(self, other: Sentence) -> Sentence:
        return Sentence(self.parts + other.parts)


def layer_range(letter: str, first: int, last: int):
    """The same quantity of layers ``first`` to ``last``: b1..b2 (text), b^{[1]}, \\dots, b^{[2]}
    (LaTeX); a single layer is just that layer's quantity (b1, not b1..b1)."""
    if first == last:
        return LayerQuantity(letter, str(first))
    return Listed((LayerQuantity(letter, str(first)), LayerQuantity(letter, str(last))), "..")


def said(*parts) -> Sentence:
    """A sentence of prose (``str``) and formulas, in reading order."""
    return Sentence(parts)


def joined(sentences, separator: str) -> Sentence:
    """The sentences one after the other, ``separator`` (prose) between them."""
    parts: tuple = ()
    for position, sentence in enumerate(sentences):
        parts += ((separator,) if position else ()) + sentence.parts
    return Sentence(parts)
