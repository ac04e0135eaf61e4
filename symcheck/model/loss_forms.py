"""The losses' numeric side, without SymPy (DESIGN.md §2): per name the NumPy loss and its
gradient with respect to the output ``o``, the output width it needs and the range of its
targets (``LossForms``, registry ``LOSS_FORMS``). ``model.losses`` adds the SymPy forms; the
float reference (``oracle.numeric``) imports this module only.

- ``mse``: 1/2 * ||o - y||^2, identity output.
- ``bce``: sum_k -y_k log s_k - (1 - y_k) log(1 - s_k), s = sigmoid(o).
- ``ce``:  -sum_k y_k log softmax(o)_k.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidSpec, unknown_name
from .activation_forms import numpy_sigmoid


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
class LossForms:
    name: str
    description: str
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


#: Every loss by name (``model.losses.LOSSES`` gives each its SymPy forms).
LOSS_FORMS: dict[str, LossForms] = {
    loss.name: loss
    for loss in (
        LossForms("mse", "1/2 ||o - y||^2 with identity output", _np_mse, lambda o, y: o - y),
        LossForms(
            "bce", "sum_k -y_k log s_k - (1 - y_k) log(1 - s_k), s = sigmoid(o)",
            _np_bce, lambda o, y: numpy_sigmoid(o) - y, target_range=(0.0, 1.0),
        ),
        LossForms(
            "ce", "-sum_k y_k log softmax(o)_k",
            _np_ce, lambda o, y: _np_softmax(o) * np.sum(y) - y, min_outputs=2, target_range=(0.0, 1.0),
        ),
    )
}


def get_loss_forms(name: str) -> LossForms:
    try:
        return LOSS_FORMS[name]
    except (KeyError, TypeError):
        raise InvalidSpec(unknown_name("loss", name, LOSS_FORMS)) from None
