"""Losses in SymPy: each loss's numeric forms (``model.loss_forms``) with its scalar SymPy form
and the closed-form gradient with respect to the output ``o`` (the start of the backward
recursion), as DESIGN.md §2 defines them (the list is in ``model.loss_forms``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy as sp

from .activations import sigmoid
from ..errors import InvalidSpec, unknown_name
from .loss_forms import LOSS_FORMS, LossForms


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


@dataclass(frozen=True, kw_only=True)
class Loss(LossForms):
    """A loss's numeric forms and its SymPy ones."""

    symbolic: Callable[[Sequence[sp.Expr], Sequence[sp.Expr]], sp.Expr]
    symbolic_gradient: Callable[[Sequence[sp.Expr], Sequence[sp.Expr]], list]


#: Every loss of ``LOSS_FORMS`` with its SymPy forms.
LOSSES: dict[str, Loss] = {
    name: Loss(**vars(LOSS_FORMS[name]), symbolic=symbolic, symbolic_gradient=symbolic_gradient)
    for name, symbolic, symbolic_gradient in (("mse", _mse, _mse_grad), ("bce", _bce, _bce_grad),
                                              ("ce", _ce, _ce_grad))
}


def get_loss(name: str) -> Loss:
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise InvalidSpec(unknown_name("loss", name, LOSSES)) from None
