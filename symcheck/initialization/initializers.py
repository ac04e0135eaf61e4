"""A catalogue of weight initializations that gives the numbers PyTorch
(``torch.nn.init``) and Keras (``keras.initializers``) give.

Every scheme resolves, for a given tensor shape and *convention*, to an
``Initializer``: its distribution, the standard deviation it aims at, the
largest value it can produce (``bound``) and a sampler driven by a NumPy
``Generator``. The numbers are computed with the same floating-point
operations, in the same order, as the library named by the convention, so they
agree to the last digit; the *factors* in them (1 and 2 of LeCun and He, the
1/fan_avg of Xavier, sqrt(3) of the uniform bound, the truncated-normal
constant 0.8796...) are taken from the SymPy derivations in
``symcheck.initialization.variance``, not typed in.

Conventions, where the two libraries differ (each is followed as it is):

- **Layout and fans.** torch: (out, in, *kernel); fan_in = in * prod(kernel),
  fan_out = out * prod(kernel); fewer than 2 dimensions is an error.
  keras: (*kernel, in, out); a 1-D shape has fan_in = fan_out = its length, a
  0-D shape 1 and 1; fans are clamped below at 1.
- **"normal" means truncated normal in Keras.** keras ``he_normal``,
  ``lecun_normal``, ``glorot_normal`` draw from a normal cut at two of its own
  standard deviations, started at sqrt(scale/n)/0.8796... so that the *cut*
  law has standard deviation sqrt(scale/n). torch ``kaiming_normal_`` and
  ``xavier_normal_`` are untruncated.
- **Truncated variance-scaling schemes under torch.** PyTorch has none; the
  ``*_truncated_normal`` schemes under torch are built from
  ``trunc_normal_(std=s/0.8796..., a=-2 s/0.8796..., b=2 s/0.8796...)`` with the
  same correction Keras uses, so that the result has the scheme's variance.
- **Plain truncated normal.** torch ``trunc_normal_(mean=0, std=1, a=-2, b=2)``:
  ``std`` is that of the normal *before* cutting and a, b are absolute values;
  keras ``TruncatedNormal(stddev=0.05)`` cuts at two stddev. Both report the
  standard deviation of the cut law.
- **Defaults of the plain schemes.** torch normal_ is N(0, 1), uniform_ is
  U(0, 1); keras RandomNormal has stddev 0.05 and RandomUniform is
  U(-0.05, 0.05).
- **LeCun under torch** is ``kaiming_*_(nonlinearity='linear')`` (gain 1).
- **Gains.** torch's ``calculate_gain``: linear/conv 1, sigmoid 1, tanh 5/3,
  relu sqrt(2), leaky_relu sqrt(2/(1 + slope^2)) (default slope 0.01 here, but
  0 inside ``kaiming_*_``'s default ``a=0``), selu 3/4. The relu and leaky_relu
  gains are derived (``variance.leaky_relu_gain``); tanh's 5/3 and selu's 3/4
  are PyTorch's chosen constants, and sigmoid's 1 is a convention (sigmoid'(0)
  is 1/4, so it does not preserve variance).

Samples come from NumPy, so they follow the same *distribution* as the
library's, not the same random stream.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp

from ..errors import DerivationError, InvalidSpec, unknown_name
from ..model.literals import decimal, integer
from ..model.sentence import Equals, Sentence
from ..exact.decide import decide_equal
from ..exact.verdict import PROVED
from . import variance

TORCH, KERAS = "torch", "keras"
CONVENTIONS = (TORCH, KERAS)
CONSTANT, NORMAL, UNIFORM, TRUNCATED_NORMAL, ORTHOGONAL = (
    "constant", "normal", "uniform", "truncated_normal", "orthogonal")
FAN_IN, FAN_OUT, FAN_AVG = "fan_in", "fan_out", "fan_avg"
SMALL_RANDOM_STD = 0.01  # seed 004: np.random.randn(...) * 0.01

_LINEAR_GAIN_NAMES = ("linear", "conv1d", "conv2d", "conv3d",
                      "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")
NONLINEARITIES = (*_LINEAR_GAIN_NAMES, "sigmoid", "tanh", "relu", "leaky_relu", "selu")
TORCH_LEAKY_SLOPE = 0.01  # calculate_gain('leaky_relu') with param=None


# --- constants taken from the derivations ------------------------------------------------


@dataclass(frozen=True)
class _Factors:
    lecun: float
    he: float
    xavier: float
    uniform: float  # bound / std
    uniform_squared: float


@cache
def _factors() -> _Factors:
    rules = variance.derived_rules()
    # calculate_gain types torch's float formula sqrt(he / (1 + a^2)) (relu: a = 0); it must be
    # the gain variance.leaky_relu_gain derived
    typed = sp.sqrt(rules.he_scale / (1 + variance.slope**2))
    if decide_equal(typed, rules.leaky_relu_gain).status != PROVED:
        raise DerivationError(f"calculate_gain's {typed} is not the derived {rules.leaky_relu_gain}")
    return _Factors(float(rules.lecun_scale), float(rules.he_scale), float(rules.xavier_scale),
                    float(rules.uniform_factor), float(rules.uniform_factor**2))


@cache
def truncation_std() -> float:
    """tau_2: std of N(0, 1) cut to [-2, 2], from its exact derivation (== Keras's literal)."""
    return float(variance.truncation_std_exact())


@cache
def _truncated_std_ratio():
    """c -> std of N(0, 1) cut to [-c, c], lambdified from the derived formula."""
    c = sp.Symbol("c", positive=True)
    return sp.lambdify(c, sp.sqrt(variance.truncation_variance_ratio(c)), "math")


# --- fans and gains ------------------------------------------------------------------------


def compute_fans(shape, convention: str = TORCH) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight tensor in the layout of ``convention``."""
    shape = check_shape(shape)
    check_convention(convention)
    if convention == TORCH:
        if len(shape) < 2:
            raise InvalidSpec(
                f"shape: {_show(shape)} has {len(shape)} dimension(s); torch computes fans only for "
                "2 or more dimensions (out, in, *kernel)")
        receptive = math.prod(shape[2:])
        return shape[1] * receptive, shape[0] * receptive
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """PyTorch's recommended gain for a nonlinearity (same floats as ``calculate_gain``)."""
    if nonlinearity in _LINEAR_GAIN_NAMES or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(_factors().he)
    if nonlinearity == "leaky_relu":
        slope = TORCH_LEAKY_SLOPE if param is None else finite("negative slope", param)
        # the derived gain sqrt(2/(1 + a^2)) with PyTorch's order of operations
        return math.sqrt(_factors().he / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise InvalidSpec(unknown_name("nonlinearity", nonlinearity, NONLINEARITIES))


# --- the result ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Initializer:
    """One scheme resolved for one shape under one convention."""

    scheme: str
    convention: str
    shape: tuple[int, ...]
    fan_in: int
    fan_out: int
    distribution: str  # constant | normal | uniform | truncated_normal | orthogonal
    mean: float
    std: float  # the standard deviation of the law the values follow
    bound: float | None  # the largest |value| possible; None when unbounded
    library_call: str  # the library call that gives the same law
    parameters: tuple[tuple[str, object], ...] = ()
    rule: sp.Expr | None = None  # Var(W) as derived, in fan_in, fan_out, gain, scale
    low: float | None = None  # support of a uniform law
    high: float | None = None
    parent_std: float | None = None  # a truncated law: std of the normal before the cut
    value: float | None = None  # a constant law
    gain: float | None = None  # an orthogonal law

    def sample(self, rng: np.random.Generator) -> np.ndarray:
        """Draw a tensor of ``shape``; the law is the library's, the stream NumPy's."""
        if self.distribution == CONSTANT:
            return np.full(self.shape, self.value, dtype=float)
        if self.distribution == NORMAL:
            return rng.normal(self.mean, self.std, size=self.shape)
        if self.distribution == UNIFORM:
            return rng.uniform(self.low, self.high, size=self.shape)
        if self.distribution == TRUNCATED_NORMAL:
            return _truncated_normal(rng, self.parent_std, self.bound, self.shape)
        return _orthogonal(rng, self.shape, self.convention, self.gain)


def _truncated_normal(rng, parent_std, bound, shape):
    """Draw N(0, parent_std^2) and redraw every value outside [-bound, bound]."""
    values = rng.normal(0.0, parent_std, size=shape)
    outside = np.abs(values) > bound
    while outside.any():
        values[outside] = rng.normal(0.0, parent_std, size=int(outside.sum()))
        outside = np.abs(values) > bound
    return values


def _orthogonal_matrix_shape(shape, convention):
    if convention == TORCH:
        return shape[0], math.prod(shape[1:])
    return math.prod(shape[:-1]), shape[-1]


def _orthogonal(rng, shape, convention, gain):
    """QR of a Gaussian matrix, signs fixed by diag(R) (Haar measure), as both libraries do."""
    rows, cols = _orthogonal_matrix_shape(shape, convention)
    flat = rng.normal(size=(max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(flat)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return gain * q.reshape(shape)


# --- the schemes ---------------------------------------------------------------------------

VARIANCE_FAMILIES = ("lecun", "xavier", "he")
VARIANCE_FORMS = (NORMAL, UNIFORM, TRUNCATED_NORMAL)
SCHEME_NAMES = (
    "zeros", "constant", "normal", "uniform", "truncated_normal", "small_random",
    *(f"{family}_{form}" for family in VARIANCE_FAMILIES for form in VARIANCE_FORMS),
    "orthogonal", "variance_scaling",
)
ALIASES = {
    "glorot": "xavier", "kaiming": "he", "random_normal": "normal", "random_uniform": "uniform",
    "trunc_normal": "truncated_normal", "randn": "small_random", "orthogonal_initializer": "orthogonal",
}
#: Symbols of the derived rules, as they appear in ``Initializer.rule``.
GAIN, SCALE = sp.Symbol("gain", positive=True), sp.Symbol("scale", positive=True)
FAN_SYMBOLS = {FAN_IN: variance.fan_in, FAN_OUT: variance.fan_out,
               FAN_AVG: (variance.fan_in + variance.fan_out) / 2}


def _rule(numerator, mode: str) -> sp.Expr:
    """Var(W) = numerator / fan(mode), written 2 n/(fan_in + fan_out) for fan_avg."""
    return sp.together(numerator / FAN_SYMBOLS[mode])
KERAS_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform", "normal")


def canonical_name(name: str) -> str:
    """'GlorotUniform', 'xavier_uniform_', 'kaiming-normal' -> catalogue names."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(name).strip()).lower().replace("-", "_")
    text = text.rstrip("_")
    for alias, target in ALIASES.items():
        if text == alias or text.startswith(alias + "_"):
            text = target + text[len(alias):]
    return text


def is_scheme(name: str) -> bool:
    return canonical_name(name) in SCHEME_NAMES


_DESCRIPTIONS = {
    "zeros": "every entry 0",
    "constant": "every entry the same value (--value)",
    "normal": "N(mean, std^2); torch N(0, 1), keras N(0, 0.05^2)",
    "uniform": "U(low, high); torch U(0, 1), keras U(-0.05, 0.05)",
    "truncated_normal": "normal redrawn outside a cut; torch [-2, 2] absolute, keras 2 stddev",
    "small_random": "N(0, 0.01^2): 0.01 * randn",
    "orthogonal": "random (semi-)orthogonal matrix times gain",
    "variance_scaling": "Keras VarianceScaling: Var(W) = scale / fan(mode)",
}
_FAMILY_RULES = {"lecun": "Var(W) = 1/fan_in", "xavier": "Var(W) = 2/(fan_in + fan_out)",
                 "he": "Var(W) = 2/fan_in"}
_FORM_NOTES = {NORMAL: "normal (keras: truncated)", UNIFORM: "uniform, bound sqrt(3 Var)",
               TRUNCATED_NORMAL: "truncated normal, cut at 2 std before correction"}


def describe_scheme(name: str) -> str:
    """One line: what the scheme draws, independent of shape."""
    scheme = resolve_scheme(name)
    family, form = _split(scheme)
    if form is None:
        return _DESCRIPTIONS[scheme]
    return f"{_FAMILY_RULES[family]}, {_FORM_NOTES[form]}"


#: Parameters each scheme accepts, per convention (others are rejected by name).
_ACCEPTS = {
    "zeros": {TORCH: (), KERAS: ()},
    "constant": {TORCH: ("value",), KERAS: ("value",)},
    "normal": {TORCH: ("mean", "std"), KERAS: ("mean", "std")},
    "uniform": {TORCH: ("low", "high"), KERAS: ("low", "high")},
    "truncated_normal": {TORCH: ("std", "cut"), KERAS: ("std",)},
    "small_random": {TORCH: (), KERAS: ()},
    "orthogonal": {TORCH: ("gain",), KERAS: ("gain",)},
    "variance_scaling": {TORCH: ("scale", "mode", "distribution"), KERAS: ("scale", "mode", "distribution")},
    "lecun": {TORCH: ("mode",), KERAS: ()},
    "xavier": {TORCH: ("gain",), KERAS: ()},
    "he": {TORCH: ("gain", "mode"), KERAS: ()},
}


def make_initializer(scheme: str, shape, convention: str = TORCH, **parameters) -> Initializer:
    """Resolve ``scheme`` for ``shape`` under ``convention`` (parameters by name, None = default).

    Parameters: value (constant), mean/std (normal), low/high (uniform),
    std/cut (truncated_normal; cut is torch's absolute a = -cut, b = cut),
    gain (xavier, he and orthogonal; a number, e.g. ``calculate_gain('tanh')``),
    mode (fan_in/fan_out for torch lecun/he; fan_in/fan_out/fan_avg for
    variance_scaling), scale and distribution (variance_scaling).
    """
    name = resolve_scheme(scheme)
    check_convention(convention)
    shape = check_shape(shape)
    family, form = _split(name)
    given = {key: value for key, value in parameters.items() if value is not None}
    allowed = _ACCEPTS[family][convention]
    for key in given:
        if key not in allowed:
            accepts = ", ".join(allowed) if allowed else "no parameters"
            hint = ("; variance_scaling --scale/--mode/--distribution changes the rule"
                    if family in VARIANCE_FAMILIES and convention == KERAS else "")
            raise InvalidSpec(
                f"{key}: not a parameter of {name} under {convention} (it accepts {accepts}){hint}")
    builder = _BUILDERS[family]
    return builder(name, form, shape, convention, given)


def check_convention(convention: str) -> str:
    if convention not in CONVENTIONS:
        raise InvalidSpec(unknown_name("convention", convention, CONVENTIONS))
    return convention


def check_shape(shape) -> tuple[int, ...]:
    if isinstance(shape, str):
        shape = parse_shape(shape)
    shape = tuple(shape)
    for position, size in enumerate(shape):
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
            raise InvalidSpec(f"shape: entry {position} is {size!r}; every size must be a positive integer")
    return tuple(int(size) for size in shape)


#: the largest size of one tensor dimension read from text (an int32 index, as in the frameworks)
MAX_SIZE = 2**31 - 1


def parse_shape(text: str) -> tuple[int, ...]:
    """'5,3' -> (5, 3); '' (a scalar) -> ()."""
    parts = [part.strip() for part in text.split(",")] if text.strip() else []
    sizes = []
    for position, part in enumerate(parts):
        try:
            sizes.append(integer(part, f"shape: entry {position}", 1, MAX_SIZE))
        except InvalidSpec as error:
            raise InvalidSpec(f"{error}; example: 5,3") from None
    return check_shape(sizes)


def _split(name: str) -> tuple[str, str | None]:
    for family in VARIANCE_FAMILIES:
        if name.startswith(family + "_"):
            return family, name[len(family) + 1:]
    return name, None


def scheme_family(name: str) -> str:
    """'xavier_uniform' -> 'xavier'; a scheme without a family ('variance_scaling') is its own."""
    return _split(canonical_name(name))[0]


def resolve_scheme(name: str, field_name: str = "scheme") -> str:
    """The catalogue name of ``name``, or InvalidSpec naming ``field_name`` with a suggestion."""
    scheme = canonical_name(name)
    if scheme not in SCHEME_NAMES:
        raise InvalidSpec(unknown_name(field_name, name, SCHEME_NAMES))
    return scheme


def finite(field_name: str, value) -> float:
    if isinstance(value, str):  # text from the command line: ASCII literals only
        return decimal(value, field_name)
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidSpec(f"{field_name}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise InvalidSpec(f"{field_name}: {value!r} is not finite")
    return number


def _positive(field_name: str, value) -> float:
    number = finite(field_name, value)
    if number <= 0:
        raise InvalidSpec(f"{field_name}: {value!r} must be positive")
    return number


def _fields(name, shape, convention):
    fan_in, fan_out = compute_fans(shape, convention) if (convention == KERAS or len(shape) >= 2) \
        else (None, None)
    return {"scheme": name, "convention": convention, "shape": shape, "fan_in": fan_in, "fan_out": fan_out}


def _constant(name, form, shape, convention, given):
    value = 0.0 if name == "zeros" else finite("value", given.get("value", 0.0))
    call = {TORCH: f"torch.nn.init.{'zeros_()' if name == 'zeros' else f'constant_(val={value!r})'}",
            KERAS: f"keras.initializers.{'Zeros()' if name == 'zeros' else f'Constant(value={value!r})'}"}
    return Initializer(**_fields(name, shape, convention), distribution=CONSTANT, mean=value, std=0.0,
                       bound=abs(value), library_call=call[convention], value=value,
                       parameters=(("value", value),) if name == "constant" else ())


def _normal(name, form, shape, convention, given):
    if name == "small_random":
        std, mean = SMALL_RANDOM_STD, 0.0
        call = "numpy.random.randn(...) * 0.01"
    else:
        default = 1.0 if convention == TORCH else 0.05
        std = _positive("std", given.get("std", default))
        mean = finite("mean", given.get("mean", 0.0))
        call = (f"torch.nn.init.normal_(mean={mean!r}, std={std!r})" if convention == TORCH
                else f"keras.initializers.RandomNormal(mean={mean!r}, stddev={std!r})")
    return Initializer(**_fields(name, shape, convention), distribution=NORMAL, mean=mean, std=std,
                       bound=None, library_call=call, parameters=(("mean", mean), ("std", std)))


def _uniform(name, form, shape, convention, given):
    low_default, high_default = (0.0, 1.0) if convention == TORCH else (-0.05, 0.05)
    low = finite("low", given.get("low", low_default))
    high = finite("high", given.get("high", high_default))
    if not low < high:
        raise InvalidSpec(f"low, high: need low < high, got {low!r} and {high!r}")
    # Var(U(low, high)) = (high - low)^2 / 12: the derived a^2/3 with a = (high - low)/2
    std = (high - low) / 2 / _factors().uniform
    call = (f"torch.nn.init.uniform_(a={low!r}, b={high!r})" if convention == TORCH
            else f"keras.initializers.RandomUniform(minval={low!r}, maxval={high!r})")
    return Initializer(**_fields(name, shape, convention), distribution=UNIFORM, mean=(low + high) / 2,
                       std=std, bound=max(abs(low), abs(high)), library_call=call, low=low, high=high,
                       parameters=(("low", low), ("high", high)))


def _plain_truncated(name, form, shape, convention, given):
    if convention == TORCH:
        parent = _positive("std", given.get("std", 1.0))
        cut = _positive("cut", given.get("cut", 2.0))
        call = f"torch.nn.init.trunc_normal_(mean=0.0, std={parent!r}, a={-cut!r}, b={cut!r})"
        parameters = (("std", parent), ("cut", cut))
        std = parent * _truncated_std_ratio()(cut / parent)
    else:
        parent = _positive("std", given.get("std", 0.05))
        cut = 2.0 * parent
        call = f"keras.initializers.TruncatedNormal(mean=0.0, stddev={parent!r})"
        parameters = (("std", parent),)
        std = parent * truncation_std()
    return Initializer(**_fields(name, shape, convention), distribution=TRUNCATED_NORMAL, mean=0.0,
                       std=std, bound=cut, library_call=call, parameters=parameters, parent_std=parent)


def _orthogonal_scheme(name, form, shape, convention, given):
    if len(shape) < 2:
        raise InvalidSpec(f"shape: {_show(shape)}; orthogonal needs at least 2 dimensions")
    gain = _positive("gain", given.get("gain", 1.0))
    rows, cols = _orthogonal_matrix_shape(shape, convention)
    # orthonormal rows (or columns) of length gain: the mean square entry is exactly gain^2 / max
    std = gain / math.sqrt(max(rows, cols))
    call = (f"torch.nn.init.orthogonal_(gain={gain!r})" if convention == TORCH
            else f"keras.initializers.Orthogonal(gain={gain!r})")
    return Initializer(**_fields(name, shape, convention), distribution=ORTHOGONAL, mean=0.0, std=std,
                       bound=gain, library_call=call, parameters=(("gain", gain),), gain=gain)


def _keras_variance_scaling(fields, scale, mode, distribution, call, parameters):
    """keras VarianceScaling.__call__, operation for operation."""
    fan_in, fan_out = fields["fan_in"], fields["fan_out"]
    if mode == FAN_IN:
        scale /= max(1.0, fan_in)
    elif mode == FAN_OUT:
        scale /= max(1.0, fan_out)
    else:
        scale /= max(1.0, (fan_in + fan_out) / 2.0)
    if distribution == TRUNCATED_NORMAL:
        parent = math.sqrt(scale) / truncation_std()
        return Initializer(**fields, distribution=TRUNCATED_NORMAL, mean=0.0, std=math.sqrt(scale),
                           bound=2.0 * parent, library_call=call, parameters=parameters, parent_std=parent)
    if distribution == "untruncated_normal":
        return Initializer(**fields, distribution=NORMAL, mean=0.0, std=math.sqrt(scale), bound=None,
                           library_call=call, parameters=parameters)
    limit = math.sqrt(_factors().uniform_squared * scale)
    return Initializer(**fields, distribution=UNIFORM, mean=0.0, std=math.sqrt(scale), bound=limit,
                       library_call=call, parameters=parameters, low=-limit, high=limit)


def _variance_scaling(name, form, shape, convention, given):
    scale = _positive("scale", given.get("scale", 1.0))
    mode = given.get("mode", FAN_IN)
    if mode not in (FAN_IN, FAN_OUT, FAN_AVG):
        raise InvalidSpec(unknown_name("mode", mode, (FAN_IN, FAN_OUT, FAN_AVG)))
    distribution = str(given.get("distribution", TRUNCATED_NORMAL)).lower()
    if distribution not in KERAS_DISTRIBUTIONS:
        raise InvalidSpec(unknown_name("distribution", distribution, KERAS_DISTRIBUTIONS))
    if distribution == "normal":  # Keras's own alias
        distribution = TRUNCATED_NORMAL
    call = f"keras.initializers.VarianceScaling(scale={scale!r}, mode={mode!r}, distribution={distribution!r})"
    fields = _fields(name, shape, convention)
    fields.update(rule=_rule(SCALE, mode))
    parameters = (("scale", scale), ("mode", mode), ("distribution", distribution))
    return _keras_variance_scaling(fields, scale, mode, distribution, call, parameters)


_KERAS_CLASSES = {"lecun": "Lecun", "xavier": "Glorot", "he": "He"}
_KERAS_MODES = {"lecun": FAN_IN, "xavier": FAN_AVG, "he": FAN_IN}


def _scaled(name, form, shape, convention, given):
    """LeCun, Xavier/Glorot, He/Kaiming in normal, uniform and truncated-normal forms."""
    family = name.split("_", 1)[0]
    factors = _factors()
    if convention == KERAS:
        scale = {"lecun": factors.lecun, "xavier": factors.xavier, "he": factors.he}[family]
        mode = _KERAS_MODES[family]
        distribution = UNIFORM if form == UNIFORM else TRUNCATED_NORMAL  # Keras: normal is truncated
        kind = "Uniform" if form == UNIFORM else "Normal"
        fields = _fields(name, shape, convention)
        fields["rule"] = _rule(_derived_scale(family), mode)
        call = f"keras.initializers.{_KERAS_CLASSES[family]}{kind}()"
        return _keras_variance_scaling(fields, scale, mode, distribution, call, ())
    return _torch_scaled(name, family, form, shape, given)


def _derived_scale(family: str) -> sp.Expr:
    rules = variance.derived_rules()
    return {"lecun": rules.lecun_scale, "xavier": rules.xavier_scale, "he": rules.he_scale}[family]


def _torch_scaled(name, family, form, shape, given):
    factors = _factors()
    compute_fans(shape, TORCH)  # fewer than 2 dimensions: the message torch users expect
    fields = _fields(name, shape, TORCH)
    fan_in, fan_out = fields["fan_in"], fields["fan_out"]
    if family == "xavier":
        gain = _positive("gain", given.get("gain", 1.0))
        # xavier_*_: std = gain * sqrt(2 / (fan_in + fan_out)); 2 = 2 * derived scale 1 (fan_avg)
        std = gain * math.sqrt(2.0 * factors.xavier / float(fan_in + fan_out))
        mode, parameters = FAN_AVG, (("gain", gain),)
        base = f"xavier_{'uniform' if form == UNIFORM else 'normal'}_(gain={gain!r})"
    else:
        mode = given.get("mode", FAN_IN)
        if mode not in (FAN_IN, FAN_OUT):
            raise InvalidSpec(unknown_name("mode", mode, (FAN_IN, FAN_OUT)))
        # kaiming_*_: std = gain / sqrt(fan); He's gain sqrt(2) and LeCun's 1 are the derived scales
        default_gain = math.sqrt(factors.he if family == "he" else factors.lecun)
        gain = _positive("gain", given.get("gain", default_gain))
        fan = fan_in if mode == FAN_IN else fan_out
        std = gain / math.sqrt(fan)
        parameters = (("gain", gain), ("mode", mode))
        nonlinearity = {"he": "relu", "lecun": "linear"}[family]
        detail = f"nonlinearity={nonlinearity!r}" if gain == default_gain else f"gain={gain!r}"
        base = f"kaiming_{'uniform' if form == UNIFORM else 'normal'}_(mode={mode!r}, {detail})"
    fields["rule"] = _rule(GAIN**2, mode)
    fields["parameters"] = parameters
    if form == UNIFORM:
        bound = factors.uniform * std
        return Initializer(**fields, distribution=UNIFORM, mean=0.0, std=std, bound=bound, low=-bound,
                           high=bound, library_call=f"torch.nn.init.{base}")
    if form == NORMAL:
        return Initializer(**fields, distribution=NORMAL, mean=0.0, std=std, bound=None,
                           library_call=f"torch.nn.init.{base}")
    parent = std / truncation_std()
    call = (f"torch.nn.init.trunc_normal_(std={parent!r}, a={-2.0 * parent!r}, b={2.0 * parent!r})"
            f" [std of {base} corrected by 1/0.8796...]")
    return Initializer(**fields, distribution=TRUNCATED_NORMAL, mean=0.0, std=std, bound=2.0 * parent,
                       library_call=call, parent_std=parent)


def _dispatch_plain(name, form, shape, convention, given):
    if name == "truncated_normal":
        return _plain_truncated(name, form, shape, convention, given)
    if name == "uniform":
        return _uniform(name, form, shape, convention, given)
    return _normal(name, form, shape, convention, given)


_BUILDERS = {
    "zeros": _constant, "constant": _constant,
    "normal": _dispatch_plain, "uniform": _dispatch_plain, "truncated_normal": _dispatch_plain,
    "small_random": _dispatch_plain,
    "orthogonal": _orthogonal_scheme, "variance_scaling": _variance_scaling,
    "lecun": _scaled, "xavier": _scaled, "he": _scaled,
}


def _show(shape) -> str:
    return "(" + ", ".join(map(str, shape)) + ")" if shape else "() (a scalar)"


# --- exact samples for proofs --------------------------------------------------------------

#: Samples used in proofs are rounded to multiples of 1/EXACT_DENOMINATOR: exact rationals.
EXACT_DENOMINATOR = 10**6


def exact_sample(scheme: str, shape: tuple[int, ...], rng: np.random.Generator,
                 convention: str = TORCH) -> tuple:
    """A sample of ``scheme`` as nested tuples of SymPy rationals k / 10^6.

    Rounding keeps a refutation exact (a counterexample is a pair of distinct
    rationals), at the cost of a grid: distinct draws closer than 10^-6 could
    coincide, which would be visible (and checked) as equal entries.
    """
    values = make_initializer(scheme, shape, convention).sample(rng)
    rational = np.vectorize(lambda v: sp.Rational(int(round(v * EXACT_DENOMINATOR)), EXACT_DENOMINATOR),
                            otypes=[object])
    exact = rational(values)
    if exact.ndim == 1:
        return tuple(exact)
    return tuple(tuple(row) for row in exact)


# --- catalogue schemes as initializations of a proof ---------------------------------------

#: ``zeros`` and ``constant`` keep their meaning in ``symcheck.initialization.inits`` (constant is symbolic there).
INIT_SCHEME_NAMES = tuple(name for name in SCHEME_NAMES if name not in ("zeros", "constant"))


def is_init_scheme(name: str) -> bool:
    return canonical_name(name) in INIT_SCHEME_NAMES


def init_values(name: str, spec, seed: int) -> dict:
    """Parameter name -> exact values: weights drawn from the scheme, biases 0.

    W_i is (n_i, n_{i-1}) = (out, in), PyTorch's layout, so fans are torch's.
    Biases start at 0, the default of Keras layers and of most recipes that
    name a weight scheme.
    """
    rng = np.random.default_rng(seed)
    params = {}
    for parameter in spec.parameter_names:
        shape = spec.parameter_shape(parameter)
        if parameter.startswith("W"):
            params[parameter] = exact_sample(name, shape, rng, TORCH)
        else:
            params[parameter] = tuple(sp.S.Zero for _ in range(shape[0]))
    return params


def init_description(name: str, seed: int) -> Sentence:
    """A catalogue scheme as a proof draws it: its rule Var(W) (for the scaled families), the seed,
    and the rounding to exact rationals."""
    scheme = canonical_name(name)
    family, form = _split(scheme)
    if form is None:
        law = Sentence((describe_scheme(scheme),))
    else:
        rule = Equals(variance.Var(sp.Symbol("W")), _rule(_derived_scale(family), _KERAS_MODES[family]))
        law = Sentence((rule, f", {_FORM_NOTES[form]}"))
    return (Sentence((f"catalogue scheme {scheme}: ",)) + law
            + Sentence((f"; torch layout, seed {seed}; weights rounded to multiples of ",
                        sp.Rational(1, EXACT_DENOMINATOR), ", biases 0")))


def symmetry_notes(init_name: str, verdict: str, base_refuted: bool, vacuous: bool) -> tuple[str, ...]:
    """What a proof's outcome means for a scheme of the catalogue."""
    if vacuous:
        return ()
    if base_refuted:
        return (f"{init_name}: the weights follow a continuous law, so two given entries coincide with "
                "probability 0 and the symmetry is broken at step 0 with probability 1; "
                "the exact counterexample shows it for this seed.",)
    return (f"{init_name}: these rounded draws happen to satisfy the invariants at step 0 (an event of "
            "probability 0 for the unrounded law); try another seed.",)
