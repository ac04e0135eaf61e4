"""Losses as DESIGN.md §2 defines them, each with its scalar SymPy form, the
closed-form gradient with respect to the output ``o`` (the start of the
backward recursion) and NumPy counterparts.

- ``mse``: 1/2 * ||o - y||^2, identity output.
- ``bce``: sum_k -y_k log s_k - (1 - y_k) log(1 - s_k), s = sigmoid(o).
- ``ce``:  -sum_k y_k log softmax(o)_k.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .activations import numpy_sigmoid, sigmoid
from ..errors import InvalidSpec, unknown_name


def _mse(o, y):
    return sp.Add(*[(ok - yk) ** 2 for ok, yk in zip(o, y)]) / 2


def _mse_grad(o, y):
    return [ok - yk for ok, yk in zip(o, y)]


def _bce(o, y):
    return sp.Add(
        *[-yk * sp.log(sigmoid(ok)) - (1 - yk) * sp.log(1 - sigmoid(ok)) for ok, yk in zip(o, y)]
    )


def _bce_grad(o, y):
    return [sigmoid(ok) - yk for ok, yk in zip(o, y)]


def _ce(o, y):
    log_partition = sp.log(sp.Add(*[sp.exp(ok) for ok in o]))
    return sp.Add(*[-yk * (ok - log_partition) for ok, yk in zip(o, y)])


def _ce_grad(o, y):
    # d/do_j of -sum_k y_k log softmax_k = softmax_j * sum_k y_k - y_j
    partition = sp.Add(*[sp.exp(ok) for ok in o])
    total = sp.Add(*y)
    return [sp.exp(oj) / partition * total - yj for oj, yj in zip(o, y)]


def _np_mse(o, y):
    return 0.5 * float(np.sum((o - y) ** 2))


def _np_bce(o, y):
    # log s = -log(1 + e^-o), log(1 - s) = -log(1 + e^o): stable forms
    return float(np.sum(y * np.logaddexp(0.0, -o) + (1 - y) * np.logaddexp(0.0, o)))


def _np_softmax(o):
    shifted = np.exp(o - np.max(o))
    return shifted / np.sum(shifted)


def _np_ce(o, y):
    log_softmax = o - np.max(o) - np.log(np.sum(np.exp(o - np.max(o))))
    return float(-np.sum(y * log_softmax))


@dataclass(frozen=True)
class Loss:
    name: str
    description: str
    symbolic: Callable[[Sequence[sp.Expr], Sequence[sp.Expr]], sp.Expr]
    symbolic_gradient: Callable[[Sequence[sp.Expr], Sequence[sp.Expr]], list]
    numeric: Callable[[np.ndarray, np.ndarray], float]
    numeric_gradient: Callable[[np.ndarray, np.ndarray], np.ndarray]
    min_outputs: int = 1
    #: the allowed range of each target entry, for validating point files
    target_range: tuple[float, float] | None = None

    def check_output_width(self, m: int) -> None:
        if m < self.min_outputs:
            raise InvalidSpec(
                f"loss: {self.name} needs an output width of at least {self.min_outputs}, "
                f"got {m} (softmax over one output is constant; use bce for one output)"
            )


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss(
            "mse", "1/2 ||o - y||^2 with identity output", _mse, _mse_grad,
            _np_mse, lambda o, y: o - y,
        ),
        Loss(
            "bce", "sum_k -y_k log s_k - (1 - y_k) log(1 - s_k), s = sigmoid(o)", _bce, _bce_grad,
            _np_bce, lambda o, y: numpy_sigmoid(o) - y, target_range=(0.0, 1.0),
        ),
        Loss(
            "ce", "-sum_k y_k log softmax(o)_k", _ce, _ce_grad,
            _np_ce, lambda o, y: _np_softmax(o) * np.sum(y) - y, min_outputs=2,
            target_range=(0.0, 1.0),
        ),
    )
}


def get_loss(name: str) -> Loss:
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise InvalidSpec(unknown_name("loss", name, LOSSES)) from None
