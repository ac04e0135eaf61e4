"""The uninterpreted activation f gets numbers from one stand-in (``GENERIC_STAND_IN``): its
NumPy forms are the stand-in's very functions and exact evaluation computes f and f' from the
stand-in's SymPy forms, so changing the stand-in changes every route alike."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from symcheck.exact import evaluation
from symcheck.exact.evaluation import evaluate
from symcheck.exact.recheck import confirmed_by_sympy
from symcheck.general.structure import sigma, sigma_prime
from symcheck.model.activation_forms import ACTIVATION_FORMS, GENERIC_STAND_IN
from symcheck.model.activations import f, f_prime, get_activation

Z = sp.Symbol("z")
POINTS = [sp.Rational(-7, 3), sp.Rational(0), sp.Rational(1, 5), sp.Rational(9, 2)]


def test_f_numeric_forms_are_the_stand_ins_objects():
    stand_in, generic = ACTIVATION_FORMS[GENERIC_STAND_IN], ACTIVATION_FORMS["f"]
    assert generic.numeric is stand_in.numeric
    assert generic.numeric_derivative is stand_in.numeric_derivative
    assert GENERIC_STAND_IN in generic.convention


@pytest.mark.parametrize("point", POINTS)
def test_exact_evaluation_of_f_is_the_stand_ins_symbolic_forms(point):
    stand_in = get_activation(GENERIC_STAND_IN)
    for generic, form in ((f, stand_in.symbolic), (f_prime, stand_in.derivative)):
        assert evaluate(generic(Z), {Z: point}) == evaluate(form(Z), {Z: point})
    # and the NumPy forms agree with them to float precision
    x = float(point)
    assert float(evaluate(f(Z), {Z: point})) == pytest.approx(float(ACTIVATION_FORMS["f"].numeric(np.float64(x))))
    assert float(evaluate(f_prime(Z), {Z: point})) == pytest.approx(
        float(ACTIVATION_FORMS["f"].numeric_derivative(np.float64(x))))


def test_changing_the_stand_in_changes_exact_evaluation(monkeypatch):
    # the exact route follows the table: a stand-in of sigmoid's forms evaluates f as sigmoid
    sigmoid = get_activation("sigmoid")
    for name, form in (("f", sigmoid.symbolic), ("f_prime", sigmoid.derivative)):
        monkeypatch.setitem(evaluation.FUNCTIONS, name, evaluation.stand_in_function(form))
    point = sp.Rational(1, 3)
    with mpmath.workdps(30):
        expected = 1 / (1 + mpmath.exp(-mpmath.mpf(1) / 3))
        slope = expected * (1 - expected)
    assert abs(evaluate(f(Z), {Z: point}) - expected) < mpmath.mpf(10) ** -25
    assert abs(evaluate(f_prime(Z), {Z: point}) - slope) < mpmath.mpf(10) ** -25


@pytest.mark.parametrize("point", POINTS)
def test_every_exact_route_and_numpy_give_the_uninterpreted_activation_the_same_values(point):
    """symcheck's f and the general proof's sigma, and their derivatives, have one stand-in:
    the DAG evaluator, SymPy's re-check and the NumPy forms agree on each at every point."""
    stand_in = ACTIVATION_FORMS[GENERIC_STAND_IN]
    for functions, numeric in (((f, sigma), stand_in.numeric), ((f_prime, sigma_prime), stand_in.numeric_derivative)):
        expected = float(numeric(np.array([float(point)]))[0])
        for function in functions:
            assert abs(float(evaluate(function(Z), {Z: point})) - expected) < 1e-14, function
            # the re-check computes the same number: equal to it, and unequal to it plus 1e-12
            reference = sp.Float(evaluate(function(Z), {Z: point}), 60)
            assert not confirmed_by_sympy(function(Z), reference, {Z: point}), function
            assert confirmed_by_sympy(function(Z), reference + sp.Float("1e-12"), {Z: point}), function
