"""Custom activations work wherever built-in ones do: the replays that confirm refutations,
trace witnesses and twin counterexamples evaluate them from the checked syntax tree, with a
derivative of their own (forward mode), never through SymPy."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from symcheck.errors import NotReal
from symcheck.oracle import replay
from symcheck.model.safe_expr import FUNCTIONS, VARIABLE, parse_activation
from symcheck.theorems import load_theorem
from symcheck.theorems.runner import decide
from theorem_helpers import write

POINTS = (Fraction(-7, 3), Fraction(-1, 2), Fraction(1, 5), Fraction(3, 2))


def _replayed(text):
    expression, tree = parse_activation(text)
    sigma, sigma_prime = replay._custom(tree, replay.MPMATH)
    return expression, sigma, sigma_prime


@pytest.mark.parametrize("text", [
    *(f"{name}(x**2 / 2 - x + 1) + {name}(x / 4 + 1)" for name in sorted(FUNCTIONS)),
    "x / (1 + exp(-x))", "x**3 / 3 - 2 * x**-2 + pi * e", "-(x - 1)**2 / (x**2 + 1)", "0.01 * x + 2",
])
def test_value_and_derivative_agree_with_sympy(text):
    expression, sigma, sigma_prime = _replayed(text)
    derivative = sp.diff(expression, VARIABLE)
    with mpmath.workdps(replay.DIGITS):
        for point in POINTS:
            z = replay.MPMATH.number(point)
            at = {VARIABLE: sp.Rational(point.numerator, point.denominator)}
            want, want_slope = expression.subs(at).evalf(50), derivative.subs(at).evalf(50)
            assert abs(sigma(z) - mpmath.mpf(str(want))) < mpmath.mpf(10) ** -40 * (1 + abs(sigma(z)))
            slope = sigma_prime(z)
            assert abs(slope - mpmath.mpf(str(want_slope))) < mpmath.mpf(10) ** -40 * (1 + abs(slope))


def test_a_wrong_derivative_rule_would_be_caught():
    """The comparison above can fail: tanh' replaced by 1 + tanh^2 disagrees with SymPy."""
    _, _, sigma_prime = _replayed("tanh(x)")
    z = replay.MPMATH.number(Fraction(1, 2))
    assert abs(sigma_prime(z) - (1 + mpmath.tanh(z) ** 2)) > 0.1


@pytest.mark.parametrize("text, z", [("log(x)", -1), ("sqrt(x)", -4), ("1 / (x - 1)", 1), ("x**-1", 0),
                                     ("exp(exp(exp(x)))", 10)])
def test_values_that_are_not_finite_reals_refuse_to_replay(text, z):
    _, sigma, _ = _replayed(text)
    with pytest.raises(NotReal):
        sigma(replay.MPMATH.number(Fraction(z)))


CUSTOM = '''
[activations]
mysig = "1 / (1 + exp(-x))"
mytanh = "tanh(x) + 0 * x"
myswish = "x * sigmoid(x)"
'''

#: name: (expected verdict, body); every case needs a replay or a numeric route with the custom activation
CASES = {
    "dropout": ("refuted", 'widths = [2, 2, 1]\nactivation = "mysig"\nloss = "bce"\n[training]\n'
                           'init = "constant"\noptimizer = "dropout"\n[claim]\nkind = "symmetry"'),
    "random-biases": ("refuted", 'widths = [2, 2, 1]\nactivation = "mysig"\nloss = "bce"\n[training]\n'
                                 'init = "W=0,b=random"\nseed = 0\n[claim]\nkind = "symmetry"'),
    "gauss-seidel": ("refuted", 'widths = [2, 2, 1]\nactivation = "myswish"\nloss = "mse"\n[training]\n'
                                'init = "constant"\noptimizer = "gauss_seidel"\n[claim]\nkind = "symmetry"'),
    "adam": ("proved", 'widths = [2, 2, 1]\nactivation = "myswish"\nloss = "mse"\n[training]\n'
                       'init = "constant"\noptimizer = "adam"\n[claim]\nkind = "symmetry"'),
    "twins-dropout": ("refuted", 'widths = [2, 3, 1]\nactivation = "mytanh"\nloss = "mse"\n[training]\n'
                                 'init = "W=1/2,b=0"\noptimizer = "dropout"\n[claim]\nkind = "twins"\n'
                                 'effective_widths = [1]'),
    "twins": ("proved", 'widths = [2, 3, 1]\nactivation = "mytanh"\nloss = "mse"\n[training]\n'
                        'init = "W=1/2,b=0"\n[claim]\nkind = "twins"\neffective_widths = [1]'),
    "trace": ("proved", 'widths = [2, 2, 1]\nactivation = "mysig"\nloss = "bce"\n[training]\n'
                        'init = "W=0,b=random"\nseed = 0\n[claim]\nkind = "trace"\ninitial_invariants = "fail"\n'
                        '[[claim.step]]\nmoved = ["W2", "b2"]\nzero_gradient = ["W1", "b1"]\ninvariants = "fail"\n'
                        '[[claim.step]]\nmoved = ["W1", "b1", "W2", "b2"]\ninvariants = "fail"'),
    "dead": ("proved", 'widths = [2, 3, 1]\nactivation = "mytanh"\nloss = "mse"\n[training]\n'
                       'init = "W=0,b=0"\n[claim]\nkind = "dead"'),
    "not-dead": ("refuted", 'widths = [2, 3, 1]\nactivation = "mysig"\nloss = "mse"\n[training]\n'
                            'init = "W=0,b=0"\n[claim]\nkind = "dead"'),
    "gradient": ("proved", 'widths = [1, 1, 1]\nactivation = "mysig"\nloss = "mse"\n[claim]\nkind = "gradient"\n'
                           '[claim.point]\nW1 = [[0]]\nb1 = [0]\nW2 = [[1]]\nb2 = [0]\nx = [2]\ny = [0]\n'
                           '[claim.expected]\nloss = 0.125\nW1 = [[0.25]]\nb1 = [0.125]\nW2 = [[0.25]]\nb2 = [0.5]'),
    "derivation": ("proved", 'widths = [2, 2, 1]\nactivation = "myswish"\nloss = "mse"\n[claim]\n'
                             'kind = "derivation"'),
    "no-hidden-layer": ("refuted", 'widths = [3, 1]\nactivation = "mysig"\nloss = "bce"\n[claim]\n'
                                   'kind = "no-hidden-layer"'),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_claim_kind_with_a_custom_activation(name, tmp_path):
    expect, body = CASES[name]
    text = f'statement = "custom activation: {name}"\nexpect = "{expect}"\n[network]\n{body}\n{CUSTOM}'
    got, summary, evidence, _ = decide(load_theorem(write(tmp_path / f"{name}.toml", text)))
    assert got == expect, (summary, evidence)
    # the same claim with the built-in activation each custom one spells out has the same verdict
    builtin = text.replace('"mysig"', '"sigmoid"').replace('"mytanh"', '"tanh"')
    if builtin != text:
        assert decide(load_theorem(write(tmp_path / f"{name}-builtin.toml", builtin)))[0] == expect
