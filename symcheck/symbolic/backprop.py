"""Symbolic backpropagation for any K-hidden-layer MLP, by two independent routes.

(a) ``backprop``: the layer recursion of DESIGN.md §1,
        delta_{K+1} = dL/do,
        dL/dh_i     = W_{i+1}^T delta_{i+1},
        delta_i     = dL/dh_i (.) sigma'(z_i),
        dL/dW_i     = delta_i h_{i-1}^T,   dL/db_i = delta_i;
(b) ``diff_gradients``: ``sympy.diff`` of the scalar loss with respect to every
    entry -- slow, used to cross-check (a) at small sizes.

Matrices are tuples of rows of SymPy expressions and vectors are tuples. Plain
tuples with ``Add(*terms)`` are several times faster than ``sympy.Matrix`` for
this work (no per-entry sympify or matrix-class dispatch), and SymPy's
expression cache makes the repeated products of a tied point almost free.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .. import budget
from ..model.activations import get_activation
from ..model.losses import get_loss
from ..model.spec import MLP

Vector = tuple  # tuple[sp.Expr, ...]
Matrix = tuple  # tuple[Vector, ...], row-major
Parameters = dict  # name ("W1", "b1", ...) -> Matrix or Vector


def matvec(W: Matrix, h: Vector) -> Vector:
    return tuple(sp.Add(*[w * v for w, v in zip(row, h)]) for row in W)


def transpose_matvec(W: Matrix, d: Vector) -> Vector:
    return tuple(sp.Add(*[row[c] * dr for row, dr in zip(W, d)]) for c in range(len(W[0])))


def outer(d: Vector, h: Vector) -> Matrix:
    return tuple(tuple(di * hj for hj in h) for di in d)


def hadamard(a: Vector, b: Vector) -> Vector:
    return tuple(p * q for p, q in zip(a, b))


def vector_add(a: Vector, b: Vector) -> Vector:
    return tuple(p + q for p, q in zip(a, b))


@dataclass(frozen=True)
class Forward:
    """Pre-activations z_1..z_K, activations h_0..h_K, output o = z_{K+1}."""

    z: tuple[Vector, ...]  # z[0] is z_1
    h: tuple[Vector, ...]  # h[0] is h_0 = x
    output: Vector


@dataclass(frozen=True)
class Backprop:
    """Result of route (a): every intermediate of the backward recursion."""

    spec: MLP
    forward: Forward
    loss: sp.Expr
    output_gradient: Vector  # dL/do = delta_{K+1}
    hidden_gradients: tuple[Vector, ...]  # dL/dh_1 .. dL/dh_K
    deltas: tuple[Vector, ...]  # delta_1 .. delta_{K+1}
    gradients: Parameters  # dL/dW_i, dL/db_i by name


def as_parameters(spec: MLP, values: dict) -> Parameters:
    """Normalize nested lists of numbers or expressions into SymPy tuples."""
    params = {}
    for name in spec.parameter_names:
        value = values[name]
        if name.startswith("W"):
            params[name] = tuple(tuple(sp.sympify(v) for v in row) for row in value)
        else:
            params[name] = tuple(sp.sympify(v) for v in value)
    return params


def generic_parameters(spec: MLP) -> Parameters:
    """Every entry its own symbol: W1_r_c, b1_r (0-based rows and columns)."""
    params = {}
    for layer in spec.layers:
        rows, cols = spec.weight_shape(layer)
        params[f"W{layer}"] = tuple(
            tuple(sp.Symbol(f"W{layer}_{r}_{c}", real=True) for c in range(cols)) for r in range(rows)
        )
        params[f"b{layer}"] = tuple(sp.Symbol(f"b{layer}_{r}", real=True) for r in range(rows))
    return params


def data_symbols(spec: MLP, example: int | None = None) -> tuple[Vector, Vector]:
    """Symbols x_0.., y_0.. for one example (x^(e)_j for example e of a batch)."""
    suffix = "" if example is None else f"^{example}"
    x = tuple(sp.Symbol(f"x{suffix}_{j}", real=True) for j in range(spec.input_width))
    y = tuple(sp.Symbol(f"y{suffix}_{k}", real=True) for k in range(spec.output_width))
    return x, y


def forward(spec: MLP, params: Parameters, x: Vector) -> Forward:
    sigma = get_activation(spec.activation).symbolic
    zs, hs = [], [tuple(x)]
    for layer in range(1, spec.depth + 1):
        budget.check()
        z = vector_add(matvec(params[f"W{layer}"], hs[-1]), params[f"b{layer}"])
        zs.append(z)
        hs.append(tuple(sigma(entry) for entry in z))
    last = spec.depth + 1
    output = vector_add(matvec(params[f"W{last}"], hs[-1]), params[f"b{last}"])
    return Forward(tuple(zs), tuple(hs), output)


def backprop(spec: MLP, params: Parameters, x: Vector, y: Vector) -> Backprop:
    """Route (a): gradients by the layer recursion (1)-(3)."""
    loss = get_loss(spec.loss)
    sigma_prime = get_activation(spec.activation).derivative
    fwd = forward(spec, params, x)
    delta = tuple(loss.symbolic_gradient(fwd.output, y))
    deltas = [delta]
    hidden_gradients = []
    gradients = {}
    for layer in range(spec.depth + 1, 0, -1):
        budget.check()
        gradients[f"W{layer}"] = outer(delta, fwd.h[layer - 1])
        gradients[f"b{layer}"] = delta
        if layer == 1:
            break
        dL_dh = transpose_matvec(params[f"W{layer}"], delta)  # equation (3)
        hidden_gradients.append(dL_dh)
        delta = hadamard(dL_dh, tuple(sigma_prime(z) for z in fwd.z[layer - 2]))
        deltas.append(delta)
    ordered = {name: gradients[name] for name in spec.parameter_names}
    return Backprop(
        spec=spec,
        forward=fwd,
        loss=loss.symbolic(fwd.output, y),
        output_gradient=deltas[0],
        hidden_gradients=tuple(reversed(hidden_gradients)),
        deltas=tuple(reversed(deltas)),
        gradients=ordered,
    )


def scalar_loss(spec: MLP, params: Parameters, x: Vector, y: Vector) -> sp.Expr:
    return get_loss(spec.loss).symbolic(forward(spec, params, x).output, y)


def diff_gradients(spec: MLP, params: Parameters, x: Vector, y: Vector) -> Parameters:
    """Route (b): differentiate the scalar loss with respect to every entry.

    ``params`` must hold distinct symbols (``generic_parameters``)."""
    loss = scalar_loss(spec, params, x, y)
    gradients = {}
    for name in spec.parameter_names:
        value = params[name]
        if name.startswith("W"):
            gradients[name] = tuple(tuple(sp.diff(loss, w) for w in row) for row in value)
        else:
            gradients[name] = tuple(sp.diff(loss, b) for b in value)
    return gradients
