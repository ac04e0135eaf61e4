"""Signal propagation through a deep MLP at initialization, measured by Monte Carlo.

For each initialization scheme and activation, a batch of inputs x ~ N(0, I)
goes forward through ``depth`` square layers (biases 0, as at initialization)
and a random output gradient goes back down (equations (2)-(3) of DESIGN.md).
Per hidden layer i we record

- Var(h_i): the variance of the activations, over units and inputs;
- Var(dL/dz_i): the variance of the back-propagated gradient at the
  pre-activation, the factor in dL/dW_i = (dL/dz_i) h_{i-1}^T;
- the fraction of saturated units: sigma'(z) below 1% of its peak
  (tanh' < 0.01, sigmoid' < 0.0025); ReLU never saturates in this sense.

This measures what ``symcheck.initialization.variance`` derives: with 0.01 * randn the
signal shrinks by about 256 * 0.01^2 per tanh layer and vanishes; N(0, 1)
drives tanh into saturation; LeCun and Xavier keep tanh in its linear range,
He keeps ReLU's variance constant. Everything is seeded: the same arguments
give the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import budget
from ..model.activations import get_activation
from ..errors import InvalidSpec
from ..oracle import tolerances
from .initializers import calculate_gain, make_initializer

#: Schemes the report compares by default (PyTorch convention, untruncated forms).
DEFAULT_SCHEMES = ("small_random", "normal", "lecun_normal", "xavier_normal", "he_normal")
DEFAULT_ACTIVATIONS = ("tanh", "sigmoid", "relu")
DEFAULT_DEPTH, DEFAULT_WIDTH, DEFAULT_SAMPLES, DEFAULT_SEED = 20, 256, 256, 0
#: A unit is saturated when its derivative is below this fraction of the derivative's peak.
SATURATION_FRACTION = 0.01
MAX_UNITS = 4096
MAX_LAYERS = 200
MAX_SAMPLES = 100_000


#: Peak of sigma' for the activations that saturate (sigma' -> 0 for large |z|); ReLU and the
#: identity cannot saturate in this sense and have no entry.
SATURATION_PEAKS = {"tanh": 1.0, "sigmoid": 0.25}


@dataclass(frozen=True)
class SignalRun:
    scheme: str
    activation: str
    activation_variance: tuple[float, ...]  # Var(h_i), i = 1..depth
    gradient_variance: tuple[float, ...]  # Var(dL/dz_i), i = 1..depth
    saturation: tuple[float, ...] | None  # saturated fraction per layer; None for relu/identity

    @property
    def depth(self) -> int:
        return len(self.activation_variance)


@dataclass(frozen=True)
class SignalReport:
    depth: int
    width: int
    samples: int
    seed: int
    convention: str
    runs: tuple[SignalRun, ...]

    def run(self, scheme: str, activation: str) -> SignalRun:
        for run in self.runs:
            if run.scheme == scheme and run.activation == activation:
                return run
        raise KeyError((scheme, activation))

    #: a unit counts as saturated when sigma'(z) is below this fraction of its peak
    saturation_fraction = SATURATION_FRACTION

    @property
    def conclusions(self) -> dict[str, str]:
        """What the runs show, per activation, in words (``conclusion``)."""
        return {activation: conclusion(self, activation)
                for activation in dict.fromkeys(run.activation for run in self.runs)}


def check_sizes(depth: int, width: int, samples: int) -> None:
    for name, value, limit in (("depth", depth, MAX_LAYERS), ("width", width, MAX_UNITS),
                               ("samples", samples, MAX_SAMPLES)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            raise InvalidSpec(f"{name}: {value!r}; must be an integer from 1 to {limit}")


def _weights(scheme, depth, width, seed, convention):
    initializer = make_initializer(scheme, (width, width), convention)
    rng = np.random.default_rng([seed, 1])
    return [initializer.sample(rng) for _ in range(depth)]


def _propagate(weights, activation, x, output_gradient) \
        -> tuple[list[float], list[float], list[float] | None]:
    """Var(h_i), Var(dL/dz_i) and the saturated fraction (None if it cannot saturate) per layer."""
    rule, peak = get_activation(activation), SATURATION_PEAKS.get(activation)
    h, slopes, act_var, saturated = x, [], [], []
    for W in weights:
        budget.check()
        z = h @ W.T  # rows are inputs; W is (out, in)
        with np.errstate(over="ignore"):  # sigmoid's e^-z overflows to inf for z << 0: the value is 0
            h, slope = rule.numeric(z), rule.numeric_derivative(z)
        slopes.append(slope)
        act_var.append(float(h.var()))
        if peak is not None:
            saturated.append(float(np.mean(slope < SATURATION_FRACTION * peak)))
    grad_var = [0.0] * len(weights)
    g = output_gradient  # dL/dh_depth
    for i in range(len(weights) - 1, -1, -1):
        delta = g * slopes[i]  # eq. (2): dL/dz_i
        grad_var[i] = float(delta.var())
        g = delta @ weights[i]  # eq. (3): dL/dh_{i-1} = W_i^T delta_i
    return act_var, grad_var, (saturated if peak is not None else None)


def propagate(scheme: str, activation: str, depth: int = DEFAULT_DEPTH, width: int = DEFAULT_WIDTH,
              samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED, convention: str = "torch") -> SignalRun:
    """One scheme, one activation: forward and backward variances per layer."""
    return signal_report((scheme,), (activation,), depth, width, samples, seed, convention).runs[0]


def memory_estimate(depth: int, width: int, samples: int) -> int:
    """Bytes a report holds at once: one scheme's weights (depth x width^2), one run's slopes
    (depth x samples x width) and about six samples x width arrays (inputs, output gradient,
    z, h, temporaries), all float64."""
    return 8 * (depth * width * width + depth * samples * width + 6 * samples * width)


def signal_report(schemes=DEFAULT_SCHEMES, activations=DEFAULT_ACTIVATIONS, depth: int = DEFAULT_DEPTH,
                  width: int = DEFAULT_WIDTH, samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED,
                  convention: str = "torch") -> SignalReport:
    """Every scheme x activation, on the same inputs and, per scheme, the same weights."""
    check_sizes(depth, width, samples)
    for activation in activations:
        get_activation(activation)
    budget.require_memory(memory_estimate(depth, width, samples),
                          f"a signal report of {depth} layers of width {width} with {samples} samples",
                          "lower --width, --samples or --depth")
    data = np.random.default_rng([seed, 0])
    x = data.standard_normal((samples, width))
    output_gradient = data.standard_normal((samples, width))
    runs = []
    total = len(schemes) * len(activations)
    for scheme in schemes:
        budget.phase(f"signal report: sampling {scheme} weights ({depth} layers of width {width})")
        weights = _weights(scheme, depth, width, seed, convention)
        for activation in activations:
            budget.phase(f"signal report: run {len(runs) + 1}/{total}, {scheme} with {activation}")
            act_var, grad_var, saturated = _propagate(weights, activation, x, output_gradient)
            runs.append(SignalRun(scheme, activation, tuple(act_var), tuple(grad_var),
                                  None if saturated is None else tuple(saturated)))
    return SignalReport(depth, width, samples, seed, convention, tuple(runs))


# ------------------------------------------------------------------ what the report concludes

#: Over the whole depth, a variance that changes by less than this factor either way is "kept".
KEPT_FACTOR = 10.0
#: A last layer with more than this fraction of saturated units is "saturated".
SATURATED = 0.5


@dataclass(frozen=True)
class SchemeOutcome:
    scheme: str
    std: float  # of the weights of one (width x width) layer under the report's convention
    bound: float | None
    forward: float  # Var(h_L) / Var(h_1)
    backward: float  # Var(dL/dz_1) / Var(dL/dz_L): what reaches layer 1 of what left layer L
    saturated: float | None  # at layer L

    @property
    def verdict(self) -> str:
        """keeps | vanishes | explodes | saturates (the worst of the forward and backward pass)."""
        if self.saturated is not None and self.saturated > SATURATED:
            return "saturates"
        worst = min(self.forward, self.backward), max(self.forward, self.backward)
        if worst[0] < 1 / KEPT_FACTOR:
            return "vanishes"
        if worst[1] > KEPT_FACTOR:
            return "explodes"
        return "keeps"


def scheme_std(scheme: str, width: int, convention: str = "torch", **parameters) -> tuple[float, float | None]:
    """The std and the bound (None if unbounded) of a square layer's weights."""
    initializer = make_initializer(scheme, (width, width), convention, **parameters)
    return initializer.std, initializer.bound


def outcome(run: SignalRun, width: int, convention: str, **parameters) -> SchemeOutcome:
    std, bound = scheme_std(run.scheme, width, convention, **parameters)
    act, grad = run.activation_variance, run.gradient_variance
    ratio = (lambda a, b: a / b if b > 0 else float("inf") if a > 0 else 1.0)
    return SchemeOutcome(run.scheme, std, bound, ratio(act[-1], act[0]), ratio(grad[0], grad[-1]),
                         None if run.saturation is None else run.saturation[-1])


def outcomes(report: SignalReport, activation: str) -> tuple[SchemeOutcome, ...]:
    return tuple(outcome(run, report.width, report.convention)
                 for run in report.runs if run.activation == activation)


def tanh_gain_run(report: SignalReport) -> tuple[float, SchemeOutcome]:
    """xavier_normal with PyTorch's recommended gain for tanh (calculate_gain('tanh') = 5/3), on the
    report's inputs: the fix for tanh's contraction of the variance."""
    gain = calculate_gain("tanh")
    data = np.random.default_rng([report.seed, 0])
    x = data.standard_normal((report.samples, report.width))
    output_gradient = data.standard_normal((report.samples, report.width))
    initializer = make_initializer("xavier_normal", (report.width, report.width), report.convention, gain=gain)
    rng = np.random.default_rng([report.seed, 1])
    weights = [initializer.sample(rng) for _ in range(report.depth)]
    act_var, grad_var, saturated = _propagate(weights, "tanh", x, output_gradient)
    run = SignalRun("xavier_normal", "tanh", tuple(act_var), tuple(grad_var), tuple(saturated))
    return gain, outcome(run, report.width, report.convention, gain=gain)


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def factor(value: float) -> str:
    """×0.61, ×22, ×6.4·10⁻³¹: two significant digits, powers of ten written out (no e-notation)."""
    if value == 0 or 1e-3 <= abs(value) < 1e4:
        return f"×{float(f'{value:.2g}'):g}"  # 3494 -> 3500, never 3.5e+03
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"×{mantissa}·10{str(int(exponent)).translate(_SUPERSCRIPTS)}"


def _spread(o: SchemeOutcome) -> str:
    return f"forward {factor(o.forward)}, backward {factor(o.backward)}"


def conclusion(report: SignalReport, activation: str) -> str:
    """What the measurements say for one activation, in one paragraph, chosen from the numbers."""
    found = outcomes(report, activation)
    groups: dict[str, list[SchemeOutcome]] = {}
    for o in found:
        groups.setdefault(o.verdict, []).append(o)
    parts = []
    words = {"keeps": "Signal kept by", "vanishes": "Signal vanishes with", "explodes": "Signal explodes with",
             "saturates": "Units saturate with"}
    for verdict in ("keeps", "vanishes", "explodes", "saturates"):
        members = groups.get(verdict, [])
        if not members:
            continue
        listed = "; ".join(f"{o.scheme} ({_spread(o)}"
                           + (f", {o.saturated:.0%} of the units of layer {report.depth} saturated)"
                              if verdict == "saturates" else ")") for o in members)
        parts.append(f"{words[verdict]}: {listed}")
    text = f"{activation}: " + ". ".join(parts) + "."
    if "keeps" not in groups:
        text += " No scheme of this report keeps both passes within a factor of " \
                f"{KEPT_FACTOR:g} at this depth."
        if activation == "sigmoid":
            text += " The slope of the sigmoid is at most 1/4, so every layer shrinks the gradient."
    if activation == "tanh":
        gain, fixed = tanh_gain_run(report)
        shown = "5/3" if abs(gain - 5 / 3) < tolerances.KNOWN_CONSTANT else f"{gain:.4g}"
        text += (f" PyTorch's gain for tanh, calculate_gain('tanh') = {shown}, multiplies xavier_normal's "
                 f"std by {shown} (to {fixed.std:.3g}) to undo tanh's contraction: {_spread(fixed)}.")
    return text
