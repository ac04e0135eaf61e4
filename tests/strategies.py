"""Hypothesis strategies for networks and numeric points."""

import numpy as np
from hypothesis import strategies as st

from symcheck.model.activations import ACTIVATIONS
from symcheck.oracle.training import sample_example
from symcheck.model.spec import MLP


@st.composite
def networks(draw, max_hidden=4, max_width=5, activations=tuple(ACTIVATIONS), losses=("mse", "bce", "ce")):
    depth = draw(st.integers(0, max_hidden))
    loss = draw(st.sampled_from(losses))
    min_out = 2 if loss == "ce" else 1
    widths = [draw(st.integers(1, max_width))]
    widths += [draw(st.integers(1, max_width)) for _ in range(depth)]
    widths.append(draw(st.integers(min_out, max(min_out, max_width))))
    return MLP(tuple(widths), draw(st.sampled_from(activations)), loss)


def random_point(spec: MLP, seed: int, scale: float = 1.0):
    """Parameters, x and y drawn from a seeded NumPy generator (valid targets for the loss)."""
    rng = np.random.default_rng(seed)
    params = {}
    for name in spec.parameter_names:
        params[name] = rng.uniform(-scale, scale, spec.parameter_shape(name))
    x, y = sample_example(spec, rng)
    return params, x, y
