"""The variance derivations: each final result, the truncated-normal constant to
30 digits (checked by an independent mpmath quadrature), and the structure a
printer needs (SymPy equations with a reason each)."""

import mpmath
import pytest
import sympy as sp

from symcheck.errors import DerivationError
from symcheck.initialization import variance as v
from symcheck.render.text import text
EXACT_TRUNCATION_30 = "0.879625661034239750412841419578"


def test_forward_recursion():
    n = sp.Symbol("n_{i-1}", positive=True, integer=True)
    assert v.forward_recursion().result == v.eq(v.Var(v.z_i), n * v.Var(v.W_i) * v.E(v.h_prev**2))


def test_backward_recursion():
    n = sp.Symbol("n_i", positive=True, integer=True)
    steps = v.backward_recursion().steps
    assert steps[3].equation.rhs == n * v.Var(v.W_i) * v.E(v.delta_i**2)


def test_relu_half_for_every_symmetric_density():
    assert v.relu_second_moment().result.rhs == v.Var(v.z) / 2


def test_relu_half_for_a_normal_law():
    check = v.relu_normal_check()
    sigma = sp.Symbol("sigma", positive=True)
    assert check.steps[1].equation.rhs == sigma**2 / 2


@pytest.mark.parametrize("law", [
    sp.Piecewise((sp.Rational(1, 2), (v.z >= -1) & (v.z <= 1)), (0, True)),  # U(-1, 1)
    sp.exp(-abs(v.z)) / 2,  # Laplace
])
def test_relu_half_derivation_instantiated_at_concrete_laws(law):
    """The derivation's own integrals for Var(z) and E[relu(z)^2], with its generic density p
    replaced by a concrete symmetric law, integrate to a ratio of 1/2."""
    steps = v.relu_second_moment().steps
    variance = next(s.equation.rhs for s in reversed(steps) if s.equation.lhs == v.Var(v.z))
    relu_z = sp.Function("relu")(v.z)
    moment = next(s.equation.rhs for s in steps if s.equation.lhs == v.E(relu_z**2))
    density = sp.Lambda(v.z, law)
    concrete = [sp.simplify(e.replace(v.density, density).doit()) for e in (moment, variance)]
    assert concrete[0] / concrete[1] == sp.Rational(1, 2)


def test_kappa_is_read_from_the_derivations():
    assert v._kappa("tanh") == 1 and v._kappa("relu") == sp.Rational(1, 2)
    assert sp.simplify(v._kappa("leaky_relu") - (1 + v.slope**2) / 2) == 0


def test_leaky_relu():
    assert sp.simplify(v.leaky_relu_second_moment().result.rhs - (1 + v.slope**2) / 2 * v.Var(v.z)) == 0
    assert v.leaky_relu_gain().result.rhs.subs(v.slope, 0) == sp.sqrt(2)


@pytest.mark.parametrize("derivation, expected", [
    (v.lecun_rule, 1 / v.fan_in),
    (v.he_rule, 2 / v.fan_in),
    (v.xavier_rule, 2 / (v.fan_in + v.fan_out)),
])
def test_scaling_rules(derivation, expected):
    assert sp.simplify(derivation().result.rhs - expected) == 0


def test_xavier_is_between_the_two_conditions():
    steps = v.xavier_rule().steps
    forward, backward, compromise = steps[0].equation.rhs, steps[1].equation.rhs, steps[-1].equation.rhs
    values = {v.fan_in: 100, v.fan_out: 400}
    assert backward.subs(values) < compromise.subs(values) < forward.subs(values)
    assert compromise.subs(v.fan_out, v.fan_in) == forward


def test_uniform_bound():
    value = sp.Symbol("v", positive=True)
    assert v.uniform_bound().result.rhs == sp.sqrt(3) * sp.sqrt(value)


def test_truncated_normal_constant_to_30_digits():
    exact = v.truncation_std_exact()
    assert exact.has(sp.erf) and exact.has(sp.exp(-2))
    assert sp.sstr(sp.N(exact, 30)) == EXACT_TRUNCATION_30
    assert sp.sstr(v.truncated_normal_std().steps[4].equation.rhs) == EXACT_TRUNCATION_30


def test_truncated_normal_constant_by_independent_quadrature():
    mpmath.mp.dps = 40
    density = lambda x: mpmath.exp(-x**2 / 2) / mpmath.sqrt(2 * mpmath.pi)  # noqa: E731
    second = mpmath.quad(lambda x: x**2 * density(x), [-2, 0, 2])
    mass = mpmath.quad(density, [-2, 0, 2])
    assert mpmath.nstr(mpmath.sqrt(second / mass), 30) == EXACT_TRUNCATION_30


def test_keras_literal_is_the_same_double():
    """Keras's 0.87962566103423978 is the float64 nearest tau_2 printed to 17 digits:
    16 significant digits agree with the exact value, and the doubles are identical."""
    matching, same_double = v.keras_literal_agreement()
    assert same_double
    assert matching == 16
    assert float(sp.N(v.truncation_std_exact(), 30)) == 0.87962566103423978


def test_general_cut():
    c = sp.Symbol("c", positive=True)
    ratio = v.truncation_variance_ratio(c)
    assert sp.limit(ratio, c, sp.oo) == 1  # no cut: the normal law itself
    assert float(ratio.subs(c, 1)) == pytest.approx(0.29112509, rel=1e-7)  # Var(N(0,1) | |X|<=1)


def test_every_step_is_an_unevaluated_equation_with_a_reason():
    for derivation in v.all_derivations():
        assert derivation.steps
        for step in derivation.steps:
            assert isinstance(step.equation, sp.Equality)
            reason = text(step.reason)
            assert reason.strip() and "\n" not in reason
            sp.latex(step.equation)  # printable as LaTeX


def test_text_rendering_is_deterministic_and_complete():
    shown = text(v.he_rule())
    assert shown.splitlines()[0] == "He (Kaiming): keep Var(z) through a ReLU layer"
    assert "(3) Var(W_i) = 2/fan_in" in shown
    assert text(v.he_rule()) == shown


def test_a_wrong_claim_is_an_error():
    with pytest.raises(DerivationError, match="expected"):
        v._confirm("demo", sp.Rational(1, 3), sp.Rational(1, 2))
