"""Route (a), route (b), NumPy and finite differences must all agree.

Tolerances: the lambdified symbolic gradient and the NumPy backprop evaluate
the same formulas in float64 in different orders, so they agree to a few ulps
(relative 1e-9 leaves room for deep chains). Central finite differences with
step h = 1e-6 have truncation error O(h^2 |L'''|) ~ 1e-12 and rounding error
O(eps |L| / h) ~ 1e-10; 1e-5 relative to max(1, |g|) is far above both and far
below the O(1) errors of any wrong rule."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from symcheck import MLP, backprop, diff_gradients, generic_parameters
from symcheck.oracle import numeric
from symcheck.oracle.training import train
from symcheck.model.activations import ACTIVATIONS, sigmoid
from symcheck.symbolic.backprop import data_symbols
from symcheck.symbolic.crosscheck import compare_gradients
from symcheck.exact.decide import decide_equal
from symcheck.exact.verdict import PROVED

from strategies import networks, random_point

FD_TOLERANCE = 1e-5


def _flat(value):
    return [e for row in value for e in row] if isinstance(value[0], tuple) else list(value)


def assert_routes_agree_exactly(spec):
    params = generic_parameters(spec)
    x, y = data_symbols(spec)
    recursion = backprop(spec, params, x, y).gradients
    direct = diff_gradients(spec, params, x, y)
    for name in spec.parameter_names:
        for a, b in zip(_flat(recursion[name]), _flat(direct[name])):
            assert decide_equal(a, b).status == PROVED, (name, a, b)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("loss", ["mse", "bce", "ce"])
def test_recursion_equals_direct_differentiation_exactly(activation, loss):
    assert_routes_agree_exactly(MLP((2, 2, 2), activation, loss))


def test_two_layer_recursion_matches_direct_differentiation():
    assert_routes_agree_exactly(MLP((2, 2, 2, 1), "sigmoid", "bce"))


def test_seed_example_output_gradient_is_a3_minus_y_times_a1():
    """The 2-2-1 sigmoid/BCE network: dW2[0, c] = (sigmoid(o) - y) h1[c]."""
    spec = MLP((2, 2, 1), "sigmoid", "bce")
    params = generic_parameters(spec)
    x, y = data_symbols(spec)
    result = backprop(spec, params, x, y)
    o = result.forward.output[0]
    h1 = result.forward.h[1]
    assert result.output_gradient[0] == sigmoid(o) - y[0]
    assert result.gradients["W2"][0][0] == (sigmoid(o) - y[0]) * h1[0]
    assert result.gradients["W2"][0][1] == (sigmoid(o) - y[0]) * h1[1]


@given(spec=networks(), seed=st.integers(0, 2**32 - 1))
def test_symbolic_numpy_and_finite_differences_agree(spec, seed):
    params, xs, ys = random_point(spec, seed)
    symbols = generic_parameters(spec)
    x, y = data_symbols(spec)
    gradients = backprop(spec, symbols, x, y).gradients
    flat_symbols = [s for name in spec.parameter_names for s in _flat(symbols[name])]
    values = np.concatenate([params[name].ravel() for name in spec.parameter_names])
    comparison = compare_gradients(spec, symbols, gradients, flat_symbols, x, y, [(values, xs, ys)])
    assert comparison.passed, comparison
    reference = numeric.backprop(spec, params, xs, ys).gradients
    finite = numeric.finite_difference_gradients(spec, params, xs, ys)
    for name in spec.parameter_names:
        scale = max(1.0, float(np.max(np.abs(reference[name]))))
        assert np.max(np.abs(finite[name] - reference[name])) <= FD_TOLERANCE * scale, name


@given(spec=networks(), seed=st.integers(0, 2**32 - 1), steps=st.integers(1, 6),
       constant=st.floats(-1, 1, allow_nan=False), lr=st.floats(0.001, 1.0))
def test_gradient_descent_from_constant_init_keeps_the_invariants_bitwise(spec, seed, steps, constant, lr):
    """In float64 the tied entries stay *bitwise* equal: each is produced by the
    same sequence of IEEE 754 operations on identical operands, and IEEE
    arithmetic is deterministic, so no tolerance is needed (or allowed)."""
    rng = np.random.default_rng(seed)
    params = {name: np.full(spec.parameter_shape(name), constant) for name in spec.parameter_names}
    xs = [rng.uniform(-1, 1, spec.input_width) for _ in range(3)]
    _, _, ys0 = random_point(spec, seed)
    ys = [ys0] * 3
    with np.errstate(all="ignore"):  # lr up to 1 may diverge
        final = train(spec, "sgd", params, steps, examples=[list(zip(xs, ys))] * steps, learning_rate=lr)[-1]
    # a run that overflowed everywhere would be "tied" trivially: it says nothing
    assume(all(np.isfinite(value).any() for value in final.values()))
    for i in range(1, spec.depth + 1):
        W, b = final[f"W{i}"], final[f"b{i}"]
        assert _tied(W, W[0]), f"W{i} rows differ"
        assert _tied(b, b[0]), f"b{i} entries differ"
    for i in range(2, spec.depth + 2):
        W = final[f"W{i}"]
        assert _tied(W, W[:, :1]), f"W{i} columns differ"


def _tied(values, reference) -> bool:
    """Bitwise equal; a diverging run (lr = 1 on an identity network) may overflow
    to inf - inf = NaN, and NaN produced by identical operations is still tied."""
    values, reference = np.broadcast_arrays(values, reference)
    return bool(np.all((values == reference) | (np.isnan(values) & np.isnan(reference))))
