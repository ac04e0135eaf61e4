"""Instantiate the general proof at one concrete network.

The layer lemmas derive, as matrix expressions in symbolic dimensions, every
forward value and gradient of a generic layer from the structured hypotheses.
Chaining them layer by layer at concrete widths, with the concrete activation
in place of sigma and the concrete loss gradient in place of g, must give the
very gradients the concrete engine (``symcheck.symbolic.backprop``) computes at the
tied point -- a cross-validation of every derived formula, including the width
factors (n_{i-1} c_i, ...) that the structure check alone does not see.
"""

from __future__ import annotations

import sympy as sp
from sympy import HadamardProduct, ImmutableMatrix, MatAdd, MatMul, MatrixSymbol, OneMatrix, Transpose
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ..model.activations import get_activation
from ..errors import InvalidSpec
from ..model.losses import get_loss
from ..model.spec import MLP
from .lemmas import D, M, N1, N_CUR, N_PREV, NK, Lemma
from .structure import dimension, scalar, sigma, sigma_prime

BATCH = dimension("B")


class _Instance:
    """Substitution of one concrete network (and batch size) into lemma expressions."""

    def __init__(self, spec: MLP, batch: int, xs, ys):
        self.spec, self.batch = spec, batch
        self.activation = get_activation(spec.activation)
        self.loss = get_loss(spec.loss)
        w, K = spec.widths, spec.depth
        self.x = ImmutableMatrix(w[0], batch, lambda r, e: xs[e][r])
        self.ys = ys
        self.u = ImmutableMatrix(w[0], 1, lambda r, _: sp.Symbol(f"u_{r}", real=True))
        self.v = ImmutableMatrix(w[-1], 1, lambda r, _: sp.Symbol(f"v_{r}", real=True))
        self.out_bias = ImmutableMatrix(w[-1], 1, lambda r, _: sp.Symbol(f"b{K + 1}_{r}", real=True))
        self.symbolic_batch = batch != 1

    def hypothesis(self, name: str, row):
        """The value of a hypothesis symbol s (one example) or column s (a batch)."""
        if not self.symbolic_batch:
            return {scalar(name): row[0, 0]}
        return {MatrixSymbol(name, BATCH, 1): ImmutableMatrix(self.batch, 1, lambda e, _: row[0, e])}

    def explicit(self, matrix, dims: dict, values: dict) -> ImmutableMatrix:
        dims = dict(dims)
        if self.symbolic_batch:
            dims[BATCH] = self.batch
        concrete = matrix.xreplace(dims)
        named = {}
        for symbol, value in values.items():
            key = symbol.xreplace(dims) if isinstance(symbol, MatrixSymbol) else symbol
            named[key] = value
        result = _evaluate(concrete.xreplace(named))
        result = result.replace(sigma, self.activation.symbolic)
        return ImmutableMatrix(result.replace(sigma_prime, self.activation.derivative))

    def loss_gradient(self, o: ImmutableMatrix) -> ImmutableMatrix:
        columns = [self.loss.symbolic_gradient(list(o[:, e]), list(self.ys[e])) for e in range(self.batch)]
        return ImmutableMatrix(o.rows, self.batch, lambda r, e: columns[e][r])


def instantiate_gradients(lemmas: dict[str, Lemma], spec: MLP, batch: int = 1,
                          xs=None, ys=None) -> dict:
    """Gradients of ``spec`` at the tied point, built only from the lemmas' derivations.

    Returns tuples in the layout of ``symcheck.symbolic.backprop`` (rows of entries)."""
    if spec.depth < 1:
        raise InvalidSpec("widths: the general theorem is about networks with at least one hidden layer")
    w, K = spec.widths, spec.depth
    if xs is None:
        xs = [[sp.Symbol(f"x_{j}", real=True) for j in range(w[0])]]
        ys = [[sp.Symbol(f"y_{k}", real=True) for k in range(w[-1])]]
    inst = _Instance(spec, batch, xs, ys)
    x_symbol = MatrixSymbol("x", D, BATCH if batch != 1 else 1)
    first_values = {MatrixSymbol("u", D, 1): inst.u, x_symbol: inst.x}
    c = {layer: sp.Symbol(f"c_{layer}", real=True) for layer in range(2, K + 1)}
    beta = {layer: sp.Symbol(f"beta_{layer}", real=True) for layer in range(1, K + 1)}

    first, middle = lemmas["forward-first"].derived, lemmas["forward-middle"].derived
    z = {1: inst.explicit(first["z_1"], {D: w[0], N1: w[1]}, first_values)}
    h = {1: inst.explicit(first["h_1"], {D: w[0], N1: w[1]}, first_values)}
    for layer in range(2, K + 1):
        dims = {N_PREV: w[layer - 1], N_CUR: w[layer]}
        values = {**inst.hypothesis("s", h[layer - 1]), scalar("c_i"): c[layer], scalar("beta_i"): beta[layer]}
        z[layer] = inst.explicit(middle["z_i"], dims, values)
        h[layer] = inst.explicit(middle["h_i"], dims, values)

    out = lemmas["output-gradient"].derived
    dims_out = {NK: w[K], M: w[-1]}
    o = inst.explicit(out["o"], dims_out, {**inst.hypothesis("s", h[K]), MatrixSymbol("v", M, 1): inst.v,
                                           MatrixSymbol("b_{K+1}", M, 1): inst.out_bias})
    g_symbol = MatrixSymbol("g", M, x_symbol.shape[1])
    g = inst.loss_gradient(o)
    grads = {
        f"W{K + 1}": inst.explicit(out["dL/dW_{K+1}"], dims_out, {**inst.hypothesis("s", h[K]), g_symbol: g}),
        f"b{K + 1}": inst.explicit(out["dL/db_{K+1}"], dims_out, {g_symbol: g}),
    }
    d_hidden = inst.explicit(lemmas["backward-output"].derived["dL/dh_K"], dims_out,
                             {MatrixSymbol("v", M, 1): inst.v, g_symbol: g})
    back = lemmas["backward-middle"].derived
    for layer in range(K, 1, -1):
        dims = {N_PREV: w[layer - 1], N_CUR: w[layer]}
        values = {**inst.hypothesis("gamma", d_hidden), **inst.hypothesis("zeta", z[layer]),
                  **inst.hypothesis("s", h[layer - 1]), scalar("c_i"): c[layer]}
        grads[f"W{layer}"] = inst.explicit(back["dL/dW_i"], dims, values)
        grads[f"b{layer}"] = inst.explicit(back["dL/db_i"], dims, values)
        d_hidden = inst.explicit(back["dL/dh_{i-1}"], dims, values)
    bottom = lemmas["backward-first"].derived
    values = {**inst.hypothesis("gamma", d_hidden), **inst.hypothesis("zeta", z[1]),
              x_symbol: inst.x}
    grads["W1"] = inst.explicit(bottom["dL/dW_1"], {D: w[0], N1: w[1]}, values)
    grads["b1"] = inst.explicit(bottom["dL/db_1"], {D: w[0], N1: w[1]}, values)
    return {name: _as_tuples(name, grads[name]) for name in spec.parameter_names}


def _evaluate(node):
    """A matrix expression whose every leaf is explicit, multiplied out as explicit matrices.

    (``as_explicit`` would build each entry as an index sum and then evaluate it.)"""
    if isinstance(node, sp.MatrixBase):
        return ImmutableMatrix(node)
    if isinstance(node, OneMatrix):
        return ImmutableMatrix.ones(*node.shape)
    if isinstance(node, MatAdd):
        parts = [_evaluate(arg) for arg in node.args]
        return ImmutableMatrix(sum(parts[1:], parts[0].as_mutable()))
    if isinstance(node, MatMul):
        factor, matrices = node.as_coeff_matrices()
        product = _evaluate(matrices[0]).as_mutable()
        for matrix in matrices[1:]:
            product = product * _evaluate(matrix)
        return ImmutableMatrix(factor * product)
    if isinstance(node, Transpose):
        return _evaluate(node.arg).T
    if isinstance(node, HadamardProduct):
        parts = [_evaluate(arg) for arg in node.args]
        result = parts[0]
        for part in parts[1:]:
            result = result.multiply_elementwise(part)
        return ImmutableMatrix(result)
    if isinstance(node, ElementwiseApplyFunction):
        return ImmutableMatrix(_evaluate(node.expr).applyfunc(node.function))
    raise TypeError(f"cannot evaluate {type(node).__name__} explicitly")


def _as_tuples(name: str, matrix: ImmutableMatrix):
    if name.startswith("W"):
        return tuple(tuple(matrix[r, col] for col in range(matrix.cols)) for r in range(matrix.rows))
    return tuple(matrix[r, 0] for r in range(matrix.rows))
