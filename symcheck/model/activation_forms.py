"""The activations' numeric side, without SymPy: per name the NumPy function and its
derivative, the stated convention at any kink and whether sigma(0) = 0 (``ActivationForms``),
and the one registry of activation names (``ACTIVATION_FORMS``: the built-in ones, and the
custom ones a block makes known with ``registered``).

The float reference and the exact replayer (``oracle``) import this module and never
``model.activations``, which adds the SymPy forms: their value as independent routes is that
they share nothing symbolic with the proofs they check.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import InvalidSpec, unknown_name

#: torch.nn.LeakyReLU's default negative_slope, exact (the SymPy forms use it as a Rational).
LEAKY_SLOPE = Fraction(1, 100)
SLOPE = float(LEAKY_SLOPE)

#: The activation that numeric routes evaluate for the uninterpreted f (one legitimate instance of
#: "every f"): f's NumPy forms below are its very functions (so the float reference and the
#: replayer compute f as it), and exact evaluation (``exact.evaluation.GENERIC_STAND_INS``)
#: evaluates f, f' and the general proof's sigma, sigma' from its SymPy forms.
GENERIC_STAND_IN = "tanh"


def numpy_sigmoid(z):
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):  # e^-z overflows to inf for z << 0, and 1 / (1 + inf) = 0 is right
        return 1.0 / (1.0 + np.exp(-z))


_np_erfc = np.vectorize(math.erfc, otypes=[float])


def numpy_normal_cdf(z):
    """Phi(z), the standard normal distribution function, in float64 (the NumPy form of
    ``model.activations.normal_cdf``)."""
    # erfc, not 1 + erf: for z << 0, 1 + erf(z / sqrt 2) cancels to 0 and loses every digit
    return 0.5 * _np_erfc(-np.asarray(z, dtype=float) / math.sqrt(2.0))


def _np_gelu_prime(z):
    return numpy_normal_cdf(z) + z * np.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def _np_tanh_prime(z):
    return 1 - np.tanh(z) ** 2


@dataclass(frozen=True)
class ActivationForms:
    """What the numeric routes need to know about one activation."""

    name: str
    numeric: Callable[[np.ndarray], np.ndarray]
    numeric_derivative: Callable[[np.ndarray], np.ndarray]
    convention: str
    #: sigma(0) == 0 (True), != 0 (False) or unknown (None, the generic f)
    zero_at_zero: bool | None


#: Every activation known by name: the built-in ones (``model.activations.ACTIVATIONS`` gives each
#: its SymPy forms) and, inside a ``registered`` block, custom ones (each a whole
#: ``model.activations.CustomActivation``).
ACTIVATION_FORMS: dict[str, ActivationForms] = {
    a.name: a
    for a in (
        ActivationForms(
            "identity", lambda z: np.asarray(z, dtype=float), lambda z: np.ones_like(z, dtype=float),
            "identity(x) = x, smooth", True,
        ),
        ActivationForms(
            "sigmoid", numpy_sigmoid, lambda z: numpy_sigmoid(z) * (1 - numpy_sigmoid(z)),
            "sigmoid(x) = 1 / (1 + e^-x), smooth", False,
        ),
        ActivationForms("tanh", np.tanh, _np_tanh_prime, "tanh is smooth", True),
        ActivationForms(
            "relu", lambda z: np.maximum(z, 0.0), lambda z: (np.asarray(z) > 0).astype(float),
            "ReLU'(0) = 0 (as PyTorch and JAX)", True,
        ),
        ActivationForms(
            "leaky_relu", lambda z: np.where(z > 0, z, SLOPE * z), lambda z: np.where(z > 0, 1.0, SLOPE),
            "LeakyReLU(x) = x for x > 0 else 0.01 x; LeakyReLU'(0) = 0.01 (as PyTorch)", True,
        ),
        ActivationForms(
            "softplus", lambda z: np.logaddexp(0.0, z), numpy_sigmoid,
            "softplus(x) = log(1 + e^x), smooth", False,
        ),
        ActivationForms(
            "elu", lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
            lambda z: np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0))),
            "ELU with alpha = 1; ELU'(0) = 1 (both one-sided derivatives agree)", True,
        ),
        ActivationForms(
            "gelu", lambda z: np.asarray(z, dtype=float) * numpy_normal_cdf(z), _np_gelu_prime,
            "exact GELU x * Phi(x), smooth", True,
        ),
    )
}
_STAND_IN_FORMS = ACTIVATION_FORMS[GENERIC_STAND_IN]
ACTIVATION_FORMS["f"] = ActivationForms(
    "f", _STAND_IN_FORMS.numeric, _STAND_IN_FORMS.numeric_derivative,
    f"f is uninterpreted (any differentiable activation); numeric checks stand {GENERIC_STAND_IN} in for it", None,
)


def get_activation_forms(name: str) -> ActivationForms:
    try:
        return ACTIVATION_FORMS[name]
    except (KeyError, TypeError):
        raise InvalidSpec(unknown_name("activation", name, ACTIVATION_FORMS)) from None


class registered:
    """Context manager: make custom activations known by name for the duration of a block.

    The registry is process-wide, so a custom activation is never left behind
    to shadow or collide with another theorem's definition of the same name."""

    def __init__(self, *activations: ActivationForms):
        self.activations = activations
        self.previous: dict[str, ActivationForms | None] = {}

    def __enter__(self):
        for activation in self.activations:
            self.previous[activation.name] = ACTIVATION_FORMS.get(activation.name)
            ACTIVATION_FORMS[activation.name] = activation
        return self

    def __exit__(self, *exc_info):
        for name, previous in self.previous.items():
            if previous is None:
                ACTIVATION_FORMS.pop(name, None)
            else:
                ACTIVATION_FORMS[name] = previous
        return False
