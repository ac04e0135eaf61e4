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

import numpy as np
import sympy as sp
from sympy import MatrixSymbol

from ..model.spec import MLP
from ..oracle import tolerances
from ..oracle.numeric import forward, matvec, worst_gap
from .lemmas import D, M, N1, N_CUR, N_PREV, NK, Check, Lemma, Setting, premise
from .structure import ROW, apply, entry, equal_entry_columns, identical, ones, scalar, sigma

RESCALING = ("w~_1 = u^T", "w~_i = n_{i-1} c_i for 2 <= i <= K", "w~_{K+1} = n_K v",
             "b~_i = beta_i for 1 <= i <= K", "b~_{K+1} = b_{K+1}")


def _same(quantity: str, wide, narrow) -> Check:
    narrow_row = 0 if narrow.shape[0] == 1 else ROW
    equal, difference = identical(entry(wide, ROW, 0), entry(narrow, narrow_row, 0))
    text = f"{quantity} (width n) = {quantity}~ (width 1) entrywise"
    reason = "" if equal else f"{quantity} - {quantity}~ = {sp.sstr(difference)}, not identically 0"
    return Check(text, equal, reason)


def collapse_first(setting: Setting) -> Lemma:
    x = MatrixSymbol("x", D, 1)
    u = MatrixSymbol("u", D, 1)
    beta = scalar("beta_1")
    wide = setting.first_weight() * x + setting.hidden_bias(N1, "1")
    narrow = u.T * x + beta * ones(1, 1)
    return Lemma(
        "collapse-first", "z_1 = W_1 x + b_1 equals z~_1 = u^T x + beta_1 in every entry",
        setting.hypothesis_lines("first-weight", "hidden-bias"),
        (_same("z_1", wide, narrow), _same("h_1", apply(sigma, wide), apply(sigma, narrow))),
    )


def collapse_middle(setting: Setting) -> Lemma:
    h_prev, s = equal_entry_columns(N_PREV, "s", 1)
    narrow_weight = N_PREV * scalar("c_i")
    wide = setting.middle_weight() * h_prev + setting.hidden_bias(N_CUR, "i")
    narrow = narrow_weight * s * ones(1, 1) + scalar("beta_i") * ones(1, 1)
    return Lemma(
        "collapse-middle",
        "layer i: h_{i-1} = h~_{i-1} 1  =>  z_i = W_i h_{i-1} + b_i equals "
        "z~_i = (n_{i-1} c_i) h~_{i-1} + beta_i in every entry",
        ("h_{i-1} = s 1 with s = h~_{i-1}",) + setting.hypothesis_lines("middle-weight", "hidden-bias"),
        (_same("z_i", wide, narrow), _same("h_i", apply(sigma, wide), apply(sigma, narrow))),
    )


def collapse_output(setting: Setting) -> Lemma:
    h_last, s = equal_entry_columns(NK, "s", 1)
    v, bias = MatrixSymbol("v", M, 1), MatrixSymbol("b_{K+1}", M, 1)
    wide = setting.output_weight() * h_last + bias
    narrow = (NK * v) * s + bias
    return Lemma(
        "collapse-output",
        "h_K = h~_K 1  =>  o = W_{K+1} h_K + b_{K+1} equals o~ = (n_K v) h~_K + b_{K+1}",
        ("h_K = s 1 with s = h~_K",) + setting.hypothesis_lines("output-weight"),
        (_same("o", wide, narrow),),
    )


def numeric_collapse(seed: int = 0, networks: int = 20, activation: str = "tanh",
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
        depth = int(rng.integers(1, 5))
        widths = [int(w) for w in rng.integers(1, 9, depth + 2)]
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
    numeric = Check(
        f"NumPy: 20 random tied networks (K in 1..4, widths 1..8), max relative |o - o~| = {error:.1e} "
        f"<= {tolerances.COLLAPSE:.0e}", error <= tolerances.COLLAPSE,
        "" if error <= tolerances.COLLAPSE else f"the wide and width-1 networks differ by {error:.3g}")
    return Lemma(
        "collapse",
        "Collapse theorem: on S the network computes, for every input, exactly the function of the "
        "width-1 network with " + ", ".join(RESCALING) + " (induction on the layer: collapse-first, "
        "collapse-middle for i-1 -> i, collapse-output)",
        ("the parameters lie in S",),
        (premise(first), premise(middle), premise(output), numeric),
        premises=(first.name, middle.name, output.name),
    )


def collapse_lemmas(setting: Setting, seed: int = 0) -> list[Lemma]:
    first, middle, output = collapse_first(setting), collapse_middle(setting), collapse_output(setting)
    return [first, middle, output, collapse_theorem(first, middle, output, seed)]
