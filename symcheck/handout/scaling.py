"""Initialization scales for the handout: the variance rules, exactly, per layer,
and a measurement of why large random values hurt sigmoid/tanh units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..model.activations import get_activation
from ..model.spec import MLP
from ..initialization.variance import derived_rules

@dataclass(frozen=True)
class LayerScales:
    layer: int
    fan_in: int
    fan_out: int
    lecun: sp.Rational  # Var(W) = 1 / fan_in (the derivations of symcheck.initialization.variance)
    xavier: sp.Rational  # 2 / (fan_in + fan_out)
    he: sp.Rational  # 2 / fan_in

    @staticmethod
    def of(layer: int, fan_in: int, fan_out: int) -> "LayerScales":
        """The rules as ``symcheck.initialization.variance`` derived them, at this layer's fans."""
        rules = derived_rules()
        fan_avg = sp.Rational(fan_in + fan_out, 2)
        # the derived scales are rationals, so these quotients are exact already
        return LayerScales(layer, fan_in, fan_out, rules.lecun_scale / fan_in, rules.xavier_scale / fan_avg,
                           rules.he_scale / fan_in)


def layer_scales(spec: MLP) -> tuple[LayerScales, ...]:
    """W_i is (n_i x n_{i-1}): fan_in = n_{i-1}, fan_out = n_i."""
    return tuple(LayerScales.of(i, spec.widths[i - 1], spec.widths[i]) for i in spec.layers)


@dataclass(frozen=True)
class Saturation:
    activation: str
    fan_in: int
    std: float
    mean_slope: float  # mean sigma'(z) over units and inputs, relative to sigma'(0)


SATURATION_FAN_IN = 256
SATURATION_STDS = (0.01, 1.0 / 16, 1.0, 10.0)


def saturation(activation: str = "sigmoid", fan_in: int = SATURATION_FAN_IN, stds=SATURATION_STDS,
               samples: int = 2000, seed: int = 0) -> tuple[Saturation, ...]:
    """z = W x for inputs x ~ N(0, 1): how much slope sigma'(z) is left, by init std.

    For sigmoid and tanh a large std pushes z into the flat tails, where
    sigma'(z) (and with it every gradient through the unit) is nearly 0."""
    act = get_activation(activation)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(fan_in, samples))
    reference = float(act.numeric_derivative(np.zeros(1))[0]) or 1.0
    found = []
    for std in stds:
        w = rng.normal(0.0, std, size=(64, fan_in))
        slope = float(np.mean(act.numeric_derivative(w @ x))) / reference
        found.append(Saturation(activation, fan_in, std, slope))
    return tuple(found)
