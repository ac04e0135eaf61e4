"""Coarsest equitable partitions, dead units and the quotient network (NumPy side)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symcheck import MLP
from symcheck import numeric
from symcheck.equitable import (coarsest_equitable, dead_units, exact_parameters, is_equitable,
                                per_entry_gradient, quotient)
from symcheck.inits import Init
from symcheck.patterns import parse_init
from symcheck.quotient_check import BITWISE, float_ties, tie_drift, train_side_by_side
from symcheck.twins import twin_classes

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
    from symcheck.equitable import twin_partition

    spec = MLP((2, 4, 4, 1), "tanh", "mse")
    values = parse_init(init, seed).values(spec)
    assert twin_partition(spec, exact_parameters(spec, values)).layers == twin_classes(spec, values).layers
