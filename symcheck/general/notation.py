"""The general proof's notation as sentence forms (``model.sentence``): its quantities, written as
the proof writes them (W_1, h_{i-1}, dL/dW_{K+1}), and the formulas its statements repeat (the
invariant set S, the ranges of the layer index).

The statements of ``lemmas``, ``collapse`` and ``proof`` are built from these, so the text printer
and the LaTeX printer set the same formulas, each in its own notation.
"""

from __future__ import annotations

import sympy as sp

from ..model.sentence import (
    Applied, Equals, Implies, LayerQuantity, Listed, LossDerivative, Ones, Product, Relation, Sentence, SetOf, said,
    Transposed, Qualified,
)

ONES = Ones()
IMPLIES = Implies()
#: The symbols the statements name (the widths are the dimension symbols of ``lemmas``; the entry
#: formulas use its matrices).
LAYER, K, STEP = sp.Symbol("i"), sp.Symbol("K"), sp.Symbol("t")
PREVIOUS_LAYER = sp.Symbol("i-1")  # as the statements write it: "i-1 -> i"
X, U, V, S_VALUE, G = (sp.Symbol(name) for name in ("x", "u", "v", "s", "g"))
OUTPUT, TARGET, LOSS = sp.Symbol("o"), sp.Symbol("y"), sp.Symbol("l")
GAMMA, ZETA, THETA = sp.Symbol("gamma"), sp.Symbol("zeta"), sp.Symbol("theta")
SIGMA, SIGMA_PRIME = sp.Symbol("sigma"), sp.Symbol("sigma'")
C_I, BETA_1, BETA_I = sp.Symbol("c_i"), sp.Symbol("beta_1"), sp.Symbol("beta_i")
INVARIANT_SET = sp.Symbol("S")
ANY_MATRIX = sp.Symbol("X")  # "the entry X[i, j]" of any quantity
#: 2 <= i <= K: the middle layers.
MIDDLE = Relation(Relation(2, "<=", LAYER), "<=", K)
HIDDEN = Relation(LAYER, "<=", K)


def weight(layer: str) -> LayerQuantity:
    return LayerQuantity("W", layer, underscored=True)


def bias(layer: str) -> LayerQuantity:
    return LayerQuantity("b", layer, underscored=True)


def hidden(layer: str) -> LayerQuantity:
    return LayerQuantity("h", layer, underscored=True)


def pre_activation(layer: str) -> LayerQuantity:
    return LayerQuantity("z", layer, underscored=True)


def delta(layer: str) -> LayerQuantity:
    return LayerQuantity("delta", layer, underscored=True)


def gradient(quantity) -> LossDerivative:
    """dL/d(quantity)."""
    return LossDerivative(quantity)


def times(*factors) -> Product:
    return Product(factors)


def repeated(value) -> Product:
    """value 1: a column whose entries all equal ``value``."""
    return times(value, ONES)


def equal_entries(quantity, value) -> Sentence:
    """"q has equal entries: q = value 1"."""
    return said(quantity, " has equal entries: ", Equals(quantity, repeated(value)))


#: g = dl/do(o, y), the loss gradient at one example.
LOSS_GRADIENT = LossDerivative(OUTPUT, "l", (OUTPUT, TARGET))
ARBITRARY_LOSS = said(Equals(G, LOSS_GRADIENT), ": arbitrary (uninterpreted loss)")
#: l(o, y), the loss of one example.
EXAMPLE_LOSS = Applied(LOSS, (OUTPUT, TARGET))

#: The invariant set S, member by member.
FIRST_TIED = Equals(weight("1"), times(ONES, Transposed(U)))
MIDDLE_TIED = Equals(weight("i"), times(C_I, ONES, Transposed(ONES)))
OUTPUT_TIED = Equals(weight("K+1"), times(V, Transposed(ONES)))
FIRST_BIAS_TIED = Equals(bias("1"), repeated(BETA_1))
BIAS_TIED = Equals(bias("i"), repeated(BETA_I))
#: S = {W_1 = 1 u^T, W_i = c_i 1 1^T, W_{K+1} = v 1^T, b_i = beta_i 1}
INVARIANT_SET_MEMBERS = Equals(INVARIANT_SET, SetOf((FIRST_TIED, MIDDLE_TIED, OUTPUT_TIED, BIAS_TIED)))
#: the same, each member with the layers it is about
INVARIANT_SET_RANGES = Equals(INVARIANT_SET, SetOf((FIRST_TIED, Qualified(MIDDLE_TIED, MIDDLE), OUTPUT_TIED,
                                                    Qualified(BIAS_TIED, HIDDEN))))
LAYERS_1_TO_K = Listed((1, K), "..")
IN_THE_SET = said("the parameters lie in ", INVARIANT_SET)
