"""Unit tests of the numeric side: the float64 reference (``oracle.numeric``), the exact
replayer (``oracle.replay``), the one gradient-descent step (``optimizers.gradient_step``),
the one training loop (``oracle.training``) and the one tie check (``oracle.ties``)."""

from __future__ import annotations

import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy as sp

from symcheck.model.activation_forms import ACTIVATION_FORMS, GENERIC_STAND_IN
from symcheck.model.optimizers import get_optimizer, gradient_step, step, summed_gradient
from symcheck.model.spec import MLP
from symcheck.oracle import numeric, replay, ties, tolerances
from symcheck.oracle.training import FLOAT_OPS, float_run, numpy_gradient, sample_example, train, zero_state

NETWORKS = [((2, 3, 1), "tanh", "mse"), ((3, 2, 2, 2), "sigmoid", "ce"), ((2, 3, 2), "softplus", "bce"),
            ((2, 2, 2, 1), "gelu", "mse"), ((3, 4, 2), "elu", "ce")]


def point(spec: MLP, seed: int):
    rng = np.random.default_rng(seed)
    params = {name: rng.uniform(-1, 1, spec.parameter_shape(name)) for name in spec.parameter_names}
    x, y = sample_example(spec, rng)
    return params, x, y


# ------------------------------------------------------------- the reference

@pytest.mark.parametrize("widths, activation, loss", NETWORKS)
def test_reference_backprop_agrees_with_central_finite_differences(widths, activation, loss):
    spec = MLP(widths, activation, loss)
    params, x, y = point(spec, 3)
    gradients = numeric.backprop(spec, params, x, y).gradients
    assert numeric.finite_difference_gap(spec, params, x, y, gradients) <= tolerances.FINITE_DIFFERENCE


def test_finite_differences_see_a_wrong_gradient_entry():
    spec = MLP((2, 3, 1), "tanh", "mse")
    params, x, y = point(spec, 3)
    gradients = numeric.backprop(spec, params, x, y).gradients
    wrong = {**gradients, "W1": gradients["W1"] * np.array([[1.0, 1.0], [1.0, 1.001], [1.0, 1.0]])}
    assert numeric.finite_difference_gap(spec, params, x, y, wrong) > tolerances.FINITE_DIFFERENCE


def test_matvec_keeps_equal_rows_bitwise_equal():
    rng = np.random.default_rng(0)
    row = rng.uniform(-1, 1, 37)
    W = np.tile(row, (9, 1))
    out = numeric.matvec(W, rng.uniform(-1, 1, 37))
    assert np.all(out == out[0])


# ------------------------------------------------------------- the replayer

def _in(domain, array):
    """A float array as nested tuples of the domain's numbers (each float's exact value)."""
    return _map(lambda v: domain.number(Fraction(v)), _tuples(np.asarray(array).tolist()))


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _replayed(spec, params, x, y, domain):
    numbers = {name: _in(domain, value) for name, value in params.items()}
    return replay.gradients(spec, numbers, list(_in(domain, x)), list(_in(domain, y)), domain)


@pytest.mark.parametrize("widths, activation, loss, domain", [
    ((2, 3, 1), "relu", "mse", replay.FRACTION), ((3, 2, 2, 2), "leaky_relu", "mse", replay.FRACTION),
    ((2, 3, 1), "tanh", "mse", replay.MPMATH), ((3, 2, 2, 2), "sigmoid", "ce", replay.MPMATH),
    ((2, 3, 2), "softplus", "bce", replay.MPMATH), ((2, 2, 2, 1), "gelu", "mse", replay.MPMATH)])
def test_replayer_agrees_with_the_reference(widths, activation, loss, domain):
    spec = MLP(widths, activation, loss)
    params, x, y = point(spec, 5)
    replayed = _replayed(spec, params, x, y, domain)
    reference = numeric.backprop(spec, params, x, y).gradients
    sizes = numeric.gradient_magnitudes(spec, params, x, y)[1]
    for name in spec.parameter_names:
        exact = np.array([[float(v) for v in row] for row in replayed[name]] if name[0] == "W"
                         else [float(v) for v in replayed[name]])
        assert numeric.worst_gap(exact, reference[name], sizes[name]) <= tolerances.SAME_FORMULA, name


def test_the_generic_f_is_evaluated_as_its_one_stand_in_everywhere():
    generic, stand_in = MLP((2, 3, 1), "f", "mse"), MLP((2, 3, 1), GENERIC_STAND_IN, "mse")
    params, x, y = point(generic, 6)
    assert _replayed(generic, params, x, y, replay.MPMATH) == _replayed(stand_in, params, x, y, replay.MPMATH)
    z = np.linspace(-3, 3, 13)
    for form in ("numeric", "numeric_derivative"):
        assert np.array_equal(getattr(ACTIVATION_FORMS["f"], form)(z),
                              getattr(ACTIVATION_FORMS[GENERIC_STAND_IN], form)(z))


def test_replay_in_fractions_is_exact():
    spec = MLP((2, 2, 1), "relu", "mse")
    params = {"W1": ((Fraction(1, 2), Fraction(-1, 3)), (Fraction(1, 4), Fraction(1))),
              "b1": (Fraction(1, 5), Fraction(-1, 7)), "W2": ((Fraction(2), Fraction(-1, 2)),), "b2": (Fraction(0),)}
    grads = replay.gradients(spec, params, [Fraction(1), Fraction(2)], [Fraction(1, 2)], replay.FRACTION)
    # z1 = (1/2 - 2/3 + 1/5, 1/4 + 2 - 1/7) = (1/30, 59/28), both > 0; o = 2 (1/30) - (1/2)(59/28)
    delta = Fraction(1, 15) - Fraction(59, 56) - Fraction(1, 2)
    assert grads["b2"] == (delta,)
    assert grads["W2"] == ((delta * Fraction(1, 30), delta * Fraction(59, 28)),)
    assert grads["b1"] == (2 * delta, -delta / 2)
    assert all(isinstance(v, Fraction) for row in grads["W1"] for v in row)


# ----------------------------------------------- do two replayed values differ?

def _mp(text):
    with mpmath.workdps(replay.DIGITS):
        return mpmath.mpf(text)


def test_fractions_differ_exactly_however_large_or_small():
    big = Fraction(10) ** 50
    assert replay.values_differ(big, big + 1, replay.FRACTION)  # 1e-50 relative, still a difference
    assert replay.values_differ(Fraction(1, 10 ** 60), 0, replay.FRACTION)
    assert not replay.values_differ(big / 3, Fraction(10 ** 50, 3), replay.FRACTION)


@pytest.mark.parametrize("a, b, differ", [
    # large values: judged relative to themselves, not against an absolute 1e-40
    ("1e30", "1e30 + 1e-25", False),  # 1e-55 relative: 60-digit rounding, an absolute rule would confirm it
    ("1e50", "1.000000000000000000000000000000001e50", True),  # 1e-33 relative: a real difference
    ("-1e20", "-1.00000000000000000000000000002e20", True),  # a decider witness (>1e-30 relative) is confirmed
    # values of order 1 and below: judged against 1, the size of the terms they come from
    ("0.5", "0.5000000000000000000000000000000001", True),
    ("1e-50", "0", False),  # below the rounding of O(1) terms at 60 digits
    ("1e-30", "0", True),
    ("0", "0", False),
])
def test_mpmath_values_differ_relative_to_their_size(a, b, differ):
    left, right = _evaluate(a), _evaluate(b)
    assert replay.values_differ(left, right, replay.MPMATH) is differ
    assert replay.values_differ(right, left, replay.MPMATH) is differ


def _evaluate(text):
    """'1e30 + 1e-25' as a 60-digit mpmath number (the sum taken at 60 digits)."""
    with mpmath.workdps(replay.DIGITS):
        return mpmath.fsum(mpmath.mpf(term) for term in text.split(" + "))


@pytest.mark.parametrize("a, b", [("nan", "1"), ("nan", "nan"), ("inf", "1"), ("inf", "-inf"), ("-inf", "0")])
def test_nan_and_inf_never_differ(a, b):
    assert not replay.values_differ(mpmath.mpf(a), mpmath.mpf(b), replay.MPMATH)


def test_float_replays_are_not_compared_exactly():
    with pytest.raises(ValueError, match="tolerance"):
        replay.values_differ(0.1, 0.2, replay.FLOAT)


def test_live_witnesses_are_found_at_60_digits():
    """A tanh unit whose pre-activation is 1e-30 at the first input is live: its output is
    found nonzero, at 60 digits (1e-30 is far above their rounding, and below that of floats)."""
    spec = MLP((1, 2, 1), "tanh", "mse")
    values = {"W1": ((sp.Rational(1, 10 ** 30),), (sp.Integer(0),)), "b1": (sp.Integer(0), sp.Integer(0)),
              "W2": ((sp.Integer(1), sp.Integer(1)),), "b2": (sp.Integer(0),)}
    found = replay.live_witnesses(spec, values)
    assert set(found) == {(1, 0)}  # unit 1 of layer 1 outputs 0 at every input
    x, h = found[(1, 0)]
    assert x == (Fraction(1),) and abs(h - _mp("1e-30")) < _mp("1e-85")


# ------------------------------------------------------- the one SGD step

PARAMS = {"W1": ((Fraction(1, 2), Fraction(1)), (Fraction(-3), Fraction(2, 7))), "b1": (Fraction(1, 3), Fraction(0))}
GRADS = {"W1": ((Fraction(1), Fraction(-2)), (Fraction(5, 3), Fraction(0))), "b1": (Fraction(-1, 9), Fraction(4))}
ETA = Fraction(1, 4)
#: theta - eta g, worked out by hand
STEPPED = {"W1": ((Fraction(1, 4), Fraction(3, 2)), (Fraction(-41, 12), Fraction(2, 7))),
           "b1": (Fraction(13, 36), Fraction(-1))}


def _map(fn, value):
    return tuple(_map(fn, v) for v in value) if isinstance(value, tuple) else fn(value)


def test_the_step_is_theta_minus_eta_g_in_fractions():
    assert gradient_step(PARAMS, GRADS, ETA) == STEPPED


def test_the_step_gives_the_same_numbers_in_fractions_sympy_mpmath_and_floats():
    rational = lambda q: sp.Rational(q.numerator, q.denominator)  # noqa: E731
    symbolic = gradient_step({k: _map(rational, v) for k, v in PARAMS.items()},
                             {k: _map(rational, v) for k, v in GRADS.items()}, rational(ETA))
    assert symbolic == {k: _map(rational, v) for k, v in STEPPED.items()}
    with mpmath.workdps(60):
        mp = gradient_step({k: _map(replay.MPMATH.number, v) for k, v in PARAMS.items()},
                           {k: _map(replay.MPMATH.number, v) for k, v in GRADS.items()}, replay.MPMATH.number(ETA))
        for name in STEPPED:
            assert all(abs(a - replay.MPMATH.number(b)) < mpmath.mpf(10) ** -55
                       for a, b in zip(np.ravel(mp[name]), np.ravel(STEPPED[name])))
    floats = gradient_step({k: np.array(v, dtype=float) for k, v in PARAMS.items()},
                           {k: np.array(v, dtype=float) for k, v in GRADS.items()}, float(ETA))
    for name in STEPPED:
        exact = np.array(STEPPED[name], dtype=float)
        terms = np.abs(np.array(PARAMS[name], dtype=float)) + float(ETA) * np.abs(np.array(GRADS[name], dtype=float))
        assert numeric.worst_gap(floats[name], exact, terms) <= tolerances.ONE_STEP_TIE


def test_the_sgd_rule_of_step_is_the_one_step():
    spec = MLP((2, 2, 1), "tanh", "mse")
    params, x, y = point(spec, 1)
    gradient = numpy_gradient(spec)
    stepped, state = step(get_optimizer("sgd"), spec, params, {}, {"eta": 0.1}, lambda p: gradient(p, x, y), FLOAT_OPS)
    expected = gradient_step(params, gradient(params, x, y), 0.1)
    assert state == {} and all(np.array_equal(stepped[n], expected[n]) for n in spec.parameter_names)
    assert not np.array_equal(stepped["W1"], params["W1"])


# ---------------------------------------------------------- the training loop

@pytest.mark.parametrize("optimizer", ["sgd", "minibatch", "momentum", "adam", "clip", "dropout"])
def test_the_training_loop_is_repeated_optimizer_steps(optimizer):
    spec = MLP((2, 3, 2), "sigmoid", "bce")
    rule = get_optimizer(optimizer)
    start, _, _ = point(spec, 2)
    hyper = {"eta": 0.1, "mu": 0.9, "beta1": 0.9, "beta2": 0.99, "eps": 1e-8, "clip": 0.5}
    run = float_run(spec, rule, start, 4, seed=3, draw_hyper=lambda rng: {k: hyper[k] for k, _ in rule.hyper})
    params, state = start, zero_state(spec, rule)
    for examples, values, recorded in zip(run.examples, run.hyper, run.history[1:]):
        assert len(examples) == rule.examples
        params, state = step(rule, spec, params, state, values,
                             summed_gradient(numpy_gradient(spec), examples, sum), FLOAT_OPS)
        assert all(np.array_equal(np.asarray(params[n]), np.asarray(recorded[n])) for n in spec.parameter_names)
    assert len(run.history) == 5 and run.history[0] is start


def test_full_batch_training_steps_on_the_given_batch():
    spec = MLP((2, 2, 1), "tanh", "mse")
    start, _, _ = point(spec, 4)
    rng = np.random.default_rng(9)
    batch = [sample_example(spec, rng) for _ in range(3)]
    history = train(spec, "sgd", start, 2, examples=[batch] * 2, learning_rate=0.05)
    _, gradients = numeric.batch_gradients(spec, start, [x for x, _ in batch], [y for _, y in batch])
    first = gradient_step(start, gradients, 0.05)
    assert all(np.array_equal(history[1][n], first[n]) for n in spec.parameter_names)


def test_sample_example_draws_valid_targets_the_same_from_either_generator():
    for loss, low in (("mse", -1.0), ("bce", 0.0), ("ce", 0.0)):
        spec = MLP((3, 2, 2), "tanh", loss)
        x, y = sample_example(spec, np.random.default_rng(0))
        vector = np.random.default_rng(0)
        assert np.array_equal(x, vector.uniform(-1, 1, 3)) and np.array_equal(y, vector.uniform(low, 1, 2))
        assert np.all((low <= y) & (y <= 1))
        x2, _ = sample_example(spec, random.Random(0))
        assert x2.shape == (3,) and np.all(np.abs(x2) <= 1)


# ------------------------------------------------------------- the tie check

SPEC = MLP((2, 3, 1), "tanh", "mse")


def tied_params():
    return {"W1": np.tile([0.25, -1.5], (3, 1)), "b1": np.full(3, 0.125), "W2": np.full((1, 3), 0.75),
            "b2": np.array([0.5])}


def test_bitwise_equal_twins_are_tied():
    params = tied_params()
    assert ties.first_untied(SPEC, params) == ""
    assert ties.class_gap(ties.unit_vectors(SPEC, params, 1)) == 0.0
    assert ties.tie_level(0.0) == ties.BITWISE


@pytest.mark.parametrize("name, index, where", [("W1", (2, 1), "W1 rows differ"), ("b1", (1,), "b1 entries differ"),
                                                ("W2", (0, 2), "W2 columns differ")])
def test_one_ulp_unties_bitwise(name, index, where):
    params = tied_params()
    params[name][index] = np.nextafter(params[name][index], np.inf)
    assert ties.first_untied(SPEC, params) == where
    gap = ties.class_gap(ties.unit_vectors(SPEC, params, 1))
    assert 0 < gap <= tolerances.TIE_DRIFT and ties.tie_level(gap) == ties.TOLERANCE


def test_a_relative_difference_above_the_tolerance_is_not_tied():
    rows = np.array([[1e12, 1.0], [1e12 + 1, 1.0]])  # 1e-12 apart relative to themselves: within
    assert ties.tie_level(ties.class_gap(rows)) == ties.TOLERANCE
    small = np.array([[1e-3, 2.0], [1.001e-3, 2.0]])  # 1e-3 relative on the small entry: not tied,
    assert ties.tie_level(ties.class_gap(small)) == ties.NOT_KEPT  # though 1e-6 absolute
    assert ties.tie_level(ties.class_gap(small, floor=1e6)) == ties.TOLERANCE  # unless its terms are that big


def test_nan_is_never_tied():
    params = tied_params()
    params["W1"][:, 0] = np.nan  # every unit alike, but not a number
    assert ties.first_untied(SPEC, params) == "W1 rows differ"
    assert ties.class_gap(ties.unit_vectors(SPEC, params, 1)) == float("inf")
    assert ties.tie_level(float("nan")) == ties.NOT_KEPT


def test_inf_is_not_kept_to_a_tolerance():
    params = tied_params()
    params["b1"][:] = np.inf  # equal, so bitwise "tied"; no relative comparison can hold it
    assert ties.class_gap(ties.unit_vectors(SPEC, params, 1)) == float("inf")
    assert ties.tie_level(float("inf")) == ties.NOT_KEPT


# -------------------------------------------------------------- no SymPy

_PROBE = r"""
import importlib, importlib.util, pkgutil, sys, traceback, types
spec = importlib.util.find_spec("symcheck")
package = types.ModuleType("symcheck")  # symcheck/__init__ imports the whole API: keep it out
package.__path__ = list(spec.submodule_search_locations)
sys.modules["symcheck"] = package
importers = []

class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "sympy" and not importers:
            frames = [f.filename for f in traceback.extract_stack() if "/symcheck/" in f.filename]
            importers.append(frames[-1] if frames else "?")
        return None

sys.meta_path.insert(0, Watch())
import symcheck.oracle
for info in pkgutil.iter_modules(symcheck.oracle.__path__):
    importlib.import_module("symcheck.oracle." + info.name)
above = sorted(m for m in sys.modules if m.split(".")[1:2] and m.split(".")[1] in
               ("symbolic", "induction", "exact", "functional", "general", "handout", "render", "theorems", "cli"))
print("ABOVE", above)
print("SYMPY", "sympy" in sys.modules, importers)
"""


def _probe() -> dict:
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, cwd=root, check=True,
                         env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}).stdout
    return {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in out.splitlines()}


def test_oracle_imports_nothing_symbolic_and_sympy_only_through_the_model():
    """Every ``symcheck.oracle`` module, imported in a fresh interpreter: nothing from the layers
    above (symbolic, induction, exact, ...); SymPy, if at all, enters through ``symcheck.model``."""
    probe = _probe()
    assert probe["ABOVE"] == "[]"
    if probe["SYMPY"].startswith("True"):
        assert "/symcheck/model/" in probe["SYMPY"], probe["SYMPY"]


def test_oracle_never_imports_sympy():
    """The numeric routes are independent of the symbolic one only if they share nothing symbolic:
    importing every ``symcheck.oracle`` module leaves SymPy out of ``sys.modules``."""
    assert _probe()["SYMPY"] == "False []"


def test_gelu_keeps_its_digits_in_the_left_tail_in_every_number_system():
    """GELU(z) = z Phi(z) with Phi from erfc: at z = -17, Phi is about 1e-64, which the sum
    1 + erf(z / sqrt 2) cancels to nothing at 60 digits; each route must give the true value."""
    from symcheck.exact.evaluation import evaluate
    from symcheck.model.activations import gelu, get_activation

    with mpmath.workdps(100):
        exact_value = -17 * mpmath.ncdf(-17)
        exact_slope = mpmath.ncdf(-17) - 17 * mpmath.npdf(-17)
    x = sp.Symbol("x", real=True)
    sympy_value = gelu(sp.Integer(-17)).evalf(60)
    dag_value = evaluate(gelu(x), {x: sp.Integer(-17)})
    sympy_slope = get_activation("gelu").derivative(sp.Float(-17, 60))
    with mpmath.workdps(60):
        spec = MLP((1, 1, 1), "gelu", "mse")
        one = mpmath.mpf(1)
        params = {"W1": ((17 * one,),), "b1": (0 * one,), "W2": ((one,),), "b2": (0 * one,)}
        replayed = replay.gradients(spec, params, (-one,), (0 * one,), replay.MPMATH)
    float_value = ACTIVATION_FORMS["gelu"].numeric(np.array([-17.0]))[0]
    with mpmath.workdps(100):
        for value, digits in ((sympy_value, 50), (dag_value, 50), (float_value, 12)):
            assert abs(mpmath.mpf(str(value)) / exact_value - 1) < 10.0 ** -digits, value
        assert abs(mpmath.mpf(str(sympy_slope)) / exact_slope - 1) < 1e-50
        # dL/db2 = o - y with o = h1 = gelu(-17) (the network's one path has weight 1)
        assert abs(replayed["b2"][0] / exact_value - 1) < 1e-50


def _left_tail_routes(expression, x):
    """``expression`` (in the symbol ``x``) at x = -17 by the DAG evaluator and SymPy's evalf at 60
    digits, and by lambdify with symcheck's NumPy table in float64: (value, digits it must keep)."""
    from symcheck.exact.evaluation import evaluate
    from symcheck.model.activations import NUMPY_FUNCTIONS

    at_float = sp.lambdify(x, expression, modules=[NUMPY_FUNCTIONS, "numpy"])(np.array([-17.0]))[0]
    return ((evaluate(expression, {x: sp.Integer(-17)}), 50),
            (expression.xreplace({x: sp.Integer(-17)}).evalf(60), 50),
            (at_float, 12))


def test_gelu_slope_at_a_symbol_keeps_its_digits_in_the_left_tail():
    """gelu'(x) = Phi(x) + x phi(x) built at a symbol, then evaluated at x = -17: SymPy rewrites
    erfc(-u) as 2 - erfc(u) when u is symbolic, so Phi written with erfc came back as a difference
    that cancels (the DAG evaluator read -1.1907e-62 for -1.1866e-62, lambdify read 0); the one
    normal_cdf node keeps every digit in each evaluator."""
    from symcheck.model.activations import get_activation

    x = sp.Symbol("x", real=True)
    slope = get_activation("gelu").derivative(x)
    with mpmath.workdps(100):
        exact_slope = mpmath.ncdf(-17) - 17 * mpmath.npdf(-17)
        for value, digits in _left_tail_routes(slope, x):
            assert abs(mpmath.mpf(str(value)) / exact_slope - 1) < 10.0 ** -digits, value


def test_normal_cdf_at_a_symbol_keeps_its_digits_and_is_the_normal_distribution():
    from symcheck.model.activations import get_activation, normal_cdf

    x = sp.Symbol("x", real=True)
    phi = normal_cdf(x)
    with mpmath.workdps(100):
        exact = mpmath.ncdf(-17)  # about 4.1e-65
        for value, digits in _left_tail_routes(phi, x):
            assert abs(mpmath.mpf(str(value)) / exact - 1) < 10.0 ** -digits, value
        at_float = phi.xreplace({x: sp.Float(-17, 60)})  # a Float argument gives a Float at its precision
        assert at_float.is_Float and abs(mpmath.mpf(str(at_float)) / exact - 1) < 1e-50
    # far out, Phi's relative condition number x^2 (here 2e11) eats the digits of a rounded argument
    far = -10**6 * sp.sqrt(2) / 3
    with mpmath.workdps(200):
        exact = mpmath.ncdf(-10**6 * mpmath.sqrt(2) / 3)  # about 1.7e-48254942440
        assert abs(mpmath.mpf(str(normal_cdf(far).evalf(50))) / exact - 1) < 1e-48
    assert normal_cdf(sp.S.Zero) == sp.S.Half and phi.is_real
    # at a Float 0 (a concrete point): one half, not left unevaluated (mpmath.mag(0) is -inf)
    for half in (normal_cdf(sp.Float(0)), get_activation("gelu").derivative(sp.Float(0, 30))):
        assert half.is_Float and float(half) == 0.5, half
    assert sp.diff(phi, x) == sp.exp(-x**2 / 2) / sp.sqrt(2 * sp.pi)
    # the classical forms agree with it where they do not cancel
    for form in (phi.rewrite(sp.erfc), phi.rewrite(sp.erf)):
        assert abs(form.xreplace({x: sp.Rational(3, 7)}).evalf(60) - phi.xreplace({x: sp.Rational(3, 7)}).evalf(60)) \
            < sp.Float("1e-55")


def test_gelu_derivative_of_the_explicit_form_is_the_activation_tables():
    """The table's derivative of gelu is the derivative of gelu's explicit form x Phi(x)."""
    from symcheck.model.activations import gelu, get_activation, normal_cdf

    x = sp.Symbol("x", real=True)
    table = get_activation("gelu").derivative(x)
    # from the explicit form x Phi(x), not from gelu.fdiff, which is what the table calls
    assert sp.diff(gelu.explicit(x), x) == table
    assert table.has(normal_cdf) and not table.has(sp.erf, sp.erfc)


@pytest.mark.parametrize("name, point, exact", [
    ("softplus", sp.Integer(-200), lambda z: mpmath.log1p(mpmath.exp(z))),  # 1 + e^-200 rounds to 1
    ("elu", -sp.Rational(1, 10 ** 70), mpmath.expm1),  # e^z - 1 rounds to 0 near 0
])
def test_softplus_and_elu_keep_their_digits_where_a_naive_form_cancels(name, point, exact):
    from symcheck.exact.evaluation import evaluate
    from symcheck.model.activations import get_activation

    with mpmath.workdps(100):
        z = mpmath.mpf(point.p) / point.q
        expected = exact(z)
    x = sp.Symbol("x", real=True)
    function = get_activation(name).symbolic
    sympy_value = function(point).evalf(60)
    dag_value = evaluate(function(x), {x: point})
    with mpmath.workdps(60):
        replayed = replay.gradients(MLP((1, 1, 1), name, "mse"),
                                    {"W1": ((mpmath.mpf(1),),), "b1": (mpmath.mpf(0),),
                                     "W2": ((mpmath.mpf(1),),), "b2": (mpmath.mpf(0),)},
                                    (mpmath.mpf(z),), (mpmath.mpf(0),), replay.MPMATH)["b2"][0]
    float_value = ACTIVATION_FORMS[name].numeric(np.array([float(z)]))[0]
    with mpmath.workdps(100):
        for value, digits in ((sympy_value, 50), (dag_value, 50), (replayed, 50), (float_value, 12)):
            assert abs(mpmath.mpf(str(value)) / expected - 1) < 10.0 ** -digits, value
