"""Activation functions in SymPy: each built-in activation's numeric forms
(``model.activation_forms``) with its SymPy form and derivative (``ACTIVATIONS``), and custom
activations defined by an expression (known by name inside ``activation_forms.registered``).

The kinked activations are SymPy ``Function`` subclasses whose ``fdiff`` is
written out, so that ``sympy.diff`` (route (b) of the backprop cross-check)
and the layer recursion (route (a)) use the same convention: ReLU'(0) = 0,
LeakyReLU'(0) = slope, as PyTorch and JAX do -- never SymPy's Heaviside(0) = 1/2.

GELU's Phi is one SymPy function too (``normal_cdf``), which every evaluator knows by name
(the DAG evaluator, lambdify's ``NUMPY_FUNCTIONS``, evalf): written with erfc, SymPy would
rewrite it into a difference that cancels in the left tail.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import mpmath
import sympy as sp

from ..errors import InvalidSpec
from .activation_forms import (ACTIVATION_FORMS, GENERIC_STAND_IN, LEAKY_SLOPE, ActivationForms, get_activation_forms,
                               numpy_normal_cdf, numpy_sigmoid)

SYMBOLIC_LEAKY_SLOPE = sp.Rational(LEAKY_SLOPE)  # the one slope (activation_forms), as a SymPy Rational
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


class _SmoothActivation(_NamedActivation):
    """A smooth activation that stays readable at rational numbers (sigmoid(1/3)), takes its
    known value at a literal 0 and a floating-point value at a Float."""

    #: the value at a literal 0
    AT_ZERO = sp.S.Zero

    @classmethod
    def eval(cls, x):
        if x is sp.S.Zero:  # a literal check: asking is_zero walks the whole expression
            return cls.AT_ZERO
        if x.is_Float:  # a floating-point argument (a concrete point) gives a floating-point value
            return _at_float(cls, x)
        return None


class sigmoid(_SmoothActivation):
    """The logistic function 1 / (1 + e^(-x))."""

    AT_ZERO = sp.S.Half

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
        return sp.Piecewise((x, x > 0), (SYMBOLIC_LEAKY_SLOPE * x, True))

    def fdiff(self, argindex=1):
        x = self.args[0]
        return sp.Piecewise((1, x > 0), (SYMBOLIC_LEAKY_SLOPE, True))


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

    def _eval_evalf(self, prec):
        # log1p: SymPy evaluates log(1 + e^x) with 1 + e^x rounded first, which is 1 for x << 0
        # (softplus(-200) ~ 1e-87 would read 0); the explicit form stays for everything else
        argument = self.args[0]._eval_evalf(prec)
        if argument is None or not argument.is_Float:
            return None
        with mpmath.workprec(prec + 10):
            return sp.Float(mpmath.log1p(mpmath.exp(argument._to_mpmath(prec + 10))), precision=prec)


def normal_pdf(x):
    """The standard normal density phi(x) = e^(-x^2/2) / sqrt(2 pi)."""
    return sp.exp(-x**2 / 2) / sp.sqrt(2 * sp.pi)


def _normal_cdf_float(argument, prec: int):
    """Phi at ``argument`` (a SymPy expression with a real value) as a Float of ``prec`` bits, or
    None when it has no real value. Phi's relative condition number is about x^2 in the left tail
    (x phi(x) / Phi(x)), so the argument and ncdf's own x/sqrt(2) carry 2 log2|x| bits more."""
    try:
        value = argument._to_mpmath(prec + 10)
        if not isinstance(value, (int, mpmath.mpf)) or not mpmath.isfinite(value):
            return None
        working_bits = prec + 10 + (2 * max(int(mpmath.mag(value)), 0) if value else 0)  # mag(0) is -inf
        value = argument._to_mpmath(working_bits)
    except (ValueError, TypeError):
        return None
    with mpmath.workprec(working_bits):  # ncdf is erfc(-x/sqrt 2)/2 for x < 0: no cancellation in the left tail
        try:
            return sp.Float(mpmath.ncdf(value), precision=prec)
        except OverflowError:  # |x| beyond about 1e154: mpmath's erfc gives up; left unevaluated
            return None


class normal_cdf(sp.Function):
    """Phi(x), the standard normal distribution function, as one node.

    Written as erfc(-x/sqrt 2)/2 it would not stay so: SymPy turns erfc(-u) into 2 - erfc(u)
    whenever u can take out a minus sign, and 2 - erfc(u) cancels to nothing for x << 0
    (Phi(-17) ~ 4e-65 would read 0 at 60 digits). As its own function nothing rewrites it, and
    every evaluator computes it by a formula that keeps its digits in the left tail:
    ``mpmath.ncdf`` here and in ``exact.evaluation``, erfc in ``activation_forms.numpy_normal_cdf``.
    ``rewrite(sp.erfc)`` and ``rewrite(sp.erf)`` give the classical forms."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x is sp.S.Zero:  # a literal check, as in _SmoothActivation
            return sp.S.Half
        if x is sp.S.Infinity:
            return sp.S.One
        if x is sp.S.NegativeInfinity:
            return sp.S.Zero
        if x.is_Float:  # a floating-point argument gives a floating-point value, at its precision
            return _normal_cdf_float(x, x._prec)
        return None

    def _eval_evalf(self, prec):
        return _normal_cdf_float(self.args[0], prec)

    def fdiff(self, argindex=1):
        return normal_pdf(self.args[0])

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_is_finite(self):
        # between 0 and 1 on the extended real line (complex arguments: unknown)
        return True if self.args[0].is_extended_real else None

    def _eval_rewrite_as_erfc(self, x, **kwargs):
        return sp.erfc(-x / sp.sqrt(2)) / 2

    def _eval_rewrite_as_erf(self, x, **kwargs):
        return (1 + sp.erf(x / sp.sqrt(2))) / 2


class gelu(_SmoothActivation):
    """The exact GELU x * Phi(x), Phi the standard normal CDF (PyTorch's default)."""

    AT_ZERO = sp.S.Zero

    @staticmethod
    def explicit(x):
        return x * normal_cdf(x)

    def fdiff(self, argindex=1):
        x = self.args[0]
        return normal_cdf(x) + x * normal_pdf(x)


class f(sp.Function):
    """An uninterpreted activation: a proof that holds for ``f`` holds for every activation."""

    nargs = 1

    def fdiff(self, argindex=1):
        return f_prime(self.args[0])


class f_prime(sp.Function):
    """The derivative f' of the uninterpreted activation ``f``."""

    nargs = 1


def _derivative(function, z):
    """The derivative rule of ``function`` at z; unevaluated first, so that it also
    works where the function itself evaluates to a number (gelu(0) = 0 has no fdiff).
    At a Float it is a Float (see ``_at_float``)."""
    value = function(z, evaluate=False).fdiff()
    return value.evalf(mpmath.libmp.prec_to_dps(z._prec)) if z.is_Float else value


@dataclass(frozen=True, kw_only=True)
class Activation(ActivationForms):
    """Everything symcheck needs to know about one activation: its numeric forms and its SymPy ones."""

    symbolic: Callable[[sp.Expr], sp.Expr]
    derivative: Callable[[sp.Expr], sp.Expr]


#: The built-in activations with their SymPy forms (every name of ``ACTIVATION_FORMS`` outside a
#: ``registered`` block).
ACTIVATIONS: dict[str, Activation] = {
    name: Activation(**vars(ACTIVATION_FORMS[name]), symbolic=symbolic, derivative=derivative)
    for name, symbolic, derivative in (
        ("identity", lambda z: z, lambda z: sp.S.One),
        ("sigmoid", sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z))),
        ("tanh", sp.tanh, lambda z: 1 - sp.tanh(z) ** 2),
        ("relu", relu, lambda z: sp.Heaviside(z, 0)),
        ("leaky_relu", leaky_relu, lambda z: _derivative(leaky_relu, z)),
        ("softplus", softplus, sigmoid),
        ("elu", elu, lambda z: _derivative(elu, z)),
        ("gelu", gelu, lambda z: _derivative(gelu, z)),
        ("f", f, f_prime),
    )
}


def get_activation(name: str) -> Activation:
    """The activation ``name``: a built-in one, or a custom one known in the current ``registered``
    block (InvalidSpec for any other name)."""
    forms = get_activation_forms(name)
    return forms if isinstance(forms, Activation) else ACTIVATIONS[name]


#: The uninterpreted activation's classes by name -- symcheck's ``f``, ``f_prime`` and the general
#: proof's ``sigma``, ``sigma_prime`` -- and the SymPy forms of the stand-in
#: (``GENERIC_STAND_IN``) that every exact route computes them by: one table for the DAG
#: evaluator and the independent re-check alike.
STAND_IN_FORMS = {name: form for names, form in (
    (("f", "sigma"), ACTIVATIONS[GENERIC_STAND_IN].symbolic),
    (("f_prime", "sigma_prime"), ACTIVATIONS[GENERIC_STAND_IN].derivative),
) for name in names}

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
    if name in ACTIVATIONS:
        raise InvalidSpec(f"activation name {name!r} is built in; choose another name for a custom activation")
    derivative = sp.diff(expression, variable)
    at_zero = expression.xreplace({variable: sp.S.Zero})
    return CustomActivation(
        name=name,
        numeric=_numeric_form(variable, expression),
        numeric_derivative=_numeric_form(variable, derivative),
        convention=f"{name}(x) = {expression}, derivative {derivative} (custom)",
        zero_at_zero=bool(at_zero == 0) if at_zero.is_number else None,
        symbolic=lambda z: expression.xreplace({variable: z}),
        derivative=lambda z: derivative.xreplace({variable: z}),
        expression=expression,
        tree=tree,
    )


@dataclass(frozen=True, kw_only=True)
class CustomActivation(Activation):
    """An activation a user defined by an expression (kept for reports)."""

    expression: sp.Expr | None = None
    #: the checked syntax tree in plain tuples (``safe_expr.plain_tree``): what replays evaluate
    tree: tuple | None = None


#: What ``sympy.lambdify`` needs to evaluate symcheck's own functions with NumPy
#: inside a custom activation's expression (e.g. "x * sigmoid(x)").
NUMPY_FUNCTIONS = {
    "sigmoid": numpy_sigmoid,
    "normal_cdf": numpy_normal_cdf,
    **{name: ACTIVATION_FORMS[name].numeric for name in ("relu", "leaky_relu", "elu", "softplus", "gelu")},
    "erf": np.vectorize(math.erf, otypes=[float]),
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
