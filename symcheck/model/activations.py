"""Activation functions: one registry entry per name, with a SymPy form, its
derivative, a NumPy form and the stated convention at any kink.

The kinked activations are SymPy ``Function`` subclasses whose ``fdiff`` is
written out, so that ``sympy.diff`` (route (b) of the backprop cross-check)
and the layer recursion (route (a)) use the same convention: ReLU'(0) = 0,
LeakyReLU'(0) = slope, as PyTorch and JAX do -- never SymPy's Heaviside(0) = 1/2.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import mpmath
import sympy as sp

from ..errors import InvalidSpec, unknown_name

LEAKY_SLOPE = sp.Rational(1, 100)  # torch.nn.LeakyReLU default negative_slope
ELU_ALPHA = sp.Integer(1)  # torch.nn.ELU default alpha


class _NamedActivation(sp.Function):
    """A named elementwise activation that prints as its name and evaluates
    exactly at numbers through its explicit formula."""

    nargs = 1

    @staticmethod
    def explicit(x):  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    @classmethod
    def eval(cls, x):
        # kinked activations evaluate exactly at numbers (relu(-1/2) = 0); the
        # smooth ones override eval to stay readable (sigmoid(1/3)); evalf still works
        if x.is_number and x.is_comparable:
            return cls.explicit(x)
        return None

    def _eval_evalf(self, prec):
        return self.explicit(self.args[0])._eval_evalf(prec)

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real


def _at_float(cls, x):
    """``cls`` at a SymPy Float, evaluated at the Float's own precision: left unevaluated,
    expressions at a concrete point nest, and every later assumption query re-evaluates them."""
    return cls.explicit(x).evalf(mpmath.libmp.prec_to_dps(x._prec))


class sigmoid(_NamedActivation):
    """The logistic function 1 / (1 + e^(-x))."""

    @classmethod
    def eval(cls, x):
        if x is sp.S.Zero:  # a literal check: asking is_zero walks the whole expression
            return sp.S.Half
        if x.is_Float:  # a floating-point argument (a concrete point) gives a floating-point value
            return _at_float(cls, x)
        return None

    @staticmethod
    def explicit(x):
        return 1 / (1 + sp.exp(-x))

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return self.explicit(x)


class relu(_NamedActivation):
    """max(x, 0); derivative Heaviside(x) with the value 0 at x = 0."""

    @staticmethod
    def explicit(x):
        return sp.Piecewise((x, x > 0), (0, True))

    def fdiff(self, argindex=1):
        return sp.Heaviside(self.args[0], 0)


class leaky_relu(_NamedActivation):
    """x for x > 0, slope * x otherwise (slope 0.01, as PyTorch)."""

    @staticmethod
    def explicit(x):
        return sp.Piecewise((x, x > 0), (LEAKY_SLOPE * x, True))

    def fdiff(self, argindex=1):
        x = self.args[0]
        return sp.Piecewise((1, x > 0), (LEAKY_SLOPE, True))


class elu(_NamedActivation):
    """x for x > 0, alpha * (e^x - 1) otherwise (alpha = 1, as PyTorch)."""

    @staticmethod
    def explicit(x):
        return sp.Piecewise((x, x > 0), (ELU_ALPHA * (sp.exp(x) - 1), True))

    def fdiff(self, argindex=1):
        x = self.args[0]
        return sp.Piecewise((1, x > 0), (ELU_ALPHA * sp.exp(x), True))


class softplus(_NamedActivation):
    """log(1 + e^x), whose derivative is the sigmoid."""

    @classmethod
    def eval(cls, x):  # stays symbolic at numbers, like sigmoid
        return None

    @staticmethod
    def explicit(x):
        return sp.log(1 + sp.exp(x))

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])


class gelu(_NamedActivation):
    """The exact GELU x * Phi(x), Phi the standard normal CDF (PyTorch's default)."""

    @classmethod
    def eval(cls, x):
        if x is sp.S.Zero:  # a literal check: asking is_zero walks the whole expression
            return sp.S.Zero
        if x.is_Float:  # a floating-point argument (a concrete point) gives a floating-point value
            return _at_float(cls, x)
        return None

    @staticmethod
    def explicit(x):
        return x * _normal_cdf(x)

    def fdiff(self, argindex=1):
        x = self.args[0]
        return _normal_cdf(x) + x * sp.exp(-x**2 / 2) / sp.sqrt(2 * sp.pi)


def _normal_cdf(x):
    return (1 + sp.erf(x / sp.sqrt(2))) / 2


class f(sp.Function):
    """An uninterpreted activation: a proof that holds for ``f`` holds for every activation."""

    nargs = 1

    def fdiff(self, argindex=1):
        return f_prime(self.args[0])


class f_prime(sp.Function):
    """The derivative f' of the uninterpreted activation ``f``."""

    nargs = 1


# ---------------------------------------------------------------- NumPy forms

def numpy_sigmoid(z):
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):  # e^-z overflows to inf for z << 0, and 1 / (1 + inf) = 0 is right
        return 1.0 / (1.0 + np.exp(-z))


_np_erf = np.vectorize(math.erf, otypes=[float])


_np_erfc = np.vectorize(math.erfc, otypes=[float])


def _np_normal_cdf(z):
    # erfc, not 1 + erf: for z << 0, 1 + erf(z / sqrt 2) cancels to 0 and loses every digit
    return 0.5 * _np_erfc(-np.asarray(z, dtype=float) / math.sqrt(2.0))


def _np_gelu_prime(z):
    return _np_normal_cdf(z) + z * np.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def _np_tanh_prime(z):
    return 1 - np.tanh(z) ** 2


#: The activation that numeric routes evaluate for the uninterpreted f (one legitimate instance of
#: "every f"): f's NumPy forms below are its, the replayer replays f as it and exact evaluation
#: (``exact.evaluation.GENERIC_STAND_INS``) evaluates f and the general proof's sigma as it.
GENERIC_STAND_IN = "tanh"


SLOPE = float(LEAKY_SLOPE)


def _derivative(function, z):
    """The derivative rule of ``function`` at z; unevaluated first, so that it also
    works where the function itself evaluates to a number (gelu(0) = 0 has no fdiff).
    At a Float it is a Float (see ``_at_float``)."""
    value = function(z, evaluate=False).fdiff()
    return value.evalf(mpmath.libmp.prec_to_dps(z._prec)) if z.is_Float else value


@dataclass(frozen=True)
class Activation:
    """Everything symcheck needs to know about one activation."""

    name: str
    symbolic: Callable[[sp.Expr], sp.Expr]
    derivative: Callable[[sp.Expr], sp.Expr]
    numeric: Callable[[np.ndarray], np.ndarray]
    numeric_derivative: Callable[[np.ndarray], np.ndarray]
    convention: str
    #: sigma(0) == 0 (True), != 0 (False) or unknown (None, the generic f)
    zero_at_zero: bool | None


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "identity", lambda z: z, lambda z: sp.S.One,
            lambda z: np.asarray(z, dtype=float), lambda z: np.ones_like(z, dtype=float),
            "identity(x) = x, smooth", True,
        ),
        Activation(
            "sigmoid", sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z)),
            numpy_sigmoid, lambda z: numpy_sigmoid(z) * (1 - numpy_sigmoid(z)),
            "sigmoid(x) = 1 / (1 + e^-x), smooth", False,
        ),
        Activation(
            "tanh", sp.tanh, lambda z: 1 - sp.tanh(z) ** 2,
            np.tanh, _np_tanh_prime,
            "tanh is smooth", True,
        ),
        Activation(
            "relu", relu, lambda z: sp.Heaviside(z, 0),
            lambda z: np.maximum(z, 0.0), lambda z: (np.asarray(z) > 0).astype(float),
            "ReLU'(0) = 0 (as PyTorch and JAX)", True,
        ),
        Activation(
            "leaky_relu", leaky_relu, lambda z: _derivative(leaky_relu, z),
            lambda z: np.where(z > 0, z, SLOPE * z), lambda z: np.where(z > 0, 1.0, SLOPE),
            "LeakyReLU(x) = x for x > 0 else 0.01 x; LeakyReLU'(0) = 0.01 (as PyTorch)", True,
        ),
        Activation(
            "softplus", softplus, sigmoid,
            lambda z: np.logaddexp(0.0, z), numpy_sigmoid,
            "softplus(x) = log(1 + e^x), smooth", False,
        ),
        Activation(
            "elu", elu, lambda z: _derivative(elu, z),
            lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
            lambda z: np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0))),
            "ELU with alpha = 1; ELU'(0) = 1 (both one-sided derivatives agree)", True,
        ),
        Activation(
            "gelu", gelu, lambda z: _derivative(gelu, z),
            lambda z: np.asarray(z, dtype=float) * _np_normal_cdf(z), _np_gelu_prime,
            "exact GELU x * Phi(x), smooth", True,
        ),
        Activation(
            "f", f, f_prime,
            np.tanh, _np_tanh_prime,  # the forms of GENERIC_STAND_IN
            "f is uninterpreted (any differentiable activation); numeric checks stand tanh in for it", None,
        ),
    )
}

def get_activation(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise InvalidSpec(unknown_name("activation", name, ACTIVATIONS)) from None


#: The activations that have numeric values: every named one except the uninterpreted f.
NUMERIC_ACTIVATIONS = tuple(name for name in ACTIVATIONS if name != "f")


def require_values(name: str, purpose: str) -> None:
    """Refuse the generic f where numbers are computed: it has none (its numeric checks only
    stand tanh in for it, which would present tanh's numbers as f's)."""
    if name == "f":
        raise InvalidSpec(f"--activation: the generic f has no numeric values to {purpose}; choose one of "
                          f"{', '.join(NUMERIC_ACTIVATIONS)} (f is for proofs: symcheck prove --activation f)")


# ------------------------------------------------------- custom activations

CUSTOM_NAME_PATTERN = r"[a-z][a-z0-9_]{0,31}"


def custom_activation(name: str, expression: sp.Expr, variable: sp.Symbol, tree: tuple | None = None) -> Activation:
    """An activation defined by an expression in ``variable`` (already parsed safely,
    see ``symcheck.model.safe_expr``): its derivative by ``sympy.diff`` and its NumPy forms
    by ``lambdify`` of those same expressions, so all routes share one definition."""
    if not isinstance(name, str) or not re.fullmatch(CUSTOM_NAME_PATTERN, name):
        raise InvalidSpec(f"activation name {name!r}: use lower-case letters, digits and _ "
                          "(starting with a letter, at most 32 characters)")
    if name in ACTIVATIONS and not isinstance(ACTIVATIONS[name], CustomActivation):
        raise InvalidSpec(f"activation name {name!r} is built in; choose another name for a custom activation")
    derivative = sp.diff(expression, variable)
    at_zero = expression.xreplace({variable: sp.S.Zero})
    return CustomActivation(
        name,
        lambda z: expression.xreplace({variable: z}),
        lambda z: derivative.xreplace({variable: z}),
        _numeric_form(variable, expression),
        _numeric_form(variable, derivative),
        f"{name}(x) = {expression}, derivative {derivative} (custom)",
        bool(at_zero == 0) if at_zero.is_number else None,
        expression=expression,
        tree=tree,
    )


@dataclass(frozen=True)
class CustomActivation(Activation):
    """An activation a user defined by an expression (kept for reports)."""

    expression: sp.Expr | None = None
    #: the checked syntax tree in plain tuples (``safe_expr.plain_tree``): what replays evaluate
    tree: tuple | None = None


#: What ``sympy.lambdify`` needs to evaluate symcheck's own functions with NumPy
#: inside a custom activation's expression (e.g. "x * sigmoid(x)").
NUMPY_FUNCTIONS = {
    "sigmoid": numpy_sigmoid,
    "relu": ACTIVATIONS["relu"].numeric,
    "leaky_relu": ACTIVATIONS["leaky_relu"].numeric,
    "elu": ACTIVATIONS["elu"].numeric,
    "softplus": ACTIVATIONS["softplus"].numeric,
    "gelu": ACTIVATIONS["gelu"].numeric,
    "erf": _np_erf,
}


def _numeric_form(variable, expression):
    compiled = sp.lambdify(variable, expression, modules=[NUMPY_FUNCTIONS, "numpy"])

    def evaluate(z):
        z = np.asarray(z, dtype=float)
        # sqrt(x) at x < 0 is NaN: the numeric routes report NaN loudly, NumPy need not warn on stderr
        with np.errstate(all="ignore"):
            values = np.asarray(compiled(z), dtype=float)
        # a constant derivative lambdifies to a scalar: give it the argument's shape
        return np.broadcast_to(values, z.shape).copy()

    return evaluate


class registered:
    """Context manager: make custom activations known by name for the duration of a block.

    The registry is process-wide, so a custom activation is never left behind
    to shadow or collide with another theorem's definition of the same name."""

    def __init__(self, *activations: Activation):
        self.activations = activations
        self.previous: dict[str, Activation | None] = {}

    def __enter__(self):
        for activation in self.activations:
            self.previous[activation.name] = ACTIVATIONS.get(activation.name)
            ACTIVATIONS[activation.name] = activation
        return self

    def __exit__(self, *exc_info):
        for name, previous in self.previous.items():
            if previous is None:
                ACTIVATIONS.pop(name, None)
            else:
                ACTIVATIONS[name] = previous
        return False
