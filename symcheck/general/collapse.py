"""The collapse theorem: a tied network is a width-1 network in disguise.

On the invariant set (W_1 = 1 u^T, W_i = c_i 1 1^T, W_{K+1} = v 1^T,
b_i = beta_i 1) every hidden layer holds one value repeated n_i times, and the
network computes exactly the function of the width-1 network with

    w~_1 = u^T,   w~_i = n_{i-1} c_i (2 <= i <= K),   w~_{K+1} = n_K v,
    b~_i = beta_i (1 <= i <= K),   b~_{K+1} = b_{K+1}.

Each layer is one lemma (symbolic widths), checked by comparing the wide
entry with the narrow network's value as an identity; a NumPy check runs both
networks at random widths, depths and parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sympy import MatrixSymbol

from ..model.sentence import (
    EntryFormula, Equals, Grouped, LayerQuantity, Magnitude, Measured, Operation, Relation, Sentence, Tilde,
    Transposed, joined, said,
)
from ..model.spec import MLP
from ..oracle import tolerances
from ..oracle.numeric import forward, matvec, worst_gap
from .lemmas import (
    D, FIRST_LAYER_SUM, H_1, H_I, H_K, H_PREVIOUS, M, N1, N_CUR, N_PREV, NK, W_I, W_OUT, Z_1, Z_I, Lemma,
    Setting, premise, within_tolerance,
)
from .notation import (
    BETA_1, BETA_I, C_I, IMPLIES, IN_THE_SET, INVARIANT_SET, K, LAYER, MIDDLE, OUTPUT, PREVIOUS_LAYER, S_VALUE, U,
    V, X, bias, repeated, times,
)
from .structure import ROW, apply, entry, equal_entry_columns, identical, ones, scalar, sigma


def _narrow_weight(layer: str) -> Tilde:
    return Tilde(LayerQuantity("w", layer, underscored=True))


RESCALING = (
    said(Equals(_narrow_weight("1"), Transposed(U))),
    said(Equals(_narrow_weight("i"), times(N_PREV, C_I)), " for ", MIDDLE),
    said(Equals(_narrow_weight("K+1"), times(NK, V))),
    said(Equals(Tilde(bias("i")), BETA_I), " for ", Relation(Relation(1, "<=", LAYER), "<=", K)),
    said(Equals(Tilde(bias("K+1")), bias("K+1"))),
)


@dataclass(frozen=True)
class CollapseCheck:
    """A quantity of the wide network equals the same quantity of its width-1 collapse (a ``Check``
    that knows which quantity it compared)."""

    quantity: object  # a formula: z_1, h_i, o
    holds: bool
    reason: Sentence = Sentence(())
    witness: dict | None = None

    @property
    def identity(self) -> Sentence:
        return said(self.quantity, " (width n) = ", Tilde(self.quantity, mark_after=True), " (width 1) entrywise")


def _same(quantity, wide, narrow) -> CollapseCheck:
    narrow_row = 0 if narrow.shape[0] == 1 else ROW
    equal, difference = identical(entry(wide, ROW, 0), entry(narrow, narrow_row, 0))
    reason = Sentence(()) if equal else said(
        Equals(Operation(quantity, "-", Tilde(quantity, mark_after=True)), EntryFormula(difference)),
        ", not identically 0")
    return CollapseCheck(quantity, equal, reason)


def collapse_first(setting: Setting) -> Lemma:
    x = MatrixSymbol("x", D, 1)
    u = MatrixSymbol("u", D, 1)
    beta = scalar("beta_1")
    wide = setting.first_weight() * x + setting.hidden_bias(N1, "1")
    narrow = u.T * x + beta * ones(1, 1)
    return Lemma(
        "collapse-first",
        said(Equals(Z_1, FIRST_LAYER_SUM), " equals ",
             Equals(Tilde(Z_1), Operation(times(Transposed(U), X), "+", BETA_1)), " in every entry"),
        setting.hypothesis_lines("first-weight", "hidden-bias"),
        (_same(Z_1, wide, narrow), _same(H_1, apply(sigma, wide), apply(sigma, narrow))),
    )


def collapse_middle(setting: Setting) -> Lemma:
    h_prev, s = equal_entry_columns(N_PREV, "s", 1)
    narrow_weight = N_PREV * scalar("c_i")
    wide = setting.middle_weight() * h_prev + setting.hidden_bias(N_CUR, "i")
    narrow = narrow_weight * s * ones(1, 1) + scalar("beta_i") * ones(1, 1)
    return Lemma(
        "collapse-middle",
        said("layer ", LAYER, ": ", Equals(H_PREVIOUS, repeated(Tilde(H_PREVIOUS))), "  ", IMPLIES, "  ",
             Equals(Z_I, Operation(times(W_I, H_PREVIOUS), "+", bias("i"))), " equals ",
             Equals(Tilde(Z_I), Operation(times(Grouped(times(N_PREV, C_I)), Tilde(H_PREVIOUS)), "+", BETA_I)),
             " in every entry"),
        (_collapsed_input(H_PREVIOUS),) + setting.hypothesis_lines("middle-weight", "hidden-bias"),
        (_same(Z_I, wide, narrow), _same(H_I, apply(sigma, wide), apply(sigma, narrow))),
    )


def collapse_output(setting: Setting) -> Lemma:
    h_last, s = equal_entry_columns(NK, "s", 1)
    v, out_bias = MatrixSymbol("v", M, 1), MatrixSymbol("b_{K+1}", M, 1)
    wide = setting.output_weight() * h_last + out_bias
    narrow = (NK * v) * s + out_bias
    return Lemma(
        "collapse-output",
        said(Equals(H_K, repeated(Tilde(H_K))), "  ", IMPLIES, "  ",
             Equals(OUTPUT, Operation(times(W_OUT, H_K), "+", bias("K+1"))), " equals ",
             Equals(Tilde(OUTPUT), Operation(times(Grouped(times(NK, V)), Tilde(H_K)), "+", bias("K+1")))),
        (_collapsed_input(H_K),) + setting.hypothesis_lines("output-weight"),
        (_same(OUTPUT, wide, narrow),),
    )


def _collapsed_input(quantity) -> Sentence:
    """"h = s 1 with s = h~": the layer below holds one value, the width-1 network's."""
    return said(Equals(quantity, repeated(S_VALUE)), " with ", Equals(S_VALUE, Tilde(quantity)))


#: The random tied networks of the numeric collapse check: how many, hidden layers and widths up to.
COLLAPSE_NETWORKS, MAX_COLLAPSE_DEPTH, MAX_COLLAPSE_WIDTH = 20, 4, 8


def numeric_collapse(seed: int = 0, networks: int = COLLAPSE_NETWORKS, activation: str = "tanh",
                     rescaled: bool = True) -> float:
    """Largest |o - o~| relative to |o| (floored by the terms o is summed from) over random tied
    networks and inputs, both networks run by the NumPy reference (``oracle.numeric.forward``).

    ``rescaled=False`` drops the width factors (w~_i = c_i, w~_{K+1} = v): the
    check must then fail, which is what shows it can."""
    rng = np.random.default_rng(seed)
    worst = 0.0

    def factor(width):
        return width if rescaled else 1
    for _ in range(networks):
        depth = int(rng.integers(1, MAX_COLLAPSE_DEPTH + 1))
        widths = [int(w) for w in rng.integers(1, MAX_COLLAPSE_WIDTH + 1, depth + 2)]
        d, m = widths[0], widths[-1]
        u, v = rng.normal(size=d), rng.normal(size=m)
        c = [rng.normal() / n for n in widths[:-1]]  # c_i ~ 1/n_{i-1} keeps the layers O(1)
        beta, out_bias = rng.normal(size=depth + 1), rng.normal(size=m)
        x = rng.normal(size=(d, 4))
        wide_spec, narrow_spec = MLP(tuple(widths), activation, "mse"), MLP((d,) + (1,) * depth + (m,), activation, "mse")
        wide, narrow = {}, {}
        for layer in range(1, depth + 1):
            n_prev, n_cur = widths[layer - 1], widths[layer]
            if layer == 1:
                wide["W1"], narrow["W1"] = np.outer(np.ones(n_cur), u), u[None, :]
            else:
                wide[f"W{layer}"] = np.full((n_cur, n_prev), c[layer])
                narrow[f"W{layer}"] = np.array([[factor(n_prev) * c[layer]]])
            wide[f"b{layer}"], narrow[f"b{layer}"] = np.full(n_cur, beta[layer]), np.array([beta[layer]])
        last = depth + 1
        wide[f"W{last}"] = np.outer(v, np.ones(widths[depth]))
        narrow[f"W{last}"] = (factor(widths[depth]) * v)[:, None]
        wide[f"b{last}"] = narrow[f"b{last}"] = out_bias
        for column in x.T:
            _, hs, output = forward(wide_spec, wide, column)
            _, _, narrow_output = forward(narrow_spec, narrow, column)
            terms = matvec(np.abs(wide[f"W{last}"]), np.abs(hs[-1])) + np.abs(out_bias)  # what o is summed from
            worst = max(worst, worst_gap(output, narrow_output, terms))  # each output against its own terms
    return worst


def collapse_theorem(first: Lemma, middle: Lemma, output: Lemma, seed: int = 0) -> Lemma:
    error = numeric_collapse(seed)
    gap = Magnitude(Operation(OUTPUT, "-", Tilde(OUTPUT)))
    numeric = within_tolerance(
        (f"NumPy: {COLLAPSE_NETWORKS} random tied networks (", K, f" in 1..{MAX_COLLAPSE_DEPTH}, widths "
         f"1..{MAX_COLLAPSE_WIDTH}), max relative "), Equals(gap, Measured(error, ".1e")), error,
        tolerances.COLLAPSE, "the wide and width-1 networks differ by ")
    return Lemma(
        "collapse",
        said("Collapse theorem: on ", INVARIANT_SET, " the network computes, for every input, exactly the function "
             "of the width-1 network with ") + joined(RESCALING, ", ")
        + said(" (induction on the layer: collapse-first, collapse-middle for ", Operation(PREVIOUS_LAYER, "->", LAYER),
               ", collapse-output)"),
        (IN_THE_SET,),
        (premise(first), premise(middle), premise(output), numeric),
        premises=(first.name, middle.name, output.name),
    )


def collapse_lemmas(setting: Setting, seed: int = 0) -> list[Lemma]:
    first, middle, output = collapse_first(setting), collapse_middle(setting), collapse_output(setting)
    return [first, middle, output, collapse_theorem(first, middle, output, seed)]
