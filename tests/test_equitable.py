"""Coarsest equitable partitions, dead units and the quotient network (NumPy side)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symcheck import MLP
from symcheck.oracle import numeric
from symcheck.functional.equitable import (coarsest_equitable, dead_units, exact_parameters, is_equitable,
                                per_entry_gradient, quotient)
from symcheck.initialization.inits import Init
from symcheck.initialization.patterns import parse_init
from symcheck.functional.quotient_check import float_ties, tie_drift, train_side_by_side
from symcheck.oracle.ties import BITWISE
from symcheck.induction.twins import twin_classes

MAGIC = np.array([[2, 7, 6], [9, 5, 1], [4, 3, 8]], dtype=float)


def identity_init(middle):
    return {"W1": np.full((3, 2), 0.3), "b1": np.zeros(3), "W2": middle, "b2": np.zeros(3),
            "W3": np.full((1, 3), 0.5), "b3": np.zeros(1)}


def partition_of(spec, values):
    return coarsest_equitable(spec, exact_parameters(spec, values))


SPEC = MLP((2, 3, 3, 1), "tanh", "mse")


@pytest.mark.parametrize("middle", [np.eye(3), MAGIC / 16], ids=["identity", "magic-square"])
def test_tied_without_equal_weights(middle):
    p = partition_of(SPEC, identity_init(middle))
    assert p.layers == (((0, 1, 2),), ((0, 1, 2),))
    assert twin_classes(SPEC, {k: tuple(map(tuple, np.atleast_2d(v))) if v.ndim == 2 else tuple(v)
                               for k, v in identity_init(middle).items()}).effective_widths == (3, 3)


def test_a_middle_layer_with_unequal_row_sums_splits():
    middle = MAGIC.copy()
    middle[0, 0] += 1  # row 0 sums to 16, the others to 15
    p = partition_of(SPEC, identity_init(middle))
    # rows: layer 2 splits {0}, {1, 2}; column 0 then sums differently, so layer 1 splits
    # {0}, {1, 2}; then rows 1 and 2 differ on the class {1, 2} (6 vs 11): all distinct
    assert p.layers == (((0,), (1,), (2,)), ((0,), (1,), (2,)))
    assert is_equitable(SPEC, exact_parameters(SPEC, identity_init(middle)), p)


def test_float_values_are_compared_exactly():
    spec = MLP((1, 2, 2, 1), "tanh", "mse")
    tiny = 1e-17  # 1.0 + tiny rounds to 1.0 in float64, but the exact sums differ
    values = {"W1": np.ones((2, 1)), "b1": np.zeros(2), "W2": np.array([[1.0, tiny], [tiny, 1.0]]),
              "b2": np.zeros(2), "W3": np.ones((1, 2)), "b3": np.zeros(1)}
    assert partition_of(spec, values).layers == (((0, 1),), ((0, 1),))
    values["W2"] = np.array([[1.0, tiny], [1.0, 0.0]])
    assert float(np.sum(values["W2"][0])) == float(np.sum(values["W2"][1]))
    assert partition_of(spec, values).layers == (((0,), (1,)), ((0,), (1,)))


def test_exact_rationals_tie_rows_with_equal_sums():
    spec = MLP((1, 2, 2, 1), "tanh", "mse")
    q = Fraction
    values = {"W1": ((q(1),), (q(1),)), "b1": (q(0), q(0)),
              "W2": ((q(1, 3), q(2, 3)), (q(2, 3), q(1, 3))), "b2": (q(0), q(0)),
              "W3": ((q(1, 7), q(1, 7)),), "b3": (q(0),)}
    assert partition_of(spec, values).layers == (((0, 1),), ((0, 1),))
    values["W2"] = ((q(1, 3), q(2, 3)), (q(1, 2), q(1, 3)))
    assert partition_of(spec, values).layers == (((0,), (1,)), ((0,), (1,)))


def test_symbolic_constants_give_one_class_per_layer():
    spec = MLP((3, 4, 4, 2), "tanh", "mse")
    assert partition_of(spec, Init("constant").values(spec)).layers == (((0, 1, 2, 3),), ((0, 1, 2, 3),))


@pytest.mark.parametrize("seed", range(6))
def test_twin_classes_refine_the_equitable_partition(seed):
    spec = MLP((2, 4, 4, 1), "tanh", "mse")
    values = parse_init("W1=random,W2=0,W3=random,b=0", seed).values(spec)
    twins = twin_classes(spec, values)
    equitable = partition_of(spec, values)
    for fine, coarse in zip(twins.layers, equitable.layers):
        for group in fine:
            assert any(set(group) <= set(c) for c in coarse)


def test_dead_relu_units():
    spec = MLP((2, 3, 2, 1), "relu", "mse")
    values = {"W1": np.zeros((3, 2)), "b1": np.array([-1.0, 0.0, 0.5]),
              # layer-2 unit 0 reads only dead units; unit 1 reads the live unit 2
              "W2": np.array([[4.0, -2.0, 0.0], [1.0, 0.0, 3.0]]), "b2": np.array([-0.25, -1.0]),
              "W3": np.ones((1, 2)), "b3": np.zeros(1)}
    assert dead_units(spec, exact_parameters(spec, values)) == ((0, 1), (0,))
    for activation in ("leaky_relu", "elu", "gelu", "softplus", "tanh", "sigmoid", "identity"):
        other = MLP((2, 3, 2, 1), activation, "mse")
        assert dead_units(other, exact_parameters(other, values)) == ((), ())


def test_quotient_gradient_is_the_per_entry_gradient():
    values = identity_init(MAGIC / 16)
    q = quotient(SPEC, values, partition_of(SPEC, values))
    x, y = np.array([0.4, -0.7]), np.array([0.2])
    big = numeric.backprop(SPEC, values, x, y).gradients
    small = per_entry_gradient(q, numeric.backprop(q.spec, q.params, x, y).gradients)
    assert np.allclose(big["W2"], small["W2"][0, 0], rtol=1e-14, atol=0)
    assert np.allclose(big["W1"], small["W1"][0][np.newaxis, :], rtol=1e-14, atol=0)
    assert np.allclose(big["b1"], small["b1"][0], rtol=1e-14, atol=0)
    assert np.allclose(big["W3"], small["W3"][0, 0], rtol=1e-14, atol=0)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "rmsprop", "adam", "weight_decay",
                                       "adamw", "minibatch"])
@pytest.mark.parametrize("middle", [np.eye(3), MAGIC / 16], ids=["identity", "magic-square"])
def test_quotient_trains_like_the_network(optimizer, middle):
    values = identity_init(middle)
    q = quotient(SPEC, values, partition_of(SPEC, values))
    run = train_side_by_side(SPEC, optimizer, values, q, steps=100)
    assert run.max_loss_difference < 1e-12
    assert abs(run.big_losses[-1] - run.big_losses[0]) > 1e-3  # training did something


def test_unequal_class_sizes_enter_the_quotient():
    """Two classes of sizes 1 and 2 in layer 1: the factors |B| / |A| matter."""
    spec = MLP((2, 3, 2, 1), "sigmoid", "mse")
    values = {"W1": np.array([[0.5, -0.25], [1.0, 0.75], [1.0, 0.75]]), "b1": np.array([0.1, -0.2, -0.2]),
              "W2": np.array([[0.5, 0.25, 0.75], [0.5, 0.75, 0.25]]), "b2": np.zeros(2),
              "W3": np.array([[1.5, 1.5]]), "b3": np.zeros(1)}
    p = partition_of(spec, values)
    assert p.layers == (((0,), (1, 2)), ((0, 1),))
    q = quotient(spec, values, p)
    assert q.params["W2"].tolist() == [[0.5, 1.0]]
    run = train_side_by_side(spec, "adam", values, q, steps=100)
    assert run.max_loss_difference < 1e-12
    # a wrong quotient (class sizes ignored) does not reproduce the losses
    wrong = quotient(spec, values, p)
    wrong = type(wrong)(wrong.spec, wrong.partition, wrong.params, tuple(np.ones_like(s) for s in wrong.sizes))
    assert train_side_by_side(spec, "sgd", values, wrong, steps=20).max_loss_difference > 1e-6


def test_float_ties_of_twins_are_bitwise_and_functional_ties_are_measured():
    values = identity_init(np.full((3, 3), 0.25))
    p = partition_of(SPEC, values)
    assert float_ties(SPEC, "adam", p, values, steps=30).level == BITWISE
    drifted = identity_init(MAGIC / 16)
    assert tie_drift(SPEC, p, drifted) == 0.0
    broken = identity_init(MAGIC / 16 + np.diag([0.5, 0, 0]))
    assert tie_drift(SPEC, p, broken) > 0.01


@pytest.mark.parametrize("init", ["W1=random,W2=0,W3=random,b=0", "constant", "W=0,b=random", "W1=1,W2=random,W3=1,b=0",
                                  "random"])
@pytest.mark.parametrize("seed", range(3))
def test_twin_partition_from_integers_is_the_twin_classes(init, seed):
    from symcheck.functional.equitable import twin_partition

    spec = MLP((2, 4, 4, 1), "tanh", "mse")
    values = parse_init(init, seed).values(spec)
    assert twin_partition(spec, exact_parameters(spec, values)).layers == twin_classes(spec, values).layers


def test_outgoing_sums_over_many_rows_do_not_wrap_int64():
    # layer 1's two units: outgoing column sums 4096 and 4096 * 2^-5 (float64), 4096 and
    # 4096 * 2^-52 (rationals); the sums run down the 4096 rows of W2, which the int64 bound
    # must count (counting the 2 columns, they wrapped to equal sums)
    spec = MLP((1, 2, 4096, 1), "tanh", "mse")
    W2 = np.empty((4096, 2))
    W2[:, 0], W2[:, 1] = 1.0, 2.0 ** -5
    values = {"W1": np.full((2, 1), 0.5), "b1": np.zeros(2), "W2": W2, "b2": np.zeros(4096),
              "W3": np.full((1, 4096), 0.25), "b3": np.zeros(1)}
    assert partition_of(spec, values).effective_widths == (2, 1)
    rationals = {k: (tuple(tuple(Fraction(x) for x in row) for row in v) if v.ndim == 2
                     else tuple(Fraction(x) for x in v)) for k, v in values.items()}
    rationals["W2"] = tuple((Fraction(1), Fraction(1, 2 ** 52)) for _ in range(4096))
    assert partition_of(spec, rationals).effective_widths == (2, 1)


@pytest.mark.parametrize("seed", range(40))
def test_recheck_partition_agrees_with_refinement(seed):
    from symcheck.functional.equitable import recheck_partition

    rng = np.random.default_rng(seed)
    spec = MLP((2,) + tuple(int(n) for n in rng.integers(2, 5, size=2)) + (1,), "tanh", "mse")
    values = {}
    for name in spec.parameter_names:
        shape = spec.parameter_shape(name)
        values[name] = (np.ones(shape) if rng.random() < 0.4 else rng.choice([-1.0, 0.0, 1.0, 2.0], size=shape))
    assert recheck_partition(spec, values).layers == partition_of(spec, values).layers


def test_large_exact_integers_round_once_to_float():
    from symcheck.functional.equitable import _to_float

    ints = np.array([3, 2 ** 80 + 1, -7, 10 ** 30, 2 ** 1100 + 1], dtype=object)[:, np.newaxis]
    for scale in (Fraction(1, 2 ** 1100), Fraction(3, 2 ** 1099)):
        expected = [float(Fraction(int(v)) * scale) for v in ints[:, 0]]
        assert _to_float(ints, scale).tolist() == expected
