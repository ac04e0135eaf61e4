"""The two halves of ``model/``: the numeric forms (``activation_forms``, ``loss_forms``, the
update rules of ``optimizers``; no SymPy, what the oracle uses) and the SymPy forms added to them
(``activations``, ``losses``, ``optimizer_symbols``)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symcheck.errors import InvalidSpec
from symcheck.model.activation_forms import ACTIVATION_FORMS, get_activation_forms, registered
from symcheck.model.activations import ACTIVATIONS, get_activation
from symcheck.model.loss_forms import LOSS_FORMS
from symcheck.model.losses import LOSSES
from symcheck.model.optimizer_symbols import LEARNING_RATE, hyper_symbols
from symcheck.model.optimizers import OPTIMIZERS, get_optimizer, pmap
from symcheck.model.safe_expr import custom_from_text
from symcheck.model.spec import MLP
from symcheck.oracle import numeric, replay, tolerances


@pytest.mark.parametrize("registry, forms", [(ACTIVATIONS, ACTIVATION_FORMS), (LOSSES, LOSS_FORMS)])
def test_every_built_in_name_has_one_numeric_form_and_a_symbolic_one(registry, forms):
    assert set(registry) == set(forms)
    for name, entry in registry.items():
        numeric_part = forms[name]
        assert isinstance(entry, type(numeric_part))  # the SymPy entry extends the numeric one
        # the numeric forms are defined once: the SymPy entry carries the same functions
        assert entry.numeric is numeric_part.numeric
        assert vars(numeric_part).items() <= vars(entry).items()
        assert callable(entry.symbolic)


def test_a_custom_activation_is_known_to_both_routes_only_inside_its_block():
    swish = custom_from_text("swish", "x * sigmoid(x)")
    with pytest.raises(InvalidSpec, match="activation"):
        MLP((2, 2, 1), "swish", "mse")
    with registered(swish):
        spec = MLP((2, 2, 1), "swish", "mse")
        assert get_activation("swish") is swish and get_activation_forms("swish") is swish
        z = sp.Symbol("z", real=True)
        assert get_activation("swish").symbolic(z) == z * ACTIVATIONS["sigmoid"].symbolic(z)
        # the NumPy route (lambdified forms) and the replay (the checked syntax tree) agree
        rng = np.random.default_rng(0)
        params = {name: rng.uniform(-1, 1, spec.parameter_shape(name)) for name in spec.parameter_names}
        x, y = np.array([0.5, -0.25]), np.array([0.75])
        reference = numeric.backprop(spec, params, x, y).gradients
        to_mp = lambda value: replay.MPMATH.number(Fraction(value))  # noqa: E731
        replayed = replay.gradients(
            spec, {name: _nested(to_mp, value.tolist()) for name, value in params.items()},
            [to_mp(v) for v in x], [to_mp(v) for v in y], replay.MPMATH)
        sizes = numeric.gradient_magnitudes(spec, params, x, y)[1]
        for name in spec.parameter_names:
            exact = np.array(_nested(float, replayed[name]), dtype=float)
            assert numeric.worst_gap(exact, reference[name], sizes[name]) <= tolerances.SAME_FORMULA
    with pytest.raises(InvalidSpec):
        get_activation("swish")
    assert "swish" not in ACTIVATION_FORMS


def _nested(fn, value):
    return tuple(_nested(fn, v) for v in value) if isinstance(value, (list, tuple)) else fn(value)


def test_a_custom_activation_cannot_take_a_built_in_name():
    with pytest.raises(InvalidSpec, match="built in"):
        custom_from_text("relu", "x * sigmoid(x)")


def test_the_rules_evaluate_equal_sympy_entries_once_and_every_number_on_its_own():
    calls = []

    def negate(value):
        calls.append(value)
        return -value

    u = sp.Symbol("u")
    assert pmap(negate, {"W1": ((u, u), (u, u))}) == {"W1": ((-u, -u), (-u, -u))}
    assert len(calls) == 1  # a tied block of SymPy entries is one evaluation
    calls.clear()
    stepped = pmap(negate, {"b1": (0.0, -0.0)})["b1"]
    assert len(calls) == 2  # 0.0 == -0.0 as keys, but their negations differ in sign
    assert [math.copysign(1.0, v) for v in stepped] == [-1.0, 1.0]


def test_the_symbolic_learning_rate_is_the_eta_of_every_rule():
    spec = MLP((2, 3, 1), "tanh", "mse")
    for name, optimizer in OPTIMIZERS.items():
        symbols = hyper_symbols(optimizer, spec)
        assert symbols["eta"] == LEARNING_RATE, name
        assert set(symbols) >= {hyper for hyper, _ in optimizer.hyper}
    per_unit = hyper_symbols(get_optimizer("per_unit_lr"), spec)["eta_unit"]
    assert sorted(per_unit) == [(1, 0), (1, 1), (1, 2)] and all(s.is_positive for s in per_unit.values())
